import { and, asc, eq, sql } from 'drizzle-orm';
import { clockViews, deadlines, isPaused, type TicketEvent, type TicketState } from '../../domain';
import type { Database } from '../client';
import { ticketEvents, ticketNumbers, ticketStarts, tickets } from '../schema';
import { fromExcluded } from './upsert';

/** The columns the queue, search and reports read, derived from the ticket's state. */
export function snapshotOf(state: TicketState, now: number) {
  const resolution = state.clocks.resolution;
  const due = deadlines(state).resolution;
  const views = clockViews(state, now);
  const view = resolution ? views.find((c) => c.name === 'resolution') : undefined;
  // Seed 000 п. 2.4: before registration the running deadline is the registration's (4 hours): the
  // queue's «по сроку SLA» puts such requests by it, not after every registered one.
  const registration = state.clocks.registration;
  const registering =
    registration && registration.stoppedAt === null && !(resolution && resolution.stoppedAt === null)
      ? views.find((c) => c.name === 'registration')
      : undefined;
  const registrationDue = registering ? deadlines(state).registration : undefined;
  const i = state.intake.initiator;
  const running =
    resolution && resolution.stoppedAt === null && due ? view : registrationDue ? registering : null;
  return {
    id: state.id,
    regulation: state.regulation.id,
    regulationVersion: state.regulation.version,
    type: state.type,
    status: state.status,
    statusReason: state.statusReason,
    line: state.line,
    channel: state.channel,
    assigneeId: state.assignee?.id ?? null,
    assigneeName: state.assignee?.name ?? null,
    organization: i.organization ?? null,
    organizationId: i.organizationId ?? null,
    initiatorName: i.fullName ?? null,
    initiatorEmail: i.email ?? null,
    subject: state.intake.subject ?? null,
    description: state.intake.description ?? null,
    receivedAt: new Date(state.receivedAt),
    registeredAt: state.registeredAt ? new Date(state.registeredAt) : null,
    outcomeAt: state.outcomeAt ? new Date(state.outcomeAt) : null,
    slaDueAt:
      resolution && resolution.stoppedAt === null && due
        ? new Date(due)
        : registrationDue
          ? new Date(registrationDue)
          : null,
    // Issue #20: «предварительный срок», from the same clock view as the deadline above.
    slaDueProvisional: running?.provisional ?? false,
    slaBreached: (view?.breached ?? false) || (registering?.breached ?? false),
    slaPaused: !!resolution && isPaused(resolution),
    resolutionMinutes: view?.elapsedMinutes ?? null,
    pausedMinutes: view?.pausedMinutes ?? null,
    awaitingOperator: state.awaitingOperator,
    obscene: state.obsceneWords.length > 0,
    archived: state.archived,
    seq: state.seq,
    state,
    updatedAt: new Date(state.updatedAt),
  };
}

/**
 * Appends events and moves the snapshot forward, in one transaction. Idempotent and ordered: an
 * event already stored is skipped, and an older snapshot never overwrites a newer one, so a retried
 * or replayed activity cannot corrupt or duplicate anything.
 */
export async function saveTicket(
  db: Database,
  state: TicketState,
  events: readonly TicketEvent[],
  now: number,
): Promise<void> {
  await saveTickets(db, [{ state, events }], now);
}

/**
 * Several tickets' snapshots and events in one transaction of two statements (issue #21: a burst of
 * deadlines firing together commits once, not once per ticket). A ticket listed twice keeps its
 * newest snapshot; every event is kept.
 */
export async function saveTickets(
  db: Database,
  writes: readonly { readonly state: TicketState; readonly events: readonly TicketEvent[] }[],
  now: number,
): Promise<void> {
  const newest = new Map<string, TicketState>();
  for (const { state } of writes) {
    const known = newest.get(state.id);
    if (!known || known.seq < state.seq) newest.set(state.id, state);
  }
  const rows = [...newest.values()].map((state) => snapshotOf(state, now));
  if (!rows.length) return;
  await db.transaction(async (tx) => {
    await upsertSnapshots(tx, rows);
    await insertEvents(
      tx,
      writes.flatMap(({ state, events }) => events.map((event) => ({ ticketId: state.id, event }))),
    );
  });
}

/**
 * Snapshots moved forward, never back. `changed_at` is the database's time of the write (issue #21:
 * the reconciler's watermark); `updated_at` is the ticket's own time of its last event.
 */
function upsertSnapshots(tx: Pick<Database, 'insert'>, rows: readonly ReturnType<typeof snapshotOf>[]) {
  return tx
    .insert(tickets)
    .values([...rows])
    .onConflictDoUpdate({
      target: tickets.id,
      set: {
        ...fromExcluded(
          tickets,
          Object.keys(rows[0]!).filter((k) => k !== 'id'),
        ),
        changedAt: sql`now()`,
      },
      setWhere: sql`${tickets.seq} < excluded.seq`,
    });
}

/**
 * The API's copy of a command's result, so the queue shows what the operator was answered (read your
 * writes), in one statement committed without waiting for the WAL flush (issue #21: a transaction of
 * four round trips and a flush on every command). Nothing is lost in a crash: the workflow's
 * recordTicket activity writes the same snapshot and events durably, and retries until it has.
 */
export async function saveAnsweredTicket(
  db: Database,
  state: TicketState,
  events: readonly TicketEvent[],
  now: number,
): Promise<void> {
  const snapshot = upsertSnapshots(db, [snapshotOf(state, now)]).returning({ id: tickets.id });
  const logged = events.length
    ? eventsInsert(
        db,
        events.map((event) => ({ ticketId: state.id, event })),
      ).returning({ seq: ticketEvents.seq })
    : null;
  // The ticket's row first, then its events, as recordTicket's transaction does: the other order
  // deadlocks with it (PostgreSQL runs unreferenced WITH statements last one first). Subqueries of
  // the select list are evaluated left to right.
  await db.execute(sql`
    with durability as (select set_config('synchronous_commit', 'off', true)),
      snapshot as (${snapshot.getSQL()})${logged ? sql`, logged as (${logged.getSQL()})` : sql``}
    select (select count(*) from snapshot)${logged ? sql` + (select count(*) from logged)` : sql``}
    from durability`);
}

/** Events are keyed by (ticket, seq): a retried activity inserts nothing twice. */
async function insertEvents(
  tx: Pick<Database, 'insert'>,
  events: readonly { readonly ticketId: string; readonly event: TicketEvent }[],
): Promise<void> {
  if (events.length) await eventsInsert(tx, events);
}

function eventsInsert(
  tx: Pick<Database, 'insert'>,
  events: readonly { readonly ticketId: string; readonly event: TicketEvent }[],
) {
  return tx
    .insert(ticketEvents)
    .values(
      events.map(({ ticketId, event: e }) => ({
        ticketId,
        seq: e.seq,
        type: e.type,
        at: new Date(e.at),
        actor: e.by,
        event: e,
      })),
    )
    .onConflictDoNothing();
}

export async function ticketEventsOf(db: Database, ticketId: string): Promise<TicketEvent[]> {
  const rows = await db
    .select({ event: ticketEvents.event })
    .from(ticketEvents)
    .where(eq(ticketEvents.ticketId, ticketId))
    .orderBy(asc(ticketEvents.seq));
  return rows.map((r) => r.event as TicketEvent);
}

export async function findTicket(db: Database, id: string) {
  const [row] = await db.select().from(tickets).where(eq(tickets.id, id)).limit(1);
  return row ?? null;
}

/**
 * The ticket ID for a request, allocated once per source from the PostgreSQL sequence: the same
 * inbound message or API request always gets the same ID, so it never makes two tickets. `at` is
 * when it was first allocated: the instant the request's opening is decided at, on every retry.
 */
export async function allocateTicketId(
  db: Database,
  source: string,
  prefix: string,
  now: Date,
): Promise<{ id: string; created: boolean; at: Date }> {
  const [existing] = await db.select().from(ticketStarts).where(eq(ticketStarts.source, source)).limit(1);
  if (existing) return { id: existing.ticketId, created: false, at: existing.createdAt };
  const [{ n }] = (
    await db.execute<{ n: string }>(sql`select nextval(${sql.raw(`'${ticketNumbers.seqName}'`)}) as n`)
  ).rows as [{ n: string }];
  const id = `${prefix}${n}`;
  const [inserted] = await db
    .insert(ticketStarts)
    .values({ source, ticketId: id, number: Number(n), createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { id, created: true, at: inserted.createdAt };
  // Another process allocated for the same source in between: use theirs.
  const [winner] = await db.select().from(ticketStarts).where(eq(ticketStarts.source, source)).limit(1);
  return { id: winner!.ticketId, created: false, at: winner!.createdAt };
}

/** Whether an ID was given out (the workflow may not have recorded the ticket yet). */
export async function isTicketAllocated(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: ticketStarts.ticketId })
    .from(ticketStarts)
    .where(eq(ticketStarts.ticketId, id))
    .limit(1);
  return rows.length > 0;
}

/**
 * What the reconciler found for a ticket: its workflow runs (null), or what is wrong with it. Written
 * only when that changes (the caller compares with what it read; the statement checks again): a pass
 * over tickets whose workflows run writes nothing (issue #21).
 */
export async function markWorkflow(db: Database, id: string, problem: string | null): Promise<void> {
  await db
    .update(tickets)
    .set({ workflowMissing: problem !== null, workflowProblem: problem, workflowCheckedAt: new Date() })
    .where(
      and(
        eq(tickets.id, id),
        sql`(${tickets.workflowMissing}, ${tickets.workflowProblem}) is distinct from (${problem !== null}, ${problem}::text)`,
      ),
    );
}

/** An open ticket as the reconciler sees it: what it last found about the ticket's workflow. */
export interface ReconcileRow {
  readonly id: string;
  readonly workflowMissing: boolean;
  readonly workflowProblem: string | null;
  /** The database's time of its last new snapshot, as text (microseconds kept for the keyset). */
  readonly changedAt: string;
}

const RECONCILE_COLUMNS = sql`id, workflow_missing as "workflowMissing", workflow_problem as "workflowProblem",
  changed_at::text as "changedAt"`;

/** Tickets not archived after `after` in ID order: the sweep's next batch, read without a write. */
export async function unarchivedAfter(db: Database, after: string, limit: number): Promise<ReconcileRow[]> {
  const result = await db.execute<ReconcileRow & Record<string, unknown>>(sql`
    select ${RECONCILE_COLUMNS} from tickets where not archived and id > ${after} order by id limit ${limit}`);
  return result.rows;
}

/** How many tickets are not archived, from the counters a trigger keeps (ticket_counts): no scan. */
export async function unarchivedCount(db: Database): Promise<number> {
  const result = await db.execute<{ n: number }>(
    sql`select coalesce(sum(n), 0)::int as n from ticket_counts`,
  );
  return result.rows[0]!.n;
}

/**
 * Tickets not archived whose snapshot changed after `since` and by `until` (the database's times, as
 * text), after the keyset position `after`: an incremental pass's next batch, one range of
 * tickets_changed_idx (issue #21).
 */
export async function changedBetween(
  db: Database,
  since: string,
  until: string,
  after: { readonly changedAt: string; readonly id: string },
  limit: number,
): Promise<ReconcileRow[]> {
  const result = await db.execute<ReconcileRow & Record<string, unknown>>(sql`
    select ${RECONCILE_COLUMNS} from tickets
    where not archived and changed_at > ${since}::timestamptz and changed_at <= ${until}::timestamptz
      and (changed_at, id) > (${after.changedAt}::timestamptz, ${after.id})
    order by changed_at, id limit ${limit}`);
  return result.rows;
}

export async function missingWorkflowTickets(db: Database): Promise<string[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.workflowMissing, true), eq(tickets.archived, false)))
    .orderBy(asc(tickets.id));
  return rows.map((r) => r.id);
}

/**
 * The last resort for events PostgreSQL refuses even sanitised: placeholders in the log and the
 * snapshot's sequence moved on (its columns stay as they were), so later events are not held back.
 */
export async function advanceSnapshot(
  db: Database,
  ticketId: string,
  seq: number,
  placeholders: readonly TicketEvent[],
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(tickets)
      .set({ seq, updatedAt: new Date() })
      .where(sql`${tickets.id} = ${ticketId} and ${tickets.seq} < ${seq}`);
    await insertEvents(
      tx,
      placeholders.map((event) => ({ ticketId, event })),
    );
  });
}
