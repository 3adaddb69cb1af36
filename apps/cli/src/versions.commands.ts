import { Pool } from 'pg';
import { AppConfig } from '@adrec/config';
import { AdrecError } from '@adrec/contracts';
import { listOverlap, PublicationEvent, PublicationOutcome, PublicationsRepository, RunsRepository } from '@adrec/database';
import { JsonLogger } from '@adrec/logging';
import { configuredRetention, RetentionReport } from './run-retention';

/** `adrec publish|rollback|unpin|diff|gc`: the versions of a date (README, "Versions"). */

export function describePublication(outcome: PublicationOutcome): string {
  if (!outcome.changed) return `${outcome.runId} is already the published run of ${outcome.runDate} (pinned)\n`;
  const from = outcome.previousRunId && outcome.previousRunId !== outcome.runId ? ` (was ${outcome.previousRunId})` : '';
  return `published ${outcome.runId} for ${outcome.runDate}${from}${outcome.pinned ? '; the date is pinned until adrec unpin, an explicit publish or a --force run' : ''}\n`;
}

export async function publishCommand(pool: Pool, runId: string, reason?: string): Promise<string> {
  return describePublication(await new PublicationsRepository(pool).publish(runId, reason));
}

export async function rollbackCommand(pool: Pool, runDate: string, reason?: string): Promise<string> {
  return describePublication(await new PublicationsRepository(pool).rollback(runDate, reason));
}

export async function unpinCommand(pool: Pool, runDate: string, reason?: string): Promise<string> {
  const outcome = await new PublicationsRepository(pool).unpin(runDate, reason);
  return outcome.changed ? `${runDate} is no longer pinned (${outcome.runId} stays published)\n` : `${runDate} was not pinned\n`;
}

/**
 * `adrec diff --run R [--against R2]`: R's lists against R2's (by default,
 * the published run of R's date), per advertiser and model.
 */
export async function diffCommand(pool: Pool, runId: string, againstRunId?: string): Promise<string> {
  const runs = new RunsRepository(pool);
  const publications = new PublicationsRepository(pool);
  const run = await runs.find(runId);
  if (!run) throw new AdrecError('CLI.RUN_NOT_FOUND', `no run ${runId}`);
  let against = againstRunId;
  if (against === undefined) {
    const published = await publications.publishedRunOf(run.runDate);
    if (!published) throw new AdrecError('CLI.NOTHING_TO_COMPARE', `no run of ${run.runDate} is published; name one with --against RUN_ID`);
    if (published.runId === runId)
      throw new AdrecError('CLI.NOTHING_TO_COMPARE', `${runId} is the published run of ${run.runDate}; name another with --against RUN_ID`);
    against = published.runId;
  }
  for (const id of [runId, against]) {
    const found = id === runId ? run : await runs.find(id);
    if (!found) throw new AdrecError('CLI.RUN_NOT_FOUND', `no run ${id}`);
    if (!['published', 'superseded', 'staged'].includes(found.status)) {
      throw new AdrecError('CLI.RUN_NOT_COMPLETE', `run ${id} is ${found.status}: only complete runs have lists to compare`);
    }
  }
  const rows = await publications.compare(runId, against);
  const differing = rows.filter((row) => row.onlyInRun + row.onlyInAgainst > 0 || row.inRun !== row.inAgainst);
  const meanOverlap = rows.length === 0 ? 1 : rows.reduce((sum, row) => sum + listOverlap(row), 0) / rows.length;
  const lines = [
    `${runId} against ${against}: ${rows.length} lists, ${rows.length - differing.length} with the same products, ` +
      `${differing.length} differing; mean overlap ${meanOverlap.toFixed(3)}`,
  ];
  if (differing.length > 0) {
    const table = [
      ['ADVERTISER', 'MODEL', 'ONLY IN RUN', 'ONLY IN OTHER', 'COMMON', 'OVERLAP'],
      ...differing.map((row) => [
        row.advertiserId + (row.inRun ? '' : ' (not in run)') + (row.inAgainst ? '' : ' (not in other)'),
        row.model,
        String(row.onlyInRun),
        String(row.onlyInAgainst),
        String(row.common),
        listOverlap(row).toFixed(3),
      ]),
    ];
    lines.push('', formatTable(table).trimEnd());
  }
  return lines.join('\n') + '\n';
}

export async function gcCommand(config: AppConfig, pool: Pool, dryRun: boolean, logger: JsonLogger): Promise<string> {
  const report = await configuredRetention(config, pool, logger)(dryRun);
  return describeRetention(report, config.runs.retainPerDate);
}

export function describeRetention(report: RetentionReport, retainPerDate: number): string {
  const policy = `keeping per date the published run, ${retainPerDate} other complete run(s), the newest failed run and runs in progress`;
  if (report.runs.length === 0) return `nothing to delete (${policy})\n`;
  const lines = report.runs.map((run) => `  ${run.runDate}  ${run.runId}${'status' in run ? `  ${run.status}` : ''}`);
  return report.dryRun
    ? `would delete ${report.runs.length} run(s) (${policy}); nothing was deleted:\n${lines.join('\n')}\n`
    : `deleted ${report.runs.length} run(s) and ${report.objectsDeleted} S3 object(s):\n${lines.join('\n')}\n`;
}

/** A date's publication record, newest first, as `adrec runs --date D` prints it under the runs. */
export function formatPublicationHistory(events: readonly PublicationEvent[]): string {
  if (events.length === 0) return '';
  const rows = events.map((event) => [
    event.changedAt.toISOString(),
    event.how,
    event.runId,
    event.previousRunId && event.previousRunId !== event.runId ? event.previousRunId : '',
    event.pinned ? 'yes' : '',
    event.reason ?? '',
  ]);
  return (
    `\npublications of ${events[0].runDate}, newest first:\n` +
    formatTable([['WHEN', 'HOW', 'RUN', 'REPLACED', 'PINNED', 'REASON'], ...rows])
  );
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
