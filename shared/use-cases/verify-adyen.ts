import type { Alert } from '#contracts/alert.ts';
import { verifyAdyenItem } from '#domain/webhooks/adyen-hmac.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import {
  fragment,
  id,
  isoTime,
  keys,
  makeAlert,
  obj,
  parseJson,
  type Severity,
  str,
} from './normalise/common.ts';

/** Adyen's acknowledgement: anything else makes Adyen retry. */
export const ADYEN_ACK = '[accepted]';

/** Event codes that are breach or fraud signals. */
const SIGNALS: Record<string, { kind: string; severity: Severity }> = {
  NOTIFICATION_OF_FRAUD: { kind: 'payment.fraud-notification', severity: 'high' },
  CHARGEBACK: { kind: 'payment.chargeback', severity: 'medium' },
  SECOND_CHARGEBACK: { kind: 'payment.chargeback', severity: 'high' },
  NOTIFICATION_OF_CHARGEBACK: { kind: 'payment.chargeback-notice', severity: 'medium' },
  PREARBITRATION_LOST: { kind: 'payment.dispute-lost', severity: 'medium' },
  REQUEST_FOR_INFORMATION: { kind: 'payment.dispute', severity: 'low' },
  MANUAL_REVIEW_REJECT: { kind: 'payment.review-rejected', severity: 'medium' },
};

/** The rest of Adyen's documented wire values (integrations.md §D.2): acknowledged, no alert. */
const KNOWN = new Set([
  'AUTHORISATION',
  'AUTHORISATION_ADJUSTMENT',
  'CANCELLATION',
  'CANCEL_OR_REFUND',
  'CAPTURE',
  'CAPTURE_FAILED',
  'HANDLED_EXTERNALLY',
  'ORDER_OPENED',
  'ORDER_CLOSED',
  'REFUND',
  'REFUND_FAILED',
  'REFUNDED_REVERSED',
  'REFUND_WITH_DATA',
  'REPORT_AVAILABLE',
  'VOID_PENDING_REFUND',
  'CHARGEBACK_REVERSED',
  'PREARBITRATION_WON',
  'PAYOUT_EXPIRE',
  'PAYOUT_DECLINE',
  'PAYOUT_THIRDPARTY',
  'PAIDOUT_REVERSED',
  'PENDING',
  'PROCESS_RETRY',
  'AUTORESCUE',
  'CANCEL_AUTORESCUE',
  'RECURRING_CONTRACT',
  'POSTPONED_REFUND',
  'OFFER_CLOSED',
  'MANUAL_REVIEW_ACCEPT',
]);

/**
 * Adyen standard notifications: every `NotificationRequestItem` carries its own HMAC
 * (`additionalData.hmacSignature`, hex key, base64); one bad item rejects the request.
 * Duplicates are recognised by pspReference + eventCode + success, as Adyen documents.
 */
export function adyenVerifier(cfg: { hmacKeyHex: string; drill: boolean }) {
  return (_req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    const json = parseJson(_req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    const list = obj(json).notificationItems;
    if (!Array.isArray(list) || list.length === 0 || list.length > 100)
      return { kind: 'reject', statusCode: 422, reason: 'no notificationItems' };
    const items: Array<{ alert: Alert; deliveryId: string }> = [];
    for (const [n, wrapper] of list.entries()) {
      const item = obj(obj(wrapper).NotificationRequestItem);
      const extra = obj(item.additionalData);
      const amount = obj(item.amount);
      const fields = {
        pspReference: str(item.pspReference),
        originalReference: str(item.originalReference),
        merchantAccountCode: str(item.merchantAccountCode),
        merchantReference: str(item.merchantReference),
        amount: { value: str(amount.value), currency: str(amount.currency) },
        eventCode: str(item.eventCode),
        success: typeof item.success === 'boolean' ? String(item.success) : str(item.success),
      };
      if (!verifyAdyenItem(fields, str(extra.hmacSignature), cfg.hmacKeyHex))
        return { kind: 'reject', statusCode: 401, reason: `item ${n}: hmacSignature no-match` };
      const code = fields.eventCode ?? '';
      if (!fields.pspReference)
        return { kind: 'reject', statusCode: 422, reason: `item ${n}: no pspReference` };
      const spec = SIGNALS[code];
      if (!spec) {
        if (KNOWN.has(code)) continue;
        return { kind: 'reject', statusCode: 422, reason: `unknown event type ${fragment(code)}` };
      }
      const deliveryId = `${fields.pspReference}:${code}:${fields.success ?? ''}`;
      const shopper = id(extra.shopperReference);
      const order = id(fields.merchantReference);
      const alias = id(extra.alias ?? extra['recurring.recurringDetailReference']);
      items.push({
        deliveryId,
        alert: makeAlert({
          alertId: `adyen:${deliveryId}`,
          source: 'adyen',
          kind: spec.kind,
          severityHint: spec.severity,
          occurredAt: isoTime(item.eventDate, now),
          receivedAt: now,
          sourceEventId: deliveryId,
          summary: `Adyen ${code}${extra.totalFraudScore !== undefined ? ` (fraud score ${fragment(extra.totalFraudScore)})` : ''}`,
          correlationKeys: keys({
            customerIds: shopper ? [`adyen:${shopper}`] : undefined,
            orderIds: order ? [`magento:${order}`] : undefined,
            paymentIntents: [`adyen:${id(fields.pspReference)}`],
            cardFingerprints: alias ? [`adyen:${alias}`] : undefined,
            gatewayAccount: fields.merchantAccountCode
              ? `adyen:${id(fields.merchantAccountCode)}`
              : undefined,
          }),
          evidence,
          drill: cfg.drill,
        }),
      });
    }
    if (items.length === 0)
      return { kind: 'ignored', reason: 'no fraud or dispute items', ack: ADYEN_ACK };
    return { kind: 'alerts', items, ack: ADYEN_ACK };
  };
}
