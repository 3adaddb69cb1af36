import { rm } from 'node:fs/promises';
import { QueuePublisher } from '@adrec/messaging';
import { freePort } from '@adrec/runtime';
import { GeneratedData } from '../apps/cli/src/sample-data.generator';
import { sendTriggers } from '../apps/cli/src/triggers';
import { TriggerMessage } from '@adrec/contracts';
import { AppProcess, startApp, stopApp } from './support/app-processes';
import { referenceLists } from './support/reference-lists';
import { uploadSampleData } from './support/sample-data';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { waitForPublished } from './support/runs-helpers';
import { jsonBody } from './support/json-body';
import { anyInstanceOf } from './support/matchers';
import { outputOf, waitFor } from './support/wait-for';

/**
 * The whole pipeline as it runs in production: each app its own process,
 * talking only through SQS, S3 and PostgreSQL; every list the API serves is
 * compared with a brute-force computation from the CSV files.
 */
describe('the nightly pipeline, end to end', () => {
  let env: TestEnvironment;
  let apps: AppProcess[] = [];
  let dataDir: string;
  let data: GeneratedData;
  let api: string;
  /** One run per date, triggered and published before the tests: each test reads what the pipeline produced. */
  let triggers: TriggerMessage[];

  beforeAll(async () => {
    env = await startTestEnvironment();
    ({ dataDir, data } = await uploadSampleData(env, {
      productViews: 20_000,
      adEvents: 30_000,
      days: 3,
      endDate: '2022-04-14',
      skew: 1.1,
      seed: 7,
    }));
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    apps = [
      // Two reading threads and 1 MiB slices: the ads log (~1.5 MiB) is read as two byte ranges on different threads.
      startApp('ingest', { ...env.env, INGEST_THREADS: '2', INGEST_SLICE_MIB: '1' }),
      startApp('models', env.env),
      startApp('models', env.env),
      startApp('writer', env.env),
      // At debug level the API logs each cache reload, which the waits below react to.
      startApp('api', { ...env.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug' }),
    ];
    triggers = await sendTriggers(new QueuePublisher(env.queues), data.dates, 1);
    for (const trigger of triggers) await waitForPublished(env.pool, trigger.runId);
    const apiProcess = apps[apps.length - 1];
    for (const date of data.dates) {
      // The API learns of a publication by NOTIFY and logs (at debug) when it has reloaded: checked whenever it logs.
      await waitFor(
        async () => {
          const response = await fetch(`${api}/recommendations/${data.activeAdvertisers[0]}/top_ctr?date=${date}`).catch(() => undefined);
          return response?.status === 200 ? true : undefined;
        },
        `the API to serve ${date}`,
        { signals: [outputOf(apiProcess.child)] },
      );
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(apps.map(stopApp));
    await env?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('publishes one run per date and serves exactly the lists SPEC section 2 defines', async () => {
    for (const trigger of triggers) {
      const run = await waitForPublished(env.pool, trigger.runId);
      expect(run.jobsDone).toBe(data.activeAdvertisers.length * 2);
    }

    for (const date of data.dates) {
      const expected = referenceLists(dataDir, date);
      for (const advertiserId of data.activeAdvertisers) {
        for (const model of ['top_ctr', 'top_product'] as const) {
          const response = await fetch(`${api}/recommendations/${advertiserId}/${model}?date=${date}`);
          expect(response.status).toBe(200);
          const body = await jsonBody<{ date: string; model: string; items: unknown[] }>(response);
          const want = expected.get(advertiserId)![model].map((item, index) => ({ rank: index + 1, ...item }));
          expect({ advertiserId, model, date, items: body.items }).toEqual({ advertiserId, model, date, items: want });
        }
      }
    }
  });

  it('serves the latest published date when no date is given, with the course spelling of the model', async () => {
    const response = await fetch(`${api}/recommendations/${data.activeAdvertisers[1]}/TopProduct`);
    expect(response.status).toBe(200);
    const body = await jsonBody<{ date: string; model: string; items: unknown[] }>(response);
    expect(body.date).toBe(data.dates.at(-1));
    expect(body.model).toBe('top_product');
  });

  it('answers 404 for an inactive advertiser and a date without a run, 400 for a bad model or date', async () => {
    const known = data.activeAdvertisers[0];
    const cases: [string, number][] = [
      [`/recommendations/${data.inactiveAdvertisers[0]}/top_ctr`, 404],
      [`/recommendations/${known}/top_ctr?date=2021-01-01`, 404],
      [`/recommendations/${known}/best_sellers`, 400],
      [`/recommendations/${known}/top_ctr?date=2022-02-30`, 400],
      [`/recommendations/${encodeURIComponent('bad id!')}/top_ctr`, 400],
    ];
    for (const [path, status] of cases) {
      const response = await fetch(api + path);
      const body = await jsonBody<{ statusCode: number; error: string; message: string }>(response);
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(body).toEqual({ statusCode: status, error: anyInstanceOf(String), message: anyInstanceOf(String) });
    }
  });
});
