import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MapIndex, type MapManifest, type MapRecord } from '#domain/scope/data-map.ts';
import { addCanonicalMapLine } from '#domain/scope/map-line.ts';
import type { DataMapSink } from '#ports/data-map.ts';

/** The data map as a local directory: manifest.json + JSONL files (same layout as in S3). */

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

/** Streams every map file in manifest order into an index (later records replace earlier ones). */
export async function loadMapIndex(
  dir: string,
): Promise<{ index: MapIndex; manifest: MapManifest }> {
  const manifest = await readManifest(dir);
  const index = new MapIndex();
  for (const f of manifest.files) {
    await addMapLines(
      index,
      createReadStream(join(dir, f), { encoding: 'utf8', highWaterMark: 1 << 20 }),
    );
  }
  return { index, manifest };
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
