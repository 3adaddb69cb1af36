import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppProcess } from '../../test/support/app-processes';

/**
 * The repository root: the first directory above this file that holds the
 * apps' build (`dist/apps`). The benchmark itself is compiled to
 * `dist-bench/`, so test/support's `startApp` (which looks for `dist` next to
 * `test/`) cannot be used as is.
 */
export function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'dist', 'apps')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error('dist/apps not found: run `npm run build` first');
  }
}

/**
 * Starts an app from its compiled entry point, as its container does
 * (`node dist/apps/<app>/src/main.js`), configured by environment variables
 * only. `nodeArgs` adds flags such as `--cpu-prof`.
 */
export function startBenchApp(
  app: 'ingest' | 'models' | 'writer',
  env: Record<string, string>,
  nodeArgs: string[] = [],
): AppProcess {
  const entry = join(repositoryRoot(), 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  // Keep only the tail: a long run logs a lot and the benchmark must not grow with it.
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name: app, child, output };
}

export interface ProcessUsage {
  /** Peak resident set size (VmHWM), bytes. */
  peakRssBytes: number;
  /** Current resident set size (VmRSS), bytes. */
  rssBytes: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
}

/** Reads a live process's peak RSS and CPU time from /proc (Linux). Undefined once it is gone. */
export function processUsage(pid: number): ProcessUsage | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS'), cpuSeconds: ticks / 100 };
  } catch {
    return undefined;
  }
}

/** The pid of a direct child of this process whose command line contains `needle` (e.g. the fauxqs emulator). */
export function findChildPid(needle: string): number | undefined {
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    let children: string;
    try {
      children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const pid of children.trim().split(/\s+/).filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) return pid;
      } catch {
        // exited meanwhile
      }
    }
  }
  return undefined;
}
