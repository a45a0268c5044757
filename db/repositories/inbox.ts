import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { storableText } from '../../domain';
import type { Database, Executor } from '../client';
import { inbox } from '../schema';
import type { SenderAuth } from '../../mail/auth/verdict';

export type InboxRow = typeof inbox.$inferSelect;

export interface Inbound {
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly remoteAddress: string | null;
  readonly raw: Buffer;
  /** The sender check's verdict (issue #18); null when MAIL_AUTH=off. */
  readonly senderAuth?: SenderAuth | null;
}

/** The Message-ID header, read cheaply from the header block (the dispatcher parses the rest). */
export function headerMessageId(raw: Buffer): string | null {
  const head =
    raw
      .subarray(0, Math.min(raw.length, 65_536))
      .toString('latin1')
      .split(/\r?\n\r?\n/)[0] ?? '';
  const m = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]{1,900}>)/im.exec(head);
  // Read as Latin-1, so any byte is a character: a NUL or a control byte is made storable.
  return m ? storableText(m[1]!) : null;
}

/** Durably stores a message the SMTP intake is about to acknowledge; returns its id. */
export async function storeInbound(db: Database, message: Inbound): Promise<number> {
  const [row] = await db
    .insert(inbox)
    .values({
      envelopeFrom: storableText(message.envelopeFrom, 1000),
      envelopeTo: message.envelopeTo.map((a) => storableText(a, 1000)),
      remoteAddress: message.remoteAddress,
      raw: message.raw,
      size: message.raw.length,
      messageId: headerMessageId(message.raw),
      senderAuth: message.senderAuth ?? null,
    })
    .returning({ id: inbox.id });
  return row!.id;
}

/**
 * Takes up to `limit` messages due for processing: pending ones whose time has come and those whose
 * dispatcher's lease ran out (it crashed). Concurrent dispatchers never take the same message.
 */
export async function claimBatch(db: Database, limit: number, leaseMs: number): Promise<InboxRow[]> {
  const result = await db.execute<Record<string, unknown>>(sql`
    update inbox set status = 'processing', lease_until = now() + ${`${leaseMs} milliseconds`}::interval, attempts = attempts + 1
     where id in (
       select id from inbox
        where (status = 'pending' and next_attempt_at <= now())
           or (status = 'processing' and lease_until < now())
        order by id
        limit ${limit}
        for update skip locked)
    returning id`);
  const ids = result.rows.map((r) => Number(r.id));
  if (!ids.length) return [];
  return db
    .select()
    .from(inbox)
    .where(sql`${inbox.id} in ${ids}`)
    .orderBy(inbox.id);
}

export type Outcome = 'done' | 'held' | 'ignored' | 'duplicate' | 'failed';

/** Outcome and error text are shown to people and must store whatever an error message contains. */
const note = (text: string): string => storableText(text).slice(0, 2000);

export async function finishInbound(
  db: Executor,
  id: number,
  status: Outcome,
  outcome: string,
  ticketId: string | null = null,
  organizationId?: string | null,
): Promise<void> {
  await db
    .update(inbox)
    .set({
      status,
      outcome: note(outcome),
      ticketId,
      leaseUntil: null,
      processedAt: new Date(),
      error: status === 'failed' ? note(outcome) : null,
      ...(organizationId !== undefined && { organizationId }),
    })
    .where(eq(inbox.id, id));
}

/** The dispatcher is still at it: its lease on the message runs from now again. */
export async function renewLease(db: Database, id: number, leaseMs: number): Promise<void> {
  await db
    .update(inbox)
    .set({ leaseUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval` })
    .where(and(eq(inbox.id, id), eq(inbox.status, 'processing')));
}

/** Back to pending after a transient failure (Temporal or the database away), with back-off. */
export async function retryInbound(db: Database, id: number, error: string, delayMs: number): Promise<void> {
  await db
    .update(inbox)
    .set({
      status: 'pending',
      leaseUntil: null,
      error: note(error),
      nextAttemptAt: sql`now() + ${`${delayMs} milliseconds`}::interval`,
    })
    .where(eq(inbox.id, id));
}

/** An earlier message with the same Message-ID was already taken in. */
export async function isDuplicate(db: Database, id: number, messageId: string): Promise<boolean> {
  const rows = await db
    .select({ id: inbox.id })
    .from(inbox)
    .where(and(eq(inbox.messageId, messageId), lt(inbox.id, id), sql`${inbox.status} not in ('failed')`))
    .limit(1);
  return rows.length > 0;
}

export async function inboxRow(db: Database, id: number): Promise<InboxRow | null> {
  const [row] = await db.select().from(inbox).where(eq(inbox.id, id)).limit(1);
  return row ?? null;
}

/** The sender checks of a ticket's incoming messages, by Message-ID (issue #18). */
export async function senderChecksOf(db: Database, ticketId: string): Promise<Map<string, unknown>> {
  const rows = await db
    .select({ messageId: inbox.messageId, senderAuth: inbox.senderAuth })
    .from(inbox)
    .where(
      sql`${inbox.ticketId} = ${ticketId} and ${inbox.messageId} is not null and ${inbox.senderAuth} is not null`,
    );
  return new Map(rows.map((r) => [r.messageId!, r.senderAuth]));
}

export const INBOX_STATUSES = [
  'pending',
  'processing',
  'held',
  'failed',
  'done',
  'ignored',
  'duplicate',
] as const;
export type InboxStatus = (typeof INBOX_STATUSES)[number];

/**
 * Messages in the given states, newest first: every message is in exactly one state, and every state
 * can be listed (issue #10), `processing` with the dispatcher's lease. An organisation's key sees the
 * messages of its organisation only (its tickets' and its verified senders').
 */
export async function listInbox(
  db: Database,
  filter: { statuses: readonly InboxStatus[]; scope: string | null; limit: number; beforeId?: number },
) {
  const conditions = [sql`${inbox.status} in ${filter.statuses}`];
  if (filter.scope)
    conditions.push(
      sql`coalesce((select t.organization_id from tickets t where t.id = ${inbox.ticketId}), ${inbox.organizationId}) = ${filter.scope}`,
    );
  if (filter.beforeId) conditions.push(lt(inbox.id, filter.beforeId));
  return db
    .select({
      id: inbox.id,
      receivedAt: inbox.receivedAt,
      envelopeFrom: inbox.envelopeFrom,
      envelopeTo: inbox.envelopeTo,
      messageId: inbox.messageId,
      size: inbox.size,
      status: inbox.status,
      outcome: inbox.outcome,
      ticketId: inbox.ticketId,
      organizationId: inbox.organizationId,
      attempts: inbox.attempts,
      nextAttemptAt: inbox.nextAttemptAt,
      leaseUntil: inbox.leaseUntil,
      error: inbox.error,
      processedAt: inbox.processedAt,
      senderAuth: inbox.senderAuth,
    })
    .from(inbox)
    .where(and(...conditions))
    .orderBy(desc(inbox.id))
    .limit(filter.limit);
}
