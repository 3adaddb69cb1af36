import { ModelJobMessage, ModelResultMessage } from '@adrec/contracts';
import { EvaluationRepository, RunInputsRepository, RunsRepository } from '@adrec/database';
import { QueuePublisher } from '@adrec/messaging';
import { RunLayout } from '@adrec/storage';
import { toRunView } from '../apps/api/src/run.view';
import { IngestService } from '../apps/ingest/src/ingest.service';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { drainQueue } from './support/queue-helpers';
import { testRawInputReader } from './support/raw-input-reader';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';

const DATES = ['2022-04-11', '2022-04-12', '2022-04-13', '2022-04-14'];

/** `count` copies of a line. */
const times = (count: number, line: string) => Array.from({ length: count }, () => line);

/**
 * Input drift against PostgreSQL and the emulator: three ordinary nights,
 * then a night where one advertiser's views jump tenfold. Runs are ingested
 * by the real ingest and published by the real writer.
 */
describe('input drift warnings', () => {
  let env: TestEnvironment;
  let runs: RunsRepository;

  beforeAll(async () => {
    env = await startTestEnvironment();
    runs = new RunsRepository(env.pool);
    const views = DATES.flatMap((date, i) => [...times(i === 3 ? 100 : 10, `ADV1,p1,${date}`), ...times(10, `ADV2,p2,${date}`)]);
    const ads = DATES.flatMap((date) => [...times(10, `ADV1,p1,impression,${date}`), ...times(10, `ADV2,p2,impression,${date}`)]);
    await env.store.put('raw/advertiser_ids.csv', 'advertiser_id\nADV1\nADV2\n');
    await env.store.put('raw/product_views.csv', ['advertiser_id,product_id,date', ...views].join('\n') + '\n');
    await env.store.put('raw/ads_views.csv', ['advertiser_id,product_id,type,date', ...ads].join('\n') + '\n');
  });
  afterAll(() => env?.stop());

  function ingest(failsRun = false): IngestService {
    const config = { ...env.config, pipeline: { ...env.config.pipeline, ingestThreads: 0 }, drift: { ...env.config.drift, failsRun } };
    return new IngestService(
      config,
      env.store,
      new RunLayout('runs/'),
      runs,
      new QueuePublisher(env.queues),
      new RunInputsRepository(env.pool),
      new EvaluationRepository(env.pool),
      testRawInputReader(config, env.store),
    );
  }

  /** Ingests a run and publishes it through the writer with empty lists (the models are not under test). */
  async function publishRun(runId: string, runDate: string): Promise<void> {
    await expect(ingest().ingestRun({ runId, runDate, windowDays: 1 })).resolves.toBe('SUCCESS');
    const jobs = await drainQueue<ModelJobMessage>(env.queues, 'jobs', 4);
    const results: ModelResultMessage[] = jobs.map((job) => ({ ...job, resultKey: 'k', items: [], clicksWithoutImpressions: 0 }));
    await new ResultsRepository(env.pool).storeResults(results);
  }

  it('gives ordinary nights no warning, and flags the night whose views and one advertiser moved out of the band', async () => {
    for (const [i, date] of DATES.slice(0, 3).entries()) {
      await publishRun(`night-${i}`, date);
      expect((await runs.find(`night-${i}`))!.warnings).toEqual([]);
    }
    await publishRun('night-jump', DATES[3]);
    const run = (await runs.find('night-jump'))!;
    expect(run.status).toBe('published');
    expect(run.warnings).toEqual([
      {
        code: 'DRIFT.PRODUCT_VIEWS_KEPT',
        message: 'product views kept 110 is 5.50× the median 20 of the previous 3 published runs (band 0.5×–2×)',
      },
      {
        code: 'DRIFT.ADVERTISER_VOLUME',
        message: '1 advertiser(s) moved more than 3× from their median volume: ADV1 110 lines (median 20)',
      },
    ]);
    expect(toRunView(run).warnings).toEqual(run.warnings);
  });

  it('fails the run instead of publishing it when DRIFT_FAILS_RUN is set, keeping the warnings', async () => {
    await expect(ingest(true).ingestRun({ runId: 'night-jump-strict', runDate: DATES[3], windowDays: 1 })).resolves.toBe('FAILED');
    const run = (await runs.find('night-jump-strict'))!;
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('INGEST.INPUT_DRIFT');
    expect(run.warnings.map((w) => w.code)).toEqual(['DRIFT.PRODUCT_VIEWS_KEPT', 'DRIFT.ADVERTISER_VOLUME']);
    const published = await env.pool.query(`SELECT run_id FROM publications WHERE run_date = $1`, [DATES[3]]);
    expect(published.rows).toEqual([{ run_id: 'night-jump' }]);
  });
});
