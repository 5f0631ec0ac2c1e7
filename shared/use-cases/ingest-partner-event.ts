import { createHash } from 'node:crypto';
import type { Alert } from '#contracts/alert.ts';
import { DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import type { IngestDeps, VerifyOutcome } from './ingest-webhook.ts';
import { fragment, obj, str } from './normalise/common.ts';
import { isSupportedStripeType, parseStripeEvent, stripeEventToAlert } from './normalise/stripe.ts';
import { adobeIoEventOutcome } from './verify-adobe-io.ts';

export interface PartnerEvent {
  source?: unknown;
  'detail-type'?: unknown;
  detail?: unknown;
}

export interface PartnerResult {
  status: 'published' | 'duplicate' | 'ignored' | 'rejected';
  alertId?: string;
  reason?: string;
}

/**
 * Stripe and Adobe I/O events delivered by an EventBridge partner event source. EventBridge has
 * authenticated the sender, so there is no signature; the rest is the webhook path: normalise,
 * deduplicate on the same delivery ids as the webhooks (an event arriving both ways is one alert),
 * publish. Malformed events are quarantined and reported, never retried.
 */
export async function ingestPartnerEvent(
  deps: IngestDeps & { drill: boolean; pepper?: string },
  event: PartnerEvent,
): Promise<PartnerResult> {
  const now = deps.clock.now();
  const raw = Buffer.from(JSON.stringify(event ?? null));
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const evidence: Alert['evidence'] = { sha256, bytes: raw.length };
  const src = str(event?.source) ?? '';
  let source: 'stripe' | 'adobe-io' | undefined;
  let outcome: VerifyOutcome;
  if (src.startsWith('aws.partner/stripe.com')) {
    source = 'stripe';
    const e = parseStripeEvent(event.detail);
    outcome = !e
      ? { kind: 'reject', statusCode: 422, reason: 'detail is not a Stripe event' }
      : !isSupportedStripeType(e.type)
        ? { kind: 'ignored', reason: `${fragment(e.type)} is not a signal` }
        : {
            kind: 'alert',
            deliveryId: e.id,
            alert: stripeEventToAlert(e, now, evidence, deps.drill),
          };
  } else if (src.startsWith('aws.partner/adobe.io') || src.startsWith('aws.partner/adobe.com')) {
    source = 'adobe-io';
    const detail = obj(event.detail);
    // Forwarded I/O events carry the CloudEvent as detail (or wrap it in `event`).
    const envelope = detail.type !== undefined ? detail : obj(detail.event);
    try {
      outcome = adobeIoEventOutcome(
        envelope,
        { drill: deps.drill, ...(deps.pepper ? { pepper: deps.pepper } : {}) },
        evidence,
        now,
      );
    } catch (err) {
      outcome = {
        kind: 'reject',
        statusCode: 422,
        reason: `invalid event (${(err as Error).name})`,
      };
    }
  } else {
    outcome = {
      kind: 'reject',
      statusCode: 422,
      reason: `unknown partner source ${fragment(src)}`,
    };
  }
  if (outcome.kind === 'reject') {
    await deps.quarantine.put(
      `quarantine/partner-event/${now.toISOString().slice(0, 10)}/${sha256}.json`,
      JSON.stringify({ reason: outcome.reason, receivedAt: now.toISOString(), sha256, event }),
      'application/json',
      { 'tourniquet:quarantine': 'rejected-partner-event' },
    );
    return { status: 'rejected', reason: outcome.reason };
  }
  if (outcome.kind !== 'alert') return { status: 'ignored', reason: 'not a signal' };
  const deliveryKey = `${source}:${outcome.deliveryId}`;
  if (!(await deps.store.markDelivery(deliveryKey, now.toISOString())))
    return { status: 'duplicate', alertId: outcome.alert.alertId };
  try {
    await deps.publisher.publish([
      { source: EVENT_SOURCE.ingest, detailType: DETAIL_TYPE.alert, detail: outcome.alert },
    ]);
  } catch (err) {
    await deps.store.forgetDelivery?.(deliveryKey).catch(() => undefined);
    throw err;
  }
  return { status: 'published', alertId: outcome.alert.alertId };
}
