import { and, desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { automaticMailRecipients, correspondence } from '../schema';

export type OutgoingRow = typeof correspondence.$inferSelect;

export interface OutgoingDraft {
  readonly key: string;
  readonly ticketId: string;
  readonly template: string;
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly fromAddress: string;
  readonly toAddresses: readonly string[];
  readonly subject: string;
  readonly body: string;
  readonly automatic: boolean;
}

/** Records an outgoing mail once (by key) and returns its row, new or already there. */
export async function claimOutgoing(db: Database, draft: OutgoingDraft): Promise<OutgoingRow> {
  const [inserted] = await db
    .insert(correspondence)
    .values({ ...draft, toAddresses: [...draft.toAddresses], direction: 'out', status: 'pending' })
    .onConflictDoNothing({ target: correspondence.key })
    .returning();
  if (inserted) return inserted;
  const [existing] = await db.select().from(correspondence).where(eq(correspondence.key, draft.key)).limit(1);
  return existing!;
}

export async function markOutgoing(
  db: Database,
  key: string,
  status: 'sent' | 'stored' | 'failed' | 'suppressed',
  error?: string,
): Promise<void> {
  await db
    .update(correspondence)
    .set({
      status,
      error: error ?? null,
      attempts: sql`${correspondence.attempts} + 1`,
      ...(status === 'sent' || status === 'stored' ? { sentAt: new Date() } : {}),
    })
    .where(and(eq(correspondence.key, key), eq(correspondence.direction, 'out')));
}

export async function countAttempt(db: Database, key: string, error: string): Promise<void> {
  await db
    .update(correspondence)
    .set({ attempts: sql`${correspondence.attempts} + 1`, error })
    .where(eq(correspondence.key, key));
}

export interface IncomingDraft {
  readonly key: string;
  readonly ticketId: string | null;
  readonly messageId: string | null;
  readonly inReplyTo: string | null;
  readonly fromAddress: string | null;
  readonly toAddresses: readonly string[];
  readonly subject: string | null;
  readonly body: string;
  readonly attachments?: unknown;
}

/** Records a message from the initiator once (by key). */
export async function recordIncoming(db: Database, draft: IncomingDraft): Promise<void> {
  await db
    .insert(correspondence)
    .values({ ...draft, toAddresses: [...draft.toAddresses], direction: 'in', status: 'received' })
    .onConflictDoNothing({ target: correspondence.key });
}

export async function correspondenceOf(db: Database, ticketId: string): Promise<OutgoingRow[]> {
  return db
    .select()
    .from(correspondence)
    .where(eq(correspondence.ticketId, ticketId))
    .orderBy(correspondence.id);
}

/** The ticket a Message-ID belongs to (any mail of a ticket, either way). */
export async function ticketOfMessageId(db: Database, messageIds: readonly string[]): Promise<string | null> {
  if (!messageIds.length) return null;
  const rows = await db
    .select({ ticketId: correspondence.ticketId })
    .from(correspondence)
    .where(sql`${correspondence.messageId} in ${messageIds} and ${correspondence.ticketId} is not null`)
    .limit(1);
  return rows[0]?.ticketId ?? null;
}

/**
 * The automatic mails one address got in the last hour, at most `limit` of them: the rate limit only
 * needs to know whether the limit is reached. One ordered range of automatic_mail_recipients (migration
 * 0023), so a busy address (a shared mailbox, the regional operator's) costs at most `limit` rows, not
 * its history (test/db/automaticLimit.test.ts).
 */
export function automaticMailsWithinHour(db: Database, address: string, limit: number) {
  const recent = db
    .select({ one: sql`1` })
    .from(automaticMailRecipients)
    .where(
      sql`${automaticMailRecipients.address} = ${address} and ${automaticMailRecipients.createdAt} > now() - interval '1 hour'`,
    )
    // Newest first along the index: the scan stops at the limit wherever the hour's letters lie.
    .orderBy(desc(automaticMailRecipients.createdAt))
    .limit(limit)
    .as('recent');
  return db.select({ n: sql<number>`count(*)::int` }).from(recent);
}

/** The addresses that already got `limit` automatic mails in the last hour. */
export async function overAutomaticLimit(
  db: Database,
  addresses: readonly string[],
  limit: number,
): Promise<Set<string>> {
  const over = new Set<string>();
  for (const address of addresses) {
    const [row] = await automaticMailsWithinHour(db, address, limit);
    if ((row?.n ?? 0) >= limit) over.add(address.toLowerCase());
  }
  return over;
}
