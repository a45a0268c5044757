/**
 * The manager's dashboard from the read model: on-time share per week by line and type, breaches,
 * the open backlog by status and age, and each assignee's load. The working-hour percentiles come
 * from slaReport (queue.ts), which already computes them.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client';
import { tickets } from '../schema';

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
 * Resolutions per week of the outcome. For the whole installation the whole hours of the period come
 * from the maintained hourly counters (ticket_outcomes_hourly) and only its partial first and last
 * hours from tickets; an organisation's own figures are counted from its tickets.
 */
export async function weeklyOnTime(
  db: Database,
  from: Date,
  to: Date,
  timeZone: string,
  scope: string | null,
): Promise<WeeklyShare[]> {
  const firstHour = new Date(Math.ceil(from.getTime() / HOUR) * HOUR);
  const lastHour = new Date(Math.floor(to.getTime() / HOUR) * HOUR);
  const counted = (a: Date, b: Date) => sql`
    select ${tickets.outcomeAt} as at, ${tickets.regulation} as regulation, ${tickets.line} as line,
           ${tickets.type} as type, count(*)::int as resolved,
           count(*) filter (where not ${tickets.slaBreached})::int as on_time
      from ${tickets}
     where ${tickets.outcomeAt} >= ${a} and ${tickets.outcomeAt} < ${b}
       ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}
     group by 1, 2, 3, 4`;
  const source =
    scope || !(firstHour < lastHour)
      ? counted(from, to)
      : sql`select hour as at, regulation, line, type, resolved, on_time from ticket_outcomes_hourly
             where hour >= ${firstHour} and hour < ${lastHour}
            union all ${counted(from, firstHour)}
            union all ${counted(lastHour, to)}`;
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

export async function backlog(db: Database, now: Date, scope: string | null): Promise<BacklogCell[]> {
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${tickets.regulation} as regulation, ${tickets.status} as status,
           case when ${now}::timestamptz - ${tickets.receivedAt} < interval '1 day' then '<1d'
                when ${now}::timestamptz - ${tickets.receivedAt} < interval '3 days' then '1-3d'
                when ${now}::timestamptz - ${tickets.receivedAt} < interval '7 days' then '3-7d'
                else '>7d' end as age,
           count(*)::int as count
      from ${tickets}
     where ${tickets.outcomeAt} is null and not ${tickets.archived}
       ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}
     group by 1, 2, 3
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

/** Breaches among tickets received in the period, open ones first, most overdue first. */
export async function breaches(
  db: Database,
  from: Date,
  to: Date,
  scope: string | null,
): Promise<{ total: number; open: number; items: BreachedTicket[] }> {
  const where = sql`${tickets.slaBreached} and ${tickets.receivedAt} >= ${from} and ${tickets.receivedAt} < ${to}
       ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}`;
  const [counts] = (
    await db.execute<{ total: number; open: number }>(sql`
      select count(*)::int as total, count(*) filter (where ${tickets.outcomeAt} is null)::int as open
        from ${tickets} where ${where}`)
  ).rows;
  const items = await db.execute<Record<string, unknown>>(sql`
    select ${tickets.id} as id, ${tickets.regulation} as regulation, ${tickets.type} as type, ${tickets.status} as status,
           ${tickets.line} as line, ${tickets.assigneeName} as assignee_name, ${tickets.organization} as organization,
           ${tickets.slaDueAt} as sla_due_at,
           ${tickets.slaDueProvisional} as sla_due_provisional, ${tickets.receivedAt} as received_at
      from ${tickets}
     where ${where}
     order by (${tickets.outcomeAt} is null) desc, ${tickets.slaDueAt} asc nulls last
     limit 50`);
  const iso = (v: unknown): string | null => (v ? new Date(v as string).toISOString() : null);
  return {
    total: Number(counts?.total ?? 0),
    open: Number(counts?.open ?? 0),
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
