import { AppConfig } from '@adrec/config';
import { windowDates } from '@adrec/contracts';
import { ObjectStore } from '@adrec/storage';
import { readActiveAdvertisers } from './advertiser-ids.reader';
import { LogAggregator } from './log-aggregator';
import { LOG_READ_WORKER, readOnThreads } from './log-read.threads';
import { LogSlice, planLogSlices } from './log-slice.planner';
import { SliceReader, SliceReadOutcome } from './log-slice.reader';
import { locateDataset } from './raw-datasets.locator';
import { mergeSliceReads } from './slice-reads.merger';

/** A run's raw input, read and counted. */
export interface RawInput {
  /** The window's log lines folded into counts, with every bad line (`advertiser_ids`' too). */
  logs: LogAggregator;
  activeAdvertisers: number;
  /** Lines of `advertiser_ids` that name an id, valid or not. */
  advertiserIdLines: number;
  objectsRead: number;
  /** Parts the logs were read in (see `planLogSlices`). */
  slices: number;
}

/**
 * Ingest's read path: finds a run's raw objects (`locateDataset`), reads the
 * active advertisers, cuts the window's logs into slices and reads them on
 * `ingestThreads` threads (0: on this thread, one slice after another), then
 * merges the threads' counts. Memory is one aggregator per thread, which
 * grows with (advertiser, product) pairs, not with lines.
 */
export class RawInputReader {
  /**
   * @param workerScript the reading thread's script; default: the compiled
   * `log-read.worker.js` beside this module.
   */
  constructor(
    private readonly config: AppConfig,
    private readonly store: ObjectStore,
    private readonly workerScript: string = LOG_READ_WORKER,
  ) {}

  async read(runDate: string, windowDays: number): Promise<RawInput> {
    const { rawPrefix } = this.config.storage;
    const { ingestMaxLineBytes, ingestSliceBytes } = this.config.pipeline;
    const dates = windowDates(runDate, windowDays);
    const [advertiserObjects, productViewObjects, adEventObjects] = await Promise.all([
      locateDataset(this.store, rawPrefix, 'advertiser_ids', [runDate]),
      locateDataset(this.store, rawPrefix, 'product_views', dates),
      locateDataset(this.store, rawPrefix, 'ads_views', dates),
    ]);
    const { active, invalidIds, idLines } = await readActiveAdvertisers(this.store, advertiserObjects, ingestMaxLineBytes);
    const slices = await planLogSlices(
      this.store,
      [
        ...productViewObjects.map((object) => ({ object, dataset: 'product_views' as const })),
        ...adEventObjects.map((object) => ({ object, dataset: 'ads_views' as const })),
      ],
      ingestSliceBytes,
    );
    const activeAdvertisers = [...active];
    const outcomes = await this.readSlices(slices, activeAdvertisers, dates);
    const logs = mergeSliceReads(slices, outcomes, activeAdvertisers, dates);
    for (const line of invalidIds) logs.rejectAdvertiserIdLine(line.key, line.lineNumber, line.text);
    return {
      logs,
      activeAdvertisers: active.size,
      advertiserIdLines: idLines,
      objectsRead: advertiserObjects.length + productViewObjects.length + adEventObjects.length,
      slices: slices.length,
    };
  }

  private async readSlices(slices: readonly LogSlice[], activeAdvertisers: string[], dates: string[]): Promise<SliceReadOutcome[]> {
    const threads = this.config.pipeline.ingestThreads;
    // One slice has nothing to share: read it here rather than start a thread for it.
    if (threads > 0 && slices.length > 1) {
      return readOnThreads(this.workerScript, slices, { config: this.config, activeAdvertisers, windowDates: dates }, threads);
    }
    const reader = new SliceReader(this.store, activeAdvertisers, dates, this.config.pipeline.ingestMaxLineBytes);
    for (const slice of slices) await reader.read(slice);
    return [reader.outcome()];
  }
}
