import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AppConfig } from '@adrec/config';

/** The pipeline's queues, in the order messages flow. Each has a `-dlq`. */
export const QUEUES = ['trigger', 'jobs', 'results'] as const;
export type QueueName = (typeof QUEUES)[number];

/** Deliveries of a message before SQS moves it to the DLQ (SPEC section 3). */
export const MAX_RECEIVE_COUNT = 5;

export function createSqsClient(config: AppConfig): SQSClient {
  return new SQSClient({
    region: config.aws.region,
    endpoint: config.aws.endpoint,
    credentials: config.aws.endpoint ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined,
    // Emulator queue URLs name hosts like sqs.us-east-1.localhost that do not
    // resolve everywhere; send every call to the configured endpoint instead.
    useQueueUrlAsEndpoint: config.aws.endpoint === undefined,
    maxAttempts: 5,
  });
}

/** Resolves queue names to URLs once per process and creates the queues where allowed. */
export class QueueDirectory {
  private readonly urls = new Map<string, string>();

  constructor(
    readonly sqs: SQSClient,
    private readonly config: AppConfig,
  ) {}

  /** True when SQS calls go to AWS_ENDPOINT_URL rather than the host in each queue URL. */
  get usesCustomEndpoint(): boolean {
    return this.config.aws.endpoint !== undefined;
  }

  physicalName(queue: QueueName, deadLetter = false): string {
    return `${this.config.queues.prefix}${queue}${deadLetter ? '-dlq' : ''}`;
  }

  async url(queue: QueueName, deadLetter = false): Promise<string> {
    const name = this.physicalName(queue, deadLetter);
    let url = this.urls.get(name);
    if (!url) {
      const response = await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      url = response.QueueUrl!;
      this.urls.set(name, url);
    }
    return url;
  }

  /**
   * Creates every queue and its DLQ (maxReceiveCount 5) if missing. Safe to
   * run any number of times; on AWS the CDK stack creates them instead.
   */
  async ensureQueues(): Promise<void> {
    for (const queue of QUEUES) {
      const dlq = await this.sqs.send(
        new CreateQueueCommand({
          QueueName: this.physicalName(queue, true),
          Attributes: { MessageRetentionPeriod: String(14 * 86_400) },
        }),
      );
      const dlqArn = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
      const main = await this.sqs.send(
        new CreateQueueCommand({
          QueueName: this.physicalName(queue),
          Attributes: {
            VisibilityTimeout: String(this.config.queues.visibilityTimeoutSeconds),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: dlqArn.Attributes!.QueueArn,
              maxReceiveCount: MAX_RECEIVE_COUNT,
            }),
          },
        }),
      );
      this.urls.set(this.physicalName(queue, true), dlq.QueueUrl!);
      this.urls.set(this.physicalName(queue), main.QueueUrl!);
    }
  }
}
