import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stopProcess } from '@adrec/runtime';

export interface AppProcess {
  name: string;
  child: ChildProcess;
  /** The process's latest output chunks (the last 200), for assertions and error reports. */
  output: string[];
}

/**
 * The repository root: the first directory above this file holding the
 * apps' build (`dist/apps`). Found by walking up, so the same code works from
 * `test/` under jest and from `dist-bench/test/` in the benchmarks.
 */
export function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'dist', 'apps')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('dist/apps not found: run `npm run build` first');
  }
}

/**
 * Starts an app from its compiled entry point exactly as its container does
 * (`node dist/apps/<app>/src/main.js`), configured only by environment
 * variables. `nodeArgs` adds flags such as `--cpu-prof`. `npm test` builds
 * dist first.
 */
export function startApp(app: 'ingest' | 'models' | 'writer' | 'api', env: Record<string, string>, nodeArgs: string[] = []): AppProcess {
  const child = spawn(process.execPath, [...nodeArgs, join(repositoryRoot(), 'dist', 'apps', app, 'src', 'main.js')], {
    // No ops port unless asked for: the default one would collide between apps and test runs.
    env: { PATH: process.env.PATH ?? '', METRICS_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  // Keep only the tail: a long run logs a lot, and memory must not grow with it.
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name: app, child, output };
}

/** SIGTERM, then wait for the process to drain and exit (SIGKILL after 40 s). */
export function stopApp(app: AppProcess): Promise<void> {
  return stopProcess(app.child, 40_000);
}
