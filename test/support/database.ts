import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectDatabase, type DatabaseHandle } from '../../db/client';

const TEMPLATE = 'reglament_test_template';

/** A fresh, migrated database for one test file; dropped by `drop()`. */
export async function testDatabase(): Promise<DatabaseHandle & { url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.REGLAMENT_TEST_ADMIN_URL;
  if (!adminUrl) throw new Error('integration tests run under the "integration" Jest project (npm test)');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = connectDatabase(url.toString(), { max: 5 });
  return {
    ...handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
