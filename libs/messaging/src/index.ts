export { QueueConsumer } from './queue-consumer';
export type { HandledMessage, MessageOutcome, QueueConsumerOptions, Received } from './queue-consumer';
export { QueuePublisher } from './queue-publisher';
export { createSqsClient, MAX_RECEIVE_COUNT, QueueDirectory, QUEUES } from './queues';
export type { QueueName } from './queues';
export { MessagingModule } from './messaging.module';
export { peekDeadLetters, queueDepths, redriveDeadLetters } from './dead-letters';
export type { QueueDepth } from './dead-letters';
