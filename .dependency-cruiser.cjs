/**
 * The layout's rules, enforced by `npm run lint` (STYLE.md "What that means
 * here" 1, "Avoid"):
 * - an app never imports another app;
 * - a lib is imported only through its `index.ts`, and never imports its own;
 * - a lib imports only the libs listed for it in LIB_DEPENDENCIES below,
 *   which is also the README's layout table (test/layout.spec.ts compares them).
 */

/** Which libs each lib may import (through their index.ts). Keep in step with README "Layout". */
const LIB_DEPENDENCIES = {
  config: ['contracts'],
  contracts: [],
  csv: [],
  database: ['config', 'contracts', 'logging', 'storage'],
  logging: [],
  messaging: ['config', 'contracts', 'logging', 'observability'],
  observability: [],
  ranking: ['contracts'],
  runtime: ['config', 'database', 'logging', 'messaging', 'observability'],
  storage: ['config', 'contracts', 'csv', 'ranking'],
};

const libEdgeRules = Object.entries(LIB_DEPENDENCIES).map(([lib, allowed]) => ({
  name: `lib-${lib}-dependencies`,
  comment: `libs/${lib} may import only: ${allowed.length ? allowed.join(', ') : 'no other lib'} (LIB_DEPENDENCIES)`,
  severity: 'error',
  from: { path: `^libs/${lib}/` },
  to: { path: '^libs/([^/]+)/', pathNot: [`^libs/${lib}/`, ...allowed.map((other) => `^libs/${other}/`)] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      comment: 'Apps never import each other: what two apps share lives in a lib.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'lib-only-through-index',
      comment: "Another lib's files are reached only through its index.ts (@adrec/<name>).",
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'outside-only-through-index',
      comment: 'Apps, tests, benchmarks and infrastructure reach a lib only through its index.ts (@adrec/<name>).',
      severity: 'error',
      from: { path: '^(apps|test|bench|infra)/' },
      to: { path: '^libs/[^/]+/src/.+', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'no-own-barrel',
      comment: 'A lib never imports its own index.ts: it imports the file that holds what it needs.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/' },
      to: { path: '^libs/$1/src/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...libEdgeRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|dist-bench|cdk\\.out)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};

// For test/layout.spec.ts; not enumerable, as dependency-cruiser rejects unknown keys.
Object.defineProperty(module.exports, 'LIB_DEPENDENCIES', { value: LIB_DEPENDENCIES, enumerable: false });
