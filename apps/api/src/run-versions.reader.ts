import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import type { ModelName } from '@adrec/contracts';
import { historyEntryJson, serializeList } from './published-lists.cache';
import { StoredList } from './published-lists.repository';

/** Bodies of `?runId=` reads kept in memory (least recently used dropped first). */
const CACHED_BODIES = 1000;
/**
 * How long a cached body is served. A complete run's lists never change, but
 * retention may delete the run: this bounds how long a deleted run can still
 * be read from memory.
 */
const CACHE_TTL_MS = 60_000;

/** A version's answer: `Body` is a ready `/recommendations` body (bytes) or `/history` body (text). */
export type VersionLookup<Body = never> =
  | { kind: 'found'; body: Body }
  | { kind: 'no_run'; message: string }
  | { kind: 'unknown_advertiser' }
  | { kind: 'wrong_date'; runDate: string };

interface VersionRow {
  run_date: string;
  status: string;
  complete: boolean;
  known: boolean;
  lists: Partial<Record<ModelName, StoredList['items']>> | null;
}

/**
 * `?runId=` reads of /recommendations and /history: any complete run still
 * retained, published or not (a staged run before it is published, an older
 * run before rolling back to it). Kept apart from PublishedListsCache, which
 * holds whole published runs for the hot path: these reads are rare, so one
 * indexed query each, and a small LRU of bodies for repeated reads.
 */
@Injectable()
export class RunVersionsReader {
  private readonly bodies = new Map<string, { body: Buffer; runDate: string; expires: number }>();

  constructor(private readonly pool: Pool) {}

  /** The `/recommendations` body of one list of run `runId`; `date`, when given, must be the run's. */
  async recommendation(advertiserId: string, model: ModelName, runId: string, date?: string): Promise<VersionLookup<Buffer>> {
    const key = `${runId}\u0000${advertiserId}\u0000${model}`;
    const cached = this.bodies.get(key);
    if (cached && cached.expires > Date.now()) {
      this.bodies.delete(key);
      this.bodies.set(key, cached);
      if (date !== undefined && date !== cached.runDate) return { kind: 'wrong_date', runDate: cached.runDate };
      return { kind: 'found', body: cached.body };
    }
    return this.recommendationUncached(key, advertiserId, model, runId, date);
  }

  /** The `/history` body for one run: both models' lists of its date. */
  async history(advertiserId: string, runId: string): Promise<VersionLookup<string>> {
    const row = await this.version(advertiserId, runId);
    const problem = problemOf(row, runId);
    if (problem) return problem;
    const entry = historyEntryJson(row!.run_date, runId, (model) =>
      serializeList(advertiserId, model, row!.run_date, runId, row!.lists?.[model] ?? []),
    );
    return {
      kind: 'found',
      body: `{"advertiserId":${JSON.stringify(advertiserId)},"days":1,"runId":${JSON.stringify(runId)},"history":[${entry}]}`,
    };
  }

  private async recommendationUncached(
    key: string,
    advertiserId: string,
    model: ModelName,
    runId: string,
    date?: string,
  ): Promise<VersionLookup<Buffer>> {
    const row = await this.version(advertiserId, runId);
    const problem = problemOf(row, runId);
    if (problem) return problem;
    if (date !== undefined && date !== row!.run_date) return { kind: 'wrong_date', runDate: row!.run_date };
    const { body } = serializeList(advertiserId, model, row!.run_date, runId, row!.lists?.[model] ?? []);
    this.bodies.delete(key);
    this.bodies.set(key, { body, runDate: row!.run_date, expires: Date.now() + CACHE_TTL_MS });
    for (const oldest of this.bodies.keys()) {
      if (this.bodies.size <= CACHED_BODIES) break;
      this.bodies.delete(oldest);
    }
    return { kind: 'found', body };
  }

  /** The run, whether it is complete, whether the advertiser is known, and its lists in that run: one query. */
  private async version(advertiserId: string, runId: string): Promise<VersionRow | undefined> {
    const result = await this.pool.query<VersionRow>(
      `SELECT r.run_date, r.status,
              (r.status IN ('published', 'superseded', 'staged') AND r.jobs_done = r.jobs_total) AS complete,
              (EXISTS (SELECT 1 FROM run_jobs j WHERE j.run_id = r.run_id AND j.advertiser_id = $2)
               OR EXISTS (SELECT 1 FROM known_advertisers k WHERE k.advertiser_id = $2)) AS known,
              (SELECT jsonb_object_agg(model, items) FROM recommendations WHERE run_id = r.run_id AND advertiser_id = $2) AS lists
       FROM runs r WHERE r.run_id = $1`,
      [runId, advertiserId],
    );
    return result.rows[0];
  }
}

function problemOf(row: VersionRow | undefined, runId: string): VersionLookup | undefined {
  if (!row) return { kind: 'no_run', message: `no run ${runId}` };
  if (row.status === 'deleted') return { kind: 'no_run', message: `run ${runId} was deleted by retention` };
  if (!row.complete) return { kind: 'no_run', message: `run ${runId} is ${row.status}: only a complete run can be read` };
  // An advertiser never active, neither in any published run nor in this one.
  if (!row.known) return { kind: 'unknown_advertiser' };
  return undefined;
}
