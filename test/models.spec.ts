import { Message } from '@aws-sdk/client-sqs';
import { ModelJobMessage, ModelResultMessage } from '@adrec/contracts';
import { QueuePublisher } from '@adrec/messaging';
import { PackedRange, packPartitions, RunLayout } from '@adrec/storage';
import { ModelJobHandler } from '../apps/models/src/model-job.handler';
import { drainQueue, queueIsEmpty } from './support/queue-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { arrayContaining } from './support/matchers';
import { parseJson } from './support/json-body';

describe('models worker against the SQS/S3 emulator', () => {
  let env: TestEnvironment;
  let handler: ModelJobHandler;
  const layout = new RunLayout('runs/');
  const partitionKey = layout.partitionsKey('2022-04-14', 'run-m');
  let ranges: Map<string, PackedRange>;

  beforeAll(async () => {
    env = await startTestEnvironment();
    handler = new ModelJobHandler(env.store, layout, new QueuePublisher(env.queues));
    // ADV1 between two neighbours: each job must read its own range of the one object.
    const packed = packPartitions([
      ['ADV0', [{ productId: 'q1', views: 9, impressions: 1, clicks: 1 }]],
      [
        'ADV1',
        [
          { productId: 'p1', views: 3, impressions: 3, clicks: 1 },
          { productId: 'p2', views: 5, impressions: 6, clicks: 2 },
          { productId: 'p3', views: 0, impressions: 0, clicks: 4 },
        ],
      ],
      ['ADV2', []],
      ['ADV3', [{ productId: 'r1', views: 1, impressions: 0, clicks: 0 }]],
    ]);
    ranges = new Map(packed.ranges.map((range) => [range.advertiserId, range]));
    await env.store.upload(partitionKey, packed.body);
  });
  afterAll(() => env?.stop());

  const job = (model: 'top_ctr' | 'top_product', advertiserId = 'ADV1'): { body: ModelJobMessage; message: Message } => {
    const range = ranges.get(advertiserId)!;
    return {
      body: {
        runId: 'run-m',
        runDate: '2022-04-14',
        advertiserId,
        model,
        partitionKey,
        partitionOffset: range.offset,
        partitionLength: range.length,
      },
      message: { MessageId: `${advertiserId}/${model}` },
    };
  };

  it('computes both models from the partition, writes them to S3 and emits the results', async () => {
    const done = await handler.computeBatch([job('top_ctr'), job('top_product')]);
    expect(done).toHaveLength(2);
    const results = await drainQueue<ModelResultMessage>(env.queues, 'results', 2);
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
    // One S3 object for the batch, a JSON line per result, named by both messages.
    expect(views.resultKey).toBe(ctr.resultKey);
    const stored = (await env.store.getText(ctr.resultKey))
      .trim()
      .split('\n')
      .map((line) => parseJson<ModelResultMessage>(line));
    expect(stored).toEqual(arrayContaining([ctr, views]));
    expect(stored).toHaveLength(2);
  });

  it('gives the same result when a job is processed twice', async () => {
    await handler.computeBatch([job('top_ctr')]);
    await handler.computeBatch([job('top_ctr')]);
    const [first, second] = await drainQueue<ModelResultMessage>(env.queues, 'results', 2);
    expect(second).toEqual(first);
    expect(JSON.parse(await env.store.getText(first.resultKey))).toEqual(first);
    expect(await queueIsEmpty(env.queues, 'results')).toBe(true);
  });

  it('leaves a job whose partition is missing for redelivery and still completes the others', async () => {
    const missing = {
      ...job('top_product'),
      body: { ...job('top_product').body, partitionKey: 'runs/none.csv' },
      message: { MessageId: 'x' },
    };
    const done = await handler.computeBatch([missing, job('top_product')]);
    expect(done.map((d) => d.message.MessageId)).toEqual(['ADV1/top_product']);
    await drainQueue(env.queues, 'results', 1);
  });

  it('reads each advertiser of a batch from its own range, neighbours or not', async () => {
    const batch = [job('top_product', 'ADV3'), job('top_product', 'ADV0'), job('top_ctr', 'ADV2'), job('top_product', 'ADV1')];
    expect(await handler.computeBatch(batch)).toHaveLength(4);
    const results = await drainQueue<ModelResultMessage>(env.queues, 'results', 4);
    const items = Object.fromEntries(results.map((r) => [`${r.advertiserId}/${r.model}`, r.items.map((item) => item.productId)]));
    expect(items).toEqual({
      'ADV0/top_product': ['q1'],
      'ADV1/top_product': ['p2', 'p1'],
      'ADV2/top_ctr': [],
      'ADV3/top_product': ['r1'],
    });
  });

  it('reads the ranges of neighbouring advertisers in one S3 request', async () => {
    const reads: string[] = [];
    const getRange = env.store.getRange.bind(env.store);
    env.store.getRange = (key, offset, length) => {
      reads.push(`${offset}+${length}`);
      return getRange(key, offset, length);
    };
    try {
      const batch = ['ADV0', 'ADV1', 'ADV2', 'ADV3'].flatMap((advertiserId) => [
        job('top_ctr', advertiserId),
        job('top_product', advertiserId),
      ]);
      expect(await handler.computeBatch(batch)).toHaveLength(8);
    } finally {
      env.store.getRange = getRange;
    }
    expect(reads).toEqual([`0+${ranges.get('ADV3')!.offset + ranges.get('ADV3')!.length}`]);
    await drainQueue(env.queues, 'results', 8);
  });

  it('leaves a job whose range is not a partition for redelivery', async () => {
    const good = job('top_ctr', 'ADV1');
    // Two bytes into ADV1's range: no header there.
    const shifted = { ...good, body: { ...good.body, partitionOffset: good.body.partitionOffset + 2 }, message: { MessageId: 'shifted' } };
    const done = await handler.computeBatch([shifted, job('top_product', 'ADV3')]);
    expect(done.map((d) => d.message.MessageId)).toEqual(['ADV3/top_product']);
    await drainQueue(env.queues, 'results', 1);
  });

  it('writes one results object per run when a batch holds jobs of two runs', async () => {
    const other = job('top_product', 'ADV0');
    const otherRun = { ...other, body: { ...other.body, runId: 'run-n' } };
    expect(await handler.computeBatch([job('top_product', 'ADV0'), otherRun])).toHaveLength(2);
    const results = await drainQueue<ModelResultMessage>(env.queues, 'results', 2);
    const keys = results.map((r) => r.resultKey);
    expect(new Set(keys).size).toBe(2);
    expect(keys.find((key) => key.includes('/run-n/'))).toBeDefined();
    for (const result of results) expect(JSON.parse(await env.store.getText(result.resultKey))).toEqual(result);
  });
});
