import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { Database } from './client';
import * as schema from './schema';

export const MIGRATIONS_FOLDER = join(__dirname, 'migrations');

/** The advisory lock replicas take around migrations and the first-run seed ('rgl' + 1). */
const STARTUP_LOCK = 0x72676c01;

/**
 * Runs `work` while holding the installation's start-up lock (a PostgreSQL session advisory lock),
 * on the connection that holds it: replicas that start together migrate and seed one after another,
 * and the later ones find the work done (issue #21). The connection is one of the pool's, so this
 * works with a pool of one.
 */
export async function underStartupLock<T>(db: Database, work: (locked: Database) => Promise<T>): Promise<T> {
  const client = await db.$client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
    try {
      return await work(drizzle(client, { schema }) as unknown as Database);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK]);
    }
  } finally {
    client.release();
  }
}

/** Applies the committed SQL migrations (idempotent; drizzle records what ran), one replica at a time. */
export async function migrateDatabase(db: Database): Promise<void> {
  await underStartupLock(db, (locked) => migrate(locked, { migrationsFolder: MIGRATIONS_FOLDER }));
}
