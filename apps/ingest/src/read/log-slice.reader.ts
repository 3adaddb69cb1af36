import { readCsvStream } from '@adrec/csv';
import { HeaderColumns, headerColumns, ObjectStore } from '@adrec/storage';
import { AggregatorState, LogAggregator } from './log-aggregator';
import { malformedHeader, tooLongHeader } from './log-header.reader';
import { LogSlice } from './log-slice.planner';
import { objectReadError } from './object-read.error';

/** What one `SliceReader` read: its counts, the lines of each slice, and the slice of each bad-line sample. */
export interface SliceReadOutcome {
  state: AggregatorState;
  linesBySlice: [slice: number, lines: number][];
  sampleSlices: number[];
}

/**
 * Reads slices, in any order, into one aggregator, remembering how many
 * lines each had and which slice each bad-line sample came from: sample line
 * numbers count from their slice's start until `mergeSliceReads` makes them
 * line numbers of the object. One runs on each reading thread (or one on
 * ingest's own thread).
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
    const lines = await this.readLines(slice);
    this.linesBySlice.push([slice.index, lines]);
    while (this.sampleSlices.length < this.aggregator.samples.length) this.sampleSlices.push(slice.index);
  }

  outcome(): SliceReadOutcome {
    return { state: this.aggregator.exportState(), linesBySlice: this.linesBySlice, sampleSlices: this.sampleSlices };
  }

  /**
   * Streams one slice through the aggregator; the first slice of an object
   * reads its header. Lines longer than `maxLineBytes` are counted as bad
   * (`line_too_long`). Resolves with the lines read.
   */
  private async readLines(slice: LogSlice): Promise<number> {
    const { aggregator, maxLineBytes } = this;
    let columns: HeaderColumns | undefined = slice.columns;
    const sliced = slice.start > 0 || slice.end !== undefined;
    // A later slice starts one byte early: if that byte ends a line, the slice's first line is whole.
    const from = slice.start > 0 ? slice.start - 1 : 0;
    const source = await this.store.openStream(slice.key, from > 0 ? from : undefined);
    return readCsvStream(source, {
      gzip: slice.gzip,
      maxLineBytes,
      onTooLong: (lineNumber, start) => {
        if (!columns) throw tooLongHeader(slice.key, maxLineBytes);
        aggregator.addTooLong(slice.dataset, slice.key, lineNumber, start);
      },
      slice: sliced
        ? { startsBeforeRange: slice.start > 0, length: slice.end === undefined ? undefined : slice.end - slice.start }
        : undefined,
      onRecord: (record) => {
        if (!columns) {
          columns = headerColumns(slice.dataset, record, slice.key);
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
}
