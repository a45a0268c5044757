import { sql } from 'drizzle-orm';
import type { Database, Executor } from '../client';
import { mailSuppressions } from '../schema';

/** Addresses not to mail for a while (they bounced): no mail loops, no hammering dead mailboxes. */
export async function suppressAddresses(
  db: Executor,
  addresses: readonly string[],
  reason: string,
  hours: number,
): Promise<void> {
  const until = new Date(Date.now() + hours * 3_600_000);
  const rows = [...new Set(addresses.map((a) => a.toLowerCase()))].map((address) => ({
    address,
    reason,
    until,
  }));
  if (!rows.length) return;
  await db
    .insert(mailSuppressions)
    .values(rows)
    .onConflictDoUpdate({ target: mailSuppressions.address, set: { reason, until } });
}

/** Which of these addresses are suppressed right now. */
export async function suppressedAmong(db: Database, addresses: readonly string[]): Promise<Set<string>> {
  if (!addresses.length) return new Set();
  const lower = addresses.map((a) => a.toLowerCase());
  const rows = await db
    .select({ address: mailSuppressions.address })
    .from(mailSuppressions)
    .where(sql`${mailSuppressions.address} in ${lower} and ${mailSuppressions.until} > now()`);
  return new Set(rows.map((r) => r.address));
}
