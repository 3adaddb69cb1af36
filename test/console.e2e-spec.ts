import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Browser, chromium, Page } from 'playwright-core';
import { loadConfig } from '@adrec/config';
import { RunsRepository } from '@adrec/database';
import { newTrigger } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';
import { freePort } from '@adrec/runtime';
import { createApi } from '../apps/api/src/create-api';
import { GeneratedData } from '../apps/cli/src/sample-data.generator';
import { sendTriggers } from '../apps/cli/src/triggers';
import { AppProcess, startApp, stopApp } from './support/app-processes';
import { uploadSampleData } from './support/sample-data';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { seededPartitions, waitForPublished } from './support/runs-helpers';
import { jsonBody } from './support/json-body';
import { anyInstanceOf, stringContaining } from './support/matchers';
import { outputOf, waitFor } from './support/wait-for';

/** Debian's `chromium` package; CI installs it (.ci/run). No browser is downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
const TOKEN = 'console-test-token-0123456789';
const FAILED_RUN = '2022-04-10-0badf00d';
const STUCK_RUN = '2022-04-11-5a1ec0de';

/** What the tests read of the page's elements (the test compiles without the DOM library). */
interface FormControlElement {
  labels?: { length: number } | null;
  getAttribute(name: string): string | null;
  textContent: string | null;
  outerHTML: string;
}
interface RowElement {
  dataset: Record<string, string | undefined>;
  classList: { contains(name: string): boolean };
  innerText: string;
}

/** The page's globals the tests use, as seen from a function run in the page. */
interface PageGlobals {
  document: { querySelectorAll(selector: string): Iterable<RowElement> };
}

interface ListItem {
  rank: number;
  productId: string;
  views?: number;
  clicks?: number;
  impressions?: number;
  ctr?: number;
}

/**
 * The operator console in a real headless Chromium against the four apps
 * running as processes on real PostgreSQL and the SQS/S3 emulator: what the
 * page shows is checked against the public API, and a re-run started from
 * the page must publish. A screenshot of each view goes to test-artifacts/.
 */
describe('the operator console', () => {
  let env: TestEnvironment;
  let apps: AppProcess[] = [];
  let dataDir: string;
  let data: GeneratedData;
  let runs: RunsRepository;
  let api: string;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  let firstRuns: { runId: string; runDate: string }[];

  const getJson = async <T>(path: string): Promise<T> => {
    const response = await fetch(api + path);
    expect({ path, status: response.status }).toEqual({ path, status: 200 });
    return jsonBody<T>(response);
  };
  const post = (path: string, body: unknown, token?: string) =>
    fetch(api + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const screenshot = (view: string) => page.screenshot({ path: join(ARTIFACTS, `console-${view}.png`), fullPage: true });
  const openView = async (view: 'runs' | 'queues' | 'advertiser') => {
    // As a keyboard user would: focus the navigation link and press Enter.
    await page.focus(`a[data-view-link="${view}"]`);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`#view-${view}:not([hidden])`);
    expect(await page.getAttribute(`a[data-view-link="${view}"]`, 'aria-current')).toBe('page');
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`);
    await mkdir(ARTIFACTS, { recursive: true });
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    ({ dataDir, data } = await uploadSampleData(env, {
      advertisers: 10,
      inactive: 2,
      productViews: 6_000,
      adEvents: 30_000,
      days: 3,
      endDate: '2022-04-14',
      skew: 1,
      seed: 17,
    }));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    apps = [
      startApp('ingest', env.env),
      startApp('models', env.env),
      startApp('writer', env.env),
      // At debug level the API logs each cache reload, which apiServes reacts to.
      startApp('api', {
        ...env.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        CONSOLE_TOKEN: TOKEN,
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'debug',
      }),
    ];
    // A failed and a stuck run, recorded through the repository ingest uses, so the page has reasons to explain.
    await runs.register({ runId: STUCK_RUN, runDate: '2022-04-11', windowDays: 1, triggeredAt: new Date() });
    await runs.completeIngest(STUCK_RUN, {
      partitions: seededPartitions(data.activeAdvertisers.slice(0, 2)),
      models: ['top_ctr', 'top_product'],
      inputCounts: { productViewLines: 2000, adEventLines: 10000 },
      badLines: { total: 0 },
    });
    // As if its jobs had been dead-lettered an hour ago: no progress since. It
    // is recorded before the failed run and the pipeline's, so no run ahead of it moves
    // (a run queued behind moving runs is waiting, not stuck: run-status.ts).
    await env.pool.query(`UPDATE runs SET last_progress_at = now() - interval '1 hour' WHERE run_id = $1`, [STUCK_RUN]);
    await runs.register({ runId: FAILED_RUN, runDate: '2022-04-10', windowDays: 1, triggeredAt: new Date() });
    await runs.fail(
      FAILED_RUN,
      { code: 'INGEST.TOO_MANY_BAD_LINES', message: '412 of 20000 log lines are bad (2.06%, threshold 1.00%)' },
      { badLines: { wrong_field_count: 400, invalid_date: 12, total: 412 } },
    );
    const triggers = await sendTriggers(new QueuePublisher(env.queues), data.dates, 1);
    for (const trigger of triggers) await published(trigger.runId);
    firstRuns = triggers;
    // The API learns of publications by NOTIFY; wait until it serves the latest date.
    await apiServes(data.dates.at(-1)!, () => true, 'the API to serve the latest date');

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  // Each test has a page of its own, freshly loaded: what one test clicked does not shape the next.
  beforeEach(async () => {
    pageErrors.length = 0;
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${api}/console`);
  });

  afterEach(async () => {
    await page?.close();
  });

  /**
   * Waits until the API serves a list of `date` that `accept` takes. The API
   * process reloads on the writer's NOTIFY and says nothing when it has:
   * polled, and checked whenever it logs.
   */
  const apiServes = (date: string, accept: (body: { runId: string }) => boolean, what: string) =>
    waitFor(
      async () => {
        const response = await fetch(`${api}/recommendations/${data.activeAdvertisers[0]}/top_ctr?date=${date}`).catch(() => undefined);
        const body = response?.status === 200 ? await jsonBody<{ runId: string }>(response) : undefined;
        return body && accept(body) ? body : undefined;
      },
      what,
      { signals: [outputOf(apps[3].child)] },
    );

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apps.map(stopApp));
    await env?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const published = (runId: string) => waitForPublished(env.pool, runId);

  it('loads, shows every run with its progress, and labels every control', async () => {
    await page.goto(`${api}/console`);
    for (const run of firstRuns) {
      const row = await page.waitForSelector(`#runs-body tr[data-run-id="${run.runId}"][data-status="published"]`);
      const jobs = data.activeAdvertisers.length * 2;
      expect(await row.innerText()).toContain(`${jobs} / ${jobs} jobs`);
      expect(await row.innerText()).toContain(run.runDate);
    }
    expect(await page.locator('#date-strip button').count()).toBe(data.dates.length + 2);
    expect(await page.locator('#rerun-form').isVisible()).toBe(true);

    // Runs in the page: every form control has a label, an aria-label or text of its own.
    const unlabelled = await page
      .locator('input, select, button')
      .evaluateAll((controls: FormControlElement[]) =>
        controls.filter((c) => !c.labels?.length && !c.getAttribute('aria-label') && !c.textContent?.trim()).map((c) => c.outerHTML),
      );
    expect(unlabelled).toEqual([]);
    await screenshot('runs');
  });

  it('says why a run failed or is stuck', async () => {
    const failed = await page.waitForSelector(`#runs-body tr[data-run-id="${FAILED_RUN}"][data-status="failed"]`);
    expect(await failed.innerText()).toContain('INGEST.TOO_MANY_BAD_LINES 412 of 20000 log lines are bad');
    const stuck = await page.waitForSelector(`#runs-body tr[data-run-id="${STUCK_RUN}"][data-status="stuck"]`);
    const [first] = [...data.activeAdvertisers.slice(0, 2)].sort();
    await page.locator(`#runs-body tr[data-run-id="${STUCK_RUN}"]`, { hasText: '4 of 4 jobs have no result' }).waitFor();
    expect(await stuck.innerText()).toContain(`${first}/top_ctr`);
  });

  it('shows the depth and DLQ depth of every queue', async () => {
    await openView('queues');
    for (const queue of ['trigger', 'jobs', 'results']) {
      const row = page.locator(`#queues-body tr[data-queue="${queue}"]`);
      await row.waitFor();
      expect((await row.locator('td').allInnerTexts()).slice(0, 3)).toEqual(['0', '0', '0']);
    }
    await screenshot('queues');
  });

  it("shows an advertiser's two lists exactly as GET /recommendations serves them, overlap highlighted", async () => {
    await openView('advertiser');
    const date = data.dates[1];
    // The advertiser with the most products in both lists makes the highlight visible.
    const lists = await Promise.all(
      data.activeAdvertisers.map(async (advertiserId) => {
        const [topProduct, topCtr] = await Promise.all([
          getJson<{ items: ListItem[] }>(`/recommendations/${advertiserId}/top_product?date=${date}`),
          getJson<{ items: ListItem[] }>(`/recommendations/${advertiserId}/top_ctr?date=${date}`),
        ]);
        const ctrIds = new Set(topCtr.items.map((item) => item.productId));
        const both = topProduct.items.filter((item) => ctrIds.has(item.productId)).map((item) => item.productId);
        return { advertiserId, top_product: topProduct.items, top_ctr: topCtr.items, both };
      }),
    );
    const chosen = lists.sort((a, b) => b.both.length - a.both.length)[0];
    expect(chosen.both.length).toBeGreaterThan(0);

    await page.selectOption('#advertiser-select', chosen.advertiserId);
    await page.selectOption('#date-select', date);
    for (const model of ['top_product', 'top_ctr'] as const) {
      const expected = chosen[model].map((item) => `${item.rank}:${item.productId}`).join(',');
      const rowsOf = (rows: RowElement[]) =>
        rows.map((row) => ({
          rank: row.dataset.rank,
          productId: row.dataset.productId,
          both: row.classList.contains('both'),
          text: row.innerText,
        }));
      // Checked in the page at each animation frame, until the list it shows is the API's.
      await page.waitForFunction(
        ([selector, want]) =>
          [...(globalThis as unknown as PageGlobals).document.querySelectorAll(selector)]
            .map((row) => `${row.dataset.rank}:${row.dataset.productId}`)
            .join(',') === want,
        [`#list-${model} tbody tr`, expected] as const,
        { timeout: 10_000 },
      );
      const shown = await page.locator(`#list-${model} tbody tr`).evaluateAll(rowsOf);
      expect(shown.map((row) => row.productId)).toEqual(chosen[model].map((item) => item.productId));
      expect(
        shown
          .filter((row) => row.both)
          .map((row) => row.productId)
          .sort(),
      ).toEqual([...chosen.both].sort());
      chosen[model].forEach((item, index) => {
        const figure = model === 'top_product' ? `${item.views} views` : `(${item.clicks} / ${item.impressions})`;
        expect(shown[index].text).toContain(figure);
      });
    }
    const historyDates = await page
      .locator('#history-table tbody tr')
      .evaluateAll((rows: RowElement[]) => rows.map((row) => row.dataset.date));
    expect(historyDates).toEqual([...data.dates].reverse());
    await screenshot('advertiser');
  });

  it('refuses operator actions without the right token, in the page and over HTTP', async () => {
    const before = (await runs.listRecent(100)).length;
    await openView('runs');
    await page.fill('#token', '');
    await page.fill('#rerun-date', data.dates[0]);
    await page.click('#rerun-form button[type="submit"]');
    await page.locator('#notice', { hasText: 'refused (401)' }).waitFor();
    await page.fill('#token', 'not-the-token-at-all');
    await page.click('#rerun-form button[type="submit"]');
    await page.locator('#notice', { hasText: 'refused (403)' }).waitFor();

    for (const [path, body] of [
      ['/console/api/rerun', { date: data.dates[0] }],
      ['/console/api/redrive', {}],
    ] as const) {
      const missing = await post(path, body);
      expect(missing.status).toBe(401);
      expect(await jsonBody<unknown>(missing)).toEqual({ statusCode: 401, error: 'Unauthorized', message: anyInstanceOf(String) });
      const wrong = await post(path, body, 'wrong');
      expect(wrong.status).toBe(403);
      expect(await jsonBody<unknown>(wrong)).toEqual({ statusCode: 403, error: 'Forbidden', message: anyInstanceOf(String) });
    }
    const invalid = await post('/console/api/rerun', { date: '2022-02-30' }, TOKEN);
    expect(await jsonBody<unknown>(invalid)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'date must be a calendar date YYYY-MM-DD from 1000-01-01 to 9999-12-31',
    });
    expect((await post('/console/api/redrive', { queue: 'nope' }, TOKEN)).status).toBe(400);
    // The public API stays read-only.
    expect((await fetch(`${api}/runs`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    expect((await runs.listRecent(100)).length).toBe(before);
  });

  it('starts a re-run with the token; it publishes, the page shows it and the API serves it', async () => {
    const date = data.dates[1];
    await openView('runs');
    await page.fill('#token', TOKEN);
    await page.fill('#rerun-date', date);
    await page.click('#rerun-form button[type="submit"]');
    const runId = await page.locator('#notice[data-run-id]').getAttribute('data-run-id');
    expect(runId).toMatch(new RegExp(`^${date}-[0-9a-f]{8}$`));

    // The page polls while the run is in progress; no reload.
    const row = await page.waitForSelector(`#runs-body tr[data-run-id="${runId}"][data-status="published"]`, { timeout: 60_000 });
    expect(await row.innerText()).toContain('serving');
    const replaced = firstRuns.find((run) => run.runDate === date)!;
    const replacedRow = page.locator(`#runs-body tr[data-run-id="${replaced.runId}"]`);
    expect(await replacedRow.getAttribute('data-status')).toBe('superseded');
    expect(await replacedRow.innerText()).toContain(`replaced: ${runId} serves ${date}`);
    const served = await apiServes(date, (body) => body.runId === runId, 'the API to serve the re-run');
    expect(served.runId).toBe(runId);
    await screenshot('rerun');

    const redrive = await post('/console/api/redrive', {}, TOKEN);
    expect(redrive.status).toBe(200);
    expect((await jsonBody<{ redriven: { queue: string }[] }>(redrive)).redriven.map((r) => r.queue)).toEqual([
      'trigger',
      'jobs',
      'results',
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('rolls a date back and publishes a run again from the page, pinning the date with the reason given', async () => {
    // A date of its own, re-run here: the re-run is the published run this test rolls back.
    const date = data.dates[2];
    const rerun = newTrigger(date, 1);
    await new QueuePublisher(env.queues).publish('trigger', [rerun]);
    await published(rerun.runId);
    await page.reload();
    await openView('runs');
    await page.fill('#token', TOKEN);
    const serving = await page.waitForSelector(`#runs-body tr[data-date="${date}"][data-status="published"]`);
    const rerunId = (await serving.getAttribute('data-run-id'))!;
    const original = firstRuns.find((run) => run.runDate === date)!.runId;

    await page.fill('#publish-reason', 'the re-run looks wrong');
    await page.click(`#runs-body tr[data-run-id="${rerunId}"] button[data-action="rollback"]`);
    await page.locator('#notice', { hasText: `${original} now serves ${date} (was ${rerunId}); the date is pinned.` }).waitFor();
    const pinnedRow = page.locator(`#runs-body tr[data-run-id="${original}"][data-status="published"]`);
    await pinnedRow.locator('[data-pin-note]', { hasText: 'pinned by rollback' }).waitFor();
    expect(await pinnedRow.innerText()).toContain('“the re-run looks wrong”');
    await apiServes(date, (body) => body.runId === original, 'the API to serve the rolled-back run');
    await screenshot('rollback');

    await page.fill('#publish-reason', '');
    await page.click(`#runs-body tr[data-run-id="${rerunId}"] button[data-action="publish"]`);
    await page.locator('#notice', { hasText: `${rerunId} now serves ${date}` }).waitFor();
    await page.waitForSelector(`#runs-body tr[data-run-id="${rerunId}"][data-status="published"]`);
    const history = await getJson<{ publications: { how: string; reason: string | null }[] }>(`/runs/${original}`);
    expect(history.publications.slice(0, 2).map((event) => [event.how, event.reason])).toEqual([
      ['publish', null],
      ['rollback', 'the re-run looks wrong'],
    ]);
    expect(pageErrors).toEqual([]);
  });

  it('has no operator actions when CONSOLE_TOKEN is unset, but still serves the page', async () => {
    const app: NestFastifyApplication = await createApi(loadConfig({ ...env.env, RATE_LIMIT_PER_MINUTE: '0' }));
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      const rerun = await app.inject({
        method: 'POST',
        url: '/console/api/rerun',
        payload: { date: data.dates[0] },
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(rerun.statusCode).toBe(404);
      expect(rerun.json<unknown>()).toEqual({ statusCode: 404, error: 'Not Found', message: stringContaining('CONSOLE_TOKEN') });
      expect((await app.inject({ method: 'GET', url: '/console/api/settings' })).json<unknown>()).toMatchObject({ operatorActions: false });
      const html = await app.inject({ method: 'GET', url: '/console' });
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toContain('text/html');
      expect((await app.inject({ method: 'GET', url: '/console/assets/secrets.txt' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
