import type { Alert } from '#contracts/alert.ts';
import { hashEmail } from '#domain/pii-hash.ts';
import { verifyHexHmac } from '#domain/webhooks/hmac-digest.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import { fragment, id, isoTime, keys, makeAlert, obj, parseJson, str } from './normalise/common.ts';

/** Sumsub-style headers: hex HMAC of the raw body and its algorithm. */
export const KYC_DIGEST_HEADER = 'x-payload-digest';
export const KYC_ALG_HEADER = 'x-payload-digest-alg';

/** Applicant webhook types that are acknowledged without an alert. */
const KNOWN = new Set([
  'applicantCreated',
  'applicantPending',
  'applicantOnHold',
  'applicantPersonalInfoChanged',
  'applicantReset',
  'applicantActivated',
  'applicantDeactivated',
  'applicantDeleted',
  'applicantLevelChanged',
  'applicantPrechecked',
  'applicantActionPending',
  'applicantActionReviewed',
  'applicantActionOnHold',
  'applicantWorkflowCompleted',
  'applicantWorkflowFailed',
  'videoIdentStatusChanged',
]);

/**
 * Identity verification in the shape of Sumsub's `applicantReviewed`: GREEN and RED reviews both
 * become alerts keyed by the applicant, so a later RED after a GREEN lands in the same incident
 * (and raises its severity) instead of opening a new one.
 */
export function kycVerifier(cfg: { secret: string; drill: boolean; pepper?: string }) {
  return (req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    if (
      !verifyHexHmac(
        req.rawBody,
        req.headers[KYC_DIGEST_HEADER],
        cfg.secret,
        req.headers[KYC_ALG_HEADER] ?? 'HMAC_SHA256_HEX',
      )
    )
      return { kind: 'reject', statusCode: 401, reason: 'signature no-match' };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    const b = obj(json);
    const type = str(b.type);
    const applicant = id(b.applicantId);
    if (!type || !applicant)
      return {
        kind: 'reject',
        statusCode: 422,
        reason: 'not an applicant webhook (type, applicantId)',
      };
    const review = obj(b.reviewResult);
    const answer = str(review.reviewAnswer);
    const stamp = fragment(b.createdAtMs ?? b.createdAt ?? b.correlationId ?? '');
    const deliveryId = `${applicant}:${type}:${answer ?? ''}:${stamp}`;
    if (type !== 'applicantReviewed') {
      if (KNOWN.has(type))
        return { kind: 'ignored', reason: `${type} is not a signal`, deliveryId };
      return { kind: 'reject', statusCode: 422, reason: `unknown event type ${fragment(type)}` };
    }
    if (answer !== 'GREEN' && answer !== 'RED')
      return { kind: 'reject', statusCode: 422, reason: 'reviewAnswer must be GREEN or RED' };
    const external = str(b.externalUserId);
    const isEmail = external?.includes('@');
    const labels = Array.isArray(review.rejectLabels)
      ? review.rejectLabels.filter(
          (l): l is string => typeof l === 'string' && /^[A-Z_]{1,64}$/.test(l),
        )
      : [];
    const final = str(review.reviewRejectType) !== 'RETRY';
    return {
      kind: 'alert',
      deliveryId,
      alert: makeAlert({
        alertId: `kyc:${deliveryId}`,
        source: 'kyc',
        kind: answer === 'RED' ? 'kyc.review-rejected' : 'kyc.review-passed',
        severityHint: answer === 'GREEN' ? 'low' : final ? 'high' : 'medium',
        occurredAt: isoTime(b.createdAtMs ?? b.createdAt, now),
        receivedAt: now,
        sourceEventId: deliveryId,
        summary:
          answer === 'RED'
            ? `KYC review RED (${final ? 'final' : 'retry'}${labels.length ? `: ${labels.slice(0, 5).join(', ')}` : ''})`
            : 'KYC review GREEN',
        correlationKeys: keys({
          applicant: `kyc:${applicant}`,
          customerIds: external && !isEmail ? [`magento:${id(external)}`] : undefined,
          emailHashes: external && isEmail ? [hashEmail(external, cfg.pepper)] : undefined,
        }),
        evidence,
        drill: cfg.drill,
      }),
    };
  };
}
