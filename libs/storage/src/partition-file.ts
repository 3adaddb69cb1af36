import { AdrecError } from '@adrec/contracts';
import { formatCsvField } from '@adrec/csv';
import { ProductCounts } from '@adrec/ranking';

/**
 * The per-advertiser partition ingest writes and the models read: one line
 * per product seen in the window, `product_id,views,impressions,clicks`.
 * It is the filtered logs folded to the only numbers the models use, so a
 * model job reads kilobytes instead of the day's raw lines.
 */
export const PARTITION_HEADER = 'product_id,views,impressions,clicks';

export function serializePartition(products: Iterable<ProductCounts>): string {
  const lines = [PARTITION_HEADER];
  for (const p of products) lines.push(`${formatCsvField(p.productId)},${p.views},${p.impressions},${p.clicks}`);
  return lines.join('\n') + '\n';
}

/** Where one advertiser's partition sits in a packed partitions object. */
export interface PackedRange {
  advertiserId: string;
  offset: number;
  length: number;
}

/**
 * Concatenates advertisers' partitions into one object, each a complete
 * partition file, and says where each one is. A run then writes one object
 * instead of one per advertiser, and a models worker reads its advertisers'
 * byte ranges (neighbours in one request).
 */
export function packPartitions(partitions: Iterable<[advertiserId: string, products: Iterable<ProductCounts>]>): {
  body: Buffer;
  ranges: PackedRange[];
} {
  const chunks: Buffer[] = [];
  const ranges: PackedRange[] = [];
  let offset = 0;
  for (const [advertiserId, products] of partitions) {
    const chunk = Buffer.from(serializePartition(products), 'utf8');
    chunks.push(chunk);
    ranges.push({ advertiserId, offset, length: chunk.length });
    offset += chunk.length;
  }
  return { body: Buffer.concat(chunks, offset), ranges };
}

export function parsePartition(text: string, key: string): ProductCounts[] {
  const lines = text.split('\n');
  if (lines[0] !== PARTITION_HEADER) {
    throw new AdrecError('MODELS.BAD_PARTITION', `${key}: expected header "${PARTITION_HEADER}"`);
  }
  const products: ProductCounts[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    // Product ids may contain commas (quoted); the three counts never do.
    const c3 = line.lastIndexOf(',');
    const c2 = line.lastIndexOf(',', c3 - 1);
    const c1 = line.lastIndexOf(',', c2 - 1);
    const productId = unquote(line.slice(0, c1));
    const views = Number(line.slice(c1 + 1, c2));
    const impressions = Number(line.slice(c2 + 1, c3));
    const clicks = Number(line.slice(c3 + 1));
    if (c1 <= 0 || !Number.isInteger(views) || !Number.isInteger(impressions) || !Number.isInteger(clicks)) {
      throw new AdrecError('MODELS.BAD_PARTITION', `${key}: line ${i + 1} is not "${PARTITION_HEADER}"`);
    }
    products.push({ productId, views, impressions, clicks });
  }
  return products;
}

function unquote(field: string): string {
  return field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field;
}
