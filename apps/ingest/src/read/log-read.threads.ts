import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppConfig } from '@adrec/config';
import { AdrecError } from '@adrec/contracts';
import { LogSlice } from './log-slice.planner';
import { SliceReadOutcome } from './log-slice.reader';

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

/** The reading thread's script: the compiled `log-read.worker.js` beside this file. */
export const LOG_READ_WORKER = join(__dirname, 'log-read.worker.js');

/**
 * Reads slices on up to `threads` threads running `workerScript` (a
 * `log-read.worker`). Parsing is CPU-bound and each thread has its own
 * aggregator, so the threads share nothing while they read; a free thread
 * takes the next slice. Resolves with each thread's outcome, to merge.
 */
export function readOnThreads(
  workerScript: string,
  slices: readonly LogSlice[],
  data: ReadWorkerData,
  threads: number,
): Promise<SliceReadOutcome[]> {
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
      const worker = new Worker(workerScript, { workerData: data });
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
      worker.on('error', (error: Error) => fail(error));
      worker.on('exit', (code) => {
        if (!finished.has(worker)) fail(new Error(`a log reading thread exited with code ${code} before it was done`));
      });
      next(worker);
    }
  });
}
