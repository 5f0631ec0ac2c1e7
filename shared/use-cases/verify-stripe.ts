import type { Alert } from '#contracts/alert.ts';
import { verifyStripeSignature } from '#domain/webhooks/stripe-signature.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import { isSupportedStripeType, parseStripeEvent, stripeEventToAlert } from './normalise/stripe.ts';

/** Stripe-Signature check, then parse and normalise. The secret is the whole `whsec_…` string. */
export function stripeVerifier(secret: string, drill: boolean) {
  return (req: WebhookRequest, evidence: Alert['evidence'], now: Date): VerifyOutcome => {
    const check = verifyStripeSignature(
      req.rawBody,
      req.headers['stripe-signature'],
      secret,
      Math.floor(now.getTime() / 1000),
    );
    if (!check.ok) return { kind: 'reject', statusCode: 401, reason: `signature ${check.reason}` };
    let json: unknown;
    try {
      json = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    }
    const event = parseStripeEvent(json);
    if (!event) return { kind: 'reject', statusCode: 422, reason: 'not a Stripe event object' };
    if (!isSupportedStripeType(event.type)) {
      return {
        kind: 'reject',
        statusCode: 422,
        reason: `unknown event type ${event.type.slice(0, 80)}`,
      };
    }
    return {
      kind: 'alert',
      alert: stripeEventToAlert(event, now, evidence, drill),
      deliveryId: event.id,
    };
  };
}
