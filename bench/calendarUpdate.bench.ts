/**
 * `npm run bench:calendar-update` (issue #20): a new production calendar version reaching 100,000
 * open tickets.
 * 1. The pure recompute: each ticket (an incident registered in late December 2027, its deadline
 *    provisional in 2028) applies the `calendar` command as its workflow would; time per ticket and
 *    the time until every deadline moved, on one core.
 * 2. The fan-out path: the read model's list of open tickets (a throwaway PostgreSQL, or DATABASE_URL)
 *    paged and handed to a gateway with the command each workflow gets. The gateway here only counts
 *    (no Temporal server in this benchmark): the figure is what the desk spends before Temporal; each
 *    signal's own cost is Temporal's (see bench:workflows for a server's per-signal latency).
 * 3. On a Temporal server (TEMPORAL_ADDRESS, or TEMPORAL_TEST_SERVER_PATH started standalone, in real
 *    time): BENCH_TEMPORAL_TICKETS (2,000) open ticket workflows with the real activities, the version
 *    delivered by the fan-out through the real gateway, and the time until the read model shows every
 *    moved deadline (no longer «предварительный срок»): per ticket, and that rate taken to 100,000.
 *    Skipped, with a line saying so, without a server.
 */
import { loadavg } from 'node:os';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { sql } from 'drizzle-orm';
import {
  applyCommand,
  currentRef,
  deadlines,
  openWithCommands,
  provisionalDeadlines,
  type OpenTicketInput,
  type TicketState,
} from '../domain';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { TemporalGateway, type TicketGateway } from '../workflows/client';
import type { QueuedCommand } from '../workflows/messages';
import { ticketWorkflow } from '../workflows';
import { deliverCalendar } from '../worker/calendarFanOut';
import { workerCapacity } from '../worker/createWorker';
import { loadConfig } from '../config';
import { workerBundleOptions } from '../worker/workflowBundle';
import { benchActivities, benchDatabase } from './database';
import { benchStack } from './temporal';
import { calendarVersion2 } from '../test/fixtures/calendars/version2';

const N = Number(process.env.BENCH_TICKETS ?? 100_000);
const v2 = calendarVersion2('json');
const operator = { kind: 'operator' as const, id: 'op', name: 'Оператор', role: 'first_line' };

/** An incident as received, by phone (registered at once by the operator who took the call). */
function incident(ticketId: string, receivedAt: string): OpenTicketInput {
  return {
    ticketId,
    regulation: currentRef('primorye'),
    channel: 'phone',
    receivedAt,
    requestType: 'incident',
    intake: {
      subject: 'Не списываются баллы',
      description: 'Ошибка при оплате сертификатом',
      expectedResult: 'Баллы списаны',
      actualResult: 'Ошибка',
      initiator: { fullName: 'Петров Петр Петрович', email: 'p@example.ru', organization: 'Бубль-Гум' },
    },
  };
}

function ticket(i: number): TicketState {
  const received = Date.parse('2027-12-20T00:00:00Z') + (i % 5_000) * 60_000 * 2;
  return openWithCommands(
    incident(`ID${700000 + i}`, new Date(received).toISOString()),
    [{ type: 'register', by: operator, assignee: { id: 'iv', name: 'Иванов' } }],
    received,
  ).state;
}

async function pure(): Promise<void> {
  const at = Date.parse('2027-12-29T03:00:00Z');
  let spent = 0;
  let moved = 0;
  let provisionalLeft = 0;
  let bytes = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const state = ticket(i);
    const before = deadlines(state).resolution;
    const t0 = process.hrtime.bigint();
    const applied = applyCommand(
      state,
      { type: 'calendar', by: { kind: 'system', name: 'reglament' }, calendar: v2 },
      at,
    );
    spent += Number(process.hrtime.bigint() - t0);
    if (deadlines(applied.state).resolution !== before) moved++;
    if (provisionalDeadlines(applied.state).length) provisionalLeft++;
    if (i === 0) bytes = JSON.stringify(applied.state.calendar).length;
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `pure: ${N} tickets, calendar command ${(spent / 1e6).toFixed(0)} ms in all (${(spent / N / 1e3).toFixed(1)} µs per ticket); ` +
      `deadlines moved ${moved}, still provisional ${provisionalLeft}; calendar kept per ticket ${bytes} bytes; ` +
      `with building the tickets ${total.toFixed(1)} s`,
  );
}

/** Counts what the fan-out hands to Temporal; a benchmark stand-in for the server, not a test double. */
class CountingGateway {
  sent = 0;
  bytes = 0;
  async send(_id: string, command: QueuedCommand): Promise<void> {
    this.sent++;
    if (this.sent === 1) this.bytes = JSON.stringify(command).length;
  }
}

async function fanOut(): Promise<void> {
  const database = await benchDatabase();
  const handle = connectDatabase(database.url, { max: 4 });
  try {
    await migrateDatabase(handle.db);
    await handle.db.execute(sql`delete from tickets where id like 'BENCH%'`);
    const t0 = Date.now();
    // In statements of 2,000 rows: the per-row counter trigger (db/migrations/0015) updates one
    // counter row per ticket, and 100,000 updates of one row in one transaction grow quadratically.
    for (let from = 1; from <= N; from += 2_000) {
      await handle.db.execute(sql`
        insert into tickets (id, regulation, regulation_version, type, status, line, channel, received_at, seq, state)
        select 'BENCH' || lpad(g::text, 7, '0'), 'primorye', '2023-04-20', 'incident', 'in_progress', 'first', 'phone',
               timestamptz '2027-12-20 00:00Z' + (g % 5000) * interval '2 minutes', 2, '{}'::jsonb
        from generate_series(${from}::int, ${Math.min(N, from + 1_999)}::int) g`);
    }
    const seeded = Date.now() - t0;
    const gateway = new CountingGateway();
    const t1 = Date.now();
    const result = await deliverCalendar(handle.db, gateway as unknown as TicketGateway, v2, {
      decree: '№ 9999 (тест)',
    });
    const spent = Date.now() - t1;
    console.log(
      `fan-out: ${result.delivered} open tickets listed from PostgreSQL and handed over in ${spent} ms ` +
        `(${((spent * 1000) / Math.max(1, result.delivered)).toFixed(1)} µs per ticket; ${gateway.bytes} bytes per signal); ` +
        `seeding the read model took ${seeded} ms; no Temporal server: each signal's delivery is Temporal's own cost`,
    );
    await handle.db.execute(sql`delete from tickets where id like 'BENCH%'`);
  } finally {
    await handle.close();
    await database.stop();
  }
}

const TEMPORAL_N = Number(process.env.BENCH_TEMPORAL_TICKETS ?? 2_000);
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** Waits for a count from the read model to reach what is wanted; polls, never a fixed sleep. */
async function waitFor(
  what: string,
  read: () => Promise<number>,
  done: (n: number) => boolean,
): Promise<void> {
  const limit = Date.now() + 120 * 60_000;
  let shown = Date.now();
  for (;;) {
    const n = await read();
    if (done(n)) return;
    if (Date.now() - shown > 30_000) {
      shown = Date.now();
      console.log(
        `  … ${what}: ${n} (load average ${load()}, worker RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB)`,
      );
    }
    if (Date.now() > limit) throw new Error(`gave up waiting for ${what} (${n})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function onTemporal(): Promise<void> {
  if (!process.env.TEMPORAL_ADDRESS && !process.env.TEMPORAL_TEST_SERVER_PATH) {
    console.log('temporal: skipped (set TEMPORAL_TEST_SERVER_PATH or TEMPORAL_ADDRESS, see DEVELOPERS.md)');
    return;
  }
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await benchStack('bench:calendar-update');
  const { database, connection, native } = stack;
  try {
    const client = new Client({ connection });
    const taskQueue = `bench-calendar-${Date.now()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      ...workerBundleOptions,
      activities: benchActivities(database.db),
      // The production worker's capacity (WORKER_MAX_CACHED_WORKFLOWS…): past its cache, a signalled
      // ticket is replayed from its history, as it would be on a desk's worker.
      ...workerCapacity(loadConfig(process.env).worker),
    });
    const gateway = new TemporalGateway(client, { taskQueue, namespace: 'default', timeoutMs: 60_000 });
    const prefix = `CU${Date.now()}-`;
    const count = async (where: ReturnType<typeof sql>): Promise<number> =>
      Number(
        (
          await database.db.execute<{ n: number }>(
            sql`select count(*)::int as n from tickets where id like ${`${prefix}%`} and ${where}`,
          )
        ).rows[0]!.n,
      );
    await worker.runUntil(async () => {
      // The workflows' clock: Wednesday 29.12.2027 13:00 in Vladivostok, whatever the hour here. The
      // tickets came in on 27–28 December and were registered at once: 60 working hours end in January
      // 2028, provisional until the 2028 calendar arrives (in it, 10 January is a day off).
      const offset = Date.parse('2027-12-29T03:00:00Z') - Date.now();
      const t0 = performance.now();
      for (let i = 0; i < TEMPORAL_N; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, TEMPORAL_N - i) }, async (_, k) => {
            const n = i + k;
            const received = new Date(
              Date.parse('2027-12-27T00:00:00Z') + (n % 1_000) * 60_000,
            ).toISOString();
            await client.workflow.start(ticketWorkflow, {
              workflowId: `${prefix}${n}`,
              taskQueue,
              args: [
                {
                  open: incident(`${prefix}${n}`, received),
                  initialCommands: [
                    { type: 'register', by: operator, assignee: { id: 'iv', name: 'Иванов' } },
                  ],
                  openedAt: received,
                  options: { clockOffsetMs: offset },
                },
              ],
            });
          }),
        );
      }
      await waitFor(
        'the read model of every ticket',
        () => count(sql`sla_due_provisional`),
        (n) => n === TEMPORAL_N,
      );
      const opened = (performance.now() - t0) / 1000;
      const before = new Map(
        (
          await database.db.execute<{ id: string; due: string }>(
            sql`select id, sla_due_at::text as due from tickets where id like ${`${prefix}%`}`,
          )
        ).rows.map((r) => [r.id, r.due]),
      );
      const loadBefore = load();
      const t1 = performance.now();
      const result = await deliverCalendar(database.db, gateway, v2, { decree: '№ 9999 (тест)' });
      const handed = (performance.now() - t1) / 1000;
      await waitFor(
        'every deadline to move',
        () => count(sql`sla_due_provisional`),
        (n) => n === 0,
      );
      const moved = (performance.now() - t1) / 1000;
      const after = (
        await database.db.execute<{ id: string; due: string }>(
          sql`select id, sla_due_at::text as due from tickets where id like ${`${prefix}%`}`,
        )
      ).rows.filter((r) => r.due !== before.get(r.id)).length;
      const perTicket = (moved * 1000) / TEMPORAL_N;
      console.log(
        `temporal: ${TEMPORAL_N} open ticket workflows (started and in the read model in ${opened.toFixed(0)} s); ` +
          `version delivered: ${result.delivered} signals handed over in ${handed.toFixed(1)} s (${result.failed.length} failed), ` +
          `every deadline moved in the read model after ${moved.toFixed(1)} s (${after} deadlines changed): ` +
          `${perTicket.toFixed(1)} ms per ticket, ${(TEMPORAL_N / moved).toFixed(0)} tickets/s; ` +
          `at this rate 100,000 would take ≈ ${((perTicket * 100_000) / 60_000).toFixed(0)} min ` +
          `(one worker, one server; load average ${loadBefore} before, ${load()} after)`,
      );
    });
  } finally {
    await stack.close();
  }
}

/** BENCH_PARTS: which parts to run (pure, fanout, temporal; all by default). */
const PARTS = new Set((process.env.BENCH_PARTS ?? 'pure,fanout,temporal').split(','));

async function main(): Promise<void> {
  console.log(`load average ${load()} (${N} tickets for the pure and fan-out parts)`);
  if (PARTS.has('pure')) await pure();
  if (PARTS.has('fanout')) await fanOut();
  if (PARTS.has('temporal')) await onTemporal();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
