/**
 * The aggregates the manager's figures read (issue #21): kept by triggers on tickets and inbox as the
 * read model changes (db/migrations/0015_report_counters.sql, 0018_dashboard_aggregates.sql),
 * recomputed here from the tickets themselves to check them and to repair them
 * (`reglament reports check | rebuild`).
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../client';

/** One maintained table: its key and counted columns, and the query that recomputes it from the source. */
interface Aggregate {
  readonly table: string;
  readonly key: readonly string[];
  readonly values: readonly string[];
  readonly recomputed: SQL;
}

const AGGREGATES: readonly Aggregate[] = [
  {
    table: 'inbox_counts',
    key: ['status'],
    values: ['n'],
    recomputed: sql`select status, count(*)::int as n from inbox group by 1`,
  },
  {
    table: 'ticket_counts',
    key: [
      'regulation',
      'status',
      'line',
      'type',
      'organization_id',
      'assignee_id',
      'open',
      'breached',
      'awaiting_operator',
      'workflow_missing',
    ],
    values: ['n'],
    recomputed: sql`
      select regulation, status, line, type, coalesce(organization_id, '') as organization_id,
             coalesce(assignee_id, '') as assignee_id, outcome_at is null as open, sla_breached as breached,
             awaiting_operator, workflow_missing, max(assignee_name) as assignee_name, count(*)::int as n
        from tickets where not archived group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
  },
  {
    table: 'ticket_outcomes_hourly',
    key: ['hour', 'regulation', 'line', 'type'],
    values: ['resolved', 'on_time'],
    recomputed: sql`
      select date_trunc('hour', outcome_at) as hour, regulation, line, type, count(*)::int as resolved,
             count(*) filter (where not sla_breached)::int as on_time
        from tickets where outcome_at is not null group by 1, 2, 3, 4`,
  },
  {
    table: 'ticket_outcomes_org_hourly',
    key: ['organization_id', 'hour', 'regulation', 'line', 'type'],
    values: ['resolved', 'on_time'],
    recomputed: sql`
      select r.organization_id, r.hour, r.regulation, r.line, r.type, sum(r.resolved)::int as resolved,
             sum(r.on_time)::int as on_time
        from tickets t, ticket_outcome_org_rows(t, 1) r group by 1, 2, 3, 4, 5`,
  },
  {
    table: 'ticket_sla_daily',
    key: ['scope', 'dimension', 'span', 'day', 'value'],
    values: ['tickets', 'resolved', 'on_time', 'breached', 'open_breached', 'paused_minutes'],
    recomputed: sql`
      select r.scope, r.dimension, r.span, r.day, r.value, max(r.label) as label, sum(r.tickets)::int as tickets,
             sum(r.resolved)::int as resolved, sum(r.on_time)::int as on_time, sum(r.breached)::int as breached,
             sum(r.open_breached)::int as open_breached, sum(r.paused_minutes)::bigint as paused_minutes
        from tickets t, ticket_sla_rows(t, 1) r group by 1, 2, 3, 4, 5`,
  },
  {
    table: 'ticket_sla_histogram',
    key: ['scope', 'dimension', 'span', 'day', 'value', 'bucket'],
    values: ['n', 'minutes'],
    recomputed: sql`
      select r.scope, r.dimension, r.span, r.day, r.value, r.bucket, sum(r.n)::int as n,
             sum(r.minutes)::bigint as minutes
        from tickets t, ticket_histogram_rows(t, 1) r group by 1, 2, 3, 4, 5, 6`,
  },
  {
    table: 'ticket_backlog_hourly',
    key: ['scope', 'hour', 'regulation', 'status'],
    values: ['n'],
    recomputed: sql`
      select r.scope, r.hour, r.regulation, r.status, sum(r.n)::int as n
        from tickets t, ticket_backlog_rows(t, 1) r group by 1, 2, 3, 4`,
  },
];

const keyOf = (a: Aggregate, r: Record<string, unknown>): string =>
  [a.table, ...a.key.map((k) => (r[k] instanceof Date ? (r[k] as Date).toISOString() : String(r[k])))].join(
    '|',
  );

/** Each counted figure as `table|key…|column → value`, zeros left out (a kept row may fall to zero). */
async function figures(db: Database, a: Aggregate, source: SQL): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const r of (await db.execute<Record<string, unknown>>(source)).rows)
    for (const v of a.values) if (Number(r[v])) result.set(`${keyOf(a, r)}|${v}`, Number(r[v]));
  return result;
}

/** What the maintained aggregates say differently from the tickets and inbox; empty when they agree. */
export async function checkReportCounters(db: Database): Promise<string[]> {
  return db.transaction(
    async (tx) => {
      const differences: string[] = [];
      for (const a of AGGREGATES) {
        const kept = await figures(tx as unknown as Database, a, sql.raw(`select * from ${a.table}`));
        const counted = await figures(tx as unknown as Database, a, a.recomputed);
        for (const key of new Set([...kept.keys(), ...counted.keys()]))
          if ((kept.get(key) ?? 0) !== (counted.get(key) ?? 0))
            differences.push(`${key}: kept ${kept.get(key) ?? 0}, counted ${counted.get(key) ?? 0}`);
      }
      return differences.sort();
    },
    // One snapshot for both sides: a write between them would look like a difference.
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** Recomputes every aggregate from the tickets and inbox; writers wait for the seconds it takes. */
export async function rebuildReportCounters(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`lock table tickets, inbox in share mode`);
    for (const a of AGGREGATES) {
      await tx.execute(sql.raw(`delete from ${a.table}`));
      await tx.execute(sql`insert into ${sql.raw(a.table)} ${a.recomputed}`);
    }
  });
}
