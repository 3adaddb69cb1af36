import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig, requireDatabaseUrl } from '@adrec/config';
import { PUBLICATION_CHANNEL } from '@adrec/database';
import { JsonLogger, serializeError } from '@adrec/logging';
import { clickThroughRate, ModelName } from '@adrec/ranking';
import { PublishedListsRepository, StoredList } from './published-lists.repository';

/** Dates whose lists are kept in memory besides the latest (least recently used are dropped). */
const CACHED_DATES = 31;
const RECONNECT_DELAY_MS = 1000;

interface SerializedList {
  /** The whole `/recommendations` response body. */
  body: string;
  /** Just its `items` array, for `/history`. */
  itemsJson: string;
}

interface DateLists {
  runId: string;
  /** By `${advertiserId}\0${model}`. */
  lists: Map<string, SerializedList>;
}

const UNKNOWN_ADVERTISER: Lookup = { kind: 'unknown_advertiser' };

export type Lookup =
  | { kind: 'found'; body: string; fromCache: boolean }
  | { kind: 'unknown_advertiser' }
  | { kind: 'no_published_run'; date?: string };

/**
 * Published lists in memory, as ready-to-send JSON bodies, so a warm request
 * runs no query. The writer's NOTIFY on publication (delivered on commit)
 * makes this reload the date, so a new run is served within a second; after
 * a lost connection everything is reloaded, in case a notice was missed.
 */
@Injectable()
export class PublishedListsCache implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new JsonLogger('api');
  private publications = new Map<string, string>();
  private latestDate: string | undefined;
  /** Published dates newest first, derived once per reload rather than per request. */
  private datesNewestFirst: string[] = [];
  private knownAdvertisers = new Set<string>();
  private readonly dates = new Map<string, Promise<DateLists>>();
  /** The entries of `dates` that have finished loading, for lookups that need no await. */
  private readonly loaded = new Map<string, DateLists>();
  private listener?: Client;
  private closing = false;
  private readonly changeListeners: (() => void)[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: PublishedListsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
    await this.reloadAll();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.listener?.end().catch(() => undefined);
  }

  get latestPublishedDate(): string | undefined {
    return this.latestDate;
  }

  /** Published dates, newest first. */
  get publishedDates(): readonly string[] {
    return this.datesNewestFirst;
  }

  /** Calls `listener` after every reload caused by a publication (or a reconnect). */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /** A warm hit answers synchronously; only a date not in memory yet returns a promise. */
  lookup(advertiserId: string, model: ModelName, date?: string): Lookup | Promise<Lookup> {
    if (!this.knownAdvertisers.has(advertiserId)) return UNKNOWN_ADVERTISER;
    const day = date ?? this.latestDate;
    const runId = day === undefined ? undefined : this.publications.get(day);
    if (day === undefined || runId === undefined) return { kind: 'no_published_run', date };
    const loaded = this.loaded.get(day);
    if (loaded?.runId === runId) {
      if (day !== this.latestDate) void this.listsOf(day, runId); // marks the date most recently used
      return foundIn(loaded, advertiserId, model, day, true);
    }
    const fromCache = this.dates.has(day);
    return this.listsOf(day, runId).then((lists) => foundIn(lists, advertiserId, model, day, fromCache));
  }

  /**
   * Both models' lists for the last `days` published dates up to the latest,
   * newest first, as a ready JSON body; undefined for an unknown advertiser.
   */
  async history(advertiserId: string, days: number): Promise<string | undefined> {
    if (!this.knownAdvertisers.has(advertiserId)) return undefined;
    const entries: string[] = [];
    for (const date of this.publishedDates.slice(0, days)) {
      const runId = this.publications.get(date)!;
      const { lists } = await this.listsOf(date, runId);
      const items = (model: ModelName) => lists.get(`${advertiserId}\u0000${model}`)?.itemsJson ?? '[]';
      entries.push(
        `{"date":${JSON.stringify(date)},"runId":${JSON.stringify(runId)},"top_ctr":${items('top_ctr')},"top_product":${items('top_product')}}`,
      );
    }
    return `{"advertiserId":${JSON.stringify(advertiserId)},"days":${days},"history":[${entries.join(',')}]}`;
  }

  private listsOf(date: string, runId: string): Promise<DateLists> {
    let entry = this.dates.get(date);
    if (entry) {
      // Re-insert to mark it most recently used (the latest date is never evicted, so it needs no mark).
      if (date !== this.latestDate) {
        this.dates.delete(date);
        this.dates.set(date, entry);
      }
      return entry;
    }
    const loading = this.loadDate(date, runId);
    loading.then(
      (lists) => this.dates.get(date) === loading && this.loaded.set(date, lists),
      () => this.dates.delete(date),
    );
    this.dates.set(date, loading);
    for (const cached of this.dates.keys()) {
      if (this.dates.size <= CACHED_DATES + 1) break;
      if (cached !== this.latestDate) this.forget(cached);
    }
    return loading;
  }

  private forget(date: string): void {
    this.dates.delete(date);
    this.loaded.delete(date);
  }

  private async loadDate(date: string, runId: string): Promise<DateLists> {
    const rows = await this.repository.listsOfRun(runId);
    const lists = new Map<string, SerializedList>();
    for (const row of rows) {
      lists.set(`${row.advertiserId}\u0000${row.model}`, serializeList(row.advertiserId, row.model, date, runId, row.items));
    }
    return { runId, lists };
  }

  private async reloadAll(): Promise<void> {
    const [publications, known] = await Promise.all([this.repository.publications(), this.repository.knownAdvertisers()]);
    this.publications = publications;
    this.knownAdvertisers = known;
    this.datesNewestFirst = [...publications.keys()].sort().reverse();
    this.latestDate = this.datesNewestFirst[0];
    for (const [date, entry] of this.dates) {
      const current = publications.get(date);
      const cached = await entry.catch(() => undefined);
      if (!cached || cached.runId !== current) this.forget(date);
    }
    if (this.latestDate) await this.listsOf(this.latestDate, publications.get(this.latestDate)!);
    for (const listener of this.changeListeners) listener();
  }

  private async listen(): Promise<void> {
    const url = this.config.database.readOnlyUrl ?? requireDatabaseUrl(this.config);
    const client = new Client({ connectionString: url, ssl: this.config.database.ssl ? { rejectUnauthorized: false } : undefined });
    client.on('notification', () => {
      this.reloadAll().catch((error) => this.logger.warn('reload after publication failed', { err: serializeError(error) }));
    });
    client.on('error', (error) => {
      this.logger.warn('publication listener lost its connection', { err: serializeError(error) });
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${PUBLICATION_CHANNEL}`);
    this.listener = client;
  }

  private reconnect(failed: Client): void {
    if (this.closing || this.listener !== failed) return;
    this.listener = undefined;
    failed.removeAllListeners();
    failed.end().catch(() => undefined);
    setTimeout(() => {
      this.listen()
        .then(() => this.reloadAll())
        .catch((error) => {
          this.logger.warn('publication listener reconnect failed', { err: serializeError(error) });
          this.listener = failed;
          this.reconnect(failed);
        });
    }, RECONNECT_DELAY_MS).unref();
  }
}

function foundIn(date: DateLists, advertiserId: string, model: ModelName, day: string, fromCache: boolean): Lookup {
  const list = date.lists.get(`${advertiserId}\u0000${model}`);
  // A known advertiser that was not active that day: known, nothing to recommend.
  return { kind: 'found', body: (list ?? serializeList(advertiserId, model, day, date.runId, [])).body, fromCache };
}

/** The `/recommendations` response body of SPEC section 4. */
export function serializeList(
  advertiserId: string,
  model: ModelName,
  date: string,
  runId: string,
  items: StoredList['items'],
): SerializedList {
  const ranked =
    model === 'top_ctr'
      ? items.map((item, index) => ({
          rank: index + 1,
          productId: item.productId,
          clicks: item.clicks!,
          impressions: item.impressions!,
          ctr: clickThroughRate({ productId: item.productId, clicks: item.clicks!, impressions: item.impressions! }),
        }))
      : items.map((item, index) => ({ rank: index + 1, productId: item.productId, views: item.views! }));
  const itemsJson = JSON.stringify(ranked);
  const body = `{"advertiserId":${JSON.stringify(advertiserId)},"model":"${model}","date":"${date}","runId":${JSON.stringify(runId)},"items":${itemsJson}}`;
  return { body, itemsJson };
}
