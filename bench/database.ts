import { createActivities } from '../activities';
import type { Database } from '../db/client';
import { startThrowawayPostgres } from '../db/embedded';

/** DATABASE_URL when set, otherwise a throwaway embedded PostgreSQL. */
export async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const server = await startThrowawayPostgres('reglament-bench-');
  return { url: server.url, stop: () => server.stop() };
}

/** The real activities with mail kept in the database (no SMTP in a benchmark). */
export function benchActivities(db: Database) {
  return createActivities({
    db,
    mail: {
      transport: null,
      settings: {
        from: 'Desk <help@dprim.ru>',
        domain: 'dprim.ru',
        instance: 'bench',
        roles: { managers: [], regional: [], federal: [] },
        automaticPerHour: 1000,
      },
    },
  });
}
