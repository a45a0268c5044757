/**
 * Issue #21 «managers' figures from maintained aggregates»: the counters /metrics and the dashboard
 * read are kept by the read model's own writes and always equal what the tickets say, through
 * registration, reclassification, a reopening on disagreement (ЕПГУ), a breach, archiving, a missing
 * workflow and inbound mail changing state; `reglament reports rebuild` repairs them.
 */
import { sql } from 'drizzle-orm';
import { createMetrics } from '../../api/metrics';
import { advanceBefore, currentRef, openTicket, receive, type Applied, type Command } from '../../domain';
import { assigneeLoad, backlog, breaches, weeklyOnTime } from '../../db/repositories/dashboard';
import { SLA_GROUPINGS, slaReport } from '../../db/repositories/slaReport';
import { RESOLUTION_PERCENTILE_ERROR } from '../../domain/reports/resolutionHistogram';
import { finishInbound, storeInbound } from '../../db/repositories/inbox';
import { checkReportCounters, rebuildReportCounters } from '../../db/repositories/reportCounters';
import { CountersDiffer, reportsCommand } from '../../cli/reports';
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
    expect(await this.try(command, at)).toBe(true);
  }
  /** Applies the command if the regulation allows it now; whether it did. */
  async try(command: Command, at: string): Promise<boolean> {
    const applied = receive(this.applied.state, command, Date.parse(at));
    if (applied.refusal) return false;
    this.applied = applied;
    await this.save(Date.parse(at));
    return true;
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

  it('after a desk-like mix (reclassification, reopening, claims, organisation changes, archiving) every dashboard and SLA figure equals counting the tickets, for the desk and for an organisation', async () => {
    const db = handle.db;
    const agree = async () => expect(await checkReportCounters(db)).toEqual([]);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const manager = { kind: 'operator' as const, id: 'm1', name: 'Руководитель', role: 'manager' };
    const regional = { kind: 'operator' as const, id: 'reg1', name: 'РПГУ', role: 'regional_operator' };
    const federal = { ...op(9), role: 'federal_operator' };
    const at = (ms: number) => new Date(ms).toISOString();
    const H = 3_600_000;
    const start = Date.parse('2025-03-10T03:17:00.000Z');
    for (let i = 0; i < 48; i++) {
      const received = start + i * 7 * H + Math.floor(random() * H);
      const org = `org-${['a', 'b', 'c'][i % 3]}`;
      const epgu = i % 4 === 3;
      const t = new Story(
        db,
        `ID6${String(i).padStart(5, '0')}`,
        epgu ? 'epgu' : 'primorye',
        at(received),
        org,
      );
      await t.save(received);
      let now = received + 20 * 60_000;
      const step = (hours: number) => (now += hours * H * (0.5 + random()));
      if (epgu) {
        await t.do({ type: 'forward', by: regional, faqCheck: 'no_answer' }, at(now));
        if (i % 8 === 7) {
          await t.do({ type: 'registerClaim', by: federal, text: 'Требую компенсацию' }, at(step(1)));
        } else {
          await t.do(
            { type: 'register', by: federal, requestType: 'incident', assignee: op(9) },
            at(step(1)),
          );
          await t.try({ type: 'resolve', by: federal, text: 'Решено' }, at(step(6)));
          if (random() < 0.6) await t.try({ type: 'disagree', by: regional, text: 'Не решено' }, at(step(2)));
          if (random() < 0.7)
            await t.try({ type: 'resolve', by: federal, text: 'Решено снова' }, at(step(20)));
          if (random() < 0.5) await t.try({ type: 'confirm', by: regional }, at(step(1)));
          if (random() < 0.4)
            await t.try({ type: 'registerClaim', by: federal, text: 'Претензия' }, at(step(3)));
        }
      } else {
        const who = op(1 + (i % 4));
        await t.do({ type: 'register', by: who, assignee: who }, at(now));
        if (random() < 0.3)
          await t.do(
            {
              type: 'reclassify',
              by: who,
              requestType: random() < 0.5 ? 'service' : 'information',
              reason: 'Уточнили',
            },
            at(step(1)),
          );
        if (random() < 0.3)
          await t.do({ type: 'assign', by: who, assignee: op(1 + ((i + 1) % 4)) }, at(step(1)));
        if (random() < 0.7)
          await t.try({ type: 'resolve', by: who, text: 'Исправили' }, at(step(30 * random())));
      }
      if (random() < 0.25)
        await t.try(
          {
            type: 'changeOrganization',
            by: manager,
            organizationId: org === 'org-c' ? 'org-a' : 'org-c',
            reason: 'Ошибка при регистрации',
          },
          at(step(1)),
        );
      // Some left past their deadlines (breaches), some closed and archived long after.
      if (random() < 0.5) await t.advance(at(now + (random() < 0.5 ? 10 : 120) * 24 * H));
    }
    await agree();
    const kinds = (
      await db.execute<{ type: string }>(
        sql`select distinct type from ticket_events where ticket_id like 'ID6%' order by 1`,
      )
    ).rows.map((r) => r.type);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'reclassified',
        'solutionDisputed',
        'claimRegistered',
        'organizationChanged',
        'archived',
        'deadlineBreached',
      ]),
    );

    // Periods cut inside a day and an hour at both ends, and one within a single day.
    const periods: [Date, Date][] = [
      [new Date('2025-03-11T05:43:00.000Z'), new Date('2025-03-23T14:05:00.000Z')],
      [new Date('2025-03-01T00:00:00.000Z'), new Date('2025-05-01T00:00:00.000Z')],
      [new Date('2025-03-12T01:00:00.000Z'), new Date('2025-03-12T19:30:00.000Z')],
    ];
    const close = (kept: number | null, counted: unknown) => {
      if (counted === null) return expect(kept).toBeNull();
      const exact = Math.round((Number(counted) / 60) * 10) / 10;
      expect(Math.abs(kept! - exact)).toBeLessThanOrEqual(exact * RESOLUTION_PERCENTILE_ERROR + 0.1);
    };
    const column = { type: 'type', line: 'line', organization: 'organization_id', assignee: 'assignee_id' };
    let compared = 0;
    for (const scope of [null, 'org-c'])
      for (const [from, to] of periods) {
        const inScope = scope ? sql`and organization_id = ${scope}` : sql``;
        for (const groupBy of SLA_GROUPINGS) {
          const counted = (
            await db.execute<Record<string, unknown>>(sql`
              select ${sql.raw(column[groupBy])} as "group", count(*)::int as tickets,
                     count(*) filter (where outcome_at is not null)::int as resolved,
                     count(*) filter (where outcome_at is not null and not sla_breached)::int as on_time,
                     count(*) filter (where sla_breached)::int as breached,
                     percentile_cont(0.5) within group (order by resolution_minutes) filter (where outcome_at is not null) as median,
                     percentile_cont(0.9) within group (order by resolution_minutes) filter (where outcome_at is not null) as p90,
                     coalesce(sum(paused_minutes), 0)::int as paused
                from tickets where received_at >= ${from} and received_at < ${to} ${inScope}
               group by 1 order by 1`)
          ).rows;
          const kept = await slaReport(db, from, to, groupBy, scope);
          expect(
            kept.map((g) => [g.group, g.tickets, g.resolved, g.onTime, g.breached, g.pausedHours]).sort(),
          ).toEqual(
            counted
              .map((r) => [
                r.group,
                r.tickets,
                r.resolved,
                r.on_time,
                r.breached,
                Math.round((Number(r.paused) / 60) * 10) / 10,
              ])
              .sort(),
          );
          for (const r of counted) {
            const g = kept.find((k) => k.group === r.group)!;
            close(g.medianHours, r.median);
            close(g.p90Hours, r.p90);
            compared++;
          }
        }
        const [b] = (
          await db.execute<{ total: number; open: number }>(sql`
            select count(*)::int as total, count(*) filter (where outcome_at is null)::int as open
              from tickets where sla_breached and received_at >= ${from} and received_at < ${to} ${inScope}`)
        ).rows;
        const listed = await breaches(db, from, to, scope);
        expect([listed.total, listed.open]).toEqual([b!.total, b!.open]);
        const expected = (
          await db.execute<{ id: string }>(sql`
            select id from tickets where sla_breached and received_at >= ${from} and received_at < ${to} ${inScope}
             order by outcome_at is null desc, case when outcome_at is null then sla_sort end, case when outcome_at is null then id end,
                      received_at desc limit 50`)
        ).rows.map((r) => r.id);
        expect(listed.items.map((t) => t.id)).toEqual(expected);
        const weeks = (
          await db.execute<Record<string, unknown>>(sql`
            select to_char(date_trunc('week', outcome_at at time zone 'Asia/Vladivostok'), 'YYYY-MM-DD') as week,
                   regulation, line, type, count(*)::int as resolved, count(*) filter (where not sla_breached)::int as on_time
              from tickets where outcome_at >= ${from} and outcome_at < ${to} ${inScope} group by 1, 2, 3, 4 order by 1, 2, 3, 4`)
        ).rows.map((r) => ({
          week: r.week,
          regulation: r.regulation,
          line: r.line,
          type: r.type,
          resolved: r.resolved,
          onTime: r.on_time,
        }));
        expect(await weeklyOnTime(db, from, to, 'Asia/Vladivostok', scope)).toEqual(weeks);
      }
    expect(compared).toBeGreaterThan(20);

    // The backlog by age at moments whose 1-, 3- and 7-day boundaries cut hours with open tickets.
    for (const now of ['2025-03-20T11:37:00.000Z', '2025-03-28T04:05:00.000Z', '2025-04-02T23:59:59.000Z'])
      for (const scope of [null, 'org-a', 'org-c']) {
        const counted = (
          await db.execute<Record<string, unknown>>(sql`
            select regulation, status,
                   case when ${now}::timestamptz - received_at < interval '1 day' then '<1d'
                        when ${now}::timestamptz - received_at < interval '3 days' then '1-3d'
                        when ${now}::timestamptz - received_at < interval '7 days' then '3-7d'
                        else '>7d' end as age, count(*)::int as count
              from tickets where outcome_at is null and not archived ${scope ? sql`and organization_id = ${scope}` : sql``}
             group by 1, 2, 3 order by 1, 2, 3`)
        ).rows;
        expect(await backlog(db, new Date(now), scope)).toEqual(counted);
      }
  });

  it('`reglament reports check --repair` names what differs from the tickets and repairs it; `check` alone only reports', async () => {
    const db = handle.db;
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = handle.url;
    try {
      await db.execute(sql`update ticket_sla_histogram set n = n + 2 where scope = '*' and span = 'm'`);
      await db.execute(sql`delete from ticket_backlog_hourly where scope = 'org-a'`);
      await expect(reportsCommand(['check'])).rejects.toThrow(CountersDiffer);
      await expect(reportsCommand(['check'])).rejects.toThrow(
        /ticket_sla_histogram\|\*\|.*kept \d+, counted \d+/,
      );
      const repaired = await reportsCommand(['check', '--repair']);
      expect(repaired).toMatch(/counters differ from the tickets, repaired/);
      expect(repaired).toMatch(/ticket_backlog_hourly\|org-a\|/);
      expect(await reportsCommand(['check'])).toBe('aggregates agree with the tickets');
      expect(await checkReportCounters(db)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
