import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { rm } from 'node:fs/promises';
import { newTrigger, TriggerMessage } from '@adrec/contracts';
import { RunsRepository } from '@adrec/database';
import { QueuePublisher, queueDepths, redriveDeadLetters } from '@adrec/messaging';
import { RunLayout } from '@adrec/storage';
import { freePort } from '@adrec/runtime';
import { GeneratedData } from '../apps/cli/src/sample-data.generator';
import { AppProcess, startApp, stopApp } from './support/app-processes';
import { referenceLists } from './support/reference-lists';
import { TcpProxy } from './support/tcp-proxy';
import { uploadSampleData } from './support/sample-data';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { expectStoredAsCleanRun, waitForPublished } from './support/runs-helpers';
import { jsonBody } from './support/json-body';
import { SqsFailpointProxy } from './support/sqs-failpoint-proxy';
import { outputOf, waitFor } from './support/wait-for';

/**
 * Fault injection with each app in its own process. Every scenario ends by
 * comparing what the database holds with what a clean run produces: the
 * brute-force lists of the same input, and one stored result per job.
 */
describe('run semantics under faults', () => {
  let env: TestEnvironment;
  let dataDir: string;
  let data: GeneratedData;
  let runs: RunsRepository;
  let publisher: QueuePublisher;
  const apps: AppProcess[] = [];
  const start = (app: Parameters<typeof startApp>[0], extra: Record<string, string> = {}) => {
    const process = startApp(app, { ...env.env, ...extra });
    apps.push(process);
    return process;
  };

  beforeAll(async () => {
    env = await startTestEnvironment({ MODELS_BATCH_SIZE: '2', VISIBILITY_TIMEOUT_SECONDS: '5' });
    runs = new RunsRepository(env.pool);
    publisher = new QueuePublisher(env.queues);
    ({ dataDir, data } = await uploadSampleData(env, {
      advertisers: 200,
      inactive: 20,
      productViews: 30_000,
      adEvents: 30_000,
      days: 7,
      endDate: '2022-04-14',
      seed: 11,
    }));
  });

  // Every scenario starts its own apps and leaves none behind for the next.
  afterEach(async () => {
    await Promise.all(apps.splice(0).map(stopApp));
  });

  afterAll(async () => {
    await env?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const published = (runId: string) => waitForPublished(env.pool, runId, 120_000);

  const expectCleanRun = (trigger: TriggerMessage) =>
    expectStoredAsCleanRun(env.pool, { dataDir, activeAdvertisers: data.activeAdvertisers.length }, trigger, 120_000);

  /** Waits for ingest (started with LOG_LEVEL=debug) to have registered the run's jobs: checked each time it logs. */
  const ingested = (ingest: AppProcess, runId: string) =>
    waitFor(async () => ((await runs.find(runId))?.status === 'running' ? true : undefined), 'ingest to finish', {
      signals: [outputOf(ingest.child)],
      timeoutMs: 120_000,
    });

  /** Waits for a models worker (started with LOG_LEVEL=debug) to hold jobs: checked each time it logs a received message. */
  const holdingJobs = (worker: AppProcess) =>
    waitFor(async () => ((await inFlightJobs()) > 0 ? true : undefined), 'the models worker to hold jobs', {
      signals: [outputOf(worker.child)],
    });

  async function inFlightJobs(): Promise<number> {
    const response = await env.queues.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: await env.queues.url('jobs'), AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(response.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  it('1. every message delivered twice, two copies processed concurrently: the same database as a clean run', async () => {
    start('ingest');
    start('ingest');
    start('models');
    start('models');
    start('writer');
    start('writer');
    const trigger = newTrigger(data.dates[0], 1);
    // The trigger twice; ingest of a duplicate re-emits pending jobs, so jobs and results arrive more than once.
    await publisher.publish('trigger', [trigger, trigger]);
    await expectCleanRun(trigger);
  });

  it('2. a models worker killed with SIGKILL mid-batch, then restarted: the run completes as a clean run would', async () => {
    start('ingest');
    start('writer');
    // One batch of two at a time, so the kill lands while jobs are in flight.
    const victim = start('models', { MODELS_CONCURRENCY: '1', LOG_LEVEL: 'debug' });
    const trigger = newTrigger(data.dates[1], 1);
    await publisher.publish('trigger', [trigger]);
    await holdingJobs(victim);
    victim.child.kill('SIGKILL');
    await stopApp(victim);
    start('models');
    await expectCleanRun(trigger);
  });

  it('8. SIGTERM during an in-flight batch: the worker drains and exits, nothing is acknowledged without its effect', async () => {
    start('ingest');
    start('writer');
    const worker = start('models', { MODELS_CONCURRENCY: '1', LOG_LEVEL: 'debug' });
    const trigger = newTrigger(data.dates[2], 1);
    await publisher.publish('trigger', [trigger]);
    await holdingJobs(worker);
    const exit = new Promise<number | null>((resolve) => worker.child.once('exit', (code) => resolve(code)));
    worker.child.kill('SIGTERM');
    expect(await exit).toBe(0);
    start('models');
    await expectCleanRun(trigger);
  });

  it('6. readers during a re-run of a published date: every answer comes from exactly one run, never mixed or empty', async () => {
    start('ingest');
    start('models');
    start('writer');
    const port = await freePort();
    const api = start('api', { PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'debug' });
    const date = data.dates[3];
    const first = newTrigger(date, 1);
    await publisher.publish('trigger', [first]);
    await expectCleanRun(first);
    const url = (advertiserId: string) => `http://127.0.0.1:${port}/recommendations/${advertiserId}/top_product?date=${date}`;
    // At debug level the API logs when it listens and each cache reload: checked whenever it logs.
    await waitFor(
      async () => ((await fetch(url(data.activeAdvertisers[0])).catch(() => undefined))?.status === 200 ? true : undefined),
      'the API',
      { signals: [outputOf(api.child)] },
    );

    const rerun = newTrigger(date, 1);
    await publisher.publish('trigger', [rerun]);
    const expected = referenceLists(dataDir, date);
    const seen = new Set<string>();
    let requests = 0;
    let rerunDone = false;
    const runDone = published(rerun.runId).then(() => (rerunDone = true));
    // Keep reading until the API has served the new run for a while.
    while (!rerunDone || !seen.has(rerun.runId) || requests < 200) {
      const advertiserId = data.activeAdvertisers[requests % data.activeAdvertisers.length];
      const response = await fetch(url(advertiserId));
      expect(response.status).toBe(200);
      const body = await jsonBody<{ runId: string; items: { productId: string; views: number }[] }>(response);
      expect([first.runId, rerun.runId]).toContain(body.runId);
      const want = expected.get(advertiserId)!.top_product;
      expect(body.items.map(({ productId, views }) => ({ productId, views }))).toEqual(want);
      seen.add(body.runId);
      requests++;
      if (requests > 100_000) throw new Error('the re-run was never served');
    }
    await runDone;
    expect(seen.has(rerun.runId)).toBe(true);
    expect((await runs.find(first.runId))!.status).toBe('superseded');
  });

  it('3. the writer killed after commit, before deleting its messages: redelivery changes nothing', async () => {
    start('ingest');
    start('models');
    // The writer's SQS calls go through a proxy that holds back its first
    // DeleteMessageBatch on the results queue, which it sends only after the
    // batch's transaction has committed, and kills the writer there instead.
    const resultsQueue = `/${env.queues.physicalName('results')}`;
    let crashing: AppProcess | undefined;
    const proxy = new SqsFailpointProxy(
      env.env.AWS_ENDPOINT_URL,
      (call) => call.action === 'DeleteMessageBatch' && (call.queueUrl?.endsWith(resultsQueue) ?? false),
      () => crashing?.child.kill('SIGKILL'),
    );
    await proxy.start();
    try {
      crashing = start('writer', { AWS_ENDPOINT_URL: proxy.endpoint });
      const writer = crashing;
      const trigger = newTrigger(data.dates[4], 1);
      await publisher.publish('trigger', [trigger]);
      const exit = await new Promise<string | null>((resolve) => writer.child.once('exit', (_code, signal) => resolve(signal)));
      expect(exit).toBe('SIGKILL');
      const committed = (await runs.find(trigger.runId))!.jobsDone;
      expect(committed).toBeGreaterThan(0);
      start('writer');
      await expectCleanRun(trigger);
    } finally {
      await proxy.stop();
    }
  });

  it('4. PostgreSQL unreachable for 20 s in the middle of a run: it completes as a clean run would', async () => {
    const proxy = new TcpProxy('127.0.0.1', Number(new URL(env.env.DATABASE_URL).port || 5432));
    await proxy.start();
    const viaProxy = new URL(env.env.DATABASE_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const database = { DATABASE_URL: viaProxy.toString() };
    const ingest = start('ingest', { ...database, LOG_LEVEL: 'debug' });
    start('models', database);
    start('writer', database);
    const trigger = newTrigger(data.dates[5], 1);
    try {
      await publisher.publish('trigger', [trigger]);
      await ingested(ingest, trigger.runId);
      proxy.cutOff();
      // The outage itself lasts a fixed time: that is the fault being injected, not a wait for work.
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      proxy.restore();
      await expectCleanRun(trigger);
      const dead = (await queueDepths(env.queues)).reduce((sum, q) => sum + q.deadLettered, 0);
      expect(dead).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('5. a poison job: dead-lettered, the run stays unpublished and stuck; after redrive it publishes', async () => {
    const ingest = start('ingest', { LOG_LEVEL: 'debug' });
    start('writer');
    const trigger = newTrigger(data.dates[6], 1);
    await publisher.publish('trigger', [trigger]);
    await ingested(ingest, trigger.runId);
    // Break one advertiser's partition (its byte range of the run's partitions object) before any models worker sees its jobs.
    const layout = new RunLayout(env.config.storage.runsPrefix);
    const key = layout.partitionsKey(trigger.runDate, trigger.runId, await runs.ingestAttempt(trigger.runId));
    const saved = Buffer.from(await env.store.getText(key), 'utf8');
    const range = await env.pool.query<{ offset: string; length: number }>(
      'SELECT partition_offset AS offset, partition_length AS length FROM run_jobs WHERE run_id = $1 AND advertiser_id = $2 LIMIT 1',
      [trigger.runId, data.activeAdvertisers[0]],
    );
    const broken = Buffer.from(saved);
    broken.fill('x', Number(range.rows[0].offset), Number(range.rows[0].offset) + range.rows[0].length);
    await env.store.upload(key, broken);
    const models = start('models', { LOG_LEVEL: 'debug' });
    // A job the models leave unacknowledged comes back after 5, 10, 20, 40, 80 s (the backoff of any failure): the DLQ after ~155 s.
    // SQS moves it there on its own, with no event a test can observe: checked each second and whenever the worker logs.
    await waitFor(
      async () => {
        const jobs = (await queueDepths(env.queues)).find((q) => q.queue === 'jobs')!;
        return jobs.deadLettered === 2 ? true : undefined;
      },
      'both jobs of the broken advertiser in the DLQ',
      { signals: [outputOf(models.child)], pollMs: 1000, timeoutMs: 240_000 },
    );
    // Stuck is a matter of elapsed time (no progress for 2 s here): nothing announces it, so it is polled.
    const stuck = await waitFor(
      async () => {
        const run = await new RunsRepository(env.pool, 2).find(trigger.runId);
        return run?.stuck ? run : undefined;
      },
      'the run to be reported stuck',
      { signals: [], pollMs: 1000 },
    );
    expect(stuck.status).toBe('running');
    expect(stuck.jobsDone).toBe(stuck.jobsTotal! - 2);
    expect(await env.pool.query('SELECT 1 FROM publications WHERE run_id = $1', [trigger.runId])).toMatchObject({ rowCount: 0 });

    await env.store.upload(key, saved);
    await redriveDeadLetters(env.queues, 'jobs');
    await expectCleanRun(trigger);
  }, 360_000);
});
