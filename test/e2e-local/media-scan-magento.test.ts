import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DST, makeImage, variant } from '#local/media-fixtures.ts';
import { LocalRuntime } from '#local/runtime.ts';

interface Result {
  key: string;
  verdict: string;
  alerted: boolean;
  magento: { valueId: number; entityIds: number[]; disabled: boolean };
}

/**
 * scan-media over a Magento media listing on the local runtime: the listing comes from the
 * runtime's Magento database (read-only user, through the proxy) or from a listing file; the
 * ItemReader JSON item file becomes the inline Map's items (infra/local/distributed-map.ts).
 */
describe('scan-media over a Magento media listing (local runtime, MariaDB)', () => {
  let rt: LocalRuntime;
  let s3: S3Client;
  let bucket: string;
  const IMAGES = 30;

  beforeAll(async () => {
    rt = await LocalRuntime.start({ stage: 'drill' });
    s3 = rt.s3();
    bucket = rt.functionEnv('check-media').MEDIA_BUCKET!;
    const plain = makeImage({ seed: 20_001, width: 48, height: 48 });
    const ai = makeImage({
      seed: 20_002,
      width: 48,
      height: 48,
      xmp: { dst: DST('trainedAlgorithmicMedia'), form: 'attribute' },
    });
    const gallery: Array<Record<string, unknown>> = [];
    const values: Array<Record<string, unknown>> = [];
    for (let i = 1; i <= IMAGES; i++) {
      const file = `/p/${i % 10}/sku-${i}.jpg`;
      gallery.push({ value_id: i, value: file });
      values.push({ value_id: i, store_id: 0, entity_id: 100 + i, disabled: i === 7 ? 1 : 0 });
      if (i % 5 === 0) values.push({ value_id: i, store_id: 1, entity_id: 100 + i, disabled: 0 });
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `catalog/product${file}`,
          Body: variant(i % 10 === 3 ? ai : plain, `sku ${i}`),
        }),
      );
    }
    // a gallery path that would leave the catalog prefix: listed, never checked
    gallery.push({ value_id: IMAGES + 1, value: '/../../kyc/app-1/selfie.jpg' });
    expect(rt.storefront.magentoDb.available, rt.storefront.magentoDb.unavailableReason).toBe(true);
    await rt.storefront.magentoDb.seed({
      catalog_product_entity_media_gallery: gallery,
      catalog_product_entity_media_gallery_value: values,
    });
  }, 120_000);
  afterAll(async () => {
    s3?.destroy();
    await rt?.stop();
  });

  it('from the Magento database: one result per gallery image, with its value_id and products', async () => {
    const rec = rt.startExecution('scan-media', {
      bucket,
      prefix: 'catalog/product/',
      purpose: 'catalog',
      drill: true,
      magento: { database: true },
    });
    await rec.done;
    expect(rec.status, rec.cause).toBe('SUCCEEDED');
    expect(rec.output.count).toBe(IMAGES);
    expect(rec.output.skipped).toEqual({ disabled: 0, invalidPath: 1, overLimit: 0 });
    const results = rec.output.results as Result[];
    const synthetic = results.filter((r) => r.verdict === 'synthetic');
    expect(synthetic.map((r) => r.magento.valueId).sort((a, b) => a - b)).toEqual([3, 13, 23]);
    expect(synthetic.every((r) => r.alerted)).toBe(true);
    expect(results.filter((r) => r.verdict === 'unknown')).toHaveLength(IMAGES - 3);
    expect(results.find((r) => r.magento.valueId === 10)).toEqual({
      key: 'catalog/product/p/0/sku-10.jpg',
      verdict: 'unknown',
      alerted: false,
      magento: { valueId: 10, entityIds: [110], disabled: false },
    });
    expect(results.find((r) => r.magento.valueId === 7)?.magento.disabled).toBe(true);
    // check-media published one Alert per flagged image (triage takes it from there)
    const alerts = rt.busEvents.filter(
      (e) => e.detailType === 'Alert' && (e.detail as { source?: string }).source === 'media-check',
    );
    expect(alerts).toHaveLength(3);
  });

  it('from a listing file, leaving out images hidden in every store view', async () => {
    const tsv = [
      'value_id\tvalue\tstore_id\tentity_id\tdisabled',
      '3\t/p/3/sku-3.jpg\t0\t103\t0',
      '7\t/p/7/sku-7.jpg\t0\t107\t1',
      '9\t/p/9/sku-9.jpg\t0\t109\t0',
      '99\t/p/9/missing.jpg\t0\t199\t0',
    ].join('\n');
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'listings/export.tsv', Body: tsv }));
    const rec = rt.startExecution('scan-media', {
      bucket,
      prefix: 'catalog/product/',
      purpose: 'catalog',
      drill: true,
      magento: { listing: { bucket, key: 'listings/export.tsv' }, includeDisabled: false },
    });
    await rec.done;
    expect(rec.status, rec.cause).toBe('SUCCEEDED');
    const byValue = Object.fromEntries(
      (rec.output.results as Result[]).map((r) => [r.magento.valueId, r.verdict]),
    );
    // a listed file that is not in the bucket is reported as an error, never as clean
    expect(byValue).toEqual({ 3: 'synthetic', 9: 'unknown', 99: 'error' });
    expect(rec.output.skipped).toEqual({ disabled: 1, invalidPath: 0, overLimit: 0 });
  });

  it('a malformed listing file fails the run with a clear error, nothing scanned', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'listings/bad.csv', Body: 'file\n/a.jpg\n' }),
    );
    const rec = rt.startExecution('scan-media', {
      bucket,
      prefix: 'catalog/product/',
      purpose: 'catalog',
      drill: true,
      magento: { listing: { bucket, key: 'listings/bad.csv' } },
    });
    await rec.done;
    expect(rec.status).toBe('FAILED');
    expect(rec.error).toBe('NonRetryableError');
    expect(rec.cause).toContain('no value_id column');
  });

  it('with the storefront down the database listing fails as StorefrontUnavailableError', async () => {
    rt.storefront.magentoDb.proxy.setDown(true);
    try {
      const rec = rt.startExecution('scan-media', {
        bucket,
        prefix: 'catalog/product/',
        purpose: 'catalog',
        drill: true,
        magento: { database: true },
      });
      await rec.done;
      expect(rec.status).toBe('FAILED');
      expect(rec.error).toBe('StorefrontUnavailableError');
    } finally {
      rt.storefront.magentoDb.proxy.setDown(false);
    }
  });
});
