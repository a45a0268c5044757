import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { startEmbeddedPostgres } from '../db/embedded';
import * as schema from '../db/schema';
import type { Database } from '../db/client';
import { assigneeLoad, backlog, breaches, weeklyOnTime } from '../db/repositories/dashboard';
import { slaReport } from '../db/repositories/slaReport';
async function main() {
  const server = await startEmbeddedPostgres({ dataDir: '/work/wt/sc-dash/.data/scale100k', port: 54318, persistent: true });
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  const captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle(pool, { schema, logger: { logQuery: (q, p) => captured.push({ sql: q, params: p }) } }) as unknown as Database;
  const NOW = Date.parse('2026-11-16T05:00:00Z');
  const DAY = 86_400_000;
  for (const n of [12, 52]) for (const scope of [null, 'org-0']) {
    const from = new Date(NOW - n * 7 * DAY), to = new Date(NOW);
    captured.length = 0;
    await weeklyOnTime(db, from, to, 'Asia/Vladivostok', scope);
    await slaReport(db, from, to, 'type', scope);
    await slaReport(db, from, to, 'line', scope);
    await backlog(db, to, scope);
    await assigneeLoad(db, scope);
    await breaches(db, from, to, scope);
    for (const q of captured) {
      let best = Infinity; let plan = '';
      for (let i = 0; i < 3; i++) {
        const { rows } = await pool.query(`explain (analyze, buffers) ${q.sql}`, q.params);
        const text = rows.map((r) => r['QUERY PLAN']).join('\n');
        const ms = Number(/Execution Time: ([\d.]+)/.exec(text)![1]);
        if (ms < best) { best = ms; plan = text; }
      }
      console.log(`${n}w ${scope ?? '*'} ${best.toFixed(1)} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 110)}`);
      if (best > 3) console.log(plan.split('\n').filter((l) => /Scan|Execution|Buffers: shared/.test(l)).slice(0, 14).join('\n'));
    }
  }
  await pool.end();
  await server.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
