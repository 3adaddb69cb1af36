import { ModelName } from '@adrec/contracts';

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

  /** Every active advertiser's partition, one after another (see `packPartitions`). */
  partitionsKey(runDate: string, runId: string): string {
    return `${this.runRoot(runDate, runId)}partitions.csv`;
  }

  resultKey(runDate: string, runId: string, model: ModelName, advertiserId: string): string {
    return `${this.runRoot(runDate, runId)}results/${model}/${encodeURIComponent(advertiserId)}.json`;
  }

  ingestReportKey(runDate: string, runId: string): string {
    return `${this.runRoot(runDate, runId)}ingest-report.json`;
  }

  badLinesSampleKey(runDate: string, runId: string): string {
    return `${this.runRoot(runDate, runId)}bad-lines-sample.csv`;
  }
}
