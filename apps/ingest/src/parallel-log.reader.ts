import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AdrecError } from '@adrec/contracts';
import { ObjectStore } from '@adrec/storage';
import { LogAggregator } from './log-aggregator';
import { LogSlice, mergeSliceReads, SliceReader, SliceReadOutcome } from './log-slice.reader';

export interface ReadWorkerData {
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
  store: ObjectStore,
  slices: readonly LogSlice[],
  activeAdvertisers: readonly string[],
  windowDates: readonly string[],
  threads: number,
): Promise<LogAggregator> {
  let outcomes: SliceReadOutcome[];
  // One slice has nothing to share: read it here rather than start a thread for it.
  if (threads === 0 || slices.length <= 1) {
    const reader = new SliceReader(store, activeAdvertisers, windowDates);
    for (const slice of slices) await reader.read(slice);
    outcomes = [reader.outcome()];
  } else {
    outcomes = await readOnWorkers(slices, { activeAdvertisers: [...activeAdvertisers], windowDates: [...windowDates] }, threads);
  }
  return mergeSliceReads(slices, outcomes, activeAdvertisers, windowDates);
}

/** The compiled worker; ingest runs from `dist/` (tests that load the TypeScript sources read on their own thread). */
function workerPath(): string {
  const path = join(__dirname, 'log-read.worker.js');
  if (!existsSync(path)) throw new Error(`${path} not found: INGEST_THREADS > 0 needs the compiled ingest (npm run build)`);
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
