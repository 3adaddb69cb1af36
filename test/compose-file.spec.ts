import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from './support/json-body';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The lines of one service's block in docker/compose.yaml. */
function serviceBlock(compose: string, service: string): string {
  const lines = compose.split('\n');
  const start = lines.indexOf(`  ${service}:`);
  if (start < 0) throw new Error(`no service ${service} in docker/compose.yaml`);
  const end = lines.findIndex((line, i) => i > start && /^ {2}\S/.test(line));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/**
 * What the container files promise and nothing else checks before
 * docker/smoke.sh runs them (in .ci/run, with a Docker engine): the pins, the
 * compatibility with docker-compose 1.29 and the engine's built-in BuildKit,
 * and the exposure of the stack's services.
 */
describe('docker/compose.yaml and docker/Dockerfile', () => {
  const compose = read('docker/compose.yaml');
  const dockerfile = read('docker/Dockerfile');

  it('runs the fauxqs image of the version the npm dependency locks, so the stack and npm start run the same emulator', () => {
    const locked = parseJson<{ packages: Record<string, { version: string }> }>(read('package-lock.json')).packages['node_modules/fauxqs']
      .version;
    expect(serviceBlock(compose, 'fauxqs')).toContain(`image: kibertoad/fauxqs:${locked}\n`);
  });

  it('has no top-level name (docker-compose 1.29 rejects it); docker/.env names the project', () => {
    expect(compose).not.toMatch(/^name:/m);
    expect(read('docker/.env')).toMatch(/^COMPOSE_PROJECT_NAME=adrec$/m);
  });

  it('publishes the emulator and PostgreSQL on the loopback interface only', () => {
    for (const service of ['fauxqs', 'postgres']) {
      const ports = [...serviceBlock(compose, service).matchAll(/^\s+- "([^"]+)"$/gm)].map((match) => match[1]);
      expect(ports.length).toBeGreaterThan(0);
      for (const port of ports) expect(port).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('connects the API through the read-only login, created after the migrations', () => {
    const api = serviceBlock(compose, 'api');
    expect(api).toContain('DATABASE_URL: *api-database-url');
    expect(compose).toMatch(/&api-database-url postgres:\/\/adrec_api:/);
    expect(api).toMatch(/depends_on:\n\s+api-login:\n\s+condition: service_completed_successfully/);
    expect(read('docker/api-login.sql')).toContain('GRANT adrec_reader TO adrec_api');
  });

  it('builds with the engine’s built-in BuildKit frontend and installs exactly the lock file', () => {
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/m);
    expect(dockerfile).toMatch(/^RUN .*\bnpm ci\b/m);
    expect(dockerfile).not.toMatch(/\bnpm install\b(?! -g)/);
  });

  it('pins npm in package.json', () => {
    expect(parseJson<{ packageManager?: string }>(read('package.json')).packageManager).toMatch(/^npm@\d+\.\d+\.\d+$/);
  });
});
