import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const DIST = join(__dirname, '..', '..', 'dist', 'apps');

export interface AppProcess {
  name: string;
  child: ChildProcess;
  output: string[];
}

/**
 * Starts an app from its compiled entry point exactly as its container does
 * (`node dist/apps/<app>/src/main.js`), configured only by environment
 * variables. `npm test` builds dist first.
 */
export function startApp(app: 'ingest' | 'models' | 'writer' | 'api', env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [join(DIST, app, 'src', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { name: app, child, output };
}

/** SIGTERM, then wait for the process to drain and exit. */
export async function stopApp(app: AppProcess): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => app.child.once('exit', () => resolve()));
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 40_000);
  await exited;
  clearTimeout(timer);
}
