import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpKycVendor } from '#adapters/media/http-kyc-vendor.ts';
import { MySqlCatalogMedia } from '#adapters/media/mysql-catalog-media.ts';
import { S3MediaObjects } from '#adapters/media/s3-media-objects.ts';
import { startAwsStandIns } from '#local/aws-services.ts';
import { makeImage } from '#local/media-fixtures.ts';
import { KycSimulator } from '#local/simulators/kyc.ts';
import { LEVERS, type LeverPorts, type LeverTarget } from '#use-cases/containment/levers.ts';
import { QUARANTINE_TAG } from '#use-cases/containment/levers-media.ts';

/** The two Magento gallery tables (columns as in Magento_Catalog db_schema.xml, trimmed). */
const GALLERY_DDL = [
  `CREATE TABLE catalog_product_entity_media_gallery (value_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, attribute_id SMALLINT UNSIGNED NOT NULL DEFAULT 90, value VARCHAR(255), media_type VARCHAR(32) NOT NULL DEFAULT 'image', disabled SMALLINT UNSIGNED NOT NULL DEFAULT 0)`,
  `CREATE TABLE catalog_product_entity_media_gallery_value (record_id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, value_id INT UNSIGNED NOT NULL DEFAULT 0, store_id SMALLINT UNSIGNED NOT NULL DEFAULT 0, entity_id INT UNSIGNED NOT NULL DEFAULT 0, label VARCHAR(255), position INT UNSIGNED, disabled SMALLINT UNSIGNED NOT NULL DEFAULT 0, FOREIGN KEY (value_id) REFERENCES catalog_product_entity_media_gallery(value_id) ON DELETE CASCADE)`,
];
const ROOT = { host: '127.0.0.1', port: 3306, user: 'root', password: '' };
const database = `tourniquet_media_${randomBytes(4).toString('hex')}`;
const CREDS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('deepfake playbook levers (s3rver, real MariaDB, KYC simulator)', () => {
  let stop: () => Promise<void>;
  let s3: S3Client;
  let catalog: MySqlCatalogMedia;
  const kyc = new KycSimulator(`kyc_${randomBytes(8).toString('hex')}`);
  let ports: LeverPorts;
  const target: LeverTarget = {
    incidentId: 'INC-MEDIA-1',
    customerIds: [],
    cardFingerprints: [],
    paymentIntents: [],
    mediaObjects: ['s3://media/catalog/product/s/k/sku-1.jpg', 's3://media/kyc/app-9/selfie.jpg'],
    applicants: ['kyc:app-9'], // as correlated (the KYC vendor's and check-media's key)
  };

  beforeAll(async () => {
    const aws = await startAwsStandIns();
    stop = aws.stop;
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: aws.endpoints.s3,
      credentials: CREDS,
      forcePathStyle: true,
    });
    for (const b of ['media', 'quarantine']) await s3.send(new CreateBucketCommand({ Bucket: b }));
    for (const key of ['catalog/product/s/k/sku-1.jpg', 'kyc/app-9/selfie.jpg'])
      await s3.send(
        new PutObjectCommand({ Bucket: 'media', Key: key, Body: makeImage({ seed: key.length }) }),
      );
    await s3.send(
      new PutObjectTaggingCommand({
        Bucket: 'media',
        Key: 'kyc/app-9/selfie.jpg',
        Tagging: { TagSet: [{ Key: 'owner', Value: 'kyc' }] },
      }),
    );
    const c = await createConnection(ROOT);
    await c.query(`CREATE DATABASE \`${database}\``);
    await c.query(`USE \`${database}\``);
    for (const ddl of GALLERY_DDL) await c.query(ddl);
    await c.query(
      `INSERT INTO catalog_product_entity_media_gallery (value_id, value) VALUES (1, '/s/k/sku-1.jpg'), (2, '/o/t/other.jpg')`,
    );
    await c.query(
      `INSERT INTO catalog_product_entity_media_gallery_value (value_id, store_id, entity_id, disabled) VALUES (1,0,10,0),(1,1,10,0),(1,2,10,1),(2,0,11,0)`,
    );
    await c.end();
    catalog = new MySqlCatalogMedia(async () => ({ ...ROOT, database }));
    kyc.seed([{ id: 'app-9', status: 'pending_review' }]);
    await kyc.start();
    ports = {
      stripeKnownWebhookUrls: [],
      stripeBlockListId: 'x',
      media: {
        objects: new S3MediaObjects(s3),
        quarantineBucket: 'quarantine',
        catalogPrefix: 'catalog/product',
        catalog,
        kyc: new HttpKycVendor(kyc.url, async () => kyc.apiKey),
      },
    };
  });
  afterAll(async () => {
    await catalog?.close();
    await kyc.stop();
    s3?.destroy();
    const c = await createConnection(ROOT);
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.end();
    await stop?.();
  });

  const run = async (id: string) => {
    const lever = LEVERS[id]!;
    const pre = await lever.snapshot(ports, target);
    const { changed, result } = await lever.act(ports, target, pre);
    const verified = await lever.verify(ports, target, pre, result);
    return { lever, pre, changed, result, verified };
  };

  it('media.quarantine-object: evidence copy + held tag; release restores the original tags', async () => {
    const r = await run('media.quarantine-object');
    expect(r.changed).toBe(2);
    expect(r.verified.ok).toBe(true);
    const objects = ports.media!.objects;
    expect(await objects.getTags('media', 'kyc/app-9/selfie.jpg')).toEqual({
      owner: 'kyc',
      [QUARANTINE_TAG]: 'held',
    });
    expect(await objects.exists('quarantine', 'media/INC-MEDIA-1/media/kyc/app-9/selfie.jpg')).toBe(
      true,
    );
    await r.lever.release(ports, target, r.pre, r.result);
    expect(await objects.getTags('media', 'kyc/app-9/selfie.jpg')).toEqual({ owner: 'kyc' });
    expect(await objects.getTags('media', 'catalog/product/s/k/sku-1.jpg')).toEqual({});
  });

  it('media.disable-catalog-image: disables the gallery rows of the flagged file only; release re-enables what it changed', async () => {
    const r = await run('media.disable-catalog-image');
    expect(r.pre.rows.map((x: { recordId: number }) => x.recordId)).toEqual([1, 2, 3]);
    expect(r.changed).toBe(2); // store 2 was already disabled
    expect(r.verified.ok).toBe(true);
    expect((await catalog.galleryRows(['/o/t/other.jpg']))[0]!.disabled).toBe(0);
    await r.lever.release(ports, target, r.pre, r.result);
    const after = await catalog.galleryRows(['/s/k/sku-1.jpg']);
    expect(after.map((x) => [x.storeId, x.disabled])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
  });

  it('kyc.hold-applicant: holds at the vendor; release restores the previous status', async () => {
    const r = await run('kyc.hold-applicant');
    expect(r.changed).toBe(1);
    expect(r.verified.ok).toBe(true);
    expect(kyc.applications.get('app-9')?.status).toBe('on_hold');
    await r.lever.release(ports, target, r.pre, r.result);
    expect(kyc.applications.get('app-9')?.status).toBe('pending_review');
    expect(kyc.calls.map((c) => `${c.method} ${c.path}`)).toContain(
      'POST /v1/applications/app-9/hold',
    );
  });
});
