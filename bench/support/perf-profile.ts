import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { ensureInstalled } from './wrk-load';

/**
 * CPU profiles taken with Linux `perf` (sampling the CPU clock of a process,
 * kernel and native code included), for `npm run bench:api -- --perf DIR`.
 *
 * V8's own profiler (`--cpu-prof`) sees only JavaScript frames and charges
 * native work to whatever JavaScript frame is on top: in the API it put 4 µs
 * per request on `process.nextTick`, which perf measures at 0.5 µs in both
 * servers. perf splits a request's CPU into the kernel, Node's binary (V8's
 * builtins, runtime and GC, the HTTP parser) and JIT-compiled JavaScript
 * (named through `node --perf-basic-prof`).
 */

/** Samples per second: one every 500 µs of CPU. */
const FREQUENCY = 2000;

/** perf on PATH, installed from the distribution's packages when missing (as wrk is). */
export function ensurePerf(): void {
  ensureInstalled('linux-perf', 'perf', ['--version']);
}

/** Records `pid` until `stop()`; the data goes to `file`. */
export function startPerf(pid: number, file: string): { stop(): Promise<void> } {
  const perf: ChildProcess = spawn('perf', ['record', '-e', 'cpu-clock', '-F', String(FREQUENCY), '-g', '-p', String(pid), '-o', file], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  perf.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<string>((resolve) => perf.on('exit', (code, signal) => resolve(signal ?? String(code))));
  return {
    stop: async () => {
      perf.kill('SIGINT');
      // perf writes its data on SIGINT, then ends by that signal.
      const ending = await exited;
      if (ending !== '0' && ending !== 'SIGINT') throw new Error(`perf record -p ${pid} ended with ${ending}: ${errors.trim()}`);
    },
  };
}

export interface PerfShare {
  name: string;
  /** CPU microseconds per request. */
  us: number;
}

export interface PerfSummary {
  total: number;
  /** kernel, node (V8 builtins, runtime, GC, the HTTP parser), JIT (JavaScript), libc... */
  byObject: PerfShare[];
  bySymbol: PerfShare[];
}

/** Self CPU per request, by binary and by symbol, from a perf recording of `requests` answers. */
export function summarizePerf(file: string, requests: number): PerfSummary {
  const report = execFileSync('perf', ['report', '-i', file, '-n', '--no-children', '--sort', 'dso,sym', '--stdio', '-g', 'none'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const usPerSample = 1e6 / FREQUENCY / requests;
  const byObject = new Map<string, number>();
  const bySymbol = new Map<string, number>();
  let total = 0;
  // "    15.24%          1203  [kernel.kallsyms]  [k] _raw_spin_unlock_irqrestore"
  for (const match of report.matchAll(/^\s+[\d.]+%\s+(\d+)\s+(\S+(?: tid \d+)?)\s+\[[.k]\]\s+(.+)$/gm)) {
    const us = Number(match[1]) * usPerSample;
    const object = match[2].startsWith('[JIT]') ? 'JIT (JavaScript)' : match[2].replace(/^\[kernel\.kallsyms\]$/, 'kernel');
    const symbol = match[3].trim().replace(/\s+/g, ' ');
    const key = `${object === 'JIT (JavaScript)' ? 'JIT' : object}: ${symbol}`;
    byObject.set(object, (byObject.get(object) ?? 0) + us);
    bySymbol.set(key, (bySymbol.get(key) ?? 0) + us);
    total += us;
  }
  const sorted = (map: Map<string, number>) => [...map].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us);
  return { total, byObject: sorted(byObject), bySymbol: sorted(bySymbol) };
}

/** The perf map files `node --perf-basic-prof` leaves in /tmp. */
export async function removePerfMaps(pids: number[]): Promise<void> {
  await Promise.all(pids.map((pid) => rm(`/tmp/perf-${pid}.map`, { force: true })));
}
