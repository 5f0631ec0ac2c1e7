import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { EvidenceStore } from '#ports/evidence-store.ts';

export class S3EvidenceStore implements EvidenceStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(
    key: string,
    body: Buffer | string,
    contentType: string,
    tags?: Record<string, string>,
  ) {
    const buf = typeof body === 'string' ? Buffer.from(body) : body;
    const sha256 = createHash('sha256').update(buf).digest('hex');
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: buf,
        ContentType: contentType,
        ChecksumSHA256: createHash('sha256').update(buf).digest('base64'),
        Metadata: { sha256 },
        Tagging: tags ? new URLSearchParams(tags).toString() : undefined,
      }),
    );
    return { bucket: this.bucket, key, sha256, bytes: buf.length };
  }
}
