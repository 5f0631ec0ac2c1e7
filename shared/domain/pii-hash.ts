import { createHash, createHmac } from 'node:crypto';

/**
 * Personal identifiers never travel raw: an email becomes a keyed HMAC-SHA256 (with the pepper of
 * the deployment) or, without a pepper, SHA-256 of the normalised address, as in the data map.
 */
export function hashEmail(email: string, pepper?: string): string {
  const normal = email.trim().toLowerCase();
  return pepper
    ? createHmac('sha256', pepper).update(normal).digest('hex')
    : createHash('sha256').update(normal).digest('hex');
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A short stable id for long or odd identifiers (keeps keys under the schema's length caps). */
export function shortId(value: string, max = 120): string {
  return value.length <= max && /^[\w.:@/-]+$/.test(value)
    ? value
    : `h:${sha256Hex(value).slice(0, 32)}`;
}
