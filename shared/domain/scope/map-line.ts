import { type MapIndex, ownString as own } from './data-map.ts';

/**
 * Fast path for loading the data map: a JSONL line exactly as the exporter writes it
 * (JSON.stringify of a MapRecord: fixed key order, no whitespace, strings without escapes, integer
 * ids) goes into the index without building the record object. The scanner is only sound, not
 * complete: anything else (other key order or spacing, escapes, decimals, extra keys, malformed
 * JSON) returns false untouched by the index's rows, and the caller parses the line with
 * JSON.parse — same rows, same errors.
 */

const QUOTE = 34;
const BACKSLASH = 92;

// the last string read by str(): [sFrom, sTo) in the text
let sFrom = 0;
let sTo = 0;
// the last number read by int() or intOrNull() (null for a JSON null)
let num: number | null = null;

/** `lit` at p → position after it, else -1. */
function lit(t: string, p: number, s: string): number {
  if (p < 0) return -1;
  const n = s.length; // a char-by-char compare: startsWith costs ~150 ns a call
  for (let k = 0; k < n; k++) if (t.charCodeAt(p + k) !== s.charCodeAt(k)) return -1;
  return p + n;
}

/** A JSON string without escapes or control characters at p → position after it, else -1. */
function str(t: string, p: number, end: number): number {
  if (p < 0 || t.charCodeAt(p) !== QUOTE) return -1;
  const q = t.indexOf('"', p + 1);
  if (q === -1 || q >= end) return -1;
  for (let i = p + 1; i < q; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x20 || c === BACKSLASH) return -1;
  }
  sFrom = p + 1;
  sTo = q;
  return q + 1;
}

/** `null` or a string; sFrom = -1 for null. */
function strOrNull(t: string, p: number, end: number): number {
  if (lit(t, p, 'null') >= 0) {
    sFrom = -1;
    return p + 4;
  }
  return str(t, p, end);
}

/** A JSON integer (-?(0|[1-9][0-9]*), at most 15 digits, not followed by . e E or a digit). */
function int(t: string, p: number, end: number): number {
  if (p < 0) return -1;
  let i = p;
  if (t.charCodeAt(i) === 45) i++; // -
  const first = i;
  const c0 = t.charCodeAt(i);
  if (c0 === 48) i++;
  else if (c0 >= 49 && c0 <= 57) {
    i++;
    while (i < end) {
      const c = t.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
  } else return -1;
  if (i - first > 15 || i >= end) return -1;
  const next = t.charCodeAt(i);
  if ((next >= 48 && next <= 57) || next === 46 || next === 69 || next === 101) return -1;
  num = Number(t.slice(p, i));
  return i;
}

function intOrNull(t: string, p: number, end: number): number {
  if (lit(t, p, 'null') >= 0) {
    num = null;
    return p + 4;
  }
  return int(t, p, end);
}

const text = (t: string) => (sFrom < 0 ? null : own(t, sFrom, sTo));

/** Adds the map line t[start, end) when it has the exporter's exact form; false otherwise. */
export function addCanonicalMapLine(
  index: MapIndex,
  t: string,
  start: number,
  end: number,
): boolean {
  let p = int(t, lit(t, start, '{"v":'), end);
  p = str(t, lit(t, p, ',"kind":'), end);
  p = str(t, lit(t, p, ',"recipientId":'), end);
  if (p < 0) return false;
  const recipientId = own(t, sFrom, sTo);
  p = intOrNull(t, lit(t, p, ',"customerId":'), end);
  const customerId = num;
  p = intOrNull(t, lit(t, p, ',"websiteId":'), end);
  const websiteId = num;
  p = str(t, lit(t, p, ',"emailHmac":'), end);
  const hFrom = sFrom;
  const hTo = sTo;
  p = strOrNull(t, lit(t, p, ',"country":'), end);
  if (p < 0) return false;
  const country = text(t);
  p = strOrNull(t, lit(t, p, ',"region":'), end);
  if (p < 0) return false;
  const region = text(t);
  p = lit(t, p, ',"hasVaultTokens":');
  p = Math.max(lit(t, p, 'true'), lit(t, p, 'false'));
  p = lit(t, p, ',"orders":[');
  if (p < 0) return false;
  index.begin();
  if (t.charCodeAt(p) !== 93) {
    for (;;) {
      p = int(t, lit(t, p, '{"orderId":'), end);
      p = str(t, lit(t, p, ',"incrementId":'), end);
      if (p < 0) return false;
      const incrementId = own(t, sFrom, sTo);
      p = intOrNull(t, lit(t, p, ',"paymentId":'), end);
      p = strOrNull(t, lit(t, p, ',"method":'), end);
      if (p < 0) return false;
      const method = text(t);
      p = lit(t, p, '}');
      if (p < 0) return false;
      index.order(incrementId, method);
      if (t.charCodeAt(p) !== 44) break;
      p++;
    }
  }
  p = lit(t, p, '],"vaultTokens":[');
  if (p < 0) return false;
  if (t.charCodeAt(p) !== 93) {
    for (;;) {
      p = int(t, lit(t, p, '{"tokenId":'), end);
      p = str(t, lit(t, p, ',"publicHash":'), end);
      if (p < 0) return false;
      const publicHash = own(t, sFrom, sTo);
      p = str(t, lit(t, p, ',"method":'), end);
      p = lit(t, p, '}');
      if (p < 0) return false;
      index.vaultToken(publicHash, own(t, sFrom, sTo));
      if (t.charCodeAt(p) !== 44) break;
      p++;
    }
  }
  p = lit(t, p, '],"ledgerAccounts":[');
  if (p < 0) return false;
  if (t.charCodeAt(p) !== 93) {
    for (;;) {
      p = str(t, p, end);
      if (p < 0) return false;
      index.ledgerAccount(own(t, sFrom, sTo));
      if (t.charCodeAt(p) !== 44) break;
      p++;
    }
  }
  p = str(t, lit(t, p, '],"updatedAt":'), end);
  p = lit(t, p, '}');
  if (p < 0) return false;
  if (p < end && !(p === end - 1 && t.charCodeAt(p) === 13)) return false; // only a CR may follow
  index.commitHex(recipientId, customerId, websiteId, t, hFrom, hTo, country, region);
  return true;
}
