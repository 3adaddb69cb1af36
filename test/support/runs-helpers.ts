import { Pool } from 'pg';
import { MODEL_NAMES, ModelResultMessage, PublishMode, ResultItemMessage, TriggerMessage } from '@adrec/contracts';
import { PUBLICATION_CHANNEL, RunRecord, RunsRepository } from '@adrec/database';
import { PackedRange } from '@adrec/storage';
import { referenceLists } from './reference-lists';
import { DatabaseNotifications, waitFor } from './wait-for';

/**
 * Waits until a run is published, checking when the writer announces a
 * publication (its NOTIFY on PUBLICATION_CHANNEL, delivered on commit).
 * Fails with the run's error if it has failed by then, or by the timeout.
 */
export async function waitForPublished(pool: Pool, runId: string, timeoutMs = 60_000): Promise<RunRecord> {
  const runs = new RunsRepository(pool);
  const notifications = await DatabaseNotifications.listen(databaseUrlOf(pool), PUBLICATION_CHANNEL);
  const published = async () => {
    const run = await runs.find(runId);
    if (run?.status === 'failed') throw new Error(`${runId} failed: ${run.errorMessage}`);
    return run?.status === 'published' ? run : undefined;
  };
  try {
    return await waitFor(published, `${runId} to be published`, { signals: [notifications.signal], timeoutMs });
  } catch (error) {
    // A failed run sends no notification: say so rather than only that time ran out.
    await published();
    throw error;
  } finally {
    await notifications.close();
  }
}

/** The database a pool connects to, for a connection of the test's own (LISTEN). */
export function databaseUrlOf(pool: Pool): string {
  const url = pool.options.connectionString;
  if (!url) throw new Error('the pool was not created from a connection string');
  return url;
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
  pool: Pool,
  sample: { dataDir: string; activeAdvertisers: number },
  trigger: TriggerMessage,
  timeoutMs: number,
): Promise<void> {
  const run = await waitForPublished(pool, trigger.runId, timeoutMs);
  expect(run.jobsDone).toBe(run.jobsTotal);
  expect(run.jobsTotal).toBe(sample.activeAdvertisers * 2);
  const rows = await pool.query<{ advertiser_id: string; model: 'top_ctr' | 'top_product'; items: { productId: string }[] }>(
    'SELECT advertiser_id, model, items FROM recommendations WHERE run_id = $1',
    [trigger.runId],
  );
  expect(rows.rowCount).toBe(run.jobsTotal);
  const expected = referenceLists(sample.dataDir, trigger.runDate);
  for (const row of rows.rows) {
    // The stored items carry no ctr (the API computes it); toEqual ignores the keys left undefined.
    const want = expected.get(row.advertiser_id)![row.model].map(({ productId, views, clicks, impressions }) => ({
      productId,
      views,
      clicks,
      impressions,
    }));
    expect({ key: `${row.advertiser_id}/${row.model}`, items: row.items }).toEqual({
      key: `${row.advertiser_id}/${row.model}`,
      items: want,
    });
  }
}

/** The items of an advertiser's two lists, as a models worker would rank them. */
export interface AdvertiserLists {
  top_ctr: ResultItemMessage[];
  top_product: ResultItemMessage[];
}

/**
 * The result messages a models worker sends for one advertiser of a run: its
 * top_ctr and its top_product list (S3 key and left-out clicks are not under
 * test here).
 */
export function advertiserResults(runId: string, runDate: string, advertiserId: string, lists: AdvertiserLists): ModelResultMessage[] {
  return MODEL_NAMES.map((model) => ({
    runId,
    runDate,
    advertiserId,
    model,
    resultKey: 'k',
    clicksWithoutImpressions: 0,
    items: lists[model],
  }));
}

/** The run a test needs registered and ingested; what it leaves out is a one-day window, triggered now, published automatically. */
export interface IngestedRunSpec {
  runId: string;
  runDate: string;
  /** One job per advertiser and model. */
  advertisers: readonly string[];
  triggeredAt?: Date;
  publishMode?: PublishMode;
  inputCounts?: Record<string, number>;
  badLines?: Record<string, number>;
}

/** Registers a run and completes its ingest as ingest would, with a job per advertiser and model and none done. */
export async function registerIngestedRun(runs: RunsRepository, spec: IngestedRunSpec): Promise<void> {
  const { runId, runDate, advertisers, triggeredAt = new Date(), publishMode } = spec;
  await runs.register({ runId, runDate, windowDays: 1, triggeredAt, publishMode });
  await runs.completeIngest(runId, {
    partitions: seededPartitions(advertisers),
    models: MODEL_NAMES,
    inputCounts: spec.inputCounts ?? {},
    badLines: spec.badLines ?? {},
  });
}
