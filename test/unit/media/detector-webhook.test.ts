import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEDIA_THRESHOLDS } from '#domain/media/verdict.ts';
import { hexHmac } from '#domain/webhooks/hmac-digest.ts';
import type { WebhookDeps } from '#runtime/webhook-function.ts';
import { DETECTOR_SIGNATURE_HEADER, detectorVerifier } from '#use-cases/verify-detector.ts';
import { makeHandler } from '../../../functions/ingest-detector-webhook.ts';
import { fakes, urlEvent } from '../ingest/helpers.ts';

const SECRET = 'detector-shared-secret';
const SHA = 'ab'.repeat(32);

function setup(thresholds = DEFAULT_MEDIA_THRESHOLDS) {
  const f = fakes();
  const h = makeHandler({
    ...f.base,
    verifier: async () => detectorVerifier({ secret: SECRET, drill: false, thresholds }),
  } as WebhookDeps);
  return { f, h };
}
const signed = (body: unknown, secret = SECRET) => {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return urlEvent(raw, { [DETECTOR_SIGNATURE_HEADER]: hexHmac(raw, secret) });
};
const result = (over: Record<string, unknown> = {}) => ({
  resultId: 'res-1',
  bucket: 'tourniquet-media',
  key: 'kyc/app-7/selfie.jpg',
  sha256: SHA,
  model: 'vendor-deepfake-v3',
  status: 'ok',
  score: 0.97,
  purpose: 'kyc-selfie',
  applicant: 'app-7',
  completedAt: '2026-03-02T09:59:00Z',
  ...over,
});

describe('ingest-detector-webhook (third-party detector results)', () => {
  it('a score over the synthetic threshold becomes a media.synthetic alert keyed by the object and applicant', async () => {
    const { f, h } = setup();
    const res = await h(signed(result()));
    expect(res.statusCode).toBe(200);
    const [alert] = f.alerts();
    expect(alert).toMatchObject({
      source: 'media-detector',
      kind: 'media.synthetic',
      severityHint: 'high',
      occurredAt: '2026-03-02T09:59:00.000Z',
      correlationKeys: {
        mediaObject: 's3://tourniquet-media/kyc/app-7/selfie.jpg',
        applicant: 'kyc:app-7',
      },
      evidence: { bucket: 'tourniquet-media', key: 'kyc/app-7/selfie.jpg' },
    });
    // the score stays internal: the summary names the signal and model, never the number
    expect(alert!.summary).toContain('detector.score');
    expect(alert!.summary).not.toContain('0.97');
    // a redelivery of the same result is a duplicate, no second alert
    const again = await h(signed(result()));
    expect(JSON.parse(again.body)).toMatchObject({ duplicate: true });
    expect(f.published).toHaveLength(1);
  });

  it('between the thresholds: suspected manipulation (medium for a catalog image); thresholds are configuration', async () => {
    const { f, h } = setup();
    await h(
      signed(result({ resultId: 'res-2', score: 0.7, purpose: 'catalog', applicant: undefined })),
    );
    expect(f.alerts()[0]).toMatchObject({
      kind: 'media.suspected-manipulation',
      severityHint: 'medium',
    });
    const strict = setup({ ...DEFAULT_MEDIA_THRESHOLDS, detectorSuspect: 0.8 });
    const r = await strict.h(signed(result({ resultId: 'res-2', score: 0.7 })));
    expect(JSON.parse(r.body)).toMatchObject({ ignored: 'below the detector thresholds' });
    expect(strict.f.published).toHaveLength(0);
  });

  it('low scores and non-ok statuses are acknowledged without an alert (a detector never clears an image)', async () => {
    const { f, h } = setup();
    for (const over of [
      { score: 0.1 },
      { status: 'pending', score: undefined },
      { status: 'error', score: undefined },
      { status: 'unsupported', score: 0.99 },
    ]) {
      const res = await h(signed(result(over)));
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body).received).toBe(true);
    }
    expect(f.published).toHaveLength(0);
    expect(f.quarantined).toHaveLength(0);
  });

  it.each([
    ['wrong secret', () => signed(result(), 'other-secret'), 401, 'signature no-match'],
    ['no signature', () => urlEvent(JSON.stringify(result())), 401, 'signature no-match'],
    ['not JSON', () => signed('not json {'), 400, 'body is not JSON'],
    ['bad hash', () => signed(result({ sha256: 'xyz' })), 422, 'not a detector result: sha256'],
    ['score out of range', () => signed(result({ score: 7 })), 422, 'not a detector result: score'],
    [
      'ok without score',
      () => signed(result({ score: undefined })),
      422,
      'status ok without a score',
    ],
    [
      'unknown status',
      () => signed(result({ status: 'maybe' })),
      422,
      'not a detector result: status',
    ],
  ])('%s → %i, quarantined, nothing published', async (_n, event, status, reason) => {
    const { f, h } = setup();
    const res = await h(event());
    expect(res.statusCode).toBe(status);
    expect(JSON.parse(res.body).error).toContain(reason);
    expect(f.published).toHaveLength(0);
    expect(f.quarantined).toHaveLength(1);
    // the rejection reason never echoes submitted values
    expect(res.body).not.toContain('maybe');
  });

  it('a bus failure answers 503 and forgets the delivery, so the vendor retry is accepted', async () => {
    const { f, h } = setup();
    const publish = f.base.publisher.publish;
    f.base.publisher.publish = async () => {
      throw new Error('bus down');
    };
    expect((await h(signed(result()))).statusCode).toBe(503);
    f.base.publisher.publish = publish;
    expect((await h(signed(result()))).statusCode).toBe(200);
    expect(f.published).toHaveLength(1);
  });

  it('arbitrary signed bodies never crash the handler: 2xx or a one-line 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.anything().map((v) => JSON.stringify(v) ?? ''),
        ),
        async (raw) => {
          const { h } = setup();
          const res = await h(signed(raw));
          expect([200, 400, 422]).toContain(res.statusCode);
          expect(res.body).not.toContain('\n');
        },
      ),
      { numRuns: 200 },
    );
  });
});
