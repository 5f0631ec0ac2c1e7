import { createHash } from 'node:crypto';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AwsJsonError, AwsJsonServer } from './aws-json-server.ts';

/** What Rekognition "sees" in one image, keyed by the image's SHA-256 (scenario fixtures). */
export interface RekognitionFixture {
  faces?: Array<{ sharpness?: number; brightness?: number; confidence?: number }>;
  /** CompareFaces similarity when this image is the source (selfie) and the reference the target. */
  similarity?: number;
  moderation?: Array<{ name: string; confidence: number; parent?: string }>;
  contentTypes?: Array<{ name: string; confidence: number }>;
}

/**
 * A loopback stand-in answering the Rekognition JSON 1.1 protocol (`X-Amz-Target:
 * RekognitionService.DetectFaces` …) from fixtures keyed by image hash, so the real adapter and
 * SDK client run locally. Unknown images: no faces, no labels. Images from S3Object are read from
 * the local S3 stand-in. Enforces the JPEG/PNG and 5 MB / 15 MB limits like the service.
 */
export class RekognitionStandIn {
  readonly fixtures = new Map<string, RekognitionFixture>();
  readonly calls: Array<{ operation: string; sha256: string }> = [];
  /** Next N calls answer ThrottlingException (to exercise backoff). */
  throttleNext = 0;
  private readonly server = new AwsJsonServer();
  private s3Client?: S3Client;

  constructor(private readonly s3?: () => S3Client) {
    this.server
      .on('RekognitionService.DetectFaces', async (b) => {
        const { sha, fx } = await this.image('DetectFaces', b.Image);
        void sha;
        return {
          FaceDetails: (fx.faces ?? []).map((f, i) => ({
            BoundingBox: { Width: 0.3, Height: 0.4, Left: 0.1 + i * 0.3, Top: 0.2 },
            Confidence: f.confidence ?? 99.5,
            Quality: { Sharpness: f.sharpness ?? 80, Brightness: f.brightness ?? 70 },
          })),
        };
      })
      .on('RekognitionService.DetectModerationLabels', async (b) => {
        const { fx } = await this.image('DetectModerationLabels', b.Image);
        const min = b.MinConfidence ?? 50;
        return {
          ModerationLabels: (fx.moderation ?? [])
            .filter((m) => m.confidence >= min)
            .map((m) => ({
              Name: m.name,
              Confidence: m.confidence,
              ParentName: m.parent ?? '',
              TaxonomyLevel: m.parent ? 2 : 1,
            })),
          ModerationModelVersion: '7.0',
          ContentTypes: (fx.contentTypes ?? []).map((c) => ({
            Name: c.name,
            Confidence: c.confidence,
          })),
        };
      })
      .on('RekognitionService.CompareFaces', async (b) => {
        const src = await this.image('CompareFaces', b.SourceImage);
        const tgt = await this.image('CompareFaces', b.TargetImage);
        if (!src.fx.faces?.length)
          throw new AwsJsonError('InvalidParameterException', 'Request has invalid parameters');
        const sim = src.fx.similarity ?? 0;
        const threshold = b.SimilarityThreshold ?? 80;
        const targetFaces = tgt.fx.faces?.length ?? 0;
        const match = targetFaces > 0 && sim >= threshold;
        return {
          SourceImageFace: {
            BoundingBox: { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 },
            Confidence: 99,
          },
          FaceMatches: match
            ? [
                {
                  Similarity: sim,
                  Face: {
                    BoundingBox: { Width: 0.3, Height: 0.4, Left: 0.1, Top: 0.2 },
                    Confidence: 99,
                  },
                },
              ]
            : [],
          UnmatchedFaces: match
            ? []
            : Array.from({ length: targetFaces }, () => ({ Confidence: 99 })),
        };
      });
  }

  async start(): Promise<string> {
    return this.server.start();
  }

  async stop(): Promise<void> {
    this.s3Client?.destroy();
    await this.server.stop();
  }

  get url(): string {
    return this.server.url;
  }

  private async image(
    operation: string,
    image: any,
  ): Promise<{ sha: string; fx: RekognitionFixture }> {
    if (this.throttleNext > 0) {
      this.throttleNext--;
      throw new AwsJsonError('ThrottlingException', 'Rate exceeded');
    }
    let bytes: Buffer;
    if (image?.Bytes) {
      bytes = Buffer.from(image.Bytes, 'base64');
      if (bytes.length > 5 * 1024 * 1024)
        throw new AwsJsonError('ImageTooLargeException', 'Image size is too large.');
    } else if (image?.S3Object) {
      if (!this.s3) throw new AwsJsonError('InvalidS3ObjectException', 'no S3 configured');
      try {
        this.s3Client ??= this.s3();
        const o = await this.s3Client.send(
          new GetObjectCommand({ Bucket: image.S3Object.Bucket, Key: image.S3Object.Name }),
        );
        bytes = Buffer.from(await o.Body!.transformToByteArray());
      } catch {
        throw new AwsJsonError(
          'InvalidS3ObjectException',
          'Unable to get object metadata from S3.',
        );
      }
      if (bytes.length > 15 * 1024 * 1024)
        throw new AwsJsonError('ImageTooLargeException', 'Image size is too large.');
    } else throw new AwsJsonError('InvalidParameterException', 'Request has invalid parameters');
    const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
    const png = bytes[0] === 0x89 && bytes[1] === 0x50;
    if (!jpeg && !png)
      throw new AwsJsonError('InvalidImageFormatException', 'Request has invalid image format');
    const sha = createHash('sha256').update(bytes).digest('hex');
    this.calls.push({ operation, sha256: sha });
    return { sha, fx: this.fixtures.get(sha) ?? {} };
  }
}
