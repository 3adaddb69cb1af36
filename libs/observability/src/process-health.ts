import { monitorEventLoopDelay } from 'node:perf_hooks';

/** A dependency the process needs to do its work (SQS, PostgreSQL); throws when it does not answer. */
export type ReadinessProbe = () => Promise<void>;

/** A liveness condition beyond the built-in ones (the scheduler: its cron still armed). */
export type LivenessCheck = () => { ok: boolean; detail?: string };

export interface HealthReport {
  status: 'ok' | 'unhealthy';
  /** Worst event-loop delay over the last ten seconds, in milliseconds. */
  eventLoopDelayMs: number;
  /** Per consumed queue: when a receive last completed (ISO time) and batches being handled. */
  consumers: Record<string, { lastPollAt: string | null; batchesInFlight: number; lastWaitSeconds: number | null }>;
  problems: string[];
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  draining: boolean;
  /** Each check's state: `ok`, or what is wrong. */
  checks: Record<string, string>;
}

/** The event loop counts as stuck above this delay: SQS long polls, heartbeats and health checks all stall with it. */
const MAX_EVENT_LOOP_DELAY_MS = 10_000;
/** A probe that has not answered in this time counts as failed. */
const PROBE_TIMEOUT_MS = 3_000;

interface ConsumerState {
  started: boolean;
  lastPollAt: number | null;
  batchesInFlight: number;
  /** How long the latest batch's oldest message had waited in the queue (from SentTimestamp). */
  lastWaitSeconds: number | null;
  /** Start of the oldest batch still being handled, for the stuck-handler check. */
  inFlightSince: number[];
}

/**
 * Liveness and readiness of one process, fed by its queue consumers and its
 * entry point, read by the ops server:
 * - live (`/health`): the event loop turns, and every consumer completed a
 *   receive within `maxPollAgeSeconds` — or is busy with a batch for less
 *   than that (a consumer does not poll while its handler runs; a heartbeat
 *   keeps the messages hidden);
 * - ready (`/ready`): every consumer started, every probe (SQS,
 *   PostgreSQL) answers, and the process is not draining.
 */
export class ProcessHealth {
  private readonly consumers = new Map<string, ConsumerState>();
  private readonly probes = new Map<string, ReadinessProbe>();
  private readonly livenessChecks = new Map<string, LivenessCheck>();
  private draining = false;
  private started = false;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 20 });
  private worstRecentDelayMs = 0;
  private sampler: NodeJS.Timeout | undefined;

  constructor(private maxPollAgeSeconds = 300) {}

  /** Starts sampling the event loop; called by the ops server. */
  start(maxPollAgeSeconds: number): void {
    this.maxPollAgeSeconds = maxPollAgeSeconds;
    if (this.sampler) return;
    this.loopDelay.enable();
    this.sampler = setInterval(() => {
      this.worstRecentDelayMs = this.loopDelay.max / 1e6;
      this.loopDelay.reset();
    }, 10_000);
    this.sampler.unref();
  }

  stop(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
    this.loopDelay.disable();
  }

  /** Called by the entry point once start-up is over (its consumers started); readiness waits for it. */
  markStarted(): void {
    this.started = true;
  }

  consumerStarted(queue: string): void {
    this.consumer(queue).started = true;
  }

  consumerStopped(queue: string): void {
    this.consumer(queue).started = false;
  }

  polled(queue: string, at = Date.now()): void {
    this.consumer(queue).lastPollAt = at;
  }

  batchStarted(queue: string, at = Date.now(), waitedSeconds?: number): void {
    const state = this.consumer(queue);
    if (waitedSeconds !== undefined) state.lastWaitSeconds = waitedSeconds;
    state.batchesInFlight++;
    state.inFlightSince.push(at);
  }

  batchFinished(queue: string, startedAt: number): void {
    const state = this.consumer(queue);
    state.batchesInFlight--;
    const index = state.inFlightSince.indexOf(startedAt);
    if (index >= 0) state.inFlightSince.splice(index, 1);
    // A finished batch is followed by a receive at once: it counts as a poll.
    state.lastPollAt = Date.now();
  }

  /** From the first SIGTERM on: not ready, so a load balancer or orchestrator stops counting on it. */
  markDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  addReadinessProbe(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
  }

  addLivenessCheck(name: string, check: LivenessCheck): void {
    this.livenessChecks.set(name, check);
  }

  liveness(now = Date.now()): HealthReport {
    const problems: string[] = [];
    const eventLoopDelayMs = Math.round(Math.max(this.worstRecentDelayMs, this.loopDelay.max / 1e6));
    if (eventLoopDelayMs > MAX_EVENT_LOOP_DELAY_MS) problems.push(`event loop blocked for ${eventLoopDelayMs} ms`);
    const maxAgeMs = this.maxPollAgeSeconds * 1000;
    const consumers: HealthReport['consumers'] = {};
    for (const [queue, state] of this.consumers) {
      consumers[queue] = {
        lastPollAt: state.lastPollAt === null ? null : new Date(state.lastPollAt).toISOString(),
        batchesInFlight: state.batchesInFlight,
        lastWaitSeconds: state.lastWaitSeconds,
      };
      if (!state.started) continue;
      const oldestBatch = state.inFlightSince.length > 0 ? Math.min(...state.inFlightSince) : undefined;
      if (oldestBatch !== undefined && now - oldestBatch > maxAgeMs) {
        problems.push(`${queue}: a batch has been handled for ${Math.round((now - oldestBatch) / 1000)} s`);
      } else if (oldestBatch === undefined && state.lastPollAt !== null && now - state.lastPollAt > maxAgeMs) {
        problems.push(`${queue}: no receive completed for ${Math.round((now - state.lastPollAt) / 1000)} s`);
      }
    }
    for (const [name, check] of this.livenessChecks) {
      const result = check();
      if (!result.ok) problems.push(`${name}: ${result.detail ?? 'failed'}`);
    }
    return { status: problems.length === 0 ? 'ok' : 'unhealthy', eventLoopDelayMs, consumers, problems };
  }

  async readiness(): Promise<ReadinessReport> {
    const checks: ReadinessReport['checks'] = {};
    const stopped = [...this.consumers].filter(([, state]) => !state.started).map(([queue]) => queue);
    checks.startup = this.started ? 'ok' : 'starting';
    if (stopped.length > 0) checks.consumers = `not consuming: ${stopped.join(', ')}`;
    await Promise.all(
      [...this.probes].map(async ([name, probe]) => {
        try {
          await withTimeout(probe(), PROBE_TIMEOUT_MS);
          checks[name] = 'ok';
        } catch (error) {
          checks[name] = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    if (this.draining) checks.draining = 'draining';
    const ready = !this.draining && Object.values(checks).every((value) => value === 'ok');
    return { status: ready ? 'ready' : 'not ready', draining: this.draining, checks };
  }

  private consumer(queue: string): ConsumerState {
    let state = this.consumers.get(queue);
    if (!state) {
      state = { started: false, lastPollAt: null, batchesInFlight: 0, lastWaitSeconds: null, inFlightSince: [] };
      this.consumers.set(queue, state);
    }
    return state;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** This process's health, fed by its consumers (one per process, like its metrics). */
export const processHealth = new ProcessHealth();
