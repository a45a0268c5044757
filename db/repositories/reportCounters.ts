/**
 * The counters the manager's figures read (issue #21): kept by a trigger on tickets as the read model
 * changes (db/migrations/0015_report_counters.sql), recomputed here from the tickets themselves to check
 * them and to repair them (`reglament reports check | rebuild`).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../client';

/** Each counter as `key → value`, from the maintained tables or recomputed from tickets. */
type Figures = Map<string, number>;

const COUNTS_RECOMPUTED = sql`
  select regulation, status, line, type, coalesce(organization_id, '') as organization_id,
         coalesce(assignee_id, '') as assignee_id, outcome_at is null as open, sla_breached as breached,
         awaiting_operator, workflow_missing, max(assignee_name) as assignee_name, count(*)::int as n
    from tickets where not archived group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`;

const OUTCOMES_RECOMPUTED = sql`
  select date_trunc('hour', outcome_at) as hour, regulation, line, type, count(*)::int as resolved,
         count(*) filter (where not sla_breached)::int as on_time
    from tickets where outcome_at is not null group by 1, 2, 3, 4`;

const INBOX_RECOMPUTED = sql`select status, count(*)::int as n from inbox group by 1`;

async function figures(
  db: Database,
  counts: ReturnType<typeof sql>,
  outcomes: ReturnType<typeof sql>,
  inbox: ReturnType<typeof sql>,
) {
  const result: Figures = new Map();
  for (const r of (await db.execute<Record<string, unknown>>(inbox)).rows)
    if (Number(r.n)) result.set(`inbox|${String(r.status)}`, Number(r.n));
  for (const r of (await db.execute<Record<string, unknown>>(counts)).rows) {
    const key = [
      'count',
      r.regulation,
      r.status,
      r.line,
      r.type,
      r.organization_id,
      r.assignee_id,
      r.open,
      r.breached,
      r.awaiting_operator,
      r.workflow_missing,
    ].join('|');
    if (Number(r.n)) result.set(key, Number(r.n));
  }
  for (const r of (await db.execute<Record<string, unknown>>(outcomes)).rows) {
    const key = ['outcome', new Date(r.hour as string).toISOString(), r.regulation, r.line, r.type].join('|');
    if (Number(r.resolved)) result.set(`${key}|resolved`, Number(r.resolved));
    if (Number(r.on_time)) result.set(`${key}|on_time`, Number(r.on_time));
  }
  return result;
}

/** What the maintained counters say differently from the tickets; empty when they agree. */
export async function checkReportCounters(db: Database): Promise<string[]> {
  return db.transaction(
    async (tx) => {
      const kept = await figures(
        tx as unknown as Database,
        sql`select * from ticket_counts`,
        sql`select * from ticket_outcomes_hourly`,
        sql`select * from inbox_counts`,
      );
      const counted = await figures(
        tx as unknown as Database,
        COUNTS_RECOMPUTED,
        OUTCOMES_RECOMPUTED,
        INBOX_RECOMPUTED,
      );
      const differences: string[] = [];
      for (const key of new Set([...kept.keys(), ...counted.keys()]))
        if ((kept.get(key) ?? 0) !== (counted.get(key) ?? 0))
          differences.push(`${key}: kept ${kept.get(key) ?? 0}, counted ${counted.get(key) ?? 0}`);
      return differences.sort();
    },
    // One snapshot for both sides: a write between them would look like a difference.
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** Recomputes the counters from the tickets; writers wait for the few seconds it takes. */
export async function rebuildReportCounters(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table tickets, inbox in share mode`);
    await tx.execute(sql`delete from inbox_counts`);
    await tx.execute(sql`insert into inbox_counts ${INBOX_RECOMPUTED}`);
    await tx.execute(sql`delete from ticket_counts`);
    await tx.execute(sql`delete from ticket_outcomes_hourly`);
    await tx.execute(sql`insert into ticket_counts ${COUNTS_RECOMPUTED}`);
    await tx.execute(sql`insert into ticket_outcomes_hourly ${OUTCOMES_RECOMPUTED}`);
  });
}
