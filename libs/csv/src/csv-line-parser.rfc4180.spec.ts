import { parse as referenceParse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvLineParser } from './csv-line-parser';

/**
 * The parser against csv-parse, on random RFC 4180 files within what the
 * parser is documented to handle: quoted and unquoted fields, commas and
 * doubled quotes inside quotes, empty fields, LF or CRLF line ends, a last
 * line with or without one, a byte-order mark, multi-byte UTF-8, and the file
 * cut into chunks anywhere, and carriage returns inside quotes. Line feeds
 * inside quotes are left out: the parser reads one physical line as one
 * record, by design (a broken quote costs one line, not the rest of the file).
 */

/** A field's text: anything but a line feed, weighted towards what needs quoting (a carriage return is quoted, as RFC 4180 asks). */
const fieldText = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('a', 'B', '7', '-', '_', ' ', '\t', 'é', '日', '😀') },
    { weight: 2, arbitrary: fc.constantFrom(',', '"', '\r') },
  ),
  maxLength: 8,
});

/** A field as written: quoted when it must be, and sometimes when it need not be. */
const writtenField = fc.tuple(fieldText, fc.boolean()).map(([text, quote]) => ({
  text,
  written: quote || /[,"\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text,
}));

const csvFile = fc.record({
  bom: fc.boolean(),
  lines: fc.array(fc.tuple(fc.array(writtenField, { minLength: 1, maxLength: 5 }), fc.constantFrom('\n', '\r\n')), {
    minLength: 1,
    maxLength: 8,
  }),
  lastLineEnded: fc.boolean(),
});

/** Where to cut the file's bytes into chunks (fractions of its length). */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 });

function parseInChunks(bytes: Buffer, cutAt: number[]): string[][] {
  const records: string[][] = [];
  const parser = new CsvLineParser(
    (record) => records.push(record.fields()),
    (lineNumber, text) => {
      throw new Error(`line ${lineNumber} reported malformed: ${JSON.stringify(text)}`);
    },
  );
  const offsets = [...new Set(cutAt.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const offset of [...offsets, bytes.length]) {
    parser.push(bytes.subarray(from, offset));
    from = offset;
  }
  parser.end();
  return records;
}

describe('CsvLineParser against csv-parse', () => {
  it('reads every RFC 4180 file (without line feeds inside quotes) as csv-parse does, however it is cut into chunks', () => {
    fc.assert(
      fc.property(csvFile, cuts, ({ bom, lines, lastLineEnded }, cutAt) => {
        const text =
          (bom ? '\uFEFF' : '') +
          lines
            .map(([fields, end], i) => fields.map((field) => field.written).join(',') + (i < lines.length - 1 || lastLineEnded ? end : ''))
            .join('');
        const expected = referenceParse(text, {
          bom: true,
          relax_column_count: true,
          skip_empty_lines: true,
          record_delimiter: ['\r\n', '\n'],
        });
        expect(parseInChunks(Buffer.from(text, 'utf8'), cutAt)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
