import { createHmac } from 'node:crypto';
import { KeyedSha256Hmac } from './hmac-sha256.ts';

/**
 * Keyed HMAC-SHA256 of a normalised (trimmed, lower-case) email: the only form of an email the
 * data map keeps. The key lives in Secrets Manager; without it a hash cannot be brute-forced offline.
 * Called, it returns the hex HMAC (node:crypto); `digestInto` writes the same HMAC as 8 binary
 * words (precomputed key pads, no allocation) for the scope join's lookups.
 */
export type EmailHmac = ((normalisedEmail: string) => string) & {
  readonly digestInto?:
    | ((normalisedEmail: string, out: Int32Array, at?: number) => void)
    | undefined;
};

export function emailHmacFn(
  key: string,
): ((normalisedEmail: string) => string) & Required<Pick<EmailHmac, 'digestInto'>> {
  if (key.length < 16) throw new Error('email HMAC key must be at least 16 characters');
  const fast = new KeyedSha256Hmac(key);
  const hex = (email: string) => createHmac('sha256', key).update(email).digest('hex');
  return Object.assign(hex, {
    digestInto: (email: string, out: Int32Array, at = 0) => fast.digestInto(email, out, at),
  });
}
