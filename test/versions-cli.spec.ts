import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PublishMode } from '@adrec/contracts';
import { RunsRepository } from '@adrec/database';
import { RunLayout } from '@adrec/storage';
import { ResultsRepository } from '../apps/writer/src/results.repository';
import { drainQueue } from './support/queue-helpers';
import { advertiserResults, registerIngestedRun } from './support/runs-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { stringContaining } from './support/matchers';

const CLI = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');

/** The built `adrec` CLI's version commands, as an operator runs them (npm test builds first). */
describe('adrec publish, rollback, unpin, diff, gc and trigger --stage', () => {
  let env: TestEnvironment;
  let runs: RunsRepository;
  let writer: ResultsRepository;
  let layout: RunLayout;
  let clock = Date.parse('2022-07-01T00:00:00Z');

  async function adrec(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env.env } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  async function completedRun(runId: string, runDate: string, products: string[], publishMode: PublishMode = 'auto') {
    clock += 60_000;
    await registerIngestedRun(runs, { runId, runDate, advertisers: ['ADV1', 'ADV2'], triggeredAt: new Date(clock), publishMode });
    const results = ['ADV1', 'ADV2'].flatMap((advertiserId) =>
      advertiserResults(runId, runDate, advertiserId, {
        top_ctr: products.map((productId) => ({ productId, clicks: 1, impressions: 2 })),
        top_product: [{ productId: 'same', views: 5 }],
      }),
    );
    await writer.storeResults(results);
    await env.store.put(layout.partitionsKey(runDate, runId), 'x');
  }

  beforeAll(async () => {
    env = await startTestEnvironment({ RETAIN_RUNS_PER_DATE: '1' });
    runs = new RunsRepository(env.pool);
    writer = new ResultsRepository(env.pool);
    layout = new RunLayout(env.config.storage.runsPrefix);
    await completedRun('c-1', '2022-06-01', ['a', 'b']);
    await completedRun('c-2', '2022-06-01', ['a', 'b']);
    await completedRun('c-3', '2022-06-01', ['a', 'c'], 'stage');
  });
  afterAll(() => env?.stop());

  it('compares a staged run with the published one', async () => {
    const diff = await adrec('diff', '--run', 'c-3');
    expect(diff).toMatchObject({ code: 0, stderr: '' });
    expect(diff.stdout).toContain('c-3 against c-2: 4 lists, 2 with the same products, 2 differing; mean overlap 0.667');
    expect(diff.stdout).toMatch(/ADV1\s+top_ctr\s+1\s+1\s+1\s+0\.333/);
    expect(await adrec('diff', '--run', 'c-2')).toMatchObject({
      code: 1,
      stderr: stringContaining('c-2 is the published run of 2022-06-01; name another with --against RUN_ID'),
    });
    expect((await adrec('diff', '--run', 'c-2', '--against', 'c-1')).stdout).toContain(
      '4 with the same products, 0 differing; mean overlap 1.000',
    );
  });

  it('publishes a staged run, rolls it back, unpins, and shows the record in adrec runs', async () => {
    expect((await adrec('publish', '--run', 'c-3', '--reason', 'diff looked right')).stdout).toContain(
      'published c-3 for 2022-06-01 (was c-2)',
    );
    expect((await adrec('rollback', '--date', '2022-06-01', '--reason', 'advertisers complained')).stdout).toContain(
      'published c-2 for 2022-06-01 (was c-3)',
    );
    expect((await adrec('unpin', '--date', '2022-06-01')).stdout).toContain('2022-06-01 is no longer pinned (c-2 stays published)');
    const listing = (await adrec('runs', '--date', '2022-06-01')).stdout;
    expect(listing).toMatch(/c-2\s+published\s/);
    expect(listing).toContain('publications of 2022-06-01, newest first:');
    expect(listing).toMatch(/rollback\s+c-2\s+c-3\s+yes\s+advertisers complained/);
    expect(listing).toMatch(/publish\s+c-3\s+c-2\s+yes\s+diff looked right/);
    expect(await adrec('publish', '--run', 'bad id')).toMatchObject({ code: 1, stderr: stringContaining('CLI.BAD_ARGUMENT') });
    expect(await adrec('rollback', '--date', '2022-06-30')).toMatchObject({
      code: 1,
      stderr: 'adrec: PUBLICATION.NOTHING_PUBLISHED: no run of 2022-06-30 is published: nothing to roll back\n',
    });
  });

  it('gc --dry-run lists and deletes nothing; gc deletes the rows and S3 outputs', async () => {
    const dry = await adrec('gc', '--dry-run');
    expect(dry.stdout).toContain('would delete 1 run(s)');
    expect(dry.stdout).toMatch(/2022-06-01\s+c-1\s+superseded/);
    expect((await runs.find('c-1'))!.status).toBe('superseded');
    expect(await env.store.listObjects(layout.runRoot('2022-06-01', 'c-1'))).toHaveLength(1);

    const real = await adrec('gc');
    expect(real.stdout).toContain('deleted 1 run(s) and 1 S3 object(s)');
    expect((await runs.find('c-1'))!.status).toBe('deleted');
    expect(await env.store.listObjects(layout.runRoot('2022-06-01', 'c-1'))).toHaveLength(0);
    expect(await env.store.listObjects(layout.runRoot('2022-06-01', 'c-3'))).toHaveLength(1);
    expect((await adrec('gc')).stdout).toContain('nothing to delete');
  });

  it('sends staged and forced triggers', async () => {
    expect((await adrec('trigger', '--date', '2022-06-02', '--stage')).stdout).toContain('staged: publish it with adrec publish --run');
    expect((await adrec('rerun', '--date', '2022-06-02', '--force')).stdout).toContain('publishes even over a pin');
    const [staged, forced] = await drainQueue<{ publish?: string }>(env.queues, 'trigger', 2);
    expect([staged.publish, forced.publish]).toEqual(['stage', 'force']);
    expect(await adrec('trigger', '--date', '2022-06-02', '--stage', '--force')).toMatchObject({
      code: 1,
      stderr: stringContaining('--stage and --force exclude each other'),
    });
  });
});
