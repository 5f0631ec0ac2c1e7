/**
 * Incremental CSV parser (RFC 4180 + Magento's export adapter: `,` delimiter, `"` quotes, `""`
 * escapes, CRLF or LF). Pure: chunks in, records out; never holds more than one partial record.
 * Every problem is a CsvError carrying the 1-based line number; nothing is dropped silently.
 */

export class CsvError extends Error {
  override readonly name = 'CsvError';
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
}

/**
 * Receives records as they complete. `fields` is the whole record, or with a projection only the
 * projected columns (`fields[k]` is column `cols[k]`, undefined when the record is shorter; the
 * array is reused: read it during the call). `count` is the record's number of fields.
 */
export type CsvSink = (line: number, fields: (string | undefined)[], count: number) => void;

const QUOTE = 34; // "
const CR = 13;

export class CsvParser {
  private buf = '';
  private line = 1;
  private started = false;
  /** Projection: column → slot in `values` (-1: not wanted); undefined: whole records. */
  private slots: Int32Array | undefined;
  private cols: readonly number[] = [];
  private values: (string | undefined)[] = [];
  /** Slots whose column an earlier slot has too: [slot, earlier slot]. */
  private repeats: [number, number][] = [];

  constructor(private readonly delimiter = ',') {}

  /** Feeds a chunk (any size); returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.feed(chunk, (line, fields) => out.push({ line, fields: this.copy(fields) }));
    return out;
  }

  /** Ends the input; a partial record here means a truncated file. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    this.finish((line, fields) => out.push({ line, fields: this.copy(fields) }));
    return out;
  }

  private copy(fields: (string | undefined)[]): string[] {
    return (this.slots ? [...fields] : fields) as string[];
  }

  /**
   * From the next record on, hand the sink only these columns (and the field count): an unquoted
   * line is then scanned without splitting it into every field. undefined: whole records again.
   */
  project(cols: readonly number[] | undefined): void {
    if (!cols) {
      this.slots = undefined;
      return;
    }
    const slots = new Int32Array(Math.max(0, ...cols) + 1).fill(-1);
    this.repeats = [];
    cols.forEach((c, k) => {
      if (c < 0) return;
      if (slots[c] === -1) slots[c] = k;
      else this.repeats.push([k, slots[c]!]);
    });
    this.slots = slots;
    this.cols = [...cols];
    this.values = new Array<string | undefined>(cols.length).fill(undefined);
  }

  /** Feeds a chunk (any size); the sink gets each record it completes. */
  feed(chunk: string, sink: CsvSink): void {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff)
        chunk = chunk.slice(1); // UTF-8 BOM
      else if (chunk.startsWith('\u00ff\u00fe') || chunk.startsWith('\u00fe\u00ff'))
        throw new CsvError(1, 'UTF-16 byte-order mark: re-save the file as UTF-8');
    }
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    this.drain(false, sink);
  }

  /** Ends the input (the sink gets the last records); a partial record means a truncated file. */
  finish(sink: CsvSink): void {
    this.drain(true, sink);
  }

  private drain(final: boolean, sink: CsvSink): void {
    const buf = this.buf;
    const d = this.delimiter;
    let pos = 0;
    let q = -2; // cached position of the next quote at or after pos (-1: none left)
    let nd = -2; // cached position of the next delimiter at or after pos (-1: none left)
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
        if (endLine > pos) {
          const slots = this.slots;
          if (!slots) {
            const fields = buf.slice(pos, endLine).split(d);
            sink(this.line, fields, fields.length);
          } else {
            // projected: walk the delimiters, slice only the wanted columns
            const values = this.values;
            values.fill(undefined);
            let count = 0;
            let p = pos;
            for (;;) {
              if (nd !== -1 && nd < p) nd = buf.indexOf(d, p);
              const fe = nd === -1 || nd >= endLine ? endLine : nd;
              if (count < slots.length) {
                const k = slots[count]!;
                if (k >= 0) values[k] = buf.slice(p, fe);
              }
              count++;
              if (fe === endLine) break;
              p = fe + d.length;
            }
            for (const [k, first] of this.repeats) values[k] = values[first];
            sink(this.line, values, count);
          }
        }
        this.line++;
        pos = nl + 1;
        continue;
      }
      const parsed = this.slowRecord(buf, pos, final);
      if (!parsed) break; // incomplete quoted record: wait for more input
      if (parsed.fields.length > 1 || parsed.fields[0] !== '') {
        const slots = this.slots;
        if (!slots) sink(this.line, parsed.fields, parsed.fields.length);
        else {
          const values = this.values;
          for (let k = 0; k < this.cols.length; k++) values[k] = parsed.fields[this.cols[k]!];
          sink(this.line, values, parsed.fields.length);
        }
      }
      this.line += parsed.lines;
      pos = parsed.next;
    }
    this.buf = buf.slice(pos);
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

/** Delimiters a wrongly saved export commonly uses (spreadsheet locales, TSV). */
export const FOREIGN_DELIMITERS = [';', '\t', '|'] as const;
