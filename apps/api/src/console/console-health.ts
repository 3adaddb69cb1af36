import { Controller, Get, Inject, Injectable } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { APP_CONFIG, AppConfig } from '@adrec/config';
import { QueueDepth } from '@adrec/messaging';
import { ConsoleQueues } from './console-queues';

/** A process's ops server is asked this long before it counts as not answering. */
const PROBE_TIMEOUT_MS = 1500;

export interface ProcessStatus {
  name: string;
  /** GET /ready answered 200; null when the process did not answer. */
  ready: boolean | null;
  /** GET /health answered 200; null when the process did not answer. */
  live: boolean | null;
  /** The latest completed receive of any of its consumers (ISO time), null when none or unknown. */
  lastPollAt: string | null;
  /** Why it is not ready or not live, or why it did not answer. */
  detail?: string;
}

export interface QueueHealth extends Pick<QueueDepth, 'queue' | 'visible' | 'deadLettered'> {
  /** How long the last message its consumers took had waited (s), as they report it; null when unknown. */
  lastWaitSeconds: number | null;
}

export interface HealthStrip {
  processes: ProcessStatus[];
  /** null when SQS did not answer (on AWS the API's role may not read queues). */
  queues: QueueHealth[] | null;
  lastPublishedAt: string | null;
  secondsSinceLastPublication: number | null;
}

/** The publication time the strip shows; read-only SQL beside the strip that needs it. */
@Injectable()
export class ConsoleHealthRepository {
  constructor(private readonly pool: Pool) {}

  async lastPublishedAt(): Promise<Date | null> {
    const result = await this.pool.query<{ at: Date | null }>('SELECT max(published_at) AS at FROM publications');
    return result.rows[0]?.at ?? null;
  }
}

/**
 * The console's health strip: each configured process's readiness and last
 * poll (asked from its ops server, CONSOLE_OPS_TARGETS), each queue's
 * backlog and last wait, and the time since the last publication.
 */
@ApiTags('console')
@Controller('console/api')
export class ConsoleHealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: ConsoleQueues,
    private readonly repository: ConsoleHealthRepository,
  ) {}

  @Get('health')
  @ApiOperation({ summary: "Each process's readiness and last poll, queue backlogs and waits, time since the last publication" })
  @ApiOkResponse({
    schema: {
      example: {
        processes: [{ name: 'models', ready: true, live: true, lastPollAt: '2026-12-02T21:00:00.000Z' }],
        queues: [{ queue: 'jobs', visible: 0, deadLettered: 0, lastWaitSeconds: 0.4 }],
        lastPublishedAt: '2026-12-02T02:03:10.000Z',
        secondsSinceLastPublication: 68210,
      },
    },
  })
  async health(): Promise<HealthStrip> {
    const [reports, depths, lastPublished] = await Promise.all([
      Promise.all(this.config.console.opsTargets.map((target) => probe(target.name, target.url))),
      this.queues.depths().catch(() => null),
      this.repository.lastPublishedAt(),
    ]);
    const waits = new Map<string, number>();
    for (const report of reports) {
      for (const [queue, consumer] of Object.entries(report.consumers)) {
        if (consumer.lastWaitSeconds !== null) waits.set(queue, consumer.lastWaitSeconds);
      }
    }
    return {
      processes: reports.map((report) => report.status),
      queues:
        depths?.map((d) => ({
          queue: d.queue,
          visible: d.visible,
          deadLettered: d.deadLettered,
          lastWaitSeconds: waits.get(d.queue) ?? null,
        })) ?? null,
      lastPublishedAt: lastPublished?.toISOString() ?? null,
      secondsSinceLastPublication: lastPublished ? Math.round((Date.now() - lastPublished.getTime()) / 1000) : null,
    };
  }
}

type ConsumerReport = Record<string, { lastPollAt: string | null; lastWaitSeconds: number | null }>;

async function probe(name: string, url: string): Promise<{ status: ProcessStatus; consumers: ConsumerReport }> {
  const ask = async (path: string) => {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { ok: response.ok, body: (await response.json()) as Record<string, unknown> };
  };
  try {
    const [ready, health] = await Promise.all([ask('/ready'), ask('/health')]);
    const consumers = (health.body.consumers ?? {}) as ConsumerReport;
    const polls = Object.values(consumers)
      .map((c) => c.lastPollAt)
      .filter((at): at is string => at !== null)
      .sort();
    const problems = [
      ...Object.entries((ready.body.checks ?? {}) as Record<string, string>)
        .filter(([, v]) => v !== 'ok')
        .map(([k, v]) => `${k}: ${v}`),
      ...((health.body.problems ?? []) as string[]),
    ];
    return {
      status: {
        name,
        ready: ready.ok,
        live: health.ok,
        lastPollAt: polls.at(-1) ?? null,
        ...(problems.length ? { detail: problems.join('; ') } : {}),
      },
      consumers,
    };
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${PROBE_TIMEOUT_MS} ms` : 'not reachable';
    return { status: { name, ready: null, live: null, lastPollAt: null, detail: reason }, consumers: {} };
  }
}
