import { EventEmitter } from 'node:events';
import { AppConfig } from '@adrec/config';
import { ModelJobMessage } from '@adrec/contracts';
import { EvaluationRepository, RunInputsRepository, RunsRepository } from '@adrec/database';
import { QueueDirectory, QueuePublisher } from '@adrec/messaging';
import { parsePartition, RunLayout } from '@adrec/storage';
import { IngestService } from '../apps/ingest/src/ingest.service';
import { planLogSlices } from '../apps/ingest/src/read/log-slice.planner';
import { locateDataset } from '../apps/ingest/src/read/raw-datasets.locator';
import { drainQueue, queueIsEmpty } from './support/queue-helpers';
import { testRawInputReader } from './support/raw-input-reader';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { Signal, waitFor } from './support/wait-for';
import { arrayContaining } from './support/matchers';

describe('ingest against PostgreSQL and the SQS/S3 emulator', () => {
  let env: TestEnvironment;
  let runs: RunsRepository;
  /** Each test's own queues: what one test leaves on the jobs queue is not counted by the next. */
  let queues: QueueDirectory;
  const layout = new RunLayout('runs/');

  beforeAll(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
  });
  beforeEach(async () => {
    queues = await env.newQueues();
  });
  afterAll(() => env?.stop());

  /**
   * An ingest that reads its raw logs under `rawPrefix`, so each case can
   * bring its own files. It reads on this thread unless a case asks for
   * threads (starting them costs a second; the threaded cases are below).
   */
  function ingestReading(rawPrefix: string, pipeline: Partial<AppConfig['pipeline']> = {}): IngestService {
    const config = {
      ...env.config,
      storage: { ...env.config.storage, rawPrefix },
      pipeline: { ...env.config.pipeline, ingestThreads: 0, ...pipeline },
    };
    return new IngestService(
      config,
      env.store,
      layout,
      runs,
      new QueuePublisher(queues),
      new RunInputsRepository(env.pool),
      new EvaluationRepository(env.pool),
      testRawInputReader(config, env.store),
    );
  }

  /** An advertiser's partition, read from the byte range its job names. */
  async function partitionOf(jobs: ModelJobMessage[], advertiserId: string) {
    const job = jobs.find((j) => j.advertiserId === advertiserId)!;
    const bytes = await env.store.getRange(job.partitionKey, job.partitionOffset, job.partitionLength);
    return parsePartition(bytes.toString('utf8'), advertiserId);
  }

  async function putRaw(files: Record<string, string>, prefix: string) {
    for (const [name, body] of Object.entries(files)) await env.store.put(`${prefix}${name}`, body);
  }

  /** Three days of logs (2022-04-13 to 04-15) for three advertisers: the first three tests' input, each under its own prefix. */
  async function putThreeDays(prefix: string) {
    await putRaw(
      {
        'advertiser_ids.csv': 'advertiser_id\nADV1\nADV2\nIDLE\n',
        // CRLF, a BOM and an extra column are all accepted.
        'product_views.csv':
          '\ufeffadvertiser_id,product_id,date,extra\r\nADV1,p1,2022-04-14,x\r\nADV1,p1,2022-04-14,x\r\nADV1,p2,2022-04-13,x\r\nGONE,p9,2022-04-14,x\r\nADV2,p3,2022-04-14,x\r\n',
        'ads_views.csv':
          'advertiser_id,product_id,type,date\nADV1,p1,impression,2022-04-14\nADV1,p1,click,2022-04-14\nADV2,p3,impression,2022-04-15\n',
      },
      prefix,
    );
    return ingestReading(prefix);
  }

  it('filters the window and active advertisers, partitions per advertiser and emits one job per advertiser and model', async () => {
    const ingest = await putThreeDays('raw/');
    const trigger = { runId: 'run-a', runDate: '2022-04-14', windowDays: 1 };
    await expect(ingest.ingestRun(trigger)).resolves.toBe('SUCCESS');

    const run = (await runs.find('run-a'))!;
    expect(run.status).toBe('running');
    expect(run.jobsTotal).toBe(6);
    expect(run.inputCounts).toMatchObject({ productViewLines: 5, productViewsKept: 3, inactiveAdvertiserLines: 1, outsideWindowLines: 2 });

    const jobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 6);
    expect(jobs.map((j) => `${j.advertiserId}/${j.model}`).sort()).toEqual([
      'ADV1/top_ctr',
      'ADV1/top_product',
      'ADV2/top_ctr',
      'ADV2/top_product',
      'IDLE/top_ctr',
      'IDLE/top_product',
    ]);
    expect(new Set(jobs.map((j) => j.partitionKey))).toEqual(new Set([layout.partitionsKey('2022-04-14', 'run-a', 1)]));
    expect(await partitionOf(jobs, 'ADV1')).toEqual([{ productId: 'p1', views: 2, impressions: 1, clicks: 1 }]);
    expect(await partitionOf(jobs, 'IDLE')).toEqual([]);
  });

  it('handles the same trigger twice: the run is recorded once and pending jobs are emitted again', async () => {
    const ingest = await putThreeDays('again/');
    const trigger = { runId: 'run-again', runDate: '2022-04-14', windowDays: 1 };
    await expect(ingest.ingestRun(trigger)).resolves.toBe('SUCCESS');
    const firstJobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 6);
    await expect(ingest.ingestRun(trigger)).resolves.toBe('SKIPPED');
    const jobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 6);
    const byJob = (list: ModelJobMessage[]) =>
      [...list].sort((a, b) => (`${a.advertiserId}/${a.model}` < `${b.advertiserId}/${b.model}` ? -1 : 1));
    expect(byJob(jobs)).toEqual(byJob(firstJobs));
    expect((await runs.find('run-again'))!.jobsTotal).toBe(6);
    expect(await queueIsEmpty(queues, 'jobs')).toBe(true);
  });

  it('sums a window of several days', async () => {
    const ingest = await putThreeDays('window/');
    await expect(ingest.ingestRun({ runId: 'run-w', runDate: '2022-04-15', windowDays: 3 })).resolves.toBe('SUCCESS');
    const jobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 6);
    const adv1 = await partitionOf(jobs, 'ADV1');
    expect(adv1).toEqual(
      arrayContaining([
        { productId: 'p1', views: 2, impressions: 1, clicks: 1 },
        { productId: 'p2', views: 1, impressions: 0, clicks: 0 },
      ]),
    );
  });

  it('fails a run whose bad-line ratio is over the threshold, keeping a sample with key and line number', async () => {
    await putRaw(
      {
        'advertiser_ids.csv': 'advertiser_id\nADV1\n',
        'product_views/date=2022-05-01/part-0.csv': 'advertiser_id,product_id,date\nADV1,p1,2022-05-01\nADV1,,2022-05-01\nADV1,p1\n',
        'ads_views/date=2022-05-01/part-0.csv':
          'advertiser_id,product_id,type,date\nADV1,p1,view,2022-05-01\nADV1,"p1,2022-05-01\nADV1,p1,click,2022-05-32\n',
      },
      'bad/',
    );
    const strict = ingestReading('bad/');
    await expect(strict.ingestRun({ runId: 'run-bad', runDate: '2022-05-01', windowDays: 1 })).resolves.toBe('FAILED');
    const run = (await runs.find('run-bad'))!;
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('INGEST.TOO_MANY_BAD_LINES');
    expect(run.badLines).toMatchObject({ empty_id: 1, wrong_field_count: 1, unknown_type: 1, bad_quote: 1, invalid_date: 1, total: 5 });
    const sample = await env.store.getText(layout.badLinesSampleKey('2022-05-01', 'run-bad'));
    expect(sample).toContain('bad/ads_views/date=2022-05-01/part-0.csv,3,bad_quote');
    expect(await queueIsEmpty(queues, 'jobs')).toBe(true);
  });

  it('counts advertiser ids that break the id rule (300 characters, malformed) as bad lines and emits no job for them', async () => {
    const long = 'X'.repeat(300);
    await putRaw(
      {
        'advertiser_ids.csv': `advertiser_id\nADV1\n${long}\n"ACME SHOES"\nacme/shoes\n`,
        'product_views.csv': `advertiser_id,product_id,date\n${long},p1,2022-06-01\nADV1,p1,2022-06-01\n"ACME SHOES",p2,2022-06-01\nGONE,p1,2022-06-01\n`,
        'ads_views.csv': 'advertiser_id,product_id,type,date\nADV1,p1,impression,2022-06-01\n',
      },
      'ids/',
    );
    const lenient = ingestReading('ids/', { badLineThreshold: 1 });
    await expect(lenient.ingestRun({ runId: 'run-ids', runDate: '2022-06-01', windowDays: 1 })).resolves.toBe('SUCCESS');
    const run = (await runs.find('run-ids'))!;
    // Three lines of advertiser_ids and two log lines.
    expect(run.badLines).toMatchObject({ invalid_advertiser_id: 5, total: 5 });
    expect(run.inputCounts).toMatchObject({ activeAdvertisers: 1, advertiserIdLines: 4, inactiveAdvertiserLines: 1 });
    const jobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 2);
    expect(jobs.map((j) => j.advertiserId)).toEqual(['ADV1', 'ADV1']);
    expect(await queueIsEmpty(queues, 'jobs')).toBe(true);
    const sample = await env.store.getText(layout.badLinesSampleKey('2022-06-01', 'run-ids'));
    expect(sample).toContain(`ids/advertiser_ids.csv,3,invalid_advertiser_id,${long}`);
    expect(sample).toContain('ids/advertiser_ids.csv,5,invalid_advertiser_id,acme/shoes');
    expect(sample).toContain('ids/product_views.csv,2,invalid_advertiser_id');
  });

  it('fails a run with a message naming the missing dataset key', async () => {
    const empty = ingestReading('nothing-here/');
    await expect(empty.ingestRun({ runId: 'run-missing', runDate: '2022-05-01', windowDays: 1 })).resolves.toBe('FAILED');
    const run = (await runs.find('run-missing'))!;
    expect(run.errorCode).toBe('INGEST.DATASET_MISSING');
    expect(run.errorMessage).toContain('nothing-here/advertiser_ids.csv');
  });

  it('counts bad lines under the threshold without failing, and accepts an empty log object', async () => {
    const good = Array.from({ length: 300 }, (_, i) => `ADV1,p${i % 7},2022-06-01`).join('\n');
    await putRaw(
      {
        'advertiser_ids.csv': '\ufeffadvertiser_id\r\nADV1\r\n',
        'product_views/date=2022-06-01/part-0.csv': `advertiser_id,product_id,date\n${good}\nADV1,p1,2022-06-31\n`,
        'product_views/date=2022-06-01/part-1.csv': '',
        'ads_views/date=2022-06-01/part-0.csv.gz': '',
      },
      'under/',
    );
    const { gzipSync } = await import('node:zlib');
    await env.store.put(
      'under/ads_views/date=2022-06-01/part-0.csv.gz',
      gzipSync('advertiser_id,product_id,type,date\nADV1,p1,click,2022-06-01\n'),
    );
    const tolerant = ingestReading('under/');
    await expect(tolerant.ingestRun({ runId: 'run-under', runDate: '2022-06-01', windowDays: 1 })).resolves.toBe('SUCCESS');
    const run = (await runs.find('run-under'))!;
    expect(run.status).toBe('running');
    expect(run.badLines).toMatchObject({ invalid_date: 1, total: 1 });
    expect(run.inputCounts).toMatchObject({
      productViewLines: 301,
      productViewsKept: 300,
      clicksKept: 1,
      productsClickedWithoutImpressions: 1,
    });
    await drainQueue(queues, 'jobs', 2);
  });

  it('reads a log object cut into many byte-range slices on two threads exactly as it reads it whole', async () => {
    // Lines of several lengths, CRLF and LF, quoted ids and bad lines spread through the file.
    const lines = ['advertiser_id,product_id,type,date'];
    for (let i = 0; i < 400; i++) {
      const advertiser = ['ADV1', 'ADV2', 'GONE'][i % 3];
      if (i % 97 === 5) lines.push(`${advertiser},p${i % 11}`);
      else if (i % 89 === 7) lines.push(`${advertiser},"p${i % 11},impression,2022-07-01`);
      else if (i % 13 === 0) lines.push(`"${advertiser}","p${i % 11}",click,2022-07-01\r`);
      else lines.push(`${advertiser},p${i % 11},${i % 5 === 0 ? 'click' : 'impression'},2022-07-0${1 + (i % 2)}`);
    }
    await putRaw(
      {
        'advertiser_ids.csv': 'advertiser_id\nADV1\nADV2\n',
        'product_views.csv': 'advertiser_id,product_id,date\nADV1,p1,2022-07-01\n',
        'ads_views.csv': lines.join('\n') + '\n',
      },
      'sliced/',
    );
    // The planner cuts the object by its listed size: many slices, not one.
    const [adsObject] = await locateDataset(env.store, 'sliced/', 'ads_views', ['2022-07-01']);
    expect(adsObject.size).toBe(Buffer.byteLength(lines.join('\n') + '\n'));
    expect(await planLogSlices(env.store, [{ object: adsObject, dataset: 'ads_views' }], 300)).toHaveLength(
      Math.ceil(adsObject.size / 300),
    );
    const tolerant = { badLineThreshold: 1 };
    await ingestReading('sliced/', tolerant).ingestRun({ runId: 'run-whole', runDate: '2022-07-01', windowDays: 1 });
    // ~40 slices read by two worker threads, against the whole object read on this thread.
    await ingestReading('sliced/', { ...tolerant, ingestSliceBytes: 300, ingestThreads: 2 }).ingestRun({
      runId: 'run-sliced',
      runDate: '2022-07-01',
      windowDays: 1,
    });
    const [whole, sliced] = [(await runs.find('run-whole'))!, (await runs.find('run-sliced'))!];
    expect(sliced.status).toBe('running');
    expect(sliced.inputCounts).toEqual(whole.inputCounts);
    expect(sliced.badLines).toEqual(whole.badLines);
    expect(whole.badLines.total).toBeGreaterThan(5);
    const sample = (runId: string) => env.store.getText(layout.badLinesSampleKey('2022-07-01', runId));
    expect(await sample('run-sliced')).toEqual(await sample('run-whole'));
    const jobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 8);
    for (const advertiserId of ['ADV1', 'ADV2']) {
      const ofRun = (runId: string) => jobs.filter((job) => job.runId === runId);
      const byId = (a: { productId: string }, b: { productId: string }) => (a.productId < b.productId ? -1 : 1);
      expect((await partitionOf(ofRun('run-sliced'), advertiserId)).sort(byId)).toEqual(
        (await partitionOf(ofRun('run-whole'), advertiserId)).sort(byId),
      );
    }
  });

  it('fails the run with the code a reading thread met (a bad header in a gzipped object)', async () => {
    const { gzipSync } = await import('node:zlib');
    await putRaw(
      { 'advertiser_ids.csv': 'advertiser_id\nADV1\n', 'product_views.csv': 'advertiser_id,product_id,date\nADV1,p1,2022-08-01\n' },
      'thread-bad/',
    );
    await env.store.put('thread-bad/ads_views.csv.gz', gzipSync('advertiser,product,kind,day\nADV1,p1,click,2022-08-01\n'));
    const threaded = ingestReading('thread-bad/', { ingestThreads: 2 });
    await expect(threaded.ingestRun({ runId: 'run-thread-bad', runDate: '2022-08-01', windowDays: 1 })).resolves.toBe('FAILED');
    const run = (await runs.find('run-thread-bad'))!;
    expect(run.errorCode).toBe('INGEST.BAD_HEADER');
    expect(run.errorMessage).toContain('thread-bad/ads_views.csv.gz');
    expect(await queueIsEmpty(queues, 'jobs')).toBe(true);
  });

  it('fails the run with INGEST.CORRUPT_OBJECT naming a truncated .csv.gz, on a reading thread or not, instead of throwing for a retry', async () => {
    const { gzipSync } = await import('node:zlib');
    const lines = Array.from({ length: 2000 }, (_, i) => `ADV1,p${i % 13},impression,2022-08-02`).join('\n');
    const whole = gzipSync(`advertiser_id,product_id,type,date\n${lines}\n`);
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    await putRaw(
      { 'advertiser_ids.csv': 'advertiser_id\nADV1\n', 'product_views.csv': 'advertiser_id,product_id,date\nADV1,p1,2022-08-02\n' },
      'truncated/',
    );
    await env.store.put('truncated/ads_views.csv.gz', truncated);
    for (const ingestThreads of [0, 2]) {
      const runId = `run-truncated-${ingestThreads}`;
      await expect(ingestReading('truncated/', { ingestThreads }).ingestRun({ runId, runDate: '2022-08-02', windowDays: 1 })).resolves.toBe(
        'FAILED',
      );
      const run = (await runs.find(runId))!;
      expect({ ingestThreads, status: run.status, code: run.errorCode }).toEqual({
        ingestThreads,
        status: 'failed',
        code: 'INGEST.CORRUPT_OBJECT',
      });
      expect(run.errorMessage).toContain('truncated/ads_views.csv.gz');
      expect(run.errorMessage).toContain(`after ${truncated.length} compressed bytes`);
    }
    // advertiser_ids is read by ingest itself, not by a reading thread: the same verdict.
    const ids = gzipSync(`advertiser_id\n${Array.from({ length: 500 }, (_, i) => `ADV${i}`).join('\n')}\n`);
    await putRaw(
      {
        'product_views.csv': 'advertiser_id,product_id,date\nADV1,p1,2022-08-02\n',
        'ads_views.csv': 'advertiser_id,product_id,type,date\n',
      },
      'truncated-ids/',
    );
    await env.store.put('truncated-ids/advertiser_ids.csv.gz', ids.subarray(0, ids.length - 10));
    await expect(
      ingestReading('truncated-ids/').ingestRun({ runId: 'run-truncated-ids', runDate: '2022-08-02', windowDays: 1 }),
    ).resolves.toBe('FAILED');
    expect(await runs.find('run-truncated-ids')).toMatchObject({ status: 'failed', errorCode: 'INGEST.CORRUPT_OBJECT' });
    expect((await runs.find('run-truncated-ids'))!.errorMessage).toContain('truncated-ids/advertiser_ids.csv.gz');
    expect(await queueIsEmpty(queues, 'jobs')).toBe(true);
  });

  it('skips a 300 MB line without a line feed in bounded memory, counting it as line_too_long', async () => {
    const { Readable } = await import('node:stream');
    const good = Array.from({ length: 400 }, (_, i) => `ADV1,p${i % 9},2022-08-03`).join('\n');
    const head = Buffer.from(`advertiser_id,product_id,date\n${good}\nADV1,`);
    const junk = Buffer.alloc(1024 * 1024, 'x');
    const junkMiB = 300;
    // Generated while it is uploaded: the test never holds the object either.
    function* object() {
      yield head;
      for (let i = 0; i < junkMiB; i++) yield junk;
    }
    await putRaw(
      { 'advertiser_ids.csv': 'advertiser_id\nADV1\n', 'ads_views.csv': 'advertiser_id,product_id,type,date\nADV1,p1,click,2022-08-03\n' },
      'long-line/',
    );
    await env.store.upload('long-line/product_views.csv', Readable.from(object()), 'text/csv');

    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await expect(ingestReading('long-line/').ingestRun({ runId: 'run-long-line', runDate: '2022-08-03', windowDays: 1 })).resolves.toBe(
        'SUCCESS',
      );
    } finally {
      clearInterval(sampler);
    }
    // Without a maximum the line alone would be held: 300 MB and more. The bound leaves room for the garbage collector's slack.
    expect((peak - before) / 1024 / 1024).toBeLessThan(120);
    const run = (await runs.find('run-long-line'))!;
    expect(run.badLines).toMatchObject({ line_too_long: 1, total: 1 });
    expect(run.inputCounts).toMatchObject({ productViewLines: 401, productViewsKept: 400 });
    const sample = await env.store.getText(layout.badLinesSampleKey('2022-08-03', 'run-long-line'));
    expect(sample).toContain(`long-line/product_views.csv,402,line_too_long,"ADV1,xxx`);
    await drainQueue(queues, 'jobs', 2);
  }, 300_000);

  it('fences two concurrent ingests of one run: only the latest attempt stores jobs and emits them, once', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `ADV${i % 7},p${i % 31},2022-08-04`).join('\n');
    await putRaw(
      {
        'advertiser_ids.csv': `advertiser_id\n${Array.from({ length: 7 }, (_, i) => `ADV${i}`).join('\n')}\n`,
        'product_views.csv': `advertiser_id,product_id,date\n${lines}\n`,
        'ads_views.csv': 'advertiser_id,product_id,type,date\nADV1,p1,impression,2022-08-04\n',
      },
      'twice/',
    );
    const trigger = { runId: 'run-twice', runDate: '2022-08-04', windowDays: 1 };
    // Two ingest processes' worth of services, as when a duplicate trigger is delivered during an SQS blip.
    const outcomes = await Promise.all([ingestReading('twice/').ingestRun(trigger), ingestReading('twice/').ingestRun(trigger)]);
    expect(outcomes.sort()).toEqual(['SKIPPED', 'SUCCESS']);
    expect(await runs.ingestAttempt('run-twice')).toBe(2);
    const run = (await runs.find('run-twice'))!;
    expect(run).toMatchObject({ status: 'running', jobsTotal: 14 });
    expect(run.inputCounts).toMatchObject({ productViewLines: 20_000, productViewsKept: 20_000 });
    // One set of jobs, naming the current attempt's partitions object.
    const jobs = await drainQueue<ModelJobMessage>(queues, 'jobs', 14);
    expect(await queueIsEmpty(queues, 'jobs')).toBe(true);
    expect(new Set(jobs.map((job) => job.partitionKey))).toEqual(new Set([layout.partitionsKey('2022-08-04', 'run-twice', 2)]));
    expect(await partitionOf(jobs, 'ADV0')).toHaveLength(31);
  });

  it('a stale attempt can neither store its jobs nor fail the run of the current attempt', async () => {
    await putRaw(
      {
        'advertiser_ids.csv': 'advertiser_id\nADV1\n',
        'product_views.csv': 'advertiser_id,product_id,date\nADV1,p1,2022-08-05\n',
        'ads_views.csv': 'advertiser_id,product_id,type,date\n',
      },
      'stale/',
    );
    const trigger = { runId: 'run-stale', runDate: '2022-08-05', windowDays: 1 };
    await runs.register({ ...trigger, triggeredAt: new Date() });
    // An ingest that began first and is still reading when the duplicate's ingest starts.
    const stale = await runs.claimIngestAttempt('run-stale');
    expect(stale).toBe(1);
    const current = ingestReading('stale/').ingestRun(trigger);
    await expect(current).resolves.toBe('SUCCESS');
    // Now the first one finishes, one way or the other: neither changes the run.
    expect(await runs.fail('run-stale', { code: 'INGEST.TOO_MANY_BAD_LINES', message: 'stale verdict' }, {}, stale)).toBe(false);
    expect(
      await runs.completeIngest('run-stale', { partitions: [], models: ['top_ctr', 'top_product'], inputCounts: {}, badLines: {} }, stale),
    ).toBe(false);
    expect(await runs.find('run-stale')).toMatchObject({ status: 'running', jobsTotal: 2, errorCode: null });
    expect(
      (await env.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM run_jobs WHERE run_id = $1', ['run-stale'])).rows[0].n,
    ).toBe(2);
    await drainQueue(queues, 'jobs', 2);
    // And an attempt that fails for real after a newer one began reports SKIPPED, leaving the run to the newer one.
    let listingAllowed!: () => void;
    const gate = new Promise<void>((resolve) => (listingAllowed = resolve));
    // The first attempt's listing of the raw data waits until the second attempt has been claimed.
    // It lists only after claiming its attempt: the listing is the event the test waits for.
    const listing = new EventEmitter<{ requested: [] }>();
    const listingRequested: Signal = (listener) => {
      listing.on('requested', listener);
      return () => listing.off('requested', listener);
    };
    const gatedStore = Object.create(env.store, {
      listObjects: {
        value: async (...args: Parameters<typeof env.store.listObjects>) => {
          listing.emit('requested');
          await gate;
          return env.store.listObjects(...args);
        },
      },
    }) as typeof env.store;
    const failingConfig = {
      ...env.config,
      storage: { ...env.config.storage, rawPrefix: 'nothing-here/' },
      pipeline: { ...env.config.pipeline, ingestThreads: 0 },
    };
    const failing = new IngestService(
      failingConfig,
      gatedStore,
      layout,
      runs,
      new QueuePublisher(queues),
      new RunInputsRepository(env.pool),
      new EvaluationRepository(env.pool),
      testRawInputReader(failingConfig, gatedStore),
    );
    const first = failing.ingestRun({ runId: 'run-stale-2', runDate: '2022-08-05', windowDays: 1 });
    await waitFor(async () => ((await runs.ingestAttempt('run-stale-2')) === 1 ? true : undefined), 'the first attempt to be claimed', {
      signals: [listingRequested],
    });
    expect(await runs.claimIngestAttempt('run-stale-2')).toBe(2);
    listingAllowed();
    await expect(first).resolves.toBe('SKIPPED');
    expect(await runs.find('run-stale-2')).toMatchObject({ status: 'ingesting', errorCode: null });
  });
});
