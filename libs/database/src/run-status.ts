import type { RunRecord, RunStatus } from './runs.repository';

/** What `GET /runs`, the console and `adrec runs` show: a run's stored status, or `stuck`. */
export type ReportedRunStatus = RunStatus | 'stuck';

export function reportedStatus(run: Pick<RunRecord, 'status' | 'stuck'>): ReportedRunStatus {
  return run.stuck ? 'stuck' : run.status;
}

/** Why a run is not going anywhere, in words an operator can act on; undefined for a run that is fine. */
export function runProblem(run: RunRecord, stuckAfterSeconds: number): string | undefined {
  if (run.status === 'failed') return `${run.errorCode ?? 'RUN.FAILED'}: ${run.errorMessage ?? 'no reason recorded'}`;
  if (!run.stuck) return undefined;
  const quiet = `for over ${stuckAfterSeconds}s (RUN_STUCK_AFTER_SECONDS)`;
  if (run.status === 'ingesting') {
    return `ingest has not finished ${quiet}; is an ingest worker running? \`adrec dlq list\` shows a dead-lettered trigger`;
  }
  const pending = run.jobsTotal === null ? 'some' : `${run.jobsTotal - run.jobsDone} of ${run.jobsTotal}`;
  return `no job has finished ${quiet}; ${pending} jobs have no result. \`adrec dlq list\` shows dead-lettered jobs, \`adrec dlq redrive\` sends them back`;
}
