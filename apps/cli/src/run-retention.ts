import { Pool } from 'pg';
import { AppConfig } from '@adrec/config';
import { databaseRepositories, DeletedRun, RetentionCandidate, RetentionRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { createS3Client, ObjectStore, RunLayout } from '@adrec/storage';

export interface RetentionReport {
  dryRun: boolean;
  /** Dry run: what would be deleted now. Otherwise what was deleted. */
  runs: (RetentionCandidate | DeletedRun)[];
  /** S3 objects deleted (0 in a dry run). */
  objectsDeleted: number;
}

export interface RetentionOptions {
  retention: RetentionRepository;
  store: ObjectStore;
  layout: RunLayout;
  /** Runs per transaction (GC_BATCH_RUNS). */
  batchRuns: number;
  dryRun: boolean;
  logger: JsonLogger;
}

/** A dry run lists at most this many runs; a real one continues batch after batch until nothing is left. */
const DRY_RUN_LIST_LIMIT = 10_000;

/**
 * Deletes the runs retention no longer keeps (see RetentionRepository):
 * a batch of runs' rows in one transaction, then their S3 outputs
 * (`runs/<date>/<runId>/`), then the next batch. Rows go first, so no reader
 * can find a run whose objects are half gone; a tombstone whose objects were
 * not deleted (a crash, an S3 error) is finished by the next collection.
 * `dryRun` only lists what would go and deletes nothing.
 */
export async function collectOldRuns(options: RetentionOptions): Promise<RetentionReport> {
  const { retention, store, layout, batchRuns, logger } = options;
  if (options.dryRun) {
    return { dryRun: true, runs: await retention.candidates(DRY_RUN_LIST_LIMIT), objectsDeleted: 0 };
  }
  const deleted: DeletedRun[] = [];
  let objectsDeleted = 0;
  const deleteOutputs = async (runs: readonly DeletedRun[]) => {
    for (const run of runs) objectsDeleted += await store.deletePrefix(layout.runRoot(run.runDate, run.runId));
    await retention.markOutputsDeleted(runs.map((run) => run.runId));
  };
  // First the leftovers of an interrupted collection, then new candidates.
  for (
    let leftovers = await retention.outputsToDelete(batchRuns);
    leftovers.length > 0;
    leftovers = await retention.outputsToDelete(batchRuns)
  ) {
    await deleteOutputs(leftovers);
  }
  for (;;) {
    const candidates = await retention.candidates(batchRuns);
    if (candidates.length === 0) break;
    const batch = await retention.deleteRuns(candidates.map((run) => run.runId));
    // Nothing deletable after all (an operator published them meanwhile): stop rather than spin.
    if (batch.length === 0) break;
    await deleteOutputs(batch);
    deleted.push(...batch);
    logger.info('retention deleted runs', { runs: batch.map((run) => run.runId) });
  }
  return { dryRun: false, runs: deleted, objectsDeleted };
}

/** Retention as configured (RETAIN_RUNS_PER_DATE, GC_BATCH_RUNS), for `adrec gc`, the nightly schedule and the local stack. */
export function configuredRetention(config: AppConfig, pool: Pool, logger: JsonLogger): (dryRun?: boolean) => Promise<RetentionReport> {
  const { retention } = databaseRepositories(pool, config);
  const store = new ObjectStore(createS3Client(config), config.storage.bucket);
  const layout = new RunLayout(config.storage.runsPrefix);
  return (dryRun = false) => collectOldRuns({ retention, store, layout, batchRuns: config.runs.gcBatchRuns, dryRun, logger });
}
