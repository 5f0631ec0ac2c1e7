import type { Alert } from '#contracts/alert.ts';
import { sha256Hex } from '#domain/pii-hash.ts';
import {
  braintreeChallengeResponse,
  verifyBraintreeSignature,
} from '#domain/webhooks/braintree-signature.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import { fragment, keys, makeAlert, type Severity } from './normalise/common.ts';

const SIGNALS: Record<string, { kind: string; severity: Severity }> = {
  dispute_opened: { kind: 'payment.dispute', severity: 'medium' },
  dispute_lost: { kind: 'payment.dispute-lost', severity: 'medium' },
  transaction_settlement_declined: { kind: 'payment.settlement-declined', severity: 'low' },
  disbursement_exception: { kind: 'payment.disbursement-exception', severity: 'medium' },
  sub_merchant_account_declined: { kind: 'payment.account-declined', severity: 'low' },
  oauth_access_revoked: { kind: 'payment.access-revoked', severity: 'medium' },
  payment_method_revoked_by_customer: { kind: 'payment.method-revoked', severity: 'low' },
};

/** Braintree webhook kinds that are not signals (braintree_node WebhookNotification.Kind). */
const KNOWN = new Set([
  'check',
  'account_updater_daily_report',
  'connected_merchant_paypal_status_changed',
  'connected_merchant_status_transitioned',
  'disbursement',
  'dispute_accepted',
  'dispute_auto_accepted',
  'dispute_disputed',
  'dispute_expired',
  'dispute_under_review',
  'dispute_won',
  'granted_payment_instrument_update',
  'granted_payment_method_revoked',
  'local_payment_completed',
  'local_payment_expired',
  'local_payment_funded',
  'local_payment_reversed',
  'partner_merchant_connected',
  'partner_merchant_declined',
  'partner_merchant_disconnected',
  'payment_method_customer_data_updated',
  'recipient_updated_granted_payment_method',
  'refund_failed',
  'sub_merchant_account_approved',
  'subscription_billing_skipped',
  'subscription_canceled',
  'subscription_charged_successfully',
  'subscription_charged_unsuccessfully',
  'subscription_expired',
  'subscription_trial_ended',
  'subscription_went_active',
  'subscription_went_past_due',
  'transaction_disbursed',
  'transaction_reviewed',
  'transaction_settled',
]);

/** Braintree retries for up to 24 h; a signed notification older than this is stale. */
export const BRAINTREE_MAX_AGE_MS = 72 * 3600_000;

const tag = (xml: string, name: string) =>
  new RegExp(`<${name}(?: [^>]*)?>([^<]{1,200})</${name}>`).exec(xml)?.[1]?.trim();

/**
 * Braintree: POST form `bt_signature` + `bt_payload` (HMAC-SHA1 keyed with SHA1(private key));
 * GET `?bt_challenge=` is answered with the verification string.
 */
export function braintreeVerifier(cfg: { publicKey: string; privateKey: string; drill: boolean }) {
  return (req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    if (req.method === 'GET') {
      const answer = braintreeChallengeResponse(
        req.query?.bt_challenge ?? '',
        cfg.publicKey,
        cfg.privateKey,
      );
      return answer
        ? { kind: 'reply', statusCode: 200, body: answer }
        : { kind: 'reject', statusCode: 400, reason: 'GET without a valid bt_challenge' };
    }
    const form = new URLSearchParams(req.rawBody.toString('utf8'));
    const payload = form.get('bt_payload') ?? undefined;
    const check = verifyBraintreeSignature(
      form.get('bt_signature') ?? undefined,
      payload,
      cfg.publicKey,
      cfg.privateKey,
    );
    if (!check.ok) return { kind: 'reject', statusCode: 401, reason: `signature ${check.reason}` };
    const xml = Buffer.from(payload!, 'base64').toString('utf8');
    const kind = tag(xml, 'kind');
    const timestamp = tag(xml, 'timestamp');
    if (!kind || !timestamp || !xml.includes('<notification'))
      return { kind: 'reject', statusCode: 422, reason: 'not a Braintree notification' };
    const at = new Date(timestamp);
    if (Number.isNaN(at.getTime()))
      return { kind: 'reject', statusCode: 422, reason: 'notification timestamp unreadable' };
    if (now.getTime() - at.getTime() > BRAINTREE_MAX_AGE_MS)
      return { kind: 'reject', statusCode: 401, reason: 'signature stale-timestamp' };
    const deliveryId = sha256Hex(payload!);
    const spec = SIGNALS[kind];
    if (!spec) {
      if (KNOWN.has(kind))
        return { kind: 'ignored', reason: `${kind} is not a signal`, deliveryId };
      return { kind: 'reject', statusCode: 422, reason: `unknown event type ${fragment(kind)}` };
    }
    const subject = xml.slice(xml.indexOf('<subject'));
    const objectId = tag(subject, 'id');
    const customer = tag(subject, 'customer-id');
    const order = tag(subject, 'order-id');
    const merchant = tag(subject, 'merchant-account-id');
    const safe = (v: string | undefined) => (v && /^[\w-]{1,64}$/.test(v) ? v : undefined);
    return {
      kind: 'alert',
      deliveryId,
      alert: makeAlert({
        alertId: `braintree:${deliveryId}`,
        source: 'braintree',
        kind: spec.kind,
        severityHint: spec.severity,
        occurredAt: at.toISOString(),
        receivedAt: now,
        sourceEventId: safe(objectId) ? `${kind}:${objectId}` : deliveryId,
        summary: `Braintree ${kind}`,
        correlationKeys: keys({
          customerIds: safe(customer) ? [`braintree:${customer}`] : undefined,
          orderIds: safe(order) ? [`magento:${order}`] : undefined,
          paymentIntents: safe(objectId) ? [`braintree:${objectId}`] : undefined,
          gatewayAccount: safe(merchant) ? `braintree:${merchant}` : undefined,
        }),
        evidence,
        drill: cfg.drill,
      }),
    };
  };
}
