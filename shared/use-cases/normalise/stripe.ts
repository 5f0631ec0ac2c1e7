import { type Alert, AlertSchema } from '#contracts/alert.ts';

type StripeEvent = {
  id: string;
  type: string;
  created: number;
  livemode?: boolean;
  account?: string;
  data: { object: Record<string, unknown> };
};

/** Stripe event types Tourniquet acts on, with their alert kind and severity hint. */
const KINDS: Record<string, { kind: string; severity: Alert['severityHint'] }> = {
  'radar.early_fraud_warning.created': { kind: 'payment.early-fraud-warning', severity: 'high' },
  'charge.dispute.created': { kind: 'payment.dispute', severity: 'medium' },
  'review.opened': { kind: 'payment.review-opened', severity: 'medium' },
  'payment_intent.payment_failed': { kind: 'payment.failed', severity: 'low' },
  'account.updated': { kind: 'payment.account-updated', severity: 'low' },
};

export function isSupportedStripeType(type: string): boolean {
  return type in KINDS;
}

export function parseStripeEvent(raw: unknown): StripeEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const e = raw as Partial<StripeEvent>;
  if (typeof e.id !== 'string' || typeof e.type !== 'string' || typeof e.created !== 'number')
    return undefined;
  if (!e.data || typeof e.data !== 'object' || !e.data.object || typeof e.data.object !== 'object')
    return undefined;
  return e as StripeEvent;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;

/** Normalises a verified Stripe event into an Alert; ids only, no personal data. */
export function stripeEventToAlert(
  event: StripeEvent,
  receivedAt: Date,
  evidence: Alert['evidence'],
  drill: boolean,
): Alert {
  const spec = KINDS[event.type];
  if (!spec) throw new TypeError(`unsupported Stripe event type ${event.type}`);
  const o = event.data.object;
  const charge = (typeof o.charge === 'object' && o.charge ? o.charge : {}) as Record<
    string,
    unknown
  >;
  const pmDetails = (charge.payment_method_details ?? o.payment_method_details ?? {}) as Record<
    string,
    unknown
  >;
  const card = (pmDetails.card ?? {}) as Record<string, unknown>;
  const fingerprint =
    str(card.fingerprint) ?? str((o as { card_fingerprint?: unknown }).card_fingerprint);
  const customer = str(o.customer) ?? str(charge.customer);
  const paymentIntent = str(o.payment_intent) ?? str(charge.payment_intent);
  return AlertSchema.parse({
    schemaVersion: 1,
    alertId: `stripe:${event.id}`,
    source: 'stripe',
    kind: spec.kind,
    severityHint: spec.severity,
    occurredAt: new Date(event.created * 1000).toISOString(),
    receivedAt: receivedAt.toISOString(),
    sourceEventId: event.id,
    summary: `Stripe ${event.type}${str(o.fraud_type) ? ` (${str(o.fraud_type)})` : ''}`,
    correlationKeys: {
      ...(customer ? { customerIds: [`stripe:${customer}`] } : {}),
      ...(fingerprint ? { cardFingerprints: [fingerprint] } : {}),
      ...(paymentIntent ? { paymentIntents: [paymentIntent] } : {}),
      ...(event.account ? { gatewayAccount: event.account } : {}),
    },
    evidence,
    drill,
  });
}
