import { Pool, PoolClient } from 'pg';
import { addDays } from '@adrec/contracts';
import { inTransaction } from './database.pool';

/** One advertiser's product views and clicks of a day (every advertiser with lines that day, active or not). */
export interface DayEventsRow {
  advertiserId: string;
  views: number;
  clicks: number;
  /** productId → [views, clicks]. */
  products: Map<string, [views: number, clicks: number]>;
}

/** Per-process constant: two evaluations of the same date never interleave (see `evaluateDates`). */
const EVALUATION_LOCK_CLASS = 4_242_016;

/**
 * Next-day evaluation (SPEC section 6). Its inputs are the published run of
 * a date D (lists in `recommendations`, baselines in `run_advertiser_inputs`)
 * and the events of D+1 (`day_events`); whoever changes an input re-evaluates
 * in the same transaction, so the stored evaluation always matches what is
 * published and what was last ingested, and doing it twice changes nothing.
 */
export class EvaluationRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Stores the events of `eventDate` read by a run's ingest, replacing those
   * of an earlier-triggered run of that date (a retried ingest of the same
   * run replaces its own), and re-evaluates the day before, whose lists they
   * judge. Returns false when a more recently triggered run's events are
   * already stored (this run's are older and change nothing).
   */
  async recordDayEvents(eventDate: string, run: { runId: string; triggeredAt: Date }, days: readonly DayEventsRow[]): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      await lockEvaluation(client, [addDays(eventDate, -1)]);
      const source = await client.query(
        `INSERT INTO day_events (event_date, run_id, triggered_at, recorded_at)
         VALUES ($1, $2, $3, now())
         ON CONFLICT (event_date) DO UPDATE
           SET run_id = excluded.run_id, triggered_at = excluded.triggered_at, recorded_at = excluded.recorded_at
           WHERE day_events.triggered_at <= excluded.triggered_at
         RETURNING event_date`,
        [eventDate, run.runId, run.triggeredAt],
      );
      if (source.rowCount !== 1) return false;
      await client.query(`DELETE FROM day_advertiser_events WHERE event_date = $1`, [eventDate]);
      await client.query(
        `INSERT INTO day_advertiser_events (event_date, advertiser_id, views, clicks, product_counts)
         SELECT $1, d.advertiser_id, d.views, d.clicks, d.product_counts
         FROM unnest($2::text[], $3::int[], $4::int[], $5::jsonb[]) AS d (advertiser_id, views, clicks, product_counts)`,
        [
          eventDate,
          days.map((d) => d.advertiserId),
          days.map((d) => d.views),
          days.map((d) => d.clicks),
          days.map((d) => JSON.stringify(Object.fromEntries(d.products))),
        ],
      );
      await evaluateLockedDates(client, [addDays(eventDate, -1)]);
      return true;
    });
  }
}

/**
 * Re-evaluates the published runs of `runDates` inside the caller's
 * transaction, on the stored events of each next day. Call it after any
 * change of what is published for those dates (the writer's publication;
 * a rollback or an explicit publish does the same). A date with no published
 * run or no next-day events is left without an evaluation ("pending").
 */
export async function evaluateDates(client: PoolClient, runDates: readonly string[]): Promise<void> {
  await lockEvaluation(client, runDates);
  await evaluateLockedDates(client, runDates);
}

/**
 * Serialises evaluations of the same date for the rest of the transaction.
 * The lock is taken before the inputs are read, and a statement under READ
 * COMMITTED sees what committed before it: a transaction that changed the
 * other input and evaluated first has committed by the time this one reads.
 * Dates are locked in one order, so two transactions cannot deadlock here.
 */
async function lockEvaluation(client: PoolClient, runDates: readonly string[]): Promise<void> {
  for (const date of [...new Set(runDates)].sort()) {
    await client.query(`SELECT pg_advisory_xact_lock($1, ($2::date - date '2000-01-01'))`, [EVALUATION_LOCK_CLASS, date]);
  }
}

async function evaluateLockedDates(client: PoolClient, runDates: readonly string[]): Promise<void> {
  if (runDates.length === 0) return;
  await client.query(`DELETE FROM evaluations WHERE run_date = ANY($1::date[])`, [runDates]);
  const evaluated = await client.query<{ run_date: string }>(
    `INSERT INTO evaluations (run_date, run_id, events_run_id, evaluated_at)
     SELECT p.run_date, p.run_id, e.run_id, now()
     FROM publications p JOIN day_events e ON e.event_date = p.run_date + 1
     WHERE p.run_date = ANY($1::date[])
     RETURNING run_date`,
    [runDates],
  );
  if (evaluated.rowCount === 0) return;
  // events: the next day's views (top_product) or clicks (top_ctr) of the
  // advertiser; hits and baseline_hits: those on a product of its list and of
  // its baseline list. The counter's index in product_counts' [views, clicks].
  await client.query(
    `INSERT INTO advertiser_evaluations (run_date, advertiser_id, model, hits, events, baseline_hits)
     SELECT ev.run_date, j.advertiser_id, j.model,
            COALESCE((SELECT sum((e.product_counts -> (item ->> 'productId') ->> m.slot)::int)
                      FROM jsonb_array_elements(r.items) AS item), 0),
            COALESCE(CASE WHEN j.model = 'top_product' THEN e.views ELSE e.clicks END, 0),
            COALESCE((SELECT sum((e.product_counts -> product ->> m.slot)::int)
                      FROM unnest(b.baseline) AS product), 0)
     FROM evaluations ev
     JOIN run_jobs j ON j.run_id = ev.run_id
     JOIN (VALUES ('top_product', 0), ('top_ctr', 1)) AS m (model, slot) ON m.model = j.model
     LEFT JOIN recommendations r ON r.run_id = j.run_id AND r.advertiser_id = j.advertiser_id AND r.model = j.model
     LEFT JOIN run_advertiser_inputs b ON b.run_id = j.run_id AND b.advertiser_id = j.advertiser_id
     LEFT JOIN day_advertiser_events e ON e.event_date = ev.run_date + 1 AND e.advertiser_id = j.advertiser_id
     WHERE ev.run_date = ANY($1::date[])`,
    [evaluated.rows.map((row) => row.run_date)],
  );
}
