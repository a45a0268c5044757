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
 */
import { sql } from 'drizzle-orm';
import {
  applyCommand,
  currentRef,
  deadlines,
  openWithCommands,
  provisionalDeadlines,
  type TicketState,
} from '../domain';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import type { TicketGateway } from '../workflows/client';
import type { QueuedCommand } from '../workflows/messages';
import { deliverCalendar } from '../worker/calendarFanOut';
import { benchDatabase } from './database';
import { calendarVersion2 } from '../test/fixtures/calendars/version2';

const N = Number(process.env.BENCH_TICKETS ?? 100_000);
const v2 = calendarVersion2('json');
const operator = { kind: 'operator' as const, id: 'op', name: 'Оператор', role: 'first_line' };

function ticket(i: number): TicketState {
  const received = Date.parse('2027-12-20T00:00:00Z') + (i % 5_000) * 60_000 * 2;
  return openWithCommands(
    {
      ticketId: `ID${700000 + i}`,
      regulation: currentRef('primorye'),
      channel: 'phone',
      receivedAt: new Date(received).toISOString(),
      requestType: 'incident',
      intake: {
        subject: 'Не списываются баллы',
        description: 'Ошибка при оплате сертификатом',
        expectedResult: 'Баллы списаны',
        actualResult: 'Ошибка',
        initiator: { fullName: 'Петров Петр Петрович', email: 'p@example.ru', organization: 'Бубль-Гум' },
      },
    },
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
    await handle.db.execute(sql`
      insert into tickets (id, regulation, regulation_version, type, status, line, channel, received_at, seq, state)
      select 'BENCH' || lpad(g::text, 7, '0'), 'primorye', '2023-04-20', 'incident', 'in_progress', 'first', 'phone',
             timestamptz '2027-12-20 00:00Z' + (g % 5000) * interval '2 minutes', 2, '{}'::jsonb
      from generate_series(1, ${N}) g`);
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

async function main(): Promise<void> {
  await pure();
  await fanOut();
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
