const CR = 13;

/** FNV-1a offset basis and prime: a fast 32-bit hash with good spread on short ids. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

/**
 * The hash the parser computes for every field: FNV-1a over the field's
 * bytes, leaving out carriage returns (so a CRLF line's last field hashes
 * the same as the same text on an LF line).
 */
export function hashBytes(data: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) if (data[i] !== CR) hash = Math.imul(hash ^ data[i], FNV_PRIME);
  return hash;
}

const utf8 = new TextDecoder();

/**
 * One parsed CSV line as byte ranges, with each field's hash. The parser
 * reuses one record for every line, so it is valid only inside the callback
 * that receives it: keep `field(i)` strings, not the record.
 *
 * Consumers that count keys (ingest reads tens of millions of lines) look
 * fields up by bytes and hash without creating strings; the others call
 * `fields()`.
 */
export class CsvRecord {
  /** 1-based, counting the header and blank lines. */
  lineNumber = 0;
  fieldCount = 0;
  /** The bytes `starts`/`ends` point into: the input itself, or an unquoted copy for a line with quotes. */
  data: Uint8Array = new Uint8Array(0);
  starts = new Int32Array(8);
  ends = new Int32Array(8);
  hashes = new Int32Array(8);
  /** Where the line sits in the input, for `text()`. */
  private raw: Uint8Array = new Uint8Array(0);
  private rawStart = 0;
  private rawEnd = 0;

  field(index: number): string {
    return utf8.decode(this.data.subarray(this.starts[index], this.ends[index]));
  }

  fields(): string[] {
    const fields: string[] = [];
    for (let i = 0; i < this.fieldCount; i++) fields.push(this.field(i));
    return fields;
  }

  /** The line as it is in the file (quotes and all, without its line end). */
  text(): string {
    return utf8.decode(this.raw.subarray(this.rawStart, this.rawEnd));
  }

  fieldLength(index: number): number {
    return this.ends[index] - this.starts[index];
  }

  /** Whether field `index` is exactly `expected` (bytes, e.g. from `asciiBytes`). */
  fieldEquals(index: number, expected: Uint8Array): boolean {
    const start = this.starts[index];
    if (this.ends[index] - start !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) if (this.data[start + i] !== expected[i]) return false;
    return true;
  }

  /** @internal The parser starts a line of `data`. */
  startLine(data: Uint8Array): void {
    this.data = this.raw = data;
    this.fieldCount = 0;
  }

  /** @internal The parser has found the line's end; its fields are added. */
  endLine(start: number, end: number, lineNumber: number): void {
    this.rawStart = start;
    this.rawEnd = end;
    this.lineNumber = lineNumber;
  }

  /** @internal The parser adds a field of the current line. */
  addField(start: number, end: number, hash: number): void {
    const index = this.fieldCount++;
    if (index === this.starts.length) this.grow();
    this.starts[index] = start;
    this.ends[index] = end;
    this.hashes[index] = hash;
  }

  /** @internal Replaces the fields with unquoted text (lines with quotes take this slower path). */
  setDecodedFields(fields: string[]): void {
    const encoded = Buffer.from(fields.join(''), 'utf8');
    this.data = encoded;
    this.fieldCount = 0;
    let offset = 0;
    for (const field of fields) {
      const end = offset + Buffer.byteLength(field, 'utf8');
      this.addField(offset, end, hashBytes(encoded, offset, end));
      offset = end;
    }
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const grown = (from: Int32Array) => {
      const to = new Int32Array(size);
      to.set(from);
      return to;
    };
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
    this.hashes = grown(this.hashes);
  }
}

/** The bytes of an ASCII string, for `CsvRecord.fieldEquals`. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0));
}
