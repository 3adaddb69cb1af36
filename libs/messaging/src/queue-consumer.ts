import { ChangeMessageVisibilityBatchCommand, DeleteMessageCommand, Message, SendMessageCommand } from '@aws-sdk/client-sqs';
import { EventEmitter } from 'node:events';
import type { Context } from '@opentelemetry/api';
import { Consumer } from 'sqs-consumer';
import { AdrecError, parseMessage } from '@adrec/contracts';
import { JsonLogger, serializeError } from '@adrec/logging';
import {
  forwardedTraceAttributes,
  instrumentHandler,
  processHealth,
  recordInvalidMessage,
  recordPoll,
  TRACE_ATTRIBUTE_NAMES,
} from '@adrec/observability';
import { MAX_RECEIVE_COUNT, QueueDirectory, QueueName } from './queues';

/** Visibility timeout after a failure: the base doubled per earlier receive, at most 15 minutes. */
export function retryDelaySeconds(messages: Message[], baseSeconds: number): number {
  const receives = Math.max(1, ...messages.map((m) => Number(m.Attributes?.ApproximateReceiveCount ?? 1)));
  return Math.min(900, baseSeconds * 2 ** (receives - 1));
}

/** A validated message and the SQS message it came from. */
export interface Received<T> {
  body: T;
  message: Message;
  /** The trace context of this message's handling (set by the consumer): what the message causes continues its trace. */
  traceContext?: Context;
}

/**
 * What became of one received message:
 * - `processed`: its effect is committed and it is deleted from its queue;
 * - `failed`: left for redelivery (the handler threw or did not return it);
 *   on its last receive SQS moves it to the DLQ instead of delivering it again;
 * - `dead-lettered`: its body is invalid; it was moved to the DLQ at once.
 */
export type MessageOutcome = 'processed' | 'failed' | 'dead-lettered';

export interface HandledMessage {
  queue: QueueName;
  messageId: string;
  outcome: MessageOutcome;
  /** SQS's ApproximateReceiveCount: 1 on the first delivery. */
  receiveCount: number;
}

export interface QueueConsumerOptions<T extends object> {
  queue: QueueName;
  /** The DTO every message body must satisfy; anything else goes straight to the DLQ. */
  messageType: new () => T;
  /**
   * Applies the messages' effects and returns the ones that are committed;
   * only those are deleted. The others, and the whole batch when it throws,
   * come back after the same exponentially growing delay (`retryDelaySeconds`).
   */
  handle: (messages: Received<T>[]) => Promise<Received<T>[]>;
  /** Messages per receive, 1 to 10 (default 10). */
  batchSize?: number;
  /** Seconds a received message is hidden from other consumers (default 60). */
  visibilityTimeoutSeconds?: number;
  /**
   * Batches handled at once by this process (default 1): each is its own
   * poller, so while one batch waits on S3, SQS or PostgreSQL, another runs.
   */
  concurrency?: number;
  logger: JsonLogger;
}

/**
 * One sqs-consumer per queue, with adrec's rules on top of it: bodies are
 * validated before the handler runs; an invalid body is moved to the DLQ at
 * once instead of being retried five times; a message is deleted only after
 * the handler says its effect is committed; and while a handler runs, a
 * heartbeat keeps extending the visibility timeout so a long job is not
 * handed to a second worker.
 */
export class QueueConsumer<T extends object> {
  private consumers: Consumer[] = [];
  private readonly outcomes = new EventEmitter<{ handled: [HandledMessage] }>();

  constructor(
    private readonly queues: QueueDirectory,
    private readonly options: QueueConsumerOptions<T>,
  ) {}

  async start(): Promise<void> {
    const { queue, logger } = this.options;
    const visibilityTimeout = this.options.visibilityTimeoutSeconds ?? 60;
    const queueUrl = await this.queues.url(queue);
    const deadLetterUrl = await this.queues.url(queue, true);
    const concurrency = this.options.concurrency ?? 1;
    for (let i = 0; i < concurrency; i++) this.consumers.push(this.createPoller(queueUrl, deadLetterUrl, visibilityTimeout));
    for (const consumer of this.consumers) consumer.start();
    processHealth.consumerStarted(queue);
    logger.info('consuming', { queue, queueUrl, concurrency });
  }

  /**
   * Calls `listener` once per received message when this delivery of it is
   * over: after its delete, after its move to the DLQ, or when its handling
   * failed. Each outcome is also logged at debug level (`message handled`),
   * which is how a test watching a worker process sees it. Returns the
   * function that removes the listener.
   */
  onHandled(listener: (handled: HandledMessage) => void): () => void {
    this.outcomes.on('handled', listener);
    return () => this.outcomes.off('handled', listener);
  }

  private report(messages: readonly Message[], outcome: MessageOutcome): void {
    for (const message of messages) {
      const handled: HandledMessage = {
        queue: this.options.queue,
        messageId: message.MessageId ?? '',
        outcome,
        receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
      };
      this.options.logger.debug('message handled', { ...handled });
      this.outcomes.emit('handled', handled);
    }
  }

  private createPoller(queueUrl: string, deadLetterUrl: string, visibilityTimeout: number): Consumer {
    const { queue, logger } = this.options;
    // Metrics, spans and health around the handler (libs/observability); the handler's contract is unchanged.
    const handle = instrumentHandler(queue, MAX_RECEIVE_COUNT, this.options.handle);
    const consumer = Consumer.create({
      queueUrl,
      sqs: this.queues.sqs,
      useQueueUrlAsEndpoint: !this.queues.usesCustomEndpoint,
      batchSize: this.options.batchSize ?? 10,
      visibilityTimeout,
      heartbeatInterval: Math.max(1, Math.floor(visibilityTimeout / 3)),
      // Long polls of 5 s keep a draining worker's exit under ~5 s; the
      // extra empty receives cost nothing that matters.
      waitTimeSeconds: 5,
      // On stop, wait for the in-flight batch to finish so nothing is cut mid-effect.
      pollingCompleteWaitTimeMs: visibilityTimeout * 1000,
      messageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      messageAttributeNames: [...TRACE_ATTRIBUTE_NAMES],
      // A failed batch comes back after an exponentially growing delay, so a
      // database or S3 outage of several minutes exhausts no message's five
      // receives (with the default 60 s: 60 + 120 + 240 + 480 s before the DLQ).
      terminateVisibilityTimeout: (messages) => retryDelaySeconds(messages, visibilityTimeout),
      handleMessageBatch: async (messages) => {
        const valid: Received<T>[] = [];
        for (const message of messages) {
          try {
            valid.push({ body: parseMessage(this.options.messageType, message.Body), message });
          } catch (error) {
            // Deleted at once, not acknowledged with the batch: if the rest of
            // the batch throws, a redelivery must not copy it to the DLQ again.
            await this.deadLetter(queueUrl, deadLetterUrl, message, error);
          }
        }
        if (valid.length === 0) return [];
        let done: Received<T>[];
        try {
          done = await handle(valid);
        } catch (error) {
          this.report(
            valid.map((item) => item.message),
            'failed',
          );
          throw error;
        }
        const acknowledged = new Set(done.map((item) => item.message));
        const unacknowledged = valid.map((item) => item.message).filter((message) => !acknowledged.has(message));
        await this.backOff(queueUrl, unacknowledged, visibilityTimeout);
        this.report(unacknowledged, 'failed');
        return [...acknowledged];
      },
    });
    // Emitted by sqs-consumer after the delete: a processed message is gone from its queue.
    consumer.on('message_processed', (message) => this.report([message], 'processed'));
    consumer.on('message_received', (message) => logger.debug('message received', { queue, messageId: message.MessageId }));
    consumer.on('empty', () => recordPoll(queue));
    consumer.on('response_processed', () => recordPoll(queue));
    consumer.on('error', (error) => logger.warn('queue error', { queue, err: serializeError(error) }));
    consumer.on('processing_error', (error) => logger.warn('batch left for redelivery', { queue, err: serializeError(error) }));
    return consumer;
  }

  /** Stops polling and waits for the in-flight batches; unfinished messages return to the queue. */
  async stop(): Promise<void> {
    processHealth.consumerStopped(this.options.queue);
    await Promise.all(
      this.consumers
        .filter((consumer) => consumer.status.isRunning)
        .map(
          (consumer) =>
            new Promise<void>((resolve) => {
              consumer.once('stopped', () => resolve());
              consumer.stop({ abort: false });
            }),
        ),
    );
  }

  /**
   * Gives the messages a handler left unacknowledged the delay a thrown
   * batch gets (`retryDelaySeconds`), each by its own receive count: a job
   * that failed on S3 comes back later and later instead of every visibility
   * timeout, so an outage of several minutes dead-letters nothing.
   * (sqs-consumer's heartbeat is cleared only after the handler returns; one
   * firing in between could reset a delay to the plain visibility timeout,
   * as it can after a thrown batch too: a message then returns sooner, never
   * later, and the heartbeat fires at most every third of a timeout.)
   */
  private async backOff(queueUrl: string, messages: Message[], baseSeconds: number): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const entries = messages.slice(i, i + 10).map((message, index) => ({
        Id: String(index),
        ReceiptHandle: message.ReceiptHandle,
        VisibilityTimeout: retryDelaySeconds([message], baseSeconds),
      }));
      const response = await this.queues.sqs
        .send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
        .catch((error: unknown) => {
          // Not fatal: the message still returns after the visibility timeout, only sooner.
          this.options.logger.warn('could not delay unacknowledged messages', { queue: this.options.queue, err: serializeError(error) });
          return undefined;
        });
      if (response?.Failed?.length) {
        this.options.logger.warn('could not delay unacknowledged messages', { queue: this.options.queue, failed: response.Failed.length });
      }
    }
  }

  /** Copies an invalid message to the DLQ with the reason, then deletes it from its queue. */
  private async deadLetter(queueUrl: string, deadLetterUrl: string, message: Message, error: unknown): Promise<void> {
    const reason = error instanceof AdrecError ? error.message : String(error);
    recordInvalidMessage(this.options.queue);
    this.options.logger.warn('invalid message moved to DLQ', {
      queue: this.options.queue,
      messageId: message.MessageId,
      reason,
    });
    await this.queues.sqs.send(
      new SendMessageCommand({
        QueueUrl: deadLetterUrl,
        MessageBody: message.Body ?? '',
        MessageAttributes: {
          ...forwardedTraceAttributes(message),
          'adrec-error': { DataType: 'String', StringValue: reason.slice(0, 1000) },
        },
      }),
    );
    await this.queues.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    this.report([message], 'dead-lettered');
  }
}
