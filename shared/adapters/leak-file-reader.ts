import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { parseExportFileName, recognise } from '#domain/scope/artefact.ts';
import { type AssessOptions, ScopeAssessor, type ScopeResult } from '#domain/scope/assess.ts';
import { CsvError, CsvParser, type CsvSink, FOREIGN_DELIMITERS } from '#domain/scope/csv.ts';
import type { MapIndex } from '#domain/scope/data-map.ts';

/**
 * Streams a leaked artefact (CSV or JSONL) through the scope join: the file is read in chunks and
 * never held whole. Errors carry the file's line number.
 */

export class LeakFileError extends Error {
  override readonly name = 'LeakFileError';
}

export interface LeakAssessment {
  result: ScopeResult;
  recipients: string[];
}

/**
 * Join options; `map` may still be loading (loadMapIndex in a worker): the file is read, its rows
 * normalised and their email HMACs computed meanwhile, and joined once the map is there.
 */
export type LeakOptions = Omit<AssessOptions, 'file' | 'fileName' | 'map' | 'mapPending'> & {
  map?: MapIndex | Promise<MapIndex> | undefined;
};

export async function assessLeakFile(file: string, opts: LeakOptions): Promise<LeakAssessment> {
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  return assessLeakStream(basename(file), stream, opts);
}

/** Same as assessLeakFile for any text stream (an S3 object body decoded as UTF-8). */
export async function assessLeakStream(
  name: string,
  stream: AsyncIterable<string>,
  opts: LeakOptions,
): Promise<LeakAssessment> {
  const fileName = parseExportFileName(name);
  const jsonl = /\.(jsonl|ndjson)$/i.test(name);
  const pending = opts.map instanceof Promise ? opts.map : undefined;
  const base: AssessOptions = pending
    ? { ...opts, map: undefined, mapPending: true, file: name, fileName }
    : { ...opts, map: opts.map as MapIndex | undefined, file: name, fileName };
  // the map joins the assessment as soon as it is there (rows read before it wait for it)
  let ready: MapIndex | undefined;
  let current: ScopeAssessor | undefined;
  pending?.then(
    (map) => {
      ready = map;
      if (current?.awaitingMap) current.attachMap(map);
    },
    () => {}, // awaited below; a leak error must not leave it unhandled
  );
  const created = (a: ScopeAssessor) => {
    current = a;
    if (ready) a.attachMap(ready);
  };
  let assessor: ScopeAssessor;
  try {
    assessor = jsonl
      ? await readJsonl(stream, base, created)
      : await readCsv(stream, base, created);
  } catch (err) {
    // as when the map was loaded first: a map that fails to load is the error to report
    if (pending) await pending;
    throw err;
  }
  if (pending) {
    const map = await pending;
    if (assessor.awaitingMap) assessor.attachMap(map);
  }
  return { result: assessor.finish(), recipients: [...assessor.recipients()] };
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

type Created = (assessor: ScopeAssessor) => void;

async function readCsv(
  stream: AsyncIterable<string>,
  opts: AssessOptions,
  created: Created,
): Promise<ScopeAssessor> {
  const parser = new CsvParser(',');
  let assessor: ScopeAssessor | undefined;
  let projected = false;
  const sink: CsvSink = (line, fields, count) => {
    if (projected) {
      assessor!.addProjected(line, count, fields);
      return;
    }
    const record = fields as string[];
    if (!assessor) {
      const recognition = recognise(record);
      if (!recognition) throw unrecognised(record);
      const header = recognition.headerless ? ['value'] : record;
      assessor = new ScopeAssessor(recognition, header, opts);
      created(assessor);
      if (recognition.headerless) assessor.addFields(line, record);
      // from here on the parser hands over only the columns the join reads
      parser.project(assessor.projection);
      projected = true;
      return;
    }
    assessor.addFields(line, record);
  };
  for await (const chunk of stream) parser.feed(chunk, sink);
  parser.finish(sink);
  if (!assessor) throw new CsvError(1, 'empty file: no header row');
  return assessor;
}

async function readJsonl(
  stream: AsyncIterable<string>,
  opts: AssessOptions,
  created: Created,
): Promise<ScopeAssessor> {
  let assessor: ScopeAssessor | undefined;
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
      assessor = new ScopeAssessor(recognition, header, opts);
      created(assessor);
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
