import { createHash } from 'node:crypto';
import type { Alert } from '#contracts/alert.ts';
import { DetectorResultSchema } from '#contracts/media.ts';
import { assessDetectorResult, type MediaThresholds } from '#domain/media/verdict.ts';
import { verifyHexHmac } from '#domain/webhooks/hmac-digest.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import { isoTime, keys, makeAlert, parseJson } from './normalise/common.ts';

/** Hex HMAC-SHA256 of the raw body with the shared secret (like the eComscan relay). */
export const DETECTOR_SIGNATURE_HEADER = 'x-detector-signature';

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40);

/**
 * A third-party deepfake detector's result, pushed by the vendor:
 * `{ resultId?, bucket, key, sha256, model, status, score?, purpose?, applicant?, completedAt? }`.
 * The score is judged with the media thresholds (the same as check-media's); `synthetic` or
 * `suspected-manipulation` becomes an `Alert` kind `media.<verdict>` correlated by the media
 * object (and the KYC applicant), so triage opens or updates the `deepfake-media` incident that
 * check-media alerts on the same object land in. A result under the thresholds, or one that is
 * not `ok`, is acknowledged without an alert (a detector alone never clears an image). The score
 * stays internal: the alert's summary names the signal and the model only.
 */
export function detectorVerifier(cfg: {
  secret: string;
  drill: boolean;
  thresholds: MediaThresholds;
}) {
  return (req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    if (!verifyHexHmac(req.rawBody, req.headers[DETECTOR_SIGNATURE_HEADER], cfg.secret))
      return { kind: 'reject', statusCode: 401, reason: 'signature no-match' };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    const parsed = DetectorResultSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return {
        kind: 'reject',
        statusCode: 422,
        reason: `not a detector result: ${i?.path.join('.') || '(root)'}: ${i?.code ?? 'invalid'}`,
      };
    }
    const r = parsed.data;
    if (r.status === 'ok' && r.score === undefined)
      return { kind: 'reject', statusCode: 422, reason: 'status ok without a score' };
    const deliveryId = `${r.resultId ?? r.sha256}:${short(`${r.model}\n${r.status}\n${r.score ?? ''}`)}`;
    const { verdict, signals } = assessDetectorResult(
      { model: r.model, status: r.status, ...(r.score !== undefined ? { score: r.score } : {}) },
      cfg.thresholds,
    );
    if (verdict !== 'synthetic' && verdict !== 'suspected-manipulation')
      return {
        kind: 'ignored',
        reason: r.status === 'ok' ? 'below the detector thresholds' : `detector status ${r.status}`,
        deliveryId,
      };
    const mediaObject = `s3://${r.bucket}/${r.key}`;
    return {
      kind: 'alert',
      deliveryId,
      alert: makeAlert({
        alertId: `detector:${short(deliveryId)}`,
        source: 'media-detector',
        kind: `media.${verdict}`,
        severityHint: r.purpose === 'catalog' && verdict !== 'synthetic' ? 'medium' : 'high',
        occurredAt: isoTime(r.completedAt, now),
        receivedAt: now,
        sourceEventId: r.resultId ?? r.sha256,
        summary:
          `${r.purpose} image ${verdict} (third-party detector ${r.model}): ${signals.map((s) => s.name).join(', ')}`.slice(
            0,
            500,
          ),
        correlationKeys: keys({
          mediaObject: mediaObject.slice(0, 1024),
          applicant: r.applicant ? `kyc:${r.applicant}` : undefined,
        }),
        evidence: { ...evidence, bucket: r.bucket, key: r.key },
        drill: cfg.drill,
      }),
    };
  };
}
