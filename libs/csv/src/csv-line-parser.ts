import { CsvRecord, FNV_OFFSET, FNV_PRIME } from './csv-record';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;

/** Called for every record (the parser reuses `record`: read it before returning). */
export type RecordHandler = (record: CsvRecord) => void;

/** Called for a line whose quotes do not balance or that has text after a closing quote. */
export type MalformedLineHandler = (lineNumber: number, text: string) => void;

/** Called for a line longer than the parser's maximum, with the line's first bytes. */
export type TooLongLineHandler = (lineNumber: number, start: string) => void;

/** Longest line the parser holds, in bytes, unless told otherwise (64 KiB). */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** Bytes of a too-long line kept to show what it was. */
const TOO_LONG_SAMPLE_BYTES = 200;

/**
 * A streaming RFC 4180 parser for log files, fed Buffers as they arrive.
 *
 * It accepts LF and CRLF line ends, quoted fields with doubled quotes, and a
 * UTF-8 byte-order mark. One physical line is one record: log ids and dates
 * never contain line breaks, and treating an unbalanced quote as a bad line
 * keeps one broken line from swallowing the rest of the file. Blank lines are
 * ignored.
 *
 * It is the inner loop of ingest, so it walks each byte once, recording
 * where fields start and end and hashing them as it goes, and creates no
 * string: a record is byte ranges into the chunk (see `CsvRecord`). Lines
 * with a quote (rare in logs) are split by a slower path into unquoted text.
 */
export class CsvLineParser {
  private pending: Buffer | undefined;
  private lineNumber = 0;
  private atStart = true;
  private readonly record = new CsvRecord();
  /** The first bytes of a too-long line whose end has not arrived yet; undefined when not inside one. */
  private tooLong: string | undefined;
  private readonly maxLineBytes: number;
  private readonly onTooLong: TooLongLineHandler;

  /**
   * Lines longer than `maxLineBytes` (default 64 KiB) are skipped without
   * being held: the parser keeps their first bytes, drops the rest as it
   * arrives, and reports them to `onTooLong` (default: `onMalformed`), so a
   * region without a line feed costs constant memory and linear time.
   */
  constructor(
    private readonly onRecord: RecordHandler,
    private readonly onMalformed: MalformedLineHandler,
    options: { maxLineBytes?: number; onTooLong?: TooLongLineHandler } = {},
  ) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.onTooLong = options.onTooLong ?? onMalformed;
  }

  /** Lines seen so far, blank ones included. */
  get linesRead(): number {
    return this.lineNumber;
  }

  push(chunk: Buffer): void {
    let data = chunk;
    let start = 0;
    if (this.tooLong !== undefined) {
      // Inside a too-long line: drop bytes until its end.
      const lineEnd = chunk.indexOf(LF);
      if (lineEnd === -1) return;
      this.endTooLongLine();
      start = lineEnd + 1;
    } else if (this.pending && !this.atStart) {
      // Finish the line cut at the previous chunk's end on its own, rather than copying the whole chunk behind it.
      const lineEnd = chunk.indexOf(LF);
      if (lineEnd === -1) {
        if (this.pending.length + chunk.length > this.maxLineBytes) {
          this.startTooLongLine(this.pending);
          return;
        }
        this.pending = Buffer.concat([this.pending, chunk]);
        return;
      }
      if (this.pending.length + lineEnd > this.maxLineBytes) {
        this.startTooLongLine(this.pending);
        this.endTooLongLine();
      } else {
        const head = Buffer.concat([this.pending, chunk.subarray(0, lineEnd + 1)]);
        this.pending = undefined;
        this.scanLines(head, 0);
      }
      start = lineEnd + 1;
    } else if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = undefined;
    }
    if (this.atStart) {
      // Hold back a first chunk that could still be the start of a byte-order mark.
      if (data.length < 3 && isBomPrefix(data)) {
        this.pending = data;
        return;
      }
      if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) start = 3;
      this.atStart = false;
    }
    const rest = this.scanLines(data, start);
    if (rest === data.length) return;
    if (data.length - rest > this.maxLineBytes) this.startTooLongLine(data.subarray(rest));
    else this.pending = Buffer.from(data.subarray(rest));
  }

  /** Enters a too-long line whose first bytes are `head`; nothing of it is held but a short sample. */
  private startTooLongLine(head: Buffer): void {
    this.pending = undefined;
    this.tooLong = head.toString('utf8', 0, Math.min(head.length, TOO_LONG_SAMPLE_BYTES));
  }

  /** The too-long line ended: count and report it. */
  private endTooLongLine(): void {
    const sample = this.tooLong ?? '';
    this.tooLong = undefined;
    this.lineNumber++;
    this.onTooLong(this.lineNumber, sample);
  }

  /** Parses the whole lines of `data` from `start`; returns where the unfinished last line starts. */
  private scanLines(data: Buffer, start: number): number {
    const record = this.record;
    const length = data.length;
    let lineStart = start;
    let fieldStart = start;
    let hash = FNV_OFFSET;
    let quoted = false;
    record.startLine(data);
    for (let i = start; i < length; i++) {
      const byte = data[i];
      // Ids, dates and types are letters, digits and '-', all above ','.
      if (byte > COMMA) {
        hash = Math.imul(hash ^ byte, FNV_PRIME);
      } else if (byte === COMMA) {
        record.addField(fieldStart, i, hash);
        fieldStart = i + 1;
        hash = FNV_OFFSET;
      } else if (byte === LF) {
        const lineEnd = i > lineStart && data[i - 1] === CR ? i - 1 : i;
        this.lineNumber++;
        if (lineEnd - lineStart > this.maxLineBytes) {
          this.onTooLong(this.lineNumber, data.toString('utf8', lineStart, lineStart + TOO_LONG_SAMPLE_BYTES));
        } else if (lineEnd > lineStart) {
          record.addField(fieldStart, lineEnd, hash);
          record.endLine(lineStart, lineEnd, this.lineNumber);
          this.emitLine(data, lineStart, lineEnd, quoted);
        }
        lineStart = fieldStart = i + 1;
        hash = FNV_OFFSET;
        quoted = false;
        record.startLine(data);
      } else if (byte === QUOTE) {
        quoted = true;
      } else if (byte !== CR) {
        hash = Math.imul(hash ^ byte, FNV_PRIME);
      }
    }
    return lineStart;
  }

  /** Flushes a last line that has no line end. */
  end(): void {
    if (this.tooLong !== undefined) {
      this.endTooLongLine();
      return;
    }
    if (this.atStart && this.pending) {
      // Whatever was held back for the BOM check is ordinary text after all.
      const held = this.pending;
      this.pending = undefined;
      this.atStart = false;
      this.push(held);
    }
    const rest = this.pending;
    this.pending = undefined;
    if (!rest || rest.length === 0) return;
    // Terminate it and parse it like any other line.
    this.push(Buffer.concat([rest, Buffer.from([LF])]));
  }

  /** Hands a non-blank line, its fields already in the record, to the callbacks. */
  private emitLine(data: Buffer, start: number, end: number, quoted: boolean): void {
    if (!quoted) {
      this.onRecord(this.record);
      return;
    }
    const fields = splitQuoted(data, start, end);
    if (!fields) {
      this.onMalformed(this.lineNumber, data.toString('utf8', start, end));
      return;
    }
    this.record.setDecodedFields(fields);
    this.onRecord(this.record);
  }
}

function isBomPrefix(data: Buffer): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < data.length; i++) if (data[i] !== bom[i]) return false;
  return true;
}

/** Returns undefined when the quotes of the line are malformed. */
function splitQuoted(data: Buffer, start: number, end: number): string[] | undefined {
  const fields: string[] = [];
  let i = start;
  for (;;) {
    if (i < end && data[i] === QUOTE) {
      const parts: string[] = [];
      let segmentStart = i + 1;
      let j = segmentStart;
      for (;;) {
        if (j >= end) return undefined; // the quote never closes on this line
        if (data[j] === QUOTE) {
          if (j + 1 < end && data[j + 1] === QUOTE) {
            parts.push(data.toString('utf8', segmentStart, j + 1));
            j += 2;
            segmentStart = j;
            continue;
          }
          parts.push(data.toString('utf8', segmentStart, j));
          break;
        }
        j++;
      }
      fields.push(parts.join(''));
      i = j + 1;
      if (i === end) return fields;
      if (data[i] !== COMMA) return undefined; // text after a closing quote
      i++;
      continue;
    }
    let j = i;
    while (j < end && data[j] !== COMMA) {
      if (data[j] === QUOTE) return undefined; // a quote inside an unquoted field
      j++;
    }
    fields.push(data.toString('utf8', i, j));
    if (j === end) return fields;
    i = j + 1;
  }
}
