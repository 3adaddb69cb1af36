import { loadConfig } from '@adrec/config';
import { dedicatedConnection } from '@adrec/database';
import { PublishedListsCache } from './published-lists.cache';
import { PublishedListsRepository, PublishedState, StoredList } from './published-lists.repository';

/** A promise the test settles when it chooses: how a query that takes long is played here. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function state(fingerprint: string, publications: Record<string, string>): PublishedState {
  return {
    fingerprint,
    publications: new Map(Object.entries(publications).map(([date, runId]) => [date, { runId, lists: 2 }])),
    knownAdvertisers: new Set(['ADV1']),
  };
}

/** Lists whose product id names their run, so an answer mixing two runs shows. */
function listsOf(runId: string): StoredList[] {
  return [
    { advertiserId: 'ADV1', model: 'top_product', items: [{ productId: `${runId}-p`, views: 1 }] },
    { advertiserId: 'ADV1', model: 'top_ctr', items: [{ productId: `${runId}-c`, clicks: 1, impressions: 2 }] },
  ];
}

/**
 * The cache's ordering rules, with a repository whose answers the test
 * releases in the order it wants (the integration tests in
 * test/api-cache.e2e-spec.ts exercise the same cache against PostgreSQL).
 */
describe('PublishedListsCache ordering', () => {
  let current: PublishedState;
  let runQueries: Map<string, ReturnType<typeof deferred<StoredList[]>>>;
  let cache: PublishedListsCache;

  beforeEach(async () => {
    current = state('1:1', { '2022-04-14': 'r1' });
    runQueries = new Map();
    const repository = {
      fingerprint: () => Promise.resolve(current.fingerprint),
      publishedState: () => Promise.resolve(current),
      listsOfRun: (runId: string) => {
        const query = deferred<StoredList[]>();
        runQueries.set(runId, query);
        return query.promise;
      },
      listsOfAdvertiser: (runId: string) => Promise.resolve(listsOf(runId)),
    } as unknown as PublishedListsRepository;
    const config = loadConfig({ DATABASE_URL: 'postgres://unused' });
    // The listener is never started: these tests call sync() themselves.
    cache = new PublishedListsCache(config, repository, dedicatedConnection(config, { applicationName: 'adrec-test' }));
    const first = cache.sync();
    await Promise.resolve();
    await Promise.resolve();
    runQueries.get('r1')!.resolve(listsOf('r1'));
    await first;
  });

  const servedRun = async () => {
    const found = await cache.lookup('ADV1', 'top_product');
    return found.kind === 'found' ? (JSON.parse(found.body.toString()) as unknown) : found;
  };

  it('answers a warm hit synchronously, with no promise', () => {
    const found = cache.lookup('ADV1', 'top_product');
    expect(found).not.toBeInstanceOf(Promise);
    expect(found).toMatchObject({ kind: 'found', fromCache: true });
  });

  it('never lets a slow, older reload overwrite a newer one', async () => {
    // Publication 2 arrives; its reload stalls loading r2's lists.
    current = state('1:2', { '2022-04-14': 'r2' });
    const second = cache.sync();
    await waitUntil(() => runQueries.has('r2'));
    // Publication 3 arrives while it stalls: folded into one more pass after it.
    current = state('1:3', { '2022-04-14': 'r3' });
    const third = cache.sync();
    // r2 finishes last of all, after r3 would have.
    runQueries.get('r2')!.resolve(listsOf('r2'));
    await waitUntil(() => runQueries.has('r3'));
    runQueries.get('r3')!.resolve(listsOf('r3'));
    await Promise.all([second, third]);
    expect(await servedRun()).toMatchObject({ runId: 'r3', items: [{ productId: 'r3-p' }] });
  });

  it('keeps serving the previous run while a reload fails, and installs the new one when it is retried', async () => {
    current = state('1:2', { '2022-04-14': 'r2' });
    const failing = cache.sync();
    await waitUntil(() => runQueries.has('r2'));
    runQueries.get('r2')!.reject(new Error('connection terminated'));
    await expect(failing).rejects.toThrow('connection terminated');
    expect(await servedRun()).toMatchObject({ runId: 'r1', items: [{ productId: 'r1-p' }] });
    const retry = cache.sync();
    await waitUntil(() => runQueries.get('r2') !== undefined && cache.counters.runLoads === 3);
    runQueries.get('r2')!.resolve(listsOf('r2'));
    await retry;
    expect(await servedRun()).toMatchObject({ runId: 'r2', items: [{ productId: 'r2-p' }] });
  });

  it('abandons a reload stuck past its deadline (a half-open connection), and the abandoned one never installs', async () => {
    current = state('1:2', { '2022-04-14': 'r2' });
    const hung = cache.sync();
    hung.catch(() => undefined);
    await waitUntil(() => runQueries.has('r2'));
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 16_000);
    try {
      current = state('1:3', { '2022-04-14': 'r3' });
      const fresh = cache.sync();
      await waitUntil(() => runQueries.has('r3'));
      runQueries.get('r3')!.resolve(listsOf('r3'));
      await fresh;
      expect(await servedRun()).toMatchObject({ runId: 'r3' });
      // The stuck query finally answers: too late to count.
      runQueries.get('r2')!.resolve(listsOf('r2'));
      await hung;
      expect(await servedRun()).toMatchObject({ runId: 'r3', items: [{ productId: 'r3-p' }] });
    } finally {
      clock.mockRestore();
    }
  });

  it('answers a request that began before a republication from one run, and does not keep that run', async () => {
    // Another date, cold: its load is in flight when the date is republished.
    current = state('2:2', { '2022-04-14': 'r1', '2022-04-13': 'old' });
    await cache.sync();
    const before = cache.lookup('ADV1', 'top_ctr', '2022-04-13') as Promise<unknown>;
    await waitUntil(() => runQueries.has('old'));
    current = state('2:3', { '2022-04-14': 'r1', '2022-04-13': 'new' });
    await cache.sync();
    runQueries.get('old')!.resolve(listsOf('old'));
    const answer = await before;
    expect(JSON.parse((answer as { body: Buffer }).body.toString())).toMatchObject({ runId: 'old', items: [{ productId: 'old-c' }] });
    const after = cache.lookup('ADV1', 'top_ctr', '2022-04-13');
    expect(after).toBeInstanceOf(Promise);
    await waitUntil(() => runQueries.has('new'));
    runQueries.get('new')!.resolve(listsOf('new'));
    expect(JSON.parse(((await after) as { body: Buffer }).body.toString())).toMatchObject({
      runId: 'new',
      items: [{ productId: 'new-c' }],
    });
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setImmediate(resolve));
  if (!condition()) throw new Error('condition never held');
}
