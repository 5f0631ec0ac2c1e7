import {
  CompareFacesCommand,
  DetectFacesCommand,
  DetectModerationLabelsCommand,
  type Image,
  type RekognitionClient,
} from '@aws-sdk/client-rekognition';
import type { FaceFacts } from '#domain/media/verdict.ts';
import type { FaceAnalyzer, MediaInput } from '#ports/media-check.ts';
import { NonRetryableError, RetryableError } from '#runtime/errors.ts';
import { imageFormat } from './provenance-reader.ts';

/** Rekognition Image API limits (integrations.md §E). */
export const REKOGNITION_LIMITS = { bytes: 5 * 1024 * 1024, s3Bytes: 15 * 1024 * 1024 } as const;

const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ServiceUnavailableException',
  'InternalServerError',
]);

/** Spaces calls to at most `tps` per second across concurrent callers (one container). */
export class TpsLimiter {
  private next = 0;
  constructor(
    private readonly tps: number,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((r) => setTimeout(r, ms)),
  ) {}

  async take(): Promise<void> {
    const interval = 1000 / this.tps;
    const t = this.now();
    const slot = Math.max(t, this.next);
    this.next = slot + interval;
    if (slot > t) await this.sleep(slot - t);
  }
}

export interface RekognitionOptions {
  tps: number;
  maxThrottleRetries?: number;
  baseBackoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  minModerationConfidence?: number;
}

/**
 * DetectFaces (count, quality), CompareFaces (KYC selfie vs ID document), DetectModerationLabels
 * (labels and ContentTypes). JPEG/PNG only; bytes ≤ 5 MB, S3 objects ≤ 15 MB (S3 preferred when
 * the object location is known). Throttling is retried with exponential backoff and jitter;
 * calls are spaced to the configured TPS. Rekognition has no deepfake API: these are supporting
 * signals only.
 */
export class RekognitionFaceAnalyzer implements FaceAnalyzer {
  private readonly limiter: TpsLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  constructor(
    private readonly client: RekognitionClient,
    private readonly opts: RekognitionOptions,
  ) {
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.limiter = new TpsLimiter(opts.tps, undefined, this.sleep);
  }

  static image(bytes: Uint8Array | undefined, location?: { bucket: string; key: string }): Image {
    if (bytes) {
      const f = imageFormat(bytes);
      if (f === 'other')
        throw new NonRetryableError('Rekognition accepts JPEG or PNG only (unsupported format)');
      if (location && bytes.length > REKOGNITION_LIMITS.s3Bytes)
        throw new NonRetryableError('image exceeds the 15 MB Rekognition S3 limit');
      if (location && bytes.length > REKOGNITION_LIMITS.bytes)
        return { S3Object: { Bucket: location.bucket, Name: location.key } };
      if (bytes.length > REKOGNITION_LIMITS.bytes)
        throw new NonRetryableError('image exceeds the 5 MB Rekognition bytes limit');
      return { Bytes: bytes };
    }
    if (location) return { S3Object: { Bucket: location.bucket, Name: location.key } };
    throw new NonRetryableError('no image bytes or location');
  }

  async analyze(input: MediaInput): Promise<FaceFacts> {
    const image = RekognitionFaceAnalyzer.image(input.bytes, input.location);
    const [faces, moderation] = await Promise.all([
      this.call(() =>
        this.client.send(new DetectFacesCommand({ Image: image, Attributes: ['DEFAULT'] })),
      ),
      this.call(() =>
        this.client.send(
          new DetectModerationLabelsCommand({
            Image: image,
            MinConfidence: this.opts.minModerationConfidence ?? 60,
          }),
        ),
      ),
    ]);
    const details = faces.FaceDetails ?? [];
    let compared = false;
    let compareSimilarity: number | undefined;
    if (input.purpose === 'kyc-selfie' && input.reference) {
      const target = RekognitionFaceAnalyzer.image(input.reference.bytes, input.reference.location);
      const cmp = await this.call(() =>
        this.client.send(
          new CompareFacesCommand({
            SourceImage: image,
            TargetImage: target,
            SimilarityThreshold: 0,
          }),
        ),
      );
      compared = true;
      const sims = (cmp.FaceMatches ?? []).map((m) => m.Similarity ?? 0);
      compareSimilarity = sims.length ? Math.max(...sims) : 0;
    }
    return {
      purpose: input.purpose,
      faceCount: details.length,
      quality: details.map((d) => ({
        sharpness: d.Quality?.Sharpness ?? 0,
        brightness: d.Quality?.Brightness ?? 0,
      })),
      compared,
      ...(compareSimilarity !== undefined ? { compareSimilarity } : {}),
      moderationLabels: (moderation.ModerationLabels ?? []).map((l) => ({
        name: l.Name ?? '',
        confidence: l.Confidence ?? 0,
      })),
      contentTypes: (moderation.ContentTypes ?? []).map((c) => ({
        name: c.Name ?? '',
        confidence: c.Confidence ?? 0,
      })),
    };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const max = this.opts.maxThrottleRetries ?? 5;
    const base = this.opts.baseBackoffMs ?? 100;
    for (let attempt = 0; ; attempt++) {
      await this.limiter.take();
      try {
        return await fn();
      } catch (err) {
        const name = (err as Error).name;
        if (!THROTTLING.has(name)) {
          if (
            name === 'InvalidImageFormatException' ||
            name === 'ImageTooLargeException' ||
            name === 'InvalidParameterException' ||
            name === 'InvalidS3ObjectException'
          )
            throw new NonRetryableError(`Rekognition ${name}`);
          throw err;
        }
        if (attempt >= max)
          throw new RetryableError(`Rekognition throttled after ${attempt + 1} attempts`);
        const delay = base * 2 ** attempt;
        await this.sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }
}
