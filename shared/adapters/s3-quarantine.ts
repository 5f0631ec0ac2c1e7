import {
  DeleteBucketPolicyCommand,
  GetBucketPolicyCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { DatasetQuarantine } from '#ports/aws-levers.ts';

/** Bucket policy (whole-document replace) and object tags (whole-set replace) of a dataset bucket. */
export class S3DatasetQuarantine implements DatasetQuarantine {
  constructor(private readonly s3: S3Client) {}

  async getBucketPolicy(bucket: string) {
    try {
      const r = await this.s3.send(new GetBucketPolicyCommand({ Bucket: bucket }));
      return r.Policy ?? null;
    } catch (err) {
      if ((err as Error).name === 'NoSuchBucketPolicy') return null;
      throw err;
    }
  }

  async putBucketPolicy(bucket: string, policy: string | null) {
    if (policy === null) await this.s3.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    else await this.s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
  }

  async listKeys(bucket: string, prefix: string) {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token && keys.length < 10_000);
    return keys.sort();
  }

  async getTags(bucket: string, key: string) {
    const r = await this.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }));
    return Object.fromEntries((r.TagSet ?? []).map((t) => [t.Key!, t.Value ?? '']));
  }

  async putTags(bucket: string, key: string, tags: Record<string, string>) {
    await this.s3.send(
      new PutObjectTaggingCommand({
        Bucket: bucket,
        Key: key,
        Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  }
}
