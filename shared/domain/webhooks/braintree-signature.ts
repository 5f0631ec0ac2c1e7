import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from './crypto-compare.ts';

/** HMAC-SHA1 keyed with the raw SHA-1 digest of the key (braintree_node Digest.Sha1hexdigest). */
export function sha1HexDigest(key: string | Buffer, data: string): string {
  const k = createHash('sha1').update(key).digest();
  return createHmac('sha1', k).update(data).digest('hex');
}

/** HMAC-SHA256 keyed with SHA-256 of the key (Digest.Sha256hexdigest). */
export function sha256HexDigest(key: string, data: string): string {
  const k = createHash('sha256').update(key).digest();
  return createHmac('sha256', k).update(data).digest('hex');
}

export type BraintreeCheck =
  | { ok: true }
  | {
      ok: false;
      reason: 'missing-fields' | 'illegal-payload' | 'no-matching-public-key' | 'no-match';
    };

/**
 * `bt_signature` holds `publicKey|hexSig` pairs joined by `&`; the pair for our public key must
 * carry hex(HMAC-SHA1(SHA1(privateKey), bt_payload)) (or of bt_payload + "\n").
 */
export function verifyBraintreeSignature(
  btSignature: string | undefined,
  btPayload: string | undefined,
  publicKey: string,
  privateKey: string,
): BraintreeCheck {
  if (!btSignature || !btPayload) return { ok: false, reason: 'missing-fields' };
  if (!/^[A-Za-z0-9+=/\n]*$/.test(btPayload)) return { ok: false, reason: 'illegal-payload' };
  const pair = btSignature
    .split('&')
    .map((p) => p.split('|'))
    .find(([pk, sig]) => pk === publicKey && typeof sig === 'string');
  if (!pair) return { ok: false, reason: 'no-matching-public-key' };
  const given = /^[0-9a-f]{40}$/i.test(pair[1]!) ? Buffer.from(pair[1]!, 'hex') : Buffer.alloc(0);
  for (const data of [btPayload, `${btPayload}\n`]) {
    if (safeEqual(given, Buffer.from(sha1HexDigest(privateKey, data), 'hex'))) return { ok: true };
  }
  return { ok: false, reason: 'no-match' };
}

/** Endpoint verification: `publicKey|hex(HMAC-SHA1(SHA1(privateKey), challenge))`. */
export function braintreeChallengeResponse(
  challenge: string,
  publicKey: string,
  privateKey: string,
): string | undefined {
  if (!/^[a-f0-9]{20,32}$/.test(challenge)) return undefined;
  return `${publicKey}|${sha1HexDigest(privateKey, challenge)}`;
}

/** Signs a payload exactly as Braintree does (tests, drills, local simulators). */
export function signBraintreePayload(payload: string, publicKey: string, privateKey: string) {
  return `${publicKey}|${sha1HexDigest(privateKey, payload)}`;
}
