import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { LISTENER_CONNECTION, PUBLICATION_CHANNEL } from '@adrec/database';
import { JsonLogger, serializeError } from '@adrec/logging';
import { clickThroughRate } from '@adrec/ranking';
import { MODEL_NAMES, ModelName } from '@adrec/contracts';
import { PublicationFingerprint, PublishedListsRepository, PublishedState, StoredList } from './published-lists.repository';

const RECONNECT_DELAY_MS = 1000;
/**
 * A LISTEN connection that does not answer a ping within this is treated as
 * dead (half-open) and replaced. TCP keepalive alone would take the OS's
 * probe schedule (minutes on Linux); generous, because a false alarm costs
 * only a reconnect, and serving never waits on the listener.
 */
const LISTENER_PING_TIMEOUT_MS = 10_000;
/** What a kept list costs besides its body's characters: its key, the map entry and the object. */
const LIST_OVERHEAD_BYTES = 120;
/** The size assumed for a list before any run has been loaded. */
const DEFAULT_LIST_BYTES = 2048;
/**
 * A reload still running after this long is abandoned (it may be waiting on
 * a half-open connection that only the OS's TCP timers would end, after
 * minutes): the next check starts a new one, and the abandoned one can no
 * longer install anything.
 */
const SYNC_DEADLINE_MS = 15_000;
/** Use counts are halved this often (in checks), so yesterday's popular date does not stay popular forever. */
const AGE_EVERY_CHECKS = 60;

/**
 * A list as it is sent: the bytes of the whole `/recommendations` response
 * body, encoded once when the run is loaded (a string would be encoded to
 * UTF-8 again on every response). Its `items` array starts at byte
 * `itemsStart` and ends before the closing brace.
 */
export interface SerializedList {
  body: Buffer;
  itemsStart: number;
}

/** The `items` array of a serialized list, as JSON text (for /history, which nests both models' arrays). */
function itemsJson(list: SerializedList): string {
  return list.body.toString('utf8', list.itemsStart, list.body.length - 1);
}

/**
 * One date's entry of a `/history` body: run `runId`'s `items` array of each
 * model, `[]` for a model with no list.
 */
export function historyEntryJson(date: string, runId: string, listOf: (model: ModelName) => SerializedList | undefined): string {
  const items = (model: ModelName) => {
    const list = listOf(model);
    return list ? itemsJson(list) : '[]';
  };
  return `{"date":${JSON.stringify(date)},"runId":${JSON.stringify(runId)},"top_ctr":${items('top_ctr')},"top_product":${items('top_product')}}`;
}

/** An advertiser's lists of one run, by model. */
type AdvertiserLists = Partial<Record<ModelName, SerializedList>>;

/** Every list of one published run, in memory. */
interface RunLists {
  runId: string;
  date: string;
  /** By advertiser id, then model: no key is built per request. */
  lists: Map<string, AdvertiserLists>;
  /** Estimated memory: the bodies' bytes plus a per-list overhead. */
  bytes: number;
  /** Requests served from it since the last ageing: which run to drop first. */
  uses: number;
}

/** What the cache serves: one snapshot of the publications, swapped whole. */
interface ServedState extends PublishedState {
  datesNewestFirst: string[];
  latestDate: string | undefined;
  /** The published runs, for dropping lists of runs that are no longer published. */
  runIds: Set<string>;
}

export type Lookup =
  { kind: 'found'; body: Buffer; fromCache: boolean } | { kind: 'unknown_advertiser' } | { kind: 'no_published_run'; date?: string };

/** How the cache has spent its queries, for tests and the operator. */
export interface CacheCounters {
  /** Full-run loads (one query returning every list of a run). */
  runLoads: number;
  /** Single-advertiser reads, for a run the cache chose not to hold. */
  advertiserLoads: number;
  /** Published-state reloads installed. */
  reloads: number;
  /** Reloads that failed (retried at the next check). */
  failedReloads: number;
}

const UNKNOWN_ADVERTISER: Lookup = { kind: 'unknown_advertiser' };

/**
 * Published lists in memory as ready-to-send JSON bodies, so a warm request
 * runs no query and no await.
 *
 * It converges on the database's published state whatever happens to NOTIFY:
 * - the writer's NOTIFY (delivered on commit) triggers a check at once;
 * - every `API_CACHE_CHECK_MS` a cheap query compares the publications'
 *   fingerprint (count and highest version) with the one served, which
 *   notices a lost NOTIFY and retries a reload that failed;
 * - reloads run one at a time, each reading the state after the previous
 *   one finished, so an older snapshot never overwrites a newer one (one
 *   stuck past SYNC_DEADLINE_MS is abandoned and can no longer install); a
 *   new state is installed only once its latest run's lists are loaded;
 * - lists are held per run, not per date, and every answer takes its run id
 *   and its items from the same run.
 * The LISTEN connection has TCP keepalive and is pinged at every check; one
 * that errors, ends or stops answering is replaced.
 *
 * Memory is bounded in bytes (`API_CACHE_MAX_BYTES`). The latest date's run
 * is always held; another date's run is loaded whole only when it fits, or
 * when it is asked for more than the least used run held (which is then
 * dropped). Otherwise a request reads just its advertiser's lists, so a
 * client cycling `?date=` over many dates costs one small read per request,
 * never a full-run load each; concurrent loads of the same run or
 * advertiser share one query.
 */
@Injectable()
export class PublishedListsCache implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new JsonLogger('api');
  private state: ServedState = servedState({ fingerprint: '', publications: new Map(), knownAdvertisers: new Set() });
  private readonly held = new Map<string, RunLists>();
  private heldBytes = 0;
  /** Loads in flight, shared by concurrent callers; one older than SYNC_DEADLINE_MS is not joined (it may never end). */
  private readonly runLoads = new Map<string, { promise: Promise<RunLists>; started: number }>();
  private readonly advertiserLoads = new Map<string, { promise: Promise<StoredList[]>; started: number }>();
  /** Requests for runs not held since the last ageing: what earns a run its place. */
  private readonly misses = new Map<string, number>();
  private averageListBytes = DEFAULT_LIST_BYTES;
  private syncing?: Promise<void>;
  private syncStarted = 0;
  /** Raised when a reload is abandoned: a reload installs only if its generation is still current. */
  private generation = 0;
  private syncAgain = false;
  private checks = 0;
  private failing = false;
  private timer?: NodeJS.Timeout;
  private listener?: Client;
  private pinging = false;
  private closing = false;
  private readonly changeListeners: (() => void)[] = [];
  readonly counters: CacheCounters = { runLoads: 0, advertiserLoads: 0, reloads: 0, failedReloads: 0 };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: PublishedListsRepository,
    @Inject(LISTENER_CONNECTION) private readonly listenerConnection: ClientConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
    await this.sync();
    this.timer = setInterval(() => this.check(), this.config.cache.checkIntervalMs);
    this.timer.unref();
  }

  /** Before the pool is closed: no check or reconnect may start on it any more. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    clearInterval(this.timer);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  get latestPublishedDate(): string | undefined {
    return this.state.latestDate;
  }

  /** Published dates, newest first. */
  get publishedDates(): readonly string[] {
    return this.state.datesNewestFirst;
  }

  /** Estimated bytes of the lists held in memory. */
  get heldListBytes(): number {
    return this.heldBytes;
  }

  /**
   * Calls `listener` after every change of the published state the cache
   * installs (the stats are recomputed on it; tests wait on it). Returns the
   * function that stops the calls.
   */
  onChange(listener: () => void): () => void {
    this.changeListeners.push(listener);
    return () => {
      const index = this.changeListeners.indexOf(listener);
      if (index >= 0) this.changeListeners.splice(index, 1);
    };
  }

  /**
   * An advertiser's list for `date` (the latest when omitted). A warm hit
   * answers synchronously; only a run not held in memory returns a promise.
   */
  lookup(advertiserId: string, model: ModelName, date?: string): Lookup | Promise<Lookup> {
    const state = this.state;
    if (!state.knownAdvertisers.has(advertiserId)) return UNKNOWN_ADVERTISER;
    const day = date ?? state.latestDate;
    const published = day === undefined ? undefined : state.publications.get(day);
    if (day === undefined || published === undefined) return { kind: 'no_published_run', date };
    const run = this.held.get(published.runId);
    if (run) {
      run.uses++;
      const list = run.lists.get(advertiserId)?.[model];
      // A known advertiser that was not active that day: known, nothing to recommend.
      return { kind: 'found', body: list ? list.body : serializeList(advertiserId, model, day, run.runId, []).body, fromCache: true };
    }
    return this.listsFor(advertiserId, day, published).then((lists) => ({
      kind: 'found',
      body: (lists.get(model) ?? serializeList(advertiserId, model, day, published.runId, [])).body,
      fromCache: false,
    }));
  }

  /**
   * Both models' lists for the last `days` published dates up to the latest,
   * newest first, as a ready JSON body; undefined for an unknown advertiser.
   * Dates, run ids and lists all come from one snapshot of the publications.
   */
  async history(advertiserId: string, days: number): Promise<string | undefined> {
    const state = this.state;
    if (!state.knownAdvertisers.has(advertiserId)) return undefined;
    const entries = await Promise.all(
      state.datesNewestFirst.slice(0, days).map(async (date) => {
        const published = state.publications.get(date)!;
        const run = this.held.get(published.runId);
        if (run) run.uses++;
        const lists = run ? advertiserLists(run, advertiserId) : await this.listsFor(advertiserId, date, published);
        return historyEntryJson(date, published.runId, (model) => lists.get(model));
      }),
    );
    return `{"advertiserId":${JSON.stringify(advertiserId)},"days":${days},"history":[${entries.join(',')}]}`;
  }

  /**
   * Compares the served state with the database's and reloads when they
   * differ. Calls made while one runs are folded into one more pass after
   * it, so passes never overlap and never finish out of order.
   */
  sync(): Promise<void> {
    if (this.syncing && Date.now() - this.syncStarted > SYNC_DEADLINE_MS) {
      this.logger.warn('a reload of the published lists has not finished in time; abandoning it', { seconds: SYNC_DEADLINE_MS / 1000 });
      this.generation++;
      this.syncing = undefined;
    }
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    const generation = this.generation;
    let running: Promise<void> | undefined = undefined;
    running = (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.syncOnce(generation);
        } while (this.syncAgain && !this.closing && generation === this.generation);
      } finally {
        if (this.syncing === running) this.syncing = undefined;
      }
    })();
    this.syncing = running;
    this.syncStarted = Date.now();
    return running;
  }

  /** The advertiser's lists of a run that is not held: the whole run when it earns its place, else just this advertiser's. */
  private async listsFor(
    advertiserId: string,
    date: string,
    published: { runId: string; lists: number },
  ): Promise<Map<ModelName, SerializedList>> {
    const { runId } = published;
    const loading = fresh(this.runLoads.get(runId));
    if (loading) return advertiserLists(await loading, advertiserId);
    const misses = (this.misses.get(runId) ?? 0) + 1;
    this.misses.set(runId, misses);
    if (this.admits(published.lists * this.averageListBytes, misses)) {
      const run = await this.loadRun(runId, date);
      this.hold(run);
      return advertiserLists(run, advertiserId);
    }
    const key = `${runId}\u0000${advertiserId}`;
    let rows = fresh(this.advertiserLoads.get(key));
    if (!rows) {
      this.counters.advertiserLoads++;
      const loading = { promise: this.repository.listsOfAdvertiser(runId, advertiserId), started: Date.now() };
      this.advertiserLoads.set(key, loading);
      const settled = () => {
        if (this.advertiserLoads.get(key) === loading) this.advertiserLoads.delete(key);
      };
      loading.promise.then(settled, settled);
      rows = loading.promise;
    }
    const lists = new Map<ModelName, SerializedList>();
    for (const row of await rows) lists.set(row.model, serializeList(advertiserId, row.model, date, runId, row.items));
    return lists;
  }

  /**
   * Whether a run of `bytes` (estimated) may be loaded whole: when it fits
   * beside what is held, or when it has been asked for more often than the
   * least used run that could be dropped for it.
   */
  private admits(bytes: number, misses: number): boolean {
    if (this.heldBytes + bytes <= this.config.cache.maxBytes) return true;
    const victim = this.leastUsedDroppable();
    return victim !== undefined && misses > victim.uses;
  }

  private leastUsedDroppable(): RunLists | undefined {
    const latestRunId = this.state.latestDate === undefined ? undefined : this.state.publications.get(this.state.latestDate)?.runId;
    let victim: RunLists | undefined;
    for (const run of this.held.values()) {
      if (run.runId !== latestRunId && (!victim || run.uses < victim.uses)) victim = run;
    }
    return victim;
  }

  /** Every list of a run; concurrent callers share one query. */
  private loadRun(runId: string, date: string): Promise<RunLists> {
    const inFlight = fresh(this.runLoads.get(runId));
    if (inFlight) return inFlight;
    this.counters.runLoads++;
    const promise = this.repository.listsOfRun(runId).then((rows) => {
      const lists = new Map<string, AdvertiserLists>();
      let bytes = 0;
      for (const row of rows) {
        const list = serializeList(row.advertiserId, row.model, date, runId, row.items);
        let byModel = lists.get(row.advertiserId);
        if (!byModel) lists.set(row.advertiserId, (byModel = {}));
        byModel[row.model] = list;
        bytes += list.body.length + row.advertiserId.length + LIST_OVERHEAD_BYTES;
      }
      if (rows.length > 0) this.averageListBytes = Math.ceil(bytes / rows.length);
      return { runId, date, lists, bytes, uses: this.misses.get(runId) ?? 0 };
    });
    const loading = { promise, started: Date.now() };
    this.runLoads.set(runId, loading);
    const settled = () => {
      if (this.runLoads.get(runId) === loading) this.runLoads.delete(runId);
    };
    promise.then(settled, settled);
    return promise;
  }

  /** Keeps a loaded run if it is still published, then drops the least used runs until the bound holds. */
  private hold(run: RunLists): void {
    if (this.held.has(run.runId) || !this.state.runIds.has(run.runId)) return;
    this.held.set(run.runId, run);
    this.heldBytes += run.bytes;
    this.misses.delete(run.runId);
    while (this.heldBytes > this.config.cache.maxBytes) {
      const victim = this.leastUsedDroppable();
      if (!victim) {
        this.logger.warn('the latest run alone exceeds API_CACHE_MAX_BYTES; it is kept anyway', {
          bytes: this.heldBytes,
          maxBytes: this.config.cache.maxBytes,
        });
        break;
      }
      this.drop(victim.runId);
    }
  }

  private drop(runId: string): void {
    const run = this.held.get(runId);
    if (!run) return;
    this.held.delete(runId);
    this.heldBytes -= run.bytes;
  }

  private async syncOnce(generation: number): Promise<void> {
    const fingerprint: PublicationFingerprint = await this.repository.fingerprint();
    if (fingerprint === this.state.fingerprint) return;
    const next = servedState(await this.repository.publishedState());
    // Installed only with its latest run in memory: a failure here leaves the
    // previous state served, and the next check tries again.
    const latest = next.latestDate === undefined ? undefined : next.publications.get(next.latestDate)!;
    const latestRun = latest && !this.held.has(latest.runId) ? await this.loadRun(latest.runId, next.latestDate!) : undefined;
    // An abandoned reload finishing late must not overwrite what a newer one installed.
    if (generation !== this.generation) return;
    this.state = next;
    for (const runId of [...this.held.keys()]) if (!next.runIds.has(runId)) this.drop(runId);
    for (const runId of [...this.misses.keys()]) if (!next.runIds.has(runId)) this.misses.delete(runId);
    if (latestRun) this.hold(latestRun);
    this.counters.reloads++;
    // At debug level, a line per installed change: what a watcher of the process (a test) can wait on.
    this.logger.debug('published lists reloaded', { latestDate: next.latestDate, dates: next.datesNewestFirst.length });
    for (const listener of this.changeListeners) listener();
  }

  /** The periodic check: resync (which also retries a failed reload), age use counts, ping the listener. */
  private check(): void {
    if (this.closing) return;
    this.sync().then(
      () => {
        if (this.failing) this.logger.info('published lists are in sync with the database again');
        this.failing = false;
      },
      (error) => {
        this.counters.failedReloads++;
        // Logged once per outage, not once a second.
        if (!this.failing) this.logger.warn('checking the published lists failed; retrying every check', { err: serializeError(error) });
        this.failing = true;
      },
    );
    if (++this.checks % AGE_EVERY_CHECKS === 0) {
      for (const run of this.held.values()) run.uses = Math.floor(run.uses / 2);
      for (const [runId, count] of this.misses) {
        if (count < 2) this.misses.delete(runId);
        else this.misses.set(runId, Math.floor(count / 2));
      }
    }
    this.pingListener();
  }

  /** A half-open LISTEN connection receives nothing and reports nothing: a ping with a deadline finds it. */
  private pingListener(): void {
    const listener = this.listener;
    if (!listener || this.pinging) return;
    this.pinging = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${LISTENER_PING_TIMEOUT_MS} ms`)), LISTENER_PING_TIMEOUT_MS);
      timer.unref();
    });
    Promise.race([listener.query('SELECT 1'), deadline])
      .catch((error) => {
        if (this.closing || this.listener !== listener) return;
        this.logger.warn('publication listener did not answer a ping; reconnecting', { err: serializeError(error) });
        this.reconnect(listener);
      })
      .finally(() => {
        clearTimeout(timer);
        this.pinging = false;
      });
  }

  private async listen(): Promise<void> {
    const client = new Client(this.listenerConnection);
    // Attached before connecting: a pg Client without an 'error' listener
    // crashes the process when its server restarts.
    client.on('error', (error) => {
      this.logger.warn('publication listener lost its connection', { err: serializeError(error) });
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    client.on('notification', () => {
      this.sync().catch((error) =>
        this.logger.warn('reload after publication failed; the next check retries it', { err: serializeError(error) }),
      );
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${PUBLICATION_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closing) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private reconnect(failed: Client): void {
    if (this.closing || this.listener !== failed) return;
    this.listener = undefined;
    failed.removeAllListeners();
    failed.on('error', () => undefined);
    failed.end().catch(() => undefined);
    const attempt = () => {
      if (this.closing) return;
      this.listen()
        // A publication may have been missed while disconnected.
        .then(() => this.sync())
        .catch((error) => {
          this.logger.warn('publication listener reconnect failed; trying again', { err: serializeError(error) });
          if (!this.listener) setTimeout(attempt, RECONNECT_DELAY_MS).unref();
        });
    };
    setTimeout(attempt, RECONNECT_DELAY_MS).unref();
  }
}

/** A load in flight worth joining: one that started less than SYNC_DEADLINE_MS ago. */
function fresh<T>(load: { promise: Promise<T>; started: number } | undefined): Promise<T> | undefined {
  return load && Date.now() - load.started <= SYNC_DEADLINE_MS ? load.promise : undefined;
}

function servedState(published: PublishedState): ServedState {
  const datesNewestFirst = [...published.publications.keys()].sort().reverse();
  return {
    ...published,
    datesNewestFirst,
    latestDate: datesNewestFirst[0],
    runIds: new Set([...published.publications.values()].map((p) => p.runId)),
  };
}

/** One advertiser's lists of a held run, by model. */
function advertiserLists(run: RunLists, advertiserId: string): Map<ModelName, SerializedList> {
  const lists = new Map<ModelName, SerializedList>();
  const byModel = run.lists.get(advertiserId);
  for (const model of MODEL_NAMES) {
    const list = byModel?.[model];
    if (list) lists.set(model, list);
  }
  return lists;
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
  // Advertiser ids, dates and run ids are ASCII by their rules, so the head's
  // length in characters is its length in bytes.
  const head = `{"advertiserId":${JSON.stringify(advertiserId)},"model":"${model}","date":"${date}","runId":${JSON.stringify(runId)},"items":`;
  return { body: Buffer.from(`${head}${JSON.stringify(ranked)}}`), itemsStart: head.length };
}
