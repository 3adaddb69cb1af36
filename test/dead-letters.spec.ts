import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { TriggerMessage } from '@adrec/contracts';
import { JsonLogger } from '@adrec/logging';
import { QueueConsumer, queueDepths, Received, redriveDeadLetters } from '@adrec/messaging';
import { queueIsEmpty } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { waitFor } from './support/wait-for';

describe('dead-letter queues against the SQS emulator', () => {
  let env: TestEnvironment;
  let consumer: QueueConsumer<TriggerMessage> | undefined;

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(async () => {
    await consumer?.stop();
    await env?.stop();
  });

  async function send(body: string) {
    await env.queues.sqs.send(new SendMessageCommand({ QueueUrl: await env.queues.url('trigger'), MessageBody: body }));
  }

  it('moves an invalid message to the DLQ at once, without a retry, and still handles the valid ones', async () => {
    const handled: Received<TriggerMessage>[] = [];
    let calls = 0;
    consumer = new QueueConsumer(env.queues, {
      queue: 'trigger',
      messageType: TriggerMessage,
      logger: new JsonLogger('test'),
      handle: async (messages) => {
        calls++;
        handled.push(...messages);
        return messages;
      },
    });
    await consumer.start();
    await send('{"runId":"r1","runDate":"2022-02-30","windowDays":1}');
    await send('not json');
    await send('{"runId":"r2","runDate":"2022-02-28","windowDays":1}');

    await waitFor(async () => (handled.length === 1 ? true : undefined), 'the valid message to be handled');
    const depths = await waitFor(async () => {
      const d = (await queueDepths(env.queues)).find((q) => q.queue === 'trigger')!;
      return d.deadLettered === 2 && d.visible === 0 && d.inFlight === 0 ? d : undefined;
    }, 'two messages in the trigger DLQ');
    expect(depths.deadLettered).toBe(2);
    expect(handled.map((h) => h.body.runId)).toEqual(['r2']);
    expect(calls).toBe(1);
    await consumer.stop();
    consumer = undefined;
  });

  it('redrives dead-lettered messages back to their queue', async () => {
    const result = await redriveDeadLetters(env.queues, 'trigger');
    expect(result).toEqual({ method: 'copy', moved: 2 });
    expect(await queueIsEmpty(env.queues, 'trigger', true)).toBe(true);
    const depth = (await queueDepths(env.queues)).find((q) => q.queue === 'trigger')!;
    expect(depth).toMatchObject({ visible: 2, deadLettered: 0 });
  });
});
