import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { AppConfig, childEnvironment, loadConfig } from '@adrec/config';
import { addDays, todayUtc } from '@adrec/contracts';
import { createPool, migrate, RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { QueueDirectory, QueuePublisher, createSqsClient } from '@adrec/messaging';
import { freePort, LocalPostgres, startEmbeddedPostgres, startLocalEmulator, stopProcess, waitForHttpOk } from '@adrec/runtime';
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
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping the local stack…');
    await Promise.all(children.map((child) => stopProcess(child, 30_000)));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  try {
    const emulatorPort = (await portIsFree(PREFERRED_EMULATOR_PORT)) ? PREFERRED_EMULATOR_PORT : await freePort();
    const emulator = await startLocalEmulator(emulatorPort, createWriteStream(join(logDir, 'fauxqs.log'), { flags: 'a' }));
    cleanups.push(() => emulator.stop());
    const endpoint = emulator.endpoint;
    say(`SQS/S3 emulator (fauxqs) on ${endpoint}`);

    let databaseUrl = base.database.url;
    if (!databaseUrl) {
      say('starting embedded PostgreSQL…');
      const pgDir = join(stateDir, 'postgres');
      const pg: LocalPostgres = await startEmbeddedPostgres(pgDir, (line) => logger.debug(line));
      cleanups.push(() => pg.stop());
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

    const store = new ObjectStore(createS3Client(config), config.storage.bucket);
    const queues = new QueueDirectory(createSqsClient(config), config);
    const pool = createPool({ url: databaseUrl, size: 2, ssl: config.database.ssl, applicationName: 'adrec-local-stack' }, logger);
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

    for (const app of APPS) {
      const child = spawn(process.execPath, [join(__dirname, '..', '..', app, 'src', 'main.js')], {
        env: childEnvironment(overrides),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log = createWriteStream(join(logDir, `${app}.log`), { flags: 'a' });
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
      child.once('exit', (code, signal) => {
        if (!stopping) {
          say(`${app} exited (${signal ?? code}); see ${join(logDir, `${app}.log`)}`);
          void stop(1);
        }
      });
      children.push(child);
    }
    say(`started ${APPS.join(', ')} (logs in ${logDir})`);

    const publisher = new QueuePublisher(queues);
    const triggers = await sendTriggers(publisher, dates, config.pipeline.windowDays);
    say(`triggered ${triggers.length} runs, ${dates[0]} … ${dates.at(-1)}`);
    const outcome = await followRuns(new RunsRepository(pool), triggers.map((t) => t.runId));
    for (const failure of outcome.failed) say(`run ${failure.runId} (${failure.runDate}) failed: ${failure.reason}`);

    armNightlySchedule(config.pipeline.nightlyCron, config.pipeline.windowDays, publisher, logger, configuredRetention(config, pool, logger));
    await waitForHttpOk(`http://127.0.0.1:${config.http.port}/health`, 60_000);
    const url = `http://localhost:${config.http.port}`;
    say('');
    say(`adrec is serving on ${url}`);
    say(`  try: curl ${url}/recommendations/<advertiserId>/top_ctr`);
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
