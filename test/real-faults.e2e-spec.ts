import { rm } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { Client } from 'pg';
import { newTrigger, TriggerMessage } from '@adrec/contracts';
import { createPool, RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { QueuePublisher, queueDepths } from '@adrec/messaging';
import { freePort } from '@adrec/runtime';
import { followRuns } from '../apps/cli/src/run-progress';
import { ProgressLine } from '../apps/cli/src/progress';
import { GeneratedData } from '../apps/cli/src/sample-data.generator';
import { AppProcess, startApp, stopApp } from './support/app-processes';
import { referenceLists } from './support/reference-lists';
import { expectStoredAsCleanRun } from './support/runs-helpers';
import { uploadSampleData } from './support/sample-data';
import { TcpProxy } from './support/tcp-proxy';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { jsonBody } from './support/json-body';
import { outputOf, waitFor } from './support/wait-for';

const VISIBILITY_TIMEOUT_SECONDS = 5;

/**
 * Faults as production meets them, each app in its own process: the
 * database server itself restarting (not a cut proxy), and S3 unreachable
 * from the models workers for longer than five visibility timeouts. The
 * PostgreSQL server is this file's own embedded one: the machine's shared
 * server is never restarted.
 */
describe('real faults: a PostgreSQL restart, an S3 outage', () => {
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
    env = await startTestEnvironment(
      { MODELS_BATCH_SIZE: '2', MODELS_CONCURRENCY: '1', VISIBILITY_TIMEOUT_SECONDS: String(VISIBILITY_TIMEOUT_SECONDS) },
      { ownPostgres: true },
    );
    runs = new RunsRepository(env.pool);
    publisher = new QueuePublisher(env.queues);
    ({ dataDir, data } = await uploadSampleData(env, {
      advertisers: 300,
      inactive: 20,
      productViews: 30_000,
      adEvents: 30_000,
      days: 3,
      endDate: '2022-04-14',
      seed: 23,
    }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(apps.map(stopApp));
    await env?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const expectCleanRun = (trigger: TriggerMessage) =>
    expectStoredAsCleanRun(env.pool, { dataDir, activeAdvertisers: data.activeAdvertisers.length }, trigger, 240_000);

  async function deadLettered(): Promise<number> {
    return (await queueDepths(env.queues)).reduce((sum, q) => sum + q.deadLettered, 0);
  }

  it('pg_ctl restart -m fast while results are being stored: every process carries on, the run publishes the lists of a clean run', async () => {
    const port = await freePort();
    const processes = [
      start('ingest'),
      start('models'),
      // At debug level the writer logs each result it is done with: the test checks the run's progress then.
      start('writer', { WRITER_CONCURRENCY: '2', LOG_LEVEL: 'debug' }),
      // At debug level the API logs when it listens and each cache reload, which the waits react to.
      start('api', { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'debug' }),
    ];
    await waitForApi(port, processes[3]);
    let writerLostConnection = false;
    processes[2].child.stdout?.on(
      'data',
      (chunk: Buffer) => (writerLostConnection ||= chunk.toString().includes('"msg":"database connection lost"')),
    );
    const trigger = newTrigger(data.dates[0], 1);
    // What `npm start` waits with: its own pool, polling the runs table through the restart.
    const supervisorPool = createPool(
      { url: env.env.DATABASE_URL, size: 2, ssl: false, applicationName: 'adrec-test-supervisor' },
      new JsonLogger('test'),
    );
    try {
      await publisher.publish('trigger', [trigger]);
      const followed = followRuns(
        new RunsRepository(supervisorPool),
        [trigger.runId],
        new ProgressLine(new PassThrough() as unknown as NodeJS.WriteStream),
      );
      // Mid-run: the writer has stored some results and has more to store.
      await waitFor(
        async () => {
          const run = await runs.find(trigger.runId);
          return run && run.jobsDone > 0 && run.jobsDone < run.jobsTotal! / 2 ? true : undefined;
        },
        'the writer to be storing results',
        { signals: [outputOf(processes[2].child)], timeoutMs: 120_000 },
      );
      // Hold the run's row so the writer's next transactions wait on it: the
      // restart then lands on connections that are checked out of the pool,
      // mid-query, which is what killed the writer.
      const holder = new Client({ connectionString: env.env.DATABASE_URL });
      holder.on('error', () => undefined);
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM runs WHERE run_id = $1 FOR UPDATE', [trigger.runId]);
      // A lock wait inside PostgreSQL announces itself nowhere: polled.
      await waitFor(
        async () => {
          const waiting = await env.pool.query(
            `SELECT 1 FROM pg_stat_activity WHERE application_name = 'adrec' AND wait_event_type = 'Lock' AND datname = current_database()`,
          );
          return waiting.rowCount! > 0 ? true : undefined;
        },
        'a writer transaction to wait on the run row',
        { signals: [], pollMs: 50 },
      );
      await env.postgres!.restart();
      await holder.end().catch(() => undefined);

      expect(await Promise.race([followed, anyExit(processes)])).toEqual({ published: [trigger.runDate], failed: [] });
      await expectCleanRun(trigger);
      expect(await deadLettered()).toBe(0);
      // The restart did land on the writer's checked-out connections (the case that killed it)...
      expect(writerLostConnection).toBe(true);
      // ...and nobody restarted a process: each one survived the restart.
      for (const app of processes)
        expect({ app: app.name, exitCode: app.child.exitCode, signal: app.child.signalCode }).toEqual({
          app: app.name,
          exitCode: null,
          signal: null,
        });
      // And the API serves the run published after the restart.
      const advertiserId = data.activeAdvertisers[0];
      // The API process reloads its cache on the writer's NOTIFY (or its check after reconnecting) and logs it at debug.
      const body = await waitFor(
        async () => {
          const response = await fetch(
            `http://127.0.0.1:${port}/recommendations/${advertiserId}/top_product?date=${trigger.runDate}`,
          ).catch(() => undefined);
          const answer =
            response?.status === 200
              ? await jsonBody<{ runId: string; items: { productId: string; views: number }[] }>(response)
              : undefined;
          return answer?.runId === trigger.runId ? answer : undefined;
        },
        'the API to serve the run published after the restart',
        { signals: [outputOf(processes[3].child)] },
      );
      expect(body.items.map(({ productId, views }) => ({ productId, views }))).toEqual(
        referenceLists(dataDir, trigger.runDate).get(advertiserId)!.top_product,
      );
    } finally {
      await Promise.all(apps.splice(0).map(stopApp));
      await supervisorPool.end();
    }
  }, 300_000);

  it('S3 unreachable from the models workers for 6 visibility timeouts: nothing is dead-lettered, the run completes as a clean run', async () => {
    const emulator = new URL(env.env.AWS_ENDPOINT_URL);
    const proxy = new TcpProxy(emulator.hostname, Number(emulator.port));
    await proxy.start();
    try {
      const ingest = start('ingest', { LOG_LEVEL: 'debug' });
      start('writer');
      const trigger = newTrigger(data.dates[1], 1);
      await publisher.publish('trigger', [trigger]);
      await waitFor(async () => ((await runs.find(trigger.runId))?.status === 'running' ? true : undefined), 'ingest to emit the jobs', {
        signals: [outputOf(ingest.child)],
        timeoutMs: 120_000,
      });
      // S3 goes away before the models workers read a partition; SQS stays up, so jobs keep being received and failing.
      proxy.cutOff();
      const models = start('models', { AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${proxy.port}`, MODELS_CONCURRENCY: '2' });
      await waitFor(
        () => Promise.resolve(models.output.some((chunk) => chunk.includes('job left for redelivery')) ? true : undefined),
        'jobs to fail on S3',
        { signals: [outputOf(models.child)] },
      );
      // The outage itself lasts a fixed time: that is the fault being injected, not a wait for work.
      await new Promise((resolve) => setTimeout(resolve, 6 * VISIBILITY_TIMEOUT_SECONDS * 1000));
      expect(await deadLettered()).toBe(0);
      proxy.restore();
      await expectCleanRun(trigger);
      expect(await deadLettered()).toBe(0);
    } finally {
      await Promise.all(apps.splice(0).map(stopApp));
      await proxy.stop();
    }
  }, 300_000);
});

/** Rejects, with the tail of its output, as soon as one of the processes exits: a fault test fails fast when an app dies. */
function anyExit(processes: AppProcess[]): Promise<never> {
  const exited = new Promise<never>((_resolve, reject) => {
    for (const app of processes) {
      app.child.once('exit', (code, signal) =>
        reject(new Error(`${app.name} exited (${signal ?? code}): ${app.output.slice(-3).join('')}`)),
      );
    }
  });
  exited.catch(() => undefined);
  return exited;
}

/** The API logs `listening` (at info and below) once it serves: checked whenever it logs. */
async function waitForApi(port: number, api: AppProcess): Promise<void> {
  await waitFor(
    async () => ((await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.ok ? true : undefined),
    'the API to start',
    { signals: [outputOf(api.child)] },
  );
}
