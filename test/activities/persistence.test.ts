import { quietLogger } from '../support/quietLogger';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sql } from 'drizzle-orm';
import { createPersistenceActivities } from '../../activities/persistence';
import { applyCommand, openTicket, type Applied, type Command, type TicketEvent } from '../../domain';
import { correspondenceOf } from '../../db/repositories/correspondence';
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
});
