import { DuckDBInstance } from '@duckdb/node-api';

export interface TopProductEntry {
  productId: string;
  views: number;
}

export interface TopCtrEntry {
  productId: string;
  clicks: number;
  impressions: number;
}

/** advertiser id → model → list, best first. */
export type TopLists = Map<string, { top_ctr: TopCtrEntry[]; top_product: TopProductEntry[] }>;

export interface DatasetFiles {
  advertiserIds: string;
  productViews: string;
  adsViews: string;
}

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Both top-20 tables of SPEC section 2 computed by DuckDB straight from the
 * CSV files, the peer adrec is measured against: lines of active advertisers
 * in the window, top_product by views desc then product_id, top_ctr (products
 * with at least one impression) by ctr desc, clicks desc, product_id. Every
 * column is read as text, as adrec reads it; DuckDB orders VARCHAR by bytes,
 * as adrec does. Timing covers everything from opening DuckDB to the lists in
 * JavaScript objects.
 */
export async function duckdbTopLists(
  files: DatasetFiles,
  windowDates: readonly string[],
  threads?: number,
): Promise<{ lists: TopLists; seconds: number }> {
  const started = process.hrtime.bigint();
  const instance = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const connection = await instance.connect();
  const csv = (path: string) => `read_csv(${sqlString(path)}, header = true, all_varchar = true)`;
  const window = windowDates.map(sqlString).join(', ');
  const active = `(SELECT DISTINCT advertiser_id FROM ${csv(files.advertiserIds)} WHERE advertiser_id <> '')`;

  const topProduct = await connection.runAndReadAll(`
    WITH counts AS (
      SELECT advertiser_id, product_id, count(*) AS views
      FROM ${csv(files.productViews)}
      WHERE date IN (${window}) AND advertiser_id IN ${active} AND product_id <> ''
      GROUP BY advertiser_id, product_id
    )
    SELECT advertiser_id, product_id, views::INTEGER AS views,
           row_number() OVER (PARTITION BY advertiser_id ORDER BY views DESC, product_id ASC) AS position
    FROM counts
    QUALIFY position <= 20
    ORDER BY advertiser_id, position`);
  const topCtr = await connection.runAndReadAll(`
    WITH counts AS (
      SELECT advertiser_id, product_id,
             count(*) FILTER (WHERE type = 'click') AS clicks,
             count(*) FILTER (WHERE type = 'impression') AS impressions
      FROM ${csv(files.adsViews)}
      WHERE date IN (${window}) AND advertiser_id IN ${active} AND product_id <> ''
      GROUP BY advertiser_id, product_id
    )
    SELECT advertiser_id, product_id, clicks::INTEGER AS clicks, impressions::INTEGER AS impressions,
           row_number() OVER (PARTITION BY advertiser_id
                              ORDER BY clicks::DOUBLE / impressions DESC, clicks DESC, product_id ASC) AS position
    FROM counts
    WHERE impressions > 0
    QUALIFY position <= 20
    ORDER BY advertiser_id, position`);
  const activeIds = await connection.runAndReadAll(`SELECT advertiser_id FROM ${active}`);

  const lists: TopLists = new Map();
  for (const [id] of activeIds.getRows()) lists.set(String(id), { top_ctr: [], top_product: [] });
  for (const [advertiserId, productId, views] of topProduct.getRows()) {
    lists.get(String(advertiserId))!.top_product.push({ productId: String(productId), views: Number(views) });
  }
  for (const [advertiserId, productId, clicks, impressions] of topCtr.getRows()) {
    lists
      .get(String(advertiserId))!
      .top_ctr.push({ productId: String(productId), clicks: Number(clicks), impressions: Number(impressions) });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  connection.closeSync();
  instance.closeSync();
  return { lists, seconds };
}
