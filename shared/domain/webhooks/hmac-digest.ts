import { createHmac } from 'node:crypto';
import { safeEqual } from './crypto-compare.ts';

/** Sumsub-style `X-Payload-Digest-Alg` values and their HMAC hash. */
export const DIGEST_ALGS = {
  HMAC_SHA1_HEX: 'sha1',
  HMAC_SHA256_HEX: 'sha256',
  HMAC_SHA512_HEX: 'sha512',
} as const;
export type DigestAlg = keyof typeof DIGEST_ALGS;

/**
 * Hex HMAC of the raw body with a shared secret (Sumsub `X-Payload-Digest`, the eComscan relay).
 * The algorithm comes from an allow-list; anything else fails closed.
 */
export function verifyHexHmac(
  rawBody: Buffer,
  digest: string | undefined,
  secret: string,
  alg: string | undefined = 'HMAC_SHA256_HEX',
): boolean {
  const hash = DIGEST_ALGS[alg as DigestAlg];
  if (!hash || !digest || !/^[0-9a-fA-F]{40,128}$/.test(digest)) return false;
  const expected = createHmac(hash, secret).update(rawBody).digest();
  return safeEqual(Buffer.from(digest, 'hex'), expected);
}

export function hexHmac(
  rawBody: string | Buffer,
  secret: string,
  alg: DigestAlg = 'HMAC_SHA256_HEX',
) {
  return createHmac(DIGEST_ALGS[alg], secret).update(rawBody).digest('hex');
}
