import { createPublicKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two byte strings; false (not an exception) on different lengths. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** Decodes strict base64 (no whitespace, correct padding); undefined when it is not base64. */
export function strictBase64(value: string | undefined): Buffer | undefined {
  if (!value || value.length > 4096) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  return Buffer.from(value, 'base64');
}

const parsedKeys = new Map<string, KeyObject>();

/** Parses a PEM public key once (parsing costs more than the RSA verify itself). */
export function publicKeyObject(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    if (parsedKeys.size >= 32) parsedKeys.delete(parsedKeys.keys().next().value!);
    parsedKeys.set(pem, key);
  }
  return key;
}
