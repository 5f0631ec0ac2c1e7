/**
 * The scope join as it was before the fast path (commit de40152), kept verbatim as the reference
 * the fast path is tested against: whole CSV records, JSON.parse per map line, an object per map
 * row keyed by hex HMAC strings, createHmac per leaked row. Not used by the product.
 */

import type { DataCategory, Subject } from '#domain/regulatory/types.ts';
import type { ArtefactKind } from '#domain/scope/artefact.ts';
import {
  type FileNameHint,
  inferCategories,
  isEmail,
  parseExportFileName,
  type Recognition,
  recognise,
} from '#domain/scope/artefact.ts';
import type { ScopeResult } from '#domain/scope/assess.ts';
import { CsvError, FOREIGN_DELIMITERS } from '#domain/scope/csv.ts';
import type { MapRecord } from '#domain/scope/data-map.ts';
import { normaliseJurisdiction } from '#domain/scope/jurisdiction.ts';

export interface SimpleOptions {
  file: string;
  fileName?: FileNameHint | undefined;
  map?: SimpleMapIndex | undefined;
  emailHmac?: ((normalisedEmail: string) => string) | undefined;
  maxReferences?: number;
  maxUnmatchedLines?: number;
}

interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
}

const QUOTE = 34; // "
const CR = 13;

export class SimpleCsvParser {
  private buf = '';
  private line = 1;
  private started = false;

  constructor(private readonly delimiter = ',') {}

  /** Feeds a chunk (any size); returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff)
        chunk = chunk.slice(1); // UTF-8 BOM
      else if (chunk.startsWith('\u00ff\u00fe') || chunk.startsWith('\u00fe\u00ff'))
        throw new CsvError(1, 'UTF-16 byte-order mark: re-save the file as UTF-8');
    }
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    return this.drain(false);
  }

  /** Ends the input; a partial record here means a truncated file. */
  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const buf = this.buf;
    const d = this.delimiter;
    let pos = 0;
    let q = -2; // cached position of the next quote at or after pos (-1: none left)
    while (pos < buf.length) {
      let nl = buf.indexOf('\n', pos);
      if (nl === -1) {
        if (!final) break;
        nl = buf.length;
      }
      // fast path: no quote on this physical line
      if (q !== -1 && q < pos) q = buf.indexOf('"', pos);
      if (q === -1 || q > nl) {
        let endLine = nl;
        if (endLine > pos && buf.charCodeAt(endLine - 1) === CR) endLine--;
        const text = buf.slice(pos, endLine);
        if (text.length > 0) out.push({ line: this.line, fields: text.split(d) });
        this.line++;
        pos = nl + 1;
        continue;
      }
      const parsed = this.slowRecord(buf, pos, final);
      if (!parsed) break; // incomplete quoted record: wait for more input
      if (parsed.fields.length > 1 || parsed.fields[0] !== '')
        out.push({ line: this.line, fields: parsed.fields });
      this.line += parsed.lines;
      pos = parsed.next;
    }
    this.buf = buf.slice(pos);
    return out;
  }

  /** Parses one record with quotes starting at `start`; undefined when the buffer ends inside it. */
  private slowRecord(
    buf: string,
    start: number,
    final: boolean,
  ): { fields: string[]; next: number; lines: number } | undefined {
    const fields: string[] = [];
    const d = this.delimiter.charCodeAt(0);
    let i = start;
    let lines = 1;
    let field = '';
    for (;;) {
      // start of a field
      if (buf.charCodeAt(i) === QUOTE) {
        i++;
        for (;;) {
          const q = buf.indexOf('"', i);
          if (q === -1) {
            if (!final) return undefined;
            throw new CsvError(
              this.line,
              'unterminated quoted field (the file is truncated or a quote is not escaped as "")',
            );
          }
          const piece = buf.slice(i, q);
          lines += countNewlines(piece);
          field += piece;
          if (buf.charCodeAt(q + 1) === QUOTE) {
            field += '"';
            i = q + 2;
            continue;
          }
          if (q + 1 >= buf.length && !final) return undefined;
          i = q + 1;
          break;
        }
        const c = buf.charCodeAt(i);
        if (i < buf.length && c !== d && c !== 10 && c !== CR) {
          throw new CsvError(
            this.line + lines - 1,
            `unexpected character after closing quote in field ${fields.length + 1}`,
          );
        }
      } else {
        let j = i;
        while (j < buf.length) {
          const c = buf.charCodeAt(j);
          if (c === d || c === 10 || c === CR) break;
          if (c === QUOTE)
            throw new CsvError(
              this.line + lines - 1,
              `quote inside unquoted field ${fields.length + 1} (quote the field and escape quotes as "")`,
            );
          j++;
        }
        if (j >= buf.length && !final) return undefined;
        field = buf.slice(i, j);
        i = j;
      }
      fields.push(field);
      field = '';
      if (i >= buf.length) {
        if (!final) return undefined;
        return { fields, next: i, lines };
      }
      const c = buf.charCodeAt(i);
      if (c === d) {
        i++;
        continue;
      }
      if (c === CR) i++;
      if (buf.charCodeAt(i) === 10) i++;
      else if (i < buf.length) {
        // lone CR: treat as line end
      } else if (!final) return undefined;
      return { fields, next: i, lines };
    }
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k !== -1; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

interface Row {
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

/** In-memory index of the map for the streaming join (compact: no hashes kept per row). */
export class SimpleMapIndex {
  readonly rows: Row[] = [];
  private readonly byHmac = new Map<string, number[]>();
  private readonly byCustomer = new Map<number, number>();
  private readonly byRecipient = new Map<string, number>();

  add(rec: MapRecord): void {
    const row: Row = {
      recipientId: rec.recipientId,
      customerId: rec.customerId,
      websiteId: rec.websiteId,
      country: rec.country,
      region: rec.region,
      orders: rec.orders.length,
      vault: rec.vaultTokens.length,
      ledger: rec.ledgerAccounts.length,
      methods: [
        ...new Set(
          [...rec.orders.map((o) => o.method), ...rec.vaultTokens.map((t) => t.method)].filter(
            (m): m is string => !!m,
          ),
        ),
      ],
      orderRefs: rec.orders.map((o) => o.incrementId),
      vaultRefs: rec.vaultTokens.map((t) => t.publicHash),
      ledgerRefs: rec.ledgerAccounts,
    };
    const existing = this.byRecipient.get(rec.recipientId);
    if (existing !== undefined) {
      this.rows[existing] = row; // a later delta replaces the record (hash unchanged or re-added)
      this.addHmac(rec.emailHmac, existing);
      return;
    }
    const i = this.rows.length;
    this.rows.push(row);
    this.byRecipient.set(rec.recipientId, i);
    if (rec.customerId !== null) this.byCustomer.set(rec.customerId, i);
    this.addHmac(rec.emailHmac, i);
  }

  private addHmac(h: string, i: number): void {
    const list = this.byHmac.get(h);
    if (!list) this.byHmac.set(h, [i]);
    else if (!list.includes(i)) list.push(i);
  }

  findByHmac(h: string): readonly number[] {
    return this.byHmac.get(h) ?? [];
  }

  findByCustomerId(id: number): number | undefined {
    return this.byCustomer.get(id);
  }

  get size(): number {
    return this.rows.length;
  }
}

interface Loc {
  country: string | null;
  region: string | null;
  preferred: boolean;
}

const normaliseEmail = (e: string): string => e.trim().toLowerCase();

export class SimpleAssessor {
  private readonly header: string[];
  private rows = 0;
  private readonly seen: Uint8Array;
  private readonly matchedRows: number[] = [];
  private readonly fileSubjects = new Map<string, Loc>();
  private unmatchedRows = 0;
  private readonly unmatchedLines: number[] = [];
  private readonly maxRefs: number;
  private readonly maxLines: number;

  constructor(
    private readonly recognition: Recognition,
    header: string[],
    private readonly opts: SimpleOptions,
  ) {
    this.header = header;
    this.seen = new Uint8Array(opts.map?.size ?? 0);
    this.maxRefs = opts.maxReferences ?? 1000;
    this.maxLines = opts.maxUnmatchedLines ?? 50;
    if (opts.map && !opts.emailHmac) throw new Error('a map needs the email HMAC key');
  }

  /** Consumes one data record (CSV fields in header order). */
  addFields(line: number, fields: string[]): void {
    if (!this.recognition.headerless && fields.length !== this.header.length) {
      throw new CsvError(
        line,
        `${fields.length} fields where the header has ${this.header.length} (truncated line, unescaped quote or wrong delimiter)`,
      );
    }
    const r = this.recognition;
    const at = (i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());
    this.row(line, at(r.emailCol), at(r.customerIdCol), at(r.websiteCol), {
      country: at(r.countryCol),
      region: at(r.regionCol),
      preferred: at(r.defaultBillingCol) === '1',
    });
  }

  /** Consumes one JSONL object (keys are columns). */
  addObject(line: number, obj: Record<string, unknown>): void {
    const r = this.recognition;
    const at = (i: number | undefined) => {
      if (i === undefined) return '';
      const v = obj[this.header[i] ?? ''];
      return v === null || v === undefined ? '' : String(v).trim();
    };
    this.row(line, at(r.emailCol), at(r.customerIdCol), at(r.websiteCol), {
      country: at(r.countryCol),
      region: at(r.regionCol),
      preferred: at(r.defaultBillingCol) === '1',
    });
  }

  private row(
    line: number,
    email: string,
    customerId: string,
    website: string,
    loc: { country: string; region: string; preferred: boolean },
  ): void {
    this.rows++;
    const map = this.opts.map;
    const mail = email && isEmail(email) ? normaliseEmail(email) : '';
    const id = /^\d+$/.test(customerId) ? Number(customerId) : undefined;
    if (map) {
      let hit = false;
      if (id !== undefined) {
        const i = map.findByCustomerId(id);
        if (i !== undefined) {
          this.mark(i);
          hit = true;
        }
      }
      if (!hit && mail) {
        const hmac = this.opts.emailHmac?.(mail) ?? '';
        for (const i of map.findByHmac(hmac)) {
          const w = map.rows[i]?.websiteId;
          if (/^\d+$/.test(website) && w !== null && w !== undefined && w !== Number(website))
            continue;
          this.mark(i);
          hit = true;
        }
      }
      if (hit) return;
    }
    if (!mail && id === undefined) {
      this.unmatch(line);
      return;
    }
    if (map) this.unmatch(line);
    const key = mail ? `e:${mail}|${website}` : `c:${id}`;
    const j = normaliseJurisdiction(loc.country, loc.region);
    const prev = this.fileSubjects.get(key);
    if (!prev || (!prev.country && j.country) || (loc.preferred && !prev.preferred && j.country)) {
      this.fileSubjects.set(key, { ...j, preferred: loc.preferred });
    }
  }

  private mark(i: number): void {
    if (this.seen[i] === 1) return;
    this.seen[i] = 1;
    this.matchedRows.push(i);
  }

  private unmatch(line: number): void {
    this.unmatchedRows++;
    if (this.unmatchedLines.length < this.maxLines) this.unmatchedLines.push(line);
  }

  finish(): ScopeResult {
    const groups = new Map<string, Subject>();
    let unlocated = 0;
    const count = (country: string | null, region: string | null) => {
      if (!country) {
        unlocated++;
        return;
      }
      const k = `${country}|${region ?? ''}`;
      const g = groups.get(k);
      if (g) g.count++;
      else groups.set(k, region ? { country, region, count: 1 } : { country, count: 1 });
    };
    const map = this.opts.map;
    const fin: ScopeResult['financialRecords'] = {
      orders: 0,
      storedCards: 0,
      ledgerAccounts: 0,
      customersWithStoredCards: 0,
      paymentMethods: {},
      references: [],
      referencesTruncated: false,
    };
    for (const i of this.matchedRows) {
      const row = map?.rows[i];
      if (!row) continue;
      const j = normaliseJurisdiction(row.country ?? '', row.region ?? '');
      count(j.country, j.region);
      fin.orders += row.orders;
      fin.storedCards += row.vault;
      fin.ledgerAccounts += row.ledger;
      if (row.vault > 0) fin.customersWithStoredCards++;
      for (const m of row.methods) fin.paymentMethods[m] = (fin.paymentMethods[m] ?? 0) + 1;
      if (row.orders + row.vault + row.ledger > 0) {
        if (fin.references.length < this.maxRefs)
          fin.references.push({
            recipientId: row.recipientId,
            customerId: row.customerId,
            orders: row.orderRefs,
            vaultTokens: row.vaultRefs,
            ledgerAccounts: row.ledgerRefs,
          });
        else fin.referencesTruncated = true;
      }
    }
    for (const loc of this.fileSubjects.values()) count(loc.country, loc.region);
    const subjects = [...groups.values()].sort(
      (a, b) =>
        a.country.localeCompare(b.country) || (a.region ?? '').localeCompare(b.region ?? ''),
    );
    const inference = inferCategories(this.header);
    const categories = new Set<DataCategory>(
      this.recognition.headerless
        ? this.recognition.kind === 'email-list'
          ? ['contact']
          : []
        : inference.categories,
    );
    const total = this.matchedRows.length + this.fileSubjects.size;
    const notes: string[] = [];
    let level: ScopeResult['confidence']['level'];
    if (!map) {
      level = 'low';
      notes.push(
        'No data map: subjects and jurisdictions come from the leaked file alone; run with --map for matched customers, jurisdictions and financial records.',
      );
    } else {
      const rate = this.rows === 0 ? 1 : (this.rows - this.unmatchedRows) / this.rows;
      level = rate >= 0.95 && unlocated === 0 ? 'high' : 'medium';
      notes.push(
        `${this.rows - this.unmatchedRows} of ${this.rows} rows matched the data map (${(rate * 100).toFixed(1)}%).`,
      );
      if (this.unmatchedRows > 0)
        notes.push(
          `${this.unmatchedRows} rows did not match the map (deleted customers, guests without orders, or a stale map); they are counted from the file where it gives a country.`,
        );
    }
    if (unlocated > 0)
      notes.push(
        `${unlocated} affected individuals have no known country of residence and are not in subjects; resolve them before relying on the obligations (they may add jurisdictions).`,
      );
    if (inference.unclassified.length > 0 && !this.recognition.headerless)
      notes.push(
        `Unclassified columns (check for personal data): ${inference.unclassified.join(', ')}.`,
      );
    const hint = this.opts.fileName;
    if (hint && !fileNameAgrees(hint.entity, this.recognition.kind))
      notes.push(
        `The file name says entity "${hint.entity}" but the columns look like a ${this.recognition.kind}; columns win.`,
      );
    return {
      artefact: {
        file: this.opts.file,
        kind: this.recognition.kind,
        recognisedBy: this.recognition.recognisedBy,
        entityFromFileName: hint?.entity ?? null,
        exportedAt: hint?.exportedAt ?? null,
        rows: this.rows,
        columns: this.header.length,
        unclassifiedColumns: inference.unclassified,
      },
      subjects,
      dataCategories: [...categories].sort(),
      affected: {
        total,
        located: total - unlocated,
        unlocated,
        matchedInMap: this.matchedRows.length,
      },
      financialRecords: fin,
      unmatched: {
        rows: this.unmatchedRows,
        lines: this.unmatchedLines,
        linesTruncated: this.unmatchedRows > this.unmatchedLines.length,
      },
      confidence: { level, map: !!map, notes },
    };
  }

  /** Recipient ids of matched map rows (customers and guests), for the notification workflow. */
  *recipients(): Generator<string> {
    const map = this.opts.map;
    if (!map) return;
    for (const i of this.matchedRows) {
      const r = map.rows[i];
      if (r) yield r.recipientId;
    }
  }
}

function fileNameAgrees(entity: string, kind: ArtefactKind): boolean {
  if (entity === 'customer') return kind === 'customer-export';
  if (entity === 'customer_address') return kind === 'address-export';
  if (entity === 'sales_order_grid' || entity === 'order') return kind === 'order-grid';
  return true;
}

function unrecognised(header: string[]): CsvError {
  const only = header.length === 1 ? (header[0] ?? '') : '';
  const foreign = FOREIGN_DELIMITERS.find((d) => only.includes(d));
  if (foreign)
    return new CsvError(
      1,
      `wrong delimiter: the header is split by ${JSON.stringify(foreign)}, Magento exports use ","`,
    );
  return new CsvError(
    1,
    `unrecognised artefact: no customer export (email,_website,_store), address export (_website,_email,_entity_id), order grid, id/email list or table columns with email/customer_id; columns: ${header.slice(0, 12).join(',')}`,
  );
}

async function readCsv(
  stream: AsyncIterable<string>,
  opts: SimpleOptions,
): Promise<SimpleAssessor> {
  const parser = new SimpleCsvParser(',');
  let assessor: SimpleAssessor | undefined;
  let pendingHeaderless: { line: number; fields: string[] } | undefined;
  const take = (records: { line: number; fields: string[] }[]) => {
    for (const rec of records) {
      if (!assessor) {
        const recognition = recognise(rec.fields);
        if (!recognition) throw unrecognised(rec.fields);
        const header = recognition.headerless ? ['value'] : rec.fields;
        assessor = new SimpleAssessor(recognition, header, opts);
        if (recognition.headerless) pendingHeaderless = rec;
        if (pendingHeaderless) {
          assessor.addFields(pendingHeaderless.line, pendingHeaderless.fields);
          pendingHeaderless = undefined;
        }
        continue;
      }
      assessor.addFields(rec.line, rec.fields);
    }
  };
  for await (const chunk of stream) take(parser.push(chunk));
  take(parser.end());
  if (!assessor) throw new CsvError(1, 'empty file: no header row');
  return assessor;
}

async function readJsonl(
  stream: AsyncIterable<string>,
  opts: SimpleOptions,
): Promise<SimpleAssessor> {
  let assessor: SimpleAssessor | undefined;
  let rest = '';
  let line = 0;
  const one = (text: string) => {
    line++;
    const t = text.trim();
    if (t === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch {
      throw new CsvError(line, 'not a JSON object (truncated line or not JSONL)');
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj))
      throw new CsvError(line, 'not a JSON object');
    const record = obj as Record<string, unknown>;
    if (!assessor) {
      const header = Object.keys(record);
      const recognition = recognise(header);
      if (!recognition || recognition.headerless) throw unrecognised(header);
      assessor = new SimpleAssessor(recognition, header, opts);
    }
    assessor.addObject(line, record);
  };
  let first = true;
  for await (const chunk0 of stream) {
    let chunk = chunk0;
    if (first && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    first = false;
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      one(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.trim() !== '') one(rest);
  if (!assessor) throw new CsvError(1, 'empty file: no JSON objects');
  return assessor;
}

/** Adds the JSONL records of one map part (any text stream: a file, an S3 object) to an index. */
export async function simpleAddMapLines(
  index: SimpleMapIndex,
  stream: AsyncIterable<string>,
): Promise<void> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl > start) index.add(JSON.parse(text.slice(start, nl)) as MapRecord);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.trim()) index.add(JSON.parse(rest) as MapRecord);
}

/** assessLeakStream of the reference: the whole text as one chunk sequence. */
export async function simpleAssess(
  name: string,
  chunks: AsyncIterable<string> | Iterable<string>,
  opts: Omit<SimpleOptions, 'file' | 'fileName'>,
): Promise<{ result: ScopeResult; recipients: string[] }> {
  const stream = (async function* () {
    yield* chunks;
  })();
  const fileName = parseExportFileName(name);
  const jsonl = /\.(jsonl|ndjson)$/i.test(name);
  const base = { ...opts, file: name, fileName };
  const assessor = jsonl ? await readJsonl(stream, base) : await readCsv(stream, base);
  return { result: assessor.finish(), recipients: [...assessor.recipients()] };
}
