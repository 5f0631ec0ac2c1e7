import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  MapIndex,
  type MapManifest,
  type MapRecord,
  snapshotCovers,
} from '#domain/scope/data-map.ts';
import type { DataMapSink } from '#ports/data-map.ts';
import type { RecipientFileWriter, ScopeSource } from '#ports/notify.ts';
import { addMapLines } from './file-data-map.ts';
import { assessLeakStream } from './leak-file-reader.ts';

/**
 * The scope bucket: the data map (`<prefix>manifest.json` + JSONL parts, same layout as the local
 * directory), leaked artefacts under assessment, and the recipient batch files of the notify
 * workflow. Objects are streamed, never read whole.
 */

const textStream = (body: unknown): AsyncIterable<string> => {
  const r = body as Readable;
  r.setEncoding('utf8');
  return r;
};

async function getText(s3: S3Client, Bucket: string, Key: string): Promise<string | undefined> {
  try {
    const o = await s3.send(new GetObjectCommand({ Bucket, Key }));
    return await o.Body!.transformToString('utf8');
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
    throw err;
  }
}

export class S3RecipientFiles implements RecipientFileWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, batches: { batchNo: number; recipients: string[] }[]) {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: JSON.stringify(batches),
        ContentType: 'application/json',
      }),
    );
    return { bucket: this.bucket, key };
  }
}

export class S3DataMapSink implements DataMapSink {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async writePart(name: string, records: MapRecord[]): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${this.prefix}${name}`,
        Body: records.map((r) => `${JSON.stringify(r)}\n`).join(''),
        ContentType: 'application/x-ndjson',
      }),
    );
  }

  async writeIndex(name: string, bytes: Uint8Array): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${this.prefix}${name}`,
        Body: bytes,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async readManifest(): Promise<MapManifest | undefined> {
    const t = await getText(this.s3, this.bucket, `${this.prefix}manifest.json`);
    return t ? (JSON.parse(t) as MapManifest) : undefined;
  }

  async writeManifest(manifest: MapManifest): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${this.prefix}manifest.json`,
        Body: `${JSON.stringify(manifest, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
  }

  /**
   * The index: the exporter's snapshot for the parts it covers (when it matches them), then every
   * further part streamed in manifest order; undefined when there is no map yet.
   */
  async loadIndex(): Promise<MapIndex | undefined> {
    const m = await this.readManifest();
    if (!m) return undefined;
    if (m.v !== 1 || !Array.isArray(m.files)) throw new Error('unsupported data map manifest');
    let index = new MapIndex();
    let from = 0;
    if (m.index?.file) {
      // a snapshot that is missing, damaged or built from other parts is passed over
      const snap = await this.s3
        .send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${m.index.file}` }))
        .then(async (o) => MapIndex.fromBytes(await o.Body!.transformToByteArray()))
        .catch(() => undefined);
      const covers = snap ? snapshotCovers(m, snap.meta) : 0;
      if (snap && covers > 0) {
        index = snap.index;
        from = covers;
      }
    }
    for (const f of m.files.slice(from)) {
      const o = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}${f}` }),
      );
      await addMapLines(index, textStream(o.Body));
    }
    return index;
  }
}

/** The leaked artefact in S3 (streamed) or, on the local runtime, a file path; joined against the map. */
export class LeakScopeSource implements ScopeSource {
  constructor(
    private readonly s3: S3Client,
    private readonly leak: { bucket: string; key: string } | { path: string },
    private readonly map: S3DataMapSink,
    private readonly emailHmac: () => Promise<(e: string) => string>,
  ) {}

  async assess(input: { useMap: boolean }) {
    const index = input.useMap ? await this.map.loadIndex() : undefined;
    const opts = index ? { map: index, emailHmac: await this.emailHmac() } : {};
    if ('path' in this.leak) {
      const stream = createReadStream(this.leak.path, { encoding: 'utf8', highWaterMark: 1 << 20 });
      return assessLeakStream(basename(this.leak.path), stream, opts);
    }
    const o = await this.s3.send(
      new GetObjectCommand({ Bucket: this.leak.bucket, Key: this.leak.key }),
    );
    return assessLeakStream(basename(this.leak.key), textStream(o.Body), opts);
  }
}
