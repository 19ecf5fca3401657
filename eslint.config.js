// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layer rules of docs/architecture.md, at error level:
 *   shared   → nothing but zod
 *   core     → shared (never electron, never hosts)
 *   hosts    → core, shared (only the electron host may import electron)
 *   preload  → shared (type imports) and electron
 *   renderer → shared only
 */
const layers = [
  { type: 'shared', pattern: 'src-main/shared/**' },
  { type: 'core', pattern: 'src-main/core/**' },
  { type: 'host-node', pattern: 'src-main/hosts/node/**' },
  { type: 'host-electron', pattern: 'src-main/hosts/electron/**' },
  { type: 'preload', pattern: 'src-main/preload/**' },
  { type: 'renderer', pattern: 'src-renderer/**' },
];

const node = { module: { origin: 'core' } };
const external = (source) => ({ module: { origin: 'external', source } });
const to = (...types) => ({ to: { element: { types: { anyOf: types } } } });

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      '.tsbuild/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,tsx}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'boundaries/include': ['src-main/**/*', 'src-renderer/**/*'],
      'import/resolver': { typescript: { project: './tsconfig.base.json' }, node: true },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          checkAllOrigins: true,
          policies: [
            { from: { element: { type: 'shared' } }, allow: [to('shared'), { to: external('zod') }] },
            {
              from: { element: { type: 'core' } },
              allow: [to('shared', 'core'), { to: node }, { to: { module: { origin: 'external' } } }],
            },
            { from: { element: { type: 'core' } }, disallow: { to: external('electron') } },
            {
              from: { element: { type: 'host-node' } },
              allow: [
                to('shared', 'core', 'host-node'),
                { to: node },
                { to: { module: { origin: 'external' } } },
              ],
            },
            { from: { element: { type: 'host-node' } }, disallow: { to: external('electron') } },
            {
              from: { element: { type: 'host-electron' } },
              allow: [
                to('shared', 'core', 'host-electron'),
                { to: node },
                { to: { module: { origin: 'external' } } },
              ],
            },
            {
              from: { element: { type: 'preload' } },
              allow: [to('shared', 'preload'), { to: external('electron') }],
            },
            {
              from: { element: { type: 'renderer' } },
              allow: [to('shared', 'renderer'), { to: { module: { origin: 'external' } } }],
            },
            {
              from: { element: { type: 'renderer' } },
              disallow: [{ to: node }, { to: external('electron') }],
            },
          ],
        },
      ],
    },
  },
  {
    // Tests exercise a layer from outside it (vitest, fixtures, a real core behind a renderer
    // client); the layer rules apply to the code they test.
    files: ['**/*.test.{ts,tsx}'],
    rules: { 'boundaries/dependencies': 'off' },
  },
  {
    // A renderer test that needs the core is an integration test: it lives under tests/.
    files: ['src-renderer/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/core/**', '**/src-main/hosts/**'],
              message: 'move this test to tests/integration',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
);
