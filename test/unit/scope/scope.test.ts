import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileDataMapSink } from '#adapters/file-data-map.ts';
import { assessLeakFile } from '#adapters/leak-file-reader.ts';
import { SubjectSchema } from '#contracts/incident-facts.ts';
import { parseExportFileName } from '#domain/scope/artefact.ts';
import { CsvError, CsvParser } from '#domain/scope/csv.ts';
import { MapIndex } from '#domain/scope/data-map.ts';
import {
  ADDRESS_EXPORT_COLUMNS,
  addressExportValue,
  CUSTOMER_EXPORT_COLUMNS,
  csvCell,
  customerExportLines,
  mapRecordFor,
  person,
  rng,
  TEST_HMAC_KEY,
  testHmac,
} from '#local/scope-fixtures.ts';
import { runScope } from '../../../cli/commands/scope.ts';

const dir = mkdtempSync(join(tmpdir(), 'scope-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shuffled<T>(items: T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function write(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

function customerExport(name: string, columns: string[], n: number): string {
  return write(name, [...customerExportLines(columns, 0, n)].join(''));
}

describe('export recognition', () => {
  it('parses the file name pattern <entity>_<Ymd_His>.csv', () => {
    expect(parseExportFileName('var/export/customer_address_20240101_101500.csv')).toEqual({
      entity: 'customer_address',
      exportedAt: '2024-01-01T10:15:00',
    });
    expect(parseExportFileName('dump.csv')).toBeUndefined();
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`recognises a customer export with custom EAV columns in shuffled order (seed ${seed})`, async () => {
      const cols = shuffled([...CUSTOMER_EXPORT_COLUMNS, 'loyalty_iban', 'favourite_colour'], seed);
      const f = customerExport(`customer_20240101_10150${seed}.csv`, cols, 40);
      const { result } = await assessLeakFile(f, {});
      expect(result.artefact.kind).toBe('customer-export');
      expect(result.artefact.rows).toBe(40);
      expect(result.dataCategories).toEqual([
        'bank-account',
        'contact',
        'credentials',
        'date-of-birth',
        'government-id',
      ]);
      expect(result.artefact.unclassifiedColumns).toEqual(['favourite_colour']);
      // A customer export carries no address: nobody is located without a map.
      expect(result.affected).toMatchObject({ total: 40, located: 0, unlocated: 40 });
      expect(result.confidence.level).toBe('low');
    });
  }

  it('locates subjects from an address export alone (default billing address wins)', async () => {
    const cols = shuffled(ADDRESS_EXPORT_COLUMNS, 9);
    const lines = [cols.join(',')];
    for (let i = 0; i < 20; i++) {
      const p = person(i);
      // second address first, in another country, not default billing
      const other = { ...p, country: 'JP', region: '' };
      lines.push(cols.map((c) => csvCell(addressExportValue(other, c, 1))).join(','));
      lines.push(cols.map((c) => csvCell(addressExportValue(p, c, 0))).join(','));
    }
    const f = write('customer_address_20240102_000000.csv', `${lines.join('\r\n')}\r\n`);
    const { result } = await assessLeakFile(f, {});
    expect(result.artefact.kind).toBe('address-export');
    expect(result.artefact.rows).toBe(40);
    expect(result.affected.total).toBe(20);
    expect(result.subjects).toEqual([
      { country: 'DE', count: 2 },
      { country: 'ES', count: 2 },
      { country: 'FR', count: 2 },
      { country: 'GB', count: 2 },
      { country: 'IE', count: 2 },
      { country: 'NL', count: 2 },
      { country: 'US', region: 'CA', count: 2 },
      { country: 'US', region: 'NY', count: 2 },
      { country: 'US', region: 'TX', count: 2 },
      { country: 'US', region: 'WA', count: 2 },
    ]);
    for (const s of result.subjects) expect(SubjectSchema.safeParse(s).success).toBe(true);
    expect(result.dataCategories).toEqual(['contact', 'government-id', 'postal-address']);
  });

  it('recognises the order grid (admin labels), email lists, id lists and JSONL dumps', async () => {
    const grid = write(
      'sales_order_grid_20240101_000000.csv',
      'ID,Purchase Point,Purchase Date,Bill-to Name,Ship-to Name,Grand Total (Base),Customer Email,Payment Method\n100000001,Main,2024-01-01,Alex Sample,Alex Sample,10.00,person1@example.test,checkmo\n',
    );
    const g = await assessLeakFile(grid, {});
    expect(g.result.artefact.kind).toBe('order-grid');
    expect(g.result.dataCategories).toEqual(['contact', 'order-history']);
    const emails = write('emails.txt', 'person1@example.test\nperson2@example.test\n');
    expect((await assessLeakFile(emails, {})).result).toMatchObject({
      artefact: { kind: 'email-list', rows: 2 },
      dataCategories: ['contact'],
    });
    const ids = write('ids.csv', 'customer_id\n1\n2\n3\n');
    expect((await assessLeakFile(ids, {})).result.artefact).toMatchObject({
      kind: 'customer-id-list',
      rows: 3,
    });
    const dump = write(
      'customer_entity.jsonl',
      `${JSON.stringify({ entity_id: 1, email: 'person1@example.test', website_id: 1, password_hash: 'x', dob: null })}\n${JSON.stringify({ entity_id: 2, email: 'person2@example.test', website_id: 1, password_hash: 'y', dob: null })}\n`,
    );
    expect((await assessLeakFile(dump, {})).result).toMatchObject({
      artefact: { kind: 'table-dump', rows: 2 },
      dataCategories: ['contact', 'credentials', 'date-of-birth'],
    });
  });
});

describe('malformed CSV', () => {
  const header = CUSTOMER_EXPORT_COLUMNS.join(',');
  const row = (i: number) => [...customerExportLines(CUSTOMER_EXPORT_COLUMNS, i, i + 1)][1] ?? '';

  async function error(text: string, name = 'customer_20240101_000000.csv'): Promise<CsvError> {
    const f = write(name, text);
    try {
      await assessLeakFile(f, {});
    } catch (err) {
      expect(err).toBeInstanceOf(CsvError);
      return err as CsvError;
    }
    throw new Error('expected a CsvError');
  }

  it('accepts a UTF-8 BOM and keeps the first column name intact', async () => {
    const f = write('customer_20240101_000001.csv', `\uFEFF${header}\n${row(0)}`);
    const { result } = await assessLeakFile(f, {});
    expect(result.artefact).toMatchObject({ kind: 'customer-export', rows: 1 });
  });

  it('rejects a UTF-16 BOM with line 1', async () => {
    const e = await error(`\u00ff\u00fe${header}\n`);
    expect(e.line).toBe(1);
    expect(e.message).toMatch(/UTF-16/);
  });

  it('names the wrong delimiter on line 1', async () => {
    const e = await error(`${header.replaceAll(',', ';')}\n${row(0).replaceAll(',', ';')}`);
    expect(e.line).toBe(1);
    expect(e.message).toContain('wrong delimiter: the header is split by ";"');
  });

  it('reports an unterminated quote (truncated file) with the line where the record starts', async () => {
    const e = await error(
      `${header}\n${row(0)}${row(1)}person3@example.test,base,default,"cut off`,
    );
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/unterminated quoted field/);
  });

  it('reports a truncated line (too few fields) with its line number', async () => {
    const e = await error(`${header}\n${row(0)}${row(1)}person9@example.test,base\n${row(3)}`);
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/2 fields where the header has 22/);
  });

  it('reports a stray quote inside an unquoted field', async () => {
    const e = await error(
      `${header}\n${row(0).replace('Testville', 'Te"st')}${row(1).replace('base', 'ba"se')}`,
    );
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/quote inside unquoted field 2/);
  });

  it('reports text after a closing quote', async () => {
    const e = await error(`${header}\n"person1@example.test"x,base\n`);
    expect(e.line).toBe(2);
    expect(e.message).toMatch(/after closing quote/);
  });

  it('counts lines through quoted multi-line fields and across chunk boundaries', () => {
    const text = 'a,b\n"x\ny",1\n"q""q",2\n3,"z\n\nw"\n4,5\n';
    for (const size of [1, 2, 3, 5, 7, 100]) {
      const p = new CsvParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
      out.push(...p.end());
      expect(out).toEqual([
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['x\ny', '1'] },
        { line: 4, fields: ['q"q', '2'] },
        { line: 5, fields: ['3', 'z\n\nw'] },
        { line: 8, fields: ['4', '5'] },
      ]);
    }
  });
});

describe('join with the data map', () => {
  const hmac = testHmac();
  const mapDir = join(dir, 'map');

  async function buildMap(n: number) {
    const sink = new FileDataMapSink(mapDir);
    const records = Array.from({ length: n }, (_, i) => mapRecordFor(person(i), hmac));
    await sink.writePart('customers-000.jsonl', records.slice(0, n - 5));
    // a delta replaces the last five (customer moved to Colorado)
    await sink.writePart(
      'delta-001.jsonl',
      records.slice(n - 5).map((r) => ({ ...r, country: 'US', region: 'CO' })),
    );
    await sink.writeManifest({
      v: 1,
      hmacKeyId: 'test',
      generatedAt: '2024-01-02T00:00:00Z',
      watermark: '2024-01-01 10:00:00',
      files: ['customers-000.jsonl', 'delta-001.jsonl'],
      customers: n,
      guests: 0,
    });
  }

  it('matches leaked rows by email HMAC, counts jurisdictions and links financial records', async () => {
    await buildMap(100);
    // leak of people 0..59 plus 3 that are not in the map (ids 1000..1002)
    const cols = shuffled([...CUSTOMER_EXPORT_COLUMNS, 'loyalty_iban'], 7);
    const lines = [...customerExportLines(cols, 0, 60)];
    lines.push(...[...customerExportLines(cols, 1000, 1003)].slice(1));
    const f = write('customer_20240105_120000.csv', lines.join(''));
    const { result, recipients } = await runScope({ leak: f, map: mapDir, hmacKey: TEST_HMAC_KEY });
    expect(result.affected).toEqual({ total: 63, located: 60, unlocated: 3, matchedInMap: 60 });
    expect(result.unmatched).toEqual({ rows: 3, lines: [62, 63, 64], linesTruncated: false });
    expect(result.subjects.reduce((s, x) => s + x.count, 0)).toBe(60);
    expect(result.subjects).toContainEqual({ country: 'US', region: 'CA', count: 6 });
    expect(result.subjects).toContainEqual({ country: 'DE', count: 6 });
    expect(result.financialRecords).toMatchObject({
      orders: 60,
      storedCards: 20,
      ledgerAccounts: 30,
      customersWithStoredCards: 20,
      paymentMethods: { braintree: 20, checkmo: 40 },
    });
    expect(recipients).toHaveLength(60);
    expect(recipients[0]).toBe('c:1');
    expect(result.confidence.level).toBe('medium');
    expect(JSON.stringify(result)).not.toContain('@example.test');
  });

  it('applies map deltas (later records replace earlier ones)', async () => {
    await buildMap(20);
    const f = write('ids2.csv', 'customer_id\n16\n17\n18\n19\n20\n');
    const { result } = await runScope({ leak: f, map: mapDir, hmacKey: TEST_HMAC_KEY });
    expect(result.subjects).toEqual([{ country: 'US', region: 'CO', count: 5 }]);
    expect(result.confidence.level).toBe('high');
  });

  it('MapIndex de-duplicates subjects leaked twice', () => {
    const idx = new MapIndex();
    idx.add(mapRecordFor(person(0), hmac));
    idx.add(mapRecordFor(person(0), hmac));
    expect(idx.size).toBe(1);
  });
});
