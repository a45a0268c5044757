import { quietLogger } from '../support/quietLogger';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'drizzle-orm';
import { createPersistenceActivities } from '../../activities/persistence';
import { applyCommand, openTicket, type Applied, type Command, type TicketEvent } from '../../domain';
import { correspondenceOf } from '../../db/repositories/correspondence';
import { problemsOf } from '../../db/repositories/problems';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { testDatabase } from '../support/database';

const operator = { kind: 'operator' as const, id: 'op', name: 'Оператор' };

function story(id: string) {
  const opened = openTicket({
    ticketId: id,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: 'email',
    receivedAt: '2025-03-03T00:00:00.000Z',
    requestType: 'incident',
    intake: {
      subject: 'Не списываются баллы',
      description: 'При оплате сертификатом выходит ошибка',
      initiator: {
        fullName: 'Петров Петр Петрович',
        email: 'petrov@example.ru',
        organization: '«Бубль-Гум»',
        organizationId: 'bubble',
      },
      sourceMessageId: '<req-1@example.ru>',
    },
  });
  const steps: Applied[] = [opened];
  const apply = (cmd: Command, at: string) =>
    steps.push(applyCommand(steps.at(-1)!.state, cmd, Date.parse(at)));
  apply(
    { type: 'register', by: operator, assignee: { id: 'ivanov', name: 'Иванов' } },
    '2025-03-03T00:30:00.000Z',
  );
  apply({ type: 'requestInfo', by: operator, question: 'Пришлите скриншот' }, '2025-03-03T01:00:00.000Z');
  apply(
    {
      type: 'reply',
      by: { kind: 'initiator' },
      text: 'Скриншоты с терминала приложены',
      from: 'petrov@example.ru',
      messageId: '<reply-2@example.ru>',
    },
    '2025-03-03T02:00:00.000Z',
  );
  return steps;
}

describe('persistence activity: read model and event log (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  const env = new MockActivityEnvironment(undefined, { logger: quietLogger });

  beforeAll(async () => {
    db = await testDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  const record = (step: Applied) =>
    env.run(createPersistenceActivities(db.db, () => Date.parse('2025-03-03T03:00:00.000Z')).recordTicket, {
      state: step.state,
      events: step.events,
    });

  it('stores the snapshot the queue reads and every event once', async () => {
    for (const step of story('ID200001')) await record(step);
    const row = await findTicket(db.db, 'ID200001');
    expect(row).toMatchObject({
      status: 'awaiting_reply',
      type: 'incident',
      line: 'first',
      assigneeId: 'ivanov',
      organizationId: 'bubble',
      slaPaused: true,
      slaDueAt: null,
      awaitingOperator: true,
      seq: 5,
    });
    expect((await ticketEventsOf(db.db, 'ID200001')).map((e) => e.type)).toEqual([
      'received',
      'registered',
      'assigned',
      'infoRequested',
      'messageReceived',
    ]);
  });

  it('is idempotent and ordered: a retried or late, older batch changes nothing', async () => {
    const steps = story('ID200002');
    for (const step of steps) await record(step);
    await record(steps[3]!); // retried: same events again
    await record(steps[1]!); // an older snapshot arriving late
    const row = await findTicket(db.db, 'ID200002');
    expect(row).toMatchObject({ status: 'awaiting_reply', seq: 5 });
    const events: TicketEvent[] = await ticketEventsOf(db.db, 'ID200002');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('the request and the initiator’s messages become incoming correspondence', async () => {
    const rows = (await correspondenceOf(db.db, 'ID200001')).filter((r) => r.direction === 'in');
    expect(rows.map((r) => [r.messageId, r.body])).toEqual([
      ['<req-1@example.ru>', 'При оплате сертификатом выходит ошибка'],
      ['<reply-2@example.ru>', 'Скриншоты с терминала приложены'],
    ]);
  });

  it('subject, description and correspondence are searchable in Russian (any word form)', async () => {
    const found = async (query: string) =>
      (
        await db.db.execute<{ id: string }>(
          sql`select id from tickets where search @@ websearch_to_tsquery('russian', ${query}) order by id`,
        )
      ).rows.map((r) => r.id);
    expect(await found('списывается балла')).toEqual(['ID200001', 'ID200002']); // «списываются баллы»
    expect(await found('скриншот терминала')).toEqual(['ID200001', 'ID200002']); // from the reply
    expect(await found('регистрация пользователей')).toEqual([]);
  });

  it('invalid input fails non-retryably', async () => {
    await expect(
      env.run(createPersistenceActivities(db.db).recordTicket, { state: {} as never, events: [] }),
    ).rejects.toMatchObject({
      type: 'InvalidData',
      nonRetryable: true,
    });
  });

  describe('a burst (issue #21: deadlines firing together were recorded at 40–60 tickets/s)', () => {
    const burst = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => story(`${prefix}${String(i).padStart(3, '0')}`));

    it('tickets recorded at once share transactions, each stored whole', async () => {
      const activities = createPersistenceActivities(db.db, () => Date.parse('2025-03-03T03:00:00.000Z'));
      const stories = burst('ID2101', 40);
      await Promise.all(
        stories.map((steps) =>
          env.run(activities.recordTicket, {
            state: steps[1]!.state,
            events: [...steps[0]!.events, ...steps[1]!.events],
          }),
        ),
      );
      const rows = (
        await db.db.execute<{ id: string; seq: number }>(
          sql`select id, seq from tickets where id like 'ID2101%'`,
        )
      ).rows;
      expect(rows).toHaveLength(40);
      expect(rows.every((r) => r.seq === stories[0]![1]!.state.seq)).toBe(true);
      // One commit for many tickets: far fewer transactions than tickets wrote the event log.
      const commits = await db.db.execute<{ n: number }>(
        sql`select count(distinct xmin::text)::int as n from ticket_events where ticket_id like 'ID2101%'`,
      );
      expect(commits.rows[0]!.n).toBeLessThanOrEqual(8);
      for (const steps of stories.slice(0, 3))
        expect((await ticketEventsOf(db.db, steps[0]!.state.id)).map((e) => e.type)).toEqual([
          'received',
          'registered',
          'assigned',
        ]);
      // The request still becomes incoming correspondence.
      expect(await correspondenceOf(db.db, stories[0]![0]!.state.id)).toHaveLength(1);
    });

    it('one ticket PostgreSQL refuses does not fail the others written with it', async () => {
      const activities = createPersistenceActivities(db.db, () => Date.parse('2025-03-03T03:00:00.000Z'));
      const stories = burst('ID2102', 12);
      const writes = stories.map((steps) => ({ state: steps[0]!.state, events: steps[0]!.events }));
      const bad = writes[7]!;
      writes[7] = {
        state: { ...bad.state, intake: { ...bad.state.intake, description: 'нулевой\u0000символ' } },
        events: bad.events,
      };
      await Promise.all(writes.map((w) => env.run(activities.recordTicket, w)));
      const rows = (await db.db.execute<{ id: string }>(sql`select id from tickets where id like 'ID2102%'`))
        .rows;
      expect(rows).toHaveLength(12);
      expect(await problemsOf(db.db, writes[7]!.state.id)).toHaveLength(1);
      expect(await problemsOf(db.db, writes[6]!.state.id)).toHaveLength(0);
    });
  });

  describe('the poison-pill rule (issue #10): what PostgreSQL refuses never stalls the read model', () => {
    it('a lone surrogate and a NUL in a message: stored sanitised, recorded for operators, later events follow', async () => {
      const steps = story('ID200003');
      for (const step of steps.slice(0, 3)) await record(step);
      const poisoned = applyCommand(
        steps[3]!.state,
        { type: 'comment', by: operator, text: 'a\ud800b\u0000c', visibility: 'internal' },
        Date.parse('2025-03-03T02:30:00.000Z'),
      );
      await record(poisoned);
      const later = applyCommand(
        poisoned.state,
        { type: 'comment', by: operator, text: 'следующее событие', visibility: 'internal' },
        Date.parse('2025-03-03T02:40:00.000Z'),
      );
      await record(later);
      const events = await ticketEventsOf(db.db, 'ID200003');
      expect(events.filter((e) => e.type === 'commented').map((e) => (e as { text: string }).text)).toEqual([
        'a\ufffdb\ufffdc',
        'следующее событие',
      ]);
      expect(await findTicket(db.db, 'ID200003')).toMatchObject({ seq: later.state.seq });
      expect(await problemsOf(db.db, 'ID200003')).toEqual([
        expect.objectContaining({
          kind: 'unstorable_event',
          key: `${poisoned.state.seq}-${poisoned.state.seq}`,
        }),
      ]);
      // Retrying the same activity records nothing twice.
      await record(poisoned);
      expect(await problemsOf(db.db, 'ID200003')).toHaveLength(1);
    });

    it('an event refused even sanitised becomes a placeholder and the snapshot moves on', async () => {
      const steps = story('ID200004');
      for (const step of steps.slice(0, 2)) await record(step);
      const next = steps[2]!;
      const broken = next.events.map((e) => ({ ...e, at: 'not an instant' }));
      await record({ state: next.state, events: broken } as unknown as Applied);
      const events = await ticketEventsOf(db.db, 'ID200004');
      expect(events.at(-1)).toMatchObject({
        seq: next.state.seq,
        type: 'unstorable',
        originalType: 'infoRequested',
      });
      expect(await findTicket(db.db, 'ID200004')).toMatchObject({ seq: next.state.seq });
      expect((await problemsOf(db.db, 'ID200004'))[0]?.detail).toContain('заглушки');
      await record(steps[3]!);
      expect(await findTicket(db.db, 'ID200004')).toMatchObject({
        seq: steps[3]!.state.seq,
        status: 'awaiting_reply',
      });
    });

    it('a description too long for the search index (class 54) is stored bounded', async () => {
      const words = Array.from({ length: 140_000 }, (_, i) => `w${i.toString(36)}x`).join(' ');
      const [opened] = story('ID200005');
      const state = { ...opened!.state, intake: { ...opened!.state.intake, description: words } };
      await record({ state, events: opened!.events } as Applied);
      const row = await findTicket(db.db, 'ID200005');
      expect(row?.description?.length).toBe(100_000);
      expect(await problemsOf(db.db, 'ID200005')).toHaveLength(1);
    });
  });
});
