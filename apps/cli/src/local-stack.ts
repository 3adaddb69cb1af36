import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { AppConfig, childEnvironment, loadConfig } from '@adrec/config';
import { addDays, todayUtc } from '@adrec/contracts';
import { databaseRepositories, migrate, poolFromConfig } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { startTracing, stopTracing } from '@adrec/observability';
import { QueueDirectory, QueuePublisher, createSqsClient } from '@adrec/messaging';
import {
  freePort,
  LocalPostgres,
  startEmbeddedPostgres,
  startLocalEmulator,
  startLocalEmulatorOnFreePort,
  stopProcess,
  waitForHttpOk,
} from '@adrec/runtime';
import { createS3Client, ObjectStore } from '@adrec/storage';
import { scanDates } from './data-dates.scanner';
import { armNightlySchedule } from './nightly-schedule';
import { uploadRawData } from './raw-data.uploader';
import { followRuns } from './run-progress';
import { DEFAULT_GENERATE_OPTIONS, generateSampleData } from './sample-data.generator';
import { configuredRetention } from './run-retention';
import { sendTriggers } from './triggers';

const APPS = ['ingest', 'models', 'writer', 'api'] as const;
/** The emulator's usual port; another free port is used when it is taken. */
const PREFERRED_EMULATOR_PORT = 4566;
/** How long each app and each service gets to stop after Ctrl-C. */
const STOP_GRACE_MS = 5000;
/** Signals closer together than this are copies of one Ctrl-C. */
const DUPLICATE_SIGNAL_MS = 500;

export interface LocalStackOptions {
  /** Directory with the course's CSVs; sample data is generated when absent. */
  dataDir?: string;
  /** Where logs, sample data and the embedded database live (default .adrec). */
  stateDir: string;
}

/**
 * `npm start`: the whole pipeline on one machine with nothing installed.
 * fauxqs stands in for SQS and S3, embedded PostgreSQL for RDS (unless
 * DATABASE_URL is set), and the four apps run as separate processes from
 * their own entry points, configured only through the environment — the
 * same code and wiring as on AWS.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<void> {
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const logger = new JsonLogger('local-stack');
  const stateDir = resolve(options.stateDir);
  const logDir = join(stateDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const base = loadConfig();
  const cleanups: (() => Promise<void>)[] = [];
  const children: ChildProcess[] = [];
  /** Processes to SIGKILL when a second Ctrl-C forces the exit. */
  const forceKills: (() => void)[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping the local stack… (Ctrl-C again to force)');
    // The apps drain their in-flight batch; the local stack's runs can be
    // redone, so they get a few seconds, not the visibility timeout.
    await Promise.all(children.map((child) => stopProcess(child, STOP_GRACE_MS)));
    for (const cleanup of cleanups.reverse()) await withTimeout(cleanup(), STOP_GRACE_MS).catch(() => undefined);
    say('stopped');
    process.exit(code);
  };
  const forceStop = () => {
    say('forced stop');
    for (const child of children) child.kill('SIGKILL');
    for (const kill of forceKills) kill();
    process.exit(130);
  };
  // Ctrl-C signals the terminal's whole process group, and npm relays it
  // too: copies arriving together are one signal, a later one forces.
  let firstSignalAt = 0;
  const onSignal = () => {
    if (!stopping) {
      firstSignalAt = Date.now();
      void stop(0);
    } else if (Date.now() - firstSignalAt > DUPLICATE_SIGNAL_MS) {
      forceStop();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const emulatorLog = createWriteStream(join(logDir, 'fauxqs.log'), { flags: 'a' });
    const emulator = (await portIsFree(PREFERRED_EMULATOR_PORT))
      ? await startLocalEmulator(PREFERRED_EMULATOR_PORT, emulatorLog)
      : await startLocalEmulatorOnFreePort(emulatorLog);
    cleanups.push(() => emulator.stop());
    forceKills.push(() => emulator.process.kill('SIGKILL'));
    const endpoint = emulator.endpoint;
    say(`SQS/S3 emulator (fauxqs) on ${endpoint}`);

    let databaseUrl = base.database.url;
    if (!databaseUrl) {
      say('starting embedded PostgreSQL…');
      const pgDir = join(stateDir, 'postgres');
      const pg: LocalPostgres = await startEmbeddedPostgres(pgDir, (line) => logger.debug(line));
      cleanups.push(() => pg.stop());
      forceKills.push(() => pg.kill());
      databaseUrl = pg.url;
      say(`embedded PostgreSQL on ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`);
    } else {
      say('using PostgreSQL from DATABASE_URL');
    }

    const overrides: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      AWS_ENDPOINT_URL: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      PORT: String(base.http.port),
    };
    const config: AppConfig = loadConfig(childEnvironment(overrides));
    // With OTEL_EXPORTER_OTLP_ENDPOINT set, the runs this stack triggers start their traces here.
    if (startTracing('cli', config.observability)) cleanups.push(() => stopTracing());

    const store = new ObjectStore(createS3Client(config), config.storage.bucket);
    const queues = new QueueDirectory(createSqsClient(config), config);
    const pool = poolFromConfig(config, { applicationName: 'adrec-local-stack', size: 2 }, logger);
    cleanups.push(() => pool.end());
    await Promise.all([store.ensureBucket(), queues.ensureQueues(), migrate(pool, logger)]);
    say(`queues, bucket s3://${config.storage.bucket} and schema ready`);

    let dates: string[];
    const dataDir = options.dataDir ?? join(stateDir, 'sample-data');
    if (options.dataDir) {
      dates = await scanDates(options.dataDir);
      if (dates.length === 0) throw new Error(`no valid dates found in the logs of ${options.dataDir}`);
    } else {
      const endDate = addDays(todayUtc(), -1);
      const generated = await generateSampleData({ ...DEFAULT_GENERATE_OPTIONS, outDir: dataDir, endDate });
      dates = generated.dates;
      say(`sample data generated in ${dataDir} (${generated.activeAdvertisers.length} active advertisers, ${dates.length} days)`);
    }
    const keys = await uploadRawData(store, config.storage.rawPrefix, dataDir);
    say(`uploaded ${keys.join(', ')}`);

    // Each worker's ops server (/metrics, /health, /ready) on a port of its own.
    const opsPorts: string[] = [];
    for (const app of APPS) {
      // The API, started last, shows the workers' health in the console.
      const metricsPort = app === 'api' ? undefined : String(await freePort());
      if (metricsPort) opsPorts.push(`${app}=http://127.0.0.1:${metricsPort}`);
      const appEnvironment = metricsPort
        ? { ...overrides, METRICS_PORT: metricsPort }
        : { ...overrides, CONSOLE_OPS_TARGETS: opsPorts.join(',') };
      const child = spawn(process.execPath, [join(__dirname, '..', '..', app, 'src', 'main.js')], {
        env: childEnvironment(appEnvironment),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log = createWriteStream(join(logDir, `${app}.log`), { flags: 'a' });
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      child.once('exit', (code, signal) => {
        if (!stopping) {
          say(`${app} exited (${signal ?? code}); see ${join(logDir, `${app}.log`)}`);
          void stop(1);
        }
      });
      children.push(child);
    }
    say(`started ${APPS.join(', ')} (logs in ${logDir}); ops endpoints: ${opsPorts.join(', ')}`);

    const publisher = new QueuePublisher(queues);
    const triggers = await sendTriggers(publisher, dates, config.pipeline.windowDays);
    say(`triggered ${triggers.length} runs, ${dates[0]} … ${dates.at(-1)}`);
    const outcome = await followRuns(
      databaseRepositories(pool, config).runs,
      triggers.map((t) => t.runId),
    );
    if (outcome.failed.length > 0) {
      // Said loudly and with a reason, rather than serving stale or no lists as if all were well.
      for (const failure of outcome.failed)
        say(`run ${failure.runId} (${failure.runDate || 'not started'}) ${failure.status}: ${failure.reason}`);
      say(`${outcome.failed.length} run(s) did not publish; logs are in ${logDir}`);
      await stop(1);
      return;
    }

    armNightlySchedule(
      config.pipeline.nightlyCron,
      config.pipeline.windowDays,
      publisher,
      logger,
      configuredRetention(config, pool, logger),
    );
    await waitForHttpOk(`http://127.0.0.1:${config.http.port}/health`, 60_000);
    const url = `http://localhost:${config.http.port}`;
    const advertiser = (await advertiserToTry(`http://127.0.0.1:${config.http.port}`)) ?? '<advertiserId>';
    say('');
    say(`adrec is serving on ${url}`);
    say(`  try: curl ${url}/recommendations/${advertiser}/top_ctr`);
    say(`       open ${url}/console`);
    say(`  the emulator stays up for the CLI: AWS_ENDPOINT_URL=${endpoint} DATABASE_URL=${databaseUrl} npx adrec runs`);
    say('Ctrl-C stops everything.');
  } catch (error) {
    say(`local stack failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * An advertiser of the latest published run with a non-empty top_ctr list,
 * asked of the API the way a user would; undefined when nothing is published.
 */
async function advertiserToTry(apiUrl: string): Promise<string | undefined> {
  try {
    const { advertisers } = (await (await fetch(`${apiUrl}/console/api/advertisers`)).json()) as { advertisers: string[] };
    for (const advertiser of advertisers.slice(0, 25)) {
      const response = await fetch(`${apiUrl}/recommendations/${encodeURIComponent(advertiser)}/top_ctr`);
      if (response.ok && ((await response.json()) as { items: unknown[] }).items.length > 0) return advertiser;
    }
    return advertisers[0];
  } catch {
    return undefined;
  }
}
