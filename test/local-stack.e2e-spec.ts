import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, postgresAnswers } from '@adrec/runtime';
import { DEFAULT_GENERATE_OPTIONS, generateSampleData } from '../apps/cli/src/sample-data.generator';
import { outputOf, waitFor } from './support/wait-for';

const ROOT = join(__dirname, '..');

/**
 * `npm start` as a person runs it in a terminal: the built CLI's `start` (what
 * the npm script runs after building) in a process group of its own, with
 * its embedded PostgreSQL and emulator, then Ctrl-C, which the terminal
 * sends as SIGINT to the whole group.
 */
describe('npm start in a terminal', () => {
  let workDir: string;
  let stack: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'adrec-local-stack-'));
    await generateSampleData({
      ...DEFAULT_GENERATE_OPTIONS,
      outDir: join(workDir, 'data'),
      endDate: '2026-11-02',
      days: 2,
      productViews: 4000,
      adEvents: 4000,
    });
  });

  afterAll(() => {
    if (stack?.pid && stack.exitCode === null && stack.signalCode === null) process.kill(-stack.pid, 'SIGKILL');
    rmSync(workDir, { recursive: true, force: true });
  });

  it('serves with a real advertiser in its banner, and exits within seconds of a Ctrl-C to its process group', async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL; // the embedded PostgreSQL, as on a fresh machine
    stack = spawn(process.execPath, [join(ROOT, 'dist/apps/cli/src/main.js'), 'start', '--data', join(workDir, 'data')], {
      cwd: workDir,
      env,
      detached: true, // its own process group, like a terminal's foreground job
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      stack!.once('exit', (code) => resolve({ code, at: Date.now() })),
    );

    const started = stack;
    await waitFor(
      () => (output.includes('Ctrl-C stops everything') ? true : started.exitCode === null ? undefined : false),
      'the serving banner',
      { signals: [outputOf(started)], timeoutMs: 240_000 },
    );
    expect(output).toContain(`adrec is serving on http://localhost:${port}`);
    const tryUrl = /try: curl (\S+)/.exec(output)?.[1];
    expect(tryUrl).toMatch(new RegExp(`/recommendations/[A-Z0-9]{20}/top_ctr$`));
    const tried = await fetch(tryUrl!.replace('localhost', '127.0.0.1'));
    expect(tried.status).toBe(200);
    expect(((await tried.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const databaseUrl = /DATABASE_URL=(\S+)/.exec(output)![1];
    expect(await postgresAnswers(databaseUrl)).toBe(true);

    const sentAt = Date.now();
    process.kill(-stack.pid!, 'SIGINT');
    const { code, at } = await exited;
    expect(code).toBe(0);
    expect(at - sentAt).toBeLessThan(10_000);
    expect(output).toContain('stopped');
    // Nothing left behind: the database and the API are gone with it.
    expect(await postgresAnswers(databaseUrl)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 300_000);
});
