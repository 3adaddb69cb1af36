import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { childEnvironment } from '@adrec/config';

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
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`fauxqs exited with code ${child.exitCode} on port ${port}`);
    try {
      if ((await fetch(`${endpoint}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fauxqs did not answer on ${endpoint} within 30s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // fauxqs waits for open keep-alive connections on SIGTERM; don't wait long for it.
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
