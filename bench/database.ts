import { startThrowawayPostgres } from '../db/embedded';

/** DATABASE_URL when set, otherwise a throwaway embedded PostgreSQL. */
export async function benchDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const server = await startThrowawayPostgres('reglament-bench-');
  return { url: server.url, stop: () => server.stop() };
}
