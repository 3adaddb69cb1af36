// One lint configuration for the whole monorepo: typescript-eslint's
// type-checked rules, with Prettier owning the layout (eslint-config-prettier
// switches off every rule it would fight). Boundaries between apps and libs
// are checked by dependency-cruiser (.dependency-cruiser.cjs), not here.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-bench/**', 'coverage/**', 'infra/cdk.out/**', 'node_modules/**', 'test-artifacts/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // Plain JavaScript (the console's browser assets, config files) is not type-checked.
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The console's scripts run in the browser.
    files: ['apps/api/src/console/assets/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['*.js', '*.cjs', 'docker/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['*.js', '*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
