import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.ts';

/**
 * Reports leave the system (regulators, auditors, chat): they carry ids, hashes and counts, never
 * personal data. Keys naming personal or secret fields are masked whole; string values are
 * scanned for emails, card-like digit runs, phone numbers, tokens and gateway secrets.
 */
const SENSITIVE_KEY =
  /(^|_|-)(email|e_mail|name|firstname|lastname|phone|telephone|street|address|postcode|dob|taxvat|password|password_hash|rp_token|token|secret|authorization|cookie|card|cc_number|cvc|cvv|iban|signature|raw_?body|body|ip)($|_|-)/i;
const CAMEL_SENSITIVE =
  /^(email|firstName|lastName|fullName|phone|street|address|password|token|secret|cardNumber|iban|rawBody|ipAddress)$/;
const PATTERNS: Array<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/\b(?:\d[ -]?){13,19}\b/g, '[card]'],
  [/\+\d[\d ()-]{7,}\d/g, '[phone]'],
  [/\b(sk|rk|pk|whsec)_(live|test)?_?[A-Za-z0-9]{6,}\b/g, '[secret]'],
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [token]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\b/g, '[jwt]'],
];

export function scrubString(s: string): string {
  let out = s;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

export function scrub(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return scrubString(value);
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const sensitive =
        (SENSITIVE_KEY.test(k) || CAMEL_SENSITIVE.test(k)) && !/Hash$|Id$|Ids$|_id$|Count$/.test(k);
      out[k] = sensitive ? '[redacted]' : scrub(v, depth + 1);
    }
    return out;
  }
  return value;
}

/** One line of scrubbed JSON, cut at `max` characters. */
export function compact(value: unknown, max = 240): string {
  if (value === undefined) return '—';
  const s = JSON.stringify(scrub(value)) ?? 'null';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** SHA-256 over the canonical JSON of the raw value: proves what was recorded without showing it. */
export function evidenceHash(value: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(value ?? null))
    .digest('hex');
}
