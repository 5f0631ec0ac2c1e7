/**
 * Log and error hygiene: personal data, card data and secrets never reach a log line.
 * Keys that name sensitive fields are masked whole; string values are scanned for emails,
 * card-like digit runs, bearer tokens and gateway secrets.
 */
// A bare `name` is not personal (error names, service names); people's names carry a qualifier.
const SENSITIVE_KEY =
  /(^|_|-)(email|e_mail|(first|last|middle|full|customer|billing|shipping|holder|owner)_?name|firstname|lastname|phone|telephone|street|address|dob|taxvat|password|password_hash|rp_token|token|secret|authorization|cookie|card|cc_number|cvc|cvv|iban|signature|raw_?body|body)($|_|-)/i;
const PATTERNS: Array<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
  [/\b(?:\d[ -]?){13,19}\b/g, '[card]'],
  [/\b(sk|rk|pk|whsec)_(live|test)?_?[A-Za-z0-9]{6,}\b/g, '[secret]'],
  [/Bearer\s+[A-Za-z0-9._~+/=-]+/gi, 'Bearer [token]'],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\b/g, '[jwt]'],
];

export function redactString(s: string): string {
  let out = s;
  for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[depth]';
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        SENSITIVE_KEY.test(k) && !/Hash$|Id$|Ids$|_id$|Count$/.test(k)
          ? '[redacted]'
          : redact(v, depth + 1);
    }
    return out;
  }
  return value;
}
