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
