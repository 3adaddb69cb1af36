import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig, loadConfig } from '@adrec/config';
import {
  AdrecError,
  addDays,
  CALENDAR_DATE_RULE,
  dateRange,
  isCalendarDate,
  MAX_WINDOW_DAYS,
  PublishMode,
  RUN_ID_PATTERN,
  todayUtc,
} from '@adrec/contracts';
import { databaseRepositories, migrate, poolFromConfig, reportedStatus, RunRecord, runProblem } from '@adrec/database';
import { addLogSecrets, JsonLogger, setLogLevel } from '@adrec/logging';
import {
  createSqsClient,
  peekDeadLetters,
  QueueDirectory,
  QueueName,
  QueuePublisher,
  QUEUES,
  queueDepths,
  redriveDeadLetters,
} from '@adrec/messaging';
import { startTracing, stopTracing } from '@adrec/observability';
import { createS3Client, ObjectStore } from '@adrec/storage';
import { formatEvaluation } from './evaluation-table';
import { startLocalStack } from './local-stack';
import { runScheduler } from './nightly-schedule';
import { bar, ProgressLine } from './progress';
import { uploadRawData } from './raw-data.uploader';
import { DEFAULT_GENERATE_OPTIONS, generateSampleData } from './sample-data.generator';
import { sendTriggers } from './triggers';
import { diffCommand, formatPublicationHistory, gcCommand, publishCommand, rollbackCommand, unpinCommand } from './versions.commands';

const USAGE = `adrec — nightly ad recommendations

Usage: adrec <command> [options]

  start [--data DIR]            the local stack: emulator, database, pipeline, API (npm start)
  generate --out DIR            course-shaped sample logs; scale with --advertisers N --inactive N|--inactive-share S
                                --products N --product-views N --ad-events N --days N
                                --end-date D --skew S --seed N
  upload --data DIR             upload advertiser_ids, product_views, ads_views CSVs to the raw prefix
  trigger --date D [--window N] start a run of date D; --stage: compute it without publishing (status staged);
                                --force: publish it when complete even if the date is pinned
  backfill --from D1 --to D2    one run per date, oldest first
  rerun --date D                run date D again; its new run replaces the published one when complete
                                (--stage and --force as for trigger)
  runs [--date D] [--limit N]   recent runs with status, progress and input drift warnings; with --date also
                                its publication record
  publish --run R [--reason T]  make complete run R the published run of its date, and pin the date
  rollback --date D [--reason T] republish the run published before the current one of D, and pin the date
  unpin --date D [--reason T]   let the pipeline replace D's published run again
  diff --run R [--against R2]   R's lists against the published run of its date (or R2): products that differ, overlap
  gc [--dry-run]                delete old runs' rows and S3 outputs (keeps the published run, RETAIN_RUNS_PER_DATE
                                others per date, runs in progress); --dry-run lists them and deletes nothing
  evaluation [--from D1 --to D2]
                                next-day hit rate of each model per published date (default: the last 30)
  setup                         create queues, bucket and schema if missing (idempotent)
  migrate                       apply database migrations
  schedule                      keep running and trigger yesterday's run on NIGHTLY_CRON
  dlq list                      depth of every queue and DLQ, with a sample of dead-lettered messages
  dlq redrive [--queue Q]       move dead-lettered messages back (Q: trigger, jobs, results; default all)

Configuration comes from the environment (see README, "Configuration").`;

type Flags = Record<string, string | boolean | undefined>;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      date: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      window: { type: 'string' },
      limit: { type: 'string' },
      queue: { type: 'string' },
      wait: { type: 'boolean' },
      run: { type: 'string' },
      against: { type: 'string' },
      reason: { type: 'string' },
      stage: { type: 'boolean' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      advertisers: { type: 'string' },
      inactive: { type: 'string' },
      'inactive-share': { type: 'string' },
      products: { type: 'string' },
      'product-views': { type: 'string' },
      'ad-events': { type: 'string' },
      days: { type: 'string' },
      'end-date': { type: 'string' },
      skew: { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
  });
  const flags: Flags = values;
  const config = loadConfig();
  setLogLevel(config.logLevel);
  addLogSecrets([config.console.token]);
  switch (command) {
    case 'start':
      await startLocalStack({ dataDir: flags.data as string | undefined, stateDir: '.adrec' });
      return -1; // keeps running until interrupted
    case 'generate':
      return generate(flags);
    case 'upload':
      return upload(config, requireFlag(flags, 'data'));
    case 'trigger':
      return trigger(config, [dateFlag(flags, 'date')], flags);
    case 'rerun':
      return trigger(config, [dateFlag(flags, 'date')], flags);
    case 'backfill': {
      const from = dateFlag(flags, 'from');
      const to = dateFlag(flags, 'to');
      if (from > to) throw new AdrecError('CLI.BAD_ARGUMENT', `--from ${from} is after --to ${to}`);
      return trigger(config, dateRange(from, to), { ...flags, wait: flags.wait ?? true });
    }
    case 'runs':
      return listRuns(config, flags);
    case 'publish': {
      const runId = runFlag(flags, 'run');
      return printed(config, (pool) => publishCommand(pool, runId, reasonFlag(flags)));
    }
    case 'rollback': {
      const date = dateFlag(flags, 'date');
      return printed(config, (pool) => rollbackCommand(pool, date, reasonFlag(flags)));
    }
    case 'unpin': {
      const date = dateFlag(flags, 'date');
      return printed(config, (pool) => unpinCommand(pool, date, reasonFlag(flags)));
    }
    case 'diff': {
      const runId = runFlag(flags, 'run');
      const against = flags.against === undefined ? undefined : runFlag(flags, 'against');
      return printed(config, (pool) => diffCommand(pool, runId, against));
    }
    case 'gc':
      return printed(config, (pool) => gcCommand(config, pool, flags['dry-run'] === true, new JsonLogger('cli')));
    case 'evaluation':
      return showEvaluation(config, flags);
    case 'setup':
      return setup(config);
    case 'migrate':
      return withPool(config, async (pool) => {
        const applied = await migrate(pool, new JsonLogger('cli'));
        process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'schema is up to date\n');
        return 0;
      });
    case 'dlq':
      return deadLetters(config, positionals[0], flags);
    case 'schedule':
      await runScheduler(config);
      return -1;
    default:
      throw new AdrecError('CLI.UNKNOWN_COMMAND', `unknown command "${command}"; run adrec --help`);
  }
}

function requireFlag(flags: Flags, name: string): string {
  const value = flags[name];
  if (typeof value !== 'string' || value === '') throw new AdrecError('CLI.BAD_ARGUMENT', `--${name} is required`);
  return value;
}

function dateFlag(flags: Flags, name: string): string {
  const value = requireFlag(flags, name);
  if (!isCalendarDate(value)) throw new AdrecError('CLI.BAD_ARGUMENT', `--${name} ${value} is not ${CALENDAR_DATE_RULE}`);
  return value;
}

function runFlag(flags: Flags, name: string): string {
  const value = requireFlag(flags, name);
  if (!RUN_ID_PATTERN.test(value))
    throw new AdrecError('CLI.BAD_ARGUMENT', `--${name} ${value} is not a run id (1-100 characters of A-Z a-z 0-9 . _ : -)`);
  return value;
}

/** The operator's reason, recorded with a publication change. */
function reasonFlag(flags: Flags): string | undefined {
  const value = flags.reason;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) {
    throw new AdrecError('CLI.BAD_ARGUMENT', '--reason must be 1-500 characters');
  }
  return value.trim();
}

/** Runs a database command and prints what it returns. */
async function printed(config: AppConfig, work: (pool: import('pg').Pool) => Promise<string>): Promise<number> {
  return withPool(config, async (pool) => {
    process.stdout.write(await work(pool));
    return 0;
  });
}

function intFlag(flags: Flags, name: string, fallback: number, min = 0): number {
  const value = flags[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AdrecError('CLI.BAD_ARGUMENT', `--${name} must be an integer ≥ ${min}`);
  return n;
}

async function withPool<T>(config: AppConfig, work: (pool: import('pg').Pool) => Promise<T>): Promise<T> {
  const pool = poolFromConfig(config, { applicationName: 'adrec-cli', size: 2 }, new JsonLogger('cli'));
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

async function generate(flags: Flags): Promise<number> {
  const outDir = requireFlag(flags, 'out');
  const endDate = flags['end-date'] === undefined ? addDays(todayUtc(), -1) : dateFlag(flags, 'end-date');
  const skew = flags.skew === undefined ? DEFAULT_GENERATE_OPTIONS.skew : Number(flags.skew);
  if (!Number.isFinite(skew) || skew < 0) throw new AdrecError('CLI.BAD_ARGUMENT', '--skew must be a number ≥ 0');
  const advertisers = intFlag(flags, 'advertisers', DEFAULT_GENERATE_OPTIONS.advertisers, 1);
  const progress = new ProgressLine();
  const result = await generateSampleData({
    outDir,
    endDate,
    skew,
    advertisers,
    inactive: inactiveCount(flags, advertisers),
    catalogSize: intFlag(flags, 'products', DEFAULT_GENERATE_OPTIONS.catalogSize, 1),
    productViews: intFlag(flags, 'product-views', DEFAULT_GENERATE_OPTIONS.productViews),
    adEvents: intFlag(flags, 'ad-events', DEFAULT_GENERATE_OPTIONS.adEvents),
    days: intFlag(flags, 'days', DEFAULT_GENERATE_OPTIONS.days, 1),
    seed: intFlag(flags, 'seed', DEFAULT_GENERATE_OPTIONS.seed),
    onProgress: (done, total) => progress.update(`generating ${bar(done, total)} ${done}/${total} lines`),
  });
  progress.done(
    `wrote ${outDir}: ${result.activeAdvertisers.length} active + ${result.inactiveAdvertisers.length} inactive advertisers, ` +
      `${result.dates[0]} … ${result.dates.at(-1)}`,
  );
  return 0;
}

/** `--inactive N`, or `--inactive-share S` (0–1) of the advertisers; the course's 5 of 25 by default. */
function inactiveCount(flags: Flags, advertisers: number): number {
  if (flags['inactive-share'] !== undefined) {
    const share = Number(flags['inactive-share']);
    if (!(share >= 0 && share < 1)) throw new AdrecError('CLI.BAD_ARGUMENT', '--inactive-share must be a number from 0 to below 1');
    return Math.round(advertisers * share);
  }
  return intFlag(flags, 'inactive', Math.min(DEFAULT_GENERATE_OPTIONS.inactive, advertisers - 1));
}

async function upload(config: AppConfig, dir: string): Promise<number> {
  const store = new ObjectStore(createS3Client(config), config.storage.bucket);
  const keys = await uploadRawData(store, config.storage.rawPrefix, dir);
  process.stdout.write(`uploaded ${keys.map((k) => `s3://${config.storage.bucket}/${k}`).join(', ')}\n`);
  return 0;
}

async function trigger(config: AppConfig, dates: string[], flags: Flags): Promise<number> {
  const windowDays = intFlag(flags, 'window', config.pipeline.windowDays, 1);
  if (windowDays > MAX_WINDOW_DAYS) throw new AdrecError('CLI.BAD_ARGUMENT', `--window must be at most ${MAX_WINDOW_DAYS}`);
  if (flags.stage && flags.force) throw new AdrecError('CLI.BAD_ARGUMENT', '--stage and --force exclude each other');
  const publish: PublishMode = flags.stage ? 'stage' : flags.force ? 'force' : 'auto';
  const publisher = new QueuePublisher(new QueueDirectory(createSqsClient(config), config));
  // Each trigger starts its run's trace; export those spans before the command exits.
  startTracing('cli', config.observability);
  const triggers = await sendTriggers(publisher, dates, windowDays, publish).finally(() => stopTracing());
  const mode = { auto: '', stage: ', staged: publish it with adrec publish --run', force: ', publishes even over a pin' }[publish];
  for (const t of triggers) process.stdout.write(`triggered ${t.runId} (date ${t.runDate}, window ${t.windowDays} day(s)${mode})\n`);
  if (!flags.wait) return 0;
  return withPool(config, async (pool) => {
    const { followRuns } = await import('./run-progress');
    const outcome = await followRuns(
      databaseRepositories(pool, config).runs,
      triggers.map((t) => t.runId),
    );
    for (const failure of outcome.failed) process.stdout.write(`${failure.status} ${failure.runId}: ${failure.reason}\n`);
    return outcome.failed.length === 0 ? 0 : 1;
  });
}

async function listRuns(config: AppConfig, flags: Flags): Promise<number> {
  const runDate = flags.date === undefined ? undefined : dateFlag(flags, 'date');
  const limit = intFlag(flags, 'limit', 20, 1);
  return withPool(config, async (pool) => {
    const { runs, publications } = databaseRepositories(pool, config);
    process.stdout.write(formatRuns(await runs.listRecent(limit, runDate), runs.stuckAfterSeconds));
    if (runDate !== undefined) process.stdout.write(formatPublicationHistory(await publications.historyOfDate(runDate, limit)));
    return 0;
  });
}

async function showEvaluation(config: AppConfig, flags: Flags): Promise<number> {
  const from = flags.from === undefined ? undefined : dateFlag(flags, 'from');
  const to = flags.to === undefined ? undefined : dateFlag(flags, 'to');
  if (from !== undefined && to !== undefined && from > to) throw new AdrecError('CLI.BAD_ARGUMENT', `--from ${from} is after --to ${to}`);
  return withPool(config, async (pool) => {
    process.stdout.write(formatEvaluation(await databaseRepositories(pool, config).evaluationRead.dates({ from, to })));
    return 0;
  });
}

/** The `adrec runs` table; a failed or stuck run's ERROR says why (run-status.ts). */
export function formatRuns(runs: RunRecord[], stuckAfterSeconds: number): string {
  if (runs.length === 0) return 'no runs yet\n';
  const rows = runs.map((run) => {
    const seconds =
      run.finishedAt && run.triggeredAt ? ((run.finishedAt.getTime() - run.triggeredAt.getTime()) / 1000).toFixed(1) + 's' : '';
    const bad = run.badLines?.total ?? 0;
    return [
      run.runDate,
      run.runId,
      run.pinned ? `${reportedStatus(run)} (pinned)` : reportedStatus(run),
      `${run.jobsDone}/${run.jobsTotal ?? '?'}`,
      seconds,
      String(bad),
      String(run.warnings?.length ?? 0),
      runProblem(run, stuckAfterSeconds) ?? '',
    ];
  });
  const header = ['DATE', 'RUN', 'STATUS', 'JOBS', 'TIME', 'BAD LINES', 'WARNINGS', 'ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const lines = [header, ...rows].map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  // Input drift warnings under the table, one per line, so the table stays readable.
  const warned = runs.filter((run) => (run.warnings?.length ?? 0) > 0);
  if (warned.length > 0) lines.push('', 'input drift warnings:');
  for (const run of warned) for (const w of run.warnings) lines.push(`  ${run.runId}  ${w.code}: ${w.message}`);
  return lines.join('\n') + '\n';
}

async function deadLetters(config: AppConfig, action: string | undefined, flags: Flags): Promise<number> {
  const queues = new QueueDirectory(createSqsClient(config), config);
  if (action === 'list') {
    const depths = await queueDepths(queues);
    const lines = ['QUEUE     WAITING  IN FLIGHT  DEAD-LETTERED'];
    for (const d of depths)
      lines.push(
        `${d.queue.padEnd(9)} ${String(d.visible).padStart(7)}  ${String(d.inFlight).padStart(9)}  ${String(d.deadLettered).padStart(13)}`,
      );
    for (const d of depths.filter((depth) => depth.deadLettered > 0)) {
      lines.push('', `${queues.physicalName(d.queue, true)} (sample):`);
      for (const m of await peekDeadLetters(queues, d.queue, 5)) lines.push(`  ${m.body.slice(0, 200)}${m.error ? `  ← ${m.error}` : ''}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  if (action === 'redrive') {
    const only = flags.queue as string | undefined;
    if (only !== undefined && !(QUEUES as readonly string[]).includes(only)) {
      throw new AdrecError('CLI.BAD_ARGUMENT', `--queue must be one of ${QUEUES.join(', ')}`);
    }
    for (const queue of only ? [only as QueueName] : QUEUES) {
      const result = await redriveDeadLetters(queues, queue);
      process.stdout.write(
        result.method === 'move-task'
          ? `${queue}: move task ${result.taskHandle} started\n`
          : `${queue}: ${result.moved} message(s) moved back\n`,
      );
    }
    return 0;
  }
  throw new AdrecError('CLI.BAD_ARGUMENT', 'usage: adrec dlq list | adrec dlq redrive [--queue trigger|jobs|results]');
}

async function setup(config: AppConfig): Promise<number> {
  const store = new ObjectStore(createS3Client(config), config.storage.bucket);
  const queues = new QueueDirectory(createSqsClient(config), config);
  await store.ensureBucket();
  await queues.ensureQueues();
  await withPool(config, (pool) => migrate(pool, new JsonLogger('cli')));
  process.stdout.write(`queues, bucket s3://${config.storage.bucket} and schema are ready\n`);
  return 0;
}

if (require.main === module || process.argv[1]?.endsWith('bin/adrec')) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error) => {
      const message =
        error instanceof AdrecError ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
      process.stderr.write(`adrec: ${message}\n`);
      process.exit(1);
    },
  );
}
