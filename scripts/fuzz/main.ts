/**
 * `npm run fuzz [-- --http 10000 --smtp 1000 --seed 42]`: hostile HTTP and SMTP against the real app
 * and intake on a throwaway PostgreSQL (or DATABASE_URL); prints the figures, exits 1 unless there are
 * 0 answers 5xx, 0 poisoned tickets, 0 messages unaccounted for and an event loop that never stalled
 * 100 ms (issue #18).
 */
import { parseArgs } from 'node:util';
import { benchDatabase } from '../../bench/database';
import { connectDatabase } from '../../db/client';
import { migrateDatabase } from '../../db/migrate';
import { report, runFuzz } from './run';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      http: { type: 'string', default: process.env.FUZZ_HTTP ?? '10000' },
      smtp: { type: 'string', default: process.env.FUZZ_SMTP ?? '1000' },
      seed: { type: 'string', default: process.env.FUZZ_SEED ?? String(Date.now() % 1_000_000) },
    },
  });
  const { url, stop } = await benchDatabase();
  const database = connectDatabase(url, { max: 8 });
  try {
    await migrateDatabase(database.db);
    const figures = await runFuzz({
      db: database.db,
      http: Number(values.http),
      smtp: Number(values.smtp),
      seed: Number(values.seed),
      progress: (line) => process.stderr.write(`fuzz: ${line}\n`),
    });
    const { text, ok } = report(figures, { maxEventLoopMs: 100 });
    console.log(text);
    return ok ? 0 : 1;
  } finally {
    await database.close();
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
