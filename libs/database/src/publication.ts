import { Pool, PoolClient } from 'pg';
import { AdrecError, PublishMode } from '@adrec/contracts';
import { inTransaction } from './database.pool';
import { evaluateDates } from './evaluation.repository';
import { PUBLICATION_CHANNEL, PublicationNotice } from './publication-channel';

/**
 * How a publication came about: the writer finishing a run (`pipeline`), an
 * operator choosing a run (`publish`), or going back to the previous one
 * (`rollback`); `unpin` releases a pinned date without changing its run.
 */
export type PublicationHow = 'pipeline' | 'publish' | 'rollback' | 'unpin';

export interface PublicationRequest {
  runId: string;
  how: Exclude<PublicationHow, 'unpin'>;
  /** The operator's words, recorded with the change. */
  reason?: string;
}

export interface PublicationOutcome {
  runId: string;
  runDate: string;
  /** The run's status afterwards: published, or, for a pipeline publication held back, superseded or staged. */
  status: 'published' | 'superseded' | 'staged';
  /** The run published before (undefined when the date had none, or nothing changed). */
  previousRunId?: string;
  /** False when the run was already the published (and, for an explicit action, pinned) run. */
  changed: boolean;
  pinned: boolean;
}

export interface PublicationEvent {
  id: number;
  runDate: string;
  runId: string;
  previousRunId: string | null;
  how: PublicationHow;
  pinned: boolean;
  reason: string | null;
  changedAt: Date;
}

interface RunRow {
  run_id: string;
  run_date: string;
  status: string;
  triggered_at: Date;
  /** The order ingest registered the run in (bigint as text): which of two runs of a date is newer. */
  trigger_seq: string;
  publish_mode: PublishMode;
  jobs_done: number;
  jobs_total: number | null;
}

interface PublicationRow {
  run_id: string;
  pinned: boolean;
  /** The published run's trigger_seq. */
  trigger_seq: string;
}

/** Statuses of a run whose every list is stored: the versions of a date. */
export const COMPLETE_STATUSES = ['published', 'superseded', 'staged'] as const;

const EVENT_COLUMNS = `id::int AS id, run_date AS "runDate", run_id AS "runId", previous_run_id AS "previousRunId",
  how, pinned, reason, changed_at AS "changedAt"`;

/**
 * Serialises every change of one date's publication (pipeline, publish,
 * rollback, unpin, retention) for the rest of the transaction. A
 * transaction-scoped advisory lock rather than a row lock, because the date
 * may have no publications row yet; re-entrant within a transaction.
 */
export async function lockPublicationDate(client: PoolClient, runDate: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('adrec.publication.' || $1::text, 0))`, [runDate]);
}

/**
 * Changes which run of a date is published, inside the caller's transaction:
 * the one function every publication path goes through (the writer finishing
 * a run, `adrec publish`, `adrec rollback`, the console).
 *
 * - `pipeline`: the run publishes unless it was triggered with --stage (it
 *   ends `staged`), the date is pinned (unless it was triggered with
 *   --force), or a more recently triggered run of the date is published (the
 *   one ingest registered later, `trigger_seq`); held back, it ends `superseded`.
 * - `publish`/`rollback`: an explicit action. Any complete run of the date
 *   becomes the published one and the date is pinned.
 *
 * Changes of one date are serialised (lockPublicationDate), so when an
 * operator's action and a run's completion meet, the later commit sees the
 * earlier one: an explicit action always ends pinned to its choice. The
 * change is recorded in publication_history and announced by NOTIFY, which
 * PostgreSQL delivers only on commit.
 */
export async function publishRun(client: PoolClient, request: PublicationRequest): Promise<PublicationOutcome> {
  const runDate = (await client.query<{ run_date: string }>('SELECT run_date FROM runs WHERE run_id = $1', [request.runId])).rows[0]
    ?.run_date;
  if (runDate === undefined) throw new AdrecError('PUBLICATION.RUN_NOT_FOUND', `no run ${request.runId}`);
  await lockPublicationDate(client, runDate);
  // Read again under the lock: a concurrent change of the date has committed by now.
  const run = (
    await client.query<RunRow>(
      `SELECT run_id, run_date, status, triggered_at, trigger_seq, publish_mode, jobs_done, jobs_total FROM runs WHERE run_id = $1`,
      [request.runId],
    )
  ).rows[0];
  const current = (
    await client.query<PublicationRow>(
      `SELECT p.run_id, p.pinned, r.trigger_seq FROM publications p JOIN runs r ON r.run_id = p.run_id WHERE p.run_date = $1`,
      [runDate],
    )
  ).rows[0];
  const explicit = request.how !== 'pipeline';

  if (explicit) {
    const complete =
      run.jobs_total !== null && run.jobs_done === run.jobs_total && (COMPLETE_STATUSES as readonly string[]).includes(run.status);
    if (!complete) {
      throw new AdrecError(
        'PUBLICATION.RUN_NOT_COMPLETE',
        `run ${run.run_id} is ${run.status}${run.jobs_total === null ? '' : ` (${run.jobs_done}/${run.jobs_total} jobs)`}; only a complete run (published, superseded or staged) can be published`,
      );
    }
    if (current?.run_id === run.run_id && current.pinned) {
      return { runId: run.run_id, runDate, status: 'published', changed: false, pinned: true };
    }
  } else {
    const heldBack =
      run.publish_mode === 'stage'
        ? 'staged'
        : current && current.pinned && run.publish_mode !== 'force'
          ? 'superseded'
          : current && !current.pinned && BigInt(current.trigger_seq) > BigInt(run.trigger_seq)
            ? 'superseded'
            : undefined;
    if (heldBack) {
      await client.query(`UPDATE runs SET status = $2, finished_at = COALESCE(finished_at, now()) WHERE run_id = $1`, [
        run.run_id,
        heldBack,
      ]);
      return { runId: run.run_id, runDate, status: heldBack, changed: false, pinned: false };
    }
  }

  await client.query(
    `INSERT INTO publications (run_date, run_id, triggered_at, published_at, pinned)
     VALUES ($1, $2, $3, now(), $4)
     ON CONFLICT (run_date) DO UPDATE
       SET run_id = excluded.run_id, triggered_at = excluded.triggered_at,
           published_at = excluded.published_at, pinned = excluded.pinned`,
    [runDate, run.run_id, run.triggered_at, explicit],
  );
  await client.query(
    `UPDATE runs SET status = CASE WHEN run_id = $1 THEN 'published' ELSE 'superseded' END,
                     finished_at = COALESCE(finished_at, now())
     WHERE run_date = $2 AND (run_id = $1 OR status = 'published')`,
    [run.run_id, runDate],
  );
  // Sorted, so two publications of different dates take these row locks in the same order.
  await client.query(
    `INSERT INTO known_advertisers (advertiser_id, first_published_date)
     SELECT DISTINCT advertiser_id, $2::date FROM run_jobs WHERE run_id = $1 ORDER BY 1
     ON CONFLICT (advertiser_id) DO UPDATE
       SET first_published_date = LEAST(known_advertisers.first_published_date, excluded.first_published_date)`,
    [run.run_id, runDate],
  );
  const previousRunId = current && current.run_id !== run.run_id ? current.run_id : undefined;
  await client.query(
    `INSERT INTO publication_history (run_date, run_id, previous_run_id, how, pinned, reason)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [runDate, run.run_id, current?.run_id ?? null, request.how, explicit, request.reason ?? null],
  );
  // The writer re-evaluates what it publishes after its batch; an operator's choice is evaluated here (SPEC section 6).
  if (explicit && previousRunId !== undefined) await evaluateDates(client, [runDate]);
  if (previousRunId !== undefined || !current) {
    await client.query(`SELECT pg_notify($1, $2)`, [
      PUBLICATION_CHANNEL,
      JSON.stringify({ runDate, runId: run.run_id } satisfies PublicationNotice),
    ]);
  }
  return { runId: run.run_id, runDate, status: 'published', previousRunId, changed: true, pinned: explicit };
}

/**
 * Operator actions on publication (`adrec publish|rollback|unpin`, the
 * console) and the record of every change. Each action is one transaction.
 */
export class PublicationsRepository {
  constructor(private readonly pool: Pool) {}

  /** Publishes any complete run of its date and pins the date. */
  publish(runId: string, reason?: string): Promise<PublicationOutcome> {
    return inTransaction(this.pool, (client) => publishRun(client, { runId, how: 'publish', reason }));
  }

  /**
   * Republishes the run that was published before the current one of the
   * date (the newest earlier entry of its record whose run is still
   * complete and retained) and pins the date. Rolling back twice returns to
   * where it started, like an undo that can be undone.
   */
  rollback(runDate: string, reason?: string): Promise<PublicationOutcome> {
    return inTransaction(this.pool, async (client) => {
      await lockPublicationDate(client, runDate);
      const current = (await client.query<{ run_id: string }>('SELECT run_id FROM publications WHERE run_date = $1', [runDate])).rows[0];
      if (!current) throw new AdrecError('PUBLICATION.NOTHING_PUBLISHED', `no run of ${runDate} is published: nothing to roll back`);
      const previous = await client.query<{ run_id: string }>(
        `SELECT h.run_id FROM publication_history h JOIN runs r ON r.run_id = h.run_id
         WHERE h.run_date = $1 AND h.run_id <> $2 AND r.status = ANY($3) AND r.jobs_done = r.jobs_total
         ORDER BY h.id DESC LIMIT 1`,
        [runDate, current.run_id, COMPLETE_STATUSES],
      );
      if (previous.rowCount === 0) {
        throw new AdrecError(
          'PUBLICATION.NO_PREVIOUS_RUN',
          `${runDate} has no earlier published run that is still retained; publish a specific run with adrec publish --run RUN_ID`,
        );
      }
      return publishRun(client, { runId: previous.rows[0].run_id, how: 'rollback', reason });
    });
  }

  /** Ends the pin of a date: its run stays published, and the pipeline may replace it again. */
  unpin(runDate: string, reason?: string): Promise<{ runId: string; changed: boolean }> {
    return inTransaction(this.pool, async (client) => {
      await lockPublicationDate(client, runDate);
      const current = (
        await client.query<{ run_id: string; pinned: boolean }>('SELECT run_id, pinned FROM publications WHERE run_date = $1', [runDate])
      ).rows[0];
      if (!current) throw new AdrecError('PUBLICATION.NOTHING_PUBLISHED', `no run of ${runDate} is published`);
      if (!current.pinned) return { runId: current.run_id, changed: false };
      await client.query('UPDATE publications SET pinned = false WHERE run_date = $1', [runDate]);
      await client.query(
        `INSERT INTO publication_history (run_date, run_id, previous_run_id, how, pinned, reason) VALUES ($1, $2, $2, 'unpin', false, $3)`,
        [runDate, current.run_id, reason ?? null],
      );
      return { runId: current.run_id, changed: true };
    });
  }

  /** The record of one date, newest first. */
  async historyOfDate(runDate: string, limit = 50): Promise<PublicationEvent[]> {
    const result = await this.pool.query<PublicationEvent>(
      `SELECT ${EVENT_COLUMNS} FROM publication_history WHERE run_date = $1 ORDER BY id DESC LIMIT $2`,
      [runDate, limit],
    );
    return result.rows;
  }

  /** The changes that published a run or replaced it, newest first. */
  async historyOfRun(runId: string, limit = 50): Promise<PublicationEvent[]> {
    const result = await this.pool.query<PublicationEvent>(
      `SELECT ${EVENT_COLUMNS} FROM publication_history
       WHERE run_id = $1 OR (previous_run_id = $1 AND run_id <> $1) ORDER BY id DESC LIMIT $2`,
      [runId, limit],
    );
    return result.rows;
  }

  /** Whether each date is pinned, for the dates given. */
  async pinnedDates(): Promise<Set<string>> {
    const result = await this.pool.query<{ run_date: string }>('SELECT run_date FROM publications WHERE pinned');
    return new Set(result.rows.map((row) => row.run_date));
  }

  /** The published run of a date, if any. */
  async publishedRunOf(runDate: string): Promise<{ runId: string; pinned: boolean } | undefined> {
    const result = await this.pool.query<{ runId: string; pinned: boolean }>(
      'SELECT run_id AS "runId", pinned FROM publications WHERE run_date = $1',
      [runDate],
    );
    return result.rows[0];
  }

  /**
   * Compares two runs list by list (`adrec diff`): for every (advertiser,
   * model) in either run, how many products each list has that the other
   * lacks, and how many they share. Ranks are not compared: a list that
   * only reorders its products counts as the same products.
   */
  async compare(runId: string, againstRunId: string): Promise<ListComparison[]> {
    const result = await this.pool.query<ListComparison>(
      `WITH a AS (
         SELECT advertiser_id, model, ARRAY(SELECT e->>'productId' FROM jsonb_array_elements(items) e) AS products
         FROM recommendations WHERE run_id = $1
       ), b AS (
         SELECT advertiser_id, model, ARRAY(SELECT e->>'productId' FROM jsonb_array_elements(items) e) AS products
         FROM recommendations WHERE run_id = $2
       )
       SELECT advertiser_id AS "advertiserId", model,
              a.products IS NOT NULL AS "inRun", b.products IS NOT NULL AS "inAgainst",
              cardinality(ARRAY(SELECT unnest(COALESCE(a.products, '{}')) EXCEPT SELECT unnest(COALESCE(b.products, '{}'))))::int AS "onlyInRun",
              cardinality(ARRAY(SELECT unnest(COALESCE(b.products, '{}')) EXCEPT SELECT unnest(COALESCE(a.products, '{}'))))::int AS "onlyInAgainst",
              cardinality(ARRAY(SELECT unnest(COALESCE(a.products, '{}')) INTERSECT SELECT unnest(COALESCE(b.products, '{}'))))::int AS common
       FROM a FULL JOIN b USING (advertiser_id, model)
       ORDER BY advertiser_id, model`,
      [runId, againstRunId],
    );
    return result.rows;
  }
}

/** One (advertiser, model) of `adrec diff`. */
export interface ListComparison {
  advertiserId: string;
  model: string;
  /** Whether each run has a list for it (an advertiser active in only one of them has a list in only one). */
  inRun: boolean;
  inAgainst: boolean;
  onlyInRun: number;
  onlyInAgainst: number;
  common: number;
}

/** Jaccard overlap of two lists' product sets: shared / all; 1 when both are empty. */
export function listOverlap(comparison: Pick<ListComparison, 'onlyInRun' | 'onlyInAgainst' | 'common'>): number {
  const all = comparison.onlyInRun + comparison.onlyInAgainst + comparison.common;
  return all === 0 ? 1 : comparison.common / all;
}
