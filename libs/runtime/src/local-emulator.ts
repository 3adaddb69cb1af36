import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { childEnvironment } from '@adrec/config';
import { stopProcess, waitForHttpOk } from './child-processes';

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

/**
 * Starts the fauxqs SQS/S3 emulator as a child process on 127.0.0.1:`port`
 * and waits for its health check. Its own request log goes to `output`.
 */
export async function startLocalEmulator(port: number, output: 'ignore' | NodeJS.WritableStream = 'ignore'): Promise<LocalEmulator> {
  const child = spawn(process.execPath, ['-e', EXIT_WITH_PARENT, fauxqsCliPath()], {
    env: childEnvironment({ FAUXQS_PORT: String(port), FAUXQS_HOST: '127.0.0.1', FAUXQS_LOGGER: 'false' }),
    stdio: ['pipe', output === 'ignore' ? 'ignore' : 'pipe', output === 'ignore' ? 'ignore' : 'pipe'],
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
    throw error;
  }
  return {
    endpoint,
    process: child,
    // fauxqs waits for open keep-alive connections on SIGTERM; don't wait long for it.
    stop: () => stopProcess(child, 3000),
  };
}
