import { ChildProcess, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, stopProcess, waitForHttpOk } from '@adrec/runtime';
import { AppProcess, repositoryRoot, startApp, stopApp } from './support/app-processes';
import { CollectedSpan, OtlpCollector } from './support/otlp-collector';
import { waitForPublished } from './support/runs-helpers';
import { uploadSampleData } from './support/sample-data';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { jsonBody } from './support/json-body';
import { outputOf, waitFor } from './support/wait-for';
import { anyInstanceOf } from './support/matchers';

const RUN_DATE = '2022-04-14';
/** Six processes start at once on a shared machine; under load that takes a while. */
const STARTUP_MS = 180_000;
const SLOW_TEST_MS = 300_000;

/** The value of one sample of a Prometheus text exposition, chosen by name and a subset of its labels. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => present[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** `node dist/apps/cli/src/main.js <args>`, as the cli image runs it. */
function runCli(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [join(repositoryRoot(), 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

describe('every process can be seen: ops endpoints, metrics, and one trace per run', () => {
  let env: TestEnvironment;
  let collector: OtlpCollector;
  let dataDir: string;
  let activeAdvertisers: number;
  /** Each worker and the scheduler, with the base URL of its ops server. */
  const processes: { name: string; child: ChildProcess; ops: string; app?: AppProcess }[] = [];
  let api: AppProcess;
  let apiUrl: string;
  /** The run every test looks at: triggered by `adrec trigger`, published before the tests start. */
  let run: { code: number | null; output: string; runId: string };

  beforeAll(async () => {
    collector = await OtlpCollector.start();
    env = await startTestEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint });
    let data;
    ({ dataDir, data } = await uploadSampleData(env, { productViews: 4_000, adEvents: 6_000, days: 1, endDate: RUN_DATE, seed: 15 }));
    activeAdvertisers = data.activeAdvertisers.length;
    for (const name of ['ingest', 'models', 'writer'] as const) {
      const port = await freePort();
      const app = startApp(name, { ...env.env, METRICS_PORT: String(port) });
      processes.push({ name, child: app.child, ops: `http://127.0.0.1:${port}`, app });
    }
    const schedulerPort = await freePort();
    const scheduler = runCli(['schedule'], { ...env.env, METRICS_PORT: String(schedulerPort) });
    processes.push({ name: 'scheduler', child: scheduler.child, ops: `http://127.0.0.1:${schedulerPort}` });
    const apiPort = await freePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    const opsTargets = processes.map((p) => `${p.name}=${p.ops}`).join(',');
    api = startApp('api', { ...env.env, PORT: String(apiPort), HOST: '127.0.0.1', CONSOLE_OPS_TARGETS: opsTargets });
    for (const { child, ops } of processes) await waitForHttpOk(`${ops}/ready`, STARTUP_MS, child);
    await waitForHttpOk(`${apiUrl}/health`, STARTUP_MS, api.child);

    const cli = runCli(['trigger', '--date', RUN_DATE], env.env);
    const code = await new Promise<number | null>((resolve) => cli.child.once('exit', resolve));
    run = { code, output: cli.output(), runId: /triggered (\S+)/.exec(cli.output())?.[1] ?? '' };
    if (run.runId) await waitForPublished(env.pool, run.runId, STARTUP_MS);
  }, SLOW_TEST_MS);

  afterAll(async () => {
    await Promise.all([...processes.map((p) => stopProcess(p.child, 40_000)), api && stopApp(api)]);
    await env?.stop();
    await collector?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'every worker and the scheduler answer /health, /ready and /metrics on METRICS_PORT',
    async () => {
      for (const { name, child, ops } of processes) {
        await waitForHttpOk(`${ops}/ready`, STARTUP_MS, child);
        const ready = await jsonBody<unknown>(await fetch(`${ops}/ready`));
        expect({ name, ready }).toMatchObject({ name, ready: { status: 'ready', draining: false, checks: { sqs: 'ok', startup: 'ok' } } });
        const health = await fetch(`${ops}/health`);
        expect({ name, status: health.status }).toEqual({ name, status: 200 });
        expect(await jsonBody<unknown>(health)).toMatchObject({ status: 'ok', problems: [] });
        const metrics = await fetch(`${ops}/metrics`);
        expect(metrics.headers.get('content-type')).toContain('text/plain');
        const text = await metrics.text();
        expect({ name, buildInfo: sample(text, 'adrec_build_info', { version: '0.1.0' }) }).toEqual({ name, buildInfo: 1 });
        expect((await fetch(`${ops}/nothing-here`)).status).toBe(404);
      }
      // The workers that use PostgreSQL check it too; models never connects to it.
      const checks = async (name: string) =>
        (await jsonBody<{ checks: object }>(await fetch(`${processes.find((p) => p.name === name)!.ops}/ready`))).checks;
      expect(await checks('ingest')).toHaveProperty('postgres', 'ok');
      expect(await checks('writer')).toHaveProperty('postgres', 'ok');
      expect(await checks('models')).not.toHaveProperty('postgres');
      // A consumer that polls reports it. Polls are not logged: the metric is polled.
      await waitFor(
        async () => {
          const text = await (await fetch(`${processes[0].ops}/metrics`)).text();
          return sample(text, 'adrec_consumer_last_poll_timestamp_seconds', { queue: 'trigger' }) ? true : undefined;
        },
        'ingest to report a poll',
        { signals: [], pollMs: 200 },
      );
    },
    SLOW_TEST_MS,
  );

  it(
    'one run is one trace: the CLI trigger, ingest, every model job, every result and the publication',
    async () => {
      expect({ code: run.code, output: run.output }).toMatchObject({ code: 0 });
      const runId = run.runId;
      const jobs = activeAdvertisers * 2;

      const ofRun = (span: CollectedSpan) => span.attributes['adrec.run_id'] === runId;
      const spans = await waitFor(
        () => {
          const found = collector.spans.filter(ofRun);
          const count = (name: string) => found.filter((span) => span.name === name).length;
          return count('process jobs') >= jobs && count('process results') >= jobs && count('publish run') === 1 ? found : undefined;
        },
        'every span of the run to reach the collector',
        { signals: [collector.signal], timeoutMs: STARTUP_MS },
      );

      const traceIds = new Set(spans.map((span) => span.traceId));
      expect(traceIds.size).toBe(1);
      expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['adrec-cli', 'adrec-ingest', 'adrec-models', 'adrec-writer']));

      const byId = new Map(spans.map((span) => [span.spanId, span]));
      const [root] = spans.filter((span) => span.name === 'trigger run');
      expect(root).toMatchObject({ service: 'adrec-cli', parentSpanId: undefined });
      const [ingest] = spans.filter((span) => span.name === 'process trigger');
      expect(ingest).toMatchObject({ service: 'adrec-ingest', parentSpanId: root.spanId });
      const jobSpans = spans.filter((span) => span.name === 'process jobs');
      for (const job of jobSpans) expect(job).toMatchObject({ service: 'adrec-models', parentSpanId: ingest.spanId });
      // Both models of every active advertiser, each its own span.
      expect(
        new Set(jobSpans.map((job) => `${String(job.attributes['adrec.advertiser_id'])}/${String(job.attributes['adrec.model'])}`)).size,
      ).toBe(jobs);
      const resultSpans = spans.filter((span) => span.name === 'process results');
      for (const result of resultSpans) {
        const parent = byId.get(result.parentSpanId!);
        expect(parent).toMatchObject({
          name: 'process jobs',
          attributes: { 'adrec.advertiser_id': result.attributes['adrec.advertiser_id'], 'adrec.model': result.attributes['adrec.model'] },
        });
      }
      const [publication] = spans.filter((span) => span.name === 'publish run');
      expect(publication.service).toBe('adrec-writer');
      expect(byId.get(publication.parentSpanId!)?.name).toBe('process results');
    },
    SLOW_TEST_MS,
  );

  it('counts messages, queue time, lines read, run stages and the last publication', async () => {
    const metrics = async (name: string) => (await fetch(`${processes.find((p) => p.name === name)!.ops}/metrics`)).text();
    const jobs = activeAdvertisers * 2;
    const ingest = await metrics('ingest');
    expect(sample(ingest, 'adrec_messages_handled_total', { queue: 'trigger', outcome: 'done' })).toBe(1);
    expect(sample(ingest, 'adrec_message_queue_time_seconds_count', { queue: 'trigger' })).toBe(1);
    expect(sample(ingest, 'adrec_ingest_lines_read_total', { dataset: 'product_views' })).toBe(4_000);
    expect(sample(ingest, 'adrec_ingest_lines_read_total', { dataset: 'ads_views' })).toBe(6_000);
    expect(sample(ingest, 'adrec_ingest_bad_lines_total', { reason: 'wrong_field_count' })).toBe(0);
    const models = await metrics('models');
    expect(sample(models, 'adrec_messages_handled_total', { queue: 'jobs', outcome: 'done' })).toBe(jobs);
    expect(sample(models, 'adrec_message_handling_duration_seconds_count', { queue: 'jobs' })).toBe(jobs);
    const writer = await metrics('writer');
    expect(sample(writer, 'adrec_messages_handled_total', { queue: 'results', outcome: 'done' })).toBe(jobs);
    expect(sample(writer, 'adrec_run_stage_duration_seconds_count', { stage: 'total' })).toBe(1);
    expect(sample(writer, 'adrec_runs_completed_total', { outcome: 'published' })).toBe(1);
    const published = sample(writer, 'adrec_run_last_published_timestamp_seconds')!;
    expect(Math.abs(published - Date.now() / 1000)).toBeLessThan(120);
  });

  it('an invalid message is counted as invalid, and its trace context follows it to the DLQ', async () => {
    const { SendMessageCommand, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await env.queues.sqs.send(
      new SendMessageCommand({
        QueueUrl: await env.queues.url('jobs'),
        MessageBody: '{"runId":"not a job"}',
        MessageAttributes: { traceparent: { DataType: 'String', StringValue: traceparent } },
      }),
    );
    const models = processes.find((p) => p.name === 'models')!;
    // Models logs the invalid message (a warning) after counting it.
    await waitFor(
      async () => {
        const text = await (await fetch(`${models.ops}/metrics`)).text();
        return sample(text, 'adrec_messages_handled_total', { queue: 'jobs', outcome: 'invalid' }) === 1 ? true : undefined;
      },
      'models to count the invalid job',
      { signals: [outputOf(models.child)] },
    );
    // It is in the DLQ before it is counted: one receive finds it.
    const response = await env.queues.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: await env.queues.url('jobs', true), MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }),
    );
    const dead = response.Messages?.[0];
    expect(dead?.MessageAttributes?.traceparent?.StringValue).toBe(traceparent);
    expect(dead?.MessageAttributes?.['adrec-error']?.StringValue).toBeTruthy();
  });

  it("API requests are spans, children of the caller's traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${apiUrl}/runs?limit=1`, {
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'req-observability-1' },
    });
    expect(response.status).toBe(200);
    const span = await waitFor(() => Promise.resolve(collector.spans.find((s) => s.traceId === traceId)), 'the API request span', {
      signals: [collector.signal],
    });
    expect(span).toMatchObject({
      service: 'adrec-api',
      name: 'GET /runs',
      parentSpanId: '00f067aa0ba902b7',
      attributes: { 'http.response.status_code': 200, 'adrec.request_id': 'req-observability-1' },
    });
  });

  it("the console's health strip shows each process's readiness and last poll, the queues and the last publication", async () => {
    const response = await fetch(`${apiUrl}/console/api/health`);
    expect(response.status).toBe(200);
    const strip = await jsonBody<{
      processes: { name: string; ready: boolean; live: boolean; lastPollAt: string | null }[];
      queues: { queue: string; visible: number; lastWaitSeconds: number | null }[];
      secondsSinceLastPublication: number | null;
    }>(response);
    expect(strip.processes.map((p) => [p.name, p.ready, p.live])).toEqual([
      ['ingest', true, true],
      ['models', true, true],
      ['writer', true, true],
      ['scheduler', true, true],
    ]);
    for (const p of strip.processes.filter((p) => p.name !== 'scheduler'))
      expect(Date.parse(p.lastPollAt!)).toBeGreaterThan(Date.now() - 120_000);
    expect(strip.queues?.map((q) => q.queue)).toEqual(['trigger', 'jobs', 'results']);
    expect(strip.queues?.find((q) => q.queue === 'jobs')?.lastWaitSeconds).toEqual(anyInstanceOf(Number));
    expect(strip.secondsSinceLastPublication).toBeLessThan(300);
    const page = await (await fetch(`${apiUrl}/console`)).text();
    expect(page).toContain('id="health-strip"');
    expect((await fetch(`${apiUrl}/console/assets/console-health.js`)).status).toBe(200);
  });

  it('a worker is not ready while it drains, then exits 0', async () => {
    // A models worker and a scheduler of its own: the other tests' processes keep running.
    const modelsPort = await freePort();
    const models = startApp('models', { ...env.env, METRICS_PORT: String(modelsPort) });
    const schedulerPort = await freePort();
    const scheduler = runCli(['schedule'], { ...env.env, METRICS_PORT: String(schedulerPort) });
    const draining = [
      { name: 'models', child: models.child, ops: `http://127.0.0.1:${modelsPort}` },
      { name: 'scheduler', child: scheduler.child, ops: `http://127.0.0.1:${schedulerPort}` },
    ];
    try {
      for (const { child, ops } of draining) await waitForHttpOk(`${ops}/ready`, STARTUP_MS, child);
      for (const { name, child, ops } of draining) {
        const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        // A draining worker finishes its long poll (up to 5 s) before it exits; the scheduler stops at once.
        const answer = await fetch(`${ops}/ready`).then(
          async (r) => ({ status: r.status, body: await jsonBody<unknown>(r) }),
          () => undefined,
        );
        if (name === 'models') expect(answer).toMatchObject({ status: 503, body: { status: 'not ready', draining: true } });
        else if (answer) expect(answer.status).toBe(503);
        expect(await exit).toBe(0);
      }
    } finally {
      // Nothing left running if an assertion failed before its SIGTERM.
      await Promise.all(draining.map(({ child }) => stopProcess(child, 40_000)));
    }
  });
});
