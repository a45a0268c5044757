/** Which organisation a resource belongs to, for the route table's scope declarations (api/route.ts). */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { inbox, organizations, tickets } from '../db/schema';
import type { Owner } from './route';

export async function ticketOwner(db: Database, id: string): Promise<Owner> {
  const [row] = await db
    .select({ organizationId: tickets.organizationId })
    .from(tickets)
    .where(eq(tickets.id, id))
    .limit(1);
  return row ? row.organizationId : undefined;
}

/** A message's organisation: its ticket's, or the verified sender's recorded by the dispatcher. */
export async function inboxOwner(db: Database, id: number): Promise<Owner> {
  const [row] = await db
    .select({
      organizationId: sql<string | null>`coalesce(${tickets.organizationId}, ${inbox.organizationId})`,
    })
    .from(inbox)
    .leftJoin(tickets, eq(tickets.id, inbox.ticketId))
    .where(eq(inbox.id, id))
    .limit(1);
  return row ? row.organizationId : undefined;
}

export async function organizationOwner(db: Database, id: string): Promise<Owner> {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, id))
    .limit(1);
  return row ? row.id : undefined;
}
