/** The operators' queue from the read model: filters, Russian full-text search, keyset pagination. */
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';
import { tickets } from '../schema';

export interface QueueFilter {
  readonly status?: readonly string[];
  readonly type?: string;
  readonly line?: string;
  readonly assignee?: string;
  readonly organization?: string;
  readonly regulation?: string;
  readonly breached?: boolean;
  readonly awaitingOperator?: boolean;
  readonly workflowMissing?: boolean;
  readonly dueBefore?: Date;
  readonly dueAfter?: Date;
  readonly q?: string;
  /** An organisation-scoped key sees only its organisation's tickets. */
  readonly scope?: string | null;
}

export type QueueSort = 'due' | 'received';

export type TicketRow = typeof tickets.$inferSelect;

/** What a queue row shows: everything but the state document and the search vectors. */
const SUMMARY = {
  id: tickets.id,
  regulation: tickets.regulation,
  regulationVersion: tickets.regulationVersion,
  type: tickets.type,
  status: tickets.status,
  statusReason: tickets.statusReason,
  line: tickets.line,
  channel: tickets.channel,
  assigneeId: tickets.assigneeId,
  assigneeName: tickets.assigneeName,
  organization: tickets.organization,
  organizationId: tickets.organizationId,
  initiatorName: tickets.initiatorName,
  initiatorEmail: tickets.initiatorEmail,
  subject: tickets.subject,
  receivedAt: tickets.receivedAt,
  registeredAt: tickets.registeredAt,
  outcomeAt: tickets.outcomeAt,
  slaDueAt: tickets.slaDueAt,
  slaDueProvisional: tickets.slaDueProvisional,
  slaBreached: tickets.slaBreached,
  slaPaused: tickets.slaPaused,
  awaitingOperator: tickets.awaitingOperator,
  obscene: tickets.obscene,
  archived: tickets.archived,
  workflowMissing: tickets.workflowMissing,
};

export type QueueRow = { [K in keyof typeof SUMMARY]: TicketRow[K] };

interface Cursor {
  readonly at: string;
  readonly id: string;
}

const encode = (c: Cursor): string => Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');

export function decodeCursor(cursor: string): Cursor | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof at !== 'string' ||
      typeof id !== 'string' ||
      !(at === 'infinity' || Number.isFinite(Date.parse(at)))
    )
      return null;
    return { at, id };
  } catch {
    return null;
  }
}

function where(f: QueueFilter): SQL[] {
  const c: SQL[] = [];
  if (f.status?.length) c.push(sql`${tickets.status} in ${f.status}`);
  if (f.type) c.push(eq(tickets.type, f.type));
  if (f.line) c.push(eq(tickets.line, f.line));
  if (f.assignee) c.push(eq(tickets.assigneeId, f.assignee));
  if (f.organization) c.push(eq(tickets.organizationId, f.organization));
  if (f.regulation) c.push(eq(tickets.regulation, f.regulation));
  if (f.breached !== undefined) c.push(eq(tickets.slaBreached, f.breached));
  if (f.awaitingOperator !== undefined) c.push(eq(tickets.awaitingOperator, f.awaitingOperator));
  if (f.workflowMissing !== undefined) c.push(eq(tickets.workflowMissing, f.workflowMissing));
  // On sla_sort (due time, «none» as infinity) so the (sla_sort, id) index serves the range.
  if (f.dueBefore) c.push(lt(tickets.slaSort, f.dueBefore));
  if (f.dueAfter)
    c.push(sql`${tickets.slaSort} >= ${f.dueAfter} and ${tickets.slaSort} < 'infinity'::timestamptz`);
  if (f.q) {
    const text = sql`${tickets.search} @@ websearch_to_tsquery('russian', ${f.q})`;
    // A ticket's number as people say it on the phone («100006», «ID100006») finds the ticket itself.
    const number = /^\s*(?:[A-Za-z]{1,8})?(\d{3,})\s*$/.exec(f.q)?.[1];
    c.push(number ? or(text, sql`${tickets.id} like ${`%${number}`}`)! : text);
  }
  if (f.scope) c.push(eq(tickets.organizationId, f.scope));
  return c;
}

/** The queue's one query, as built for a filter, order and page (test/db/queuePlans.test.ts explains it). */
export function queueQuery(
  db: Database,
  filter: QueueFilter,
  sort: QueueSort,
  limit: number,
  cursor: Cursor | null,
) {
  const conditions = where(filter);
  if (cursor) {
    if (sort === 'due') {
      const at = cursor.at === 'infinity' ? sql`'infinity'::timestamptz` : sql`${cursor.at}::timestamptz`;
      conditions.push(sql`(${tickets.slaSort}, ${tickets.id}) > (${at}, ${cursor.id})`);
    } else {
      conditions.push(
        or(
          lt(tickets.receivedAt, new Date(cursor.at)),
          and(eq(tickets.receivedAt, new Date(cursor.at)), lt(tickets.id, cursor.id)),
        )!,
      );
    }
  }
  const order =
    sort === 'due' ? [asc(tickets.slaSort), asc(tickets.id)] : [desc(tickets.receivedAt), desc(tickets.id)];
  return db
    .select(SUMMARY)
    .from(tickets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(limit + 1);
}

export async function listQueue(
  db: Database,
  filter: QueueFilter,
  sort: QueueSort,
  limit: number,
  cursor: Cursor | null,
): Promise<{ rows: QueueRow[]; nextCursor: string | null }> {
  const rows = await queueQuery(db, filter, sort, limit, cursor);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > limit && last
      ? encode({
          at:
            sort === 'due'
              ? last.slaDueAt
                ? last.slaDueAt.toISOString()
                : 'infinity'
              : last.receivedAt.toISOString(),
          id: last.id,
        })
      : null;
  return { rows: page, nextCursor };
}

export interface SlaGroup {
  readonly group: string | null;
  /** What people read for the group: the organisation's or the assignee's name. */
  readonly label: string | null;
  readonly tickets: number;
  readonly resolved: number;
  readonly onTime: number;
  readonly breached: number;
  /** Open tickets whose deadline is «предварительный срок» (no calendar loaded for its year, issue #20). */
  readonly provisional: number;
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
  readonly pausedHours: number;
}

/** Groups are identifiers (an organisation's ID, not the name someone typed), with a name to show. */
const GROUP_COLUMNS = {
  type: { key: tickets.type, label: tickets.type },
  line: { key: tickets.line, label: tickets.line },
  organization: { key: tickets.organizationId, label: tickets.organization },
  assignee: { key: tickets.assigneeId, label: tickets.assigneeName },
} as const;

export type SlaGroupBy = keyof typeof GROUP_COLUMNS;

/**
 * SLA figures over tickets received in [from, to): how many, resolved, on time, breached, median and
 * p90 of the resolution time in working hours, the working time spent paused, and how many running
 * deadlines are provisional.
 */
export async function slaReport(
  db: Database,
  from: Date,
  to: Date,
  groupBy: SlaGroupBy,
  scope: string | null,
): Promise<SlaGroup[]> {
  const column = GROUP_COLUMNS[groupBy];
  const rows = await db.execute<Record<string, unknown>>(sql`
    select ${column.key} as "group", max(${column.label}) as label,
           count(*)::int as tickets,
           count(*) filter (where ${tickets.outcomeAt} is not null)::int as resolved,
           count(*) filter (where ${tickets.outcomeAt} is not null and not ${tickets.slaBreached})::int as on_time,
           count(*) filter (where ${tickets.slaBreached})::int as breached,
           count(*) filter (where ${tickets.slaDueProvisional})::int as provisional,
           percentile_cont(0.5) within group (order by ${tickets.resolutionMinutes}) filter (where ${tickets.outcomeAt} is not null) as median_minutes,
           percentile_cont(0.9) within group (order by ${tickets.resolutionMinutes}) filter (where ${tickets.outcomeAt} is not null) as p90_minutes,
           coalesce(sum(${tickets.pausedMinutes}), 0)::bigint as paused_minutes
      from ${tickets}
     where ${tickets.receivedAt} >= ${from} and ${tickets.receivedAt} < ${to}
       ${scope ? sql`and ${tickets.organizationId} = ${scope}` : sql``}
     group by 1
     order by 2 desc, 1`);
  const hours = (m: unknown): number | null =>
    m === null || m === undefined ? null : Math.round((Number(m) / 60) * 10) / 10;
  return rows.rows.map((r) => ({
    group: (r.group as string | null) ?? null,
    label: (r.label as string | null) ?? null,
    tickets: Number(r.tickets),
    resolved: Number(r.resolved),
    onTime: Number(r.on_time),
    breached: Number(r.breached),
    provisional: Number(r.provisional),
    medianHours: hours(r.median_minutes),
    p90Hours: hours(r.p90_minutes),
    pausedHours: hours(r.paused_minutes) ?? 0,
  }));
}
