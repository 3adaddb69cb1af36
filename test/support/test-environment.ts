import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@adrec/config';
import { createPool, migrate } from '@adrec/database';
import { JsonLogger, setLogLevel } from '@adrec/logging';
import { createSqsClient, QueueDirectory } from '@adrec/messaging';
import { LocalEmulator, LocalPostgres, postgresAnswers, startEmbeddedPostgres, startLocalEmulatorOnFreePort } from '@adrec/runtime';
import { createS3Client, ObjectStore } from '@adrec/storage';
import { Pool } from 'pg';

/** The machine's PostgreSQL when it answers (CI, developer laptops); embedded PostgreSQL otherwise. */
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestEnvironment {
  config: AppConfig;
  /** The environment variables that produce `config`, for child processes. */
  env: Record<string, string>;
  pool: Pool;
  store: ObjectStore;
  queues: QueueDirectory;
  /**
   * A set of queues of its own (a fresh prefix) on the same emulator, created
   * empty: for a test that counts what its queues hold, whatever ran before it.
   */
  newQueues(): Promise<QueueDirectory>;
  /**
   * The test's own embedded PostgreSQL, when started with `ownPostgres`: a
   * server the test may restart. The machine's shared server is never restarted.
   */
  postgres?: LocalPostgres;
  stop(): Promise<void>;
}

/**
 * A fresh database (migrated) and a fresh fauxqs emulator, with a bucket and
 * queues of their own, for one test file. Real PostgreSQL and real SQS/S3
 * APIs: nothing at those boundaries is mocked.
 */
export async function startTestEnvironment(
  extraEnv: Record<string, string> = {},
  options: { ownPostgres?: boolean } = {},
): Promise<TestEnvironment> {
  setLogLevel('warn');
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let postgres: LocalPostgres | undefined;
    if (options.ownPostgres) {
      postgres = await startEmbeddedPostgres(`/tmp/adrec-test-own-pg-${process.pid}-${randomBytes(3).toString('hex')}`, () => undefined);
      const server = postgres;
      cleanups.push(() => server.stop());
    }
    const databaseUrl = await createTestDatabase(cleanups, postgres?.url);
    const emulator: LocalEmulator = await startLocalEmulatorOnFreePort();
    cleanups.push(() => emulator.stop());
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      AWS_ENDPOINT_URL: emulator.endpoint,
      ADREC_BUCKET: `adrec-test-${randomBytes(4).toString('hex')}`,
      LOG_LEVEL: 'warn',
      VISIBILITY_TIMEOUT_SECONDS: '10',
      // Apps started by tests serve no ops port unless a test asks for one: the default is shared by every run on the machine.
      METRICS_PORT: '0',
      ...extraEnv,
    };
    const config = loadConfig(env);
    const logger = new JsonLogger('test');
    const pool = createPool({ url: databaseUrl, size: 5, ssl: false, applicationName: 'adrec-test' }, logger);
    cleanups.push(() => pool.end());
    const store = new ObjectStore(createS3Client(config), config.storage.bucket);
    const queues = new QueueDirectory(createSqsClient(config), config);
    await Promise.all([migrate(pool, logger), store.ensureBucket(), queues.ensureQueues()]);
    return {
      config,
      env,
      pool,
      store,
      queues,
      newQueues: async () => {
        const prefix = `adrec-${randomBytes(4).toString('hex')}-`;
        const own = new QueueDirectory(queues.sqs, { ...config, queues: { ...config.queues, prefix } });
        await own.ensureQueues();
        return own;
      },
      postgres,
      stop: async () => {
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    throw error;
  }
}

let embedded: Promise<LocalPostgres> | undefined;

async function createTestDatabase(cleanups: (() => Promise<void>)[], ownServerUrl?: string): Promise<string> {
  let serverUrl = ownServerUrl ?? SERVER_URL;
  if (!ownServerUrl && !(await postgresAnswers(serverUrl))) {
    embedded ??= startEmbeddedPostgres(`/tmp/adrec-test-pg-${process.pid}`, () => undefined);
    const server = await embedded;
    serverUrl = server.url;
    cleanups.push(async () => {
      await server.stop();
      embedded = undefined;
    });
  }
  const name = `adrec_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
