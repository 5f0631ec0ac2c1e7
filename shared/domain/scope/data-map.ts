/**
 * The responder-owned data map: one minimal record per Magento customer (and per guest email hash),
 * never the email itself. Written by the exporter as JSONL; read by scope assessment.
 */

export const MAP_FORMAT_VERSION = 1;

export interface MapOrderRef {
  orderId: number;
  incrementId: string;
  paymentId: number | null;
  method: string | null;
}

export interface MapVaultRef {
  tokenId: number;
  publicHash: string;
  method: string;
}

export interface MapRecord {
  v: 1;
  kind: 'customer' | 'guest';
  /** `c:<customer id>` or `g:<email hmac>`: the recipient id used by the notification workflow. */
  recipientId: string;
  customerId: number | null;
  websiteId: number | null;
  emailHmac: string;
  country: string | null;
  region: string | null;
  hasVaultTokens: boolean;
  orders: MapOrderRef[];
  vaultTokens: MapVaultRef[];
  ledgerAccounts: string[];
  updatedAt: string;
}

export interface MapManifest {
  v: 1;
  /** Identifies the HMAC key version used for emailHmac (the key itself lives in Secrets Manager). */
  hmacKeyId: string;
  generatedAt: string;
  /** Highest `updated_at` read from Magento; the next incremental run reads rows after it. */
  watermark: string | null;
  /** Files in apply order: a full snapshot first, then deltas; later records replace earlier ones. */
  files: string[];
  customers: number;
  guests: number;
  /**
   * Binary snapshot of the index of the first `covers` files (full exports write it beside the
   * parts, with a leading `_` so that Athena skips it): scope loads it instead of parsing those
   * JSONL files. Optional; when missing or not matching, the JSONL files are read.
   */
  index?: { file: string; covers: number } | undefined;
}

/** The files a snapshot was built from (toBytes meta of the exporter). */
export interface MapSnapshotMeta {
  files: string[];
}

/**
 * How many leading files of the manifest a loaded snapshot stands for: its `covers` when the
 * snapshot was built from exactly those files, else 0 (read the JSONL instead).
 */
export function snapshotCovers(manifest: MapManifest, meta: unknown): number {
  const covers = manifest.index?.covers ?? 0;
  const files = (meta as Partial<MapSnapshotMeta> | null)?.files;
  if (!Array.isArray(files) || covers < 1 || files.length !== covers) return 0;
  return files.every((f, i) => f === manifest.files[i]) ? covers : 0;
}

export const customerRecipientId = (customerId: number): string => `c:${customerId}`;
export const guestRecipientId = (emailHmac: string): string => `g:${emailHmac}`;

/** One map row as the join sees it (counts and references; no hashes). */
export interface MapRow {
  recipientId: string;
  customerId: number | null;
  websiteId: number | null;
  country: string | null;
  region: string | null;
  orders: number;
  vault: number;
  ledger: number;
  methods: string[];
  orderRefs: string[];
  vaultRefs: string[];
  ledgerRefs: string[];
}

const HEX = '0123456789abcdef';
/** Two hex digits (their char codes as c1 << 8 | c2) → byte; -1 when not lower-case hex. */
const HEX_PAIR = new Int16Array(65536).fill(-1);
for (let a = 0; a < 16; a++)
  for (let b = 0; b < 16; b++) HEX_PAIR[(HEX.charCodeAt(a) << 8) | HEX.charCodeAt(b)] = a * 16 + b;

/**
 * Parses a 64-character lower-case hex HMAC (the exporter's form) at `h[from, to)` into 8
 * big-endian words at `out[at..)`; false for anything else (the index keeps such keys as strings).
 */
export function hexToWords(h: string, out: Int32Array, at = 0, from = 0, to = h.length): boolean {
  if (to - from !== 64) return false;
  for (let w = 0; w < 8; w++) {
    let x = 0;
    for (let j = 0; j < 8; j += 2) {
      const c1 = h.charCodeAt(from + w * 8 + j);
      const c2 = h.charCodeAt(from + w * 8 + j + 1);
      if ((c1 | c2) > 255) return false;
      const v = HEX_PAIR[(c1 << 8) | c2]!;
      if (v < 0) return false;
      x = (x << 8) | v;
    }
    out[at + w] = x;
  }
  return true;
}

const NONE = Number.NaN;

/** `c:<n>` (n without leading zeros, at most 15 digits) → n; -1 for any other recipient id. */
function customerRecipientNo(id: string): number {
  const len = id.length;
  if (len < 3 || len > 17 || id.charCodeAt(0) !== 99 || id.charCodeAt(1) !== 58) return -1;
  if (id.charCodeAt(2) === 48) return len === 3 ? 0 : -1;
  let n = 0;
  for (let i = 2; i < len; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Slot of a customer id: ids are mostly dense auto-increment numbers, and keeping neighbours in
 * neighbouring slots keeps the table's memory access sequential (a scrambling hash costs a cache
 * miss per id); the high half folded in spreads ids that differ only above bit 16.
 */
const idSlot = (k: number) => (k ^ (k >>> 16)) >>> 0;

/**
 * number → row. Keys that are integers in [0, 2^32) (customer ids) live in an open-addressing
 * table of typed arrays; any other number in a Map (same SameValueZero semantics).
 */
class IdTable {
  private keys = new Uint32Array(2048);
  private vals = new Int32Array(2048); // row + 1; 0: empty
  private count = 0;
  private readonly other = new Map<number, number>();

  get(k: number): number | undefined {
    if (k >>> 0 !== k) return this.other.get(k);
    const mask = this.keys.length - 1;
    for (let s = idSlot(k) & mask; ; s = (s + 1) & mask) {
      const v = this.vals[s]!;
      if (v === 0) return undefined;
      if (this.keys[s] === k) return v - 1;
    }
  }

  set(k: number, row: number): void {
    if (k >>> 0 !== k) {
      this.other.set(k, row);
      return;
    }
    const mask = this.keys.length - 1;
    let s = idSlot(k) & mask;
    for (; this.vals[s] !== 0; s = (s + 1) & mask) {
      if (this.keys[s] === k) {
        this.vals[s] = row + 1;
        return;
      }
    }
    this.keys[s] = k;
    this.vals[s] = row + 1;
    if (++this.count * 2 > this.keys.length) this.resize();
  }

  /** The table's entries (for a snapshot): integer keys with rows, and the other keys. */
  entries(): { keys: Uint32Array; rows: Int32Array; other: [number, number][] } {
    const keys = new Uint32Array(this.count);
    const rows = new Int32Array(this.count);
    for (let i = 0, k = 0; i < this.vals.length; i++) {
      if (this.vals[i] === 0) continue;
      keys[k] = this.keys[i]!;
      rows[k++] = this.vals[i]! - 1;
    }
    return { keys, rows, other: [...this.other] };
  }

  private resize(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Uint32Array(keys.length * 2);
    this.vals = new Int32Array(keys.length * 2);
    const mask = this.keys.length - 1;
    for (let i = 0; i < keys.length; i++) {
      if (vals[i] === 0) continue;
      let s = idSlot(keys[i]!) & mask;
      while (this.vals[s] !== 0) s = (s + 1) & mask;
      this.keys[s] = keys[i]!;
      this.vals[s] = vals[i]!;
    }
  }
}

const SNAPSHOT_MAGIC = 'TQMAPIX1';

type Section = { name: string; type: 'f64' | 'u32' | 'i32' | 'u8'; length: number };
const TYPED = { f64: Float64Array, u32: Uint32Array, i32: Int32Array, u8: Uint8Array } as const;

/** Snapshot header: scalars, the small tables as JSON, the layout of the binary sections. */
interface SnapshotHeader {
  meta: unknown;
  littleEndian: boolean;
  n: number;
  refCount: number;
  refChars: number;
  entries: number;
  latin1: boolean;
  sections: Section[];
  strings: (string | null)[];
  methodSets: string[][];
  otherRecipients: [number, string][];
  byOtherRecipient: [string, number][];
  oddHmacs: [string, number[]][];
  byCustomerOther: [number, number][];
  byCustomerRecipientOther: [number, number][];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** MapIndex.exportState() output: plain data (typed arrays, Maps, strings). */
export type MapIndexState = { readonly __mapIndexState: unique symbol };

/**
 * In-memory index of the map for the streaming join. Columnar (typed arrays, interned countries,
 * regions and payment-method sets, one flat array of order/token/ledger references) and keyed by
 * the binary email HMAC in an open-addressing table, so a million customers cost tens of MB and
 * no object per row. Semantics are those of a plain per-record index: a later record with the same
 * recipient id replaces the row (its old email HMAC keeps pointing at it), lookups by HMAC return
 * rows in insertion order.
 */
export class MapIndex {
  private n = 0;
  private customerIds = new Float64Array(1024);
  private websiteIds = new Float64Array(1024);
  private countries = new Uint32Array(1024);
  private regions = new Uint32Array(1024);
  private orderCounts = new Uint32Array(1024);
  private vaultCounts = new Uint32Array(1024);
  private ledgerCounts = new Uint32Array(1024);
  private methodSets = new Uint32Array(1024);
  /** Per row: number of its first reference and that reference's offset in the reference text. */
  private refFirst = new Float64Array(1024);
  private refOffset = new Float64Array(1024);
  /** 1 when the recipient id is `c:<customerId>` and not stored. */
  private derived = new Uint8Array(1024);
  private readonly otherRecipients = new Map<number, string>();
  // references (order increment ids, vault public hashes, ledger accounts) as one text, no object
  // per reference: lengths in refLengths, text in pieces of 4096 references
  private refLengths = new Uint32Array(4096);
  private refCount = 0;
  private refChars = 0;
  private readonly refPieces: string[] = [];
  private readonly refTail: string[] = [];
  private refText: string | undefined;
  private readonly strings: (string | null)[] = [null];
  private readonly stringIds = new Map<string, number>();
  private readonly methodSetList: string[][] = [[]];
  private readonly methodSetIds = new Map<string, number>();
  private readonly singleMethodIds = new Map<string, number>();
  private lastMethod: string | undefined;
  private lastMethodId = 0;
  private readonly byCustomer = new IdTable();
  private readonly byCustomerRecipient = new IdTable();
  private readonly byOtherRecipient = new Map<string, number>();
  // email HMAC → rows: entries (8 words + row each) in an open-addressing table of entry+1
  private entries = 0;
  private entryWords = new Int32Array(1024 * 8);
  private entryRows = new Int32Array(1024);
  private slots = new Int32Array(2048);
  private readonly oddHmacs = new Map<string, number[]>();
  private readonly scratch = new Int32Array(8);
  // the record being added (begin → order/vault/ledger → commit)
  private pendingFirst = 0;
  private pendingOffset = 0;
  private pendingOrders = 0;
  private pendingVault = 0;
  private readonly pendingMethods: string[] = [];
  private pendingMethodCount = 0;

  add(rec: MapRecord): void {
    this.begin();
    if (!Array.isArray(rec.orders) || !Array.isArray(rec.vaultTokens))
      throw invalid(rec.recipientId, 'orders and vaultTokens must be arrays');
    for (const o of rec.orders) this.order(o.incrementId, o.method);
    for (const t of rec.vaultTokens) this.vaultToken(t.publicHash, t.method);
    if (!Array.isArray(rec.ledgerAccounts))
      throw invalid(rec.recipientId, 'ledgerAccounts must be an array');
    for (const l of rec.ledgerAccounts) this.ledgerAccount(l);
    this.commit(
      rec.recipientId,
      rec.customerId,
      rec.websiteId,
      rec.emailHmac,
      rec.country,
      rec.region,
    );
  }

  /** Starts a record; references follow in order (orders, vault tokens, ledger accounts). */
  begin(): void {
    // references go straight into the reference text; a record abandoned before commit leaves
    // unreferenced text behind, nothing else
    this.pendingFirst = this.refCount;
    this.pendingOffset = this.refChars;
    this.pendingOrders = 0;
    this.pendingVault = 0;
    this.pendingMethodCount = 0;
  }

  order(incrementId: string, method: string | null): void {
    this.addReference(reference(incrementId, 'incrementId'));
    this.pendingOrders++;
    this.method(method);
  }

  vaultToken(publicHash: string, method: string): void {
    this.addReference(reference(publicHash, 'publicHash'));
    this.pendingVault++;
    this.method(method);
  }

  ledgerAccount(account: string): void {
    this.addReference(reference(account, 'ledger account'));
  }

  private method(m: string | null): void {
    if (!m) return;
    if (typeof m !== 'string') throw invalid(undefined, 'a payment method must be a string');
    const ms = this.pendingMethods;
    for (let k = 0; k < this.pendingMethodCount; k++) if (ms[k] === m) return;
    ms[this.pendingMethodCount++] = m;
  }

  /** Ends the record started by begin(). */
  commit(
    recipientId: string,
    customerId: number | null,
    websiteId: number | null,
    emailHmac: string,
    country: string | null,
    region: string | null,
  ): void {
    if (typeof emailHmac !== 'string') throw invalid(recipientId, 'emailHmac must be a string');
    this.commitHex(
      recipientId,
      customerId,
      websiteId,
      emailHmac,
      0,
      emailHmac.length,
      country,
      region,
    );
  }

  /** commit() with the email HMAC given as `text[from, to)` (no substring for the usual hex). */
  commitHex(
    recipientId: string,
    customerId: number | null,
    websiteId: number | null,
    text: string,
    from: number,
    to: number,
    country: string | null,
    region: string | null,
  ): void {
    if (typeof recipientId !== 'string') throw invalid(undefined, 'recipientId must be a string');
    if (customerId !== null && typeof customerId !== 'number')
      throw invalid(recipientId, 'customerId must be a number or null');
    if (websiteId !== null && typeof websiteId !== 'number')
      throw invalid(recipientId, 'websiteId must be a number or null');
    const odd = hexToWords(text, this.scratch, 0, from, to) ? undefined : text.slice(from, to);
    this.commitRow(recipientId, customerId, websiteId, country, region, odd);
  }

  private commitRow(
    recipientId: string,
    customerId: number | null,
    websiteId: number | null,
    country: string | null,
    region: string | null,
    oddHmac: string | undefined,
  ): void {
    const cId = this.intern(country, recipientId, 'country');
    const rId = this.intern(region, recipientId, 'region');
    const recipientNo = customerRecipientNo(recipientId);
    // stored as `c:${customerId}` when it reads back the same
    const isDerived = recipientNo >= 0 && recipientNo === customerId;
    const existing =
      recipientNo >= 0
        ? this.byCustomerRecipient.get(recipientNo)
        : this.byOtherRecipient.get(recipientId);
    let i: number;
    if (existing !== undefined) {
      i = existing; // a later delta replaces the record (hash unchanged or re-added)
    } else {
      i = this.n++;
      if (i === this.customerIds.length) this.grow();
      if (recipientNo >= 0) this.byCustomerRecipient.set(recipientNo, i);
      else this.byOtherRecipient.set(recipientId, i);
      if (customerId !== null) this.byCustomer.set(customerId, i);
    }
    this.customerIds[i] = customerId ?? NONE;
    this.websiteIds[i] = websiteId ?? NONE;
    this.countries[i] = cId;
    this.regions[i] = rId;
    this.orderCounts[i] = this.pendingOrders;
    this.vaultCounts[i] = this.pendingVault;
    this.ledgerCounts[i] =
      this.refCount - this.pendingFirst - this.pendingOrders - this.pendingVault;
    this.refFirst[i] = this.pendingFirst;
    this.refOffset[i] = this.pendingOffset;
    this.methodSets[i] = this.methodSetId(this.pendingMethods, this.pendingMethodCount);
    this.derived[i] = isDerived ? 1 : 0;
    if (!isDerived) this.otherRecipients.set(i, recipientId);
    else if (existing !== undefined) this.otherRecipients.delete(i);
    if (oddHmac === undefined) this.addHmac(this.scratch, i);
    else {
      const list = this.oddHmacs.get(oddHmac);
      if (!list) this.oddHmacs.set(oddHmac, [i]);
      else if (!list.includes(i)) list.push(i);
    }
  }

  private intern(s: string | null, recipientId: string, field: string): number {
    if (s === null) return 0;
    if (typeof s !== 'string') throw invalid(recipientId, `${field} must be a string or null`);
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.stringIds.set(s, id);
    }
    return id;
  }

  private addReference(ref: string): void {
    if (this.refCount === this.refLengths.length) {
      const l = new Uint32Array(this.refCount * 2);
      l.set(this.refLengths);
      this.refLengths = l;
    }
    this.refLengths[this.refCount++] = ref.length;
    this.refChars += ref.length;
    this.refTail.push(ref);
    if (this.refTail.length === 4096) {
      this.refPieces.push(this.refTail.join(''));
      this.refTail.length = 0;
    }
    this.refText = undefined;
  }

  private methodSetId(pending: string[], n: number): number {
    if (n === 0) return 0;
    if (n === 1 && pending[0] === this.lastMethod) return this.lastMethodId;
    const methods = pending.slice(0, n);
    const ids = n === 1 ? this.singleMethodIds : this.methodSetIds;
    const key = n === 1 ? methods[0]! : JSON.stringify(methods);
    let id = ids.get(key);
    if (id === undefined) {
      id = this.methodSetList.length;
      this.methodSetList.push(methods);
      ids.set(key, id);
    }
    if (n === 1) {
      this.lastMethod = methods[0];
      this.lastMethodId = id;
    }
    return id;
  }

  private grow(): void {
    const cap = this.customerIds.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const u32 = (a: Uint32Array) => {
      const b = new Uint32Array(cap);
      b.set(a);
      return b;
    };
    this.customerIds = f64(this.customerIds);
    this.websiteIds = f64(this.websiteIds);
    this.refFirst = f64(this.refFirst);
    this.refOffset = f64(this.refOffset);
    this.countries = u32(this.countries);
    this.regions = u32(this.regions);
    this.orderCounts = u32(this.orderCounts);
    this.vaultCounts = u32(this.vaultCounts);
    this.ledgerCounts = u32(this.ledgerCounts);
    this.methodSets = u32(this.methodSets);
    const d = new Uint8Array(cap);
    d.set(this.derived);
    this.derived = d;
  }

  private slotOf(words: Int32Array, at: number): number {
    return Math.imul(words[at]! ^ words[at + 7]!, 0x9e3779b1) >>> 0;
  }

  private sameWords(words: Int32Array, at: number, e: number): boolean {
    const ew = this.entryWords;
    const b = e * 8;
    for (let k = 0; k < 8; k++) if (ew[b + k] !== words[at + k]) return false;
    return true;
  }

  private addHmac(words: Int32Array, i: number): void {
    const mask = this.slots.length - 1;
    let s = this.slotOf(words, 0) & mask;
    for (let e = this.slots[s]!; e !== 0; e = this.slots[s]!) {
      if (this.entryRows[e - 1] === i && this.sameWords(words, 0, e - 1)) return;
      s = (s + 1) & mask;
    }
    const e = this.entries++;
    if (e === this.entryRows.length) {
      const rows = new Int32Array(e * 2);
      rows.set(this.entryRows);
      this.entryRows = rows;
      const ws = new Int32Array(e * 16);
      ws.set(this.entryWords);
      this.entryWords = ws;
    }
    this.entryRows[e] = i;
    const ew = this.entryWords;
    for (let k = 0; k < 8; k++) ew[e * 8 + k] = words[k]!;
    this.slots[s] = e + 1;
    if (this.entries * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    this.rehashInto(slots);
    this.slots = slots;
  }

  /** Puts every entry, in entry order, into an empty slot table. */
  private rehashInto(slots: Int32Array): void {
    const mask = slots.length - 1;
    for (let e = 0; e < this.entries; e++) {
      let s = this.slotOf(this.entryWords, e * 8) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = e + 1;
    }
  }

  /**
   * Rows whose email HMAC is the binary HMAC at `words[at..at+8)`, in insertion order, into `out`
   * (cleared first); returns `out`.
   */
  findByHmacWords(words: Int32Array, out: number[], at = 0): number[] {
    out.length = 0;
    const mask = this.slots.length - 1;
    let s = this.slotOf(words, at) & mask;
    for (let e = this.slots[s]!; e !== 0; e = this.slots[s]!) {
      if (this.sameWords(words, at, e - 1)) out.push(this.entryRows[e - 1]!);
      s = (s + 1) & mask;
    }
    return out;
  }

  findByHmac(h: string): readonly number[] {
    const words = new Int32Array(8);
    if (hexToWords(h, words)) return this.findByHmacWords(words, []);
    return this.oddHmacs.get(h) ?? [];
  }

  /**
   * The index as a structured-clonable snapshot and the buffers to transfer with it (a worker
   * thread builds the index, the main thread joins). The index is unusable afterwards.
   */
  exportState(): { state: MapIndexState; transfer: ArrayBuffer[] } {
    const tables = {
      byCustomer: { ...this.byCustomer },
      byCustomerRecipient: { ...this.byCustomerRecipient },
    };
    const state = { ...this, ...tables } as unknown as MapIndexState;
    const transfer: ArrayBuffer[] = [];
    for (const holder of [state, ...Object.values(tables)] as Record<string, unknown>[])
      for (const v of Object.values(holder))
        if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) transfer.push(v.buffer);
    return { state, transfer };
  }

  /**
   * The index as one binary snapshot (the exporter writes it beside the JSONL parts, so that scope
   * does not parse a million JSON lines during an incident). `meta` travels in the header.
   */
  toBytes(meta: unknown): Uint8Array {
    const n = this.n;
    this.refText ??= this.refPieces.join('') + this.refTail.join('');
    const text = this.refText;
    const latin1 = !/[\u0100-\uffff]/.test(text);
    const textBytes = Buffer.from(text, latin1 ? 'latin1' : 'utf16le');
    const byCustomer = this.byCustomer.entries();
    const byRecipient = this.byCustomerRecipient.entries();
    const arrays: [string, Section['type'], ArrayBufferView][] = [
      ['customerIds', 'f64', this.customerIds.subarray(0, n)],
      ['websiteIds', 'f64', this.websiteIds.subarray(0, n)],
      ['refFirst', 'f64', this.refFirst.subarray(0, n)],
      ['refOffset', 'f64', this.refOffset.subarray(0, n)],
      ['countries', 'u32', this.countries.subarray(0, n)],
      ['regions', 'u32', this.regions.subarray(0, n)],
      ['orderCounts', 'u32', this.orderCounts.subarray(0, n)],
      ['vaultCounts', 'u32', this.vaultCounts.subarray(0, n)],
      ['ledgerCounts', 'u32', this.ledgerCounts.subarray(0, n)],
      ['methodSets', 'u32', this.methodSets.subarray(0, n)],
      ['refLengths', 'u32', this.refLengths.subarray(0, this.refCount)],
      ['byCustomerKeys', 'u32', byCustomer.keys],
      ['byCustomerRecipientKeys', 'u32', byRecipient.keys],
      ['entryWords', 'i32', this.entryWords.subarray(0, this.entries * 8)],
      ['entryRows', 'i32', this.entryRows.subarray(0, this.entries)],
      ['byCustomerRows', 'i32', byCustomer.rows],
      ['byCustomerRecipientRows', 'i32', byRecipient.rows],
      ['derived', 'u8', this.derived.subarray(0, n)],
      ['refText', 'u8', textBytes],
    ];
    const header: SnapshotHeader = {
      meta,
      littleEndian: LITTLE_ENDIAN,
      n,
      refCount: this.refCount,
      refChars: this.refChars,
      entries: this.entries,
      latin1,
      sections: arrays.map(([name, type, a]) => ({
        name,
        type,
        length: a.byteLength / TYPED[type].BYTES_PER_ELEMENT,
      })),
      strings: this.strings,
      methodSets: this.methodSetList,
      otherRecipients: [...this.otherRecipients],
      byOtherRecipient: [...this.byOtherRecipient],
      oddHmacs: [...this.oddHmacs],
      byCustomerOther: byCustomer.other,
      byCustomerRecipientOther: byRecipient.other,
    };
    const head = Buffer.from(JSON.stringify(header), 'utf8');
    const align = (x: number) => (x + 7) & ~7;
    let size = align(SNAPSHOT_MAGIC.length + 4 + head.length);
    for (const [, , a] of arrays) size = align(size + a.byteLength);
    const out = new Uint8Array(size);
    out.set(Buffer.from(SNAPSHOT_MAGIC, 'latin1'), 0);
    new DataView(out.buffer).setUint32(SNAPSHOT_MAGIC.length, head.length, true);
    out.set(head, SNAPSHOT_MAGIC.length + 4);
    let at = align(SNAPSHOT_MAGIC.length + 4 + head.length);
    for (const [, , a] of arrays) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at = align(at + a.byteLength);
    }
    return out;
  }

  /** The index of a toBytes() snapshot and its `meta`; throws on anything that is not one. */
  static fromBytes(bytes: Uint8Array): { index: MapIndex; meta: unknown } {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const fail = (why: string) => new Error(`not a data map snapshot: ${why}`);
    if (buf.length < 12 || buf.toString('latin1', 0, 8) !== SNAPSHOT_MAGIC) throw fail('magic');
    const headLength = buf.readUInt32LE(8);
    const h = JSON.parse(buf.toString('utf8', 12, 12 + headLength)) as SnapshotHeader;
    if (h.littleEndian !== LITTLE_ENDIAN) throw fail('byte order');
    const align = (x: number) => (x + 7) & ~7;
    let at = align(12 + headLength);
    const sections = new Map<string, ArrayBufferView & ArrayLike<number>>();
    for (const sec of h.sections) {
      const T = TYPED[sec.type];
      const byteLength = sec.length * T.BYTES_PER_ELEMENT;
      if (at + byteLength > buf.length) throw fail('truncated');
      // copied out (aligned, and with room to grow when deltas follow)
      const room = sec.name === 'refText' ? sec.length : Math.max(1024, sec.length);
      const a = new T(room);
      new Uint8Array(a.buffer).set(buf.subarray(at, at + byteLength));
      sections.set(sec.name, a);
      at = align(at + byteLength);
    }
    const get = <A>(name: string) => {
      const a = sections.get(name);
      if (!a) throw fail(`no ${name}`);
      return a as unknown as A;
    };
    const index = new MapIndex();
    index.n = h.n;
    index.customerIds = get('customerIds');
    index.websiteIds = get('websiteIds');
    index.refFirst = get('refFirst');
    index.refOffset = get('refOffset');
    index.countries = get('countries');
    index.regions = get('regions');
    index.orderCounts = get('orderCounts');
    index.vaultCounts = get('vaultCounts');
    index.ledgerCounts = get('ledgerCounts');
    index.methodSets = get('methodSets');
    index.derived = get('derived');
    index.refLengths = get('refLengths');
    index.refCount = h.refCount;
    index.refChars = h.refChars;
    const textBytes = get<Uint8Array>('refText');
    const text = Buffer.from(textBytes.buffer, 0, textBytes.byteLength).toString(
      h.latin1 ? 'latin1' : 'utf16le',
    );
    if (text.length !== h.refChars) throw fail('reference text');
    index.refPieces.push(text);
    index.refText = text;
    index.strings.length = 0;
    for (const str of h.strings) index.strings.push(str);
    h.strings.forEach((str, id) => {
      if (str !== null) index.stringIds.set(str, id);
    });
    index.methodSetList.length = 0;
    h.methodSets.forEach((set, id) => {
      index.methodSetList.push(set);
      if (set.length === 1) index.singleMethodIds.set(set[0]!, id);
      else if (set.length > 1) index.methodSetIds.set(JSON.stringify(set), id);
    });
    for (const [i, id] of h.otherRecipients) index.otherRecipients.set(i, id);
    for (const [id, i] of h.byOtherRecipient) index.byOtherRecipient.set(id, i);
    for (const [hm, rows] of h.oddHmacs) index.oddHmacs.set(hm, rows);
    const fill = (t: IdTable, keys: Uint32Array, rows: Int32Array, other: [number, number][]) => {
      for (let k = 0; k < keys.length; k++) t.set(keys[k]!, rows[k]!);
      for (const [key, row] of other) t.set(key, row);
    };
    const keysOf = (name: string) => get<Uint32Array>(name).subarray(0, sectionLength(h, name));
    const rowsOf = (name: string) => get<Int32Array>(name).subarray(0, sectionLength(h, name));
    fill(index.byCustomer, keysOf('byCustomerKeys'), rowsOf('byCustomerRows'), h.byCustomerOther);
    fill(
      index.byCustomerRecipient,
      keysOf('byCustomerRecipientKeys'),
      rowsOf('byCustomerRecipientRows'),
      h.byCustomerRecipientOther,
    );
    index.entries = h.entries;
    index.entryRows = get('entryRows');
    const words = get<Int32Array<ArrayBuffer>>('entryWords');
    index.entryWords =
      words.length >= index.entryRows.length * 8
        ? words
        : growTo(words, index.entryRows.length * 8);
    let slots = 2048;
    while (h.entries * 2 > slots) slots *= 2;
    index.slots = new Int32Array(slots);
    index.rehashInto(index.slots);
    return { index, meta: h.meta };
  }

  /** The index from exportState() (after a postMessage). */
  static fromState(state: MapIndexState): MapIndex {
    const index = Object.assign(Object.create(MapIndex.prototype) as MapIndex, state);
    Object.setPrototypeOf(index.byCustomer, IdTable.prototype);
    Object.setPrototypeOf(index.byCustomerRecipient, IdTable.prototype);
    return index;
  }

  findByCustomerId(id: number): number | undefined {
    return this.byCustomer.get(id);
  }

  get size(): number {
    return this.n;
  }

  recipientId(i: number): string {
    return this.derived[i] === 1
      ? `c:${this.customerIds[i]}`
      : (this.otherRecipients.get(i) as string);
  }

  customerId(i: number): number | null {
    const v = this.customerIds[i]!;
    return Number.isNaN(v) ? null : v;
  }

  websiteId(i: number): number | null {
    const v = this.websiteIds[i]!;
    return Number.isNaN(v) ? null : v;
  }

  /** Interned country/region ids (0: null); equal ids mean equal strings. */
  countryId(i: number): number {
    return this.countries[i]!;
  }

  regionId(i: number): number {
    return this.regions[i]!;
  }

  /** The string of an interned id (null for 0). */
  text(id: number): string | null {
    return this.strings[id] ?? null;
  }

  orders(i: number): number {
    return this.orderCounts[i]!;
  }

  vaultTokens(i: number): number {
    return this.vaultCounts[i]!;
  }

  ledgerAccounts(i: number): number {
    return this.ledgerCounts[i]!;
  }

  /** Distinct payment methods of the row (shared between rows: do not modify). */
  methods(i: number): readonly string[] {
    return this.methodSetList[this.methodSets[i]!] ?? [];
  }

  references(i: number): { orders: string[]; vaultTokens: string[]; ledgerAccounts: string[] } {
    const o = this.orderCounts[i]!;
    const v = this.vaultCounts[i]!;
    const l = this.ledgerCounts[i]!;
    this.refText ??= this.refPieces.join('') + this.refTail.join('');
    const text = this.refText;
    let r = this.refFirst[i]!;
    let at = this.refOffset[i]!;
    const take = (n: number) => {
      const out: string[] = [];
      for (let k = 0; k < n; k++, r++) {
        const len = this.refLengths[r]!;
        out.push(text.slice(at, at + len));
        at += len;
      }
      return out;
    };
    const orders = take(o);
    const vaultTokens = take(v);
    return { orders, vaultTokens, ledgerAccounts: take(l) };
  }

  /** Row `i` as one object (tests, debugging; the join reads the columns). */
  row(i: number): MapRow {
    const refs = this.references(i);
    return {
      recipientId: this.recipientId(i),
      customerId: this.customerId(i),
      websiteId: this.websiteId(i),
      country: this.text(this.countryId(i)),
      region: this.text(this.regionId(i)),
      orders: this.orders(i),
      vault: this.vaultTokens(i),
      ledger: this.ledgerAccounts(i),
      methods: [...this.methods(i)],
      orderRefs: refs.orders,
      vaultRefs: refs.vaultTokens,
      ledgerRefs: refs.ledgerAccounts,
    };
  }
}

function sectionLength(h: SnapshotHeader, name: string): number {
  return h.sections.find((x) => x.name === name)?.length ?? 0;
}

function growTo(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

function reference(ref: string, what: string): string {
  if (typeof ref !== 'string') throw invalid(undefined, `${what} must be a string`);
  return ref;
}

function invalid(recipientId: string | undefined, what: string): Error {
  return new Error(
    `invalid data map record${typeof recipientId === 'string' ? ` ${recipientId.slice(0, 80)}` : ''}: ${what}`,
  );
}
