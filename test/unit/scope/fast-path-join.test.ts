import { createHmac } from 'node:crypto';
import {
  createReadStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataMapSink, loadMapIndex, readManifest } from '#adapters/file-data-map.ts';
import { assessLeakFile, assessLeakStream } from '#adapters/leak-file-reader.ts';
import { CsvError } from '#domain/scope/csv.ts';
import type { MapIndex, MapManifest, MapRecord } from '#domain/scope/data-map.ts';
import {
  ADDRESS_EXPORT_COLUMNS,
  addressExportValue,
  CUSTOMER_EXPORT_COLUMNS,
  csvCell,
  customerExportValue,
  mapRecordFor,
  person,
  rng,
  TEST_HMAC_KEY,
  testHmac,
} from '#local/scope-fixtures.ts';
import type { MagentoMapSource } from '#ports/data-map.ts';
import { exportDataMap } from '#use-cases/scope/export-data-map.ts';
import { SimpleMapIndex, simpleAddMapLines, simpleAssess } from './reference/simple-join.ts';

/**
 * End to end: the fast scope join (projected CSV, binary HMACs, columnar index, map indexed in a
 * worker thread while the leak is read) against the pre-fast-path join (reference/simple-join.ts)
 * on generated exports with quoted fields, multi-line values, odd emails, unknown people, deltas
 * and guests: identical results, recipients and errors.
 */

const dir = mkdtempSync(join(tmpdir(), 'scope-fast-'));
const mapDir = join(dir, 'map');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hmac = testHmac();
const plainHmac = (e: string) => createHmac('sha256', TEST_HMAC_KEY).update(e).digest('hex');
const N = 400;

function guestRecord(email: string, h: (e: string) => string, country: string | null): MapRecord {
  const emailHmac = h(email);
  return {
    v: 1,
    kind: 'guest',
    recipientId: `g:${emailHmac}`,
    customerId: null,
    websiteId: null,
    emailHmac,
    country,
    region: null,
    hasVaultTokens: false,
    orders: [{ orderId: 9, incrementId: '900000009', paymentId: null, method: 'checkmo' }],
    vaultTokens: [],
    ledgerAccounts: [],
    updatedAt: '2024-01-01 10:00:00',
  };
}

/** A map with a delta, guests, a moved email and one email on two websites. */
async function writeMap(): Promise<void> {
  const sink = new FileDataMapSink(mapDir);
  const people = Array.from({ length: N }, (_, i) => person(i));
  const full: MapRecord[] = people.map((p) => mapRecordFor(p, hmac));
  // person 3's email also belongs to a customer on website 2
  full.push({ ...mapRecordFor({ ...person(3), customerId: 5000, websiteId: 2 }, hmac) });
  await sink.writePart('full-00000.jsonl', full.slice(0, 200));
  await sink.writePart('full-00001.jsonl', full.slice(200));
  const delta: MapRecord[] = [
    // moved to Colorado; person 11 changed email (the old HMAC keeps pointing at the row)
    ...people.slice(10, 20).map((p) => ({ ...mapRecordFor(p, hmac), country: 'US', region: 'CO' })),
    { ...mapRecordFor(person(11), hmac), emailHmac: hmac('renamed11@example.test') },
    guestRecord('guest1@example.test', hmac, 'FR'),
    guestRecord('guest2@example.test', hmac, null),
  ];
  // a line the canonical scanner leaves to JSON.parse (escaped quote in a reference)
  delta.push({ ...mapRecordFor(person(21), hmac), ledgerAccounts: ['L-"21"'] });
  await sink.writePart('delta-00000.jsonl', delta);
  await sink.writeManifest({
    v: 1,
    hmacKeyId: 'test',
    generatedAt: '2024-01-02T00:00:00Z',
    watermark: null,
    files: ['full-00000.jsonl', 'full-00001.jsonl', 'delta-00000.jsonl'],
    customers: N + 1,
    guests: 2,
  });
}

/** Leaked people: map customers, unknown ones, repeats, guests, odd spellings of emails. */
function leakedPeople(seed: number, n: number): { i: number; email: string }[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const i = Math.floor(r() * (N + 60));
    const p = person(i);
    const x = r();
    const email =
      x < 0.05
        ? `  ${p.email.toUpperCase()} `
        : x < 0.08
          ? 'not-an-email'
          : x < 0.1
            ? ''
            : x < 0.12
              ? 'guest1@example.test'
              : x < 0.13
                ? 'renamed11@example.test'
                : p.email;
    return { i, email };
  });
}

function customerExport(seed: number): string {
  const r = rng(seed);
  const cols = [...CUSTOMER_EXPORT_COLUMNS, 'favourite_colour', 'notes'].sort(() => r() - 0.5);
  const lines = [`${cols.join(',')}\n`];
  for (const { i, email } of leakedPeople(seed, 300)) {
    const p = person(i);
    const cells = cols.map((c) =>
      c === 'email'
        ? email
        : c === 'notes'
          ? i % 4 === 0
            ? `first line\nsecond, "quoted" line`
            : ''
          : c === '_website'
            ? i % 7 === 0
              ? '2'
              : 'base'
            : customerExportValue(p, c),
    );
    lines.push(`${cells.map(csvCell).join(',')}${i % 5 === 0 ? '\r\n' : '\n'}`);
  }
  return lines.join('');
}

function addressExport(seed: number): string {
  const lines = [`${ADDRESS_EXPORT_COLUMNS.join(',')}\n`];
  for (const { i, email } of leakedPeople(seed, 200)) {
    const p = person(i);
    // some have a second, non-billing address abroad listed first: the billing one locates them
    for (const no of i % 3 === 0 ? [1, 0] : [0]) {
      const cells = ADDRESS_EXPORT_COLUMNS.map((c) =>
        c === '_email'
          ? email
          : no === 1 && c === 'country_id'
            ? 'PT'
            : addressExportValue(p, c, no),
      );
      lines.push(`${cells.map(csvCell).join(',')}\n`);
    }
  }
  return lines.join('');
}

function orderGrid(seed: number): string {
  const lines = ['increment_id,customer_email,customer_id,billing_country_id,billing_region\n'];
  for (const { i, email } of leakedPeople(seed, 200)) {
    const p = person(i);
    const id = i % 6 === 0 ? '' : String(p.customerId);
    lines.push(`${[`1000${i}`, email, id, p.country, p.region].map(csvCell).join(',')}\n`);
  }
  return lines.join('');
}

const emailList = (seed: number) =>
  leakedPeople(seed, 150)
    .map((x) => `${csvCell(x.email)}\n`)
    .join('');
const idList = (seed: number) =>
  `customer_id\n${leakedPeople(seed, 150)
    .map((x) => `${x.i + 1}\n`)
    .join('')}`;
const tableDump = (seed: number) =>
  leakedPeople(seed, 100)
    .map((x) => `${JSON.stringify({ entity_id: x.i + 1, email: x.email, website_id: 1 })}\n`)
    .join('');

const LEAKS: [string, (seed: number) => string][] = [
  ['customer_20240105_120000.csv', customerExport],
  ['customer_address_20240105_120000.csv', addressExport],
  ['sales_order_grid_20240105_120000.csv', orderGrid],
  ['emails.csv', emailList],
  ['ids.csv', idList],
  ['customer_entity.jsonl', tableDump],
];

/** The text as a stream of odd-sized chunks. */
async function* chunks(text: string, seed: number): AsyncGenerator<string> {
  const r = rng(seed);
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(r() * 300);
    yield text.slice(i, i + n);
    i += n;
  }
}

let simpleIndex: SimpleMapIndex;
let index: MapIndex;

beforeAll(async () => {
  await writeMap();
  simpleIndex = new SimpleMapIndex();
  for (const f of ['full-00000.jsonl', 'full-00001.jsonl', 'delta-00000.jsonl']) {
    await simpleAddMapLines(simpleIndex, createReadStream(join(mapDir, f), 'utf8'));
  }
  index = (await loadMapIndex(mapDir, { thread: 'main' })).index;
});

async function outcome<T>(f: () => Promise<T>) {
  try {
    return { ok: await f() };
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { error: err.message };
  }
}

describe('fast scope join against the pre-fast-path join', () => {
  for (const [name, make] of LEAKS) {
    for (const seed of [1, 2, 3]) {
      it(`${name} (seed ${seed}): same result and recipients, with and without the map`, async () => {
        const text = make(seed);
        mkdirSync(join(dir, `seed-${seed}`), { recursive: true });
        const file = join(dir, `seed-${seed}`, name);
        writeFileSync(file, text);
        const opts = { maxReferences: 25, maxUnmatchedLines: 7 };
        const expected = await simpleAssess(name, [text], {
          ...opts,
          map: simpleIndex,
          emailHmac: plainHmac,
        });
        expect(expected.result.affected.matchedInMap).toBeGreaterThan(0);
        // the map already loaded, the text in odd chunks
        const loaded = await assessLeakStream(name, chunks(text, seed), {
          ...opts,
          map: index,
          emailHmac: hmac,
        });
        expect(loaded).toEqual(expected);
        // the map still loading in a worker thread while the file is read
        const pending = loadMapIndex(mapDir, { thread: 'worker' });
        const streamed = await assessLeakFile(file, {
          ...opts,
          map: pending.then((m) => m.index),
          emailHmac: hmac,
        });
        expect((await pending).thread).toBe('worker');
        expect(streamed).toEqual(expected);
        // the map arrives while the file is read: rows before it wait, rows after go straight in
        let arrive: (m: MapIndex) => void = () => {};
        const late = new Promise<MapIndex>((resolve) => {
          arrive = resolve;
        });
        const midway = async function* () {
          let k = 0;
          for await (const c of chunks(text, seed + 2)) {
            if (++k === 5) arrive(index);
            yield c;
          }
          arrive(index); // short files: at their end
        };
        expect(
          await assessLeakStream(name, midway(), { ...opts, map: late, emailHmac: hmac }),
        ).toEqual(expected);
        // a plain HMAC function (no binary digest) takes the hex lookups
        expect(
          await assessLeakStream(name, chunks(text, 0), {
            ...opts,
            map: index,
            emailHmac: plainHmac,
          }),
        ).toEqual(expected);
        // file only
        expect(await assessLeakStream(name, chunks(text, seed + 1), opts)).toEqual(
          await simpleAssess(name, [text], opts),
        );
      });
    }
  }

  it('reports the same errors for damaged exports (quotes, truncation, stray bytes)', async () => {
    const text = customerExport(9);
    const r = rng(11);
    let errors = 0;
    for (let k = 0; k < 60; k++) {
      const at = Math.floor(r() * text.length);
      const damaged =
        k % 3 === 0
          ? text.slice(0, at)
          : text.slice(0, at) + ['"', ',', '\n', 'x"y'][k % 4] + text.slice(at + (k % 2));
      const name = 'customer_20240105_120000.csv';
      const expected = await outcome(() =>
        simpleAssess(name, [damaged], { map: simpleIndex, emailHmac: plainHmac }),
      );
      const actual = await outcome(() =>
        assessLeakStream(name, chunks(damaged, k), {
          map: Promise.resolve(index),
          emailHmac: hmac,
        }),
      );
      expect(actual, `damage ${k} at ${at}`).toEqual(expected);
      if ('error' in expected) errors++;
    }
    expect(errors).toBeGreaterThan(10);
  });

  it('a map that fails to load wins over the leak, as when it was loaded first', async () => {
    const bad = join(dir, 'bad-map');
    const sink = new FileDataMapSink(bad);
    await sink.writePart('full-00000.jsonl', []);
    writeFileSync(join(bad, 'full-00000.jsonl'), '{"v":1,\n');
    await sink.writeManifest({
      v: 1,
      hmacKeyId: 'test',
      generatedAt: '2024-01-02T00:00:00Z',
      watermark: null,
      files: ['full-00000.jsonl'],
      customers: 1,
      guests: 0,
    });
    for (const thread of ['worker', 'main'] as const) {
      const map = loadMapIndex(bad, { thread }).then((m) => m.index);
      await expect(
        assessLeakStream('x.csv', chunks('email,_website,_store\n"broken\n', 0), {
          map,
          emailHmac: hmac,
        }),
      ).rejects.toThrow(SyntaxError);
      await expect(map).rejects.toThrow(SyntaxError);
    }
  });

  it('the exporter writes an index snapshot; scope loads it, then the deltas after it', async () => {
    const exportDir = join(dir, 'exported');
    const sink = new FileDataMapSink(exportDir);
    let moved = false;
    /** The replica: people 0..299; after the first export people 40..49 move to Colorado. */
    const source: MagentoMapSource = {
      async *customers(since, batchSize) {
        const rows = Array.from({ length: 300 }, (_, i) => person(i))
          .filter((p) => since === null || (moved && p.customerId > 40 && p.customerId <= 50))
          .map((p) => ({
            customerId: p.customerId,
            websiteId: p.websiteId,
            email: p.email,
            firstname: p.firstname,
            country: moved && since !== null ? 'US' : p.country,
            region: moved && since !== null ? 'CO' : p.country === 'US' ? p.region : null,
            updatedAt: since === null ? '2024-01-01 10:00:00' : '2024-02-01 10:00:00',
            createdAt: '2023-12-01 10:00:00',
            orders: [
              {
                orderId: p.customerId,
                incrementId: `${p.customerId}`,
                paymentId: null,
                method: 'checkmo',
              },
            ],
            vaultTokens: [],
          }));
        for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
      },
      async *guests() {},
      async close() {},
    };
    const deps = {
      source,
      sink,
      emailHmac: hmac,
      hmacKeyId: 'test',
      now: () => '2024-03-01T00:00:00.000Z',
    };
    await exportDataMap(deps, { mode: 'full', batchSize: 64 });
    moved = true;
    await exportDataMap(
      { ...deps, now: () => '2024-03-02T00:00:00.000Z' },
      { mode: 'incremental', batchSize: 64 },
    );
    const manifest = await readManifest(exportDir);
    expect(manifest.index).toEqual({ file: '_full-20240301T000000000-index.bin', covers: 5 });
    expect(manifest.files).toHaveLength(6);

    const jsonl = await loadMapIndex(exportDir, { snapshot: false, thread: 'main' });
    const simple = new SimpleMapIndex();
    for (const f of manifest.files)
      await simpleAddMapLines(simple, createReadStream(join(exportDir, f), 'utf8'));
    const sameAsSimple = (index: MapIndex) => {
      expect(index.size).toBe(simple.size);
      for (let i = 0; i < simple.size; i++) expect(index.row(i)).toEqual(simple.rows[i]);
      for (let i = 0; i < 310; i++) {
        const h = hmac(person(i).email);
        expect([...index.findByHmac(h)]).toEqual(simple.findByHmac(h));
      }
    };
    sameAsSimple(jsonl.index);
    expect(jsonl.snapshot).toBe(false);
    for (const thread of ['main', 'worker'] as const) {
      const loaded = await loadMapIndex(exportDir, { thread });
      expect([loaded.snapshot, loaded.thread]).toEqual([true, thread]);
      sameAsSimple(loaded.index);
      expect(loaded.index.row(45)).toMatchObject({ country: 'US', region: 'CO' });
    }
    // the join on it, against the reference
    const text = customerExport(4);
    const name = 'customer_20240105_120000.csv';
    const expected = await simpleAssess(name, [text], { map: simple, emailHmac: plainHmac });
    const snapshotMap = loadMapIndex(exportDir).then((m) => m.index);
    expect(
      await assessLeakStream(name, chunks(text, 4), { map: snapshotMap, emailHmac: hmac }),
    ).toEqual(expected);

    // a snapshot that does not match the files, or is damaged, is passed over: same index
    const snapshotFile = join(exportDir, manifest.index?.file ?? '');
    const writeManifest = (m: MapManifest) =>
      writeFileSync(join(exportDir, 'manifest.json'), JSON.stringify(m));
    writeManifest({ ...manifest, files: ['renamed.jsonl', ...manifest.files.slice(1)] });
    writeFileSync(
      join(exportDir, 'renamed.jsonl'),
      readFileSync(join(exportDir, manifest.files[0] ?? '')),
    );
    let loaded = await loadMapIndex(exportDir);
    expect(loaded.snapshot).toBe(false);
    sameAsSimple(loaded.index);
    writeManifest(manifest);
    const bytes = readFileSync(snapshotFile);
    writeFileSync(snapshotFile, bytes.subarray(0, bytes.length >> 1));
    loaded = await loadMapIndex(exportDir);
    expect(loaded.snapshot).toBe(false);
    sameAsSimple(loaded.index);
  });
});
