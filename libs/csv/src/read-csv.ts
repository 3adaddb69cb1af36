import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvLineParser, MalformedLineHandler, RecordHandler } from './csv-line-parser';

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
 * Streams a CSV (gunzipping it when `gzip` is set) through the line parser.
 * Memory stays at one chunk plus one partial line, whatever the file size.
 * With `slice`, only the lines owned by a byte range are parsed (see
 * `LineSlice`); slices cut at consecutive offsets read every line exactly
 * once. Resolves with the number of lines read.
 */
export async function readCsvStream(
  source: Readable,
  options: { gzip: boolean; onRecord: RecordHandler; onMalformed: MalformedLineHandler; slice?: LineSlice },
): Promise<number> {
  const parser = new CsvLineParser(options.onRecord, options.onMalformed);
  const input = options.gzip ? source.pipe(createGunzip()) : source;
  if (options.gzip) source.on('error', (error) => input.destroy(error));
  const chunks = options.slice ? sliceLines(input, options.slice) : (input as AsyncIterable<Buffer>);
  for await (const chunk of chunks) parser.push(chunk);
  parser.end();
  // A slice stops before the end of its source: let the connection go.
  source.destroy();
  return parser.linesRead;
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
