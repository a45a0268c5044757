/**
 * `npm run bench:reconciler -- --data <dir>`: the reconciler's passes over a seeded read model (issue
 * #21: a pass over 48k open tickets of 1M took ≈ 4 min, 200 checks/s, a write per check; now the
 * changed tickets and a minute's share of an hour's sweep over every open one). Seed the
 * database once with `npm run bench:scale -- --tickets 100000 --data <dir> --only none`.
 *
 * Two parts, timed apart, since the seeded tickets have no workflows: the database's part of a pass
 * (batches, comparisons, writes) with a gateway that answers «running» at once; and Temporal's part,
 * a workflow description per ticket, against a real server (TEMPORAL_ADDRESS or
 * TEMPORAL_TEST_SERVER_PATH), one at a time and as many at once as the reconciler sends.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { sql } from 'drizzle-orm';
import { connectDatabase } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { RECONCILE_CONCURRENCY, reconcilePass, sweepShare } from '../worker/reconciler';
import { requestConnectionOptions, TemporalGateway, type TicketGateway } from '../workflows/client';
import { temporalServer } from './temporal';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    changed: { type: 'string', default: '2000' },
    describes: { type: 'string', default: '2000' },
  },
});
const CHANGED = Number(args.changed);
const DESCRIBES = Number(args.describes);
const CONCURRENCY = RECONCILE_CONCURRENCY;

/** Every workflow running, answered at once: the database's part of a pass alone. */
const allRunning = {
  health: async () => 'running' as const,
} as unknown as TicketGateway;

async function main(): Promise<void> {
  const server =
    process.env.DATABASE_URL || !args.data
      ? null
      : await startEmbeddedPostgres({ dataDir: args.data, port: 54_021, persistent: true });
  const url = process.env.DATABASE_URL ?? server?.url;
  if (!url) throw new Error('--data <dir> of a database seeded by bench:scale, or DATABASE_URL');
  const handle = connectDatabase(url, { max: 10 });
  const db = handle.db;
  try {
    await migrateDatabase(db);
    const { rows: counts } = await db.execute<{ all: number; open: number }>(
      sql`select count(*)::int as all, (count(*) filter (where not archived))::int as open from tickets`,
    );
    const { all, open } = counts[0]!;
    console.log(`${all} tickets, ${open} not archived`);
    const written = async (): Promise<number> =>
      (
        await db.execute<{ n: number }>(
          sql`select (n_tup_upd + n_tup_ins + n_tup_del)::int as n from pg_stat_user_tables where relname = 'tickets'`,
        )
      ).rows[0]!.n;
    const timed = async (what: string, fn: () => Promise<{ checked: number; kind?: string }>) => {
      const w0 = await written();
      const t0 = performance.now();
      const r = await fn();
      const s = (performance.now() - t0) / 1000;
      // The statistics collector reports a moment later.
      await new Promise((resolve) => setTimeout(resolve, 800));
      console.log(
        `${what.padEnd(52)} ${r.checked} checked in ${s.toFixed(2)} s (${(r.checked / s).toFixed(0)}/s), ` +
          `${(await written()) - w0} ticket rows written`,
      );
      return s;
    };

    await db.execute(sql`delete from reconciler_passes`);
    const full = await timed('every open ticket in one pass, database part', () =>
      reconcilePass(db, allRunning, { fullEveryMs: 0, lagMs: 0 }),
    );
    // That sweep is done and the next not due for an hour: the passes between read only what changed.
    await timed('incremental pass, nothing changed', () => reconcilePass(db, allRunning, { lagMs: 0 }));
    // Commands on CHANGED open tickets since the last pass (their snapshots rewritten by the desk).
    await db.execute(sql`
      update tickets set changed_at = clock_timestamp() where id in (
        select id from tickets where not archived order by random() limit ${CHANGED})`);
    await timed(`incremental pass, ${CHANGED} changed`, () => reconcilePass(db, allRunning, { lagMs: 0 }));
    // The sweep as the worker runs it: a minute's share of an hour's sweep, the last one begun long ago.
    await db.execute(sql`update reconciler_passes set full_pass_at = now() - interval '2 hours'`);
    await timed("a minute's pass: the sweep's share, database part", () =>
      reconcilePass(db, allRunning, { lagMs: 0 }),
    );
    const { rows: plan } = await db.execute<{ 'QUERY PLAN': string }>(sql`
      explain (analyze, buffers)
      select id from tickets where not archived and changed_at > now() - interval '1 hour'
        and changed_at <= now() and (changed_at, id) > (now() - interval '1 hour', '')
      order by changed_at, id limit 200`);
    console.log('\nthe incremental pass’s batch:\n' + plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n'));

    // Temporal's part: a description per ticket (these workflows do not exist: the same round trip).
    const temporal = await temporalServer('bench:reconciler');
    const connection = await Connection.connect(requestConnectionOptions(temporal.address));
    try {
      const gateway = new TemporalGateway(new Client({ connection }), {
        taskQueue: 'bench-reconciler',
        namespace: 'default',
        timeoutMs: 60_000,
      });
      for (const concurrency of [1, 8, CONCURRENCY]) {
        let next = 0;
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < DESCRIBES) await gateway.health(`ID-bench-${next++}`);
          }),
        );
        const rate = DESCRIBES / ((performance.now() - t0) / 1000);
        console.log(
          `\nTemporal: ${DESCRIBES} workflow descriptions, ${concurrency} at a time: ${rate.toFixed(0)}/s`,
        );
        if (concurrency === CONCURRENCY) {
          const dbRate = open / full;
          const perSecond = 1 / (1 / dbRate + 1 / rate);
          const share = sweepShare(open, 60_000, 3_600_000);
          console.log(
            `database ${dbRate.toFixed(0)}/s and Temporal ${rate.toFixed(0)}/s ⇒ ≈ ${perSecond.toFixed(0)} tickets/s: ` +
              `every one of the ${open} open tickets in one pass ≈ ${(open / perSecond).toFixed(1)} s; ` +
              `a minute's pass sweeps ${share} of them (an hour's sweep) ≈ ${(share / perSecond).toFixed(2)} s, ` +
              `plus the tickets changed since the last pass`,
          );
        }
      }
    } finally {
      await connection.close();
      temporal.stop();
    }
  } finally {
    await handle.close();
    await server?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
