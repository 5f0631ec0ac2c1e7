import type { Alert } from '#contracts/alert.ts';
import { sha256Hex } from '#domain/pii-hash.ts';
import {
  COMMERCE_SIGNATURE_HEADER,
  verifyCommerceWebhookSignature,
} from '#domain/webhooks/commerce-webhook-signature.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import { commerceAlertDraft, mapCommerceEvent } from './normalise/adobe-commerce.ts';
import { fragment, isoTime, makeAlert, obj, parseJson, str } from './normalise/common.ts';

/** The Commerce webhook response contract: an operation list; success lets Commerce proceed. */
export const COMMERCE_SUCCESS = JSON.stringify({ op: 'success' });

/**
 * Adobe Commerce webhooks (synchronous hooks): RSA-SHA256 with the PEM public key from the Admin
 * configuration, header `x-adobe-commerce-webhook-signature`. The hook name comes from the body
 * (`eventName`, or `hook` / `event.name`); webhooks carry no event id, so the delivery id is the
 * SHA-256 of the signed body.
 */
export function commerceWebhookVerifier(cfg: {
  publicKeyPem: string;
  drill: boolean;
  pepper?: string;
}) {
  return (req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    const check = verifyCommerceWebhookSignature(
      req.rawBody,
      req.headers[COMMERCE_SIGNATURE_HEADER],
      cfg.publicKeyPem,
    );
    if (!check.ok) return { kind: 'reject', statusCode: 401, reason: `signature ${check.reason}` };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    const body = obj(json);
    const name =
      str(body.eventName) ?? str(body.hook) ?? str(obj(body.event).name) ?? str(body.event);
    if (!name || !/^(observer|plugin)\.[A-Za-z0-9_.]{1,200}$/.test(name))
      return { kind: 'reject', statusCode: 422, reason: 'no Commerce event or hook name' };
    const mapped = mapCommerceEvent(name);
    const deliveryId = sha256Hex(req.rawBody);
    if (mapped.kind === 'unknown')
      return { kind: 'reject', statusCode: 422, reason: `unknown event type ${fragment(name)}` };
    if (mapped.kind === 'benign')
      return { kind: 'ignored', reason: `${name} is not a leak signal`, ack: COMMERCE_SUCCESS };
    const data = obj(body.data);
    const value = obj(data.value ?? data);
    return {
      kind: 'alert',
      deliveryId,
      ack: COMMERCE_SUCCESS,
      alert: makeAlert(
        commerceAlertDraft({
          source: 'commerce-webhook',
          eventName: name,
          spec: mapped.spec,
          eventId: deliveryId,
          occurredAt: isoTime(value.created_at ?? value.updated_at ?? body.time, now),
          value,
          receivedAt: now,
          evidence,
          drill: cfg.drill,
          ...(cfg.pepper ? { pepper: cfg.pepper } : {}),
        }),
      ),
    };
  };
}
