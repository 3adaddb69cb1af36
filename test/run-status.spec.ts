import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { TriggerMessage } from '@adrec/contracts';
import { reportedStatus, RunsRepository } from '@adrec/database';
import { drainQueue } from './support/queue-helpers';
import { repositoryRoot } from './support/app-processes';
import { registerIngestedRun } from './support/runs-helpers';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';

/**
 * The one run status rule (libs/database run-status.ts) as the API, the CLI
 * and `npm start`/`backfill --wait` see it, against PostgreSQL; the CLI runs
 * as its own process, from its build, configured by environment variables.
 */
describe('run status: stuck', () => {
  let env: TestEnvironment;

  /** CLI processes still running when a test ends (a failed one) are killed, so none outlives its test. */
  const running = new Set<ChildProcess>();

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterEach(() => {
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });
  afterAll(() => env?.stop());

  /** The trigger the CLI sent for `runDate`, taken off the queue as ingest would take it (a slow machine may take a while to start the CLI). */
  async function takeTrigger(runDate: string): Promise<TriggerMessage> {
    for (;;) {
      const [trigger] = await drainQueue<TriggerMessage>(env.queues, 'trigger', 1, false, 180_000);
      if (trigger.runDate === runDate) return trigger;
    }
  }

  /** A run ingested with `jobs` jobs and none done, as ingest leaves it. */
  async function ingested(runId: string, runDate: string, runs = new RunsRepository(env.pool)) {
    await registerIngestedRun(runs, { runId, runDate, advertisers: ['A', 'B'] });
  }

  /** Moves a run's clocks back, as if it had been waiting that long. */
  async function age(runId: string, seconds: number) {
    await env.pool.query(
      `UPDATE runs SET triggered_at = triggered_at - make_interval(secs => $2), ingest_started_at = ingest_started_at - make_interval(secs => $2),
                       ingest_finished_at = ingest_finished_at - make_interval(secs => $2), last_progress_at = last_progress_at - make_interval(secs => $2)
       WHERE run_id = $1`,
      [runId, seconds],
    );
  }

  /** Runs the built CLI with the test environment plus `extraEnv`; resolves with its exit code and output. */
  function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [join(repositoryRoot(), 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...env.env, LOG_LEVEL: 'error', ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((resolve) =>
      child.on('close', (code) => {
        running.delete(child);
        resolve({ code, stdout, stderr });
      }),
    );
  }

  it('reports a run stuck after RUN_STUCK_AFTER_SECONDS without progress, with the threshold each reader is given', async () => {
    await ingested('quiet', '2022-07-01');
    await age('quiet', 120);
    expect(reportedStatus((await new RunsRepository(env.pool, 60).find('quiet'))!)).toBe('stuck');
    expect(reportedStatus((await new RunsRepository(env.pool, 900).find('quiet'))!)).toBe('running');
  });

  it('adrec runs shows stuck, and why, honouring RUN_STUCK_AFTER_SECONDS', async () => {
    const strict = await cli(['runs', '--date', '2022-07-01'], { RUN_STUCK_AFTER_SECONDS: '60' });
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(
      /2022-07-01\s+quiet\s+stuck\s+0\/4 .*no job has finished for over 60s \(RUN_STUCK_AFTER_SECONDS\); 4 of 4 jobs have no result/,
    );
    const lenient = await cli(['runs', '--date', '2022-07-01']);
    expect(lenient.stdout).toMatch(/quiet\s+running\s+0\/4/);
  }, 300_000);

  it('does not count the wait of a run queued behind moving runs as no progress', async () => {
    const runs = new RunsRepository(env.pool, 60);
    // A backfill's first run is busy; the second was taken by ingest long
    // after it was sent and its jobs wait behind the first's.
    await ingested('ahead', '2022-07-02');
    await ingested('behind', '2022-07-03');
    await age('behind', 300);
    expect(reportedStatus((await runs.find('behind'))!)).toBe('running');
    // Nothing ahead moves any more: now the wait is no progress.
    await age('ahead', 300);
    expect(reportedStatus((await runs.find('behind'))!)).toBe('stuck');
    // And a run ahead that finished recently counts as movement too.
    await env.pool.query(`UPDATE runs SET status = 'failed', finished_at = now() WHERE run_id = 'ahead'`);
    expect(reportedStatus((await runs.find('behind'))!)).toBe('running');
  });

  it("starts a run's clock when ingest takes the trigger, not when it was sent", async () => {
    const runs = new RunsRepository(env.pool, 60);
    await runs.register({ runId: 'late-start', runDate: '2022-07-04', windowDays: 1, triggeredAt: new Date(Date.now() - 3_600_000) });
    expect(reportedStatus((await runs.find('late-start'))!)).toBe('ingesting');
  });

  it('backfill --wait reports a stuck run with its reason and exits non-zero instead of waiting forever', async () => {
    const waiting = cli(['backfill', '--from', '2022-07-10', '--to', '2022-07-10'], { RUN_STUCK_AFTER_SECONDS: '2' });
    // Play ingest: take the trigger, record the run and its jobs; no job ever finishes.
    const trigger = await takeTrigger('2022-07-10');
    await ingested(trigger.runId, trigger.runDate);
    const outcome = await waiting;
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain(
      `stuck ${trigger.runId}: no job has finished for over 2s (RUN_STUCK_AFTER_SECONDS); 4 of 4 jobs have no result`,
    );
    expect(outcome.stderr).toMatch(/0 published, 0 failed, 1 stuck/);
  }, 300_000);

  it('trigger --wait reports a failed run with its reason and exits non-zero', async () => {
    const waiting = cli(['trigger', '--date', '2022-07-11', '--wait']);
    const trigger = await takeTrigger('2022-07-11');
    const runs = new RunsRepository(env.pool);
    await runs.register({ runId: trigger.runId, runDate: trigger.runDate, windowDays: 1, triggeredAt: new Date() });
    await runs.fail(trigger.runId, { code: 'INGEST.DATASET_MISSING', message: 'raw/ads_views.csv is missing' });
    const outcome = await waiting;
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain(`failed ${trigger.runId}: INGEST.DATASET_MISSING: raw/ads_views.csv is missing`);
  }, 300_000);

  it('ends the wait for a trigger no ingest ever takes, saying so', async () => {
    const outcome = await cli(['trigger', '--date', '2022-07-12', '--wait'], { RUN_STUCK_AFTER_SECONDS: '2' });
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/stuck 2022-07-12-[0-9a-f]{8}: ingest has not taken the trigger for over 2s/);
    await takeTrigger('2022-07-12');
  }, 300_000);
});
