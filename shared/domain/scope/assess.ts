import type { DataCategory, Subject } from '#domain/regulatory/types.ts';
import {
  type ArtefactKind,
  type FileNameHint,
  inferCategories,
  isEmail,
  type Recognition,
} from './artefact.ts';
import { CsvError } from './csv.ts';
import type { MapIndex } from './data-map.ts';
import type { EmailHmac } from './email-hash.ts';
import { normaliseJurisdiction } from './jurisdiction.ts';

/** Scope of a leaked artefact: the join of its rows against the data map (or the file alone). */

export interface FinancialRecordRef {
  recipientId: string;
  customerId: number | null;
  orders: string[];
  vaultTokens: string[];
  ledgerAccounts: string[];
}

export interface ScopeResult {
  artefact: {
    file: string;
    kind: ArtefactKind;
    recognisedBy: string;
    entityFromFileName: string | null;
    exportedAt: string | null;
    rows: number;
    columns: number;
    unclassifiedColumns: string[];
  };
  /** IncidentFacts `subjects` shape (contracts/incident-facts.schema.json). */
  subjects: Subject[];
  /** IncidentFacts `dataCategories` shape. */
  dataCategories: DataCategory[];
  affected: { total: number; located: number; unlocated: number; matchedInMap: number };
  financialRecords: {
    orders: number;
    storedCards: number;
    ledgerAccounts: number;
    customersWithStoredCards: number;
    paymentMethods: Record<string, number>;
    references: FinancialRecordRef[];
    referencesTruncated: boolean;
  };
  unmatched: { rows: number; lines: number[]; linesTruncated: boolean };
  confidence: { level: 'high' | 'medium' | 'low'; map: boolean; notes: string[] };
}

export interface AssessOptions {
  file: string;
  fileName?: FileNameHint | undefined;
  map?: MapIndex | undefined;
  /**
   * The map is still loading (elsewhere) and comes with attachMap() before finish(): rows are
   * normalised and their email HMACs computed now, and held until then.
   */
  mapPending?: boolean | undefined;
  /**
   * Keyed HMAC of a normalised email (same key as the map); required with a map. When it also
   * has `digestInto` (emailHmacFn), lookups use the binary HMAC.
   */
  emailHmac?: EmailHmac | undefined;
  maxReferences?: number;
  maxUnmatchedLines?: number;
}

interface Loc {
  country: string | null;
  region: string | null;
  preferred: boolean;
}

export const normaliseEmail = (e: string): string => e.trim().toLowerCase();

const DIGITS = /^\d+$/;

export class ScopeAssessor {
  private readonly header: string[];
  private rows = 0;
  private map: MapIndex | undefined;
  private seen: Uint8Array;
  /** Rows waiting for the map: 7 values per row, email HMAC words (8 per row) when computed. */
  private held: (string | number | boolean)[] | undefined;
  private heldHmac = new Int32Array(0);
  private heldCount = 0;
  private readonly matchedRows: number[] = [];
  private readonly fileSubjects = new Map<string, Loc>();
  private unmatchedRows = 0;
  private readonly unmatchedLines: number[] = [];
  private readonly maxRefs: number;
  private readonly maxLines: number;
  /** Columns a CSV parser needs to project for addProjected (distinct, in role order). */
  readonly projection: number[] = [];
  private readonly slot = {
    email: -1,
    customerId: -1,
    website: -1,
    country: -1,
    region: -1,
    billing: -1,
  };
  private readonly hmacWords = new Int32Array(8);
  private readonly found: number[] = [];

  constructor(
    private readonly recognition: Recognition,
    header: string[],
    private readonly opts: AssessOptions,
  ) {
    this.header = header;
    this.map = opts.map;
    this.seen = new Uint8Array(opts.map?.size ?? 0);
    if (opts.mapPending && !opts.map) this.held = [];
    this.maxRefs = opts.maxReferences ?? 1000;
    this.maxLines = opts.maxUnmatchedLines ?? 50;
    if ((opts.map || opts.mapPending) && !opts.emailHmac)
      throw new Error('a map needs the email HMAC key');
    const r = recognition;
    const roles: [keyof ScopeAssessor['slot'], number | undefined][] = [
      ['email', r.emailCol],
      ['customerId', r.customerIdCol],
      ['website', r.websiteCol],
      ['country', r.countryCol],
      ['region', r.regionCol],
      ['billing', r.defaultBillingCol],
    ];
    for (const [role, col] of roles) {
      if (col === undefined) continue;
      let k = this.projection.indexOf(col);
      if (k === -1) k = this.projection.push(col) - 1;
      this.slot[role] = k;
    }
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
    this.row(
      line,
      at(r.emailCol),
      at(r.customerIdCol),
      at(r.websiteCol),
      at(r.countryCol),
      at(r.regionCol),
      at(r.defaultBillingCol) === '1',
    );
  }

  /**
   * Consumes one CSV record given as its field count and the values of `projection` only
   * (`values[k]` is column `projection[k]`, missing when the record is shorter): same result as
   * addFields with the whole record.
   */
  addProjected(line: number, count: number, values: readonly (string | undefined)[]): void {
    if (!this.recognition.headerless && count !== this.header.length) {
      throw new CsvError(
        line,
        `${count} fields where the header has ${this.header.length} (truncated line, unescaped quote or wrong delimiter)`,
      );
    }
    const s = this.slot;
    this.row(
      line,
      s.email < 0 ? '' : (values[s.email] ?? '').trim(),
      s.customerId < 0 ? '' : (values[s.customerId] ?? '').trim(),
      s.website < 0 ? '' : (values[s.website] ?? '').trim(),
      s.country < 0 ? '' : (values[s.country] ?? '').trim(),
      s.region < 0 ? '' : (values[s.region] ?? '').trim(),
      s.billing >= 0 && (values[s.billing] ?? '').trim() === '1',
    );
  }

  /** Consumes one JSONL object (keys are columns). */
  addObject(line: number, obj: Record<string, unknown>): void {
    const r = this.recognition;
    const at = (i: number | undefined) => {
      if (i === undefined) return '';
      const v = obj[this.header[i] ?? ''];
      return v === null || v === undefined ? '' : String(v).trim();
    };
    this.row(
      line,
      at(r.emailCol),
      at(r.customerIdCol),
      at(r.websiteCol),
      at(r.countryCol),
      at(r.regionCol),
      at(r.defaultBillingCol) === '1',
    );
  }

  private row(
    line: number,
    email: string,
    customerId: string,
    website: string,
    country: string,
    region: string,
    preferred: boolean,
  ): void {
    this.rows++;
    const mail = email && isEmail(email) ? normaliseEmail(email) : '';
    const held = this.held;
    if (held) {
      const k = this.heldCount++;
      held.push(line, mail, customerId, website, country, region, preferred);
      const digestInto = this.opts.emailHmac?.digestInto;
      if (mail && digestInto) {
        if (this.heldHmac.length < (k + 1) * 8) {
          const grown = new Int32Array(Math.max(8192, this.heldHmac.length * 2));
          grown.set(this.heldHmac);
          this.heldHmac = grown;
        }
        digestInto(mail, this.heldHmac, k * 8);
      }
      return;
    }
    this.join(line, mail, customerId, website, country, region, preferred, -1);
  }

  /** Whether this `mapPending` assessment still waits for its map. */
  get awaitingMap(): boolean {
    return this.held !== undefined;
  }

  /** Gives the map of a `mapPending` assessment and joins the rows held so far. */
  attachMap(map: MapIndex): void {
    const held = this.held;
    if (!held) throw new Error('attachMap: this assessment was not waiting for a map');
    this.held = undefined;
    this.map = map;
    this.seen = new Uint8Array(map.size);
    const withHmac = !!this.opts.emailHmac?.digestInto;
    for (let k = 0; k < this.heldCount; k++) {
      const b = k * 7;
      const mail = held[b + 1] as string;
      this.join(
        held[b] as number,
        mail,
        held[b + 2] as string,
        held[b + 3] as string,
        held[b + 4] as string,
        held[b + 5] as string,
        held[b + 6] as boolean,
        mail && withHmac ? k * 8 : -1,
      );
    }
    this.heldHmac = new Int32Array(0);
    this.heldCount = 0;
  }

  /** The join of one normalised row; `hmacAt`: its email HMAC in heldHmac (-1: compute it). */
  private join(
    line: number,
    mail: string,
    customerId: string,
    website: string,
    country: string,
    region: string,
    preferred: boolean,
    hmacAt: number,
  ): void {
    const map = this.map;
    const id = DIGITS.test(customerId) ? Number(customerId) : undefined;
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
        const hmac = this.opts.emailHmac;
        let rows: readonly number[];
        if (hmacAt >= 0) rows = map.findByHmacWords(this.heldHmac, this.found, hmacAt);
        else if (hmac?.digestInto) {
          hmac.digestInto(mail, this.hmacWords);
          rows = map.findByHmacWords(this.hmacWords, this.found);
        } else rows = map.findByHmac(hmac?.(mail) ?? '');
        if (rows.length > 0) {
          const site = DIGITS.test(website) ? Number(website) : undefined;
          for (const i of rows) {
            const w = map.websiteId(i);
            if (site !== undefined && w !== null && w !== site) continue;
            this.mark(i);
            hit = true;
          }
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
    const j = normaliseJurisdiction(country, region);
    const prev = this.fileSubjects.get(key);
    if (!prev || (!prev.country && j.country) || (preferred && !prev.preferred && j.country)) {
      this.fileSubjects.set(key, { ...j, preferred });
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
    if (this.held) throw new Error('finish: the data map was never attached');
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
    const map = this.map;
    const fin: ScopeResult['financialRecords'] = {
      orders: 0,
      storedCards: 0,
      ledgerAccounts: 0,
      customersWithStoredCards: 0,
      paymentMethods: {},
      references: [],
      referencesTruncated: false,
    };
    // jurisdictions per interned (country, region) pair: a million rows share a few hundred
    const places = new Map<number, { country: string | null; region: string | null }>();
    for (const i of map ? this.matchedRows : []) {
      if (!map || i >= map.size) continue;
      const c = map.countryId(i);
      const r = map.regionId(i);
      const pk = c * 0x100000000 + r;
      let j = places.get(pk);
      if (!j) {
        j = normaliseJurisdiction(map.text(c) ?? '', map.text(r) ?? '');
        places.set(pk, j);
      }
      count(j.country, j.region);
      const orders = map.orders(i);
      const vault = map.vaultTokens(i);
      const ledger = map.ledgerAccounts(i);
      fin.orders += orders;
      fin.storedCards += vault;
      fin.ledgerAccounts += ledger;
      if (vault > 0) fin.customersWithStoredCards++;
      for (const m of map.methods(i)) fin.paymentMethods[m] = (fin.paymentMethods[m] ?? 0) + 1;
      if (orders + vault + ledger > 0) {
        if (fin.references.length < this.maxRefs)
          fin.references.push({
            recipientId: map.recipientId(i),
            customerId: map.customerId(i),
            ...map.references(i),
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
    const map = this.map;
    if (!map) return;
    for (const i of this.matchedRows) if (i < map.size) yield map.recipientId(i);
  }
}

function fileNameAgrees(entity: string, kind: ArtefactKind): boolean {
  if (entity === 'customer') return kind === 'customer-export';
  if (entity === 'customer_address') return kind === 'address-export';
  if (entity === 'sales_order_grid' || entity === 'order') return kind === 'order-grid';
  return true;
}
