import { Pool } from 'pg';
import { inTransaction } from './database.pool';
import { lockPublicationDate } from './publication';

export interface RetentionCandidate {
  runId: string;
  runDate: string;
  status: 'superseded' | 'staged' | 'failed';
  triggeredAt: Date;
}

export interface DeletedRun {
  runId: string;
  runDate: string;
}

/**
 * The runs retention may delete now. Kept, per date: the published run
 * (pinned or not), the newest `retain` other complete runs (superseded or
 * staged), the newest failed run (it explains the date's last failure), and
 * every run still in progress. Everything else that is finished goes.
 * `$1` retain, `$2` limit, `$3` only these runs (NULL: all).
 */
const CANDIDATES_SQL = `
  WITH finished_others AS (
    SELECT r.run_id, r.run_date, r.status, r.triggered_at, r.trigger_seq,
           row_number() OVER (PARTITION BY r.run_date, r.status = 'failed' ORDER BY r.trigger_seq DESC) AS newest
    FROM runs r
    WHERE r.status IN ('superseded', 'staged', 'failed')
      AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.run_id = r.run_id)
      AND ($3::text[] IS NULL OR r.run_date IN (SELECT run_date FROM runs WHERE run_id = ANY($3)))
  )
  SELECT run_id AS "runId", run_date AS "runDate", status, triggered_at AS "triggeredAt"
  FROM finished_others
  WHERE ((status = 'failed' AND newest > 1) OR (status <> 'failed' AND newest > $1))
    AND ($3::text[] IS NULL OR run_id = ANY($3))
  ORDER BY run_date, trigger_seq
  LIMIT $2`;

/**
 * Retention of old runs in PostgreSQL: which runs may go, and deleting their
 * jobs and lists. A deleted run keeps its `runs` row as a tombstone (status
 * deleted), so a trigger of it redelivered later is ignored rather than
 * recomputed, and `adrec runs` can say what happened to it.
 */
export class RetentionRepository {
  /** @param retainPerDate complete runs kept per date besides the published one (RETAIN_RUNS_PER_DATE, default 3). */
  constructor(
    private readonly pool: Pool,
    private readonly retainPerDate: number,
  ) {}

  /** Up to `limit` runs retention would delete now, oldest date first. */
  async candidates(limit: number): Promise<RetentionCandidate[]> {
    const result = await this.pool.query<RetentionCandidate>(CANDIDATES_SQL, [this.retainPerDate, limit, null]);
    return result.rows;
  }

  /**
   * Deletes the given runs' jobs and lists in one transaction, under the
   * publication lock of their dates, after checking again that each may
   * still go: a run an operator published meanwhile, or one that became one
   * of the newest again, is left alone. Returns the runs deleted.
   */
  async deleteRuns(runIds: readonly string[]): Promise<DeletedRun[]> {
    if (runIds.length === 0) return [];
    return inTransaction(this.pool, async (client) => {
      const dates = await client.query<{ run_date: string }>('SELECT DISTINCT run_date FROM runs WHERE run_id = ANY($1) ORDER BY 1', [
        runIds,
      ]);
      // Date order: two collectors (or a collector and a rollback) never wait on each other in a cycle.
      for (const { run_date } of dates.rows) await lockPublicationDate(client, run_date);
      const stillDeletable = await client.query<RetentionCandidate>(CANDIDATES_SQL, [this.retainPerDate, runIds.length, runIds]);
      const ids = stillDeletable.rows.map((run) => run.runId);
      if (ids.length === 0) return [];
      await client.query(`UPDATE runs SET status = 'deleted', deleted_at = now() WHERE run_id = ANY($1)`, [ids]);
      // Lists go with their jobs (ON DELETE CASCADE).
      await client.query('DELETE FROM run_jobs WHERE run_id = ANY($1)', [ids]);
      return stillDeletable.rows.map(({ runId, runDate }) => ({ runId, runDate }));
    });
  }

  /** Deleted runs whose S3 outputs may still exist (deleted after the rows committed, or interrupted). */
  async outputsToDelete(limit: number): Promise<DeletedRun[]> {
    const result = await this.pool.query<DeletedRun>(
      `SELECT run_id AS "runId", run_date AS "runDate" FROM runs
       WHERE status = 'deleted' AND outputs_deleted_at IS NULL ORDER BY deleted_at, run_id LIMIT $1`,
      [limit],
    );
    return result.rows;
  }

  async markOutputsDeleted(runIds: readonly string[]): Promise<void> {
    await this.pool.query(`UPDATE runs SET outputs_deleted_at = now() WHERE run_id = ANY($1) AND status = 'deleted'`, [runIds]);
  }
}
