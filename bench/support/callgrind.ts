import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensureInstalled } from './wrk-load';

/**
 * Instructions per request, counted by valgrind's callgrind, for
 * `npm run bench:api -- --callgrind DIR`.
 *
 * Time on this shared two-core VM moves by several per cent from run to run,
 * and two processes of the same server can differ by more than the feature
 * being measured. An instruction count does not depend on what else the
 * machine is doing: the same server counted twice agrees within a few per
 * cent (the rest is the JIT compiling at different moments). Instructions are
 * not time — a cache miss costs more than an add — and valgrind sees user
 * space only, so the kernel's share of a request is not in the count.
 *
 * A server runs under valgrind with instrumentation off (tens of times slower
 * than natively, but its JIT warms up), and is counted only between
 * `CallgrindProcess.instrumentationOn` and `dump`. valgrind cannot name
 * JIT-compiled JavaScript; a node started with `--perf-basic-prof` writes a
 * map of its JIT code to /tmp/perf-<pid>.map, and `dump` names that code
 * from it (this is how nextTick's runtime calls were found: README,
 * Performance).
 */

/** valgrind on PATH, installed from the distribution's packages when missing (as wrk and perf are). */
export function ensureValgrind(): void {
  ensureInstalled('valgrind', 'valgrind', ['--version']);
}

/**
 * The command that runs `command` under callgrind, counting nothing until
 * `instrumentationOn`. `--smc-check=all`: V8 writes and rewrites machine
 * code, which valgrind must notice to count the code that really runs.
 */
function underCallgrind(outFile: string, command: string[]): string[] {
  return ['valgrind', '--tool=callgrind', '--smc-check=all', '--instr-atstart=no', `--callgrind-out-file=${outFile}`, ...command];
}

/**
 * A process started under callgrind (see `underCallgrind`), counted on demand
 * through callgrind_control.
 */
export class CallgrindProcess {
  readonly child: ChildProcess;

  constructor(
    private readonly outFile: string,
    command: string[],
    private readonly env: NodeJS.ProcessEnv,
  ) {
    // A dump of an earlier run would be overwritten in place (callgrind numbers
    // dumps from 1 in every process), which `dump` could not tell from no dump.
    for (const file of [outFile, ...dumpFiles(outFile)]) rmSync(file, { force: true });
    const [file, ...args] = underCallgrind(outFile, command);
    this.child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  }

  /** Starts counting, from zero. */
  instrumentationOn(): void {
    this.control('--instr=on');
    this.control('--zero');
  }

  /**
   * Writes the counts so far and stops counting; returns what the dump holds.
   * callgrind_control only asks for the dump: the process writes it when it
   * next checks for commands, so this waits for the file and its last line
   * (`totals:`).
   */
  async dump(timeoutMs = 120_000): Promise<InstructionCount> {
    const before = new Set(dumpFiles(this.outFile));
    this.control('--dump');
    for (const deadline = Date.now() + timeoutMs; ;) {
      const written = dumpFiles(this.outFile).filter((file) => !before.has(file) && /^totals:/m.test(readFileSync(file, 'utf8')));
      if (written.length > 0) {
        this.control('--instr=off');
        return readCounts(written[0], readJitMap(`/tmp/perf-${this.child.pid}.map`));
      }
      if (Date.now() > deadline) {
        throw new Error(`callgrind_control --dump ${this.child.pid}: no complete dump next to ${this.outFile} after ${timeoutMs / 1000} s`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * valgrind names the pipes callgrind_control talks through after the
   * process's USER and HOST variables (the API's HOST is its listen address),
   * so callgrind_control must run with the same two.
   */
  private control(...args: string[]): void {
    execFileSync('callgrind_control', [...args, String(this.child.pid)], {
      env: { ...process.env, USER: this.env.USER, HOST: this.env.HOST },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

export interface InstructionCount {
  /** Instructions executed in user space while counting, all threads (JIT compiler and GC included). */
  instructions: number;
  /**
   * By function, most first: native functions by name; JIT-compiled
   * JavaScript by the name in node's perf map, or as one entry without one.
   */
  byFunction: { name: string; instructions: number }[];
  /**
   * The same functions' inclusive counts: each with everything it called.
   * The code objects of one function (V8 compiles a function more than once)
   * are added up; a recursive call's frame (`fn'2`) is left out, being
   * already inside its caller's figure.
   */
  inclusive: Map<string, number>;
}

/** JIT-compiled code has no symbol valgrind can read: callgrind_annotate prints it as `???:0x…`. */
const JIT_CODE = 'JIT-compiled JavaScript (not in a perf map)';

/** One line of a perf map: code at [start, end) named `name`; `order` is the line's place (V8 reuses code memory: the latest line wins). */
interface JitCode {
  start: number;
  end: number;
  name: string;
  order: number;
}

/** `node --perf-basic-prof`'s map of a process's JIT code, sorted by start; empty when there is none. */
function readJitMap(file: string): JitCode[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line, order) => {
      const match = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
      if (!match) return [];
      const start = parseInt(match[1], 16);
      return [{ start, end: start + parseInt(match[2], 16), name: match[3], order }];
    })
    .sort((a, b) => a.start - b.start || a.order - b.order);
}

/** How far back from the last code starting at or before an address to look for later code covering it. */
const JIT_LOOKBACK = 64;

/** The name of the JIT code at `address`: of all map lines covering it, the latest. */
function jitName(map: JitCode[], address: number): string | undefined {
  let low = 0;
  let high = map.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (map[middle].start <= address) low = middle + 1;
    else high = middle;
  }
  let found: JitCode | undefined;
  for (let i = low - 1; i >= 0 && i >= low - JIT_LOOKBACK; i--) {
    const code = map[i];
    if (address < code.end && (!found || code.order > found.order)) found = code;
  }
  return found?.name;
}

function dumpFiles(outFile: string): string[] {
  const name = basename(outFile);
  return readdirSync(dirname(outFile))
    .filter((file) => file.startsWith(`${name}.`))
    .map((file) => join(dirname(outFile), file));
}

/** Totals and the per-function tables of one dump, self and inclusive, through callgrind_annotate (which ships with valgrind). */
function readCounts(file: string, jitMap: JitCode[]): InstructionCount {
  const annotate = (...options: string[]) =>
    execFileSync('callgrind_annotate', ['--threshold=100', '--auto=no', ...options, file], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
  const text = annotate();
  const total = /^\s*([\d,]+)(?: \([\d.]+%\))?\s+PROGRAM TOTALS/m.exec(text)?.[1];
  if (!total) throw new Error(`no PROGRAM TOTALS in callgrind_annotate ${file}`);
  const byName = new Map<string, number>();
  for (const { name, count } of functionLines(text, jitMap)) byName.set(name, (byName.get(name) ?? 0) + count);
  const inclusive = new Map<string, number>();
  for (const { name, count, recursive } of functionLines(annotate('--inclusive=yes'), jitMap)) {
    if (!recursive) inclusive.set(name, (inclusive.get(name) ?? 0) + count);
  }
  return {
    instructions: parseCount(total),
    byFunction: [...byName].map(([name, instructions]) => ({ name, instructions })).sort((a, b) => b.instructions - a.instructions),
    inclusive,
  };
}

/**
 * The function lines of callgrind_annotate's table, JIT code named from the
 * perf map, e.g. "19,468,428 ( 2.94%)  ???:Builtins_StringAdd_CheckNone [/path/to/node]".
 */
function* functionLines(text: string, jitMap: JitCode[]): Generator<{ name: string; count: number; recursive: boolean }> {
  for (const match of text.matchAll(/^\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S+?):(.+?)(?: \[(.*)\])?$/gm)) {
    const [, count, , fn] = match;
    // A recursive call's frame is named with a suffix, e.g. `0x…'2`.
    const recursive = /'\d+$/.test(fn);
    const jit = /^0x([0-9a-f]+)(?:'\d+)?$/.exec(fn);
    const name = jit ? (jitName(jitMap, parseInt(jit[1], 16)) ?? JIT_CODE) : fn.replace(/'\d+$/, '');
    yield { name, count: parseCount(count), recursive };
  }
}

const parseCount = (text: string) => Number(text.replace(/,/g, ''));
