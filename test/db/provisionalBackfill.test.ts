/**
 * Issue #20, migration 0017: rows written before `tickets.sla_due_provisional` existed get the mark
 * the domain would have written — a deadline in a year past the ticket's calendar (the built-in
 * 2023–2027) is «предварительный срок», one inside it is not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { applyCommand, currentRef, openTicket } from '../../domain';
import { findTicket, saveTicket } from '../../db/repositories/tickets';
import { testDatabase } from '../support/database';

const operator = { kind: 'operator' as const, id: 'op', name: 'Оператор', role: 'first_line' };

function registered(id: string, receivedAt: string) {
  const opened = openTicket({
    ticketId: id,
    regulation: currentRef('primorye'),
    channel: 'email',
    receivedAt,
    requestType: 'incident',
    intake: {
      subject: 'Не списываются баллы',
      description: 'Ошибка при оплате',
      expectedResult: 'Баллы списаны',
      actualResult: 'Ошибка',
      initiator: { fullName: 'Петров Петр Петрович', email: 'p@example.ru', organization: 'Бубль-Гум' },
    },
  });
  return applyCommand(
    opened.state,
    { type: 'register', by: operator, assignee: { id: 'iv', name: 'Иванов' } },
    Date.parse(receivedAt),
  ).state;
}

describe('migration 0017: the provisional mark of rows written before it (issue #20)', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;

  beforeAll(async () => {
    database = await testDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('marks what the domain marks', async () => {
    const now = Date.parse('2027-12-27T00:00:00Z');
    await saveTicket(database.db, registered('ID800001', '2027-12-27T00:00:00Z'), [], now);
    await saveTicket(database.db, registered('ID800002', '2026-12-07T00:00:00Z'), [], now);
    const written = await Promise.all(['ID800001', 'ID800002'].map((id) => findTicket(database.db, id)));
    expect(written.map((r) => r?.slaDueProvisional)).toEqual([true, false]);

    // As the rows were before the column: unmarked; then the migration's own backfill statement.
    await database.db.execute(sql`update tickets set sla_due_provisional = false`);
    const migration = readFileSync(
      join(__dirname, '../../db/migrations/0017_provisional_deadlines.sql'),
      'utf8',
    );
    const backfill = migration.split('--> statement-breakpoint')[1]!;
    await database.db.execute(sql.raw(backfill));
    const after = await Promise.all(['ID800001', 'ID800002'].map((id) => findTicket(database.db, id)));
    expect(after.map((r) => r?.slaDueProvisional)).toEqual([true, false]);
  });
});
