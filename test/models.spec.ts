import { Message } from '@aws-sdk/client-sqs';
import { ModelJobMessage, ModelResultMessage } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';
import { RunLayout, serializePartition } from '@adrec/storage';
import { ModelJobHandler } from '../apps/models/src/model-job.handler';
import { drainQueue, queueIsEmpty } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';

describe('models worker against the SQS/S3 emulator', () => {
  let env: TestEnvironment;
  let handler: ModelJobHandler;
  const layout = new RunLayout('runs/');
  const partitionKey = layout.partitionKey('2022-04-14', 'run-m', 'ADV1');

  beforeAll(async () => {
    env = await startTestEnvironment();
    handler = new ModelJobHandler(env.store, layout, new QueuePublisher(env.queues));
    await env.store.put(
      partitionKey,
      serializePartition([
        { productId: 'p1', views: 3, impressions: 3, clicks: 1 },
        { productId: 'p2', views: 5, impressions: 6, clicks: 2 },
        { productId: 'p3', views: 0, impressions: 0, clicks: 4 },
      ]),
    );
  });
  afterAll(() => env?.stop());

  const job = (model: 'top_ctr' | 'top_product'): { body: ModelJobMessage; message: Message } => ({
    body: { runId: 'run-m', runDate: '2022-04-14', advertiserId: 'ADV1', model, partitionKey },
    message: { MessageId: model },
  });

  it('computes both models from the partition, writes them to S3 and emits the results', async () => {
    const done = await handler.computeBatch([job('top_ctr'), job('top_product')]);
    expect(done).toHaveLength(2);
    const results = (await drainQueue(env.queues, 'results', 2)) as ModelResultMessage[];
    const ctr = results.find((r) => r.model === 'top_ctr')!;
    expect(ctr.items).toEqual([
      { productId: 'p2', clicks: 2, impressions: 6 },
      { productId: 'p1', clicks: 1, impressions: 3 },
    ]);
    expect(ctr.clicksWithoutImpressions).toBe(1);
    const views = results.find((r) => r.model === 'top_product')!;
    expect(views.items).toEqual([
      { productId: 'p2', views: 5 },
      { productId: 'p1', views: 3 },
    ]);
    expect(JSON.parse(await env.store.getText(ctr.resultKey))).toEqual(ctr);
  });

  it('gives the same result when a job is processed twice', async () => {
    await handler.computeBatch([job('top_ctr')]);
    await handler.computeBatch([job('top_ctr')]);
    const [first, second] = (await drainQueue(env.queues, 'results', 2)) as ModelResultMessage[];
    expect(second).toEqual(first);
    expect(await queueIsEmpty(env.queues, 'results')).toBe(true);
  });

  it('leaves a job whose partition is missing for redelivery and still completes the others', async () => {
    const missing = { ...job('top_product'), body: { ...job('top_product').body, partitionKey: 'runs/none.csv' }, message: { MessageId: 'x' } };
    const done = await handler.computeBatch([missing, job('top_product')]);
    expect(done.map((d) => d.message.MessageId)).toEqual(['top_product']);
    await drainQueue(env.queues, 'results', 1);
  });
});
