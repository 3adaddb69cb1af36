import { createHash } from 'node:crypto';

/**
 * Where a run's outputs live in the bucket: `runs/<runDate>/<runId>/...`.
 * Keys are pure functions of the run and advertiser, so writing them twice
 * (a redelivered message) overwrites the same object with the same bytes.
 */
export class RunLayout {
  constructor(private readonly runsPrefix: string) {}

  runRoot(runDate: string, runId: string): string {
    return `${this.runsPrefix}${runDate}/${runId}/`;
  }

  /**
   * Every active advertiser's partition, one after another (see
   * `packPartitions`). One object per ingest attempt, so a stale attempt
   * never overwrites the current one's; attempt 0 names the object of runs
   * ingested before attempts were numbered.
   */
  partitionsKey(runDate: string, runId: string, attempt = 0): string {
    return `${this.runRoot(runDate, runId)}${attempt === 0 ? 'partitions.csv' : `partitions-${attempt}.csv`}`;
  }

  /**
   * One models batch's results of a run, a JSON line each. The name is a hash
   * of the batch's sorted job ids (`<advertiser>/<model>`), so the same batch
   * redone overwrites the same object with the same bytes.
   */
  resultsKey(runDate: string, runId: string, jobIds: readonly string[]): string {
    const digest = createHash('sha256')
      .update([...jobIds].sort().join('\n'))
      .digest('hex')
      .slice(0, 32);
    return `${this.runRoot(runDate, runId)}results/${digest}.jsonl`;
  }

  ingestReportKey(runDate: string, runId: string): string {
    return `${this.runRoot(runDate, runId)}ingest-report.json`;
  }

  badLinesSampleKey(runDate: string, runId: string): string {
    return `${this.runRoot(runDate, runId)}bad-lines-sample.csv`;
  }
}
