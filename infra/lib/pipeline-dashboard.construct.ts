import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { PipelineQueueName, QueuePair } from './pipeline-queues.construct';

/** CloudWatch namespace of the metrics the apps put in their logs (embedded metric format; libs/observability). */
export const ADREC_METRICS_NAMESPACE = 'Adrec';

/** A metric the writer logs with each publication (`run published` line, embedded metric format). */
export function runMetric(metricName: string, statistic: string, period = Duration.hours(1)): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: ADREC_METRICS_NAMESPACE, metricName, statistic, period });
}

export interface PipelineDashboardProps {
  queues: Record<PipelineQueueName, QueuePair>;
  /** The API's latency and 5xx answers, when the API is deployed. */
  api?: { latency: cloudwatch.IMetric; errors: cloudwatch.IMetric };
}

/**
 * One CloudWatch dashboard for the night and the day: queue depths and
 * ages, dead-lettered messages, run durations per stage and publications
 * (from the writer's embedded metrics), the API's latency and errors.
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    const pairs = Object.entries(props.queues) as [PipelineQueueName, QueuePair][];
    const minutes = Duration.minutes(5);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-pipeline`,
      defaultInterval: Duration.days(2),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Queue depth (waiting + in flight)',
        width: 8,
        left: pairs.flatMap(([name, pair]) => [
          pair.queue.metricApproximateNumberOfMessagesVisible({ label: `${name} waiting`, period: minutes, statistic: 'Maximum' }),
          pair.queue.metricApproximateNumberOfMessagesNotVisible({ label: `${name} in flight`, period: minutes, statistic: 'Maximum' }),
        ]),
      }),
      new cloudwatch.GraphWidget({
        title: 'Age of the oldest message (s)',
        width: 8,
        left: pairs.map(([name, pair]) =>
          pair.queue.metricApproximateAgeOfOldestMessage({ label: name, period: minutes, statistic: 'Maximum' }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Dead-lettered messages',
        width: 8,
        left: pairs.map(([name, pair]) =>
          pair.deadLetter.metricApproximateNumberOfMessagesVisible({ label: `${name}-dlq`, period: minutes, statistic: 'Maximum' }),
        ),
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Run duration per stage (s)',
        width: 12,
        left: [
          runMetric('RunIngestSeconds', 'Maximum').with({ label: 'ingest' }),
          runMetric('RunModelsSeconds', 'Maximum').with({ label: 'models + writer' }),
          runMetric('RunTotalSeconds', 'Maximum').with({ label: 'triggered → published' }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Runs published',
        width: 6,
        left: [runMetric('RunsPublished', 'Sum').with({ label: 'published' })],
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Last publication (Unix time)',
        width: 6,
        metrics: [runMetric('RunLastPublishedTimestampSeconds', 'Maximum', Duration.days(1))],
      }),
    );
    if (props.api) {
      this.dashboard.addWidgets(
        new cloudwatch.GraphWidget({ title: 'API latency (s, p99)', width: 12, left: [props.api.latency] }),
        new cloudwatch.GraphWidget({ title: 'API 5xx answers', width: 12, left: [props.api.errors] }),
      );
    }
  }
}
