import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CsvLineParser, MalformedLineHandler, RecordHandler } from './csv-line-parser';

/**
 * Streams a CSV (gunzipping it when `gzip` is set) through the line parser.
 * Memory stays at one chunk plus one partial line, whatever the file size.
 * Resolves with the number of lines read.
 */
export async function readCsvStream(
  source: Readable,
  options: { gzip: boolean; onRecord: RecordHandler; onMalformed: MalformedLineHandler },
): Promise<number> {
  const parser = new CsvLineParser(options.onRecord, options.onMalformed);
  const input = options.gzip ? source.pipe(createGunzip()) : source;
  if (options.gzip) source.on('error', (error) => input.destroy(error));
  for await (const chunk of input) parser.push(chunk as Buffer);
  parser.end();
  return parser.linesRead;
}
