import { RunRecord, RunsRepository } from '@adrec/database';
import { PackedRange } from '@adrec/storage';
import { waitFor } from './wait-for';

/** Waits until a run is published; fails at once, with its error, if the run fails. */
export function waitForPublished(runs: RunsRepository, runId: string, timeoutMs = 60_000): Promise<RunRecord> {
  return waitFor(
    async () => {
      const run = await runs.find(runId);
      if (run?.status === 'failed') throw new Error(`${runId} failed: ${run.errorMessage}`);
      return run?.status === 'published' ? run : undefined;
    },
    `${runId} to be published`,
    timeoutMs,
  );
}

/**
 * Partition ranges for a run recorded without a real ingest (tests and the
 * API benchmark seed the writer's side directly): one small range each.
 */
export function seededPartitions(advertiserIds: readonly string[]): PackedRange[] {
  return advertiserIds.map((advertiserId, index) => ({ advertiserId, offset: index * 100, length: 100 }));
}
