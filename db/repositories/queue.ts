/** The operators' queue from the read model: filters, Russian full-text search, keyset pagination. */
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
import { unionAll } from 'drizzle-orm/pg-core';
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

/**
 * The search vector of the queue's head only (tickets with a running deadline; null for the rest): its
 * own GIN index and the statistics ANALYZE keeps for that expression tell the planner how often a word
 * occurs among them, which differs from the whole desk (db/migrations/0019_search_once.sql).
 */
const HEAD_SEARCH = sql`(case when ${tickets.slaSort} < 'infinity'::timestamptz then ${tickets.search} end)`;

/** The search condition on a vector and an ID (a table's or a subquery's columns). */
function searchText(q: string, search: unknown, id: unknown): SQL {
  const text = sql`${search} @@ websearch_to_tsquery('russian', ${q})`;
  // A ticket's number as people say it on the phone («100006», «ID100006») finds the ticket itself.
  const number = /^\s*(?:[A-Za-z]{1,8})?(\d{3,})\s*$/.exec(q)?.[1];
  return number ? or(text, sql`${id} like ${`%${number}`}`)! : text;
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
  if (f.q) c.push(searchText(f.q, tickets.search, tickets.id));
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
  // In SLA order a search is read in parts (searchByDue): the filters and the page's start apart.
  const filters = where({ ...filter, q: undefined });
  let start: SQL | undefined;
  if (cursor) {
    if (sort === 'due') {
      const at = cursor.at === 'infinity' ? sql`'infinity'::timestamptz` : sql`${cursor.at}::timestamptz`;
      conditions.push(sql`(${tickets.slaSort}, ${tickets.id}) > (${at}, ${cursor.id})`);
      start = sql`(${tickets.slaSort}, ${tickets.id}) > (${at}, ${cursor.id})`;
    } else {
      conditions.push(
        or(
          lt(tickets.receivedAt, new Date(cursor.at)),
          and(eq(tickets.receivedAt, new Date(cursor.at)), lt(tickets.id, cursor.id)),
        )!,
      );
    }
  }
  if (sort === 'due' && filter.q) return searchByDue(db, filters, start, filter.q, limit);
  const order =
    sort === 'due' ? [asc(tickets.slaSort), asc(tickets.id)] : [desc(tickets.receivedAt), desc(tickets.id)];
  return db
    .select(SUMMARY)
    .from(tickets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(...order)
    .limit(limit + 1);
}

/** How many of the head's first tickets a search reads before it asks the head's word index. */
const HEAD_WINDOW = 500;

/**
 * Search in the SLA order (issue #21). The queue's head (tickets with a running deadline, a few per
 * cent, first in that order) says other words than the archive and is nearly all open, so plans
 * chosen from the whole desk's counts walk the head in vain or collect every match of a common word.
 * Read in three parts, each only while the page is not full (Append reads them in turn and stops):
 *  1. the head's first HEAD_WINDOW tickets (one short index range), filtered and matched one by one:
 *     a common word fills the page here;
 *  2. the rest of the head with the filter, by the head's own word index and statistics
 *     (HEAD_SEARCH): a word rare there costs its few matches;
 *  3. the tail (no deadline, in ID order, words spread evenly): the filter's ordered index range or
 *     the word's bitmap, as the estimates say.
 * One page's IDs, then their rows.
 */
function searchByDue(db: Database, filters: SQL[], start: SQL | undefined, q: string, limit: number) {
  const infinity = sql`'infinity'::timestamptz`;
  const head = sql`${tickets.slaSort} < ${infinity}`;
  const ordered = [asc(tickets.slaSort), asc(tickets.id)];
  const text = searchText(q, tickets.search, tickets.id);
  // Named as the table, so the filters' column references read the window's columns.
  const window = db
    .select({
      id: tickets.id,
      slaSort: tickets.slaSort,
      search: tickets.search,
      status: tickets.status,
      type: tickets.type,
      line: tickets.line,
      assigneeId: tickets.assigneeId,
      organizationId: tickets.organizationId,
      regulation: tickets.regulation,
      slaBreached: tickets.slaBreached,
      awaitingOperator: tickets.awaitingOperator,
      workflowMissing: tickets.workflowMissing,
    })
    .from(tickets)
    .where(and(head, start))
    .orderBy(...ordered)
    .limit(HEAD_WINDOW)
    .as('tickets');
  const first = db
    .select({ id: window.id, at: window.slaSort })
    .from(window)
    .where(and(...filters, text))
    .orderBy(...ordered)
    .limit(limit + 1);
  const rest = db
    .select({ id: tickets.id, at: tickets.slaSort })
    .from(tickets)
    .where(
      and(
        ...filters,
        start,
        head,
        searchText(q, HEAD_SEARCH, tickets.id),
        // After the window's last ticket; nothing when the head from the page's start fits the window.
        sql`(${tickets.slaSort}, ${tickets.id}) > (select ${tickets.slaSort}, ${tickets.id} from ${tickets} where ${and(head, start)} order by ${tickets.slaSort}, ${tickets.id} offset ${HEAD_WINDOW - 1} limit 1)`,
      ),
    )
    .orderBy(...ordered)
    .limit(limit + 1);
  const tail = db
    .select({ id: tickets.id, at: tickets.slaSort })
    .from(tickets)
    .where(and(...filters, start, sql`${tickets.slaSort} = ${infinity}`, text))
    .orderBy(...ordered)
    .limit(limit + 1);
  // No order over the union: Append reads the parts in turn and stops once the page is full (the
  // parts follow each other in the SLA order; the outer order keeps the page's order).
  const page = unionAll(first, rest, tail)
    .limit(limit + 1)
    .as('page');
  return db
    .select(SUMMARY)
    .from(tickets)
    .innerJoin(page, eq(tickets.id, page.id))
    .orderBy(asc(page.at), asc(page.id));
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
