import { AdrecError } from '@adrec/contracts';
import { CsvLineParser, CsvRecord, readCsvStream, StreamReadError } from '@adrec/csv';
import { ObjectStore } from '@adrec/storage';
import { AggregatorState, indexColumns, LogAggregator, logColumns, LogColumns, REQUIRED_COLUMNS } from './log-aggregator';
import { DatasetName, RawObject } from './raw-datasets.locator';

export type LogDataset = 'product_views' | 'ads_views';

/**
 * A part of one raw log object that one thread reads. Uncompressed objects
 * larger than the slice size are cut at byte offsets; a slice owns the lines
 * that start inside it, so the slices of an object read each line once.
 * A gzipped object is one slice (it can only be read from its start).
 */
export interface LogSlice {
  /** Place in the plan: an object's slices are consecutive and in byte order. */
  index: number;
  key: string;
  dataset: LogDataset;
  gzip: boolean;
  /** Byte offset of the slice; 0 for the slice holding the header line. */
  start: number;
  /** Byte offset it ends at (exclusive); undefined: the end of the object. */
  end?: number;
  /** The object's columns, read from its header by the planner, for slices after the first. */
  columns?: LogColumns;
}

/** A header line longer than this is not a log header. */
const MAX_HEADER_BYTES = 64 * 1024;

/** Cuts the window's log objects into slices of about `sliceBytes`. */
export async function planLogSlices(
  store: ObjectStore,
  objects: { object: RawObject; dataset: LogDataset }[],
  sliceBytes: number,
): Promise<LogSlice[]> {
  const slices: LogSlice[] = [];
  for (const { object, dataset } of objects) {
    const whole = { key: object.key, dataset, gzip: object.gzip, start: 0 };
    const { size } = object;
    if (object.gzip || size <= sliceBytes) {
      slices.push({ index: slices.length, ...whole });
      continue;
    }
    const columns = await readHeader(store, object.key, dataset, size);
    const count = Math.ceil(size / sliceBytes);
    for (let i = 0; i < count; i++) {
      const start = Math.floor((size * i) / count);
      const end = i === count - 1 ? undefined : Math.floor((size * (i + 1)) / count);
      slices.push({ index: slices.length, ...whole, start, end, columns: i === 0 ? undefined : columns });
    }
  }
  return slices;
}

/**
 * Streams one slice through the aggregator; the first slice of an object
 * reads its header. Lines longer than `maxLineBytes` are counted as bad
 * (`line_too_long`). Resolves with the lines read.
 */
export async function readLogSlice(store: ObjectStore, slice: LogSlice, aggregator: LogAggregator, maxLineBytes: number): Promise<number> {
  let columns = slice.columns;
  const sliced = slice.start > 0 || slice.end !== undefined;
  // A later slice starts one byte early: if that byte ends a line, the slice's first line is whole.
  const from = slice.start > 0 ? slice.start - 1 : 0;
  const source = await store.openStream(slice.key, from > 0 ? from : undefined);
  return readCsvStream(source, {
    gzip: slice.gzip,
    maxLineBytes,
    onTooLong: (lineNumber, start) => {
      if (!columns) throw new AdrecError('INGEST.BAD_HEADER', `${slice.key}: the header line is longer than ${maxLineBytes} bytes`);
      aggregator.addTooLong(slice.dataset, slice.key, lineNumber, start);
    },
    slice: sliced
      ? { startsBeforeRange: slice.start > 0, length: slice.end === undefined ? undefined : slice.end - slice.start }
      : undefined,
    onRecord: (record) => {
      if (!columns) {
        columns = headerLogColumns(slice.key, record, slice.dataset);
      } else if (slice.dataset === 'product_views') {
        aggregator.addProductView(record, columns, slice.key);
      } else {
        aggregator.addAdEvent(record, columns, slice.key);
      }
    },
    onMalformed: (lineNumber, text) => {
      if (!columns) throw malformedHeader(slice.key);
      aggregator.addMalformed(slice.dataset, slice.key, lineNumber, text);
    },
  }).catch((error: unknown) => {
    throw objectReadError(slice.key, error, from);
  });
}

/**
 * A raw object that cannot be read to its end fails the run, naming the
 * object and how far reading got: re-reading a corrupt or truncated gzip
 * fails the same way every time, so retrying the trigger only delays the
 * verdict. Other errors pass through unchanged.
 */
export function objectReadError(key: string, error: unknown, startOffset = 0): unknown {
  if (!(error instanceof StreamReadError)) return error;
  const at = startOffset + error.offset;
  return error.corrupt
    ? new AdrecError('INGEST.CORRUPT_OBJECT', `${key}: gzip data is corrupt or truncated (${error.message}) after ${at} compressed bytes`, {
        cause: error,
        details: { key, offset: at },
      })
    : new AdrecError('INGEST.OBJECT_READ_FAILED', `${key}: reading failed at byte ${at} (${error.message})`, {
        cause: error,
        details: { key, offset: at },
      });
}

/** What a thread read: its counts, the lines of each slice, and the slice of each bad-line sample. */
export interface SliceReadOutcome {
  state: AggregatorState;
  linesBySlice: [slice: number, lines: number][];
  sampleSlices: number[];
}

/**
 * Reads slices, in any order, into one aggregator, remembering how many
 * lines each had and which slice each bad-line sample came from: sample line
 * numbers count from their slice's start until `mergeSliceReads` makes them
 * line numbers of the object.
 */
export class SliceReader {
  private readonly aggregator: LogAggregator;
  private readonly linesBySlice: [number, number][] = [];
  private readonly sampleSlices: number[] = [];

  constructor(
    private readonly store: ObjectStore,
    activeAdvertisers: readonly string[],
    windowDates: readonly string[],
    private readonly maxLineBytes: number,
  ) {
    this.aggregator = new LogAggregator(new Set(activeAdvertisers), windowDates);
  }

  async read(slice: LogSlice): Promise<void> {
    const lines = await readLogSlice(this.store, slice, this.aggregator, this.maxLineBytes);
    this.linesBySlice.push([slice.index, lines]);
    while (this.sampleSlices.length < this.aggregator.samples.length) this.sampleSlices.push(slice.index);
  }

  outcome(): SliceReadOutcome {
    return { state: this.aggregator.exportState(), linesBySlice: this.linesBySlice, sampleSlices: this.sampleSlices };
  }
}

/**
 * Merges what the threads read into one aggregator. Bad-line samples get
 * their line number in the object (the lines of the object's earlier slices
 * added) and are kept in file order.
 */
export function mergeSliceReads(
  slices: readonly LogSlice[],
  outcomes: readonly SliceReadOutcome[],
  activeAdvertisers: readonly string[],
  windowDates: readonly string[],
): LogAggregator {
  const lines = new Map(outcomes.flatMap((outcome) => outcome.linesBySlice));
  const firstLine = new Map<number, number>();
  slices.forEach((slice, i) => {
    const previous = slices[i - 1];
    const sameObject = previous !== undefined && previous.key === slice.key;
    firstLine.set(slice.index, sameObject ? firstLine.get(previous.index)! + (lines.get(previous.index) ?? 0) : 0);
  });
  const samples = outcomes
    .flatMap((outcome) =>
      outcome.state.samples.map((sample, i) => ({
        slice: outcome.sampleSlices[i],
        sample: { ...sample, lineNumber: sample.lineNumber + firstLine.get(outcome.sampleSlices[i])! },
      })),
    )
    .sort((a, b) => a.slice - b.slice || a.sample.lineNumber - b.sample.lineNumber)
    .map(({ sample }) => sample);
  const merged = new LogAggregator(new Set(activeAdvertisers), windowDates);
  for (const outcome of outcomes) merged.absorb({ ...outcome.state, samples: [] });
  merged.keepSamples(samples);
  return merged;
}

/** Positions of the dataset's required columns, or INGEST.BAD_HEADER naming the object and what is missing. */
export function headerColumns(key: string, header: string[], dataset: DatasetName, lineNumber: number): Record<string, number> {
  const { columns, missing } = indexColumns(header, REQUIRED_COLUMNS[dataset]);
  if (missing.length > 0) {
    throw new AdrecError(
      'INGEST.BAD_HEADER',
      `${key} line ${lineNumber}: header "${header.join(',')}" lacks column(s) ${missing.join(', ')}`,
    );
  }
  return columns;
}

/** Reads an object's header line (for the slices that start past it). */
async function readHeader(store: ObjectStore, key: string, dataset: LogDataset, size: number): Promise<LogColumns> {
  const head = await store.getRange(key, 0, Math.min(size, MAX_HEADER_BYTES));
  let columns: LogColumns | undefined;
  const parser = new CsvLineParser(
    (record) => (columns ??= headerLogColumns(key, record, dataset)),
    () => {
      if (!columns) throw malformedHeader(key);
    },
  );
  // Whole lines only: the first one that is not blank is the header.
  parser.push(head.subarray(0, head.lastIndexOf(10) + 1));
  if (!columns) throw new AdrecError('INGEST.BAD_HEADER', `${key}: no header line in the first ${MAX_HEADER_BYTES} bytes`);
  return columns;
}

/** The columns a log object's header record names, or INGEST.BAD_HEADER. */
function headerLogColumns(key: string, header: CsvRecord, dataset: LogDataset): LogColumns {
  const fields = header.fields();
  return logColumns(headerColumns(key, fields, dataset, header.lineNumber), fields.length);
}

function malformedHeader(key: string): AdrecError {
  return new AdrecError('INGEST.BAD_HEADER', `${key}: the header line is not valid CSV`);
}
