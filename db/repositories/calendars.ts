/**
 * Production calendar versions in PostgreSQL (issue #20): each import makes a new immutable version
 * holding every year of the calendar (the current one's plus the file's); a dry run returns what the
 * file would change without storing anything.
 */
import { desc, eq } from 'drizzle-orm';
import {
  calendarDiff,
  labourCodeYear,
  yearTotals,
  type CalendarImport,
  type CalendarImportError,
  type ProductionCalendarData,
  type ProductionCalendarYear,
  type YearDiff,
  type YearTotals,
} from '../../domain';
import type { Database } from '../client';
import { calendarVersions } from '../schema';

export type CalendarVersionRow = typeof calendarVersions.$inferSelect;

/** A file that cannot be loaded: every reason, each naming its line. */
export class InvalidCalendarImport extends Error {
  constructor(readonly errors: readonly CalendarImportError[]) {
    super(errors.map((e) => (e.line !== null ? `строка ${e.line}: ${e.message}` : e.message)).join('\n'));
    this.name = 'InvalidCalendarImport';
  }
}

export function calendarData(row: CalendarVersionRow): ProductionCalendarData {
  return {
    id: row.calendar,
    version: row.id,
    firstYear: row.firstYear,
    lastYear: row.lastYear,
    years: row.years as Record<number, ProductionCalendarYear>,
  };
}

export async function listCalendarVersions(db: Database): Promise<Omit<CalendarVersionRow, 'years'>[]> {
  return db
    .select({
      id: calendarVersions.id,
      calendar: calendarVersions.calendar,
      extends: calendarVersions.extends,
      seq: calendarVersions.seq,
      firstYear: calendarVersions.firstYear,
      lastYear: calendarVersions.lastYear,
      decree: calendarVersions.decree,
      origin: calendarVersions.origin,
      loadedBy: calendarVersions.loadedBy,
      loadedAt: calendarVersions.loadedAt,
    })
    .from(calendarVersions)
    .orderBy(calendarVersions.calendar, calendarVersions.seq);
}

/** The newest version of a calendar, or null before any was loaded. */
export async function currentCalendarVersion(
  db: Database,
  calendar = 'ru',
): Promise<CalendarVersionRow | null> {
  const [row] = await db
    .select()
    .from(calendarVersions)
    .where(eq(calendarVersions.calendar, calendar))
    .orderBy(desc(calendarVersions.seq))
    .limit(1);
  return row ?? null;
}

export async function calendarVersionById(db: Database, id: string): Promise<CalendarVersionRow | null> {
  const [row] = await db.select().from(calendarVersions).where(eq(calendarVersions.id, id));
  return row ?? null;
}

export interface CalendarImportRequest {
  readonly calendar?: string;
  /** A regional calendar's base (its extra days off on top of the federal calendar). */
  readonly extends?: string | null;
  readonly parsed: CalendarImport;
  /** The decree: number and date, e.g. «№ 1187 от 17.09.2027». */
  readonly decree?: string | null;
  readonly origin?: string | null;
  readonly loadedBy: string;
  readonly dryRun?: boolean;
}

export interface CalendarImportResult {
  readonly diff: readonly YearDiff[];
  readonly totals: readonly YearTotals[];
  /** The stored version; null for a dry run. */
  readonly version: Omit<CalendarVersionRow, 'years'> | null;
}

/** Checks a parsed file against the current version and stores it as the next one (unless a dry run). */
export async function importCalendar(
  db: Database,
  req: CalendarImportRequest,
): Promise<CalendarImportResult> {
  const calendar = req.calendar ?? 'ru';
  if (req.parsed.errors.length) throw new InvalidCalendarImport(req.parsed.errors);
  const current = await currentCalendarVersion(db, calendar);
  const base = current ? calendarData(current) : null;
  const years: Record<number, ProductionCalendarYear> = { ...(base?.years ?? {}), ...req.parsed.years };
  const numbers = Object.keys(years).map(Number);
  const firstYear = Math.min(...numbers);
  const lastYear = Math.max(...numbers);
  for (let y = firstYear; y <= lastYear; y++) {
    if (!years[y]) {
      throw new InvalidCalendarImport([
        {
          line: null,
          message: `Календарь не может пропускать год: нет данных за ${y} (между ${firstYear} и ${lastYear}).`,
        },
      ]);
    }
  }
  const diff = calendarDiff(base, req.parsed.years, labourCodeYear);
  const totals = Object.keys(req.parsed.years)
    .map(Number)
    .map((y) => yearTotals(y, req.parsed.years[y]!));
  if (base && diff.every((d) => !d.added && d.changes.length === 0)) {
    throw new InvalidCalendarImport([
      { line: null, message: `Файл ничего не меняет в текущей версии ${base.version}.` },
    ]);
  }
  if (req.dryRun) return { diff, totals, version: null };
  const seq = (current?.seq ?? 0) + 1;
  const row = {
    id: `${calendar}-${firstYear}-${lastYear}.${seq}`,
    calendar,
    extends: req.extends ?? current?.extends ?? null,
    seq,
    firstYear,
    lastYear,
    years,
    decree: req.decree ?? null,
    origin: req.origin ?? null,
    loadedBy: req.loadedBy,
  };
  // The unique (calendar, seq) index makes a concurrent import fail rather than fork the history.
  const [stored] = await db.insert(calendarVersions).values(row).returning();
  const { years: _years, ...summary } = stored!;
  void _years;
  return { diff, totals, version: summary };
}

/** Whether the given calendar has next year loaded (the admin's warning from 1 October). */
export async function hasYear(db: Database, year: number, calendar = 'ru'): Promise<boolean> {
  const row = await currentCalendarVersion(db, calendar);
  return !!row && row.firstYear <= year && row.lastYear >= year;
}
