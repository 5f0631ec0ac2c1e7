/**
 * Benchmark: scope of a leaked customer export (N rows) against a data map (N customers), the
 * streaming join vs DuckDB running the same join (keyed HMAC computed in SQL) in the same run, and
 * rendering + batching N recipients. The map is written by the exporter (exportDataMap from a
 * generated Magento source: JSONL parts of 10,000 customers and the index snapshot of the full
 * export); the join runs with the snapshot (as `tourniquet scope --map` does) and once more from
 * the JSONL alone. Each measurement runs in its own child process so peak RSS (VmHWM) is per
 * engine. Data is generated into a temp dir and removed afterwards.
 * Targets: join < 10 s and < 1.5 GB at 1,000,000 × 1,000,000.
 * Run: npx tsx bench/scope.bench.ts [rows=1000000]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileDataMapSink, loadMapIndex } from '#adapters/file-data-map.ts';
import { assessLeakFile } from '#adapters/leak-file-reader.ts';
import { TEMPLATE_CATALOG } from '#domain/notify/catalog.ts';
import { batches, render } from '#domain/notify/templates.ts';
import { emailHmacFn } from '#domain/scope/email-hash.ts';
import {
  CUSTOMER_EXPORT_COLUMNS,
  customerExportLines,
  person,
  TEST_HMAC_KEY,
} from '#local/scope-fixtures.ts';
import type { MagentoCustomerRow, MagentoMapSource } from '#ports/data-map.ts';
import { exportDataMap } from '#use-cases/scope/export-data-map.ts';

const peakMb = () => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
};

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let buf = '';
  for (const l of lines) {
    buf += l;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((r) => out.end(() => r()));
}

/** The Magento read replica, generated: customer i is person(i) with one order (a stored card for
 * every third, a ledger account for every second), as mapRecordFor describes them. */
function generatedMagento(n: number): MagentoMapSource {
  return {
    async *customers(_since, batchSize) {
      for (let from = 0; from < n; from += batchSize) {
        const batch: MagentoCustomerRow[] = [];
        for (let i = from; i < Math.min(n, from + batchSize); i++) {
          const p = person(i);
          const card = p.customerId % 3 === 0;
          batch.push({
            customerId: p.customerId,
            websiteId: p.websiteId,
            email: p.email,
            firstname: p.firstname,
            country: p.country,
            region: p.country === 'US' ? p.region : null,
            updatedAt: '2024-01-01 10:00:00',
            createdAt: '2023-06-01 10:00:00',
            orders: [
              {
                orderId: p.customerId,
                incrementId: String(100000000 + p.customerId),
                paymentId: p.customerId,
                method: card ? 'braintree' : 'checkmo',
              },
            ],
            vaultTokens: card
              ? [{ tokenId: p.customerId, publicHash: `ph${p.customerId}`, method: 'braintree' }]
              : [],
          });
        }
        yield batch;
      }
    },
    async *guests() {},
    async close() {},
  };
}

async function generate(dir: string, n: number): Promise<void> {
  // the leak: n rows; 95% are map customers, 5% are unknown to the map (ids beyond n)
  const leakIds = function* () {
    for (let i = 0; i < n; i++) yield i % 20 === 19 ? n + i : i;
  };
  const cols = [...CUSTOMER_EXPORT_COLUMNS].reverse();
  await writeLines(
    join(dir, 'customer_20260101_000000.csv'),
    (function* () {
      yield `${cols.join(',')}\n`;
      for (const i of leakIds()) {
        const [, line] = customerExportLines(cols, i, i + 1);
        yield line as string;
      }
    })(),
  );
  await exportDataMap(
    {
      source: generatedMagento(n),
      sink: new FileDataMapSink(join(dir, 'map')),
      financial: { ledgerAccounts: (id) => (id !== null && id % 2 === 0 ? [`LEDGER-${id}`] : []) },
      emailHmac: emailHmacFn(TEST_HMAC_KEY),
      hmacKeyId: 'bench',
      now: () => '2026-01-01T00:00:00.000Z',
    },
    { mode: 'full', batchSize: 10_000 },
  );
}

async function childNode(dir: string, snapshot: boolean): Promise<Record<string, number>> {
  const t0 = performance.now();
  // as `tourniquet scope --map` does it: the map loads (from the snapshot, or by parsing JSONL in a
  // worker thread) while this thread reads the leaked file and computes the email HMACs
  let mapReady = 0;
  const loaded = loadMapIndex(join(dir, 'map'), { snapshot });
  const map = loaded.then((m) => {
    mapReady = performance.now();
    return m.index;
  });
  const { result } = await assessLeakFile(join(dir, 'customer_20260101_000000.csv'), {
    map,
    emailHmac: emailHmacFn(TEST_HMAC_KEY),
  });
  const t2 = performance.now();
  const m = await loaded;
  return {
    loadMs: mapReady - t0,
    totalMs: t2 - t0,
    mapWorker: m.thread === 'worker' ? 1 : 0,
    snapshot: m.snapshot ? 1 : 0,
    matched: result.affected.matchedInMap,
    unmatched: result.unmatched.rows,
    peakMb: peakMb(),
  };
}

async function childDuck(dir: string): Promise<Record<string, number>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const key = Buffer.alloc(64);
  Buffer.from(TEST_HMAC_KEY).copy(key);
  const ipad = Buffer.from(key.map((b) => b ^ 0x36)).toString('hex');
  const opad = Buffer.from(key.map((b) => b ^ 0x5c)).toString('hex');
  const t0 = performance.now();
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const sql = `
    WITH leak AS (
      SELECT sha256(unhex('${opad}') || unhex(sha256(unhex('${ipad}') || encode(lower(trim(email)))))) AS h
        FROM read_csv('${join(dir, 'customer_20260101_000000.csv')}', header = true, all_varchar = true)
    ), map AS (
      SELECT emailHmac AS h, country, region, len(orders) AS orders, len(vaultTokens) AS cards
        FROM read_json('${join(dir, 'map', 'full-*.jsonl')}', format = 'newline_delimited')
    ), matched AS (SELECT DISTINCT m.* FROM leak l JOIN map m USING (h))
    SELECT (SELECT count(*) FROM matched) AS matched,
           (SELECT count(*) FROM leak l ANTI JOIN map m USING (h)) AS unmatched,
           (SELECT count(*) FROM (SELECT country, region, count(*) FROM matched GROUP BY ALL)) AS groups`;
  const r = await c.runAndReadAll(sql);
  const row = r.getRows()[0] ?? [];
  const t1 = performance.now();
  return { totalMs: t1 - t0, matched: Number(row[0]), unmatched: Number(row[1]), peakMb: peakMb() };
}

function childRender(n: number): Record<string, number> {
  const t = TEMPLATE_CATALOG.find((x) => x.id === 'gdpr-34-en');
  if (!t) throw new Error('template');
  const t0 = performance.now();
  let count = 0;
  let bytes = 0;
  const recipients = (function* () {
    for (let i = 0; i < n; i++) yield { id: `c:${i + 1}`, firstname: `Person ${i}` };
  })();
  for (const batch of batches(recipients, 50)) {
    // SendBulkEmail entries: per-destination ReplacementTemplateData + a local render for receipts
    const entries = batch.map((r) => {
      const data = {
        firstname: r.firstname,
        natureOfBreach: 'x',
        likelyConsequences: 'y',
        measuresTaken: 'z',
        dpoContact: 'dpo',
      };
      const out = render(t, data);
      bytes += out.html.length;
      return JSON.stringify(data);
    });
    count += entries.length;
  }
  return {
    totalMs: performance.now() - t0,
    recipients: count,
    renderedMb: bytes / 2 ** 20,
    peakMb: peakMb(),
  };
}

const role = process.argv[2];
if (role === '--child') {
  const [kind, arg] = [process.argv[3], process.argv[4] ?? ''];
  const out =
    kind === 'node' || kind === 'node-jsonl'
      ? await childNode(arg, kind === 'node')
      : kind === 'duck'
        ? await childDuck(arg)
        : childRender(Number(arg));
  process.stdout.write(JSON.stringify(out));
} else {
  const n = Number(role ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'scope-bench-'));
  const self = fileURLToPath(import.meta.url);
  const run = (kind: string, arg: string) =>
    JSON.parse(
      execFileSync(process.execPath, [...process.execArgv, self, '--child', kind, arg], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      }),
    ) as Record<string, number>;
  try {
    const g0 = performance.now();
    await generate(dir, n);
    console.log(
      `generated ${n} leaked rows + ${n} map customers (exporter: JSONL + index snapshot) in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    );
    const node = run('node', dir);
    const jsonl = run('node-jsonl', dir);
    const duck = run('duck', dir);
    const rend = run('render', String(n));
    const f = (ms = 0) => `${(ms / 1000).toFixed(2)} s`;
    const how = (r: Record<string, number>) =>
      `map ${r.snapshot ? 'from the index snapshot' : `parsed from JSONL ${r.mapWorker ? 'in a worker thread' : 'on the main thread'}`}, ready after ${f(r.loadMs)}; leak read and hashed alongside`;
    console.log(
      `tourniquet streaming join: ${f(node.totalMs)} (${how(node)}), peak RSS ${node.peakMb?.toFixed(0)} MB, matched ${node.matched}, unmatched ${node.unmatched}`,
    );
    console.log(
      `  same, JSONL only:        ${f(jsonl.totalMs)} (${how(jsonl)}), peak RSS ${jsonl.peakMb?.toFixed(0)} MB, matched ${jsonl.matched}, unmatched ${jsonl.unmatched}`,
    );
    console.log(
      `duckdb same join:          ${f(duck.totalMs)}, peak RSS ${duck.peakMb?.toFixed(0)} MB, matched ${duck.matched}, unmatched ${duck.unmatched}`,
    );
    console.log(
      `ratio tourniquet/duckdb:   time ${((node.totalMs ?? 0) / (duck.totalMs ?? 1)).toFixed(2)}x (JSONL only ${((jsonl.totalMs ?? 0) / (duck.totalMs ?? 1)).toFixed(2)}x), memory ${((node.peakMb ?? 0) / (duck.peakMb ?? 1)).toFixed(2)}x`,
    );
    console.log(
      `render + batch ${rend.recipients} recipients: ${f(rend.totalMs)} (${Math.ceil((rend.recipients ?? 0) / 50)} SendBulkEmail batches), peak RSS ${rend.peakMb?.toFixed(0)} MB`,
    );
    console.log(
      `targets: join < 10 s ${(node.totalMs ?? 0) < 10_000 ? 'met' : 'MISSED'} (JSONL only ${(jsonl.totalMs ?? 0) < 10_000 ? 'met' : 'MISSED'}), < 1.5 GB ${Math.max(node.peakMb ?? 0, jsonl.peakMb ?? 0) < 1536 ? 'met' : 'MISSED'}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
