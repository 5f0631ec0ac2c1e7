import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoIncidentStore } from '#adapters/dynamo-incident-store.ts';
import { hexHmac } from '#domain/webhooks/hmac-digest.ts';
import { functionUrlEvent } from '#local/function-url-event.ts';
import { makeImage, sha256 } from '#local/media-fixtures.ts';
import { LocalRuntime } from '#local/runtime.ts';
import { DETECTOR_SIGNATURE_HEADER } from '#use-cases/verify-detector.ts';

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Vendor detector results through the ingest path into triage, on the local runtime. */
describe('third-party detector webhook → deepfake-media incident (local runtime)', () => {
  let rt: LocalRuntime;
  let s3: S3Client;
  let bucket: string;
  let store: DynamoIncidentStore;
  const post = async (body: Record<string, unknown>) => {
    const raw = JSON.stringify(body);
    const secret = rt.secret('DetectorWebhookSecret');
    return (await rt.invokeFunction(
      'ingest-detector-webhook',
      functionUrlEvent(raw, { [DETECTOR_SIGNATURE_HEADER]: hexHmac(raw, secret) }),
    )) as { statusCode: number; body: string };
  };
  const deepfakeIncidents = async (key: string) =>
    (await store.listIncidents(100)).filter(
      (i) =>
        i.classification === 'deepfake-media' &&
        i.correlationKeys.includes(`mediaObject:s3://${bucket}/${key}`),
    );

  beforeAll(async () => {
    rt = await LocalRuntime.start({ stage: 'drill' });
    s3 = rt.s3();
    bucket = rt.functionEnv('check-media').MEDIA_BUCKET!;
    store = new DynamoIncidentStore(rt.dynamo(), rt.tableName());
  }, 120_000);
  afterAll(async () => {
    s3?.destroy();
    await rt?.stop();
  });

  it('a synthetic score opens a deepfake-media incident for the object', async () => {
    const img = makeImage({ seed: 30_001 });
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'kyc/app-31/selfie.jpg', Body: img }),
    );
    const res = await post({
      resultId: 'vendor-res-31',
      bucket,
      key: 'kyc/app-31/selfie.jpg',
      sha256: sha256(img),
      model: 'vendor-deepfake-v3',
      status: 'ok',
      score: 0.96,
      purpose: 'kyc-selfie',
      applicant: 'app-31',
    });
    expect(res.statusCode).toBe(200);
    // triage writes the incident, then its alert record: wait for both
    const [incident] = await until(async () => {
      const found = await deepfakeIncidents('kyc/app-31/selfie.jpg');
      if (found.length === 0) return undefined;
      return (await store.listAlerts(found[0]!.incidentId)).length > 0 ? found : undefined;
    });
    expect(incident!.correlationKeys).toContain('applicant:kyc:app-31');
    const alerts = await store.listAlerts(incident!.incidentId);
    expect(alerts.map((a) => a.source)).toEqual(['media-detector']);
  });

  it('a detector result on an object check-media already flagged updates the same incident', async () => {
    const img = makeImage({ seed: 30_002, software: 'Midjourney v6' });
    const key = 'catalog/product/m/j/mj.jpg';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: img }));
    const checked = (await rt.invokeFunction('check-media', {
      bucket,
      key,
      purpose: 'catalog',
      drill: true,
    })) as { verdict: string; alerted: boolean };
    expect(checked).toMatchObject({ verdict: 'synthetic', alerted: true });
    const [first] = await until(async () => {
      const found = await deepfakeIncidents(key);
      return found.length === 1 ? found : undefined;
    });
    const res = await post({
      bucket,
      key,
      sha256: sha256(img),
      model: 'vendor-deepfake-v3',
      status: 'ok',
      score: 0.75,
    });
    expect(res.statusCode).toBe(200);
    const alerts = await until(async () => {
      const a = await store.listAlerts(first!.incidentId);
      return a.length === 2 ? a : undefined;
    });
    expect(alerts.map((a) => a.source).sort()).toEqual(['media-check', 'media-detector']);
    expect(await deepfakeIncidents(key)).toHaveLength(1);
  });

  it('an unsigned result is refused 401 and kept as quarantined evidence', async () => {
    const res = (await rt.invokeFunction(
      'ingest-detector-webhook',
      functionUrlEvent(JSON.stringify({ bucket, key: 'x.jpg' }), {}),
    )) as { statusCode: number; body: string };
    expect(res.statusCode).toBe(401);
    const quarantine = rt.functionEnv('ingest-detector-webhook').QUARANTINE_BUCKET!;
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: quarantine, Prefix: 'quarantine/detector/' }),
    );
    expect(listed.Contents?.length).toBe(1);
  });
});
