import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Attachment } from '../../domain';
import type { Database } from '../client';
import { attachments } from '../schema';

export interface AttachmentFile {
  /** Derived from the message (mail/decide.ts), so storing the same files again changes nothing. */
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
}

/** Stores the files of one inbound message (idempotent: ids derive from the message) and returns their metadata. */
export async function storeAttachments(
  db: Database,
  inboxId: number,
  ticketId: string | null,
  files: readonly AttachmentFile[],
): Promise<Attachment[]> {
  const rows = files.map((f) => ({
    id: f.id,
    ticketId,
    inboxId,
    fileName: f.fileName,
    contentType: f.contentType,
    size: f.content.length,
    sha256: createHash('sha256').update(f.content).digest('hex'),
    content: f.content,
  }));
  if (rows.length) await db.insert(attachments).values(rows).onConflictDoNothing();
  return rows.map(({ id, fileName, contentType, size }) => ({ id, fileName, contentType, size }));
}

export async function attachmentsOf(db: Database, ticketId: string) {
  return db
    .select({
      id: attachments.id,
      fileName: attachments.fileName,
      contentType: attachments.contentType,
      size: attachments.size,
      createdAt: attachments.createdAt,
    })
    .from(attachments)
    .where(eq(attachments.ticketId, ticketId))
    .orderBy(attachments.createdAt, attachments.id);
}

export async function attachmentContent(db: Database, id: string) {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id)).limit(1);
  return row ?? null;
}
