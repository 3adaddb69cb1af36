import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { APP_CONFIG, AppConfig, requireDatabaseUrl } from '@adrec/config';
import { postgresTls, PUBLICATION_CHANNEL } from '@adrec/database';
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

  async lookup(advertiserId: string, model: ModelName, date?: string): Promise<Lookup> {
    if (!this.knownAdvertisers.has(advertiserId)) return { kind: 'unknown_advertiser' };
    const day = date ?? this.latestDate;
    const runId = day === undefined ? undefined : this.publications.get(day);
    if (day === undefined || runId === undefined) return { kind: 'no_published_run', date };
    const fromCache = this.dates.has(day);
    const list = (await this.listsOf(day, runId)).lists.get(`${advertiserId}\u0000${model}`);
    // A known advertiser that was not active that day: known, nothing to recommend.
    return { kind: 'found', body: (list ?? serializeList(advertiserId, model, day, runId, [])).body, fromCache };
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
    entry = this.loadDate(date, runId);
    entry.catch(() => this.dates.delete(date));
    this.dates.set(date, entry);
    for (const cached of this.dates.keys()) {
      if (this.dates.size <= CACHED_DATES + 1) break;
      if (cached !== this.latestDate) this.dates.delete(cached);
    }
    return entry;
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
      if (!cached || cached.runId !== current) this.dates.delete(date);
    }
    if (this.latestDate) await this.listsOf(this.latestDate, publications.get(this.latestDate)!);
    for (const listener of this.changeListeners) listener();
  }

  private async listen(): Promise<void> {
    const url = this.config.database.readOnlyUrl ?? requireDatabaseUrl(this.config);
    const client = new Client({ connectionString: url, ssl: this.config.database.ssl ? postgresTls(this.config.database.sslCaFile) : undefined });
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
