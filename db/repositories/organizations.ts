import { and, eq, sql } from 'drizzle-orm';
import type { OrganizationCalendar } from '../../domain';
import type { Database } from '../client';
import { authorizedPersons, organizations } from '../schema';

/** The organisation whose domains include the address's domain. */
export async function domainOwner(
  db: Database,
  email: string,
): Promise<{ organizationId: string; organizationName: string } | null> {
  const domain = email.split('@')[1]?.trim().toLowerCase();
  if (!domain) return null;
  const [org] = await db
    .select({ organizationId: organizations.id, organizationName: organizations.name })
    .from(organizations)
    .where(sql`${domain} = any(${organizations.domains})`)
    .limit(1);
  return org ?? null;
}

/**
 * The organisation and authorised person an e-mail address belongs to (seed 000 п. 3.3.1–3.3.2). An
 * organisation's domain is its own: an authorised person of another organisation on that domain does
 * not win over it (issue #18, finding 3: B must not capture A's mail by listing A's address).
 */
export async function whoIs(
  db: Database,
  email: string,
): Promise<{ organizationId: string; organizationName: string; personId: string | null } | null> {
  const org = await domainOwner(db, email);
  const [person] = await db
    .select({
      personId: authorizedPersons.id,
      organizationId: organizations.id,
      organizationName: organizations.name,
    })
    .from(authorizedPersons)
    .innerJoin(organizations, eq(organizations.id, authorizedPersons.organizationId))
    .where(
      and(
        sql`lower(${authorizedPersons.email}) = lower(${email})`,
        eq(authorizedPersons.active, true),
        org ? eq(authorizedPersons.organizationId, org.organizationId) : undefined,
      ),
    )
    .limit(1);
  if (person) return person;
  return org ? { ...org, personId: null } : null;
}

/** Whether an organisation is on file: a key or a person limited to an unknown one would see nothing. */
export async function organizationExists(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, id))
    .limit(1);
  return rows.length > 0;
}

/** The calendar and schedule an organisation names (issue #20); null for an unknown organisation. */
export async function organizationCalendar(db: Database, id: string): Promise<OrganizationCalendar | null> {
  const [row] = await db
    .select({ calendar: organizations.calendar, schedule: organizations.schedule })
    .from(organizations)
    .where(eq(organizations.id, id))
    .limit(1);
  return row ? { calendar: row.calendar ?? null, schedule: row.schedule ?? null } : null;
}
