import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type MagentoGalleryRow, parseMagentoListing } from '#domain/media/magento-listing.ts';
import type { ItemFileWriter, MagentoMediaListing } from '#ports/media-listing.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';

const MAX_LISTING_BYTES = 64 * 1024 * 1024;

const s3Error = (what: string, err: unknown) => {
  const e = err as Error & { $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status >= 500 || e.name === 'SlowDown' || e.name === 'TimeoutError'
    ? new RetryableError(`S3 ${what}: ${e.name}`)
    : new NonRetryableError(`S3 ${what}: ${e.name}`);
};

/**
 * A Magento media listing file in S3 (an export of the gallery join: CSV, TSV, JSON or JSON Lines;
 * see parseMagentoListing). Read once, one page; a malformed file is a NonRetryableError naming
 * the line, never echoing its content.
 */
export class S3MagentoListingFile implements MagentoMediaListing {
  constructor(
    private readonly s3: S3Client,
    private readonly location: { bucket: string; key: string },
  ) {}

  async *pages(): AsyncIterable<MagentoGalleryRow[]> {
    let text: string;
    try {
      const o = await this.s3.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.location.key }),
      );
      if ((o.ContentLength ?? 0) > MAX_LISTING_BYTES)
        throw new NonRetryableError('Magento media listing larger than 64 MB: split it');
      text = await o.Body!.transformToString('utf-8');
    } catch (err) {
      if (err instanceof NonRetryableError) throw err;
      throw s3Error('GetObject (listing)', err);
    }
    try {
      yield parseMagentoListing(text);
    } catch (err) {
      if ((err as Error).name === 'InvalidMagentoListingError')
        throw new NonRetryableError(`Magento media listing: ${(err as Error).message}`);
      throw err;
    }
  }
}

/** The JSON item file of a Distributed Map (ItemReader s3:getObject, InputType JSON). */
export class S3ItemFileWriter implements ItemFileWriter {
  constructor(private readonly s3: S3Client) {}

  async writeJson(bucket: string, key: string, items: unknown[]): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: JSON.stringify(items),
          ContentType: 'application/json',
        }),
      );
    } catch (err) {
      throw s3Error('PutObject (item file)', err);
    }
  }
}
