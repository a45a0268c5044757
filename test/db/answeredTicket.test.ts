/**
 * Issue #21, «commands near the bare Update»: the API's copy of a command's result is one statement
 * committed without waiting for the WAL flush, while the workflow's recordTicket activity writes the
 * same ticket in its own transaction. Both orders of arrival give the newest snapshot and every event
 * once, they never deadlock, and the relaxed durability stays with that one statement.
 */
import { sql } from 'drizzle-orm';
import { applyCommand, openTicket, type Applied } from '../../domain';
import { saveAnsweredTicket, saveTickets } from '../../db/repositories/tickets';
import { testDatabase } from '../support/database';

const op = { kind: 'operator' as const, id: 'op1', name: 'Иванов', role: 'first_line' as const };

describe('the API’s copy of a command’s result (issue #21, real PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    handle = await testDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  const opened = (id: string): Applied =>
    openTicket({
      ticketId: id,
      regulation: { id: 'primorye', version: '2023-04-20' },
      channel: 'phone',
      receivedAt: '2025-03-03T00:00:00.000Z',
      requestType: 'incident',
      intake: {
        description: 'Не списываются баллы',
        expectedResult: 'Покупка оплачена баллами',
        actualResult: 'Ошибка',
        initiator: { fullName: 'Петров', email: 'p@example.ru', organization: 'О', organizationId: 'o1' },
      },
    } as Parameters<typeof openTicket>[0]);

  it('raced with the activity’s transaction on the same ticket, command after command: no deadlock, the newest snapshot, every event once', async () => {
    const db = handle.db;
    const tickets = ['ID900001', 'ID900002', 'ID900003', 'ID900004'];
    const applied = new Map(tickets.map((id) => [id, opened(id)]));
    await saveTickets(
      db,
      [...applied.values()].map(({ state, events }) => ({ state, events })),
      Date.now(),
    );
    let events = 0;
    for (let round = 0; round < 25; round++) {
      await Promise.all(
        tickets.map(async (id) => {
          const before = applied.get(id)!.state;
          const next = applyCommand(
            before,
            { type: 'comment', by: op, text: `Комментарий ${round}` },
            Date.parse('2025-03-03T01:00:00.000Z') + round * 60_000,
          );
          applied.set(id, next);
          events += next.events.length;
          // The workflow's activity and the API's answer write the same result at the same moment.
          await Promise.all([
            saveTickets(db, [{ state: next.state, events: next.events }], Date.now()),
            saveAnsweredTicket(db, next.state, next.events, Date.now()),
          ]);
        }),
      );
    }
    const rows = (
      await db.execute<{ id: string; seq: number; events: number }>(sql`
        select t.id, t.seq, (select count(*)::int from ticket_events e where e.ticket_id = t.id) as events
        from tickets t where t.id like 'ID9%' order by t.id`)
    ).rows;
    expect(rows).toEqual(
      tickets.map((id) => ({ id, seq: applied.get(id)!.state.seq, events: applied.get(id)!.state.seq })),
    );
    expect(events).toBeGreaterThan(0);
  });

  it('read your writes: the snapshot is there for the next reader; the pool’s connections stay synchronous', async () => {
    const db = handle.db;
    const first = opened('ID900010');
    await saveAnsweredTicket(db, first.state, first.events, Date.now());
    const [row] = (await db.execute<{ seq: number }>(sql`select seq from tickets where id = 'ID900010'`))
      .rows;
    expect(row?.seq).toBe(first.state.seq);
    // The relaxed commit was local to that statement's transaction: every connection is back to «on».
    const settings = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const client = await db.$client.connect();
        try {
          return (await client.query<{ synchronous_commit: string }>('show synchronous_commit')).rows[0]!
            .synchronous_commit;
        } finally {
          client.release();
        }
      }),
    );
    expect(new Set(settings)).toEqual(new Set(['on']));
  });
});
