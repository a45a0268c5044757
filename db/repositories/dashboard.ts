/**
 * The manager's dashboard from maintained aggregates (issue #21; db/migrations/0015, 0018): on-time
 * share per week by line and type, breaches, the open backlog by status and age, and each assignee's
 * load, each keyed by organisation for an organisation's own dashboard. Tickets are read only where a
 * period or an age boundary cuts an hour or a day, and for the breach list's 50 rows, each a bounded
 * index range (test/db/dashboardPlans.test.ts). The working-hour percentiles come from slaReport.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { tickets } from '../schema';
import { breachCounts, periodParts } from './slaReport';

export interface WeeklyShare {
  /** Monday of the week, YYYY-MM-DD, in the regulation's zone. */
  readonly week: string;
  readonly regulation: string;
  readonly line: string;
  readonly type: string;
  readonly resolved: number;
  readonly onTime: number;
}

const HOUR = 3_600_000;

/**
 * Resolutions per week of the outcome. The whole hours of the period come from the maintained hourly
 * counters (ticket_outcomes_hourly, or ticket_outcomes_org_hourly for an organisation) and only its
 * partial first and last hours from tickets.
 */
export async function weeklyOnTime(
  db: Database,
  from: Date,
  to: Date,
  timeZone: string,
  scope: string | null,
): Promise<WeeklyShare[]> {
  const { whole, edges } = periodParts(from, to, HOUR);
  const parts = edges.map(
    ([a, b]) => sql`
    select ${tickets.outcomeAt} as at, ${tickets.regulation} as regulation, ${tickets.line} as line,
           ${tickets.type} as type, count(*)::int as resolved,
           count(*) filter (where not ${tickets.slaBreached})::int as on_time
      from ${tickets}
     where ${tickets.outcomeAt} >= ${a} and ${tickets.outcomeAt} < ${b}
       ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}
     group by 1, 2, 3, 4`,
  );
  if (whole)
    parts.push(
      scope
        ? sql`select hour as at, regulation, line, type, resolved, on_time from ticket_outcomes_org_hourly
               where organization_id = ${scope} and hour >= ${new Date(whole[0])} and hour < ${new Date(whole[1])}`
        : sql`select hour as at, regulation, line, type, resolved, on_time from ticket_outcomes_hourly
               where hour >= ${new Date(whole[0])} and hour < ${new Date(whole[1])}`,
    );
  const source = sql.join(parts, sql` union all `);
  const rows = await db.execute<Record<string, unknown>>(sql`
    select to_char(date_trunc('week', at at time zone ${timeZone}), 'YYYY-MM-DD') as week,
           regulation, line, type, sum(resolved)::int as resolved, sum(on_time)::int as on_time
      from (${source}) s
     group by 1, 2, 3, 4
     having sum(resolved) > 0
     order by 1, 2, 3, 4`);
  return rows.rows.map((r) => ({
    week: String(r.week),
    regulation: String(r.regulation),
    line: String(r.line),
    type: String(r.type),
    resolved: Number(r.resolved),
    onTime: Number(r.on_time),
  }));
}

export interface BacklogCell {
  readonly regulation: string;
  readonly status: string;
  /** Calendar age since receipt: '<1d', '1-3d', '3-7d', '>7d'. */
  readonly age: string;
  readonly count: number;
}

const DAY = 24 * HOUR;

/**
 * Open tickets by status and calendar age, from ticket_backlog_hourly (open tickets by hour of
 * receipt). Each whole hour is on one side of every age boundary (1, 3, 7 days before now); the three
 * hours a boundary cuts are counted from the open tickets' partial index.
 */
export async function backlog(db: Database, now: Date, scope: string | null): Promise<BacklogCell[]> {
  const age = (at: ReturnType<typeof sql>) => sql`
    case when ${now}::timestamptz - ${at} < interval '1 day' then '<1d'
         when ${now}::timestamptz - ${at} < interval '3 days' then '1-3d'
         when ${now}::timestamptz - ${at} < interval '7 days' then '3-7d'
         else '>7d' end`;
  const cut = [1, 3, 7].map((d) => new Date(Math.floor((now.getTime() - d * DAY) / HOUR) * HOUR));
  const counted = cut.map(
    (h) => sql`
      select ${tickets.regulation} as regulation, ${tickets.status} as status, ${age(sql`${tickets.receivedAt}`)} as age, 1 as n
        from ${tickets}
       where ${tickets.outcomeAt} is null and not ${tickets.archived}
         and ${tickets.receivedAt} >= ${h} and ${tickets.receivedAt} < ${new Date(h.getTime() + HOUR)}
         ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}`,
  );
  const rows = await db.execute<Record<string, unknown>>(sql`
    select regulation, status, age, sum(n)::int as count
      from (select regulation, status, ${age(sql`hour`)} as age, n from ticket_backlog_hourly
             where scope = ${scope ?? '*'} and hour not in (${sql.join(cut, sql`, `)})
            union all ${sql.join(counted, sql` union all `)}) s
     group by 1, 2, 3
    having sum(n) > 0
     order by 1, 2, 3`);
  return rows.rows.map((r) => ({
    regulation: String(r.regulation),
    status: String(r.status),
    age: String(r.age),
    count: Number(r.count),
  }));
}

export interface AssigneeLoad {
  readonly assigneeId: string | null;
  readonly assigneeName: string | null;
  readonly open: number;
  readonly breached: number;
  readonly awaitingOperator: number;
}

/** Open tickets per assignee, from the maintained counters (ticket_counts). */
export async function assigneeLoad(db: Database, scope: string | null): Promise<AssigneeLoad[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select nullif(assignee_id, '') as id, max(assignee_name) as name,
           sum(n)::int as open,
           coalesce(sum(n) filter (where breached), 0)::int as breached,
           coalesce(sum(n) filter (where awaiting_operator), 0)::int as awaiting
      from ticket_counts
     where open ${scope ? sql`and organization_id = ${scope}` : sql``}
     group by assignee_id
     having sum(n) > 0
     order by 3 desc, 2
     limit 50`);
  return rows.rows.map((r) => ({
    assigneeId: (r.id as string | null) ?? null,
    assigneeName: (r.name as string | null) ?? null,
    open: Number(r.open),
    breached: Number(r.breached),
    awaitingOperator: Number(r.awaiting),
  }));
}

export interface BreachedTicket {
  readonly id: string;
  readonly regulation: string;
  readonly type: string;
  readonly status: string;
  readonly line: string;
  readonly assigneeName: string | null;
  readonly organization: string | null;
  readonly slaDueAt: string | null;
  /** «предварительный срок» (issue #20). */
  readonly slaDueProvisional: boolean;
  readonly receivedAt: string;
}

/**
 * Breaches among tickets received in the period: how many (maintained, slaReport's aggregates) and the
 * first 50: open ones most overdue first (their own partial index), then closed ones newest first
 * (the breaches' receipt index, an organisation's own range), each a LIMIT on an index range.
 */
export async function breaches(
  db: Database,
  from: Date,
  to: Date,
  scope: string | null,
): Promise<{ total: number; open: number; items: BreachedTicket[] }> {
  const LIMIT = 50;
  const columns = sql`${tickets.id} as id, ${tickets.regulation} as regulation, ${tickets.type} as type,
    ${tickets.status} as status, ${tickets.line} as line, ${tickets.assigneeName} as assignee_name,
    ${tickets.organization} as organization, ${tickets.slaDueAt} as sla_due_at,
    ${tickets.slaDueProvisional} as sla_due_provisional, ${tickets.receivedAt} as received_at`;
  const inPeriod = sql`${tickets.slaBreached} and ${tickets.receivedAt} >= ${from} and ${tickets.receivedAt} < ${to}
    ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}`;
  const [counts, open] = await Promise.all([
    breachCounts(db, from, to, scope),
    // The open breaches in due order through their own index, the period a filter on it (offset 0
    // keeps it there): a receipt range would read and sort every breach of the period instead.
    db.execute<Record<string, unknown>>(sql`
      select ${columns} from ${tickets}
       where ${tickets.id} in (
             select id from (select id, sla_sort, received_at, organization_id from ${tickets}
                              where ${tickets.slaBreached} and ${tickets.outcomeAt} is null offset 0) o
              where o.received_at >= ${from} and o.received_at < ${to}
                ${scope ? sql`and o.organization_id = ${scope}` : sql``}
              order by o.sla_sort, o.id
              limit ${LIMIT})
       order by ${tickets.slaSort}, ${tickets.id}`),
  ]);
  const closed =
    open.rows.length < LIMIT && counts.total > open.rows.length
      ? (
          await db.execute<Record<string, unknown>>(sql`
            select ${columns} from ${tickets}
             where ${inPeriod} and ${tickets.outcomeAt} is not null
             order by ${tickets.receivedAt} desc
             limit ${LIMIT - open.rows.length}`)
        ).rows
      : [];
  const items = { rows: [...open.rows, ...closed] };
  const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
  return {
    total: counts.total,
    open: counts.open,
    items: items.rows.map((r) => ({
      id: String(r.id),
      regulation: String(r.regulation),
      type: String(r.type),
      status: String(r.status),
      line: String(r.line),
      assigneeName: (r.assignee_name as string | null) ?? null,
      organization: (r.organization as string | null) ?? null,
      slaDueAt: iso(r.sla_due_at),
      slaDueProvisional: r.sla_due_provisional === true,
      receivedAt: iso(r.received_at)!,
    })),
  };
}
