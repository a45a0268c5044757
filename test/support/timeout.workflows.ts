/** Jest 30 ignores a project's `testTimeout` (see timeout.integration.ts); a Temporal server needs more. */
jest.setTimeout(120_000);
