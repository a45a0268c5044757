/**
 * Issue #21 «managers' figures from maintained aggregates»: the counters /metrics and the dashboard
 * read are kept by the read model's own writes and always equal what the tickets say, through
 * registration, reclassification, a reopening on disagreement (ЕПГУ), a breach, archiving, a missing
 * workflow and inbound mail changing state; `reglament reports rebuild` repairs them.
 */
import { sql } from 'drizzle-orm';
import { createMetrics } from '../../api/metrics';
import { advanceBefore, currentRef, openTicket, receive, type Applied, type Command } from '../../domain';
import { assigneeLoad, weeklyOnTime } from '../../db/repositories/dashboard';
import { finishInbound, storeInbound } from '../../db/repositories/inbox';
import { checkReportCounters, rebuildReportCounters } from '../../db/repositories/reportCounters';
import { markWorkflow, saveTicket } from '../../db/repositories/tickets';
import { testDatabase } from '../support/database';

const op = (n: number) => ({ kind: 'operator' as const, id: `op${n}`, name: `Оператор ${n}` });
const initiator = { kind: 'initiator' as const };

/** A ticket whose every change is written as the persistence activity writes it (saveTicket). */
class Story {
  private applied: Applied;
  constructor(
    private readonly db: Awaited<ReturnType<typeof testDatabase>>['db'],
    id: string,
    regulation: 'primorye' | 'epgu',
    receivedAt: string,
    organizationId: string,
  ) {
    this.applied = openTicket({
      ticketId: id,
      regulation: currentRef(regulation),
      channel: 'email',
      receivedAt,
      requestType: 'incident',
      intake: {
        subject: 'Не списываются баллы',
        description: 'Ошибка при оплате',
        initiator: {
          fullName: 'Смирнов Алексей Викторович',
          email: 'p@example.ru',
          // What ЕПГУ needs to take a forwarded appeal (seed 003 п. 3.3.2.1).
          snils: '112-233-445 95',
          inn: '500100732259',
          birthDate: '1985-04-12',
          contact: 'p@example.ru',
          organization: organizationId,
          organizationId,
        },
      },
    });
  }
  get state() {
    return this.applied.state;
  }
  async save(now: number) {
    await saveTicket(this.db, this.applied.state, this.applied.events, now);
  }
  async do(command: Command, at: string) {
    this.applied = receive(this.applied.state, command, Date.parse(at));
    expect(this.applied.refusal).toBeNull();
    await this.save(Date.parse(at));
  }
  async advance(to: string) {
    this.applied = advanceBefore(this.applied.state, Date.parse(to));
    await this.save(Date.parse(to));
  }
}

describe('maintained report counters (issue #21, real PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    handle = await testDatabase();
  });
  afterAll(async () => {
    await handle.drop();
  });

  it('equal the figures recomputed from the tickets after every kind of change, and rebuild repairs them', async () => {
    const db = handle.db;
    const agree = async () => expect(await checkReportCounters(db)).toEqual([]);
    const a = new Story(db, 'ID500001', 'primorye', '2025-03-03T00:10:00.000Z', 'org-a');
    const b = new Story(db, 'ID500002', 'primorye', '2025-03-03T00:20:00.000Z', 'org-b');
    const c = new Story(db, 'ID500003', 'epgu', '2025-03-03T07:00:00.000Z', 'org-a');
    for (const s of [a, b, c]) await s.save(Date.parse('2025-03-03T07:00:00.000Z'));
    await agree();

    await a.do({ type: 'register', by: op(1), assignee: op(1) }, '2025-03-03T00:40:00.000Z');
    await b.do({ type: 'register', by: op(2), assignee: op(2) }, '2025-03-03T00:45:00.000Z');
    await a.do({ type: 'requestInfo', by: op(1), question: 'Пришлите снимок' }, '2025-03-03T01:10:00.000Z');
    await a.do({ type: 'reply', by: initiator, text: 'Вот снимок' }, '2025-03-03T02:00:00.000Z');
    expect(a.state.awaitingOperator).toBe(true);
    await a.do(
      { type: 'reclassify', by: op(1), requestType: 'service', reason: 'Уточнили' },
      '2025-03-03T02:30:00.000Z',
    );
    await agree();

    // A breach: b is left alone past its resolution deadline.
    await b.advance('2025-04-15T00:00:00.000Z');
    await agree();
    const [breached] = (
      await db.execute<{ n: number }>(sql`select count(*)::int as n from tickets where sla_breached`)
    ).rows;
    expect(breached!.n).toBeGreaterThan(0);

    await a.do({ type: 'resolve', by: op(1), text: 'Исправили справочник' }, '2025-03-04T03:30:00.000Z');
    await agree();

    // ЕПГУ: solved, the initiator disagrees, the ticket is open again, then solved and closed.
    const regional = { kind: 'operator' as const, id: 'reg1', name: 'РПГУ', role: 'regional_operator' };
    const federal = { ...op(3), role: 'federal_operator' };
    await c.do({ type: 'forward', by: regional, faqCheck: 'no_answer' }, '2025-03-03T07:20:00.000Z');
    await c.do(
      { type: 'register', by: federal, requestType: 'incident', assignee: op(3) },
      '2025-03-03T07:30:00.000Z',
    );
    await c.do({ type: 'resolve', by: federal, text: 'Решено' }, '2025-03-03T09:00:00.000Z');
    expect(c.state.status).toBe('solved');
    await c.do({ type: 'disagree', by: regional, text: 'Не решено' }, '2025-03-03T10:00:00.000Z');
    expect(c.state.status).toBe('assigned');
    await agree();
    await c.do({ type: 'resolve', by: federal, text: 'Теперь решено' }, '2025-03-05T12:00:00.000Z');
    await c.do({ type: 'confirm', by: regional }, '2025-03-05T12:10:00.000Z');
    expect(c.state.outcomeAt).not.toBeNull();
    await agree();

    // Archived after closing: out of the open counters, still in the resolutions.
    await a.advance('2025-06-01T00:00:00.000Z');
    expect(a.state.archived).toBe(true);
    await markWorkflow(db, 'ID500002', 'not found');
    await agree();

    const id = await storeInbound(db, {
      envelopeFrom: 'p@example.ru',
      envelopeTo: ['help@dprim.ru'],
      remoteAddress: null,
      raw: Buffer.from('Subject: x\r\n\r\nbody'),
    });
    await agree();
    await finishInbound(db, id, 'done', 'ticket', 'ID500001', 'org-a');
    await agree();

    // What /metrics and the dashboard show comes from the counters and matches the tickets.
    const metrics = await createMetrics(db).registry.metrics();
    expect(metrics).toMatch(/reglament_tickets_workflow_missing 1\n/);
    expect(metrics).toMatch(/reglament_inbox_messages\{status="done"\} 1\n/);
    const load = await assigneeLoad(db, null);
    expect(load.find((l) => l.assigneeId === 'op2')).toMatchObject({ open: 1, breached: 1 });
    expect(load.find((l) => l.assigneeId === 'op1')).toBeUndefined();
    expect(await assigneeLoad(db, 'org-b')).toEqual([load.find((l) => l.assigneeId === 'op2')]);

    // A counter gone wrong is found and repaired.
    await db.execute(sql`update ticket_counts set n = n + 5 where workflow_missing`);
    expect((await checkReportCounters(db)).length).toBeGreaterThan(0);
    await rebuildReportCounters(db);
    await agree();
  });

  it('the weekly on-time share from hourly counters equals counting the tickets, partial hours included', async () => {
    const db = handle.db;
    const from = new Date('2025-03-02T13:17:00.000Z');
    const to = new Date('2025-03-04T03:31:00.000Z');
    const counted = await db.execute<Record<string, unknown>>(sql`
      select to_char(date_trunc('week', outcome_at at time zone 'Asia/Vladivostok'), 'YYYY-MM-DD') as week,
             regulation, line, type, count(*)::int as resolved, count(*) filter (where not sla_breached)::int as on_time
        from tickets where outcome_at >= ${from} and outcome_at < ${to} group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
    const weekly = await weeklyOnTime(db, from, to, 'Asia/Vladivostok', null);
    expect(weekly.length).toBeGreaterThan(0);
    expect(weekly).toEqual(
      counted.rows.map((r) => ({
        week: r.week,
        regulation: r.regulation,
        line: r.line,
        type: r.type,
        resolved: r.resolved,
        onTime: r.on_time,
      })),
    );
    // The period's last, partial hour: the resolution at 03:30 is in up to 03:31, out up to 03:29.
    expect(
      await weeklyOnTime(db, from, new Date('2025-03-04T03:29:00.000Z'), 'Asia/Vladivostok', null),
    ).not.toEqual(weekly);
  });
});
