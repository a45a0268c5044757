/**
 * `npm run bench:scale [-- --tickets 1000000] [--distinct 50000] [--requests 200] [--runs 3] [--data <dir>]`:
 * a region's years on one node (issue #21). Seeds a scratch database: `--distinct` tickets played
 * through the domain and written with COPY (bench/scaleSeed.ts), the rest copies of them made inside
 * PostgreSQL (bench/scaleCopies.ts), then times
 * every console queue filter, the ticket page, the dashboard, the SLA report and /metrics through the
 * real HTTP stack, side by side with the bare operations (an index scan, an HTTP round trip). Prints
 * p50/p95/p99 as the median of the runs. `--data` keeps the database in a directory for the next run.
 */
import http from 'node:http';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { connectDatabase, type Database } from '../db/client';
import { rebuildReportCounters } from '../db/repositories/reportCounters';
import { startEmbeddedPostgres, startThrowawayPostgres } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { createApiKey } from '../db/repositories/apiKeys';
import { assigneeLoad, backlog, breaches, weeklyOnTime } from '../db/repositories/dashboard';
import { slaReport } from '../db/repositories/slaReport';
import { InProcessGateway } from '../test/support/inProcessGateway';
import { benchActivities } from './database';
import { buildIndexes, dropSecondaryIndexes, multiplyTickets } from './scaleCopies';
import {
  chunkOf,
  copyChunk,
  openLoaders,
  ADJECTIVES,
  DAY,
  OPERATORS,
  ORGANIZATIONS,
  SURNAMES,
  operatorOf,
} from './scaleSeed';
import { percentile } from './stats';

const { values: args } = parseArgs({
  options: {
    tickets: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '200' },
    runs: { type: 'string', default: '3' },
    data: { type: 'string' },
    port: { type: 'string' },
    /** Tickets played through the domain; the rest are copies of them made inside PostgreSQL. */
    distinct: { type: 'string', default: '50000' },
    only: { type: 'string' },
  },
});
const COUNT = Number(args.tickets);
const REQUESTS = Number(args.requests);
const RUNS = Number(args.runs);
const DISTINCT = Number(args.distinct);
/** The desk's «now»: a Monday afternoon in Vladivostok, three years after the first ticket. */
const NOW = Date.parse('2026-11-16T05:00:00Z');
const YEARS = 3;
const CHUNK = 5_000;

let seed = 99;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

async function database(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  if (args.data) {
    // A free port unless asked: several kept databases may be served at once.
    const server = await startEmbeddedPostgres({
      dataDir: args.data,
      ...(args.port && { port: Number(args.port) }),
      persistent: true,
    });
    return { url: server.url, stop: () => server.stop() };
  }
  const server = await startThrowawayPostgres('reglament-scale-');
  return { url: server.url, stop: () => server.stop() };
}

async function seedDatabase(db: Database, pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from tickets');
  if (rows[0]!.n >= COUNT) {
    console.log(`database already holds ${rows[0]!.n} tickets: not seeding`);
    return;
  }
  if (rows[0]!.n > 0) throw new Error('the database holds a partial seed: start from an empty one');
  for (const setting of [
    "max_wal_size = '16GB'",
    "maintenance_work_mem = '1GB'",
    "checkpoint_timeout = '30min'",
    "work_mem = '16MB'",
    // A scratch database being filled: a torn page after a power cut only costs a new seed.
    'full_page_writes = off',
  ])
    await pool.query(`alter system set ${setting}`);
  await pool.query('select pg_reload_conf()');
  const s = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
  const t0 = performance.now();
  // Built once after the load: an index grows far faster in one build than row by row.
  const indexes = await dropSecondaryIndexes(pool);
  const base = Math.min(COUNT, DISTINCT);
  const totals = { events: 0, mails: 0, inbox: 0 };
  const loaders = await openLoaders(pool);
  let pending: Promise<void> = Promise.resolve();
  for (let from = 0; from < base; from += CHUNK) {
    const chunk = chunkOf(from, Math.min(base, from + CHUNK), NOW, YEARS);
    totals.events += chunk.counts.events;
    totals.mails += chunk.counts.mails;
    totals.inbox += chunk.counts.inbox;
    await pending;
    pending = copyChunk(loaders, chunk);
  }
  await pending;
  for (const c of Object.values(loaders)) c.release();
  const played = performance.now();
  console.log(
    `  ${base} distinct tickets through the domain (${totals.events} events, ${totals.mails} mails, ${totals.inbox} inbox rows): ${s(played - t0)}`,
  );
  await multiplyTickets(pool, base, COUNT, SURNAMES, ADJECTIVES, (l) => console.log(l));
  const copied = performance.now();
  await buildIndexes(pool, indexes);
  const indexed = performance.now();
  console.log(`  indexes: ${s(indexed - copied)}`);
  await pool.query(`select setval('inbox_id_seq', (select coalesce(max(id), 1) from inbox))`);
  // The managers' maintained figures, recomputed once from the loaded tickets (the triggers were off).
  await rebuildReportCounters(db);
  await pool.query('alter system reset full_page_writes');
  await pool.query('select pg_reload_conf()');
  await pool.query('vacuum analyze');
  const { rows: n } = await pool.query<Record<string, string>>(
    `select (select count(*) from tickets) as tickets, (select count(*) from ticket_events) as events,
            (select count(*) from correspondence) as mails, (select count(*) from inbox) as inbox`,
  );
  console.log(
    `seeded ${n[0]!.tickets} tickets, ${n[0]!.events} events, ${n[0]!.mails} mails, ${n[0]!.inbox} inbox rows in ${s(performance.now() - t0)}: ` +
      `domain ${s(played - t0)}, copies ${s(copied - played)}, indexes ${s(indexed - copied)}, counters, vacuum and analyze ${s(performance.now() - indexed)}`,
  );
}

function get(port: number, path: string, key: string | null, agent: http.Agent) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: key ? { Authorization: `Bearer ${key}` } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { url, stop } = await database();
  const handle = connectDatabase(url, { max: 8 });
  const server = http.createServer();
  try {
    await migrateDatabase(handle.db);
    await seedDatabase(handle.db, handle.pool);
    const app = createApp(
      {
        db: handle.db,
        gateway: new InProcessGateway(benchActivities(handle.db)),
        now: () => NOW,
        defaultRegulation: 'primorye',
        regulationSettings: { primorye: {}, epgu: {} },
        temporalLink: () => null,
        metrics: createMetrics(handle.db),
        dispatcher: null,
        log: () => undefined,
      },
      { rateLimitPerMinute: 100_000_000, version: 'bench' },
    );
    const { key } = await createApiKey(handle.db, { name: `bench ${Date.now()}`, role: 'manager' });
    // An organisation's manager: its dashboard and report read the same aggregates keyed by it.
    await handle.pool.query(
      `insert into organizations (id, name) values ('org-0', 'Организация 0') on conflict do nothing`,
    );
    const { key: orgKey } = await createApiKey(handle.db, {
      name: `bench org ${Date.now()}`,
      role: 'manager',
      organizationId: 'org-0',
    });
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    const { rows: sample } = await handle.pool.query<{ id: string }>(
      `select id from tickets tablesample system (1) limit 2000`,
    );
    const ids = sample.map((r) => r.id);
    const open = 'received,new,in_progress,awaiting_reply,awaiting_approval';
    const org = () => `org-${Math.floor(random() ** 2 * ORGANIZATIONS)}`;
    const words = () =>
      pick(['баллы', 'терминал', 'казначейство', 'реестр получателей', 'снимок экрана', 'журнал']);
    const iso = (ms: number) => new Date(ms).toISOString();
    const weeks = (n: number) => `from=${iso(NOW - n * 7 * DAY)}&to=${iso(NOW)}`;
    let cursor: string | null = null;
    let pages = 0;

    // The dashboard's reads as the route makes them, without HTTP and JSON.
    const dashboardQueries = (n: number, scope: string | null) => {
      const from = new Date(NOW - n * 7 * DAY);
      const to = new Date(NOW);
      return Promise.all([
        weeklyOnTime(handle.db, from, to, 'Asia/Vladivostok', scope),
        slaReport(handle.db, from, to, 'type', scope),
        slaReport(handle.db, from, to, 'line', scope),
        backlog(handle.db, to, scope),
        assigneeLoad(handle.db, scope),
        breaches(handle.db, from, to, scope),
      ]);
    };
    type Probe =
      { http: () => string; key?: string; alongside?: () => string } | { bare: () => Promise<unknown> };
    // The report as it was counted from every ticket of the period (before migration 0018): the baseline.
    const countedSla = (n: number) =>
      handle.pool.query(
        `select line, count(*), count(*) filter (where outcome_at is not null and not sla_breached),
                count(*) filter (where sla_breached),
                percentile_cont(0.5) within group (order by resolution_minutes) filter (where outcome_at is not null),
                percentile_cont(0.9) within group (order by resolution_minutes) filter (where outcome_at is not null),
                sum(paused_minutes)
           from tickets where received_at >= $1 and received_at < $2 group by 1`,
        [new Date(NOW - n * 7 * DAY), new Date(NOW)],
      );
    const probes: Record<string, Probe> = {
      'bare: index scan (pg, no HTTP)': {
        bare: () => handle.pool.query('select id, status from tickets where id = $1', [pick(ids)]),
      },
      'bare: queue page (pg, no HTTP)': {
        bare: () =>
          handle.pool.query('select id, status, sla_due_at from tickets order by sla_sort, id limit 51'),
      },
      'bare: HTTP round trip (/healthz)': { http: () => '/healthz' },
      'queue: default (by SLA due)': { http: () => '/tickets?limit=50' },
      'queue: status (open)': { http: () => `/tickets?status=${open}&limit=50` },
      'queue: line': { http: () => `/tickets?line=${pick(['first', 'second'])}&limit=50` },
      'queue: breached': { http: () => '/tickets?breached=true&limit=50' },
      'queue: organisation': { http: () => `/tickets?organization=${org()}&limit=50` },
      'queue: organisation + status': {
        http: () => `/tickets?organization=${org()}&status=${pick(['in_progress', open])}&limit=50`,
      },
      'queue: «Мои»': {
        http: () => `/tickets?assignee=${operatorOf(Math.floor(random() * OPERATORS)).id}&limit=50`,
      },
      'queue: newest first': { http: () => '/tickets?sort=received&limit=50' },
      'queue: keyset paging': {
        http: () => {
          if (++pages % 20 === 0) cursor = null;
          return `/tickets?limit=50${cursor ? `&cursor=${cursor}` : ''}`;
        },
      },
      'queue: «Получен ответ инициатора»': { http: () => '/tickets?awaitingOperator=true&limit=50' },
      'queue: «Процесс заявки не найден»': { http: () => '/tickets?workflowMissing=true&limit=50' },
      'search: text': { http: () => `/tickets?q=${encodeURIComponent(words())}&limit=50` },
      'search: text + organisation': {
        http: () => `/tickets?q=${encodeURIComponent(words())}&organization=${org()}&limit=50`,
      },
      'search: text + open statuses': {
        http: () => `/tickets?q=${encodeURIComponent(words())}&status=${open}&limit=50`,
      },
      'ticket page': { http: () => `/tickets/${pick(ids)}` },
      'bare: SLA a year counted from tickets': { bare: () => countedSla(52) },
      'bare: dashboard queries, 12 weeks (pg)': { bare: () => dashboardQueries(12, null) },
      'bare: dashboard queries, 52 weeks (pg)': { bare: () => dashboardQueries(52, null) },
      'bare: SLA a year from aggregates (pg)': {
        bare: () => slaReport(handle.db, new Date(NOW - 52 * 7 * DAY), new Date(NOW), 'line', null),
      },
      'dashboard, 12 weeks': { http: () => `/reports/dashboard?${weeks(12)}` },
      'dashboard, organisation, 12 weeks': { http: () => `/reports/dashboard?${weeks(12)}`, key: orgKey },
      'dashboard, organisation, 52 weeks': { http: () => `/reports/dashboard?${weeks(52)}`, key: orgKey },
      'dashboard, 52 weeks': { http: () => `/reports/dashboard?${weeks(52)}` },
      'SLA report, 12 weeks': { http: () => `/reports/sla?${weeks(12)}&groupBy=type` },
      'SLA report, a year': { http: () => `/reports/sla?${weeks(52)}&groupBy=line` },
      'SLA report, a year, by assignee': { http: () => `/reports/sla?${weeks(52)}&groupBy=assignee` },
      'SLA report, organisation, a year': {
        http: () => `/reports/sla?${weeks(52)}&groupBy=type`,
        key: orgKey,
      },
      '/metrics': { http: () => '/metrics' },
      // Issue #21: while one dashboard reloads, the queue's p99 went from 5–8 to 91–113 ms.
      'queue: default, dashboard reloading': {
        http: () => '/tickets?limit=50',
        alongside: () => `/reports/dashboard?${weeks(52)}`,
      },
    };
    const only = args.only ? new RegExp(args.only, 'i') : null;
    const once = async (name: string, probe: Probe): Promise<void> => {
      if ('bare' in probe) {
        await probe.bare();
        return;
      }
      const path = probe.http();
      const res = await get(port, path, path === '/healthz' ? null : (probe.key ?? key), agent);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 300)}`);
      if (name === 'queue: keyset paging')
        cursor = (JSON.parse(res.body) as { nextCursor: string | null }).nextCursor;
    };
    console.log(
      `\n${COUNT} tickets; ${RUNS} runs × ${REQUESTS} requests, one at a time; medians of the runs, ms\n`,
    );
    console.log(`${'work'.padEnd(38)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)}`);
    for (const [name, probe] of Object.entries(probes)) {
      if (only && !only.test(name)) continue;
      let reloading = true;
      const background =
        'alongside' in probe && probe.alongside
          ? (async () => {
              const other = new http.Agent({ keepAlive: true, maxSockets: 1 });
              while (reloading) await get(port, probe.alongside!(), key, other);
              other.destroy();
            })()
          : Promise.resolve();
      for (let i = 0; i < 5; i++) await once(name, probe); // warm-up
      const runs: { p50: number; p95: number; p99: number }[] = [];
      for (let r = 0; r < RUNS; r++) {
        const times: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          const t = performance.now();
          await once(name, probe);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        runs.push({ p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99) });
      }
      reloading = false;
      await background;
      const f = (k: 'p50' | 'p95' | 'p99') =>
        median(runs.map((x) => x[k]))
          .toFixed(1)
          .padStart(8);
      console.log(`${name.padEnd(38)} ${f('p50')} ${f('p95')} ${f('p99')}`);
    }
    agent.destroy();
  } finally {
    server.close();
    await handle.close();
    await stop();
  }
}

if (args.data && !existsSync(args.data)) console.log(`new database in ${args.data}`);
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
