import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the config is CommonJS, read as dependency-cruiser reads it
const { LIB_DEPENDENCIES } = require(CONFIG) as { LIB_DEPENDENCIES: Record<string, string[]> };

/** The "may import" cell of each `libs/<name>` row of README "Code layout". */
async function readmeLibDependencies(): Promise<Record<string, string[]>> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `libs\/([a-z-]+)` \| ([^|]*) \|/gm)];
  return Object.fromEntries(
    rows.map(([, lib, cell]) => [
      lib,
      cell
        .trim()
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && name !== '—'),
    ]),
  );
}

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs dependency-cruiser with the repository's rules over a tree of files written for the test. */
async function cruise(files: Record<string, string>): Promise<Violation[]> {
  const dir = await mkdtemp(join(tmpdir(), 'adrec-layout-'));
  try {
    const paths = Object.fromEntries(Object.keys(LIB_DEPENDENCIES).map((lib) => [`@adrec/${lib}`, [`libs/${lib}/src`]]));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs'),
        'apps',
        'libs',
        '--config',
        CONFIG,
        '--output-type',
        'json',
      ],
      { cwd: dir },
      // It exits with the number of violations: a non-zero exit with a report is an answer, not a failure.
    ).catch((error: Error & { stdout?: string }) => {
      if (!error.stdout) throw error;
      return { stdout: error.stdout };
    });
    const result = JSON.parse(stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    return result.summary.violations.map(({ rule, from, to }) => ({ rule: rule.name, from, to }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('code layout', () => {
  it("README's layout table lists every lib with exactly the imports .dependency-cruiser.cjs allows", async () => {
    const { readdir } = await import('node:fs/promises');
    const libs = (await readdir(join(ROOT, 'libs'))).sort();
    expect(Object.keys(LIB_DEPENDENCIES).sort()).toEqual(libs);
    const readme = await readmeLibDependencies();
    expect(Object.keys(readme).sort()).toEqual(libs);
    for (const lib of libs) expect({ lib, imports: [...readme[lib]].sort() }).toEqual({ lib, imports: [...LIB_DEPENDENCIES[lib]].sort() });
  });

  it('accepts an app importing libs through their index and a lib importing an allowed lib', async () => {
    const violations = await cruise({
      'libs/contracts/src/index.ts': "export * from './dates';\n",
      'libs/contracts/src/dates.ts': 'export const DAY = 1;\n',
      'libs/ranking/src/index.ts': "export * from './rule';\n",
      'libs/ranking/src/rule.ts': "import { DAY } from '@adrec/contracts';\nexport const RULE = DAY;\n",
      'apps/models/src/main.ts': "import { RULE } from '@adrec/ranking';\nexport const X = RULE;\n",
    });
    expect(violations).toEqual([]);
  });

  it('refuses an app importing an app, a lib reached past its index, a lib importing its own index, and a lib edge not listed', async () => {
    const violations = await cruise({
      'libs/contracts/src/index.ts': "export * from './dates';\n",
      'libs/contracts/src/dates.ts': "import { RULE } from '@adrec/ranking';\nexport const DAY = RULE;\n",
      'libs/ranking/src/index.ts': "export * from './rule';\n",
      'libs/ranking/src/rule.ts': 'export const RULE = 1;\n',
      'libs/ranking/src/other.ts': "import { RULE } from './index';\nexport const OTHER = RULE;\n",
      'apps/api/src/main.ts': "import { RULE } from '../../../libs/ranking/src/rule';\nexport const A = RULE;\n",
      'apps/writer/src/main.ts': "import { A } from '../../api/src/main';\nexport const W = A;\n",
    });
    expect(violations).toEqual(
      expect.arrayContaining([
        { rule: 'no-app-to-app', from: 'apps/writer/src/main.ts', to: 'apps/api/src/main.ts' },
        { rule: 'outside-only-through-index', from: 'apps/api/src/main.ts', to: 'libs/ranking/src/rule.ts' },
        { rule: 'no-own-barrel', from: 'libs/ranking/src/other.ts', to: 'libs/ranking/src/index.ts' },
        { rule: 'lib-contracts-dependencies', from: 'libs/contracts/src/dates.ts', to: 'libs/ranking/src/index.ts' },
      ]),
    );
  });
});
