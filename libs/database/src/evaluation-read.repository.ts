import { Pool } from 'pg';
import { addDays, MODEL_NAMES, ModelName } from '@adrec/contracts';

/** How many published dates `GET /evaluation` shows without `from`/`to` (SPEC: the last 30). */
export const DEFAULT_EVALUATION_DATES = 30;
/** The most dates one `GET /evaluation` answers. */
export const MAX_EVALUATION_DATES = 366;

export interface ModelEvaluation {
  /** Next-day events (views for top_product, clicks for top_ctr) on a product of the list. */
  hits: number;
  /** Next-day events of the run's advertisers. */
  events: number;
  /** hits / events; null when events = 0. */
  hitRate: number | null;
}

export interface DateModelEvaluation extends ModelEvaluation {
  /** Advertisers of the run with at least one next-day event. */
  advertisers: number;
  /** The same hit rate for the model-free baseline list; null when events = 0. */
  baselineHitRate: number | null;
}

/** Done: evaluated on D+1's events; pending: D+1 not ingested yet (or re-evaluation of a new publication not done). */
export type EvaluationStatus = 'done' | 'pending';

export interface DateEvaluation {
  date: string;
  runId: string;
  /** The date whose logs the lists are evaluated on: D+1. */
  evaluatedOn: string;
  status: EvaluationStatus;
  models: Record<ModelName, DateModelEvaluation> | null;
}

export interface AdvertiserEvaluation {
  advertiserId: string;
  date: string;
  runId: string;
  evaluatedOn: string;
  status: EvaluationStatus;
  models: Record<ModelName, ModelEvaluation> | null;
}

/** Why an advertiser's evaluation cannot be given. */
export type AdvertiserEvaluationMiss = 'no-published-date' | 'not-in-run';

const rate = (hits: number, events: number): number | null => (events === 0 ? null : hits / events);

/**
 * Reads the stored evaluations (SPEC section 6) for the API and the CLI;
 * computing them is the pipeline's job (evaluation.repository.ts). An
 * evaluation counts only while it refers to the date's published run.
 */
export class EvaluationReadRepository {
  constructor(private readonly pool: Pool) {}

  /** The published dates from `from` to `to` (default: the last 30), newest first, with their evaluation. */
  async dates(range: { from?: string; to?: string }): Promise<DateEvaluation[]> {
    const bounded = range.from !== undefined || range.to !== undefined;
    const result = await this.pool.query<{
      run_date: string;
      run_id: string;
      evaluated: boolean;
      model: ModelName | null;
      hits: number;
      events: number;
      advertisers: number;
      baseline_hits: number;
    }>(
      `WITH dates AS (
         SELECT run_date, run_id FROM publications
         WHERE ($1::date IS NULL OR run_date >= $1::date) AND ($2::date IS NULL OR run_date <= $2::date)
         ORDER BY run_date DESC LIMIT $3
       )
       SELECT d.run_date, d.run_id, e.run_date IS NOT NULL AS evaluated, a.model,
              COALESCE(sum(a.hits), 0)::int AS hits, COALESCE(sum(a.events), 0)::int AS events,
              count(*) FILTER (WHERE a.events > 0)::int AS advertisers,
              COALESCE(sum(a.baseline_hits), 0)::int AS baseline_hits
       FROM dates d
       LEFT JOIN evaluations e ON e.run_date = d.run_date AND e.run_id = d.run_id
       LEFT JOIN advertiser_evaluations a ON a.run_date = e.run_date
       GROUP BY d.run_date, d.run_id, e.run_date, a.model
       ORDER BY d.run_date DESC, a.model`,
      [range.from ?? null, range.to ?? null, bounded ? MAX_EVALUATION_DATES : DEFAULT_EVALUATION_DATES],
    );
    const byDate = new Map<string, DateEvaluation>();
    for (const row of result.rows) {
      let entry = byDate.get(row.run_date);
      if (!entry) {
        entry = {
          date: row.run_date,
          runId: row.run_id,
          evaluatedOn: addDays(row.run_date, 1),
          status: row.evaluated ? 'done' : 'pending',
          models: row.evaluated ? emptyModels(() => ({ hits: 0, events: 0, hitRate: null, advertisers: 0, baselineHitRate: null })) : null,
        };
        byDate.set(row.run_date, entry);
      }
      if (entry.models && row.model) {
        entry.models[row.model] = {
          hits: row.hits,
          events: row.events,
          hitRate: rate(row.hits, row.events),
          advertisers: row.advertisers,
          baselineHitRate: rate(row.baseline_hits, row.events),
        };
      }
    }
    return [...byDate.values()];
  }

  /** One advertiser's evaluation for a published date (default: the latest), or why there is none. */
  async advertiser(advertiserId: string, date?: string): Promise<AdvertiserEvaluation | AdvertiserEvaluationMiss> {
    const published = await this.pool.query<{ run_date: string; run_id: string; in_run: boolean; evaluated: boolean }>(
      `SELECT p.run_date, p.run_id,
              EXISTS (SELECT 1 FROM run_jobs j WHERE j.run_id = p.run_id AND j.advertiser_id = $1) AS in_run,
              EXISTS (SELECT 1 FROM evaluations e WHERE e.run_date = p.run_date AND e.run_id = p.run_id) AS evaluated
       FROM publications p
       WHERE $2::date IS NULL OR p.run_date = $2::date
       ORDER BY p.run_date DESC LIMIT 1`,
      [advertiserId, date ?? null],
    );
    const run = published.rows[0];
    if (!run) return 'no-published-date';
    if (!run.in_run) return 'not-in-run';
    const base = { advertiserId, date: run.run_date, runId: run.run_id, evaluatedOn: addDays(run.run_date, 1) };
    if (!run.evaluated) return { ...base, status: 'pending', models: null };
    const rows = await this.pool.query<{ model: ModelName; hits: number; events: number }>(
      `SELECT model, hits, events FROM advertiser_evaluations WHERE run_date = $1 AND advertiser_id = $2`,
      [run.run_date, advertiserId],
    );
    const models = emptyModels<ModelEvaluation>(() => ({ hits: 0, events: 0, hitRate: null }));
    for (const row of rows.rows) models[row.model] = { hits: row.hits, events: row.events, hitRate: rate(row.hits, row.events) };
    return { ...base, status: 'done', models };
  }

  /** The latest evaluated date's hit rates, for the Prometheus gauges; undefined before any evaluation. */
  async latest(): Promise<DateEvaluation | undefined> {
    const latest = await this.pool.query<{ run_date: string }>(
      `SELECT e.run_date FROM evaluations e JOIN publications p ON p.run_date = e.run_date AND p.run_id = e.run_id
       ORDER BY e.run_date DESC LIMIT 1`,
    );
    const date = latest.rows[0]?.run_date;
    return date === undefined ? undefined : (await this.dates({ from: date, to: date }))[0];
  }
}

function emptyModels<T>(empty: () => T): Record<ModelName, T> {
  return Object.fromEntries(MODEL_NAMES.map((model) => [model, empty()])) as Record<ModelName, T>;
}
