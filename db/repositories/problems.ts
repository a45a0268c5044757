import { desc, eq, sql } from 'drizzle-orm';
import { storableText } from '../../domain';
import type { Database } from '../client';
import { ticketProblems } from '../schema';

export type ProblemKind = 'unstorable_event' | 'mail_rejected' | 'mail_unstorable';

/** Records a problem once per (ticket, kind, key); a retried activity does not add a second row. */
export async function recordProblem(
  db: Database,
  problem: { ticketId: string; kind: ProblemKind; key: string; detail: string },
): Promise<void> {
  await db
    .insert(ticketProblems)
    .values({
      ticketId: storableText(problem.ticketId, 200),
      kind: problem.kind,
      key: storableText(problem.key, 500),
      detail: storableText(problem.detail, 2000),
    })
    .onConflictDoNothing();
}

export async function problemsOf(db: Database, ticketId: string) {
  return db
    .select({
      kind: ticketProblems.kind,
      key: ticketProblems.key,
      detail: ticketProblems.detail,
      createdAt: ticketProblems.createdAt,
    })
    .from(ticketProblems)
    .where(eq(ticketProblems.ticketId, ticketId))
    .orderBy(desc(ticketProblems.id));
}

/** Problems by kind, for /metrics. */
export async function problemCounts(db: Database): Promise<{ kind: string; n: number }[]> {
  const rows = await db.execute<{ kind: string; n: number }>(
    sql`select kind, count(*)::int as n from ticket_problems group by kind`,
  );
  return rows.rows;
}
