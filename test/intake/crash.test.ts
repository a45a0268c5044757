/**
 * A dispatcher stopped in the middle of a batch (as if its process died between a ticket's start and
 * the bookkeeping) and a fresh one taking over: every accepted message has exactly one outcome, and
 * at every moment every message is visible to operators in some state at GET /inbox (issue #10,
 * finding 6), the one being processed with its lease.
 */
import { sql, type SQL } from 'drizzle-orm';
import { ticketEventsOf } from '../../db/repositories/tickets';
import { Dispatcher, DEFAULT_DISPATCHER_SETTINGS } from '../../mail/dispatcher';
import { until } from '../support/until';
import { startDesk, type Desk } from './desk';

describe('crash in the middle of a batch, then restart', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  });

  afterAll(async () => {
    await desk.close();
  });

  it('every accepted message produced exactly one outcome, and was visible in some state all along', async () => {
    const api = await desk.api();
    const ALL = 'pending,processing,held,failed,done,ignored,duplicate';
    const unseen: string[] = [];
    let leased = 0;
    let watching = true;
    // An operator's screen, refreshed all the time: every stored message must be on it in some state.
    const watcher = (async () => {
      while (watching) {
        const stored = (await desk.db.db.execute<{ id: string }>(sql`select id from inbox`)).rows.map((r) =>
          Number(r.id),
        );
        const res = await api.http().get('/inbox').query({ status: ALL, limit: 200 }).set(api.auth);
        const items = res.body.items as { id: number; status: string; leaseUntil: string | null }[];
        const shown = new Set(items.map((i) => i.id));
        unseen.push(...stored.filter((id) => !shown.has(id)).map(String));
        leased += items.filter((i) => i.status === 'processing' && i.leaseUntil).length;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // Twelve new requests and, for the first three, a reply each.
    for (let i = 1; i <= 12; i++) {
      await desk.send({
        from: `user${i}@bubblegum.ru`,
        subject: `Заявка ${i}`,
        text: `Вопрос ${i}\n\nФИО: Пользователь ${i} Тестович\n«Бубль-Гум»`,
        messageId: `<req-${i}@bubblegum.ru>`,
      });
    }
    // The first dispatcher dies on the 5th ticket: after starting it, before recording the outcome.
    let calls = 0;
    desk.gateway.beforeCall = async () => {
      calls++;
    };
    const dying = new Dispatcher(
      desk.db.db,
      Object.assign(Object.create(desk.gateway) as typeof desk.gateway, {
        open: async (input: Parameters<typeof desk.gateway.open>[0]) => {
          const result = await desk.gateway.open(input);
          if (desk.gateway.opened.length === 5) await new Promise(() => undefined); // the process is gone
          return result;
        },
      }),
      {
        ...DEFAULT_DISPATCHER_SETTINGS,
        domain: 'dprim.ru',
        instance: 'r1',
        routes: {},
        defaultRegulation: 'primorye',
        regulationSettings: { primorye: {}, epgu: {} },
        automaticPerHour: 50,
      },
    );
    void dying.dispatchOnce(8, 50);
    // The replies below need three tickets done, and the dying dispatcher must be stuck on the 5th.
    const count = async (where: SQL) =>
      (await desk.db.db.execute<{ n: number }>(sql`select count(*)::int as n from inbox where ${where}`))
        .rows[0]!.n;
    await until(
      'four messages done and the fifth stuck in processing',
      async () =>
        desk.gateway.opened.length >= 5 &&
        (await count(sql`status = 'done'`)) >= 3 &&
        (await count(sql`status = 'processing'`)) > 0,
    );
    const midway = (
      await desk.db.db.execute<{ status: string; n: number }>(
        sql`select status, count(*)::int as n from inbox group by status order by status`,
      )
    ).rows;
    expect(midway).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'processing' })]));

    // Replies to three tickets arrive meanwhile.
    const firstTickets = (
      await desk.db.db.execute<{ ticket_id: string }>(
        sql`select ticket_id from inbox where status = 'done' order by id limit 3`,
      )
    ).rows.map((r) => r.ticket_id);
    for (const [i, id] of firstTickets.entries()) {
      await desk.send({
        from: `user${i + 1}@bubblegum.ru`,
        subject: `Re: [${id}] Заявка`,
        text: `Дополнение ${i + 1}`,
      });
    }
    // A new dispatcher starts once the dead one's lease has run out.
    await until(
      'the dead dispatcher’s lease to run out',
      async () => (await count(sql`status = 'processing' and lease_until > now()`)) === 0,
    );
    await desk.dispatch();

    const rows = (
      await desk.db.db.execute<{ status: string; outcome: string; ticket_id: string }>(
        sql`select status, outcome, ticket_id from inbox order by id`,
      )
    ).rows;
    expect(rows).toHaveLength(15);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    const tickets = rows.filter((r) => r.outcome === 'ticket').map((r) => r.ticket_id);
    expect(new Set(tickets).size).toBe(12);
    // Each ticket started once, though the 5th was started twice by the two dispatchers.
    expect(new Set(desk.gateway.opened).size).toBe(desk.gateway.opened.length);
    expect(desk.gateway.opened).toHaveLength(12);
    for (const id of firstTickets) {
      const replies = (await ticketEventsOf(desk.db.db, id)).filter((e) => e.type === 'messageReceived');
      expect(replies).toHaveLength(1);
    }
    expect(calls).toBeGreaterThanOrEqual(15);
    watching = false;
    await watcher;
    expect(unseen).toEqual([]);
    // The dead dispatcher's messages were seen in processing, with the lease that frees them.
    expect(leased).toBeGreaterThan(0);
    const processing = await api.http().get('/inbox').query({ status: 'processing' }).set(api.auth);
    expect(processing.status).toBe(200);
  });
});
