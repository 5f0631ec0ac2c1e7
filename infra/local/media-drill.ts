import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type FixtureOptions, makeImage, sha256, signC2pa, variant } from './media-fixtures.ts';
import type { RekognitionFixture } from './rekognition-standin.ts';
import type { LocalRuntime } from './runtime.ts';

type Step = { event?: Record<string, unknown> };
type Injected = { statusCode: number; body: string };

interface ImageSpec extends FixtureOptions {
  /** Embed a signed C2PA manifest declaring this IPTC digital source type URI. */
  c2pa?: string;
  /** What the Rekognition stand-in answers for this image. */
  rekognition?: RekognitionFixture;
}

async function image(rt: LocalRuntime, spec: ImageSpec): Promise<Buffer> {
  const { c2pa, rekognition, ...opts } = spec;
  const bytes = c2pa ? await signC2pa(makeImage(opts), c2pa) : makeImage(opts);
  if (rekognition) rt.rekognition.fixtures.set(sha256(bytes), rekognition);
  return bytes;
}

async function upload(rt: LocalRuntime, key: string, body: Buffer) {
  const bucket = rt.functionEnv('check-media').MEDIA_BUCKET!;
  const s3 = rt.s3();
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  } finally {
    s3.destroy();
  }
  return bucket;
}

/**
 * Drill injectors of the media feature (used by infra/local/drill.ts):
 *  - `media-upload`: a generated image (+ KYC reference) is uploaded to the media bucket and
 *    announced as `MediaUploaded`, exactly as the ingest path / S3 notification would;
 *  - `media-gallery-scan`: a generated gallery is uploaded and the scan-media state machine runs.
 */
export const MEDIA_INJECTORS: Record<
  string,
  (rt: LocalRuntime, step: Step, at: Date) => Promise<Injected>
> = {
  'media-upload': async (rt, step) => {
    const e = (step.event ?? {}) as {
      key: string;
      purpose?: string;
      applicant?: string;
      image: ImageSpec;
      reference?: { key: string; image: ImageSpec };
    };
    const bucket = await upload(rt, e.key, await image(rt, e.image));
    if (e.reference) await upload(rt, e.reference.key, await image(rt, e.reference.image));
    const out = await rt.invokeFunction('check-media', {
      version: '0',
      'detail-type': 'MediaUploaded',
      source: 'tourniquet.ingest',
      detail: {
        bucket,
        key: e.key,
        purpose: e.purpose ?? 'catalog',
        ...(e.applicant ? { applicant: e.applicant } : {}),
        ...(e.reference ? { referenceKey: e.reference.key } : {}),
        drill: true,
      },
    });
    return { statusCode: 200, body: JSON.stringify(out) };
  },
  'media-gallery-scan': async (rt, step) => {
    const e = (step.event ?? {}) as {
      prefix: string;
      count: number;
      synthetic: number[];
      syntheticImage: ImageSpec;
      genuineImage: ImageSpec;
    };
    const genuine = await image(rt, e.genuineImage);
    const synthetic = await image(rt, e.syntheticImage);
    const flagged = new Set(e.synthetic);
    let bucket = '';
    for (let i = 0; i < e.count; i++)
      bucket = await upload(
        rt,
        `${e.prefix}sku-${String(i).padStart(4, '0')}.jpg`,
        variant(flagged.has(i) ? synthetic : genuine, `sku ${i}`),
      );
    const rec = rt.startExecution('scan-media', {
      bucket,
      prefix: e.prefix,
      purpose: 'catalog',
      drill: true,
    });
    await rec.done;
    return {
      statusCode: rec.status === 'SUCCEEDED' ? 200 : 500,
      body: JSON.stringify({ status: rec.status, count: rec.output?.count, error: rec.error }),
    };
  },
};
