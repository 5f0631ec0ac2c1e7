import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMapLines } from '#adapters/file-data-map.ts';
import { CsvError, CsvParser } from '#domain/scope/csv.ts';
import { MapIndex, type MapRecord } from '#domain/scope/data-map.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import { KeyedSha256Hmac, wordsToHex } from '#domain/scope/hmac-sha256.ts';
import { addCanonicalMapLine } from '#domain/scope/map-line.ts';
import { mapRecordFor, person, rng, TEST_HMAC_KEY, testHmac } from '#local/scope-fixtures.ts';
import { SimpleCsvParser, SimpleMapIndex } from './reference/simple-join.ts';

/**
 * The scope join's fast paths against node:crypto and the pre-fast-path implementation
 * (reference/simple-join.ts): HMAC with precomputed pads, projected CSV parsing, the canonical
 * map-line scanner and the columnar MapIndex. End-to-end comparisons are in fast-path-join.test.ts.
 */

const hex = (key: string, m: string) => createHmac('sha256', key).update(m).digest('hex');

describe('keyed HMAC-SHA256 with precomputed pads', () => {
  it('is byte-identical to createHmac for any key and message (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', minLength: 16, maxLength: 150 }),
        fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 8 }),
        fc.nat({ max: 3 }),
        (key, messages, at) => {
          const fast = emailHmacFn(key);
          const out = new Int32Array(8 + at * 8);
          for (const m of messages) {
            fast.digestInto(m, out, at * 8);
            expect(wordsToHex(out, at * 8)).toBe(hex(key, m));
            expect(fast(m)).toBe(hex(key, m));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches on block boundaries, long keys (hashed first), non-ASCII and lone surrogates', () => {
    const keys = [
      TEST_HMAC_KEY,
      'k'.repeat(64),
      'k'.repeat(65),
      'ключ-ключ-ключ-ключ-ключ',
      'x'.repeat(300),
    ];
    const messages = [
      '',
      'a',
      'person1@example.test',
      'müller@bücher.de',
      '😀@x.y',
      '\ud800@x',
      'x\udc00',
    ];
    for (let n = 50; n <= 130; n++) messages.push('m'.repeat(n));
    for (const key of keys) {
      const h = new KeyedSha256Hmac(key);
      for (const m of messages) expect(h.hex(m), `${key.length}/${m.length}`).toBe(hex(key, m));
    }
    const bytes = new Uint8Array(70).map((_, i) => (i * 37) & 255);
    expect(new KeyedSha256Hmac(bytes).hex('a@b.c')).toBe(
      createHmac('sha256', bytes).update('a@b.c').digest('hex'),
    );
  });
});

/** CSV text from cells with every kind of quoting, line ending and empty line. */
const csvText = fc
  .record({
    rows: fc.array(
      fc.array(
        fc.record({
          text: fc.string({
            unit: fc.constantFrom('a', 'b', 'é', ' ', ',', '"', '\n', '\r'),
            maxLength: 6,
          }),
          quote: fc.boolean(),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      { maxLength: 12 },
    ),
    crlf: fc.boolean(),
    blank: fc.array(fc.boolean(), { maxLength: 12 }),
    bom: fc.boolean(),
    cut: fc.option(fc.nat(), { nil: undefined }),
    noise: fc.option(fc.tuple(fc.nat(), fc.constantFrom('"', ',', '\n', 'x')), { nil: undefined }),
  })
  .map(({ rows, crlf, blank, bom, cut, noise }) => {
    const eol = crlf ? '\r\n' : '\n';
    let text = rows
      .map((cells, i) => {
        const line = cells
          .map(({ text, quote }) =>
            quote || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text,
          )
          .join(',');
        return (blank[i] ? eol : '') + line + eol;
      })
      .join('');
    if (noise) {
      const at = noise[0] % (text.length + 1);
      text = text.slice(0, at) + noise[1] + text.slice(at);
    }
    if (cut !== undefined) text = text.slice(0, cut % (text.length + 1));
    return (bom ? '\uFEFF' : '') + text;
  });

function chunked(text: string, sizes: number[]): string[] {
  const out: string[] = [];
  for (let i = 0, k = 0; i < text.length; k++) {
    const n = 1 + ((sizes[k % Math.max(1, sizes.length)] ?? 1000) % 40);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

function outcome<T>(f: () => T): { ok: T } | { error: { line: number; reason: string } } {
  try {
    return { ok: f() };
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { error: { line: err.line, reason: err.reason } };
  }
}

describe('projected CSV parsing', () => {
  it('gives the same records, line numbers and errors as whole-record parsing (property)', () => {
    fc.assert(
      fc.property(
        csvText,
        fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (text, cols, sizes) => {
          const chunks = chunked(text, sizes);
          const expected = outcome(() => {
            const p = new SimpleCsvParser();
            const out = chunks.flatMap((c) => p.push(c));
            out.push(...p.end());
            return out.map((r) => ({
              line: r.line,
              count: r.fields.length,
              values: cols.map((c) => r.fields[c]),
            }));
          });
          const projected = outcome(() => {
            const p = new CsvParser();
            p.project(cols);
            const out: { line: number; count: number; values: (string | undefined)[] }[] = [];
            const sink = (line: number, values: (string | undefined)[], count: number) =>
              out.push({ line, count, values: [...values] });
            for (const c of chunks) p.feed(c, sink);
            p.finish(sink);
            return out;
          });
          expect(projected).toEqual(expected);
          // and the record API is unchanged
          const whole = outcome(() => {
            const p = new CsvParser();
            const out = chunks.flatMap((c) => p.push(c));
            out.push(...p.end());
            return out;
          });
          const old = outcome(() => {
            const p = new SimpleCsvParser();
            const out = chunks.flatMap((c) => p.push(c));
            out.push(...p.end());
            return out;
          });
          expect(whole).toEqual(old);
        },
      ),
      { numRuns: 400 },
    );
  });
});

const HMACS = Array.from({ length: 6 }, (_, i) => hex(TEST_HMAC_KEY, `p${i}@example.test`));
const text = fc.string({
  unit: fc.constantFrom('a', 'Z', '0', '-', ' ', 'é', '"', '\\', ']', ',', '\n', '\u0001', '😀'),
  maxLength: 16,
});
const plain = fc.constantFrom('DE', 'US', 'CA', 'Île-de-France', 'a region of 13+ chars', '');
/** Mostly the usual (what the exporter writes), sometimes the odd. */
const mostly = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 });

/** Map records, including the odd ones a canonical line scanner must hand to JSON.parse. */
const mapRecord: fc.Arbitrary<MapRecord> = fc
  .record({
    kind: fc.constantFrom('customer', 'guest') as fc.Arbitrary<'customer' | 'guest'>,
    recipientId: mostly(
      fc.integer({ min: 0, max: 12 }).map((n) => `c:${n}`),
      fc.constantFrom('c:007', 'c:1.5', 'c:-1', 'c:', 'g:x', `g:${HMACS[0]}`, 'c:4294967301'),
    ),
    customerId: mostly(
      fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 12 })),
      fc.constantFrom(2 ** 32 + 5, 1.5, -3, 1e21, -0),
    ),
    websiteId: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 3 })),
    emailHmac: mostly(
      fc.constantFrom(...HMACS),
      fc.constantFrom((HMACS[1] ?? '').toUpperCase(), 'short', ''),
    ),
    country: mostly(fc.oneof(fc.constant(null), plain), text),
    region: mostly(fc.oneof(fc.constant(null), plain), text),
    orders: fc.array(
      fc.record({
        orderId: fc.nat(),
        incrementId: mostly(fc.constantFrom('100000001', 'an increment id 13+'), text),
        paymentId: fc.oneof(fc.constant(null), fc.nat()),
        method: mostly(fc.constantFrom(null, 'checkmo', 'braintree', ''), text),
      }),
      { maxLength: 3 },
    ),
    vaultTokens: fc.array(
      fc.record({
        tokenId: fc.nat(),
        publicHash: mostly(fc.constantFrom('ph1', 'a public hash 13+'), text),
        method: fc.constantFrom('braintree', 'adyen_cc', 'braintree'),
      }),
      { maxLength: 2 },
    ),
    ledgerAccounts: fc.array(mostly(fc.constantFrom('L-1', '","', 'LEDGER-000001'), text), {
      maxLength: 3,
    }),
  })
  .map((r) => ({
    // the exporter's key order (so that the canonical scanner takes most lines)
    v: 1 as const,
    kind: r.kind,
    recipientId: r.recipientId,
    customerId: r.customerId,
    websiteId: r.websiteId,
    emailHmac: r.emailHmac,
    country: r.country,
    region: r.region,
    hasVaultTokens: r.vaultTokens.length > 0,
    orders: r.orders,
    vaultTokens: r.vaultTokens,
    ledgerAccounts: r.ledgerAccounts,
    updatedAt: '2024-01-01 10:00:00',
  }));

function expectSameIndex(fast: MapIndex, simple: SimpleMapIndex, records: MapRecord[]): void {
  expect(fast.size).toBe(simple.size);
  for (let i = 0; i < simple.size; i++) expect(fast.row(i)).toEqual(simple.rows[i]);
  const hmacs = new Set([...HMACS, ...records.map((r) => r.emailHmac), 'absent']);
  for (const h of hmacs) expect([...fast.findByHmac(h)], h).toEqual(simple.findByHmac(h));
  const ids = new Set([...records.map((r) => r.customerId ?? -1), 99, 2 ** 33]);
  for (const id of ids)
    expect(fast.findByCustomerId(id), String(id)).toBe(simple.findByCustomerId(id));
}

describe('map index', () => {
  it('loads JSONL (canonical scanner + JSON.parse) into the same rows and lookups as the reference (property)', async () => {
    let scanned = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(mapRecord, { maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        async (records, sizes) => {
          const simple = new SimpleMapIndex();
          for (const r of records) simple.add(JSON.parse(JSON.stringify(r)) as MapRecord);
          const fast = new MapIndex();
          const jsonl = records.map((r) => `${JSON.stringify(r)}\n`).join('');
          await addMapLines(
            fast,
            (async function* () {
              yield* chunked(jsonl, sizes);
            })(),
          );
          expectSameIndex(fast, simple, records);
          for (const r of records) {
            const line = JSON.stringify(r);
            if (addCanonicalMapLine(new MapIndex(), line, 0, line.length)) scanned++;
          }
          total += records.length;
          // records added as objects (exporter, tests) agree too
          const direct = new MapIndex();
          const simpleDirect = new SimpleMapIndex();
          for (const r of records) {
            direct.add(r);
            simpleDirect.add(r);
          }
          expectSameIndex(direct, simpleDirect, records);
        },
      ),
      { numRuns: 300 },
    );
    // both paths were exercised
    expect(scanned).toBeGreaterThan(total * 0.2);
    expect(scanned).toBeLessThan(total * 0.9);
  });

  it('takes the fast path for the exporter form and leaves everything else to JSON.parse (property)', () => {
    const canonical = JSON.stringify(mapRecordFor(person(5), testHmac()));
    expect(addCanonicalMapLine(new MapIndex(), canonical, 0, canonical.length)).toBe(true);
    fc.assert(
      fc.property(
        mapRecord,
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat(2),
            fc.constantFrom('"', '\\', ' ', '1', ',', '}', ']', 'e', '.', '-', 'n', 'A'),
          ),
          { maxLength: 3 },
        ),
        (record, edits) => {
          let line = JSON.stringify(record);
          for (const [at, del, ch] of edits) {
            const p = at % (line.length + 1);
            line = line.slice(0, p) + ch + line.slice(p + del);
          }
          const fast = new MapIndex();
          if (!addCanonicalMapLine(fast, line, 0, line.length)) return;
          // accepted: it must be valid JSON meaning exactly what the index took from it
          const parsed = JSON.parse(line) as MapRecord;
          const simple = new SimpleMapIndex();
          simple.add(parsed);
          expectSameIndex(fast, simple, [parsed]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('round-trips through the binary snapshot, and takes deltas after it (property)', () => {
    fc.assert(
      fc.property(
        fc.array(mapRecord, { maxLength: 25 }),
        fc.array(mapRecord, { maxLength: 8 }),
        (records, deltas) => {
          const simple = new SimpleMapIndex();
          const fast = new MapIndex();
          for (const r of records) {
            simple.add(r);
            fast.add(r);
          }
          const { index, meta } = MapIndex.fromBytes(fast.toBytes({ files: ['a.jsonl'] }));
          expect(meta).toEqual({ files: ['a.jsonl'] });
          expectSameIndex(index, simple, records);
          for (const r of deltas) {
            simple.add(r);
            index.add(r);
          }
          expectSameIndex(index, simple, [...records, ...deltas]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grows past the snapshot size (typed arrays, HMAC and id tables)', () => {
    const records = Array.from({ length: 3000 }, (_, i) => mapRecordFor(person(i), testHmac()));
    const simple = new SimpleMapIndex();
    const fast = new MapIndex();
    for (const r of records.slice(0, 700)) {
      simple.add(r);
      fast.add(r);
    }
    const { index } = MapIndex.fromBytes(fast.toBytes(null));
    for (const r of records.slice(700)) {
      simple.add(r);
      index.add(r);
    }
    expectSameIndex(index, simple, records);
  });

  it('refuses what is not a whole snapshot', () => {
    const bytes = new MapIndex().toBytes({ files: [] });
    const full = new MapIndex();
    full.add(mapRecordFor(person(1), testHmac()));
    const one = full.toBytes({ files: [] });
    expect(() => MapIndex.fromBytes(one.subarray(0, one.length - 16))).toThrow(
      /truncated|reference/,
    );
    expect(() => MapIndex.fromBytes(new Uint8Array(64))).toThrow(/not a data map snapshot/);
    expect(() => MapIndex.fromBytes(Buffer.from('{"v":1}\n'))).toThrow(/not a data map snapshot/);
    expect(MapIndex.fromBytes(bytes).index.size).toBe(0);
  });

  it('survives a structured-clone hand-over with transferred buffers (worker thread)', () => {
    const r = rng(7);
    const records = Array.from({ length: 3000 }, (_, i) => {
      const rec = mapRecordFor(person(i % 2500), testHmac());
      return r() < 0.1 ? { ...rec, country: 'US', region: 'CO' } : rec;
    });
    const simple = new SimpleMapIndex();
    const fast = new MapIndex();
    for (const rec of records) {
      simple.add(rec);
      fast.add(rec);
    }
    const { state, transfer } = fast.exportState();
    const copy = MapIndex.fromState(structuredClone(state, { transfer }));
    expectSameIndex(copy, simple, records);
  });
});
