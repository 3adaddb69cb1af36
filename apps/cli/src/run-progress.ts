import { reportedStatus, RunRecord, runProblem, RunsRepository } from '@adrec/database';
import { bar, ProgressLine } from './progress';

export interface RunsOutcome {
  published: string[];
  /** Runs that failed, and runs that are stuck (by the rule of run-status.ts), each with its reason. */
  failed: { runId: string; runDate: string; status: 'failed' | 'stuck'; reason: string }[];
}

/**
 * Polls the runs table until every given run is finished (published,
 * superseded or staged), failed or stuck, drawing a progress bar of runs and model
 * jobs. A stuck run ends the wait with its reason instead of waiting
 * forever; so does a trigger ingest has not taken while none of the runs
 * moved for RUN_STUCK_AFTER_SECONDS (a trigger queued behind other runs that
 * are moving is only waiting).
 */
export async function followRuns(runs: RunsRepository, runIds: readonly string[], progress = new ProgressLine()): Promise<RunsOutcome> {
  const pending = new Set(runIds);
  const outcome: RunsOutcome = { published: [], failed: [] };
  const started = Date.now();
  let movement = '';
  let lastMoved = Date.now();
  for (;;) {
    let jobsDone = 0;
    let jobsTotal = 0;
    const found = new Map<string, RunRecord | undefined>();
    try {
      for (const runId of runIds) found.set(runId, await runs.find(runId));
    } catch (error) {
      // The database restarting (an RDS reboot, a failover) is not the end of
      // the runs: they carry on once it is back, and so does the waiting.
      progress.update(`database unreachable (${error instanceof Error ? error.message : String(error)}); retrying…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    let registered = 0;
    for (const runId of runIds) {
      const run = found.get(runId);
      if (!run) continue;
      registered++;
      jobsDone += run.jobsDone;
      jobsTotal += run.jobsTotal ?? 0;
      if (!pending.has(runId)) continue;
      const status = reportedStatus(run);
      if (status === 'published' || status === 'superseded' || status === 'staged') {
        pending.delete(runId);
        outcome.published.push(run.runDate);
      } else if (status === 'failed' || status === 'stuck') {
        pending.delete(runId);
        outcome.failed.push({ runId, runDate: run.runDate, status, reason: runProblem(run, runs.stuckAfterSeconds)! });
      }
    }
    const moved = `${registered}/${jobsDone}/${jobsTotal}/${pending.size}`;
    if (moved !== movement) {
      movement = moved;
      lastMoved = Date.now();
    } else if (Date.now() - lastMoved > runs.stuckAfterSeconds * 1000) {
      for (const runId of [...pending].filter((id) => !found.get(id))) {
        pending.delete(runId);
        outcome.failed.push({
          runId,
          runDate: '',
          status: 'stuck',
          reason: `ingest has not taken the trigger for over ${runs.stuckAfterSeconds}s (RUN_STUCK_AFTER_SECONDS) while nothing else moved; is an ingest worker running? \`adrec dlq list\` shows a dead-lettered trigger`,
        });
      }
    }
    const finished = runIds.length - pending.size;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    progress.update(
      `runs ${bar(finished, runIds.length)} ${finished}/${runIds.length} finished · model jobs ${jobsDone}/${jobsTotal} · ${seconds}s`,
    );
    if (pending.size === 0) {
      const stuck = outcome.failed.filter((run) => run.status === 'stuck').length;
      progress.done(`runs: ${outcome.published.length} published, ${outcome.failed.length - stuck} failed, ${stuck} stuck in ${seconds}s`);
      return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
