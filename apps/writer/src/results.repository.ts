import { Injectable } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { ModelResultMessage } from '@adrec/contracts';
import { evaluateDates, inTransaction, PublicationOutcome, publishRun } from '@adrec/database';

export interface StoreOutcome {
  /** Results stored by this call (duplicates of stored results are not counted). */
  stored: number;
  /** Runs this call completed: published, held back (a newer or pinned run of their date: superseded), or staged. */
  completed: { runId: string; runDate: string; published: boolean; status: PublicationOutcome['status'] }[];
}

interface ProgressRow {
  run_id: string;
  run_date: string;
  triggered_at: Date;
  /** The order ingest registered the run in: which of two runs of a date is newer. */
  trigger_seq: string;
  jobs_done: number;
  jobs_total: number;
}

/**
 * Stores model results and publishes runs. One call is one transaction: the
 * lists, the jobs' bookkeeping, the runs' progress and, for a run whose last
 * job this is, its publication commit together or not at all. A result whose
 * job is already done changes nothing, so redelivered messages are harmless.
 */
@Injectable()
export class ResultsRepository {
  constructor(private readonly pool: Pool) {}

  /** When the latest publication happened (any date), or null before the first. */
  async lastPublishedAt(): Promise<Date | null> {
    const result = await this.pool.query<{ at: Date | null }>('SELECT max(published_at) AS at FROM publications');
    return result.rows[0]?.at ?? null;
  }

  async storeResults(results: readonly ModelResultMessage[]): Promise<StoreOutcome> {
    const unique = new Map<string, ModelResultMessage>();
    for (const r of results) unique.set(`${r.runId}\u0000${r.advertiserId}\u0000${r.model}`, r);
    // A stable lock order keeps two writers from deadlocking on the same rows.
    const batch = [...unique.values()].sort((a, b) =>
      a.runId !== b.runId
        ? a.runId < b.runId
          ? -1
          : 1
        : a.advertiserId < b.advertiserId
          ? -1
          : a.advertiserId > b.advertiserId
            ? 1
            : a.model < b.model
              ? -1
              : 1,
    );
    if (batch.length === 0) return { stored: 0, completed: [] };
    return inTransaction(this.pool, async (client) => {
      // One statement, one round trip: mark the jobs done (only those not done
      // yet), store their lists, and count them into their runs' progress.
      const outcome = await client.query<ProgressRow & { stored: number }>(
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::int[])
             AS r (run_id, advertiser_id, model, items, clicks_without_impressions)
         ),
         newly_done AS (
           UPDATE run_jobs AS job SET done_at = now()
           FROM input
           WHERE job.run_id = input.run_id AND job.advertiser_id = input.advertiser_id AND job.model = input.model
             AND job.done_at IS NULL
           RETURNING job.run_id, job.advertiser_id, job.model
         ),
         stored AS (
           INSERT INTO recommendations (run_id, advertiser_id, model, items, clicks_without_impressions)
           SELECT input.* FROM input JOIN newly_done USING (run_id, advertiser_id, model)
           ON CONFLICT (run_id, advertiser_id, model) DO UPDATE
             SET items = excluded.items, clicks_without_impressions = excluded.clicks_without_impressions
           RETURNING run_id
         ),
         progress AS (
           UPDATE runs SET jobs_done = jobs_done + p.done, first_result_at = COALESCE(first_result_at, now()), last_progress_at = now()
           FROM (SELECT run_id, count(*)::int AS done FROM stored GROUP BY run_id) AS p
           WHERE runs.run_id = p.run_id AND runs.status = 'running'
           RETURNING runs.run_id, runs.run_date, runs.triggered_at, runs.trigger_seq, runs.jobs_done, runs.jobs_total
         )
         SELECT (SELECT count(*)::int FROM stored) AS stored, progress.*
         FROM (VALUES (1)) AS one LEFT JOIN progress ON true`,
        [
          batch.map((r) => r.runId),
          batch.map((r) => r.advertiserId),
          batch.map((r) => r.model),
          batch.map((r) => JSON.stringify(r.items)),
          batch.map((r) => r.clicksWithoutImpressions),
        ],
      );
      const stored = outcome.rows[0].stored;
      const progress = outcome.rows.filter((row) => row.run_id !== null);
      const completed: StoreOutcome['completed'] = [];
      for (const run of progress) {
        if (run.jobs_done === run.jobs_total) {
          const publication = await publishRun(client, { runId: run.run_id, how: 'pipeline' });
          completed.push({
            runId: run.run_id,
            runDate: run.run_date,
            published: publication.status === 'published',
            status: publication.status,
          });
        }
      }
      await evaluateAfterPublication(client, completed);
      return { stored, completed };
    });
  }
}
/**
 * After a run of date D is published, D's evaluation on D+1's events is
 * recomputed in the same transaction, so it always refers to the run being
 * served (pending while D+1 has not been ingested).
 */
async function evaluateAfterPublication(client: PoolClient, completed: StoreOutcome['completed']): Promise<void> {
  const published = completed.filter((run) => run.published).map((run) => run.runDate);
  if (published.length > 0) await evaluateDates(client, published);
}
