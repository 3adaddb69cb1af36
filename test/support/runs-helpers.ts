import { Pool } from 'pg';
import { TriggerMessage } from '@adrec/contracts';
import { RunRecord, RunsRepository } from '@adrec/database';
import { PackedRange } from '@adrec/storage';
import { referenceLists } from './reference-lists';
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

/**
 * Waits for a run to publish, then checks the database holds exactly the
 * lists of a clean run: one per job, each equal to the brute-force lists of
 * the sample data in `dataDir`.
 */
export async function expectStoredAsCleanRun(
  runs: RunsRepository,
  pool: Pool,
  sample: { dataDir: string; activeAdvertisers: number },
  trigger: TriggerMessage,
  timeoutMs: number,
): Promise<void> {
  const run = await waitForPublished(runs, trigger.runId, timeoutMs);
  expect(run.jobsDone).toBe(run.jobsTotal);
  expect(run.jobsTotal).toBe(sample.activeAdvertisers * 2);
  const rows = await pool.query<{ advertiser_id: string; model: 'top_ctr' | 'top_product'; items: { productId: string }[] }>(
    'SELECT advertiser_id, model, items FROM recommendations WHERE run_id = $1',
    [trigger.runId],
  );
  expect(rows.rowCount).toBe(run.jobsTotal);
  const expected = referenceLists(sample.dataDir, trigger.runDate);
  for (const row of rows.rows) {
    const want = expected.get(row.advertiser_id)![row.model].map(({ ctr: _ctr, ...item }) => item);
    expect({ key: `${row.advertiser_id}/${row.model}`, items: row.items }).toEqual({
      key: `${row.advertiser_id}/${row.model}`,
      items: want,
    });
  }
}
