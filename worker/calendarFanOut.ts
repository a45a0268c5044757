/**
 * A loaded calendar version reaches every open ticket (issue #20): the read model lists the open
 * tickets (Temporal's visibility list is not needed), and each workflow gets the `calendar` signal
 * with only the years it can need. Idempotent: the command id is the version, so a repeated fan-out
 * (after a crash, or run twice) changes nothing.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { compactCalendar, type ProductionCalendarData } from '../domain';
import type { Database } from '../db/client';
import { effectiveCalendar, FEDERAL_CALENDAR, regionalCalendars } from '../db/repositories/calendars';
import { tickets } from '../db/schema';
import { WorkflowMissingError, type TicketGateway } from '../workflows/client';

export interface FanOutResult {
  readonly delivered: number;
  /** Open in the read model without a workflow (the reconciler's business). */
  readonly missing: readonly string[];
  readonly failed: readonly { id: string; error: string }[];
}

export interface FanOutOptions {
  readonly decree?: string | null;
  /** Signals in flight at once. */
  readonly concurrency?: number;
  /** Rows read per page. */
  readonly pageSize?: number;
  /**
   * Regional calendars by id (built on this version with extendCalendar): a ticket whose regulation
   * names one (settings.calendar) gets it; every other ticket gets the federal version.
   */
  readonly regional?: Readonly<Record<string, ProductionCalendarData>>;
  /** Only the tickets counting on these calendars ('ru' also stands for a ticket naming none). */
  readonly only?: readonly string[];
}

/** The calendar a ticket's regulation settings name; none is the federal one. */
const ticketCalendar = sql<string>`coalesce(${tickets.state} -> 'regulation' -> 'settings' ->> 'calendar', ${FEDERAL_CALENDAR})`;

/**
 * A newly loaded version of `calendar` reaches the tickets that count on it (issue #20): a federal
 * version every open ticket, a regional ticket with its region's days on top; a regional version only
 * that region's tickets, on top of the current federal calendar.
 */
export async function deliverCalendarVersion(
  db: Database,
  gateway: TicketGateway,
  calendar: string,
  options: Pick<FanOutOptions, 'concurrency' | 'pageSize'> = {},
): Promise<FanOutResult> {
  const { data, decree } = await effectiveCalendar(db, calendar);
  if (calendar !== FEDERAL_CALENDAR)
    return deliverCalendar(db, gateway, data, { ...options, decree, only: [calendar] });
  const regional: Record<string, ProductionCalendarData> = {};
  for (const id of await regionalCalendars(db)) regional[id] = (await effectiveCalendar(db, id)).data;
  return deliverCalendar(db, gateway, data, { ...options, decree, regional });
}

export async function deliverCalendar(
  db: Database,
  gateway: TicketGateway,
  calendar: ProductionCalendarData,
  options: FanOutOptions = {},
): Promise<FanOutResult> {
  const concurrency = options.concurrency ?? 32;
  const pageSize = options.pageSize ?? 1_000;
  const missing: string[] = [];
  const failed: { id: string; error: string }[] = [];
  let delivered = 0;
  let after = '';
  const compact = new Map<string, ProductionCalendarData>();
  for (;;) {
    const page = await db
      .select({
        id: tickets.id,
        receivedAt: tickets.receivedAt,
        calendar: ticketCalendar,
      })
      .from(tickets)
      .where(
        and(
          eq(tickets.archived, false),
          gt(tickets.id, after),
          options.only ? inArray(ticketCalendar, [...options.only]) : undefined,
        ),
      )
      .orderBy(asc(tickets.id))
      .limit(pageSize);
    if (!page.length) break;
    after = page[page.length - 1]!.id;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < page.length) {
        const row = page[next++]!;
        const year = row.receivedAt.getUTCFullYear();
        const own = (row.calendar && options.regional?.[row.calendar]) || calendar;
        const key = `${own.version}|${year}`;
        let data = compact.get(key);
        if (!data) compact.set(key, (data = compactCalendar(own, year)));
        try {
          await gateway.send(row.id, {
            type: 'calendar',
            by: { kind: 'system', name: 'reglament' },
            calendar: data,
            decree: options.decree ?? null,
            commandId: `calendar:${own.version}`,
          });
          delivered++;
        } catch (e) {
          if (e instanceof WorkflowMissingError) missing.push(row.id);
          else failed.push({ id: row.id, error: (e as Error).message });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, page.length) }, worker));
  }
  return { delivered, missing, failed };
}
