import { execFile } from 'node:child_process';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { addDays, newTrigger, TriggerMessage } from '@adrec/contracts';
import { RunsRepository } from '@adrec/database';
import { QueuePublisher } from '@adrec/messaging';
import { freePort } from '@adrec/runtime';
import { uploadRawData } from '../apps/cli/src/raw-data.uploader';
import { GeneratedData } from '../apps/cli/src/sample-data.generator';
import { sendTriggers } from '../apps/cli/src/triggers';
import { AppProcess, repositoryRoot, startApp, stopApp } from './support/app-processes';
import { referenceEvaluation, ReferenceEvaluation } from './support/reference-evaluation';
import { referenceLists } from './support/reference-lists';
import { waitForPublished } from './support/runs-helpers';
import { uploadSampleData } from './support/sample-data';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { jsonBody } from './support/json-body';
import { anyInstanceOf, arrayContaining, objectContaining, stringContaining } from './support/matchers';
import { waitFor } from './support/wait-for';

type Model = 'top_ctr' | 'top_product';
const MODELS: Model[] = ['top_ctr', 'top_product'];
/**
 * How long a run or an evaluation may take to appear. Generous: on a shared
 * two-core machine a run of this small dataset can take a minute.
 */
const PIPELINE_WAIT_MS = 300_000;
/** Per test: a backfill of four dates and its evaluations, or a rerun, under that same load. */
const TEST_TIMEOUT_MS = 900_000;

/** What GET /evaluation must say for a date, from the brute-force computation. */
function expectedDate(reference: ReferenceEvaluation) {
  const rate = (hits: number, events: number) => (events === 0 ? null : hits / events);
  return Object.fromEntries(
    MODELS.map((model) => {
      const m = reference.models[model];
      return [
        model,
        {
          hits: m.hits,
          events: m.events,
          hitRate: rate(m.hits, m.events),
          advertisers: m.advertisers,
          baselineHitRate: rate(m.baselineHits, m.events),
        },
      ];
    }),
  );
}

/** What the test reads of the evaluation table's rows (the file compiles without the DOM library). */
interface TableRowElement {
  dataset: Record<string, string | undefined>;
  cells: { textContent: string | null }[];
}

/**
 * Next-day evaluation through the whole pipeline (each app its own process):
 * every number GET /evaluation and GET /evaluation/{advertiserId} serve is
 * compared with a brute-force computation from the CSV files, after a
 * backfill, after a rerun of D+1 with changed logs and an advertiser gone
 * inactive, and after a rerun of D with changed logs.
 */
describe('next-day evaluation, end to end', () => {
  let env: TestEnvironment;
  let apps: AppProcess[] = [];
  let dataDir: string;
  let data: GeneratedData;
  let api: string;
  let runs: RunsRepository;
  /** The backfill every test starts from: one run per date, all published before the tests. */
  let triggers: TriggerMessage[];

  beforeAll(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    ({ dataDir, data } = await uploadSampleData(env, {
      productViews: 12_000,
      adEvents: 40_000,
      days: 4,
      endDate: '2022-04-14',
      skew: 1.1,
      seed: 16,
    }));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    apps = [
      startApp('ingest', env.env),
      startApp('models', env.env),
      startApp('writer', env.env),
      startApp('api', { ...env.env, PORT: String(port), HOST: '127.0.0.1' }),
    ];
    triggers = await sendTriggers(new QueuePublisher(env.queues), data.dates, 1);
    for (const trigger of triggers) await waitForPublished(env.pool, trigger.runId, PIPELINE_WAIT_MS);
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(apps.map(stopApp));
    await env?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
    const response = await fetch(api + path);
    return { status: response.status, body: await jsonBody<T>(response) };
  }

  /** Waits until GET /evaluation shows `date` evaluated with the brute-force numbers; fails with the last answer. */
  async function expectEvaluation(date: string): Promise<void> {
    const expected = expectedDate(referenceEvaluation(dataDir, date, addDays(date, 1)));
    let last: unknown;
    await waitFor(
      async () => {
        const { body } = await getJson<{ dates: { date: string; status: string; models: unknown }[] }>(
          `/evaluation?from=${date}&to=${date}`,
        );
        last = body.dates[0];
        return body.dates[0]?.status === 'done' && JSON.stringify(body.dates[0].models) === JSON.stringify(expected) ? true : undefined;
      },
      `the evaluation of ${date} to match the brute force`,
      // Written in the transactions of ingest and the writer, which announce only publications: polled.
      { signals: [], pollMs: 200, timeoutMs: PIPELINE_WAIT_MS },
    ).catch(() => undefined);
    expect(last).toEqual(objectContaining({ date, evaluatedOn: addDays(date, 1), status: 'done', models: expected }));
  }

  async function expectAdvertisers(date: string): Promise<void> {
    const reference = referenceEvaluation(dataDir, date, addDays(date, 1));
    for (const [advertiserId, models] of reference.byAdvertiser) {
      const { status, body } = await getJson(`/evaluation/${advertiserId}?date=${date}`);
      const want = Object.fromEntries(
        MODELS.map((model) => [
          model,
          {
            hits: models[model].hits,
            events: models[model].events,
            hitRate: models[model].events === 0 ? null : models[model].hits / models[model].events,
          },
        ]),
      );
      expect({ status, body }).toEqual({
        status: 200,
        body: objectContaining({ advertiserId, date, status: 'done', models: want }),
      });
    }
  }

  async function rerun(date: string): Promise<void> {
    const trigger = newTrigger(date, 1);
    await new QueuePublisher(env.queues).publish('trigger', [trigger]);
    await waitForPublished(env.pool, trigger.runId, PIPELINE_WAIT_MS);
  }

  it(
    'evaluates every published date on the next day’s logs, the last one pending',
    async () => {
      for (const date of data.dates.slice(0, -1)) await expectEvaluation(date);

      const { body } = await getJson<{ dates: { date: string; runId: string; status: string; models: unknown }[] }>('/evaluation');
      expect(body.dates.map((d) => d.date)).toEqual([...data.dates].reverse());
      expect(body.dates[0]).toEqual({
        date: data.dates[3],
        runId: triggers[3].runId,
        evaluatedOn: addDays(data.dates[3], 1),
        status: 'pending',
        models: null,
      });
      expect(body.dates[1].runId).toBe(triggers[2].runId);
      // The data has real signal: top_product catches more of tomorrow's views than the id-ordered baseline.
      const evaluated = body.dates[1].models as Record<Model, { hitRate: number; baselineHitRate: number }>;
      expect(evaluated.top_product.hitRate).toBeGreaterThan(evaluated.top_product.baselineHitRate);

      await expectAdvertisers(data.dates[1]);
      const pending = await getJson(`/evaluation/${data.activeAdvertisers[0]}?date=${data.dates[3]}`);
      expect(pending).toEqual({ status: 200, body: objectContaining({ status: 'pending', models: null }) });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    're-evaluates D when D+1 is rerun on changed logs, counting an advertiser no longer active on D+1',
    async () => {
      const [, d, next] = data.dates;
      const gone = data.activeAdvertisers[0];
      const keen = data.activeAdvertisers[1];
      const lists = referenceLists(dataDir, d);
      // `gone` leaves the active list for D+1's rerun; `keen` views and clicks its D lists' products on D+1.
      const idsFile = join(dataDir, 'advertiser_ids.csv');
      const allIds = await readFile(idsFile, 'utf8');
      await writeFile(
        idsFile,
        allIds
          .split('\n')
          .filter((line) => line !== gone)
          .join('\n'),
      );
      const extraViews = [...lists.get(keen)!.top_product, ...lists.get(gone)!.top_product].map(
        (item) => `${keen},${item.productId},${next}`,
      );
      const extraClicks = lists.get(keen)!.top_ctr.map((item) => `${keen},${item.productId},click,${next}`);
      await appendFile(join(dataDir, 'product_views.csv'), extraViews.join('\n') + '\n');
      await appendFile(join(dataDir, 'ads_views.csv'), extraClicks.join('\n') + '\n');
      await uploadRawData(env.store, env.config.storage.rawPrefix, dataDir);

      await rerun(next);
      expect((await runs.listRecent(1))[0].inputCounts.activeAdvertisers).toBe(data.activeAdvertisers.length - 1);
      // Back to D's active list, which the brute force reads D's lists with (and later runs use).
      await writeFile(idsFile, allIds);
      await uploadRawData(env.store, env.config.storage.rawPrefix, dataDir);
      await expectEvaluation(d);
      await expectAdvertisers(d);
      expect(referenceEvaluation(dataDir, d, next).byAdvertiser.get(gone)!.top_product.events).toBeGreaterThan(0);
      const goneOnD = await getJson<{ models: Record<Model, { events: number }> }>(`/evaluation/${gone}?date=${d}`);
      expect(goneOnD.body.models.top_product.events).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    're-evaluates D when D is rerun on changed logs, and D-1 on D’s new events',
    async () => {
      const [previous, d] = data.dates;
      const keen = data.activeAdvertisers[2];
      const extra = Array.from({ length: 40 }, (_, i) => `${keen},zz${String(i % 4).padStart(4, '0')},${d}`);
      await appendFile(join(dataDir, 'product_views.csv'), extra.join('\n') + '\n');
      await uploadRawData(env.store, env.config.storage.rawPrefix, dataDir);
      const before = await getJson<{ dates: { runId: string }[] }>(`/evaluation?from=${d}&to=${d}`);

      await rerun(d);
      const after = await getJson<{ dates: { runId: string }[] }>(`/evaluation?from=${d}&to=${d}`);
      expect(after.body.dates[0].runId).not.toBe(before.body.dates[0].runId);
      await expectEvaluation(d);
      await expectAdvertisers(d);
      await expectEvaluation(previous);
      await expectAdvertisers(previous);
    },
    TEST_TIMEOUT_MS,
  );

  it('answers 400 for a malformed advertiser, date or range and 404 for a date without a run or an advertiser not in it', async () => {
    const cases: [string, number][] = [
      ['/evaluation?from=2022-02-30', 400],
      [`/evaluation?from=${data.dates[2]}&to=${data.dates[1]}`, 400],
      [`/evaluation/${encodeURIComponent('bad id!')}`, 400],
      [`/evaluation/${data.activeAdvertisers[1]}?date=2022-13-01`, 400],
      [`/evaluation/${data.activeAdvertisers[1]}?date=2021-01-01`, 404],
      [`/evaluation/${data.inactiveAdvertisers[0]}?date=${data.dates[1]}`, 404],
    ];
    for (const [path, status] of cases) {
      const { status: got, body } = await getJson(path);
      expect({ path, status: got, body }).toEqual({
        path,
        status,
        body: { statusCode: status, error: anyInstanceOf(String), message: anyInstanceOf(String) },
      });
    }
    const empty = await getJson<{ dates: unknown[] }>('/evaluation?from=2021-01-01&to=2021-01-31');
    expect(empty).toEqual({ status: 200, body: { dates: [] } });
  });

  it('prints the same numbers with `adrec evaluation` and the drift warnings column with `adrec runs`', async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [join(repositoryRoot(), 'dist/apps/cli/src/main.js'), ...args], {
        env: { PATH: process.env.PATH ?? '', ...env.env },
      });
    const [from, to] = [data.dates[0], data.dates[2]];
    const { stdout } = await cli('evaluation', '--from', from, '--to', to);
    const { body } = await getJson<{ dates: { date: string; runId: string; models: Record<Model, { hits: number; events: number }> }[] }>(
      `/evaluation?from=${from}&to=${to}`,
    );
    const lines = stdout.split('\n').slice(1, 1 + body.dates.length);
    expect(lines.map((line) => line.split(/\s{2,}/).filter((cell, i) => i < 3 || cell.includes('/')))).toEqual(
      body.dates.map((d) => [
        d.date,
        d.runId,
        'done',
        `${d.models.top_ctr.hits}/${d.models.top_ctr.events}`,
        `${d.models.top_product.hits}/${d.models.top_product.events}`,
      ]),
    );
    const runsTable = (await cli('runs', '--limit', '3')).stdout;
    expect(runsTable.split('\n')[0].split(/\s{2,}/)).toEqual(['DATE', 'RUN', 'STATUS', 'JOBS', 'TIME', 'BAD LINES', 'WARNINGS', 'ERROR']);
    await expect(cli('evaluation', '--from', to, '--to', from)).rejects.toMatchObject({
      stderr: stringContaining('CLI.BAD_ARGUMENT'),
    });
  });

  it(
    'charts the hit rates in the console and shows an advertiser’s numbers beside its lists',
    async () => {
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const pageErrors: string[] = [];
        page.on('pageerror', (error) => pageErrors.push(error.message));
        await page.goto(`${api}/console#evaluation`);
        await page.waitForSelector('#evaluation-body tr[data-status="done"]');
        const { body } = await getJson<{
          dates: { date: string; status: string; models: Record<Model, { hits: number; events: number }> | null }[];
        }>('/evaluation');
        const rows = await page
          .locator('#evaluation-body tr')
          .evaluateAll((trs: TableRowElement[]) => trs.map((tr) => [tr.dataset.date, tr.dataset.status, tr.cells[4].textContent]));
        expect(rows).toEqual(
          body.dates.map((d) => [
            d.date,
            d.status,
            d.models ? `${d.models.top_product.hits.toLocaleString('en-US')} / ${d.models.top_product.events.toLocaleString('en-US')}` : '',
          ]),
        );
        // One solid line per model and one dashed baseline each, a dot per evaluated date.
        for (const series of ['top_product', 'top_product-baseline', 'top_ctr', 'top_ctr-baseline']) {
          expect(await page.locator(`#evaluation-chart g[data-series="${series}"] path`).getAttribute('d')).toMatch(
            /^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)*$/,
          );
        }
        expect(await page.locator('#evaluation-chart g[data-series="top_product"] circle').count()).toBe(
          body.dates.filter((d) => d.status === 'done').length,
        );
        await page.screenshot({ path: join(repositoryRoot(), 'test-artifacts', 'console-evaluation.png'), fullPage: true });

        const [advertiserId, date] = [data.activeAdvertisers[3], data.dates[1]];
        await page.goto(`${api}/console#advertiser`);
        await page.waitForSelector(`#advertiser-select option[value="${advertiserId}"]`, { state: 'attached' });
        await page.selectOption('#advertiser-select', advertiserId);
        await page.selectOption('#date-select', date);
        const numbers = (
          await getJson<{ models: Record<Model, { hits: number; events: number }> }>(`/evaluation/${advertiserId}?date=${date}`)
        ).body.models;
        const shown = page.locator('#advertiser-evaluation dd[data-model="top_product"]');
        await shown
          .filter({
            hasText: ` ${numbers.top_product.hits.toLocaleString('en-US')} of ${numbers.top_product.events.toLocaleString('en-US')} views`,
          })
          .waitFor();
        expect(pageErrors).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it('exposes the latest hit rate per model to Prometheus and documents both routes', async () => {
    const metrics = await (await fetch(`${api}/metrics`)).text();
    const latest = (
      await getJson<{ dates: { status: string; models: Record<Model, { hitRate: number | null }> | null }[] }>('/evaluation')
    ).body.dates.find((d) => d.status === 'done')!;
    for (const model of MODELS) {
      const line = metrics.split('\n').find((l) => l.startsWith(`adrec_evaluation_hit_rate{model="${model}"}`));
      expect(Number(line?.split(' ')[1])).toBeCloseTo(latest.models![model].hitRate!, 10);
    }
    const openapi = (await getJson<{ paths: Record<string, unknown> }>('/docs/json')).body;
    expect(Object.keys(openapi.paths)).toEqual(arrayContaining(['/evaluation', '/evaluation/{advertiserId}']));
  });
});
