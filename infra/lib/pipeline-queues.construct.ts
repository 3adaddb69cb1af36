import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * The pipeline's queues in the order messages flow, and the deliveries before
 * SQS dead-letters a message. They mirror QUEUES and MAX_RECEIVE_COUNT in
 * libs/messaging (the apps find queues by name); a test keeps the two equal.
 */
export const PIPELINE_QUEUES = ['trigger', 'jobs', 'results'] as const;
export type PipelineQueueName = (typeof PIPELINE_QUEUES)[number];
export const MAX_RECEIVE_COUNT = 5;

export interface QueuePair {
  queue: sqs.Queue;
  deadLetter: sqs.Queue;
}

export interface PipelineQueuesProps {
  /** Name prefix, as ADREC_QUEUE_PREFIX. */
  prefix: string;
  /** Default visibility of a received message, as VISIBILITY_TIMEOUT_SECONDS. */
  visibilityTimeout: Duration;
}

/** trigger, jobs and results, each with its `-dlq`, encrypted and reachable over TLS only. */
export class PipelineQueues extends Construct {
  readonly byName: Record<PipelineQueueName, QueuePair>;

  constructor(scope: Construct, id: string, props: PipelineQueuesProps) {
    super(scope, id);
    const pair = (name: PipelineQueueName): QueuePair => {
      const deadLetter = new sqs.Queue(this, `${name}-dlq`, {
        queueName: `${props.prefix}${name}-dlq`,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // The longest SQS allows: a dead-lettered job is evidence until someone looks.
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, name, {
        queueName: `${props.prefix}${name}`,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: props.visibilityTimeout,
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetter, maxReceiveCount: MAX_RECEIVE_COUNT },
      });
      return { queue, deadLetter };
    };
    this.byName = { trigger: pair('trigger'), jobs: pair('jobs'), results: pair('results') };
  }

  get all(): QueuePair[] {
    return PIPELINE_QUEUES.map((name) => this.byName[name]);
  }
}
