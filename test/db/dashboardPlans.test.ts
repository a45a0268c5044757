/**
 * Issue #21 «managers' figures from maintained aggregates»: every query behind the dashboard and the
 * SLA report, for the whole desk and for an organisation, is explained on a seeded, analysed read
 * model. Tickets may be read only by the bounded ranges the aggregates leave to them — the period's
 * partial first and last day or hour, the hours an age boundary cuts, the breach list's 50 rows — never
 * by a sequential scan and never by a range that grows with the period or the desk: counting a year's
 * tickets (as these figures were, 0.8–3 s at 1M) examines thousands of rows here and fails.
 */
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Database } from '../../db/client';
import { assigneeLoad, backlog, breaches, weeklyOnTime } from '../../db/repositories/dashboard';
import { SLA_GROUPINGS, slaReport } from '../../db/repositories/slaReport';
import * as schema from '../../db/schema';
import { testDatabase } from '../support/database';
import { explainAnalyze, planNodes, rowsExamined, type PlanNode } from '../support/plans';

const TICKETS = 20_000;
/** The most tickets one bounded read may examine: a day is ≈ 29 tickets here, the open breaches ≈ 110. */
const BOUND = 250;

const describePlan = (n: PlanNode, depth = 0): string =>
  [
    `${'  '.repeat(depth)}${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''} (rows examined ${rowsExamined(n)})`,
    ...(n.Plans ?? []).map((c) => describePlan(c, depth + 1)),
  ].join('\n');

describe('the dashboard and the SLA report read aggregates, not tickets (issue #21, real PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof testDatabase>>;
  const captured: { sql: string; params: unknown[] }[] = [];
  let recording: Database;
  beforeAll(async () => {
    handle = await testDatabase();
    // Two and a half years of a desk: 5 % open, a ninth breached, one organisation with a fifth of the
    // tickets (so that counting its tickets is not cheap either). The triggers fill the aggregates.
    await handle.db.execute(sql`
      insert into tickets (id, regulation, regulation_version, type, status, line, channel, assignee_id,
                           assignee_name, organization, organization_id, received_at, outcome_at, sla_due_at,
                           sla_breached, resolution_minutes, paused_minutes, archived, seq, state)
      select 'ID' || (1000000 + i), 'primorye', '2023-04-20',
             (array['incident','information','service','change'])[1 + (i / 20) % 4],
             case when open then (array['new','in_progress','in_progress','awaiting_reply'])[1 + i % 4]
                  else (array['closed','done','rejected'])[1 + i % 3] end,
             (array['first','first','second','third'])[1 + (i / 7) % 4], 'email',
             'op' || lpad((i % 60)::text, 2, '0'), 'Оператор ' || i % 60, 'Организация ' || org, 'org-' || org,
             received, case when open then null else received + interval '2 days' end,
             case when open then received + interval '3 days' else null end,
             i % 9 = 0, case when open then null else (i * 37) % 3000 end, i % 50,
             not open and i % 5 <> 0, 3, '{}'::jsonb
        from (select i, i % 20 = 0 as open, case when i % 5 = 0 then 0 else (i * 7919) % 400 end as org,
                     timestamptz '2026-11-16 00:00+00' - (${TICKETS} - i) * interval '50 minutes' as received
                from generate_series(1, ${TICKETS}) i) s`);
    await handle.db.execute(sql`vacuum analyze`);
    recording = drizzle(handle.pool, {
      schema,
      logger: { logQuery: (q, params) => captured.push({ sql: q, params }) },
    }) as unknown as Database;
  }, 300_000);
  afterAll(async () => {
    await handle.drop();
  });

  const now = new Date('2026-11-15T10:30:00.000Z');
  const weeks = (n: number) => new Date(now.getTime() - n * 7 * 86_400_000);
  const figures: [string, (db: Database, scope: string | null) => Promise<unknown>][] = [
    [
      'weekly on-time share, a year',
      (db, scope) => weeklyOnTime(db, weeks(52), now, 'Asia/Vladivostok', scope),
    ],
    ...SLA_GROUPINGS.map((g): [string, (db: Database, scope: string | null) => Promise<unknown>] => [
      `SLA report by ${g}, a year`,
      (db, scope) => slaReport(db, weeks(52), now, g, scope),
    ]),
    [
      'SLA report within one day',
      (db, scope) => slaReport(db, new Date('2026-11-14T01:10:00Z'), now, 'type', scope),
    ],
    ['backlog by age', (db, scope) => backlog(db, now, scope)],
    ['assignees’ load', (db, scope) => assigneeLoad(db, scope)],
    ['breaches, a year', (db, scope) => breaches(db, weeks(52), now, scope)],
    ['breaches, 12 weeks', (db, scope) => breaches(db, weeks(12), now, scope)],
  ];
  const cases = figures.flatMap(([name, run]) =>
    [null, 'org-0'].map((scope): [string, string | null, typeof run] => [name, scope, run]),
  );

  it.each(cases)(
    '%s (organisation %s): tickets only through bounded index ranges',
    async (_name, scope, run) => {
      captured.length = 0;
      await run(recording, scope);
      expect(captured.length).toBeGreaterThan(0);
      for (const q of captured) {
        const plan = await explainAnalyze(handle.pool, q);
        const shown = describePlan(plan);
        const scans = planNodes(plan).filter((n) => n['Relation Name'] === 'tickets');
        const unbounded = scans.filter((n) => n['Node Type'] === 'Seq Scan' || rowsExamined(n) > BOUND);
        expect({ plan: shown, unbounded: unbounded.length }).toEqual({ plan: shown, unbounded: 0 });
      }
    },
  );

  it('counting the tickets, as the figures were, is caught by the same measure', async () => {
    const plan = await explainAnalyze(handle.pool, {
      sql: `
       select type, count(*), percentile_cont(0.9) within group (order by resolution_minutes)
         from tickets where received_at >= $1 and received_at < $2 and organization_id = 'org-0' group by 1`,
      params: [weeks(52), now],
    });
    const scans = planNodes(plan).filter((n) => n['Relation Name'] === 'tickets');
    expect(Math.max(...scans.map(rowsExamined))).toBeGreaterThan(BOUND);
  });
});
