import { Pool } from 'pg';
import type { PackedRange } from '@adrec/storage';
import { inTransaction } from './database.pool';
import type { PublishMode } from '@adrec/contracts';

export type RunStatus = 'ingesting' | 'running' | 'published' | 'superseded' | 'staged' | 'failed' | 'deleted';

/** Statuses of a run that will not change any more on its own. */
export const FINISHED_STATUSES: readonly RunStatus[] = ['published', 'superseded', 'staged', 'failed', 'deleted'];

export interface RunRecord {
  runId: string;
  runDate: string;
  windowDays: number;
  status: RunStatus;
  triggeredAt: Date;
  ingestStartedAt: Date | null;
  ingestFinishedAt: Date | null;
  firstResultAt: Date | null;
  finishedAt: Date | null;
  jobsTotal: number | null;
  jobsDone: number;
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
  errorCode: string | null;
  errorMessage: string | null;
  lastProgressAt: Date | null;
  /** What the run does when complete: auto (publish), stage (hold back), force (publish over a pin). */
  publishMode: PublishMode;
  /** The published run of its date, pinned there by an operator. */
  pinned: boolean;
  /** When retention deleted its lists and outputs (status deleted). */
  deletedAt: Date | null;
  /** Input drift warnings set by ingest ([] when the input looked like the previous runs'). */
  warnings: { code: string; message: string }[];
  /** Unfinished and not moving, by the rule of `stuckSql` (a job failing or dead-lettered, no ingest worker). */
  stuck: boolean;
}

/**
 * The stuck rule, as SQL over a row of `runs` (the one place it is written;
 * the API, the CLI and the console all read it through RunsRepository, and
 * `runProblem` in run-status.ts words it for an operator):
 * an unfinished run is stuck when neither it nor any run registered before
 * it has moved for `stuckAfterSeconds`. A run's clock starts when ingest
 * takes its trigger, not when it was sent, and runs ahead of it moving
 * (finishing ingest, storing results, publishing) count as its progress too:
 * a run queued behind a backfill is waiting, not stuck. A job dead-lettered
 * stops its run; the runs behind it keep moving and stay unstuck.
 */
function stuckSql(stuckAfterSeconds: number): string {
  const since = `now() - make_interval(secs => ${Math.floor(stuckAfterSeconds)})`;
  return `(runs.status IN ('ingesting', 'running')
    AND COALESCE(runs.last_progress_at, runs.ingest_started_at, runs.triggered_at) < ${since}
    AND NOT EXISTS (
      SELECT 1 FROM runs AS ahead
      WHERE ahead.trigger_seq < runs.trigger_seq AND GREATEST(ahead.last_progress_at, ahead.finished_at) >= ${since}
    ))`;
}

const RUN_COLUMNS = `
  run_id AS "runId", run_date AS "runDate", window_days AS "windowDays", status,
  triggered_at AS "triggeredAt", ingest_started_at AS "ingestStartedAt",
  ingest_finished_at AS "ingestFinishedAt", first_result_at AS "firstResultAt",
  finished_at AS "finishedAt", jobs_total AS "jobsTotal", jobs_done AS "jobsDone",
  input_counts AS "inputCounts", bad_lines AS "badLines",
  error_code AS "errorCode", error_message AS "errorMessage", last_progress_at AS "lastProgressAt",
  publish_mode AS "publishMode", deleted_at AS "deletedAt",
  EXISTS (SELECT 1 FROM publications p WHERE p.run_id = runs.run_id AND p.pinned) AS pinned,
  warnings,
  $STUCK AS stuck`;

/** A job of a run with no stored result yet, with its advertiser's range of the partitions object. */
export interface PendingJob extends PackedRange {
  model: string;
}

export interface IngestOutcome {
  /** One per active advertiser. */
  partitions: readonly PackedRange[];
  models: readonly string[];
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
}

/** The runs table: what ingest, writer, API and CLI know about each run. */
export class RunsRepository {
  private readonly columns: string;

  /** @param stuckAfterSeconds RUN_STUCK_AFTER_SECONDS: an unfinished run with no progress for this long is reported stuck. */
  constructor(
    private readonly pool: Pool,
    readonly stuckAfterSeconds = 900,
  ) {
    this.columns = RUN_COLUMNS.replace('$STUCK', stuckSql(stuckAfterSeconds));
  }

  /**
   * Records a run the first time its trigger is received and returns the
   * run as stored: a duplicate trigger gets the existing row back untouched.
   * The row's `trigger_seq` (the database's order of first receipt) decides
   * which run of a date is newer; a `triggeredAt` in the future is recorded
   * as now.
   */
  async register(run: {
    runId: string;
    runDate: string;
    windowDays: number;
    triggeredAt: Date;
    publishMode?: PublishMode;
  }): Promise<RunRecord> {
    await this.pool.query(
      `INSERT INTO runs (run_id, run_date, window_days, status, triggered_at, ingest_started_at, publish_mode)
       VALUES ($1, $2, $3, 'ingesting', LEAST($4::timestamptz, now()), now(), $5)
       ON CONFLICT (run_id) DO NOTHING`,
      [run.runId, run.runDate, run.windowDays, run.triggeredAt, run.publishMode ?? 'auto'],
    );
    const stored = await this.find(run.runId);
    return stored!;
  }

  /**
   * Starts an ingest attempt of a run that is still ingesting and returns its
   * number; undefined when the run has moved on (its ingest completed or
   * failed). A later claim makes every earlier attempt stale: see `completeIngest` and `fail`.
   */
  async claimIngestAttempt(runId: string): Promise<number | undefined> {
    const result = await this.pool.query<{ attempt: number }>(
      `UPDATE runs SET ingest_attempt = ingest_attempt + 1
       WHERE run_id = $1 AND status = 'ingesting'
       RETURNING ingest_attempt AS attempt`,
      [runId],
    );
    return result.rows[0]?.attempt;
  }

  /** The run's latest ingest attempt (0: none claimed, as for runs ingested before attempts existed). */
  async ingestAttempt(runId: string): Promise<number> {
    const result = await this.pool.query<{ attempt: number }>('SELECT ingest_attempt AS attempt FROM runs WHERE run_id = $1', [runId]);
    return result.rows[0]?.attempt ?? 0;
  }

  /**
   * Stores ingest's result and the run's (advertiser, model) jobs in one
   * transaction. Jobs already present (an ingest retried after a crash) are
   * kept with their progress. With `attempt`, nothing is stored unless it is
   * still the run's current ingest attempt; returns whether it was stored.
   */
  async completeIngest(runId: string, outcome: IngestOutcome, attempt?: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      if (attempt !== undefined) {
        // The row lock holds off a newer claim until this transaction ends.
        const current = await client.query<{ attempt: number }>('SELECT ingest_attempt AS attempt FROM runs WHERE run_id = $1 FOR UPDATE', [
          runId,
        ]);
        if (current.rows[0]?.attempt !== attempt) return false;
      }
      const { partitions } = outcome;
      await client.query(
        `INSERT INTO run_jobs (run_id, advertiser_id, model, partition_offset, partition_length)
         SELECT $1, p.advertiser_id, m.model, p.partition_offset, p.partition_length
         FROM unnest($2::text[], $3::bigint[], $4::int[]) AS p (advertiser_id, partition_offset, partition_length)
         CROSS JOIN unnest($5::text[]) AS m (model)
         ON CONFLICT (run_id, advertiser_id, model) DO UPDATE
           SET partition_offset = EXCLUDED.partition_offset, partition_length = EXCLUDED.partition_length`,
        [runId, partitions.map((p) => p.advertiserId), partitions.map((p) => p.offset), partitions.map((p) => p.length), outcome.models],
      );
      await client.query(
        `UPDATE runs
         SET status = CASE WHEN status = 'ingesting' THEN 'running' ELSE status END,
             ingest_finished_at = COALESCE(ingest_finished_at, now()), last_progress_at = now(),
             jobs_total = $2, input_counts = $3, bad_lines = $4
         WHERE run_id = $1`,
        [runId, outcome.partitions.length * outcome.models.length, outcome.inputCounts, outcome.badLines],
      );
      return true;
    });
  }

  /**
   * Marks a run failed with a code and a message an operator can act on. It
   * is never published. With `attempt` (an ingest's), only while that is
   * still the run's current ingest attempt; returns whether the run was marked.
   */
  async fail(
    runId: string,
    error: { code: string; message: string },
    counts: { inputCounts?: Record<string, number>; badLines?: Record<string, number> } = {},
    attempt?: number,
  ): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE runs
       SET status = 'failed', finished_at = now(), error_code = $2, error_message = $3,
           input_counts = COALESCE($4, input_counts), bad_lines = COALESCE($5, bad_lines)
       WHERE run_id = $1 AND status IN ('ingesting', 'running') AND ($6::int IS NULL OR ingest_attempt = $6::int)`,
      [runId, error.code, error.message, counts.inputCounts ?? null, counts.badLines ?? null, attempt ?? null],
    );
    return result.rowCount === 1;
  }

  /** The jobs of a run with no stored result yet, in partition order (neighbours share S3 reads). */
  async pendingJobs(runId: string): Promise<PendingJob[]> {
    const result = await this.pool.query<PendingJob>(
      `SELECT advertiser_id AS "advertiserId", model,
              partition_offset::float8 AS "offset", partition_length AS "length"
       FROM run_jobs
       WHERE run_id = $1 AND done_at IS NULL ORDER BY partition_offset, model`,
      [runId],
    );
    return result.rows;
  }

  async find(runId: string): Promise<RunRecord | undefined> {
    const result = await this.pool.query<RunRecord>(`SELECT ${this.columns} FROM runs WHERE run_id = $1`, [runId]);
    return result.rows[0];
  }

  /** The most recently triggered runs first. */
  async listRecent(limit: number, runDate?: string): Promise<RunRecord[]> {
    const result = await this.pool.query<RunRecord>(
      `SELECT ${this.columns} FROM runs
       WHERE $2::date IS NULL OR run_date = $2::date
       ORDER BY triggered_at DESC, run_id DESC LIMIT $1`,
      [limit, runDate ?? null],
    );
    return result.rows;
  }
}
