import { describe, expect, it } from 'vitest';
import {
  groupListing,
  InvalidMagentoListingError,
  listingObjectKey,
  type MagentoGalleryRow,
  parseMagentoListing,
} from '#domain/media/magento-listing.ts';
import type { MagentoMediaListing } from '#ports/media-listing.ts';
import { NonRetryableError } from '#runtime/errors.ts';
import { listMagentoMedia } from '#use-cases/media/list-magento-media.ts';

describe('Magento media listing files', () => {
  it('reads `mysql -B` output (TSV, NULL as the string NULL) of the gallery join', () => {
    const tsv = [
      'value_id\tfile\tmedia_type\tstore_id\tentity_id\tdisabled',
      '1\t/s/k/sku-1.jpg\timage\t0\t10\t0',
      '1\t/s/k/sku-1.jpg\timage\t1\t10\t1',
      '2\t/o/t/other.png\timage\tNULL\tNULL\tNULL',
    ].join('\n');
    expect(parseMagentoListing(tsv)).toEqual([
      {
        valueId: 1,
        file: '/s/k/sku-1.jpg',
        mediaType: 'image',
        storeId: 0,
        entityId: 10,
        disabled: 0,
      },
      {
        valueId: 1,
        file: '/s/k/sku-1.jpg',
        mediaType: 'image',
        storeId: 1,
        entityId: 10,
        disabled: 1,
      },
      { valueId: 2, file: '/o/t/other.png', mediaType: 'image' },
    ]);
  });

  it('reads CSV with quoted fields, the table column name `value`, and Commerce `row_id`', () => {
    const csv =
      '\uFEFFvalue_id,value,row_id,store_id,disabled,label\r\n7,"/a/b/with,comma.jpg",70,0,0,"x ""y"""\r\n';
    expect(parseMagentoListing(csv)).toEqual([
      { valueId: 7, file: '/a/b/with,comma.jpg', entityId: 70, storeId: 0, disabled: 0 },
    ]);
  });

  it('reads a JSON array and JSON Lines', () => {
    const rows = [
      { value_id: 3, value: '/x/y/a.jpg', entity_id: 5, store_id: 0, disabled: 0 },
      { value_id: '4', file: '/x/y/b.jpg' },
    ];
    const expected = [
      { valueId: 3, file: '/x/y/a.jpg', entityId: 5, storeId: 0, disabled: 0 },
      { valueId: 4, file: '/x/y/b.jpg' },
    ];
    expect(parseMagentoListing(JSON.stringify(rows))).toEqual(expected);
    expect(parseMagentoListing(rows.map((r) => JSON.stringify(r)).join('\n'))).toEqual(expected);
  });

  it('names the line of a bad row and never echoes its content', () => {
    const bad = 'value_id,file\n1,/a.jpg\nsecret-value,/b.jpg\n';
    expect(() => parseMagentoListing(bad)).toThrow(InvalidMagentoListingError);
    expect(() => parseMagentoListing(bad)).toThrow('line 3: valueId is not a non-negative integer');
    try {
      parseMagentoListing(bad);
    } catch (err) {
      expect((err as Error).message).not.toContain('secret-value');
    }
    expect(() => parseMagentoListing('file\n/a.jpg')).toThrow('no value_id column');
    expect(() => parseMagentoListing('value_id,file\n5,')).toThrow('line 2: missing file');
    expect(() => parseMagentoListing('[{"value_id":1')).toThrow('malformed JSON');
    expect(parseMagentoListing('  \n')).toEqual([]);
  });

  it('groups store-view rows into one image: products, and hidden only when disabled everywhere', () => {
    const rows: MagentoGalleryRow[] = [
      { valueId: 1, file: '/a.jpg', storeId: 0, entityId: 11, disabled: 1 },
      { valueId: 1, file: '/a.jpg', storeId: 1, entityId: 10, disabled: 1 },
      { valueId: 2, file: '/b.jpg', storeId: 0, entityId: 12, disabled: 0 },
      { valueId: 2, file: '/b.jpg', storeId: 1, entityId: 12, disabled: 1 },
      { valueId: 3, file: '/c.jpg' },
    ];
    expect(groupListing(rows)).toEqual([
      { valueId: 1, file: '/a.jpg', entityIds: [10, 11], disabled: true },
      { valueId: 2, file: '/b.jpg', entityIds: [12], disabled: false },
      { valueId: 3, file: '/c.jpg', entityIds: [], disabled: false },
    ]);
  });

  it('maps gallery files under the catalog prefix and refuses paths that could leave it', () => {
    expect(listingObjectKey('catalog/product/', '/s/k/sku.jpg')).toBe(
      'catalog/product/s/k/sku.jpg',
    );
    expect(listingObjectKey('catalog/product', 's/k/sku.jpg')).toBe('catalog/product/s/k/sku.jpg');
    expect(listingObjectKey('', '/s/k/sku.jpg')).toBe('s/k/sku.jpg');
    for (const bad of [
      '/../../kyc/app-1/selfie.jpg',
      '/s/./x.jpg',
      '/s//x.jpg',
      '',
      '/',
      '/a\\b.jpg',
      '/a\u0000.jpg',
    ])
      expect(listingObjectKey('catalog/product/', bad), bad).toBeUndefined();
  });
});

describe('list-magento-media use case', () => {
  const rows: MagentoGalleryRow[] = [
    { valueId: 1, file: '/s/k/sku-1.jpg', storeId: 0, entityId: 10, disabled: 0 },
    { valueId: 2, file: '/h/i/hidden.jpg', storeId: 0, entityId: 11, disabled: 1 },
    { valueId: 3, file: '/../escape.jpg', storeId: 0, entityId: 12, disabled: 0 },
    { valueId: 4, file: '/s/k/sku-4.jpg', storeId: 0, entityId: 13, disabled: 0 },
  ];
  const paged = (pages: MagentoGalleryRow[][]): MagentoMediaListing => ({
    async *pages() {
      for (const p of pages) yield p;
    },
  });
  const written: Array<{ bucket: string; key: string; items: unknown[] }> = [];
  const deps = {
    database: paged([rows.slice(0, 2), rows.slice(2)]),
    listingFile: (loc: { bucket: string; key: string }) =>
      paged(loc.key === 'listings/one.tsv' ? [[rows[0]!]] : []),
    writer: {
      async writeJson(bucket: string, key: string, items: unknown[]) {
        written.push({ bucket, key, items });
      },
    },
    itemBucket: 'media-bucket',
  };
  const input = {
    bucket: 'media-bucket',
    prefix: 'catalog/product/',
    purpose: 'catalog' as const,
    drill: true,
    gallery: 's3://media-bucket/catalog/product/',
    runId: 'run-1',
  };

  it('writes one item per image across pages; escaping paths skipped and counted', async () => {
    const out = await listMagentoMedia(deps, {
      ...input,
      magento: { database: true, includeDisabled: true, maxItems: 100 },
    });
    expect(out).toEqual({
      manifest: { bucket: 'media-bucket', key: 'scan-items/run-1.json' },
      count: 3,
      gallery: input.gallery,
      skipped: { disabled: 0, invalidPath: 1, overLimit: 0 },
    });
    expect(written.at(-1)!.items).toEqual([
      { key: 'catalog/product/s/k/sku-1.jpg', valueId: 1, entityIds: [10], disabled: false },
      { key: 'catalog/product/h/i/hidden.jpg', valueId: 2, entityIds: [11], disabled: true },
      { key: 'catalog/product/s/k/sku-4.jpg', valueId: 4, entityIds: [13], disabled: false },
    ]);
  });

  it('can leave out images hidden everywhere, and caps the item count', async () => {
    const out = await listMagentoMedia(deps, {
      ...input,
      magento: { database: true, includeDisabled: false, maxItems: 1 },
    });
    expect(out.count).toBe(1);
    expect(out.skipped).toEqual({ disabled: 1, invalidPath: 1, overLimit: 1 });
  });

  it('reads a listing file; refuses the database source when no DB user is configured', async () => {
    const out = await listMagentoMedia(deps, {
      ...input,
      runId: 'run-2',
      magento: {
        listing: { bucket: 'media-bucket', key: 'listings/one.tsv' },
        includeDisabled: true,
        maxItems: 10,
      },
    });
    expect(out.count).toBe(1);
    const { database: _db, ...noDb } = deps;
    await expect(
      listMagentoMedia(noDb, {
        ...input,
        magento: { database: true, includeDisabled: true, maxItems: 10 },
      }),
    ).rejects.toThrow(NonRetryableError);
  });
});
