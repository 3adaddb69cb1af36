import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { childEnvironment } from '@adrec/config';
import { stopProcess, waitForHttpOk } from './child-processes';
import { freePort } from './local-postgres';

export interface LocalEmulator {
  /** The endpoint to give the AWS SDK clients (AWS_ENDPOINT_URL). */
  endpoint: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs fauxqs's CLI in a process that exits when its stdin closes, which
 * happens whenever the parent dies, however it dies: an emulator is never
 * left behind holding its port.
 */
const EXIT_WITH_PARENT =
  "process.stdin.on('end', () => process.exit(0)); process.stdin.resume(); " +
  "import(require('node:url').pathToFileURL(process.argv[1]).href);";

/** fauxqs ships as an ES module with a CLI; run it like the Docker image does. */
function fauxqsCliPath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'fauxqs', 'dist', 'cli.js');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('fauxqs is not installed; run npm install');
  }
}

/** How much of fauxqs's error output a failed start reports. */
const ERROR_OUTPUT_CHARS = 2000;

/**
 * Starts the fauxqs SQS/S3 emulator as a child process on `port` and waits
 * for its health check. Its own request log goes to `output`. fauxqs listens
 * on every interface (0.0.0.0), whatever FAUXQS_HOST says. If it exits
 * before answering, the error carries what it wrote to stderr (a port in
 * use shows as EADDRINUSE).
 */
export async function startLocalEmulator(port: number, output: 'ignore' | NodeJS.WritableStream = 'ignore'): Promise<LocalEmulator> {
  const child = spawn(process.execPath, ['-e', EXIT_WITH_PARENT, fauxqsCliPath()], {
    env: childEnvironment({ FAUXQS_PORT: String(port), FAUXQS_HOST: '127.0.0.1', FAUXQS_LOGGER: 'false' }),
    stdio: ['pipe', output === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
  });
  let errorOutput = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errorOutput = (errorOutput + chunk.toString()).slice(-ERROR_OUTPUT_CHARS);
  });
  if (output !== 'ignore') {
    child.stdout!.pipe(output, { end: false });
    child.stderr!.pipe(output, { end: false });
  }
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitForHttpOk(`${endpoint}/health`, 30_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    // The exit can be seen before the last of stderr is read: wait for the
    // stream to close, unless it already has (bounded, in case it never does).
    if (!child.stderr!.closed) await Promise.race([once(child.stderr!, 'close'), delay(1000)]);
    const said = errorOutput.trim();
    throw said ? new Error(`${(error as Error).message}; fauxqs wrote: ${said}`, { cause: error }) : error;
  }
  return {
    endpoint,
    process: child,
    // fauxqs waits for open keep-alive connections on SIGTERM; don't wait long for it.
    stop: () => stopProcess(child, 3000),
  };
}

/** Ports tried by `startLocalEmulatorOnFreePort` before it gives up. */
const FREE_PORT_ATTEMPTS = 3;

/**
 * `startLocalEmulator` on a free port. A port found free can be taken
 * before fauxqs binds it (fauxqs binds every interface; `freePort` checks
 * 127.0.0.1), so a start that fails with EADDRINUSE is tried again on another
 * port. `ports` gives the ports to try (tests pass their own).
 */
export async function startLocalEmulatorOnFreePort(
  output: 'ignore' | NodeJS.WritableStream = 'ignore',
  ports: () => Promise<number> = freePort,
): Promise<LocalEmulator> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLocalEmulator(await ports(), output);
    } catch (error) {
      if (attempt >= FREE_PORT_ATTEMPTS || !(error as Error).message.includes('EADDRINUSE')) throw error;
    }
  }
}
