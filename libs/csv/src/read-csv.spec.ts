import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readCsvStream, StreamReadError } from './read-csv';

/** Reads bytes [start, end) of `file` as a slice would be read from S3: from one byte before `start`, to the end of the file. */
async function readSlice(file: Buffer, start: number, end: number, chunkSize: number): Promise<{ lines: number; records: string[][] }> {
  const from = start === 0 ? 0 : start - 1;
  const chunks: Buffer[] = [];
  for (let i = from; i < file.length; i += chunkSize) chunks.push(file.subarray(i, Math.min(i + chunkSize, file.length)));
  const records: string[][] = [];
  const lines = await readCsvStream(Readable.from(chunks), {
    gzip: false,
    onRecord: (record) => records.push(record.fields()),
    onMalformed: (lineNumber, text) => records.push(['malformed', text]),
    slice: { startsBeforeRange: start > 0, length: end - start },
  });
  return { lines, records };
}

describe('readCsvStream with a slice', () => {
  const file = Buffer.from('h1,h2\nA,1\n\nB,"2,x"\r\nCCCCCCCC,3\n"bad\nD,4');

  it('reads every line exactly once when a file is cut into two slices at any offset, whatever the chunk size', async () => {
    const whole = await readSlice(file, 0, file.length, 1024);
    expect(whole.records).toHaveLength(6);
    for (const chunkSize of [1, 3, 1024]) {
      for (let cut = 0; cut <= file.length; cut++) {
        const first = await readSlice(file, 0, cut, chunkSize);
        const second = await readSlice(file, cut, file.length, chunkSize);
        expect([chunkSize, cut, [...first.records, ...second.records]]).toEqual([chunkSize, cut, whole.records]);
        expect([chunkSize, cut, first.lines + second.lines]).toEqual([chunkSize, cut, whole.lines]);
      }
    }
  });

  it('reads every line exactly once across three slices, including ones that own no line', async () => {
    const whole = await readSlice(file, 0, file.length, 1024);
    for (let a = 0; a <= file.length; a++) {
      for (let b = a; b <= file.length; b++) {
        const parts = await Promise.all([readSlice(file, 0, a, 4), readSlice(file, a, b, 4), readSlice(file, b, file.length, 4)]);
        expect([a, b, parts.flatMap((part) => part.records)]).toEqual([a, b, whole.records]);
      }
    }
  });
});

describe('readCsvStream read errors', () => {
  const text = Buffer.from('h1,h2\n' + Array.from({ length: 5000 }, (_, i) => `A${i},${i}`).join('\n') + '\n');
  const read = (source: Readable, gzip: boolean) =>
    readCsvStream(source, { gzip, onRecord: () => undefined, onMalformed: () => undefined });

  it('rejects a truncated gzip with a StreamReadError marked corrupt, with how far reading got', async () => {
    const whole = gzipSync(text);
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    const error = await read(Readable.from([truncated]), true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamReadError);
    expect(error).toMatchObject({ corrupt: true, offset: truncated.length });
  });

  it('rejects bytes that are not gzip at all as corrupt', async () => {
    const error = await read(Readable.from([Buffer.from('not gzip at all, just text\n')]), true).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StreamReadError', corrupt: true });
  });

  it('reports a source that fails mid-read as a failed read (not corrupt) at the offset reached', async () => {
    // A connection cut after 1000 bytes of the body, plain and gzipped.
    for (const [gzip, body] of [
      [false, text],
      [true, gzipSync(text)],
    ] as const) {
      const cut = new Readable({ read() {} });
      cut.push(body.subarray(0, 1000));
      setImmediate(() => cut.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));
      const error = await read(cut, gzip).catch((e: unknown) => e);
      expect({ gzip, error }).toMatchObject({
        gzip,
        error: { name: 'StreamReadError', corrupt: false, offset: 1000, message: 'socket hang up' },
      });
    }
  });

  it('lets an error thrown by a callback through unchanged', async () => {
    const thrown = new Error('from the callback');
    const error = await readCsvStream(Readable.from([text]), {
      gzip: false,
      onRecord: () => {
        throw thrown;
      },
      onMalformed: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBe(thrown);
  });
});
