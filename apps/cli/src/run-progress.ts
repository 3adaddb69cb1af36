import { RunsRepository } from '@adrec/database';
import { bar, ProgressLine } from './progress';

export interface RunsOutcome {
  published: string[];
  failed: { runId: string; runDate: string; reason: string }[];
}

/**
 * Polls the runs table until every given run is finished (published,
 * superseded, staged or failed), drawing a progress bar of runs and model jobs.
 */
export async function followRuns(runs: RunsRepository, runIds: readonly string[], progress = new ProgressLine()): Promise<RunsOutcome> {
  const pending = new Set(runIds);
  const outcome: RunsOutcome = { published: [], failed: [] };
  const started = Date.now();
  for (;;) {
    let jobsDone = 0;
    let jobsTotal = 0;
    for (const runId of runIds) {
      const run = await runs.find(runId);
      if (!run) continue;
      jobsDone += run.jobsDone;
      jobsTotal += run.jobsTotal ?? 0;
      if (!pending.has(runId)) continue;
      if (run.status === 'published' || run.status === 'superseded' || run.status === 'staged') {
        pending.delete(runId);
        outcome.published.push(run.runDate);
      } else if (run.status === 'failed') {
        pending.delete(runId);
        outcome.failed.push({ runId, runDate: run.runDate, reason: run.errorMessage ?? run.errorCode ?? 'unknown' });
      }
    }
    const finished = runIds.length - pending.size;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    progress.update(`runs ${bar(finished, runIds.length)} ${finished}/${runIds.length} finished · model jobs ${jobsDone}/${jobsTotal} · ${seconds}s`);
    if (pending.size === 0) {
      progress.done(`runs: ${outcome.published.length} published, ${outcome.failed.length} failed in ${seconds}s`);
      return outcome;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
