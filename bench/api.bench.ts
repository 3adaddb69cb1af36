import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ModelResultMessage } from '@adrec/contracts';
import { RunsRepository } from '@adrec/database';
import { freePort, stopProcess, waitForHttpOk } from '@adrec/runtime';
import { createRandom, randomId } from '../apps/cli/src/sample-data.generator';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { AppProcess, repositoryRoot, startApp, stopApp } from '../test/support/app-processes';
import { seededPartitions } from '../test/support/runs-helpers';
import { startTestEnvironment, TestEnvironment } from '../test/support/test-environment';
import { ProfileSummary, summarizeCpuProfile } from './support/cpu-profile-summary';
import { CallgrindProcess, ensureValgrind, InstructionCount } from './support/callgrind';
import { ensurePerf, PerfSummary, removePerfMaps, startPerf, summarizePerf } from './support/perf-profile';
import {
  ensureWrk,
  HEADER,
  jsonOf,
  LoadShape,
  measure,
  Measurement,
  median,
  medianOf,
  percent,
  pinCores,
  pinServer,
  progress,
  round2,
  round3,
  row,
  startWrk,
  table,
} from './support/wrk-load';

/**
 * Issue 14 benchmark (`npm run bench:api`): the adrec API, started as in
 * production (its own process from dist/, production configuration), against
 * a bare Fastify server answering the same route with the same bytes from a
 * Map (bench/bare-server.ts, its own process too), both loaded in the same run
 * by wrk — a C load generator, so the load generator is not what caps them.
 * A third server, the same bare Fastify server sending the API's security and
 * CORS headers and giving each request an id as the API does, shows what
 * those features cost on their own.
 *
 *   npm run bench:api -- [--duration 10] [--warmup 2] [--rounds 3] [--connections 100] [--threads 1]
 *                        [--paths 40] [--advertisers 2000] [--items 20] [--dates 7] [--batch 500]
 *                        [--rate-limit 1000000000] [--profile DIR] [--perf DIR] [--callgrind DIR] [--node-flags "--flag ..."]
 *                        [--no-pin]
 *
 * 1. Seeds `--dates` published runs (2,000 advertisers × 2 models each by
 *    default) through the writer's real storing and publication path.
 * 2. Rounds of /recommendations, the three servers one after another (the
 *    order rotates every round), `--paths` distinct lists cycled in a shuffled
 *    order: figures are medians over the rounds, ratios the median of each
 *    round's adrec/bare.
 * 3. Under the same load, adrec alone: /history/{advertiserId} over as many
 *    advertisers, and /stats.
 * 4. /recommendations again while a new run of the latest date is published
 *    (seeded and committed through the writer's path during the load): p99 over
 *    the swap, wrk's errors, and a client that checks every answer is exactly
 *    the old run's body or the new run's, never anything else.
 *
 * `--profile DIR` runs only step 2, with both servers under `node --cpu-prof`,
 * and prints where each spent its CPU (self time by package and by function).
 * `--perf DIR` adds, after the rounds, one more run of each server under Linux
 * `perf` and prints each one's CPU per request by kernel, Node's binary and
 * JavaScript, and the functions where adrec spends more than bare Fastify
 * (bench/support/perf-profile.ts; perf is installed with apt-get when missing).
 * `--callgrind DIR` adds, after the rounds, one more run of each server under
 * valgrind's callgrind and prints the instructions each executes per request,
 * and the functions (JavaScript named from node's perf map) where adrec
 * executes more than bare Fastify: a measure the machine's noise does not
 * move (bench/support/callgrind.ts; valgrind is installed with apt-get when
 * missing).
 * `--node-flags` starts the servers with extra node flags, to try a setting.
 *
 * On a machine of two or more cores, wrk runs on the first and every server
 * on the second (bench/support/wrk-load.ts, `pinCores`): each server is
 * measured on the same one core, and the scheduler cannot put wrk beside it.
 * `--no-pin` leaves them to the scheduler.
 *
 * The API's configuration is the images': LOG_LEVEL=info, NODE_ENV=production,
 * security headers, CORS (`*`), metrics, and the per-address rate limiter on.
 * All the load comes from one address, so the limiter's budget
 * (RATE_LIMIT_PER_MINUTE) is set high enough never to refuse: its count still
 * runs on every request. Any non-2xx or error fails the targets: fast error
 * answers would inflate req/s. wrk is installed with apt-get when missing.
 *
 * Progress goes to stderr; the tables and, as the very last line, one JSON
 * object go to stdout (`npm run -s bench:api | tail -1 | jq`).
 */

const MODELS = ['top_ctr', 'top_product'] as const;
type Model = (typeof MODELS)[number];
const LATEST_DATE = '2026-11-22';
/** What the images set (docker/Dockerfile, docker/compose.yaml, infra/). */
const PRODUCTION_ENV = { LOG_LEVEL: 'info', NODE_ENV: 'production' };
/** Load before the new run starts being stored, and after the API serves it. */
const SWAP_MARGIN_MS = 1000;

interface Options extends LoadShape {
  rounds: number;
  paths: number;
  advertisers: number;
  items: number;
  dates: number;
  batch: number;
  rateLimit: number;
  profile?: string;
  perf?: string;
  callgrind?: string;
  /** Extra node flags for both servers' processes (e.g. `--max-semi-space-size=16`), to try a setting on both. */
  nodeFlags: string[];
  /** Pin wrk and the servers to a core each (`--no-pin`: don't). */
  pin: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    duration: 10,
    warmup: 2,
    rounds: 3,
    connections: 100,
    threads: 1,
    paths: 40,
    advertisers: 2000,
    items: 20,
    dates: 7,
    batch: 500,
    rateLimit: 1_000_000_000,
    nodeFlags: [],
    pin: true,
  };
  const known = [...Object.keys(options).filter((key) => key !== 'pin'), 'profile', 'perf', 'callgrind', 'noPin'];
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    const name = match?.[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!name || !known.includes(name)) {
      throw new Error(
        `unknown argument ${argv[i]}; known: ${known.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(' ')}`,
      );
    }
    if (name === 'noPin') {
      options.pin = false;
      continue;
    }
    const key = name as Exclude<keyof Options, 'pin' | 'pinning'>;
    const raw = match![2] ?? argv[++i];
    if (key === 'profile' || key === 'perf' || key === 'callgrind') {
      if (!raw) throw new Error(`--${key} needs a directory`);
      options[key] = resolve(raw);
      continue;
    }
    if (key === 'nodeFlags') {
      options.nodeFlags = (raw ?? '').split(/\s+/).filter(Boolean);
      continue;
    }
    const value = Number(raw);
    const minimum = key === 'warmup' || key === 'rateLimit' ? 0 : 1;
    if (!Number.isInteger(value) || value < minimum) throw new Error(`--${match![1]} needs an integer ≥ ${minimum}, got ${raw}`);
    options[key] = value;
  }
  if (options.paths > options.advertisers * MODELS.length) {
    throw new Error(`--paths ${options.paths} is more than the ${options.advertisers * MODELS.length} lists seeded`);
  }
  return options;
}

function advertiserIds(count: number): string[] {
  const random = createRandom(20261122);
  const ids = new Set<string>();
  while (ids.size < count) ids.add(randomId(random, 20, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'));
  return [...ids];
}

function shuffled<T>(values: readonly T[], seed: number): T[] {
  const random = createRandom(seed);
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** The date `days` before `date`, as YYYY-MM-DD. */
function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A plausible ranked list: views descending for top_product, ctr then clicks descending for top_ctr. */
function resultOf(
  runId: string,
  runDate: string,
  advertiserId: string,
  model: Model,
  items: number,
  random: () => number,
): ModelResultMessage {
  const products = new Set<string>();
  while (products.size < items) products.add(randomId(random, 6, 'abcdefghijklmnopqrstuvwxyz0123456789'));
  const ids = [...products];
  const list =
    model === 'top_product'
      ? ids.map((productId) => ({ productId, views: 1 + Math.floor(random() * 500) })).sort((a, b) => b.views - a.views)
      : ids
          .map((productId) => {
            const impressions = 1 + Math.floor(random() * 200);
            return { productId, clicks: Math.floor(random() * (impressions + 1)), impressions };
          })
          .sort((a, b) => b.clicks * a.impressions - a.clicks * b.impressions || b.clicks - a.clicks);
  return {
    runId,
    runDate,
    advertiserId,
    model,
    resultKey: `runs/${runDate}/${runId}/results/${model}/${advertiserId}.json`,
    items: list,
    clicksWithoutImpressions: 0,
  };
}

/** Publishes one run through the writer's own path: register, ingest done, results in batches. */
async function publishRun(
  env: TestEnvironment,
  advertisers: string[],
  runDate: string,
  runId: string,
  seed: number,
  options: Options,
): Promise<void> {
  const runs = new RunsRepository(env.pool);
  const writer = new ResultsRepository(env.pool);
  await runs.register({ runId, runDate, windowDays: 1, triggeredAt: new Date() });
  await runs.completeIngest(runId, { partitions: seededPartitions(advertisers), models: [...MODELS], inputCounts: {}, badLines: {} });
  const random = createRandom(seed);
  const results = advertisers.flatMap((id) => MODELS.map((model) => resultOf(runId, runDate, id, model, options.items, random)));
  let published = false;
  for (let i = 0; i < results.length; i += options.batch) {
    const outcome = await writer.storeResults(results.slice(i, i + options.batch));
    published ||= outcome.completed.some((run) => run.runId === runId && run.published);
  }
  const run = await runs.find(runId);
  if (!published || run?.status !== 'published') throw new Error(`run ${runId} was not published (status ${run?.status})`);
}

/**
 * Where adrec costs more than bare Fastify: per function, adrec's figure
 * minus bare's (0 where bare has none), the `top` largest first.
 */
function moreThanBare(adrec: Map<string, number>, bare: Map<string, number>, top: number): { name: string; extra: number }[] {
  return [...adrec]
    .map(([name, value]) => ({ name, extra: value - (bare.get(name) ?? 0) }))
    .sort((a, b) => b.extra - a.extra)
    .slice(0, top);
}

/** Unmeasured load before counting: valgrind runs a server tens of times slower, so its JIT needs longer to warm up. */
const CALLGRIND_WARMUP_SECONDS = 30;
/**
 * Counted load, whatever `--duration` says: each wrk run opens and closes its
 * connections and the JIT may still compile something, fixed costs that need
 * thousands of requests to fade (3 s counted about 300 requests under
 * valgrind and came out at twice the instructions per request of 10 s).
 */
const CALLGRIND_COUNT_SECONDS = 20;

/**
 * Where a request's instructions go, for `--callgrind`: functions too large
 * for V8 to inline into their callers, each counted with all it calls, found
 * by the name node's perf map gives their JIT code (any tier).
 */
const INSTRUCTION_STAGES: { label: string; pattern: RegExp }[] = [
  { label: 'a request in JavaScript (parserOnIncoming)', pattern: /'parserOnIncoming node:_http_server:/ },
  { label: '  in Fastify: routing, hooks, handler (preRouting)', pattern: /'preRouting \S*\/fastify\/fastify\.js:/ },
  { label: "    route's schema validation", pattern: /'validate \S*\/fastify\/lib\/validation\.js:/ },
  { label: "    header block (Node's writeHead)", pattern: /'writeHead node:_http_server:/ },
  { label: "    writing the answer (Node's end)", pattern: /'end node:_http_outgoing:/ },
  { label: 'onResponse hooks, after the answer (onResFinished)', pattern: /onResFinished \S*\/fastify\/lib\/reply\.js:/ },
];

/** The instructions per request of each stage in one count (0 where the server has no such function). */
function stageInstructions(count: InstructionCount & { requests: number }): number[] {
  return INSTRUCTION_STAGES.map(({ pattern }) => {
    let sum = 0;
    for (const [name, instructions] of count.inclusive) if (pattern.test(name)) sum += instructions;
    return sum / count.requests;
  });
}

/**
 * `--callgrind DIR`: each server started once more under callgrind, warmed
 * up, then counted over one run of the same load: instructions per request,
 * and the functions where adrec executes more than bare Fastify.
 * A command's `PORT` is replaced by the server's port, which is also in its
 * environment as PORT.
 */
async function countInstructions(
  dir: string,
  options: Options,
  pathsFile: string,
  cleanups: { what: string; run: () => Promise<unknown> }[],
  servers: { name: string; command: string[]; env?: Record<string, string> }[],
): Promise<{ text: string; json: Record<string, unknown> }> {
  ensureValgrind();
  await mkdir(dir, { recursive: true });
  const counts: (InstructionCount & { requests: number })[] = [];
  const firstPath = (await readFile(pathsFile, 'utf8')).split('\n')[0];
  for (const server of servers) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const outFile = join(dir, `${server.name.replace(/\W+/g, '-')}.callgrind`);
    progress(`${server.name} under callgrind → ${outFile}.*: starting (valgrind makes it slow)`);
    // --perf-basic-prof: node writes a map of its JIT code, from which the count names JavaScript functions.
    const [node, ...args] = server.command.map((arg) => (arg === 'PORT' ? String(port) : arg));
    const counted = new CallgrindProcess(outFile, [node, '--perf-basic-prof', ...args], {
      PATH: process.env.PATH ?? '',
      METRICS_PORT: '0',
      ...server.env,
      PORT: String(port),
    });
    const child = counted.child;
    cleanups.push({ what: `${server.name}'s perf map`, run: () => removePerfMaps([child.pid!]) });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
    const stop = () => stopProcess(child, 60_000);
    cleanups.push({ what: `${server.name} under callgrind`, run: stop });
    pinServer(options.pinning, child.pid!);
    await waitForHttpOk(base + firstPath, 600_000, child).catch((error) => {
      throw new Error(`${(error as Error).message}\n${output}`);
    });
    progress(`  warming up for ${CALLGRIND_WARMUP_SECONDS} s, not counting`);
    await startWrk(base, pathsFile, CALLGRIND_WARMUP_SECONDS, options, child).result;
    counted.instrumentationOn();
    const load = await startWrk(base, pathsFile, CALLGRIND_COUNT_SECONDS, options, child).result;
    const count = await counted.dump();
    counts.push({ ...count, requests: load.requests });
    progress(`  ${load.requests} requests counted: ${Math.round(count.instructions / load.requests)} instructions per request`);
    await stop();
  }
  const perRequest = counts.map((count) => count.instructions / count.requests);
  const [bare, , adrec] = counts.map((count) => new Map(count.byFunction.map((fn) => [fn.name, fn.instructions / count.requests])));
  const extra = moreThanBare(adrec, bare, 20);
  const stages = counts.map(stageInstructions);
  const text =
    `\nInstructions per request (callgrind, user space only, ${CALLGRIND_COUNT_SECONDS} s of the same load per server after ${CALLGRIND_WARMUP_SECONDS} s uncounted):\n\n` +
    table([
      ['', ...servers.map((server) => server.name)],
      ['instructions per request', ...perRequest.map((n) => String(Math.round(n)))],
      ['bare / this server', ...perRequest.map((n) => percent(perRequest[0] / n))],
    ]) +
    `\n\nwhere they go, per request (a function with all it calls; the rest is the event loop, the socket and the HTTP parser in C++, GC and the JIT):\n\n` +
    table([
      ['', ...servers.map((server) => server.name)],
      ...INSTRUCTION_STAGES.map(({ label }, i) => [label, ...stages.map((perStage) => String(Math.round(perStage[i])))]),
    ]) +
    `\n\nwhere adrec executes more instructions than bare Fastify, per request:\n` +
    extra.map((fn) => `  ${String(Math.round(fn.extra)).padStart(7)}  ${fn.name.slice(0, 140)}`).join('\n') +
    '\n';
  const json = {
    instructionsPerRequest: Object.fromEntries(servers.map((server, i) => [server.name, Math.round(perRequest[i])])),
    ratio: round3(perRequest[0] / perRequest[2]),
    withHeadersRatio: round3(perRequest[0] / perRequest[1]),
    requestsCounted: Object.fromEntries(servers.map((server, i) => [server.name, counts[i].requests])),
    stages: Object.fromEntries(
      INSTRUCTION_STAGES.map(({ label }, i) => [
        label.trim(),
        Object.fromEntries(servers.map((server, j) => [server.name, Math.round(stages[j][i])])),
      ]),
    ),
  };
  return { text, json };
}

/** Every body the adrec API serves for the paths, fetched once, a few at a time. */
async function fetchBodies(base: string, paths: string[]): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  let next = 0;
  const fetchNext = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++];
      const response = await fetch(base + path);
      const body = await response.text();
      if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body}`);
      bodies.set(path, body);
    }
  };
  await Promise.all(Array.from({ length: 16 }, fetchNext));
  return bodies;
}

/** One GET that must answer 200; returns how long it took, seconds. */
async function timedGet(url: string): Promise<number> {
  const begun = Date.now();
  const response = await fetch(url);
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
  return (Date.now() - begun) / 1000;
}

interface SwapOutcome {
  load: Measurement;
  /** From the new run's first stored batch until the API served it. */
  swapSeconds: number;
  /** The checking client's answers: the old run's body, the new run's, anything else (must be 0). */
  checked: { old: number; new: number; other: number };
}

/**
 * /recommendations under load while a new run of the latest date is stored
 * and published; wrk is stopped one second after the API serves the new run.
 */
async function measureSwap(
  env: TestEnvironment,
  api: AppProcess,
  base: string,
  pathsFile: string,
  probePath: string,
  advertisers: string[],
  options: Options,
): Promise<SwapOutcome> {
  const oldBody = await (await fetch(base + probePath)).text();
  const newRunId = `${LATEST_DATE}-bench-swap`;
  const checked = { old: 0, new: 0, other: 0 };
  let newBody: string | undefined;
  let servedNewAt: number | undefined;
  let checking = true;
  const checker = (async () => {
    while (checking) {
      let response: Response;
      let body: string;
      try {
        response = await fetch(base + probePath);
        body = await response.text();
      } catch (error) {
        checked.other++;
        progress(`  swap: request failed: ${(error as Error).message}`);
        continue;
      }
      if (response.status === 200 && body === oldBody) checked.old++;
      else if (
        response.status === 200 &&
        (body === newBody || (newBody === undefined && (JSON.parse(body) as { runId?: string }).runId === newRunId))
      ) {
        newBody ??= body;
        servedNewAt ??= Date.now();
        checked.new++;
      } else {
        checked.other++;
        progress(`  swap: unexpected answer ${response.status} ${body.slice(0, 200)}`);
      }
    }
  })();
  const wrk = startWrk(base, pathsFile, 600, options, api.child);
  try {
    // A second of steady load before and after: the measured window holds the swap and the load around it.
    await new Promise((r) => setTimeout(r, SWAP_MARGIN_MS));
    const swapStart = Date.now();
    await publishRun(env, advertisers, LATEST_DATE, newRunId, 99, options);
    const deadline = Date.now() + 60_000;
    while (servedNewAt === undefined) {
      if (Date.now() > deadline) throw new Error(`the API did not serve ${newRunId} within 60 s of its publication`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, SWAP_MARGIN_MS));
    wrk.stop();
    const load = await wrk.result;
    checking = false;
    await checker;
    return { load, swapSeconds: (servedNewAt - swapStart) / 1000, checked };
  } finally {
    checking = false;
    wrk.stop();
  }
}

/** The newest `.cpuprofile` in `dir` written by process `pid` (node names them CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile). */
async function profileOf(dir: string, pid: number): Promise<string | undefined> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile') && name.split('.')[3] === String(pid));
  const dated = await Promise.all(files.map(async (name) => ({ name, at: (await stat(join(dir, name))).mtimeMs })));
  const newest = dated.sort((a, b) => b.at - a.at)[0];
  return newest && join(dir, newest.name);
}

function profileText(name: string, file: string, summary: ProfileSummary): string {
  return (
    `\n${name}, during the measured runs: ${file}\n  busy ${summary.busySeconds.toFixed(1)} s, idle ${percent(summary.idleShare)} of the time; self time of the busy time:\n` +
    summary.byOrigin.map((s) => `    ${percent(s.share)}  ${s.name}`).join('\n') +
    '\n  by function:\n' +
    summary.byFunction.map((s) => `    ${percent(s.share)}  ${s.name}`).join('\n') +
    '\n'
  );
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const { what, run } of cleanups.reverse()) {
        progress(`stopping ${what}`);
        await run().catch((error) => progress(`  stopping ${what} failed: ${(error as Error).message}`));
      }
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    progress(`${signal}: stopping everything`);
    void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const wrkVersion = ensureWrk();
    progress(`wrk ${wrkVersion}; starting PostgreSQL database and fauxqs`);
    const env = await startTestEnvironment();
    cleanups.push({ what: 'test environment (database, fauxqs)', run: () => env.stop() });

    const advertisers = advertiserIds(options.advertisers);
    for (let day = options.dates - 1; day >= 0; day--) {
      const runDate = daysBefore(LATEST_DATE, day);
      await publishRun(env, advertisers, runDate, `${runDate}-bench`, 7 + day, options);
      progress(`published ${runDate}: ${options.advertisers} advertisers × ${MODELS.length} models, ${options.items} items each`);
    }

    // After seeding, so that the database and the emulator started above keep every core.
    options.pinning = pinCores(options.pin);
    const workDir = await mkdtemp(join(tmpdir(), 'adrec-bench-'));
    cleanups.push({ what: 'temporary files', run: () => rm(workDir, { recursive: true, force: true }) });
    if (options.profile) await mkdir(options.profile, { recursive: true });
    if (options.perf) {
      ensurePerf();
      await mkdir(options.perf, { recursive: true });
    }
    const nodeArgs = [
      ...options.nodeFlags,
      ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', options.profile] : []),
      // Names JIT-compiled JavaScript for perf (a map file in /tmp per process, removed at the end).
      ...(options.perf ? ['--perf-basic-prof'] : []),
    ];

    const apiPort = await freePort();
    const apiBase = `http://127.0.0.1:${apiPort}`;
    progress(`starting the adrec API (dist/apps/api/src/main.js) on ${apiBase}${options.profile ? ' under --cpu-prof' : ''}`);
    const apiEnv = { ...env.env, ...PRODUCTION_ENV, HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: String(options.rateLimit) };
    const api = startApp('api', { ...apiEnv, PORT: String(apiPort) }, nodeArgs);
    cleanups.push({ what: 'adrec API', run: () => stopApp(api) });
    pinServer(options.pinning, api.child.pid!);
    await waitForHttpOk(`${apiBase}/ready`, 60_000, api.child).catch((error) => {
      throw new Error(`${(error as Error).message}\n${api.output.join('')}`);
    });

    const allPaths = advertisers.flatMap((id) => MODELS.map((model) => `/recommendations/${id}/${model}`));
    const bodies = await fetchBodies(apiBase, allPaths);
    const bodiesFile = join(workDir, 'bodies.json');
    await writeFile(bodiesFile, JSON.stringify(Object.fromEntries(bodies)));
    /** bench/bare-server.ts in a process of its own, answering once it serves the first path. */
    const startBareServer = async (what: string, extraArgs: string[]) => {
      const port = await freePort();
      const child = spawn(process.execPath, [...nodeArgs, join(__dirname, 'bare-server.js'), bodiesFile, String(port), ...extraArgs], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      cleanups.push({ what, run: () => stopProcess(child, 10_000) });
      pinServer(options.pinning, child.pid!);
      const base = `http://127.0.0.1:${port}`;
      await waitForHttpOk(`${base}${allPaths[0]}`, 30_000, child);
      return { base, child };
    };
    const { base: bareBase, child: bare } = await startBareServer('bare Fastify server', []);

    // The API's own security and CORS headers, as it sent them, for the third server.
    const perResponse = new Set(['content-length', 'content-type', 'date', 'connection', 'keep-alive', 'transfer-encoding']);
    const apiHeaders = Object.fromEntries([...(await fetch(apiBase + allPaths[0])).headers].filter(([name]) => !perResponse.has(name)));
    const headersFile = join(workDir, 'headers.json');
    await writeFile(headersFile, JSON.stringify(apiHeaders));
    const { base: withHeadersBase, child: withHeaders } = await startBareServer('bare Fastify server with headers', [headersFile]);

    const paths = shuffled(allPaths, 14).slice(0, options.paths);
    const pathsFile = join(workDir, 'recommendations.txt');
    await writeFile(pathsFile, paths.join('\n') + '\n');
    for (const path of [paths[0], paths[paths.length - 1]]) {
      const [a, ...others] = await Promise.all(
        [apiBase, bareBase, withHeadersBase].map((base) => fetch(base + path).then((r) => r.text())),
      );
      if (others.some((body) => body !== a)) throw new Error(`the bare servers' and adrec's bodies differ for ${path}`);
    }
    progress(
      `bare Fastify server on ${bareBase}, with the API's ${Object.keys(apiHeaders).length} security/CORS headers on ${withHeadersBase} ` +
        `(bodies byte-identical); ${paths.length} paths`,
    );

    const servers = [
      { name: 'bare fastify', base: bareBase, process: bare, runs: [] as Measurement[] },
      { name: 'fastify + headers', base: withHeadersBase, process: withHeaders, runs: [] as Measurement[] },
      { name: 'adrec api', base: apiBase, process: api.child, runs: [] as Measurement[] },
    ];
    for (let round = 1; round <= options.rounds; round++) {
      progress(
        `round ${round}/${options.rounds}: ${options.duration}s × ${options.connections} connections, ${options.threads} wrk thread(s) each`,
      );
      const shift = (round - 1) % servers.length;
      for (const server of [...servers.slice(shift), ...servers.slice(0, shift)]) {
        server.runs.push(await measure(server.name, server.base, pathsFile, options, server.process));
      }
    }
    const [bareRuns, withHeadersRuns, adrecRuns] = servers.map((server) => server.runs);
    const bareMedian = medianOf(bareRuns);
    const withHeadersMedian = medianOf(withHeadersRuns);
    const adrecMedian = medianOf(adrecRuns);
    // Each round's ratio pairs two runs minutes apart at most; the median of those is steadier than a ratio of medians.
    const ratio = median(adrecRuns.map((m, i) => m.reqPerSec / bareRuns[i].reqPerSec));
    const p99Ratio = median(adrecRuns.map((m, i) => m.p99Ms / bareRuns[i].p99Ms));
    // The req/s ratio the two would show if each had the same CPU: on a shared
    // machine the share of CPU each server gets moves a lot more than its cost per request.
    const cpuRatio = median(adrecRuns.map((m, i) => bareRuns[i].cpuUsPerRequest / m.cpuUsPerRequest));
    // The same two ratios for bare Fastify with only the API's headers and request ids.
    const withHeadersRatio = median(withHeadersRuns.map((m, i) => m.reqPerSec / bareRuns[i].reqPerSec));
    const withHeadersCpuRatio = median(withHeadersRuns.map((m, i) => bareRuns[i].cpuUsPerRequest / m.cpuUsPerRequest));
    const clean = [...bareRuns, ...withHeadersRuns, ...adrecRuns].every((m) => m.non2xx === 0 && m.errors === 0);
    const targetsMet = ratio >= 0.8 && p99Ratio <= 1.5 && clean;

    let perfText = '';
    let perfJson: Record<string, { totalUs: number; byObject: Record<string, number> }> | undefined;
    if (options.perf) {
      const perfDir = options.perf;
      cleanups.push({ what: 'perf map files', run: () => removePerfMaps(servers.map((server) => server.process.pid!)) });
      const summaries: PerfSummary[] = [];
      for (const server of servers) {
        const file = join(perfDir, `${server.name.replace(/\W+/g, '-')}.perf.data`);
        progress(`${server.name} under perf (${options.duration} s) → ${file}`);
        const recording = startPerf(server.process.pid!, file);
        const load = await startWrk(server.base, pathsFile, options.duration, options, server.process).result;
        await recording.stop();
        summaries.push(summarizePerf(file, load.requests));
      }
      const us = (n: number | undefined) => (n ?? 0).toFixed(2);
      const objects = [...new Set(summaries.flatMap((summary) => summary.byObject.map((share) => share.name)))];
      const [bareSymbols, , adrecSymbols] = summaries.map((summary) => new Map(summary.bySymbol.map((share) => [share.name, share.us])));
      const extra = moreThanBare(adrecSymbols, bareSymbols, 25);
      perfText =
        `\nCPU per request by where it runs (perf, ${options.duration} s of the same load per server; µs):\n\n` +
        table([
          ['', ...servers.map((server) => server.name)],
          ...objects.map((name) => [name, ...summaries.map((summary) => us(summary.byObject.find((share) => share.name === name)?.us))]),
          ['total', ...summaries.map((summary) => us(summary.total))],
        ]) +
        `\n\nwhere adrec spends more than bare Fastify, per request (µs; JIT = JavaScript):\n` +
        extra.map((share) => `  ${us(share.extra).padStart(6)}  ${share.name.slice(0, 140)}`).join('\n') +
        '\n';
      perfJson = Object.fromEntries(
        servers.map((server, i) => [
          server.name,
          {
            totalUs: round2(summaries[i].total),
            byObject: Object.fromEntries(summaries[i].byObject.map((share) => [share.name, round2(share.us)])),
          },
        ]),
      );
    }

    let callgrind: { text: string; json: Record<string, unknown> } | undefined;
    if (options.callgrind) {
      callgrind = await countInstructions(options.callgrind, options, pathsFile, cleanups, [
        { name: servers[0].name, command: [process.execPath, join(__dirname, 'bare-server.js'), bodiesFile, 'PORT'] },
        { name: servers[1].name, command: [process.execPath, join(__dirname, 'bare-server.js'), bodiesFile, 'PORT', headersFile] },
        {
          name: servers[2].name,
          command: [process.execPath, join(repositoryRoot(), 'dist', 'apps', 'api', 'src', 'main.js')],
          env: apiEnv,
        },
      ]);
    }

    let history: Measurement | undefined;
    let statsLoad: Measurement | undefined;
    let swap: SwapOutcome | undefined;
    const cold = { historySeconds: NaN, statsSeconds: NaN };
    if (!options.profile) {
      const historyPaths = shuffled(advertisers, 15)
        .slice(0, options.paths)
        .map((id) => `/history/${id}`);
      const historyFile = join(workDir, 'history.txt');
      await writeFile(historyFile, historyPaths.join('\n') + '\n');
      // The first /history loads every other date's lists and the first /stats
      // computes the summary: timed alone, so the load below measures the warm route.
      cold.historySeconds = await timedGet(apiBase + historyPaths[0]);
      progress(`/history/{advertiserId} (${options.dates} published dates each; the first, cold, took ${cold.historySeconds} s):`);
      history = await measure('adrec /history', apiBase, historyFile, options, api.child);
      const statsFile = join(workDir, 'stats.txt');
      await writeFile(statsFile, '/stats\n');
      cold.statsSeconds = await timedGet(`${apiBase}/stats`);
      progress(`/stats (the first, cold, took ${cold.statsSeconds} s):`);
      statsLoad = await measure('adrec /stats', apiBase, statsFile, options, api.child);
      progress(`/recommendations while a new run of ${LATEST_DATE} is published:`);
      swap = await measureSwap(env, api, apiBase, pathsFile, paths[0], advertisers, options);
      progress(
        `  swap: ${Math.round(swap.load.reqPerSec)} req/s, p99 ${swap.load.p99Ms} ms, p99.9 ${swap.load.p999Ms} ms, max ${swap.load.maxMs} ms, ` +
          `non-2xx ${swap.load.non2xx}, errors ${swap.load.errors}; served after ${swap.swapSeconds} s; checked ${JSON.stringify(swap.checked)}`,
      );
    }

    let profiles = '';
    if (options.profile) {
      // The profiles are written when the processes exit.
      await stopApp(api);
      await stopProcess(bare, 10_000);
      await stopProcess(withHeaders, 10_000);
      // For reading the profiles further: which process each is, and when its load was measured.
      const windowsFile = join(options.profile, 'measured-windows.json');
      await writeFile(
        windowsFile,
        JSON.stringify(servers.map((s) => ({ name: s.name, pid: s.process.pid, windows: s.runs.map((m) => m.window) }))),
      );
      for (const server of servers) {
        const file = await profileOf(options.profile, server.process.pid!);
        profiles += file
          ? profileText(
              server.name,
              file,
              summarizeCpuProfile(
                file,
                server.runs.map((m) => m.window),
              ),
            )
          : `\n${server.name}: no CPU profile found in ${options.profile}\n`;
      }
    }

    const swapClean = swap === undefined || (swap.load.non2xx === 0 && swap.load.errors === 0 && swap.checked.other === 0);
    process.stdout.write(
      `\nGET /recommendations/:advertiserId/:model — ${paths.length} lists cycled; wrk ${wrkVersion}, ${options.threads} thread(s), ` +
        `${options.connections} connections, ${options.duration} s per run, ${options.rounds} round(s), the servers in rotating order` +
        (options.pinning
          ? `; wrk on CPU ${options.pinning.wrkCpu}, each server on CPU ${options.pinning.serverCpu}`
          : '; not pinned to cores') +
        '\n\n' +
        table([
          HEADER,
          ...servers.flatMap((server) => server.runs.map((m, i) => row(`${server.name}, round ${i + 1}`, m))),
          row('bare fastify, median', bareMedian),
          row('fastify + headers, median', withHeadersMedian),
          row('adrec api, median', adrecMedian),
        ]) +
        `\n\nadrec / bare (median of the rounds' ratios): req/s ${(ratio * 100).toFixed(1)}% (target ≥ 80%), p99 ${p99Ratio.toFixed(2)}× (target ≤ 1.5×)` +
        `\nbare CPU per request / adrec CPU per request: ${(cpuRatio * 100).toFixed(1)}% (the req/s ratio at an equal share of the CPU)` +
        `\nfastify + headers / bare: req/s ${(withHeadersRatio * 100).toFixed(1)}%, CPU ${(withHeadersCpuRatio * 100).toFixed(1)}% ` +
        `(what the API's ${Object.keys(apiHeaders).length} security/CORS headers and request ids cost a bare Fastify server)` +
        `\ntargets (and no non-2xx or errors): ${targetsMet ? 'met' : 'NOT met'}\n` +
        (clean ? '' : 'WARNING: non-2xx answers or errors: the req/s above are not comparable\n') +
        (history && statsLoad && swap
          ? `\nadrec under the same load:\n\n` +
            table([HEADER, row('/history/{advertiserId}', history), row('/stats', statsLoad), row('/recommendations, swap', swap.load)]) +
            `\n\ncold (alone, before the load): first /history ${cold.historySeconds} s (loads the other dates' lists), first /stats ${cold.statsSeconds} s (computes the summary)` +
            `\nswap: a new run of ${LATEST_DATE} published during the load, served ${swap.swapSeconds} s after its first batch was stored; ` +
            `a checking client saw the old body ${swap.checked.old}×, the new ${swap.checked.new}×, anything else ${swap.checked.other}× ` +
            `— ${swapClean ? 'no error' : 'ERRORS'}\n`
          : '') +
        perfText +
        (callgrind?.text ?? '') +
        profiles,
    );
    process.stdout.write(
      JSON.stringify({
        ...jsonOf(adrecMedian),
        bare: jsonOf(bareMedian),
        ratio: round3(ratio),
        p99Ratio: round3(p99Ratio),
        cpuRatio: round3(cpuRatio),
        targetsMet,
        withHeaders: { ...jsonOf(withHeadersMedian), ratio: round3(withHeadersRatio), cpuRatio: round3(withHeadersCpuRatio) },
        rounds: {
          bareReqPerSec: bareRuns.map((m) => Math.round(m.reqPerSec)),
          withHeadersReqPerSec: withHeadersRuns.map((m) => Math.round(m.reqPerSec)),
          adrecReqPerSec: adrecRuns.map((m) => Math.round(m.reqPerSec)),
        },
        history: history && { ...jsonOf(history), coldSeconds: cold.historySeconds },
        stats: statsLoad && { ...jsonOf(statsLoad), coldSeconds: cold.statsSeconds },
        swap: swap && { ...jsonOf(swap.load), swapSeconds: swap.swapSeconds, checked: swap.checked, clean: swapClean },
        perf: perfJson,
        callgrind: callgrind?.json,
        loadGenerator: `wrk ${wrkVersion}`,
        pinning: options.pinning ?? null,
        threads: options.threads,
        connections: options.connections,
        durationSeconds: options.duration,
        paths: paths.length,
        lists: allPaths.length,
        dates: options.dates,
      }) + '\n',
    );
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  () => {
    progress('done');
    // pg's and fauxqs's handles are closed; exit even if a stray timer is left.
    process.exit(0);
  },
  (error) => {
    progress(`failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
