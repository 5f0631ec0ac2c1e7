import type { Alert } from '#contracts/alert.ts';
import {
  ADOBE_IO_HEADERS,
  isSafeChallenge,
  isSafeKeyPath,
  verifyAdobeIoSignature,
} from '#domain/webhooks/adobe-io-signature.ts';
import type { PublicKeySource } from '#ports/public-key-source.ts';
import type { VerifyOutcome, WebhookRequest } from './ingest-webhook.ts';
import {
  commerceAlertDraft,
  commerceEventName,
  mapCommerceEvent,
} from './normalise/adobe-commerce.ts';
import { fragment, isoTime, makeAlert, obj, parseJson, str } from './normalise/common.ts';

export interface AdobeIoConfig {
  clientId: string;
  keys: PublicKeySource;
  drill: boolean;
  pepper?: string;
}

/** A CloudEvents envelope from Adobe I/O Events (webhook or EventBridge) → outcome. */
export function adobeIoEventOutcome(
  json: unknown,
  cfg: { drill: boolean; pepper?: string; clientId?: string },
  evidence: Alert['evidence'],
  now: Date,
): VerifyOutcome {
  const e = obj(json);
  if (cfg.clientId !== undefined && e.recipient_client_id !== cfg.clientId)
    return { kind: 'reject', statusCode: 403, reason: 'recipient_client_id is not ours' };
  const type = str(e.type);
  const eventId = str(e.event_id) ?? str(e.id);
  if (!type || !eventId || eventId.length > 200)
    return { kind: 'reject', statusCode: 422, reason: 'not an Adobe I/O event (type, id)' };
  const eventName = commerceEventName(type);
  if (!eventName)
    return { kind: 'reject', statusCode: 422, reason: `unknown event type ${fragment(type)}` };
  const mapped = mapCommerceEvent(eventName);
  if (mapped.kind === 'unknown')
    return { kind: 'reject', statusCode: 422, reason: `unknown event type ${fragment(type)}` };
  if (mapped.kind === 'benign')
    return { kind: 'ignored', reason: `${eventName} is not a leak signal`, deliveryId: eventId };
  const data = obj(e.data);
  const value = obj(data.value ?? data);
  return {
    kind: 'alert',
    deliveryId: eventId,
    alert: makeAlert(
      commerceAlertDraft({
        source: 'adobe-io',
        eventName,
        spec: mapped.spec,
        eventId,
        occurredAt: isoTime(e.time, now),
        value,
        receivedAt: now,
        evidence,
        drill: cfg.drill,
        ...(cfg.pepper ? { pepper: cfg.pepper } : {}),
      }),
    ),
  };
}

/**
 * Adobe I/O Events webhook: GET ?challenge= is echoed (registration); POST bodies are verified
 * with RSA-SHA256 against the two public keys named by the request (either may verify), then
 * `recipient_client_id` must be ours.
 */
export function adobeIoVerifier(cfg: AdobeIoConfig) {
  return async (
    req: WebhookRequest,
    evidence: Alert['evidence'],
    now: Date,
  ): Promise<VerifyOutcome> => {
    const challenge = req.query?.challenge;
    if (req.method === 'GET') {
      if (!isSafeChallenge(challenge))
        return { kind: 'reject', statusCode: 400, reason: 'GET without a valid challenge' };
      return { kind: 'reply', statusCode: 200, body: JSON.stringify({ challenge }) };
    }
    const h = req.headers;
    const paths = [h[ADOBE_IO_HEADERS.keyPath1], h[ADOBE_IO_HEADERS.keyPath2]];
    const sigs: [string | undefined, string | undefined] = [
      h[ADOBE_IO_HEADERS.signature1],
      h[ADOBE_IO_HEADERS.signature2],
    ];
    if (!sigs[0] && !sigs[1])
      return { kind: 'reject', statusCode: 401, reason: 'signature missing-signature' };
    if (!paths.some(isSafeKeyPath))
      return { kind: 'reject', statusCode: 401, reason: 'public key path missing or invalid' };
    const keys = (await Promise.all(
      paths.map((p) => (isSafeKeyPath(p) ? cfg.keys.get(p) : undefined)),
    )) as [string | undefined, string | undefined];
    const check = verifyAdobeIoSignature(req.rawBody, sigs, keys);
    if (!check.ok) return { kind: 'reject', statusCode: 401, reason: `signature ${check.reason}` };
    const json = parseJson(req.rawBody);
    if (json === undefined) return { kind: 'reject', statusCode: 400, reason: 'body is not JSON' };
    // A signed POST carrying only a challenge (older registration flow) is answered too.
    const c = obj(json).challenge;
    if (typeof c === 'string' && obj(json).type === undefined && isSafeChallenge(c))
      return { kind: 'reply', statusCode: 200, body: JSON.stringify({ challenge: c }) };
    return adobeIoEventOutcome(
      json,
      { drill: cfg.drill, clientId: cfg.clientId, ...(cfg.pepper ? { pepper: cfg.pepper } : {}) },
      evidence,
      now,
    );
  };
}
