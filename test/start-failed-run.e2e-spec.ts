import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@adrec/runtime';
import { repositoryRoot } from './support/app-processes';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';

/**
 * `npm start -- --data DIR` as a user runs it (`adrec start`, its own
 * process, with its own emulator and the four apps), on data whose only
 * date fails: it must say which run failed and why, and exit non-zero,
 * rather than wait forever or serve on as if all were well.
 */
describe('npm start on a run that does not publish', () => {
  let env: TestEnvironment;
  let dir: string;

  beforeAll(async () => {
    env = await startTestEnvironment();
    dir = await mkdtemp(join(tmpdir(), 'adrec-start-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await env?.stop();
  });

  it('reports the failed run with its reason and exits 1', async () => {
    const data = join(dir, 'data');
    await mkdir(data);
    await writeFile(join(data, 'advertiser_ids.csv'), 'advertiser_id\nADV1\n');
    // One good line in four: far over the 1% bad-line threshold.
    await writeFile(
      join(data, 'product_views.csv'),
      'advertiser_id,product_id,date\nADV1,p1,2022-08-01\nADV1,,2022-08-01\nADV1,p2\nADV1,p3,2022-08-01,x\n',
    );
    await writeFile(join(data, 'ads_views.csv'), 'advertiser_id,product_id,type,date\nADV1,p1,impression,2022-08-01\n');
    const child = spawn(process.execPath, [join(repositoryRoot(), 'dist', 'apps', 'cli', 'src', 'main.js'), 'start', '--data', data], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: env.config.database.url!,
        PORT: String(await freePort()),
        ADREC_BUCKET: env.config.storage.bucket,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(1);
    expect(output).toMatch(/run 2022-08-01-[0-9a-f]{8} \(2022-08-01\) failed: INGEST\.TOO_MANY_BAD_LINES: 3 of \d+ lines are bad/);
    expect(output).toContain('1 run(s) did not publish');
  });
});
