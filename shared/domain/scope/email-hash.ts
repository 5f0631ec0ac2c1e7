import { createHmac } from 'node:crypto';

/**
 * Keyed HMAC-SHA256 of a normalised (trimmed, lower-case) email: the only form of an email the
 * data map keeps. The key lives in Secrets Manager; without it a hash cannot be brute-forced offline.
 */
export function emailHmacFn(key: string): (normalisedEmail: string) => string {
  if (key.length < 16) throw new Error('email HMAC key must be at least 16 characters');
  return (email) => createHmac('sha256', key).update(email).digest('hex');
}
