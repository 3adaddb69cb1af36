import { ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processUsage } from './bench-processes';
import { TimeWindow } from './cpu-profile-summary';

/**
 * Load from wrk (a C load generator, so the generator is not what caps the
 * server on two cores) with the server's own CPU time measured beside it;
 * shared by the API benchmarks (`npm run bench:api`, `bench/rate-limiter.bench.ts`).
 */

const WRK_SCRIPT = join(__dirname, '..', 'wrk-report.lua');

/** How wrk loads a server. */
export interface LoadShape {
  threads: number;
  connections: number;
  /** Seconds of unmeasured load before each measured run. */
  warmup: number;
  /** Seconds of each measured run. */
  duration: number;
  /** The cores wrk and the servers run on; undefined: wherever the scheduler puts them. */
  pinning?: CorePinning;
}

/**
 * wrk on one core, every server on another (`taskset`, all of a server's
 * threads). Unpinned, the scheduler moves wrk and the server between the two
 * cores, sometimes onto the same one, and the same server's CPU per request
 * moved by ±15 % from run to run; pinned, a bare Fastify server's stays
 * within a few per cent (README, Performance). Every server gets the same
 * single core, as a one-vCPU container would.
 */
export interface CorePinning {
  wrkCpu: number;
  serverCpu: number;
}

/** The CPUs this process may run on, from /proc/self/status (e.g. "0-1" or "0,2-3"). */
function allowedCpus(): number[] {
  const list = /^Cpus_allowed_list:\s*(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '';
  return list.split(',').flatMap((range) => {
    const [from, to = from] = range.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/**
 * The first two CPUs this process may use, for wrk and the servers, and this
 * process (which only samples /proc during the load) moved onto wrk's; or
 * undefined, with the reason, where that is not possible or not wanted.
 */
export function pinCores(wanted: boolean): CorePinning | undefined {
  if (!wanted) return undefined;
  const cpus = allowedCpus();
  if (cpus.length < 2) {
    progress(`not pinning wrk and the servers: only CPU ${cpus.join('')} is available`);
    return undefined;
  }
  if (spawnSync('taskset', ['--version']).error) {
    progress('not pinning wrk and the servers: taskset (util-linux) is not installed');
    return undefined;
  }
  const pinning = { wrkCpu: cpus[0], serverCpu: cpus[1] };
  pinProcess(process.pid, pinning.wrkCpu);
  progress(`wrk (and this script) on CPU ${pinning.wrkCpu}, every server on CPU ${pinning.serverCpu}`);
  return pinning;
}

/** Moves a server's threads onto the servers' CPU, when pinning (see `pinCores`). */
export function pinServer(pinning: CorePinning | undefined, pid: number): void {
  if (pinning) pinProcess(pid, pinning.serverCpu);
}

/** Moves every thread of a running process onto one CPU; threads it starts later inherit that. */
function pinProcess(pid: number, cpu: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export interface Measurement {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  requests: number;
  /** Answers with a status of 400 or more (the loaded routes answer no 1xx or 3xx). */
  non2xx: number;
  /** Connect, read and write errors and timeouts. */
  errors: number;
  /** Cores the server process used during the run (CPU seconds / wall seconds). */
  serverCores: number;
  /**
   * The server's CPU time per answered request, microseconds, and its kernel
   * part (reading and writing the sockets): steadier than req/s on a shared
   * machine, since it does not depend on how much CPU the server was given.
   */
  cpuUsPerRequest: number;
  systemUsPerRequest: number;
  /** Cores wrk used: near 1 per thread would mean wrk, not the server, is the limit. */
  wrkCores: number;
  /** When the run was, on the monotonic clock CPU profiles use. */
  window: TimeWindow;
}

const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

const started = Date.now();
export function progress(message: string): void {
  process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);
}

/**
 * Makes sure `command` runs, installing its Debian package with apt-get
 * (through sudo unless root) when it does not: how the benches get the tools
 * they drive (wrk, perf, valgrind), as .ci/run installs Chromium.
 */
export function ensureInstalled(packageName: string, command: string, versionArgs: string[]): void {
  if (!spawnSync(command, versionArgs).error) return;
  progress(`${command} is not installed: apt-get install -y ${packageName}`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args: string[]) => {
    const [file, ...rest] = [...sudo, ...args];
    execFileSync(file, rest, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', packageName]);
  const after = spawnSync(command, versionArgs);
  if (after.error) throw new Error(`${command} is still not runnable after apt-get install ${packageName}: ${after.error.message}`);
}

/** wrk on PATH, installed from the distribution's packages when missing. */
export function ensureWrk(): string {
  ensureInstalled('wrk', 'wrk', ['--version']);
  const found = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  // wrk prints its version and usage, and exits 1, when given no URL.
  return /wrk\s+(\S+)/.exec(`${found.stdout}${found.stderr}`)?.[1] ?? 'unknown';
}

export interface WrkRun {
  /** Ends the run early (SIGINT: wrk stops and still reports). */
  stop(): void;
  result: Promise<Measurement>;
}

/** One wrk run against `base`, cycling through the paths in `pathsFile`, measuring `server`'s CPU too. */
export function startWrk(base: string, pathsFile: string, seconds: number, options: LoadShape, server: ChildProcess): WrkRun {
  const args = [
    '-t',
    String(options.threads),
    '-c',
    String(options.connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '5s',
    '-s',
    WRK_SCRIPT,
    base,
    '--',
    pathsFile,
  ];
  // taskset executes wrk in its own process, so the pid is wrk's.
  const wrk = options.pinning
    ? spawn('taskset', ['--cpu-list', String(options.pinning.wrkCpu), 'wrk', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const fromUs = monotonicUs();
  const before = { at: Date.now(), server: processUsage(server.pid!), wrk: processUsage(wrk.pid!) };
  let lastWrkUsage = before.wrk;
  // wrk's own CPU time can only be read while it runs: sample it until it exits.
  const sampler = setInterval(() => (lastWrkUsage = processUsage(wrk.pid!) ?? lastWrkUsage), 200);
  let output = '';
  wrk.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  wrk.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const result = new Promise<Measurement>((resolvePromise, reject) => {
    wrk.on('error', reject);
    wrk.on('exit', (code, signal) => {
      clearInterval(sampler);
      const window = { fromUs, toUs: monotonicUs() };
      const wallSeconds = (Date.now() - before.at) / 1000;
      const serverAfter = processUsage(server.pid!);
      const line = /^WRK_RESULT (\{.*\})$/m.exec(output)?.[1];
      if (!line) return reject(new Error(`wrk ${args.join(' ')} exited (${code ?? signal}) without a result:\n${output}`));
      const r = JSON.parse(line) as Record<string, number>;
      const ms = (micros: number) => Math.round(micros / 10) / 100;
      resolvePromise({
        reqPerSec: r.requests / (r.durationUs / 1e6),
        p50Ms: ms(r.p50Us),
        p99Ms: ms(r.p99Us),
        p999Ms: ms(r.p999Us),
        maxMs: ms(r.maxUs),
        requests: r.requests,
        non2xx: r.statusErrors,
        errors: r.connectErrors + r.readErrors + r.writeErrors + r.timeouts,
        serverCores: before.server && serverAfter ? round2((serverAfter.cpuSeconds - before.server.cpuSeconds) / wallSeconds) : NaN,
        cpuUsPerRequest:
          before.server && serverAfter ? round1(((serverAfter.cpuSeconds - before.server.cpuSeconds) * 1e6) / r.requests) : NaN,
        systemUsPerRequest:
          before.server && serverAfter ? round1(((serverAfter.systemSeconds - before.server.systemSeconds) * 1e6) / r.requests) : NaN,
        wrkCores: before.wrk && lastWrkUsage ? round2((lastWrkUsage.cpuSeconds - before.wrk.cpuSeconds) / wallSeconds) : NaN,
        window,
      });
    });
  });
  return { stop: () => wrk.kill('SIGINT'), result };
}

/** A warm-up (unmeasured) then a measured run. */
export async function measure(
  name: string,
  base: string,
  pathsFile: string,
  options: LoadShape,
  server: ChildProcess,
): Promise<Measurement> {
  if (options.warmup > 0) await startWrk(base, pathsFile, options.warmup, options, server).result;
  const measured = await startWrk(base, pathsFile, options.duration, options, server).result;
  progress(
    `  ${name}: ${Math.round(measured.reqPerSec)} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, p99.9 ${measured.p999Ms} ms, ` +
      `non-2xx ${measured.non2xx}, errors ${measured.errors}; server ${measured.serverCores} cores, ${measured.cpuUsPerRequest} µs CPU/req (kernel ${measured.systemUsPerRequest}), wrk ${measured.wrkCores} cores`,
  );
  return measured;
}
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Each figure's median over the rounds (errors summed: one bad round counts). */
export function medianOf(runs: Measurement[]): Measurement {
  // Rounded: with an even number of runs a median is the mean of two, e.g. 13.149999999999999.
  const m = (pick: (x: Measurement) => number) => round3(median(runs.map(pick)));
  const sum = (pick: (x: Measurement) => number) => runs.reduce((total, x) => total + pick(x), 0);
  return {
    reqPerSec: m((x) => x.reqPerSec),
    p50Ms: m((x) => x.p50Ms),
    p99Ms: m((x) => x.p99Ms),
    p999Ms: m((x) => x.p999Ms),
    maxMs: Math.max(...runs.map((x) => x.maxMs)),
    requests: sum((x) => x.requests),
    non2xx: sum((x) => x.non2xx),
    errors: sum((x) => x.errors),
    serverCores: m((x) => x.serverCores),
    wrkCores: m((x) => x.wrkCores),
    cpuUsPerRequest: m((x) => x.cpuUsPerRequest),
    systemUsPerRequest: m((x) => x.systemUsPerRequest),
    window: { fromUs: Math.min(...runs.map((x) => x.window.fromUs)), toUs: Math.max(...runs.map((x) => x.window.toUs)) },
  };
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  '))
    .join('\n');
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const round2 = (n: number) => Math.round(n * 100) / 100;
export const round3 = (n: number) => Math.round(n * 1000) / 1000;
export const percent = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;

export function row(name: string, m: Measurement): string[] {
  return [
    name,
    Math.round(m.reqPerSec).toString(),
    m.p50Ms.toFixed(2),
    m.p99Ms.toFixed(2),
    m.p999Ms.toFixed(2),
    m.non2xx.toString(),
    m.errors.toString(),
    m.serverCores.toFixed(2),
    m.wrkCores.toFixed(2),
    `${m.cpuUsPerRequest} (${m.systemUsPerRequest})`,
  ];
}
export const HEADER = [
  '',
  'req/s',
  'p50 ms',
  'p99 ms',
  'p99.9 ms',
  'non-2xx',
  'errors',
  'server cores',
  'wrk cores',
  'server CPU µs/req (kernel)',
];

export function jsonOf(m: Measurement) {
  return {
    reqPerSec: round1(m.reqPerSec),
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    p999Ms: m.p999Ms,
    maxMs: m.maxMs,
    non2xx: m.non2xx,
    errors: m.errors,
    serverCores: m.serverCores,
    wrkCores: m.wrkCores,
    cpuUsPerRequest: m.cpuUsPerRequest,
    systemUsPerRequest: m.systemUsPerRequest,
  };
}
