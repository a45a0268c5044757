/**
 * Jest 30 reads `testTimeout` only from the global config, never from a project: without this file
 * every test and hook here had 5 s, and real PostgreSQL or a browser under load exceeded it.
 */
jest.setTimeout(30_000);
