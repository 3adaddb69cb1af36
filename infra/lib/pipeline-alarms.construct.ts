import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { PipelineQueueName, QueuePair } from './pipeline-queues.construct';

export interface PipelineAlarmsProps {
  queues: Record<PipelineQueueName, QueuePair>;
  /** Where Scheduler puts nightly triggers it could not start. */
  scheduleDeadLetter: sqs.IQueue;
  /** The writer's log group: it logs `"msg":"run published"` when a run goes live. */
  writerLogs: logs.ILogGroup;
  /** Ingest's log group: it logs `"msg":"input drift"` when a run's input is outside the drift band. */
  ingestLogs: logs.ILogGroup;
  runStaleHours: number;
  alarmEmail?: string;
}

/** Minutes a message may wait in each queue before its consumers count as down or overwhelmed. */
const QUEUE_AGE_LIMIT_MINUTES: Record<PipelineQueueName, number> = { trigger: 30, jobs: 120, results: 30 };

export const PUBLISHED_RUNS_METRIC = { namespace: 'Adrec', metricName: 'RunsPublished' } as const;
export const INPUT_DRIFT_METRIC = { namespace: 'Adrec', metricName: 'RunsWithInputDrift' } as const;

/**
 * Alarms that page someone, all sent to one SNS topic:
 * - any dead-letter queue holding a message: a run is stuck unpublished;
 * - a queue's oldest message older than its limit: a worker fleet is down;
 * - no run published for `runStaleHours` hours. Every way a night can go
 *   wrong (schedule not firing, ingest failing a run on bad lines, a job
 *   dead-lettered, a writer down) ends the same way: no publication. So
 *   the alarm watches publications themselves, counted by a metric filter
 *   on the writer's log line, and treats no data as breaching;
 * - a run whose input drifted outside the configured band (SPEC section 6),
 *   counted from ingest's log line: the run still publishes (unless
 *   DRIFT_FAILS_RUN), but someone should look at last night's input.
 */
export class PipelineAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly runNotPublished: cloudwatch.Alarm;
  readonly inputDrift: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'adrec pipeline alarms', enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const notify = new cloudwatchActions.SnsAction(this.topic);
    // Readable names, so an email subject says what broke: Adrec-RunNotPublished.
    const alarmName = (id: string) => `${Stack.of(this).stackName}-${id}`;
    const withActions = (alarm: cloudwatch.Alarm): cloudwatch.Alarm => {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
      return alarm;
    };

    const deadLetters: [string, sqs.IQueue][] = [
      ...Object.values(props.queues).map((pair): [string, sqs.IQueue] => [pair.deadLetter.node.id, pair.deadLetter]),
      ['schedule-dlq', props.scheduleDeadLetter],
    ];
    for (const [name, queue] of deadLetters) {
      withActions(
        new cloudwatch.Alarm(this, `DeadLetters-${name}`, {
          alarmName: alarmName(`DeadLetters-${name}`),
          alarmDescription: `Messages in ${name}: a run is stuck unpublished; see docs/DEPLOY.md, "Alarms".`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    for (const [name, pair] of Object.entries(props.queues) as [PipelineQueueName, QueuePair][]) {
      const minutes = QUEUE_AGE_LIMIT_MINUTES[name];
      withActions(
        new cloudwatch.Alarm(this, `OldestMessage-${name}`, {
          alarmName: alarmName(`OldestMessage-${name}`),
          alarmDescription: `A message has waited more than ${minutes} minutes in the ${name} queue: its consumers are down or too few.`,
          metric: pair.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: 'Maximum' }),
          threshold: minutes * 60,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 2,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }

    const published = new logs.MetricFilter(this, 'RunsPublished', {
      logGroup: props.writerLogs,
      filterPattern: logs.FilterPattern.stringValue('$.msg', '=', 'run published'),
      metricNamespace: PUBLISHED_RUNS_METRIC.namespace,
      metricName: PUBLISHED_RUNS_METRIC.metricName,
      metricValue: '1',
    });
    this.runNotPublished = withActions(
      new cloudwatch.Alarm(this, 'RunNotPublished', {
        alarmName: alarmName('RunNotPublished'),
        alarmDescription:
          `No run published for ${props.runStaleHours} hours: last night's run is late, failed or never started. ` +
          'Check `adrec runs` and the dead-letter queues.',
        metric: published.metric({ period: Duration.hours(1), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: props.runStaleHours,
        datapointsToAlarm: props.runStaleHours,
        // Hours without the log line leave no datapoint; silence is the failure.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );

    const drifted = new logs.MetricFilter(this, 'RunsWithInputDrift', {
      logGroup: props.ingestLogs,
      filterPattern: logs.FilterPattern.stringValue('$.msg', '=', 'input drift'),
      metricNamespace: INPUT_DRIFT_METRIC.namespace,
      metricName: INPUT_DRIFT_METRIC.metricName,
      metricValue: '1',
    });
    this.inputDrift = withActions(
      new cloudwatch.Alarm(this, 'InputDrift', {
        alarmName: alarmName('InputDrift'),
        alarmDescription:
          'A run’s input is outside the drift band of the previous 7 published runs (volumes, active advertisers, ' +
          'inactive share, bad lines or one advertiser’s volume). See its warnings in `adrec runs` or GET /runs/{runId}.',
        metric: drifted.metric({ period: Duration.hours(1), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        // No log line, no drift.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
