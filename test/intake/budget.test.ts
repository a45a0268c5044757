/**
 * Issue #18, finding 1 and «Linear-time handling of untrusted text», over real SMTP conversations and
 * real PostgreSQL: one hostile message must not stop the desk, and a message over its processing budget
 * is held with the reason an operator sees in GET /inbox, never taken again.
 */
import { sql } from 'drizzle-orm';
import { findTicket } from '../../db/repositories/tickets';
import type { TicketState } from '../../domain';
import { startDesk, type Desk } from './desk';

describe('one e-mail must not stop the desk (issue #18, finding 1)', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  });

  afterAll(async () => {
    await desk.close();
  });

  const rowsFrom = async (from: string) =>
    (
      await desk.db.db.execute<{
        id: string;
        status: string;
        outcome: string;
        ticket_id: string;
        attempts: number;
      }>(
        sql`select id, status, outcome, ticket_id, attempts from inbox where envelope_from = ${from} order by id`,
      )
    ).rows;

  it('finding 1: «ФИО: » + «a@»×700, and a 100 KB body of such lines, become tickets (the address pattern was cubic)', async () => {
    const from = 'hostile@bubblegum.ru';
    // The message of the finding (9 s of a frozen desk per attempt) and a 100 KB body of its lines.
    await desk.send({
      from,
      subject: 'Не работает',
      text: `Не формируется отчёт.\n\nФИО: ${'a@'.repeat(700)}`,
    });
    const line = `ФИО: ${'a@'.repeat(700)}`;
    await desk.send({
      from,
      subject: 'Не работает',
      text: Array.from({ length: Math.ceil(100_000 / line.length) }, () => line).join('\n'),
    });
    await desk.dispatch();
    const rows = await rowsFrom(from);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
    ]);
    for (const r of rows) {
      const ticket = await findTicket(desk.db.db, r.ticket_id);
      // «a@a@…» has no dot after an «@»: not an address; the initiator is the verified sender.
      expect((ticket?.state as TicketState).intake.initiator.email).toBe(from);
    }
  }, 60_000);

  it('a message over the processing budget (more lines than allowed) is held with its reason, never retried; the next one is a ticket', async () => {
    const hostile = 'flood-lines@bubblegum.ru';
    await desk.send({ from: hostile, subject: 'Строки', text: 'ФИО: a@\n'.repeat(6_000) });
    const normal = 'normal@bubblegum.ru';
    await desk.send({
      from: normal,
      subject: 'Не формируется отчёт',
      text: 'Не формируется отчёт.\n\nФИО: Обычнов Обычный Обычнович\nДолжность: специалист\n«Бубль-Гум»',
    });
    await desk.dispatch();
    await desk.dispatch();

    const [held] = await rowsFrom(hostile);
    expect(held).toMatchObject({ status: 'held', attempts: 1, ticket_id: null });
    expect(held!.outcome).toBe('held: over the processing budget: more than 5000 lines');

    const [done] = await rowsFrom(normal);
    expect(done).toMatchObject({ status: 'done', attempts: 1 });
    expect(
      ((await findTicket(desk.db.db, done!.ticket_id))?.state as TicketState).intake.initiator.fullName,
    ).toBe('Обычнов Обычный Обычнович');

    // What operators see: GET /inbox lists it as held with the reason.
    const { http, auth } = await desk.api();
    const inbox = await http().get('/inbox?status=held').set(auth).expect(200);
    expect(inbox.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: Number(held!.id),
          status: 'held',
          outcome: 'held: over the processing budget: more than 5000 lines',
        }),
      ]),
    );
  }, 60_000);
});
