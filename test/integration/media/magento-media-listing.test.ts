import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlMagentoMediaListing } from '#adapters/media/mysql-magento-media-listing.ts';
import { S3ItemFileWriter, S3MagentoListingFile } from '#adapters/media/s3-magento-listing.ts';
import { groupListing, type MagentoGalleryRow } from '#domain/media/magento-listing.ts';
import { startAwsStandIns } from '#local/aws-services.ts';
import { GALLERY_TABLES, MAGENTO_DDL, MARIADB_ROOT } from '#local/magento-db.ts';
import { NonRetryableError, StorefrontUnavailableError } from '#runtime/errors.ts';

const suffix = randomBytes(4).toString('hex');
const database = `tourniquet_listing_${suffix}`;
const reader = `tq_list_${suffix}`;
const readerPassword = randomBytes(12).toString('hex');
const CREDS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const collect = async (l: { pages(): AsyncIterable<MagentoGalleryRow[]> }) => {
  const pages: MagentoGalleryRow[][] = [];
  for await (const p of l.pages()) pages.push(p);
  return pages;
};

describe('Magento media listing from the database (real MariaDB, read-only user)', () => {
  const creds = async () => ({ ...MARIADB_ROOT, user: reader, password: readerPassword, database });

  beforeAll(async () => {
    const c = await createConnection(MARIADB_ROOT);
    await c.query(`CREATE DATABASE \`${database}\``);
    await c.query(`USE \`${database}\``);
    for (const ddl of MAGENTO_DDL) await c.query(ddl);
    // five images; value 3 has no store-view row; value 4 hidden in every store view; value 6 has no file
    await c.query(
      `INSERT INTO catalog_product_entity_media_gallery (value_id, value, media_type) VALUES (1,'/s/k/sku-1.jpg','image'),(2,'/s/k/sku-2.jpg','image'),(3,'/o/r/orphan.jpg','image'),(4,'/h/i/hidden.jpg','image'),(5,'/v/i/video-thumb.jpg','external-video'),(6,NULL,'image')`,
    );
    await c.query(
      `INSERT INTO catalog_product_entity_media_gallery_value (value_id, store_id, entity_id, disabled) VALUES (1,0,10,0),(1,1,10,0),(2,0,11,0),(2,0,12,0),(4,0,13,1),(4,1,13,1),(5,0,14,0)`,
    );
    await c.query(`CREATE USER '${reader}'@'%' IDENTIFIED BY '${readerPassword}'`);
    for (const t of GALLERY_TABLES)
      await c.query(`GRANT SELECT ON \`${database}\`.${t} TO '${reader}'@'%'`);
    await c.end();
  });
  afterAll(async () => {
    const c = await createConnection(MARIADB_ROOT);
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.query(`DROP USER IF EXISTS '${reader}'@'%'`);
    await c.end();
  });

  it('pages by value_id (keyset), every store-view row of an image in the same page', async () => {
    const pages = await collect(new MySqlMagentoMediaListing(creds, 2));
    expect(pages.map((p) => [...new Set(p.map((r) => r.valueId))])).toEqual([[1, 2], [3, 4], [5]]);
    const images = groupListing(pages.flat());
    expect(images).toEqual([
      { valueId: 1, file: '/s/k/sku-1.jpg', mediaType: 'image', entityIds: [10], disabled: false },
      {
        valueId: 2,
        file: '/s/k/sku-2.jpg',
        mediaType: 'image',
        entityIds: [11, 12],
        disabled: false,
      },
      { valueId: 3, file: '/o/r/orphan.jpg', mediaType: 'image', entityIds: [], disabled: false },
      { valueId: 4, file: '/h/i/hidden.jpg', mediaType: 'image', entityIds: [13], disabled: true },
      {
        valueId: 5,
        file: '/v/i/video-thumb.jpg',
        mediaType: 'external-video',
        entityIds: [14],
        disabled: false,
      },
    ]);
    // one page when the gallery fits
    expect(await collect(new MySqlMagentoMediaListing(creds, 1000))).toHaveLength(1);
  });

  it('the read-only user really is read-only (the listing needs nothing more)', async () => {
    const c = await createConnection({ ...(await creds()) });
    try {
      await expect(
        c.query('UPDATE catalog_product_entity_media_gallery_value SET disabled = 1'),
      ).rejects.toMatchObject({ code: 'ER_TABLEACCESS_DENIED_ERROR' });
      await expect(c.query('SELECT * FROM admin_user')).rejects.toMatchObject({
        code: 'ER_TABLEACCESS_DENIED_ERROR',
      });
    } finally {
      await c.end();
    }
  });

  it('an unreachable database is StorefrontUnavailableError (the scan retries, then fails)', async () => {
    const dead = new MySqlMagentoMediaListing(async () => ({ ...(await creds()), port: 1 }));
    await expect(collect(dead)).rejects.toThrow(StorefrontUnavailableError);
  });
});

describe('Magento media listing files and item files (s3rver)', () => {
  let stop: () => Promise<void>;
  let s3: S3Client;
  beforeAll(async () => {
    const aws = await startAwsStandIns();
    stop = aws.stop;
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: aws.endpoints.s3,
      credentials: CREDS,
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'media' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'media',
        Key: 'listings/gallery.tsv',
        Body: 'value_id\tvalue\tstore_id\tentity_id\tdisabled\n1\t/s/k/sku-1.jpg\t0\t10\t0\n',
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: 'media',
        Key: 'listings/broken.csv',
        Body: 'value_id,file\nnot-a-number,/a.jpg\n',
      }),
    );
  });
  afterAll(async () => {
    s3?.destroy();
    await stop?.();
  });

  it('reads a listing file; a malformed or missing one is NonRetryableError', async () => {
    const ok = await collect(
      new S3MagentoListingFile(s3, { bucket: 'media', key: 'listings/gallery.tsv' }),
    );
    expect(ok).toEqual([
      [{ valueId: 1, file: '/s/k/sku-1.jpg', storeId: 0, entityId: 10, disabled: 0 }],
    ]);
    await expect(
      collect(new S3MagentoListingFile(s3, { bucket: 'media', key: 'listings/broken.csv' })),
    ).rejects.toThrow(NonRetryableError);
    await expect(
      collect(new S3MagentoListingFile(s3, { bucket: 'media', key: 'listings/missing.csv' })),
    ).rejects.toThrow(NonRetryableError);
  });

  it('writes the item file as a JSON array', async () => {
    const items = [
      { key: 'catalog/product/s/k/sku-1.jpg', valueId: 1, entityIds: [10], disabled: false },
    ];
    await new S3ItemFileWriter(s3).writeJson('media', 'scan-items/r1.json', items);
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    const o = await s3.send(new GetObjectCommand({ Bucket: 'media', Key: 'scan-items/r1.json' }));
    expect(JSON.parse(await o.Body!.transformToString())).toEqual(items);
  });
});
