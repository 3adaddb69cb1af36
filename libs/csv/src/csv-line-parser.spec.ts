import { CsvLineParser } from './csv-line-parser';
import { asciiBytes, hashBytes } from './csv-record';

type Event = ['record', number, string[]] | ['malformed', number, string];

/** Feeds `chunks` through a parser and returns what it reported, in order. */
function parse(...chunks: (string | Buffer)[]): Event[] {
  const events: Event[] = [];
  const parser = new CsvLineParser(
    (record) => events.push(['record', record.lineNumber, record.fields()]),
    (line, text) => events.push(['malformed', line, text]),
  );
  for (const chunk of chunks) parser.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  parser.end();
  return events;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('CsvLineParser', () => {
  it('splits LF-terminated lines into fields, numbering lines from the header', () => {
    expect(parse('advertiser_id,product_id\nA1,p1\nA2,p2\n')).toEqual([
      ['record', 1, ['advertiser_id', 'product_id']],
      ['record', 2, ['A1', 'p1']],
      ['record', 3, ['A2', 'p2']],
    ]);
  });

  it('drops the CR of CRLF line ends', () => {
    expect(parse('a,b\r\n1,2\r\n')).toEqual([
      ['record', 1, ['a', 'b']],
      ['record', 2, ['1', '2']],
    ]);
  });

  it('strips a byte-order mark from the first header field', () => {
    expect(parse(Buffer.concat([BOM, Buffer.from('advertiser_id\nA1\n')]))).toEqual([
      ['record', 1, ['advertiser_id']],
      ['record', 2, ['A1']],
    ]);
  });

  it('keeps commas inside quoted fields and undoubles doubled quotes', () => {
    expect(parse('"a,b",c\n"say ""hi""",""\nx,"y"\n')).toEqual([
      ['record', 1, ['a,b', 'c']],
      ['record', 2, ['say "hi"', '']],
      ['record', 3, ['x', 'y']],
    ]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parse('a,,\n"q",\n')).toEqual([
      ['record', 1, ['a', '', '']],
      ['record', 2, ['q', '']],
    ]);
  });

  it('reports a line with an unbalanced quote as malformed and parses the next lines', () => {
    expect(parse('h\n"open,1\nA,2\n')).toEqual([
      ['record', 1, ['h']],
      ['malformed', 2, '"open,1'],
      ['record', 3, ['A', '2']],
    ]);
  });

  it('reports text after a closing quote as malformed and parses the next lines', () => {
    expect(parse('h\r\n"ab"c,1\r\nA,2\r\n')).toEqual([
      ['record', 1, ['h']],
      ['malformed', 2, '"ab"c,1'],
      ['record', 3, ['A', '2']],
    ]);
  });

  it('reports a quote inside an unquoted field as malformed', () => {
    expect(parse('ab"c,1\n')).toEqual([['malformed', 1, 'ab"c,1']]);
  });

  it('ignores blank lines but counts them in line numbers', () => {
    expect(parse('h\n\nA\r\n\r\nB\n')).toEqual([
      ['record', 1, ['h']],
      ['record', 3, ['A']],
      ['record', 5, ['B']],
    ]);
  });

  it('reads a last line that has no line end', () => {
    expect(parse('h\nA,1')).toEqual([
      ['record', 1, ['h']],
      ['record', 2, ['A', '1']],
    ]);
    expect(parse('h\n"A,1"')).toEqual([
      ['record', 1, ['h']],
      ['record', 2, ['A,1']],
    ]);
  });

  it('counts every line read, blank ones included', () => {
    const parser = new CsvLineParser(
      () => undefined,
      () => undefined,
    );
    parser.push(Buffer.from('h\n\nA\nB'));
    parser.end();
    expect(parser.linesRead).toBe(4);
  });

  it('gives the same output whatever byte offset a file is split at', () => {
    const file = Buffer.concat([
      BOM,
      Buffer.from('advertiser_id,product_id,date\r\nA1,"p,1",2022-01-01\n\n"bad,x\r\nA2,é☃,2022-01-02\n"a""b",c"d\nA3,p3,2022-01-03'),
    ]);
    const whole = parse(file);
    expect(whole).toHaveLength(6);
    for (let offset = 0; offset <= file.length; offset++) {
      expect([offset, parse(file.subarray(0, offset), file.subarray(offset))]).toEqual([offset, whole]);
    }
  });

  it('gives the same output when a file arrives one byte at a time', () => {
    const file = Buffer.concat([BOM, Buffer.from('h1,h2\r\n"x,""y""",z\r\nA,ü\n')]);
    const bytes = Array.from(file, (byte) => Buffer.from([byte]));
    expect(parse(...bytes)).toEqual(parse(file));
  });

  it('strips a byte-order mark split across chunks', () => {
    const events = parse(BOM.subarray(0, 1), BOM.subarray(1, 2), Buffer.concat([BOM.subarray(2), Buffer.from('id\nA\n')]));
    expect(events).toEqual([
      ['record', 1, ['id']],
      ['record', 2, ['A']],
    ]);
  });

  it('splits the lines of a file shorter than a byte-order mark', () => {
    expect(parse('a\n')).toEqual([['record', 1, ['a']]]);
    expect(parse('\n')).toEqual([]);
  });
});

describe('CsvRecord', () => {
  /** Every record's fields as [text, hash] pairs. */
  function hashedFields(file: string): [string, number][][] {
    const lines: [string, number][][] = [];
    const parser = new CsvLineParser(
      (record) => lines.push(record.fields().map((text, i) => [text, record.hashes[i]])),
      () => undefined,
    );
    parser.push(Buffer.from(file));
    parser.end();
    return lines;
  }

  it('gives a field the same hash whether it was quoted or not, and on CRLF or LF lines', () => {
    const [plain, quoted, crlf] = hashedFields('ADV1,p1\n"ADV1","p1"\r\nADV1,p1\r\n');
    expect(quoted).toEqual(plain);
    expect(crlf).toEqual(plain);
    expect(plain[0][1]).toBe(hashBytes(Buffer.from('ADV1'), 0, 4));
  });

  it('gives different fields different hashes', () => {
    const [[a, b]] = hashedFields('ADV1,ADV2\n');
    expect(a[1]).not.toBe(b[1]);
  });

  it('returns the line as written in the file, quotes included', () => {
    const texts: string[] = [];
    const parser = new CsvLineParser(
      (record) => texts.push(record.text()),
      () => undefined,
    );
    parser.push(Buffer.from('a,"b,c"\r\nd,e'));
    parser.end();
    expect(texts).toEqual(['a,"b,c"', 'd,e']);
  });

  it('compares a field with expected bytes', () => {
    const results: boolean[] = [];
    const parser = new CsvLineParser(
      (record) => results.push(record.fieldEquals(1, asciiBytes('click')), record.fieldEquals(0, asciiBytes('click'))),
      () => undefined,
    );
    parser.push(Buffer.from('clicks,click\n'));
    parser.end();
    expect(results).toEqual([true, false]);
  });
});

describe('CsvLineParser with a maximum line length', () => {
  type Seen = ['record', number, string[]] | ['tooLong', number, string];

  function parseLimited(maxLineBytes: number, chunks: string[]): Seen[] {
    const seen: Seen[] = [];
    const parser = new CsvLineParser(
      (record) => seen.push(['record', record.lineNumber, record.fields()]),
      () => undefined,
      { maxLineBytes, onTooLong: (line, start) => seen.push(['tooLong', line, start]) },
    );
    for (const chunk of chunks) parser.push(Buffer.from(chunk));
    parser.end();
    return seen;
  }

  /** Every way of cutting `text` into two or three chunks. */
  function cuts(text: string): string[][] {
    const ways: string[][] = [[text]];
    for (let i = 1; i < text.length; i++) {
      ways.push([text.slice(0, i), text.slice(i)]);
      for (let j = i + 1; j < text.length; j++) ways.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
    }
    return ways;
  }

  it('skips a longer line and reports it with its line number, however the input is cut into chunks', () => {
    const text = 'a,b\n1,2\n' + 'x'.repeat(30) + '\n3,4\n';
    const expected: Seen[] = [
      ['record', 1, ['a', 'b']],
      ['record', 2, ['1', '2']],
      ['tooLong', 3, 'x'.repeat(30)],
      ['record', 4, ['3', '4']],
    ];
    for (const chunks of cuts(text)) {
      const seen = parseLimited(16, chunks);
      // A line cut across chunks is reported with the bytes seen before it was known to be too long.
      expect(
        seen.map((event) => (event[0] === 'tooLong' ? [event[0], event[1], event[2].startsWith('x') ? 'x'.repeat(30) : event[2]] : event)),
      ).toEqual(expected);
    }
  });

  it('counts a too-long last line without a line feed', () => {
    expect(parseLimited(4, ['a\n', '1234567', '89'])).toEqual([
      ['record', 1, ['a']],
      ['tooLong', 2, '1234567'],
    ]);
  });

  it('keeps a line of exactly the maximum', () => {
    expect(parseLimited(7, ['ab,cd,e\n', 'abc,def\n'])).toEqual([
      ['record', 1, ['ab', 'cd', 'e']],
      ['record', 2, ['abc', 'def']],
    ]);
  });

  it('holds no more than the maximum of a line without a line feed, whatever its length', () => {
    const parser = new CsvLineParser(
      () => undefined,
      () => undefined,
      { maxLineBytes: 1024 },
    );
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 200; i++) parser.push(chunk);
    // What the parser holds between chunks: nothing of a too-long line but its short sample.
    expect((parser as unknown as { pending?: Buffer }).pending).toBeUndefined();
    let reported = 0;
    const counting = new CsvLineParser(
      () => undefined,
      () => undefined,
      { maxLineBytes: 1024, onTooLong: () => reported++ },
    );
    for (let i = 0; i < 200; i++) counting.push(chunk);
    counting.push(Buffer.from('\nA,1\n'));
    counting.end();
    expect(reported).toBe(1);
    expect(counting.linesRead).toBe(2);
  });
});
