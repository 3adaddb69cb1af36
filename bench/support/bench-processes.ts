import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessUsage {
  /** Peak resident set size (VmHWM), bytes. */
  peakRssBytes: number;
  /** Current resident set size (VmRSS), bytes. */
  rssBytes: number;
  /** User + system CPU time so far, seconds. */
  cpuSeconds: number;
  /** The system (kernel) part of cpuSeconds. */
  systemSeconds: number;
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
    return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS'), cpuSeconds: ticks / 100, systemSeconds: Number(fields[12]) / 100 };
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

/** The machine's CPU busy time (all cores, every process) at one moment. */
export interface BusySample {
  busySeconds: number;
  atMs: number;
}

/** Samples the whole machine's CPU busy time since boot (Linux /proc/stat). */
export function sampleMachineBusy(): BusySample {
  // cpu  user nice system idle iowait irq softirq steal ...
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return { busySeconds: (user + nice + system + irq + softirq + (steal ?? 0)) / 100, atMs: Date.now() };
}

/** Cores' worth of CPU the machine used between two samples (undefined when either is missing). */
export function busyCoresBetween(from: BusySample | undefined, to: BusySample | undefined): number | undefined {
  if (!from || !to || to.atMs <= from.atMs) return undefined;
  return Math.round(((to.busySeconds - from.busySeconds) / ((to.atMs - from.atMs) / 1000)) * 100) / 100;
}
