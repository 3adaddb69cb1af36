import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export interface StoredList {
  advertiserId: string;
  model: 'top_ctr' | 'top_product';
  items: { productId: string; views?: number; clicks?: number; impressions?: number }[];
}

/** Read-only queries of published runs. The API never reads an unpublished run. */
@Injectable()
export class PublishedListsRepository {
  constructor(private readonly pool: Pool) {}

  /** Published run of every date. */
  async publications(): Promise<Map<string, string>> {
    const result = await this.pool.query<{ run_date: string; run_id: string }>(
      'SELECT run_date, run_id FROM publications ORDER BY run_date',
    );
    return new Map(result.rows.map((row) => [row.run_date, row.run_id]));
  }

  async knownAdvertisers(): Promise<Set<string>> {
    const result = await this.pool.query<{ advertiser_id: string }>('SELECT advertiser_id FROM known_advertisers');
    return new Set(result.rows.map((row) => row.advertiser_id));
  }

  /** Every list of one run. */
  async listsOfRun(runId: string): Promise<StoredList[]> {
    const result = await this.pool.query<StoredList>(
      `SELECT advertiser_id AS "advertiserId", model, items FROM recommendations WHERE run_id = $1`,
      [runId],
    );
    return result.rows;
  }
}
