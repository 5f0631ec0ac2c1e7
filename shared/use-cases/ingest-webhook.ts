import { createHash } from 'node:crypto';
import type { Alert } from '#contracts/alert.ts';
import { DETAIL_TYPE, EVENT_SOURCE } from '#contracts/events.ts';
import type { Clock } from '#ports/clock.ts';
import type { EventPublisher } from '#ports/event-publisher.ts';
import type { EvidenceStore } from '#ports/evidence-store.ts';
import type { IncidentStore } from '#ports/incident-store.ts';
import { RetryableError } from '#runtime/errors.ts';

/** Requests larger than this are refused (413) and only their first bytes are kept. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export interface WebhookRequest {
  source: string;
  headers: Record<string, string | undefined>; // lower-case names
  rawBody: Buffer;
  /** HTTP method (upper case) and query parameters, when the transport has them. */
  method?: string;
  query?: Record<string, string | undefined>;
}

export interface WebhookResponse {
  statusCode: number;
  body: string;
}

export interface IngestDeps {
  clock: Clock;
  quarantine: EvidenceStore;
  store: Pick<IncidentStore, 'markDelivery'> & Partial<Pick<IncidentStore, 'forgetDelivery'>>;
  publisher: EventPublisher;
}

/** What a source-specific verifier returns: an alert, a reply (challenge), or a rejection. */
export type VerifyOutcome =
  | { kind: 'alert'; alert: Alert; deliveryId: string; ack?: string }
  /** Several alerts in one request (Adyen items, log batches); each is deduplicated on its own. */
  | { kind: 'alerts'; items: Array<{ alert: Alert; deliveryId: string }>; ack?: string }
  | { kind: 'ignored'; reason: string; deliveryId?: string; ack?: string }
  | { kind: 'reply'; statusCode: number; body: string }
  | { kind: 'reject'; statusCode: 400 | 401 | 403 | 409 | 413 | 415 | 422; reason: string };

/**
 * The common ingest path: size cap → source verifier → replay check → PutEvents.
 * Every rejection is answered 4xx with one line and the raw request is quarantined as evidence.
 */
export async function ingestWebhook(
  deps: IngestDeps,
  req: WebhookRequest,
  verify: (
    req: WebhookRequest,
    evidence: Alert['evidence'],
    now: Date,
  ) => Promise<VerifyOutcome> | VerifyOutcome,
): Promise<WebhookResponse> {
  const now = deps.clock.now();
  const sha256 = createHash('sha256').update(req.rawBody).digest('hex');
  const evidence = { sha256, bytes: req.rawBody.length };
  let outcome: VerifyOutcome;
  if (req.rawBody.length > MAX_WEBHOOK_BYTES) {
    outcome = {
      kind: 'reject',
      statusCode: 413,
      reason: `payload larger than ${MAX_WEBHOOK_BYTES} bytes`,
    };
  } else {
    try {
      outcome = await verify(req, evidence, now);
    } catch (err) {
      // Our side could not decide (key host down): the sender must retry, not be told it erred.
      if (err instanceof RetryableError) throw err;
      outcome = {
        kind: 'reject',
        statusCode: 400,
        reason: `malformed request (${(err as Error).name})`,
      };
    }
  }
  if (outcome.kind === 'reject') {
    await quarantine(deps, req, now, sha256, outcome.reason);
    return reply(outcome.statusCode, { error: outcome.reason });
  }
  if (outcome.kind === 'reply') return { statusCode: outcome.statusCode, body: outcome.body };
  if (outcome.kind === 'ignored')
    return outcome.ack !== undefined
      ? { statusCode: 200, body: outcome.ack }
      : reply(200, { received: true, ignored: outcome.reason });
  const items = outcome.kind === 'alert' ? [outcome] : outcome.items;
  const fresh: typeof items = [];
  for (const item of items) {
    if (await deps.store.markDelivery(`${req.source}:${item.deliveryId}`, now.toISOString()))
      fresh.push(item);
  }
  try {
    if (fresh.length > 0)
      await deps.publisher.publish(
        fresh.map((i) => ({
          source: EVENT_SOURCE.ingest,
          detailType: DETAIL_TYPE.alert,
          detail: i.alert,
        })),
      );
  } catch (err) {
    // Nothing was accepted: forget the deliveries so the sender's retry is not taken for a replay.
    for (const i of fresh)
      await deps.store.forgetDelivery?.(`${req.source}:${i.deliveryId}`).catch(() => undefined);
    throw err;
  }
  if (outcome.ack !== undefined) return { statusCode: 200, body: outcome.ack };
  if (outcome.kind === 'alert')
    return fresh.length === 0
      ? reply(200, { received: true, duplicate: true })
      : reply(200, { received: true, alertId: outcome.alert.alertId });
  return reply(200, {
    received: true,
    alertIds: fresh.map((i) => i.alert.alertId),
    duplicates: items.length - fresh.length,
  });
}

function reply(statusCode: number, body: Record<string, unknown>): WebhookResponse {
  return { statusCode, body: JSON.stringify(body) };
}

async function quarantine(
  deps: IngestDeps,
  req: WebhookRequest,
  now: Date,
  sha256: string,
  reason: string,
) {
  const day = now.toISOString().slice(0, 10);
  const capped = req.rawBody.subarray(0, MAX_WEBHOOK_BYTES);
  const record = JSON.stringify({
    source: req.source,
    reason,
    receivedAt: now.toISOString(),
    sha256,
    bytes: req.rawBody.length,
    truncated: capped.length < req.rawBody.length,
    headers: redactHeaders(req.headers),
    bodyBase64: capped.toString('base64'),
  });
  await deps.quarantine.put(
    `quarantine/${req.source}/${day}/${sha256}.json`,
    record,
    'application/json',
    {
      'tourniquet:quarantine': 'rejected-webhook',
    },
  );
}

const SECRET_HEADERS = /authorization|cookie|token|secret|api-key/i;
function redactHeaders(h: Record<string, string | undefined>) {
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [
      k,
      SECRET_HEADERS.test(k) ? '[redacted]' : v?.slice(0, 1024),
    ]),
  );
}
