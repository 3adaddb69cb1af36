import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { inTransaction } from '@adrec/database';

export interface StoredList {
  advertiserId: string;
  model: 'top_ctr' | 'top_product';
  items: { productId: string; views?: number; clicks?: number; impressions?: number }[];
}

/**
 * `${count}:${max version}` of the publications table. Every change of a
 * publication row gives it a new, higher version (a trigger, see migration
 * 20261202120000), so any insert or update raises the maximum and any delete
 * lowers the count: equal fingerprints mean nothing was published since.
 */
export type PublicationFingerprint = string;

export interface PublishedState {
  fingerprint: PublicationFingerprint;
  /** The published run of every date, with its number of lists (to size a load before making it). */
  publications: Map<string, { runId: string; lists: number }>;
  knownAdvertisers: Set<string>;
}

const FINGERPRINT = `SELECT count(*) || ':' || COALESCE(max(version), 0) AS fingerprint FROM publications`;

/** Read-only queries of published runs. The API never reads an unpublished run. */
@Injectable()
export class PublishedListsRepository {
  constructor(private readonly pool: Pool) {}

  /** The cheap check run every second or so: one index-only aggregate over one row per date. */
  async fingerprint(): Promise<PublicationFingerprint> {
    const result = await this.pool.query<{ fingerprint: string }>(FINGERPRINT);
    return result.rows[0].fingerprint;
  }

  /** Publications, known advertisers and their fingerprint, read in one snapshot so they agree. */
  async publishedState(): Promise<PublishedState> {
    return inTransaction(
      this.pool,
      async (client) => {
        const fingerprint = (await client.query<{ fingerprint: string }>(FINGERPRINT)).rows[0].fingerprint;
        const publications = await client.query<{ run_date: string; run_id: string; lists: number }>(
          `SELECT p.run_date, p.run_id, COALESCE(r.jobs_total, 0) AS lists
           FROM publications AS p JOIN runs AS r USING (run_id) ORDER BY p.run_date`,
        );
        const known = await client.query<{ advertiser_id: string }>('SELECT advertiser_id FROM known_advertisers');
        return {
          fingerprint,
          publications: new Map(publications.rows.map((row) => [row.run_date, { runId: row.run_id, lists: row.lists }])),
          knownAdvertisers: new Set(known.rows.map((row) => row.advertiser_id)),
        };
      },
      { readOnlySnapshot: true },
    );
  }

  /** Every list of one run. */
  async listsOfRun(runId: string): Promise<StoredList[]> {
    const result = await this.pool.query<StoredList>(
      `SELECT advertiser_id AS "advertiserId", model, items FROM recommendations WHERE run_id = $1`,
      [runId],
    );
    return result.rows;
  }

  /** One advertiser's lists (both models) of one run: a primary-key range read. */
  async listsOfAdvertiser(runId: string, advertiserId: string): Promise<StoredList[]> {
    const result = await this.pool.query<StoredList>(
      `SELECT advertiser_id AS "advertiserId", model, items FROM recommendations WHERE run_id = $1 AND advertiser_id = $2`,
      [runId, advertiserId],
    );
    return result.rows;
  }
}
