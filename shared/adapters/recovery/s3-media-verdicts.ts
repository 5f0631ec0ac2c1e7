import { GetObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';
import { MEDIA_VERDICT_TAG } from '#contracts/recovery.ts';
import type { MediaVerdictSource } from '#ports/recovery.ts';
import { RetryableError } from '#runtime/errors.ts';

/** Reads the verdict check-media tagged a media object with; a missing object has none. */
export class S3MediaVerdicts implements MediaVerdictSource {
  constructor(private readonly s3: S3Client) {}

  async verdict(bucket: string, key: string): Promise<string | null> {
    try {
      const r = await this.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return r.TagSet?.find((t) => t.Key === MEDIA_VERDICT_TAG)?.Value ?? null;
    } catch (err) {
      const e = err as Error & { $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode ?? 0;
      if (status === 404 || e.name === 'NoSuchKey') return null;
      if (status >= 500 || status === 429 || e.name === 'SlowDown' || e.name === 'TimeoutError')
        throw new RetryableError(`S3 GetObjectTagging: ${e.name}`);
      throw new Error(`S3 GetObjectTagging on the media bucket: ${e.name}`);
    }
  }
}
