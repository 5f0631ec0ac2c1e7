import { createHmac } from 'node:crypto';
import { safeEqual, strictBase64 } from './crypto-compare.ts';

/** The fields of a standard notification item that the HMAC covers (Adyen hmacValidator). */
export interface AdyenItemFields {
  pspReference?: string;
  originalReference?: string;
  merchantAccountCode?: string;
  merchantReference?: string;
  amount?: { value?: number | string; currency?: string };
  eventCode?: string;
  success?: string | boolean;
}

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** `psp:original:merchantAccount:merchantReference:value:currency:eventCode:success`. */
export function adyenSigningString(item: AdyenItemFields): string {
  return [
    s(item.pspReference),
    s(item.originalReference),
    s(item.merchantAccountCode),
    s(item.merchantReference),
    s(item.amount?.value),
    s(item.amount?.currency),
    s(item.eventCode),
    s(item.success),
  ].join(':');
}

/** Generic key/value form: sorted keys, `\` → `\\`, `:` → `\:`, keys then values joined by `:`. */
export function adyenKeyValueSigningString(fields: Record<string, string>): string {
  const esc = (v: string) => v.replaceAll('\\', '\\\\').replaceAll(':', '\\:');
  const keys = Object.keys(fields).sort();
  return [...keys.map(esc), ...keys.map((k) => esc(fields[k] ?? ''))].join(':');
}

export function isHexKey(key: string): boolean {
  return key.length > 0 && key.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(key);
}

/** base64(HMAC-SHA256(hexDecode(key), data)). */
export function adyenHmac(hexKey: string, data: string): string {
  if (!isHexKey(hexKey)) throw new TypeError('Adyen HMAC key must be hex');
  return createHmac('sha256', Buffer.from(hexKey, 'hex')).update(data, 'utf8').digest('base64');
}

/** Constant-time check of `additionalData.hmacSignature` of one notification item. */
export function verifyAdyenItem(
  item: AdyenItemFields,
  signature: string | undefined,
  hexKey: string,
): boolean {
  const got = strictBase64(signature);
  if (!got) return false;
  const expected = Buffer.from(adyenHmac(hexKey, adyenSigningString(item)), 'base64');
  return safeEqual(got, expected);
}
