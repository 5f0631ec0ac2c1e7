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

const QUOTE = 34; // "
const CR = 13;

export class CsvParser {
  private buf = '';
  private line = 1;
  private started = false;

  constructor(private readonly delimiter = ',') {}

  /** Feeds a chunk (any size); returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    if (!this.started) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff)
        chunk = chunk.slice(1); // UTF-8 BOM
      else if (chunk.startsWith('\u00ff\u00fe') || chunk.startsWith('\u00fe\u00ff'))
        throw new CsvError(1, 'UTF-16 byte-order mark: re-save the file as UTF-8');
    }
    this.buf = this.buf.length === 0 ? chunk : this.buf + chunk;
    return this.drain(false);
  }

  /** Ends the input; a partial record here means a truncated file. */
  end(): CsvRecord[] {
    return this.drain(true);
  }

  private drain(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const buf = this.buf;
    const d = this.delimiter;
    let pos = 0;
    let q = -2; // cached position of the next quote at or after pos (-1: none left)
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
        const text = buf.slice(pos, endLine);
        if (text.length > 0) out.push({ line: this.line, fields: text.split(d) });
        this.line++;
        pos = nl + 1;
        continue;
      }
      const parsed = this.slowRecord(buf, pos, final);
      if (!parsed) break; // incomplete quoted record: wait for more input
      if (parsed.fields.length > 1 || parsed.fields[0] !== '')
        out.push({ line: this.line, fields: parsed.fields });
      this.line += parsed.lines;
      pos = parsed.next;
    }
    this.buf = buf.slice(pos);
    return out;
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
