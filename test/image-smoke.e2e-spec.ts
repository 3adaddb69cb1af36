import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForHttpOk } from '@adrec/runtime';
import { startTestEnvironment, TestEnvironment } from './support/test-environment';
import { parseJson } from './support/json-body';
import { outputOf, waitFor } from './support/wait-for';

const ROOT = join(__dirname, '..');

interface ImageTarget {
  /** dist/… directories the image copies from the build stage, its own and its base stage's. */
  copies: string[];
  command: string[];
  healthcheck?: string[];
}

/**
 * Reads docker/Dockerfile: for each target, what it copies from the build
 * stage, its CMD (after any ENTRYPOINT) and its HEALTHCHECK, so the test runs
 * exactly what the image would run. No Docker engine is needed.
 */
function readDockerfile(): Map<string, ImageTarget> {
  const lines = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n');
  const targets = new Map<string, ImageTarget & { base?: string; entrypoint?: string[] }>();
  let current: (ImageTarget & { base?: string; entrypoint?: string[] }) | undefined;
  for (const line of lines) {
    const from = /^FROM\s+(\S+)\s+AS\s+(\S+)/i.exec(line);
    if (from) {
      current = { copies: [], command: [], base: from[1] };
      targets.set(from[2], current);
      continue;
    }
    if (!current) continue;
    const copy = /^COPY\s+--from=build\s+\/app\/(dist\S*)/i.exec(line);
    if (copy) current.copies.push(copy[1]);
    const entrypoint = /^ENTRYPOINT\s+(\[.*\])/i.exec(line);
    if (entrypoint) current.entrypoint = parseJson<string[]>(entrypoint[1]);
    const cmd = /^CMD\s+(\[.*\])/i.exec(line);
    if (cmd) current.command = [...(current.entrypoint ?? []), ...parseJson<string[]>(cmd[1])];
    const health = /^HEALTHCHECK\s.*?CMD\s+(\[.*\])/i.exec(line);
    if (health) current.healthcheck = parseJson<string[]>(health[1]);
  }
  for (const target of targets.values()) {
    for (let base = targets.get(target.base ?? ''); base; base = targets.get(base.base ?? '')) {
      target.copies.push(...base.copies);
    }
  }
  return targets;
}

/** The image's /app: only what the target copies, with the repository's node_modules. */
function imageLayout(target: ImageTarget): string {
  const dir = mkdtempSync(join(tmpdir(), 'adrec-image-'));
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  for (const copy of target.copies) cpSync(join(ROOT, copy), join(dir, copy), { recursive: true });
  return dir;
}

function run(command: string[], cwd: string, env: Record<string, string>) {
  // The images run `node`; here that is the Node 24 this test runs on.
  const [program, ...args] = command;
  return spawn(program === 'node' ? process.execPath : program, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('each app starts the way its image does, configured only by environment variables', () => {
  const targets = readDockerfile();
  let env: TestEnvironment;
  const dirs: string[] = [];

  beforeAll(async () => {
    env = await startTestEnvironment();
  });
  afterAll(async () => {
    await env?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['ingest', 'models', 'writer'])('%s consumes its queue, passes its HEALTHCHECK and exits 0 on SIGTERM', async (name) => {
    const target = targets.get(name)!;
    expect(target.command).toEqual(['node', `dist/apps/${name}/src/main.js`]);
    const dir = imageLayout(target);
    dirs.push(dir);
    const serviceEnv = { ...env.env, NODE_ENV: 'production', LOG_LEVEL: 'info', METRICS_PORT: String(await freePort()) };
    const child = run(target.command, dir, serviceEnv);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => (output.includes('"msg":"consuming"') ? true : undefined), `${name} to consume`, {
      signals: [outputOf(child)],
      timeoutMs: 30_000,
    });
    await waitForHttpOk(`http://127.0.0.1:${serviceEnv.METRICS_PORT}/ready`, 30_000, child);
    const [program, ...args] = target.healthcheck!;
    const check = spawnSync(program === 'node' ? process.execPath : program, args, { env: serviceEnv, timeout: 10_000 });
    expect(check.status).toBe(0);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('api serves /health and passes its HEALTHCHECK', async () => {
    const target = targets.get('api')!;
    const dir = imageLayout(target);
    dirs.push(dir);
    const port = String(await freePort());
    const serviceEnv = { ...env.env, NODE_ENV: 'production', PORT: port, HOST: '127.0.0.1' };
    const child = run(target.command, dir, serviceEnv);
    const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitForHttpOk(`http://127.0.0.1:${port}/health`, 30_000, child);
      const [program, ...args] = target.healthcheck!;
      const check = spawnSync(program === 'node' ? process.execPath : program, args, { env: serviceEnv, timeout: 10_000 });
      expect(check.status).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await exit;
    }
  });

  it('cli prints its usage by default', () => {
    const target = targets.get('cli')!;
    const [program, ...args] = target.command;
    const result = spawnSync(program === 'node' ? process.execPath : program, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    expect(result.status).toBe(0);
    expect(result.stdout.toString()).toContain('Usage: adrec <command>');
  });
});
