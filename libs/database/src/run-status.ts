import type { RunRecord, RunStatus } from './runs.repository';

/** What `GET /runs`, the console and `adrec runs` show: a run's stored status, or `stuck`. */
export type ReportedRunStatus = RunStatus | 'stuck';

/**
 * The stuck rule, as SQL over a row of `runs` (the one place it is written;
 * the API, the CLI and the console all read it through RunsRepository):
 * an unfinished run is stuck when neither it nor any run registered before
 * it has moved for `stuckAfterSeconds`. A run's clock starts when ingest
 * takes its trigger, not when it was sent, and runs ahead of it moving
 * (finishing ingest, storing results, publishing) count as its progress too:
 * a run queued behind a backfill is waiting, not stuck. A job dead-lettered
 * stops its run; the runs behind it keep moving and stay unstuck.
 */
export function stuckSql(stuckAfterSeconds: number): string {
  const since = `now() - make_interval(secs => ${Math.floor(stuckAfterSeconds)})`;
  return `(runs.status IN ('ingesting', 'running')
    AND COALESCE(runs.last_progress_at, runs.ingest_started_at, runs.triggered_at) < ${since}
    AND NOT EXISTS (
      SELECT 1 FROM runs AS ahead
      WHERE ahead.trigger_seq < runs.trigger_seq AND GREATEST(ahead.last_progress_at, ahead.finished_at) >= ${since}
    ))`;
}

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
