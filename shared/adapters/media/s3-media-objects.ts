import {
  CopyObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { MediaObjects } from '#ports/media-objects.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';

const MAX_GET_BYTES = 15 * 1024 * 1024;

const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode ?? 0;
    if (status >= 500 || e.name === 'SlowDown' || e.name === 'TimeoutError')
      throw new RetryableError(`S3 ${what}: ${e.name}`);
    throw new NonRetryableError(`S3 ${what}: ${e.name}`);
  }
};

export class S3MediaObjects implements MediaObjects {
  constructor(private readonly s3: S3Client) {}

  get(bucket: string, key: string) {
    return wrap('GetObject', async () => {
      const o = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if ((o.ContentLength ?? 0) > MAX_GET_BYTES)
        throw new NonRetryableError('object larger than 15 MB (Rekognition S3 limit)');
      return o.Body!.transformToByteArray();
    });
  }

  getTags(bucket: string, key: string) {
    return wrap('GetObjectTagging', async () => {
      const r = await this.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
      return Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
    });
  }

  async putTags(bucket: string, key: string, tags: Record<string, string>) {
    const current = await this.getTags(bucket, key);
    await this.replaceTags(bucket, key, { ...current, ...tags });
  }

  replaceTags(bucket: string, key: string, tags: Record<string, string>) {
    return wrap('PutObjectTagging', async () => {
      await this.s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: key,
          Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        }),
      );
    });
  }

  list(bucket: string, prefix: string, max: number) {
    return wrap('ListObjectsV2', async () => {
      const out: Array<{ key: string; size: number }> = [];
      let token: string | undefined;
      do {
        const r = await this.s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ContinuationToken: token,
            MaxKeys: 1000,
          }),
        );
        for (const o of r.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
        token = r.IsTruncated ? r.NextContinuationToken : undefined;
      } while (token && out.length < max);
      return out.slice(0, max);
    });
  }

  copy(from: { bucket: string; key: string }, to: { bucket: string; key: string }) {
    return wrap('CopyObject', async () => {
      await this.s3.send(
        new CopyObjectCommand({
          Bucket: to.bucket,
          Key: to.key,
          CopySource: `${from.bucket}/${from.key.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    });
  }

  async exists(bucket: string, key: string) {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw new RetryableError(`S3 HeadObject: ${(err as Error).name}`);
    }
  }
}
