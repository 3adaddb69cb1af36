import { ReceiveMessageCommand, DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, QueueDirectory, QueueName, Received } from '@adrec/messaging';
import { parseJson } from './json-body';

/**
 * Receives (and deletes) messages until `count` have arrived, long-polling
 * (each receive waits on the emulator for messages); fails after the timeout.
 * `T` is the body the queue carries.
 */
export async function drainQueue<T = unknown>(
  queues: QueueDirectory,
  queue: QueueName,
  count: number,
  deadLetter = false,
  timeoutMs = 30_000,
): Promise<T[]> {
  const url = await queues.url(queue, deadLetter);
  const bodies: T[] = [];
  const deadline = Date.now() + timeoutMs;
  while (bodies.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${bodies.length} of ${count} messages arrived on ${queue}`);
    const response = await queues.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of response.Messages ?? []) {
      bodies.push(parseJson<T>(message.Body!));
      await queues.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  return bodies;
}

/** True when a short poll finds no message on the queue. */
export async function queueIsEmpty(queues: QueueDirectory, queue: QueueName, deadLetter = false): Promise<boolean> {
  const response = await queues.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: await queues.url(queue, deadLetter),
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 1,
      VisibilityTimeout: 0,
    }),
  );
  return (response.Messages ?? []).length === 0;
}

/** A started consumer of `queue` that acknowledges every valid message and keeps it in `handled`, in arrival order. */
export async function startRecordingConsumer<T extends object>(
  queues: QueueDirectory,
  queue: QueueName,
  messageType: new () => T,
): Promise<{ consumer: QueueConsumer<T>; handled: Received<T>[] }> {
  const handled: Received<T>[] = [];
  const consumer = new QueueConsumer(queues, {
    queue,
    messageType,
    logger: new JsonLogger('test'),
    handle: (messages) => {
      handled.push(...messages);
      return Promise.resolve(messages);
    },
  });
  await consumer.start();
  return { consumer, handled };
}
