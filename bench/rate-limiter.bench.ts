import { ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopProcess, waitForHttpOk } from '@adrec/runtime';
import {
  ensureWrk,
  HEADER,
  LoadShape,
  jsonOf,
  measure,
  Measurement,
  median,
  medianOf,
  pinCores,
  pinServer,
  progress,
  round3,
  row,
  table,
} from './support/wrk-load';

/**
 * Does the API's hand-written rate limiter (`FixedWindowRateLimiter`,
 * apps/api/src/rate-limiter.ts) still earn its place next to the library
 * that would replace it, @fastify/rate-limit? (`npm run bench:rate-limiter`)
 *
 *   npm run bench:rate-limiter -- [--duration 10] [--warmup 2] [--rounds 5] [--connections 100] [--no-pin]
 *
 * Three servers, each its own process (bench/rate-limited-server.ts): the
 * same bare Fastify route with no limit, with adrec's limiter, and with
 * @fastify/rate-limit; loaded in turn by wrk, the order rotating every round.
 * Figures are medians over the rounds. What each limiter costs is its CPU per
 * request minus the unlimited server's in the same round: CPU per request is
 * what a shared machine disturbs least. wrk and the servers are pinned to a
 * core each, as in `npm run bench:api` (`--no-pin`: not). The last line is
 * one JSON object.
 */

const MODES = ['none', 'adrec', 'fastify-rate-limit'] as const;
type Mode = (typeof MODES)[number];

interface Options extends LoadShape {
  rounds: number;
  pin: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { duration: 10, warmup: 2, rounds: 5, connections: 100, threads: 1, pin: true };
  const numeric = ['duration', 'warmup', 'rounds', 'connections', 'threads'] as const;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--no-pin') {
      options.pin = false;
      continue;
    }
    const key = numeric.find((name) => argv[i] === `--${name}`);
    if (!key) throw new Error(`unknown argument ${argv[i]}; known: ${numeric.map((k) => `--${k}`).join(' ')} --no-pin`);
    const value = Number(argv[++i]);
    const minimum = key === 'warmup' ? 0 : 1;
    if (!Number.isInteger(value) || value < minimum) throw new Error(`--${key} needs an integer ≥ ${minimum}, got ${argv[i]}`);
    options[key] = value;
  }
  return options;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const wrkVersion = ensureWrk();
  options.pinning = pinCores(options.pin);
  const workDir = await mkdtemp(join(tmpdir(), 'adrec-bench-limiter-'));
  const servers: { mode: Mode; base: string; process: ChildProcess; runs: Measurement[] }[] = [];
  try {
    const pathsFile = join(workDir, 'paths.txt');
    await writeFile(pathsFile, '/recommendations/VQ4YGSJW5RI50LHSYVAQ/top_ctr\n');
    for (const mode of MODES) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(__dirname, 'rate-limited-server.js'), mode, String(port)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      servers.push({ mode, base: `http://127.0.0.1:${port}`, process: child, runs: [] });
      pinServer(options.pinning, child.pid!);
      await waitForHttpOk(`http://127.0.0.1:${port}/recommendations/VQ4YGSJW5RI50LHSYVAQ/top_ctr`, 30_000, child);
    }
    progress(`wrk ${wrkVersion}; servers: ${servers.map((s) => `${s.mode} ${s.base}`).join(', ')}`);
    for (let round = 0; round < options.rounds; round++) {
      progress(`round ${round + 1}/${options.rounds}: ${options.duration}s × ${options.connections} connections`);
      // Rotate the order so that no server always runs first (or right after the same one).
      for (let k = 0; k < servers.length; k++) {
        const server = servers[(round + k) % servers.length];
        server.runs.push(await measure(server.mode, server.base, pathsFile, options, server.process));
      }
    }
  } finally {
    for (const server of servers) await stopProcess(server.process, 10_000);
    await rm(workDir, { recursive: true, force: true });
  }

  const [none, adrec, library] = servers;
  /** Per round: the server's CPU per request minus the unlimited server's, µs. */
  const costOf = (server: (typeof servers)[number]) =>
    round3(median(server.runs.map((m, round) => m.cpuUsPerRequest - none.runs[round].cpuUsPerRequest)));
  const ratioOf = (server: (typeof servers)[number]) => median(server.runs.map((m, round) => m.reqPerSec / none.runs[round].reqPerSec));
  const clean = servers.every((s) => s.runs.every((m) => m.non2xx === 0 && m.errors === 0));
  const result = {
    none: jsonOf(medianOf(none.runs)),
    adrec: { ...jsonOf(medianOf(adrec.runs)), limiterCpuUs: costOf(adrec), reqPerSecRatio: round3(ratioOf(adrec)) },
    fastifyRateLimit: { ...jsonOf(medianOf(library.runs)), limiterCpuUs: costOf(library), reqPerSecRatio: round3(ratioOf(library)) },
    clean,
    options,
  };
  process.stdout.write(
    `\nthe same bare Fastify route, rate limit done three ways; wrk ${options.threads} thread(s), ${options.connections} connections, ` +
      `${options.duration} s per run, ${options.rounds} rotating rounds (medians)\n\n` +
      table([HEADER, ...servers.map((s) => row(s.mode, medianOf(s.runs)))]) +
      `\n\nCPU per request over no limiter (median of the rounds' differences): adrec ${result.adrec.limiterCpuUs} µs, ` +
      `@fastify/rate-limit ${result.fastifyRateLimit.limiterCpuUs} µs; req/s against no limiter: adrec ${result.adrec.reqPerSecRatio}, ` +
      `@fastify/rate-limit ${result.fastifyRateLimit.reqPerSecRatio}\n` +
      (clean ? '' : 'NOT CLEAN: some answers were errors or non-2xx; the figures are not comparable\n') +
      `${JSON.stringify(result)}\n`,
  );
  if (!clean) process.exitCode = 1;
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
