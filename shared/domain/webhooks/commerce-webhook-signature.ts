import { verify } from 'node:crypto';
import { publicKeyObject, strictBase64 } from './crypto-compare.ts';

export const COMMERCE_SIGNATURE_HEADER = 'x-adobe-commerce-webhook-signature';

export type CommerceCheck =
  | { ok: true; signedBytes: 'base64-body' | 'raw-body' }
  | { ok: false; reason: 'missing-signature' | 'no-match' | 'bad-key' };

/**
 * Adobe Commerce webhooks: RSA-SHA256 (PKCS#1 v1.5) verified with the PEM public key from the
 * Admin configuration. The documented samples sign the base64 of the body; a third-party test
 * signs the raw body (integrations.md §B.3 / §I.1), so both are accepted, base64 first.
 */
export function verifyCommerceWebhookSignature(
  rawBody: Buffer,
  signature: string | undefined,
  publicKeyPem: string,
): CommerceCheck {
  const sig = strictBase64(signature);
  if (!sig) return { ok: false, reason: 'missing-signature' };
  try {
    const key = publicKeyObject(publicKeyPem);
    if (verify('sha256', Buffer.from(rawBody.toString('base64')), key, sig))
      return { ok: true, signedBytes: 'base64-body' };
    if (verify('sha256', rawBody, key, sig)) return { ok: true, signedBytes: 'raw-body' };
  } catch {
    return { ok: false, reason: 'bad-key' };
  }
  return { ok: false, reason: 'no-match' };
}
