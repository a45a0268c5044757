/**
 * The SLA report over tickets received in [from, to) (issue #21): the period's whole UTC days from the
 * maintained aggregates (ticket_sla_daily, ticket_sla_histogram, db/migrations/0018), only its partial
 * first and last day counted from tickets through the receipt index, so its cost follows the number of
 * days and groups, not of tickets. An organisation's report reads the same aggregates keyed by it.
 */
import { sql, type SQL } from 'drizzle-orm';
import { histogramPercentile, type HistogramBucket } from '../../domain/reports/resolutionHistogram';
import type { Database } from '../client';

export const SLA_GROUPINGS = ['type', 'line', 'organization', 'assignee'] as const;
export type SlaGroupBy = (typeof SLA_GROUPINGS)[number];

export interface SlaGroup {
  /** The type's or line's code, the organisation's or the assignee's ID; null for none. */
  readonly group: string | null;
  /** What people read for the group: the organisation's or the assignee's name. */
  readonly label: string | null;
  readonly tickets: number;
  readonly resolved: number;
  readonly onTime: number;
  readonly breached: number;
  /** Open tickets whose deadline is «предварительный срок» (no calendar loaded for its year, issue #20). */
  readonly provisional: number;
  /** From the resolution-time histogram: within 9 % (RESOLUTION_PERCENTILE_ERROR), exact for a lone value. */
  readonly medianHours: number | null;
  readonly p90Hours: number | null;
  readonly pausedHours: number;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** [from, to) as whole UTC days (an aggregate's range) and the instants around them (tickets' ranges). */
export function periodParts(
  from: Date,
  to: Date,
  unit: number,
): { whole: [number, number] | null; edges: [Date, Date][] } {
  const first = Math.ceil(from.getTime() / unit) * unit;
  const last = Math.floor(to.getTime() / unit) * unit;
  if (!(first < last)) return { whole: null, edges: [[from, to]] };
  const edges: [Date, Date][] = [];
  if (from.getTime() < first) edges.push([from, new Date(first)]);
  if (last < to.getTime()) edges.push([new Date(last), to]);
  return { whole: [first, last], edges };
}

const monthStart = (ms: number, next: boolean): number => {
  const d = new Date(ms);
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return next && start < ms ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : start;
};

/**
 * [from, to) as whole UTC months, the whole days around them and the instants around those: a year is
 * 12 monthly rows per group, up to 60 daily ones and at most two partial days of tickets.
 */
export function calendarParts(
  from: Date,
  to: Date,
): { months: [number, number] | null; days: [number, number][]; edges: [Date, Date][] } {
  const { whole, edges } = periodParts(from, to, DAY);
  if (!whole) return { months: null, days: [], edges };
  const [first, last] = whole;
  const m0 = monthStart(first, true);
  const m1 = monthStart(last, false);
  if (!(m0 < m1)) return { months: null, days: [whole], edges };
  const days: [number, number][] = [];
  if (first < m0) days.push([first, m0]);
  if (m1 < last) days.push([m1, last]);
  return { months: [m0, m1], days, edges };
}

/**
 * One aggregate's rows for a scope and grouping over the period: the kept months and days, and the
 * edges' tickets put through the same row function the trigger uses.
 */
function periodRows(
  from: Date,
  to: Date,
  scope: string | null,
  groupBy: SlaGroupBy,
  table: 'ticket_sla_daily' | 'ticket_sla_histogram',
  columns: SQL,
): SQL {
  const { months, days, edges } = calendarParts(from, to);
  const key = scope ?? '*';
  const rowsOf = table === 'ticket_sla_daily' ? sql`ticket_sla_rows` : sql`ticket_histogram_rows`;
  const kept = (span: 'd' | 'm', [a, b]: [number, number]) =>
    sql`select ${columns} from ${sql.raw(table)} r
      where r.scope = ${key} and r.dimension = ${groupBy} and r.span = ${span}
        and r.day >= ${isoDay(a)}::date and r.day < ${isoDay(b)}::date`;
  const parts: SQL[] = [...(months ? [kept('m', months)] : []), ...days.map((d) => kept('d', d))];
  // Only the days' rows of the edges' tickets ('d'): each ticket once.
  for (const [a, b] of edges)
    parts.push(sql`select ${columns} from tickets t, ${rowsOf}(t, 1) r
      where t.received_at >= ${a} and t.received_at < ${b} and r.scope = ${key} and r.dimension = ${groupBy}
        and r.span = 'd'`);
  return sql.join(parts, sql` union all `);
}

export async function slaReport(
  db: Database,
  from: Date,
  to: Date,
  groupBy: SlaGroupBy,
  scope: string | null,
): Promise<SlaGroup[]> {
  const counts = periodRows(
    from,
    to,
    scope,
    groupBy,
    'ticket_sla_daily',
    sql`r.value, r.label, r.tickets, r.resolved, r.on_time, r.breached, r.paused_minutes`,
  );
  const histogram = periodRows(
    from,
    to,
    scope,
    groupBy,
    'ticket_sla_histogram',
    sql`r.value, r.bucket, r.n, r.minutes`,
  );
  const column = { type: 'type', line: 'line', organization: 'organization_id', assignee: 'assignee_id' }[
    groupBy
  ];
  const [groups, buckets, provisional] = await Promise.all([
    db.execute<Record<string, unknown>>(sql`
      select nullif(value, '') as "group", max(label) as label, sum(tickets)::int as tickets,
             sum(resolved)::int as resolved, sum(on_time)::int as on_time, sum(breached)::int as breached,
             sum(paused_minutes)::bigint as paused_minutes
        from (${counts}) x
       group by value
      having sum(tickets) > 0
       order by 2 desc, 1`),
    db.execute<Record<string, unknown>>(sql`
      select nullif(value, '') as "group", bucket, sum(n)::int as n, sum(minutes)::float8 as minutes
        from (${histogram}) x
       group by value, bucket
      having sum(n) > 0`),
    // A provisional deadline is a state a calendar import ends, not a fact of the receipt day: counted
    // from the few such tickets through their partial index (0017), never kept in the aggregates.
    db.execute<Record<string, unknown>>(sql`
      select ${sql.raw(column)} as "group", count(*)::int as n
        from tickets
       where sla_due_provisional and received_at >= ${from} and received_at < ${to}
         ${scope ? sql`and organization_id = ${scope}` : sql``}
       group by 1`),
  ]);
  const provisionalOf = new Map<string | null, number>(
    provisional.rows.map((r) => [(r.group as string | null) ?? null, Number(r.n)]),
  );
  const histograms = new Map<string | null, HistogramBucket[]>();
  for (const r of buckets.rows) {
    const group = (r.group as string | null) ?? null;
    const list = histograms.get(group) ?? [];
    list.push({ bucket: Number(r.bucket), n: Number(r.n), minutes: Number(r.minutes) });
    histograms.set(group, list);
  }
  const hours = (m: number | null): number | null => (m === null ? null : Math.round((m / 60) * 10) / 10);
  return groups.rows.map((r) => {
    const group = (r.group as string | null) ?? null;
    const h = histograms.get(group) ?? [];
    return {
      group,
      label: (r.label as string | null) ?? null,
      tickets: Number(r.tickets),
      resolved: Number(r.resolved),
      onTime: Number(r.on_time),
      breached: Number(r.breached),
      provisional: provisionalOf.get(group) ?? 0,
      medianHours: hours(histogramPercentile(h, 0.5)),
      p90Hours: hours(histogramPercentile(h, 0.9)),
      pausedHours: hours(Number(r.paused_minutes)) ?? 0,
    };
  });
}

/** Breaches among tickets received in the period, and how many of them are still open. */
export async function breachCounts(
  db: Database,
  from: Date,
  to: Date,
  scope: string | null,
): Promise<{ total: number; open: number }> {
  // Every ticket is in exactly one line: the line grouping's sum is the period's.
  const rows = periodRows(from, to, scope, 'line', 'ticket_sla_daily', sql`r.breached, r.open_breached`);
  const [r] = (
    await db.execute<{ total: number; open: number }>(sql`
      select coalesce(sum(breached), 0)::int as total, coalesce(sum(open_breached), 0)::int as open
        from (${rows}) x`)
  ).rows;
  return { total: Number(r?.total ?? 0), open: Number(r?.open ?? 0) };
}
