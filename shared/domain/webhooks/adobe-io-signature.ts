import { verify } from 'node:crypto';
import { publicKeyObject, strictBase64 } from './crypto-compare.ts';

/** Adobe I/O Events signature headers (AdobeDocs/adobe-io-events sdk_signature_verification). */
export const ADOBE_IO_HEADERS = {
  signature1: 'x-adobe-digital-signature-1',
  signature2: 'x-adobe-digital-signature-2',
  keyPath1: 'x-adobe-public-key1-path',
  keyPath2: 'x-adobe-public-key2-path',
} as const;

/**
 * Key paths are fetched from Adobe's key host, so only a plain path to a `.pem` is acceptable
 * (no scheme, no host, no `..`, no query): a request cannot point the verifier anywhere else.
 */
export function isSafeKeyPath(path: string | undefined): path is string {
  return (
    typeof path === 'string' &&
    path.length <= 256 &&
    /^\/[A-Za-z0-9._\-/]+\.pem$/.test(path) &&
    !path.includes('..') &&
    !path.includes('//')
  );
}

/** Registration challenge: echoed only when it is a short token (never arbitrary markup). */
export function isSafeChallenge(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9._~-]{1,256}$/.test(value);
}

export type AdobeIoCheck =
  | { ok: true; verifiedWith: 1 | 2 }
  | { ok: false; reason: 'missing-signature' | 'no-match' };

/**
 * RSA-SHA256 (PKCS#1 v1.5) over the raw body, base64 signatures; valid when either of the two
 * signatures verifies with its public key (SPKI PEM). Pure: the keys are passed in.
 */
export function verifyAdobeIoSignature(
  rawBody: Buffer,
  signatures: [string | undefined, string | undefined],
  publicKeys: [string | undefined, string | undefined],
): AdobeIoCheck {
  let any = false;
  for (const i of [0, 1] as const) {
    const sig = strictBase64(signatures[i]);
    const key = publicKeys[i];
    if (!sig || !key) continue;
    any = true;
    try {
      if (verify('sha256', rawBody, publicKeyObject(key), sig))
        return { ok: true, verifiedWith: (i + 1) as 1 | 2 };
    } catch {
      // an unusable key is the same as a non-matching signature
    }
  }
  return { ok: false, reason: any ? 'no-match' : 'missing-signature' };
}
