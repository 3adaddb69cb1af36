import { PublicationEvent, reportedStatus, RunRecord } from '@adrec/database';

/** How a run is shown by `GET /runs` (and the console): status, progress, timings, counts. */
export interface RunView {
  runId: string;
  runDate: string;
  windowDays: number;
  /** ingesting, running, stuck, published, superseded, staged, failed or deleted. */
  status: string;
  /** Published and pinned there by an operator (publish, rollback). */
  pinned: boolean;
  /** What the run does when complete: auto, stage (--stage) or force (--force). */
  publishMode: string;
  progress: { jobsDone: number; jobsTotal: number | null };
  timings: {
    triggeredAt: string;
    ingestStartedAt: string | null;
    ingestFinishedAt: string | null;
    firstResultAt: string | null;
    finishedAt: string | null;
    ingestSeconds: number | null;
    totalSeconds: number | null;
  };
  inputCounts: Record<string, number>;
  badLines: Record<string, number>;
  error: { code: string; message: string } | null;
  /** Input drift warnings (SPEC section 6); they do not stop publication unless DRIFT_FAILS_RUN is set. */
  warnings: { code: string; message: string }[];
  /** GET /runs/{runId} only: the publication changes that published this run or replaced it, newest first. */
  publications?: PublicationEventView[];
}

export interface PublicationEventView {
  runDate: string;
  runId: string;
  previousRunId: string | null;
  /** pipeline, publish, rollback or unpin. */
  how: string;
  pinned: boolean;
  reason: string | null;
  at: string;
}

export function toPublicationEventView(event: PublicationEvent): PublicationEventView {
  return {
    runDate: event.runDate,
    runId: event.runId,
    previousRunId: event.previousRunId,
    how: event.how,
    pinned: event.pinned,
    reason: event.reason,
    at: event.changedAt.toISOString(),
  };
}

function seconds(from: Date | null, to: Date | null): number | null {
  return from && to ? (to.getTime() - from.getTime()) / 1000 : null;
}

export function toRunView(run: RunRecord): RunView {
  return {
    runId: run.runId,
    runDate: run.runDate,
    windowDays: run.windowDays,
    status: reportedStatus(run),
    pinned: run.pinned,
    publishMode: run.publishMode,
    progress: { jobsDone: run.jobsDone, jobsTotal: run.jobsTotal },
    timings: {
      triggeredAt: run.triggeredAt.toISOString(),
      ingestStartedAt: run.ingestStartedAt?.toISOString() ?? null,
      ingestFinishedAt: run.ingestFinishedAt?.toISOString() ?? null,
      firstResultAt: run.firstResultAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      ingestSeconds: seconds(run.ingestStartedAt, run.ingestFinishedAt),
      totalSeconds: seconds(run.triggeredAt, run.finishedAt),
    },
    inputCounts: run.inputCounts,
    badLines: run.badLines,
    error: run.errorCode ? { code: run.errorCode, message: run.errorMessage ?? '' } : null,
    warnings: run.warnings ?? [],
  };
}

const nullableString = { type: ['string', 'null'] } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const counts = { type: 'object', additionalProperties: { type: 'number' } } as const;

/** JSON schema of RunView: Fastify serializes run responses with it (fast-json-stringify). */
export const RUN_VIEW_SCHEMA = {
  type: 'object',
  required: [
    'runId',
    'runDate',
    'windowDays',
    'status',
    'pinned',
    'publishMode',
    'progress',
    'timings',
    'inputCounts',
    'badLines',
    'error',
    'warnings',
  ],
  properties: {
    runId: { type: 'string' },
    runDate: { type: 'string' },
    windowDays: { type: 'integer' },
    status: { type: 'string' },
    pinned: { type: 'boolean' },
    publishMode: { type: 'string' },
    progress: {
      type: 'object',
      properties: { jobsDone: { type: 'integer' }, jobsTotal: { type: ['integer', 'null'] } },
    },
    timings: {
      type: 'object',
      properties: {
        triggeredAt: { type: 'string' },
        ingestStartedAt: nullableString,
        ingestFinishedAt: nullableString,
        firstResultAt: nullableString,
        finishedAt: nullableString,
        ingestSeconds: nullableNumber,
        totalSeconds: nullableNumber,
      },
    },
    inputCounts: counts,
    badLines: counts,
    error: {
      anyOf: [{ type: 'null' }, { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } }],
    },
    warnings: {
      type: 'array',
      items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    },
    publications: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          runDate: { type: 'string' },
          runId: { type: 'string' },
          previousRunId: nullableString,
          how: { type: 'string' },
          pinned: { type: 'boolean' },
          reason: nullableString,
          at: { type: 'string' },
        },
      },
    },
  },
} as const;
