import type { MapIndex } from './data-map.ts';

/**
 * Fast path for loading the data map: a JSONL line exactly as the exporter writes it
 * (JSON.stringify of a MapRecord: fixed key order, no whitespace, strings without escapes or
 * control characters, integer ids, a lower-case hex emailHmac) goes into the index without
 * building the record object — a few sticky regular expressions instead of JSON.parse. The match
 * is only sound, not complete: any other line (other key order or spacing, escapes, decimals,
 * extra keys, malformed JSON) returns false, and the caller parses it with JSON.parse — same
 * rows, same errors.
 */

/** A JSON string without escapes or control characters (so its text is its value). */
const S = '"([^"\\\\\\x00-\\x1f]*)"';
/** A JSON integer of at most 15 digits (exact as a double), not followed by a fraction/exponent. */
const N = '(-?(?:0|[1-9]\\d{0,14}))(?![\\d.eE])';
const orNull = (p: string) => `(?:null|${p})`;

const LINE = new RegExp(
  `\\{"v":${N},"kind":${S},"recipientId":${S},"customerId":${orNull(N)},"websiteId":${orNull(N)}` +
    `,"emailHmac":"([0-9a-f]{64})","country":${orNull(S)},"region":${orNull(S)}` +
    `,"hasVaultTokens":(?:true|false),"orders":\\[([^\\]]*)\\],"vaultTokens":\\[([^\\]]*)\\]` +
    `,"ledgerAccounts":\\[([^\\]]*)\\],"updatedAt":${S}\\}\\r?$`,
  'y',
);
const ORDER = new RegExp(
  `\\{"orderId":${N},"incrementId":${S},"paymentId":${orNull(N)},"method":${orNull(S)}\\}(,|$)`,
  'y',
);
const VAULT = new RegExp(`\\{"tokenId":${N},"publicHash":${S},"method":${S}\\}(,|$)`, 'y');
const STRINGS = new RegExp(`^${S}(?:,${S})*$`);

/**
 * A copy of a substring that does not keep its parent alive: V8 shares the parent of a substring
 * of 13 or more characters, and a kept reference would pin a whole 1 MB chunk of the map file.
 */
function own(s: string): string {
  return s.length < 13 ? s : `_${s}`.slice(1);
}

const int = (s: string | undefined) => (s === undefined ? null : Number(s));
const text = (s: string | undefined) => (s === undefined ? null : own(s));

/** Adds the map line t[start, end) when it has the exporter's exact form; false otherwise. */
export function addCanonicalMapLine(
  index: MapIndex,
  t: string,
  start: number,
  end: number,
): boolean {
  const line = start === 0 && end === t.length ? t : t.slice(start, end);
  LINE.lastIndex = 0;
  const m = LINE.exec(line);
  if (!m) return false;
  index.begin();
  const orders = m[9] ?? '';
  if (orders !== '') {
    ORDER.lastIndex = 0;
    for (;;) {
      const o = ORDER.exec(orders);
      if (!o) return false;
      index.order(o[2] ?? '', text(o[4]));
      if (o[5] === '') break;
    }
  }
  const vault = m[10] ?? '';
  if (vault !== '') {
    VAULT.lastIndex = 0;
    for (;;) {
      const v = VAULT.exec(vault);
      if (!v) return false;
      index.vaultToken(v[2] ?? '', own(v[3] ?? ''));
      if (v[4] === '') break;
    }
  }
  const ledger = m[11] ?? '';
  if (ledger !== '') {
    if (!STRINGS.test(ledger)) return false;
    // the strings hold no `"`, so `","` only ever separates two of them
    for (const l of ledger.slice(1, -1).split('","')) index.ledgerAccount(l);
  }
  index.commit(own(m[3] ?? ''), int(m[4]), int(m[5]), m[6] ?? '', text(m[7]), text(m[8]));
  return true;
}
