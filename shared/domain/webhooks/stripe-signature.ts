import { createHmac, timingSafeEqual } from 'node:crypto';

/** Stripe's default replay tolerance (stripe-node DEFAULT_TOLERANCE). */
export const STRIPE_TOLERANCE_SECONDS = 300;

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing-header' | 'malformed-header' | 'stale-timestamp' | 'no-match' };

/**
 * Verifies a `Stripe-Signature` header (t=…,v1=…[,v1=…]) over the raw body:
 * HMAC-SHA256 keyed with the whole endpoint secret, hex, constant-time compared with every v1.
 */
export function verifyStripeSignature(
  rawBody: string | Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = STRIPE_TOLERANCE_SECONDS,
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing-header' };
  let timestamp = Number.NaN;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = /^\d{1,12}$/.test(value) ? Number(value) : Number.NaN;
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) v1.push(value.toLowerCase());
  }
  if (!Number.isFinite(timestamp) || v1.length === 0)
    return { ok: false, reason: 'malformed-header' };
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const match = v1.some((sig) => timingSafeEqual(Buffer.from(sig, 'hex'), expected));
  if (!match) return { ok: false, reason: 'no-match' };
  if (toleranceSeconds > 0 && Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    return { ok: false, reason: 'stale-timestamp' };
  }
  return { ok: true, timestamp };
}

/** Builds a header exactly as Stripe does (used by the drill injector and tests). */
export function signStripePayload(rawBody: string, secret: string, timestamp: number): string {
  const sig = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return `t=${timestamp},v1=${sig}`;
}
