import { createWriteStream, WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { addDays } from '@adrec/contracts';

export interface GenerateOptions {
  /** Directory the three CSV files are written to. */
  outDir: string;
  /** Advertisers in the logs, active and inactive (default 25). */
  advertisers: number;
  /** How many of them are no longer active (default 5). */
  inactive: number;
  /** Products in each advertiser's catalog (default 100). */
  catalogSize: number;
  /** Product page view lines (default 100,000). */
  productViews: number;
  /** Ad event lines, impressions and clicks together (default 100,000). */
  adEvents: number;
  /** Consecutive days the lines are spread over (default 30). */
  days: number;
  /** The last day of the range, YYYY-MM-DD (default yesterday, UTC). */
  endDate: string;
  /** Zipf exponent of advertiser and product popularity; 0 is uniform (default 0, as the course's data). */
  skew: number;
  /** Seed of the pseudo-random generator: the same options give the same files (default 42). */
  seed: number;
  /** Called with the share of lines written so far. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_GENERATE_OPTIONS: Omit<GenerateOptions, 'outDir' | 'endDate'> = {
  advertisers: 25,
  inactive: 5,
  catalogSize: 100,
  productViews: 100_000,
  adEvents: 100_000,
  days: 30,
  skew: 0,
  seed: 42,
};

export interface GeneratedData {
  activeAdvertisers: string[];
  inactiveAdvertisers: string[];
  dates: string[];
}

/** mulberry32: small, fast and good enough for synthetic logs. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An id of `length` characters drawn from `alphabet`. */
export function randomId(random: () => number, length: number, alphabet: string): string {
  let id = '';
  for (let i = 0; i < length; i++) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}

/** Picks an index in [0, n) uniformly, or Zipf-distributed when skew > 0. */
function createPicker(n: number, skew: number, random: () => number): () => number {
  if (skew <= 0) return () => Math.floor(random() * n);
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, skew);
    cumulative[i] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cumulative[mid] < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Writes course-shaped logs (SPEC section 1): `advertiser_ids.csv`,
 * `product_views.csv` and `ads_views.csv`. Each line picks an advertiser
 * (active or not), then a product of its catalog, then a day; ad events are
 * impressions and clicks 99:1.
 */
export async function generateSampleData(options: GenerateOptions): Promise<GeneratedData> {
  const random = createRandom(options.seed);
  await mkdir(options.outDir, { recursive: true });
  const advertisers = uniqueIds(options.advertisers, () => randomId(random, 20, UPPER));
  const catalogs = advertisers.map(() => uniqueIds(options.catalogSize, () => randomId(random, 6, LOWER)));
  const dates = Array.from({ length: options.days }, (_, i) => addDays(options.endDate, i - options.days + 1));
  const activeAdvertisers = advertisers.slice(0, advertisers.length - options.inactive);
  const inactiveAdvertisers = advertisers.slice(advertisers.length - options.inactive);

  await writeLines(join(options.outDir, 'advertiser_ids.csv'), ['advertiser_id'], activeAdvertisers.length, (i) => activeAdvertisers[i]);

  const pickAdvertiser = createPicker(advertisers.length, options.skew, random);
  const pickProduct = createPicker(options.catalogSize, options.skew, random);
  const total = options.productViews + options.adEvents;
  const report = (done: number) => options.onProgress?.(done, total);
  await writeLines(
    join(options.outDir, 'product_views.csv'),
    ['advertiser_id,product_id,date'],
    options.productViews,
    () => {
      const a = pickAdvertiser();
      return `${advertisers[a]},${catalogs[a][pickProduct()]},${dates[Math.floor(random() * dates.length)]}`;
    },
    report,
  );
  await writeLines(
    join(options.outDir, 'ads_views.csv'),
    ['advertiser_id,product_id,type,date'],
    options.adEvents,
    () => {
      const a = pickAdvertiser();
      const type = random() < 0.01 ? 'click' : 'impression';
      return `${advertisers[a]},${catalogs[a][pickProduct()]},${type},${dates[Math.floor(random() * dates.length)]}`;
    },
    (done) => report(options.productViews + done),
  );
  return { activeAdvertisers, inactiveAdvertisers, dates };
}

function uniqueIds(count: number, next: () => string): string[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(next());
  return [...ids];
}

async function writeLines(
  path: string,
  header: string[],
  count: number,
  line: (index: number) => string,
  onProgress?: (done: number) => void,
): Promise<void> {
  const out: WriteStream = createWriteStream(path);
  let buffer = header.join('\n') + '\n';
  for (let i = 0; i < count; i++) {
    buffer += line(i) + '\n';
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
      onProgress?.(i + 1);
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  onProgress?.(count);
}
