import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  MapIndex,
  type MapIndexState,
  type MapManifest,
  type MapRecord,
  snapshotCovers,
} from '#domain/scope/data-map.ts';
import { addCanonicalMapLine } from '#domain/scope/map-line.ts';
import type { DataMapSink } from '#ports/data-map.ts';

/**
 * The data map as a local directory: manifest.json + JSONL files (same layout as in S3), and the
 * index snapshot of the last full export.
 */

export async function readManifest(dir: string): Promise<MapManifest> {
  const text = await readFile(join(dir, 'manifest.json'), 'utf8').catch(
    (err: NodeJS.ErrnoException) => {
      throw new Error(`no data map in ${dir} (manifest.json: ${err.code ?? 'unreadable'})`);
    },
  );
  const m = JSON.parse(text) as MapManifest;
  if (m.v !== 1 || !Array.isArray(m.files))
    throw new Error(`unsupported data map manifest in ${dir}`);
  return m;
}

export interface LoadedMap {
  index: MapIndex;
  manifest: MapManifest;
  /** Where the index was built: a worker thread (much JSONL to parse) or this thread. */
  thread: 'worker' | 'main';
  /** Whether the exporter's index snapshot stood in for the files it covers. */
  snapshot: boolean;
}

export interface LoadMapOptions {
  thread?: 'auto' | 'worker' | 'main' | undefined;
  /** false: ignore the index snapshot and parse every JSONL file (default: use it). */
  snapshot?: boolean | undefined;
}

/** From this many bytes of JSONL to parse on, the index is built in a worker thread. */
const WORKER_MIN_BYTES = 32 * 2 ** 20;

/**
 * The map's index: the exporter's snapshot for the files it covers (when it matches them), then
 * every further map file streamed in manifest order (later records replace earlier ones). When
 * much JSONL is left to parse, that happens in a worker thread, so a caller that starts this and
 * then reads the leaked file (assessLeakFile with the pending map) uses both cores; when no
 * worker can be started the index is built here. `thread` forces one or the other.
 */
export async function loadMapIndex(dir: string, opts: LoadMapOptions = {}): Promise<LoadedMap> {
  const manifest = await readManifest(dir);
  const thread = opts.thread ?? 'auto';
  const useSnapshot = opts.snapshot ?? true;
  if (
    thread === 'worker' ||
    (thread === 'auto' && (await jsonlBytes(dir, manifest, useSnapshot)) >= WORKER_MIN_BYTES)
  ) {
    try {
      return { ...(await loadInWorker(dir, useSnapshot)), thread: 'worker' };
    } catch (err) {
      if (!(err instanceof WorkerUnavailable)) throw err;
    }
  }
  return { ...(await loadMapIndexHere(dir, manifest, useSnapshot)), thread: 'main' };
}

/** loadMapIndex on this thread. */
export async function loadMapIndexHere(
  dir: string,
  known?: MapManifest,
  useSnapshot = true,
): Promise<{ index: MapIndex; manifest: MapManifest; snapshot: boolean }> {
  const manifest = known ?? (await readManifest(dir));
  let index = new MapIndex();
  let from = 0;
  const file = manifest.index?.file;
  if (useSnapshot && file) {
    // a snapshot that is missing, damaged or built from other files is passed over
    const snap = await readWhole(join(dir, file))
      .then((bytes) => MapIndex.fromBytes(bytes))
      .catch(() => undefined);
    const covers = snap ? snapshotCovers(manifest, snap.meta) : 0;
    if (snap && covers > 0) {
      index = snap.index;
      from = covers;
    }
  }
  for (const f of manifest.files.slice(from)) {
    await addMapLines(
      index,
      createReadStream(join(dir, f), { encoding: 'utf8', highWaterMark: 1 << 20 }),
    );
  }
  return { index, manifest, snapshot: from > 0 };
}

/**
 * A file in one read: readFile goes in 512 KiB steps, each waiting for the event loop, which is
 * busy with the leaked file when both load at once.
 */
async function readWhole(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const bytes = new Uint8Array(size);
    for (let at = 0; at < size; ) {
      const { bytesRead } = await fh.read(bytes, at, size - at, at);
      if (bytesRead === 0) throw new Error(`${path}: shorter than its size`);
      at += bytesRead;
    }
    return bytes;
  } finally {
    await fh.close();
  }
}

/** Bytes of JSONL to parse (after the files a snapshot covers, when it is used). */
async function jsonlBytes(
  dir: string,
  manifest: MapManifest,
  useSnapshot: boolean,
): Promise<number> {
  const from = useSnapshot ? (manifest.index?.covers ?? 0) : 0;
  let total = 0;
  for (const f of manifest.files.slice(from))
    total += await stat(join(dir, f)).then(
      (s) => s.size,
      () => 0,
    );
  return total;
}

/** The worker could not run (no loader for it, crashed): build the index on this thread. */
class WorkerUnavailable extends Error {}

function startWorker(dir: string, snapshot: boolean): Worker {
  const workerData = { dir, snapshot };
  const ts = import.meta.url.endsWith('.ts');
  const target = new URL(`./map-index-worker.${ts ? 'ts' : 'js'}`, import.meta.url);
  if (!ts) return new Worker(target, { workerData });
  // TypeScript sources run through tsx: the worker registers it before importing its module
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(target.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

type WorkerReply =
  | { ok: true; state: MapIndexState; manifest: MapManifest; snapshot: boolean }
  | { ok: false; error: unknown };

function loadInWorker(
  dir: string,
  snapshot: boolean,
): Promise<{ index: MapIndex; manifest: MapManifest; snapshot: boolean }> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = startWorker(dir, snapshot);
    } catch (err) {
      reject(new WorkerUnavailable(String(err)));
      return;
    }
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.once('message', (m: WorkerReply) =>
      settle(() =>
        m.ok
          ? resolve({
              index: MapIndex.fromState(m.state),
              manifest: m.manifest,
              snapshot: m.snapshot,
            })
          : reject(m.error),
      ),
    );
    worker.once('error', (err) => settle(() => reject(new WorkerUnavailable(String(err)))));
    worker.once('exit', (code) =>
      settle(() => reject(new WorkerUnavailable(`map worker exited with code ${code}`))),
    );
  });
}

/** Adds the JSONL records of one map part (any text stream: a file, an S3 object) to an index. */
export async function addMapLines(index: MapIndex, stream: AsyncIterable<string>): Promise<void> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (nl > start && !addCanonicalMapLine(index, text, start, nl))
        index.add(JSON.parse(text.slice(start, nl)) as MapRecord);
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.trim() && !addCanonicalMapLine(index, rest, 0, rest.length))
    index.add(JSON.parse(rest) as MapRecord);
}

/** Writes map files into a local directory (tests, drills, the CLI). */
export class FileDataMapSink implements DataMapSink {
  constructor(private readonly dir: string) {}

  async writePart(name: string, records: MapRecord[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, name), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  async writeIndex(name: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, name), bytes);
  }

  async readManifest(): Promise<MapManifest | undefined> {
    return readManifest(this.dir).catch(() => undefined);
  }

  async writeManifest(manifest: MapManifest): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, 'manifest.json.tmp');
    await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(tmp, join(this.dir, 'manifest.json'));
  }
}
