import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppConfig } from '@adrec/config';
import { AdrecError } from '@adrec/contracts';
import { ObjectStore } from '@adrec/storage';
import { LogAggregator } from './log-aggregator';
import { LogSlice, mergeSliceReads, SliceReader, SliceReadOutcome } from './log-slice.reader';

export interface ReadWorkerData {
  /** The parent's configuration (a thread does not read the environment again). */
  config: AppConfig;
  activeAdvertisers: string[];
  windowDates: string[];
}

export type ToReadWorker = { type: 'read'; slice: LogSlice } | { type: 'finish' };
export type FromReadWorker =
  | { type: 'read'; slice: number }
  | { type: 'done'; outcome: SliceReadOutcome }
  | { type: 'failed'; error: { code?: string; message: string } };

/**
 * Reads the window's log slices on `threads` worker threads (0: on this
 * thread, one slice after another) and merges their counts. Parsing is
 * CPU-bound and each thread has its own aggregator, so the threads share
 * nothing while they read; a free thread takes the next slice. Memory is one
 * aggregator per thread, which grows with (advertiser, product) pairs, not
 * with lines.
 */
export async function readLogsInParallel(
  config: AppConfig,
  store: ObjectStore,
  slices: readonly LogSlice[],
  activeAdvertisers: readonly string[],
  windowDates: readonly string[],
): Promise<LogAggregator> {
  const threads = config.pipeline.ingestThreads;
  let outcomes: SliceReadOutcome[];
  // One slice has nothing to share: read it here rather than start a thread for it.
  if (threads === 0 || slices.length <= 1) {
    const reader = new SliceReader(store, activeAdvertisers, windowDates, config.pipeline.ingestMaxLineBytes);
    for (const slice of slices) await reader.read(slice);
    outcomes = [reader.outcome()];
  } else {
    outcomes = await readOnWorkers(slices, { config, activeAdvertisers: [...activeAdvertisers], windowDates: [...windowDates] }, threads);
  }
  return mergeSliceReads(slices, outcomes, activeAdvertisers, windowDates);
}

/**
 * The compiled worker, beside this file when ingest runs from `dist/`. Tests
 * load the TypeScript sources, which a thread cannot run: they use the
 * build's copy (`npm test` builds first).
 */
function workerPath(): string {
  const candidates = [join(__dirname, 'log-read.worker.js'), join(__dirname, '../../../dist/apps/ingest/src/log-read.worker.js')];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (!path) throw new Error(`${candidates[0]} not found: INGEST_THREADS > 0 needs the compiled ingest (npm run build)`);
  return path;
}

function readOnWorkers(slices: readonly LogSlice[], data: ReadWorkerData, threads: number): Promise<SliceReadOutcome[]> {
  const path = workerPath();
  const queue = [...slices];
  const outcomes: SliceReadOutcome[] = [];
  const workers: Worker[] = [];
  const finished = new Set<Worker>();
  return new Promise<SliceReadOutcome[]>((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      for (const worker of workers) void worker.terminate();
      reject(error);
    };
    const next = (worker: Worker) => {
      const slice = queue.shift();
      worker.postMessage(slice ? ({ type: 'read', slice } satisfies ToReadWorker) : ({ type: 'finish' } satisfies ToReadWorker));
    };
    const count = Math.max(1, Math.min(threads, slices.length));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(path, { workerData: data });
      workers.push(worker);
      worker.on('message', (message: FromReadWorker) => {
        if (message.type === 'read') return next(worker);
        if (message.type === 'failed') {
          const { code, message: text } = message.error;
          return fail(code ? new AdrecError(code, text) : new Error(`log reading thread failed: ${text}`));
        }
        outcomes.push(message.outcome);
        finished.add(worker);
        void worker.terminate();
        if (outcomes.length === count) resolve(outcomes);
      });
      worker.on('error', (error) => fail(error));
      worker.on('exit', (code) => {
        if (!finished.has(worker)) fail(new Error(`a log reading thread exited with code ${code} before it was done`));
      });
      next(worker);
    }
  });
}
