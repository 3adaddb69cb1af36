import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (node --cpu-prof) this summary reads. */
interface CpuProfile {
  /** Microseconds on the monotonic clock (the one process.hrtime reads). */
  startTime: number;
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  name: string;
  /** Share of the profile's busy (non-idle) samples' time, 0..1. */
  share: number;
}

export interface ProfileSummary {
  /** Busy time in the profile, seconds (idle excluded). */
  busySeconds: number;
  /** Share of all sampled time the process was idle (waiting in epoll). */
  idleShare: number;
  /** Self time by where the code lives: a package, a Node built-in module, an adrec file, GC. */
  byOrigin: ProfileShare[];
  /** Self time by function. */
  byFunction: ProfileShare[];
}

/** Where a frame's code lives: `fastify`, `node:_http_server`, `adrec:apps/api/src/edge-hooks`, `(garbage collector)`. */
function originOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:');
  const own = /\/((?:apps|libs)\/.+?)\.js$/.exec(url);
  return own ? `adrec:${own[1]}` : url;
}

/** A stretch of time on the monotonic clock, in microseconds (`process.hrtime.bigint() / 1000n`). */
export interface TimeWindow {
  fromUs: number;
  toUs: number;
}

/**
 * Self time of a CPU profile, grouped by origin and by function, largest
 * first. With `windows`, only the samples taken inside them count (the
 * measured load, not the process's start or the bench's setup requests).
 */
export function summarizeCpuProfile(file: string, windows?: TimeWindow[], top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let total = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    at += micros;
    if (windows && !windows.some((window) => at >= window.fromUs && at <= window.toUs)) return;
    total += micros;
    const frame = frames.get(id)!;
    if (frame.functionName === '(idle)') {
      idle += micros;
      return;
    }
    const origin = originOf(frame.url, frame.functionName);
    byOrigin.set(origin, (byOrigin.get(origin) ?? 0) + micros);
    const name = `${frame.functionName || '(anonymous)'} ${origin}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  });
  const busy = total - idle;
  const ranked = (shares: Map<string, number>) =>
    [...shares]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: busy > 0 ? micros / busy : 0 }));
  return { busySeconds: busy / 1e6, idleShare: total > 0 ? idle / total : 0, byOrigin: ranked(byOrigin), byFunction: ranked(byFunction) };
}
