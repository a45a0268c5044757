/**
 * Issue #21 «search over what people wrote»: the queue's full-text search finds the initiator's and
 * the operators' words (subject, description, replies, questions, answers, comments) and not the
 * desk's own template letters, which matched every ticket («заявка») and made each vector large.
 */
import { sql } from 'drizzle-orm';
import { applyCommand, notificationsFor, openTicket, type Applied, type Command } from '../../domain';
import { claimOutgoing } from '../../db/repositories/correspondence';
import { listQueue } from '../../db/repositories/queue';
import { saveTicket } from '../../db/repositories/tickets';
import { testDatabase } from '../support/database';

const op = { kind: 'operator' as const, id: 'op1', name: 'Иванов' };

describe('full-text search over what people wrote (issue #21, real PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    handle = await testDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  it('finds replies, questions, answers and comments; not the words of the desk’s template letters', async () => {
    const db = handle.db;
    let applied: Applied = openTicket({
      ticketId: 'ID700001',
      regulation: { id: 'primorye', version: '2023-04-20' },
      channel: 'email',
      receivedAt: '2025-03-03T00:00:00.000Z',
      requestType: 'incident',
      intake: {
        subject: 'Не списываются баллы',
        description: 'Ошибка при оплате сертификатом',
        initiator: { fullName: 'Петров', email: 'p@example.ru', organization: 'О', organizationId: 'o1' },
      },
    });
    const letters: string[] = [];
    const save = async (at: string) => {
      await saveTicket(db, applied.state, applied.events, Date.parse(at));
      // The desk's letters for these events, stored as the mail activity stores them.
      for (const e of applied.events)
        for (const m of notificationsFor(e, applied.state)) {
          letters.push(m.text);
          await claimOutgoing(db, {
            key: m.key,
            ticketId: m.ticketId,
            template: m.template,
            messageId: `<${m.key}@test>`,
            inReplyTo: null,
            fromAddress: 'help@dprim.ru',
            toAddresses: ['p@example.ru'],
            subject: m.subject,
            body: m.text,
            automatic: m.automatic,
          });
        }
    };
    await save('2025-03-03T00:00:00.000Z');
    const step = async (command: Command, at: string) => {
      applied = applyCommand(applied.state, command, Date.parse(at));
      expect(applied.refusal).toBeNull();
      await save(at);
    };
    await step({ type: 'register', by: op, assignee: op }, '2025-03-03T00:30:00.000Z');
    await step(
      { type: 'requestInfo', by: op, question: 'Пришлите номер терминала' },
      '2025-03-03T01:00:00.000Z',
    );
    await step(
      { type: 'reply', by: { kind: 'initiator' }, text: 'Терминал Верифон 4471' },
      '2025-03-03T02:00:00.000Z',
    );
    await step({ type: 'comment', by: op, text: 'Проверил журнал казначейства' }, '2025-03-03T03:00:00.000Z');
    await step({ type: 'resolve', by: op, text: 'Обновили справочник тарифов' }, '2025-03-03T04:00:00.000Z');
    expect(letters.length).toBeGreaterThan(0);

    const found = async (q: string) => (await listQueue(db, { q }, 'due', 50, null)).rows.map((r) => r.id);
    for (const q of [
      'баллы',
      'сертификат',
      'номер терминала',
      'Верифон',
      'журнал казначейства',
      'справочник тарифов',
    ])
      expect({ q, found: await found(q) }).toEqual({ q, found: ['ID700001'] });

    // A word only the desk's letters use (greeting, regulation wording, signature) finds nothing;
    // numbers are left out (a ticket's number finds the ticket itself).
    const peoples = `${applied.state.intake.subject} ${applied.state.intake.description} Пришлите номер терминала Терминал Верифон 4471 Проверил журнал казначейства Обновили справочник тарифов`;
    const { rows } = await db.execute<{ word: string }>(sql`
      select word from unnest(tsvector_to_array(to_tsvector('russian', ${letters.join(' ')}))) word
       where length(word) > 4 and word !~ '[0-9]'
      except select unnest(tsvector_to_array(to_tsvector('russian', ${peoples})))
       order by 1 limit 8`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { word } of rows) expect({ word, found: await found(word) }).toEqual({ word, found: [] });
  });

  it('keeps the words once: one search vector per ticket, in line with the row, the same whichever is stored first', async () => {
    const db = handle.db;
    // Stored once: the people's words are not kept in a second column copied into the vector.
    const { rows: vectors } = await db.execute<{ column_name: string }>(sql`
      select column_name from information_schema.columns
       where table_name = 'tickets' and data_type = 'tsvector' order by 1`);
    expect(vectors.map((r) => r.column_name)).toEqual(['search']);

    // A ticket whose events reach the log before its snapshot row (a replay, a bulk load) still has
    // its people's words; and later events are appended.
    let applied: Applied = openTicket({
      ticketId: 'ID700002',
      regulation: { id: 'primorye', version: '2023-04-20' },
      channel: 'email',
      receivedAt: '2025-03-04T00:00:00.000Z',
      requestType: 'incident',
      intake: {
        subject: 'Касса не печатает чек',
        description: 'После обновления прошивки',
        initiator: { fullName: 'Сидоров', email: 's@example.ru', organization: 'О', organizationId: 'o1' },
      },
    });
    const events = [...applied.events];
    applied = applyCommand(
      applied.state,
      { type: 'register', by: op, assignee: op },
      Date.parse('2025-03-04T00:10:00Z'),
    );
    events.push(...applied.events);
    applied = applyCommand(
      applied.state,
      { type: 'comment', by: op, text: 'Фискальный накопитель заполнен' },
      Date.parse('2025-03-04T00:20:00Z'),
    );
    events.push(...applied.events);
    await db.execute(sql`
      insert into ticket_events (ticket_id, seq, type, at, actor, event)
      select 'ID700002', (e->>'seq')::int, e->>'type', (e->>'at')::timestamptz, e->'by', e
        from jsonb_array_elements(${JSON.stringify(events)}::jsonb) e`);
    await saveTicket(db, applied.state, [], Date.parse('2025-03-04T00:20:00Z'));
    const found = async (q: string) => (await listQueue(db, { q }, 'due', 50, null)).rows.map((r) => r.id);
    expect(await found('фискальный накопитель')).toEqual(['ID700002']);
    applied = applyCommand(
      applied.state,
      { type: 'resolve', by: op, text: 'Заменили накопитель, чеки печатаются' },
      Date.parse('2025-03-04T01:00:00Z'),
    );
    await saveTicket(db, applied.state, applied.events, Date.parse('2025-03-04T01:00:00Z'));
    expect(await found('заменили')).toEqual(['ID700002']);

    // What is kept is what the log says, each word with its positions once, small enough to stay in
    // the row (no out-of-line reads to re-check a match).
    const { rows } = await db.execute<{ same: boolean; size: number }>(sql`
      select search = ticket_search_of(id, subject, description) as same, pg_column_size(search) as size
        from tickets where id in ('ID700001', 'ID700002') order by id`);
    expect(rows.map((r) => r.same)).toEqual([true, true]);
    for (const r of rows) expect(r.size).toBeLessThan(1000);
  });
});
