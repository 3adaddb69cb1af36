import { reportedStatus, RunRecord } from '@adrec/database';

/** How a run is shown by `GET /runs` (and the console): status, progress, timings, counts. */
export interface RunView {
  runId: string;
  runDate: string;
  windowDays: number;
  /** ingesting, running, stuck, published, superseded or failed. */
  status: string;
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
  required: ['runId', 'runDate', 'windowDays', 'status', 'progress', 'timings', 'inputCounts', 'badLines', 'error', 'warnings'],
  properties: {
    runId: { type: 'string' },
    runDate: { type: 'string' },
    windowDays: { type: 'integer' },
    status: { type: 'string' },
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
  },
} as const;
