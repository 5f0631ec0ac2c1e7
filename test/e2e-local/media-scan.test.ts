import { GetObjectTaggingCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { verifyChain } from '#domain/timeline.ts';
import { DST, makeImage, sha256, variant } from '#local/media-fixtures.ts';
import { LocalRuntime } from '#local/runtime.ts';

const IMAGES = 1000;
const SYNTHETIC_EVERY = 50; // 20 generated images hidden in the gallery

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function putAll(s3: S3Client, bucket: string, objects: Array<[string, Buffer]>) {
  for (let i = 0; i < objects.length; i += 50)
    await Promise.all(
      objects
        .slice(i, i + 50)
        .map(([Key, Body]) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }))),
    );
}

describe('media checks on the local runtime', () => {
  let rt: LocalRuntime;
  let s3: S3Client;
  let bucket: string;
  let store: DynamoIncidentStore;
  beforeAll(async () => {
    rt = await LocalRuntime.start({
      stage: 'drill',
      context: { 'tourniquet:rekognitionTps': '2000' },
    });
    s3 = rt.s3();
    bucket = rt.functionEnv('check-media').MEDIA_BUCKET!;
    store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  });
  afterAll(async () => {
    s3?.destroy();
    await rt?.stop();
  });

  it('S3 object-created event: tags the object, opens a deepfake-media incident, writes the timeline', async () => {
    const selfie = makeImage({ seed: 5001 });
    const id = makeImage({ seed: 5002 });
    rt.rekognition.fixtures.set(sha256(selfie), { faces: [{}], similarity: 35 });
    rt.rekognition.fixtures.set(sha256(id), { faces: [{}] });
    await putAll(s3, bucket, [
      ['kyc/app-77/selfie.jpg', selfie],
      ['kyc/app-77/id.jpg', id],
    ]);
    const out = (await rt.invokeFunction('check-media', {
      'detail-type': 'MediaUploaded',
      source: 'tourniquet.ingest',
      detail: {
        bucket,
        key: 'kyc/app-77/selfie.jpg',
        purpose: 'kyc-selfie',
        applicant: 'app-77',
        referenceKey: 'kyc/app-77/id.jpg',
        drill: true,
      },
    })) as { verdict: string; signals: string[]; alerted: boolean };
    expect(out).toMatchObject({ verdict: 'suspected-manipulation', alerted: true });
    expect(out.signals).toContain('rekognition.face-mismatch');
    const tags = await s3.send(
      new GetObjectTaggingCommand({ Bucket: bucket, Key: 'kyc/app-77/selfie.jpg' }),
    );
    expect(tags.TagSet).toContainEqual({
      Key: 'tourniquet:media-verdict',
      Value: 'suspected-manipulation',
    });
    const incidents = (await store.listIncidents(100)).filter(
      (i) => i.classification === 'deepfake-media',
    );
    expect(incidents).toHaveLength(1);
    const timeline = await store.readTimeline(incidents[0]!.incidentId);
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['alert.received', 'incident.declared', 'media.checked']),
    );
    expect(verifyChain(timeline).verified).toBe(true);
    // the S3 EventBridge shape is accepted too; a plain image is unknown, tagged, no alert
    const plain = makeImage({ seed: 5003 });
    await putAll(s3, bucket, [['catalog/plain.jpg', plain]]);
    const o2 = await rt.invokeFunction('check-media', {
      'detail-type': 'Object Created',
      source: 'aws.s3',
      detail: { bucket: { name: bucket }, object: { key: 'catalog/plain.jpg' } },
    });
    expect(o2).toMatchObject({ verdict: 'unknown', alerted: false });
  });

  it(`scan-media over ${IMAGES} generated images (inline Map locally)`, async () => {
    const base = {
      jpeg: makeImage({ seed: 10_001, width: 64, height: 64 }),
      png: makeImage({ seed: 10_002, width: 64, height: 64, format: 'png' }),
      jpegAttr: makeImage({
        seed: 10_003,
        xmp: { dst: DST('trainedAlgorithmicMedia'), form: 'attribute' },
      }),
      pngElem: makeImage({
        seed: 10_004,
        format: 'png',
        xmp: { dst: DST('trainedAlgorithmicMedia'), form: 'element' },
      }),
    };
    const objects: Array<[string, Buffer]> = [];
    for (let i = 0; i < IMAGES; i++) {
      const synthetic = i % SYNTHETIC_EVERY === 0;
      const png = i % 3 === 0;
      const src = synthetic ? (png ? base.pngElem : base.jpegAttr) : png ? base.png : base.jpeg;
      objects.push([
        `gallery/sku-${String(i).padStart(4, '0')}.${src[0] === 0xff ? 'jpg' : 'png'}`,
        variant(src, `sku ${i}`),
      ]);
    }
    await putAll(s3, bucket, objects);
    const t0 = performance.now();
    const rec = rt.startExecution('scan-media', {
      bucket,
      prefix: 'gallery/',
      purpose: 'catalog',
      drill: true,
    });
    await rec.done;
    const ms = performance.now() - t0;
    expect(rec.status, rec.cause).toBe('SUCCEEDED');
    const results = rec.output.results as Array<{ key: string; verdict: string; alerted: boolean }>;
    expect(rec.output.count).toBe(IMAGES);
    const byVerdict: Record<string, number> = {};
    for (const r of results) byVerdict[r.verdict] = (byVerdict[r.verdict] ?? 0) + 1;
    expect(byVerdict).toEqual({
      synthetic: IMAGES / SYNTHETIC_EVERY,
      unknown: IMAGES - IMAGES / SYNTHETIC_EVERY,
    });
    // the same gallery correlates into one incident
    const gallery = await until(async () => {
      const g = (await store.listIncidents(100)).filter((i) =>
        i.correlationKeys.includes(`dataset:s3://${bucket}/gallery/`),
      );
      if (g.length !== 1) return undefined;
      const a = await store.listAlerts(g[0]!.incidentId);
      return a.length === IMAGES / SYNTHETIC_EVERY ? g : undefined;
    }, 120_000);
    expect(gallery).toHaveLength(1);
    const alerts = await store.listAlerts(gallery[0]!.incidentId);
    expect(alerts).toHaveLength(IMAGES / SYNTHETIC_EVERY);
    console.log(
      `scan-media: ${IMAGES} images in ${(ms / 1000).toFixed(1)} s (${((IMAGES * 1000) / ms).toFixed(0)} images/s)`,
    );
  }, 240_000); // a scale run: 1,000 images plus 20 containment passes; slow on a loaded machine
});
