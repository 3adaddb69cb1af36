import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvLineParser, MalformedLineHandler, RecordHandler, TooLongLineHandler } from './csv-line-parser';

const LF = 10;

/** The lines of a byte range of a file, for reading one file in several parts. */
export interface LineSlice {
  /**
   * The source starts one byte before the range: drop everything up to and
   * including the first line end, which belongs to the range before.
   */
  startsBeforeRange: boolean;
  /** The range's length: the range owns the lines that start inside it, so reading stops after the line holding its last byte. */
  length?: number;
}

/**
 * The source stream, or its gunzipping, failed mid-read: a truncated or
 * corrupt gzip, a connection cut while the body arrived. `offset` is how far
 * into the source (compressed bytes, from where the stream started) reading
 * got; `corrupt` tells bad data (reading again fails again) from a failed read.
 */
export class StreamReadError extends Error {
  constructor(
    readonly offset: number,
    readonly corrupt: boolean,
    cause: Error,
  ) {
    super(cause.message, { cause });
    this.name = 'StreamReadError';
  }
}

/**
 * Streams a CSV (gunzipping it when `gzip` is set) through the line parser.
 * Memory stays at one chunk plus one partial line, whatever the file size.
 * With `slice`, only the lines owned by a byte range are parsed (see
 * `LineSlice`); slices cut at consecutive offsets read every line exactly
 * once. Resolves with the number of lines read.
 */
export async function readCsvStream(
  source: Readable,
  options: {
    gzip: boolean;
    onRecord: RecordHandler;
    onMalformed: MalformedLineHandler;
    slice?: LineSlice;
    /** Longer lines are skipped (default 64 KiB, see `CsvLineParser`). */
    maxLineBytes?: number;
    onTooLong?: TooLongLineHandler;
  },
): Promise<number> {
  const parser = new CsvLineParser(options.onRecord, options.onMalformed, {
    maxLineBytes: options.maxLineBytes,
    onTooLong: options.onTooLong,
  });
  let offset = 0;
  let streamError: StreamReadError | undefined;
  source.on('error', (error) => (streamError ??= new StreamReadError(offset, false, error)));
  let input: AsyncIterable<Buffer>;
  if (options.gzip) {
    const gunzip = source.pipe(createGunzip());
    source.on('data', (chunk: Buffer) => (offset += chunk.length));
    source.on('error', (error) => gunzip.destroy(error));
    // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR: "unexpected end of file") mean the bytes are bad.
    gunzip.on('error', (error) => (streamError ??= new StreamReadError(offset, true, error)));
    input = gunzip;
  } else {
    input = countBytes(source, (length) => (offset += length));
  }
  const chunks = options.slice ? sliceLines(input, options.slice) : input;
  try {
    for await (const chunk of chunks) parser.push(chunk);
  } catch (error) {
    // An error of the streams is reported as such; one of the callbacks passes through unchanged.
    throw streamError !== undefined && (error === streamError.cause || error === streamError) ? streamError : error;
  } finally {
    // A slice stops before the end of its source: let the connection go.
    source.destroy();
  }
  parser.end();
  return parser.linesRead;
}

async function* countBytes(source: AsyncIterable<Buffer>, count: (length: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    count(chunk.length);
    yield chunk;
  }
}

/** Trims a stream to the lines a `LineSlice` owns; stops reading (and destroys the source) once past them. */
async function* sliceLines(source: AsyncIterable<Buffer>, slice: LineSlice): AsyncGenerator<Buffer> {
  let skipping = slice.startsBeforeRange;
  // Offset, from the start of the range, of the next byte the source yields.
  let position = skipping ? -1 : 0;
  if (!skipping && slice.length !== undefined && slice.length <= 0) return; // an empty range owns no line
  for await (let chunk of source) {
    if (skipping) {
      const lineEnd = chunk.indexOf(LF);
      if (lineEnd === -1) {
        position += chunk.length;
        // Past the range's end inside the line before it: the range owns no line, and reading on would only find that line's end.
        if (slice.length !== undefined && position >= slice.length) return;
        continue;
      }
      position += lineEnd + 1;
      chunk = chunk.subarray(lineEnd + 1);
      skipping = false;
      // A line that started before the range and ran past its end: nothing here is ours.
      if (slice.length !== undefined && position >= slice.length) return;
    }
    if (slice.length !== undefined && position + chunk.length >= slice.length) {
      const lineEnd = chunk.indexOf(LF, Math.max(0, slice.length - 1 - position));
      if (lineEnd !== -1) {
        yield chunk.subarray(0, lineEnd + 1);
        return;
      }
    }
    position += chunk.length;
    yield chunk;
  }
}
