import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { AdrecError } from '@adrec/contracts';
import { createS3Client, ObjectStore } from '@adrec/storage';
import type { FromReadWorker, ReadWorkerData, ToReadWorker } from './log-read.threads';
import { SliceReader } from './log-slice.reader';

/**
 * A thread of ingest's parallel log reading (see `readOnThreads`): it
 * reads the slices it is sent into its own aggregator and, when told it is
 * done, sends back everything it counted.
 */
const { config, activeAdvertisers, windowDates } = workerData as ReadWorkerData;
const reader = new SliceReader(
  new ObjectStore(createS3Client(config), config.storage.bucket),
  activeAdvertisers,
  windowDates,
  config.pipeline.ingestMaxLineBytes,
);
const port = parentPort!;

port.on('message', (message: ToReadWorker) => {
  const reply = (answer: FromReadWorker, transfer: ArrayBuffer[] = []) => port.postMessage(answer, transfer);
  (async () => {
    if (message.type === 'read') {
      await reader.read(message.slice);
      reply({ type: 'read', slice: message.slice.index });
    } else {
      const outcome = reader.outcome();
      const { state } = outcome;
      const { advertisers, products } = state.dayEvents;
      const tables = [state.pairs, advertisers, products];
      reply({ type: 'done', outcome }, tables.flatMap((table) => [table.records.buffer, table.longKeyBytes.buffer]) as ArrayBuffer[]);
    }
  })().catch((error: unknown) => {
    const failure =
      error instanceof AdrecError
        ? { code: error.code, message: error.message }
        : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
    reply({ type: 'failed', error: failure });
  });
});
