/**
 * Production calendar versions in PostgreSQL (issue #20): each import makes a new immutable version
 * holding every year of the calendar (the current one's plus the file's); a dry run returns what the
 * file would change without storing anything.
 */
import { desc, eq, isNotNull } from 'drizzle-orm';
import {
  calendarDiff,
  extendCalendar,
  extendYear,
  labourCodeYear,
  RU_PRODUCTION_CALENDAR,
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

/** The federal production calendar: every other calendar is regional and extends it. */
export const FEDERAL_CALENDAR = 'ru';
/** A calendar's ID: Latin letters, digits and «-», e.g. `ru-tatarstan`. */
export const CALENDAR_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

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

const refuse = (message: string): InvalidCalendarImport =>
  new InvalidCalendarImport([{ line: null, message }]);

/**
 * The base a regional calendar extends (issue #20): the federal one. A calendar's base never changes
 * (its tickets were counted on it), and only the federal calendar stands alone.
 */
function baseOf(
  calendar: string,
  given: string | null | undefined,
  current: CalendarVersionRow | null,
): string | null {
  if (!CALENDAR_ID.test(calendar) || calendar.length > 64)
    throw refuse(
      `«${calendar.slice(0, 64)}» — не код календаря: латинские буквы, цифры и «-», например ru-tatarstan.`,
    );
  if (calendar === FEDERAL_CALENDAR) {
    if (given) throw refuse('Федеральный календарь «ru» ничего не дополняет: уберите «extends».');
    return null;
  }
  const base = given ?? current?.extends ?? FEDERAL_CALENDAR;
  if (base !== FEDERAL_CALENDAR)
    throw refuse(
      `Региональный календарь «${calendar}» дополняет федеральный «ru», а не «${base.slice(0, 64)}».`,
    );
  return base;
}

/** The current data of the federal calendar: the newest loaded version, or the built-in one. */
async function federalData(db: Database): Promise<{ data: ProductionCalendarData; decree: string | null }> {
  const row = await currentCalendarVersion(db, FEDERAL_CALENDAR);
  return row
    ? { data: calendarData(row), decree: row.decree }
    : { data: RU_PRODUCTION_CALENDAR, decree: null };
}

/** Checks a parsed file against the current version and stores it as the next one (unless a dry run). */
export async function importCalendar(
  db: Database,
  req: CalendarImportRequest,
): Promise<CalendarImportResult> {
  const calendar = req.calendar ?? FEDERAL_CALENDAR;
  if (req.parsed.errors.length) throw new InvalidCalendarImport(req.parsed.errors);
  const current = await currentCalendarVersion(db, calendar);
  const extendsId = baseOf(calendar, req.extends, current);
  // A regional file is compared as the desk counts its tickets: its days on top of the federal ones.
  const federal = extendsId ? (await federalData(db)).data : null;
  // Its days count only in years the federal calendar has loaded (extendCalendar): say so, not ignore them.
  const outside = federal
    ? Object.keys(req.parsed.years)
        .map(Number)
        .filter((y) => y < federal.firstYear || y > federal.lastYear)
    : [];
  if (outside.length)
    throw refuse(
      `Федеральный календарь «ru» загружен за ${federal!.firstYear}–${federal!.lastYear}: сначала загрузите его на ${outside.join(', ')}, затем региональный.`,
    );
  const base = current ? calendarData(current) : null;
  const years: Record<number, ProductionCalendarYear> = { ...(base?.years ?? {}), ...req.parsed.years };
  const numbers = Object.keys(years).map(Number);
  const firstYear = Math.min(...numbers);
  const lastYear = Math.max(...numbers);
  for (let y = firstYear; y <= lastYear; y++) {
    if (!years[y]) {
      throw refuse(
        `Календарь не может пропускать год: нет данных за ${y} (между ${firstYear} и ${lastYear}).`,
      );
    }
  }
  const asCounted = (
    y: number,
    own: ProductionCalendarYear | undefined,
  ): ProductionCalendarYear | undefined =>
    federal ? extendYear(federal.years[y] ?? labourCodeYear(y), own) : own;
  const shown = (
    source: Readonly<Record<number, ProductionCalendarYear>>,
  ): Record<number, ProductionCalendarYear> =>
    Object.fromEntries(
      Object.keys(req.parsed.years).map((y) => [y, asCounted(Number(y), source[Number(y)])!]),
    );
  const before: ProductionCalendarData | null =
    base && federal
      ? {
          ...base,
          years: Object.fromEntries(
            Object.keys(base.years).map((y) => [y, asCounted(Number(y), base.years[Number(y)])!]),
          ),
        }
      : base;
  const after = shown(req.parsed.years);
  const diff = calendarDiff(before, after, (y) => asCounted(y, undefined) ?? labourCodeYear(y));
  const totals = Object.keys(after)
    .map(Number)
    .map((y) => yearTotals(y, after[y]!));
  if (base && diff.every((d) => !d.added && d.changes.length === 0)) {
    throw refuse(`Файл ничего не меняет в текущей версии ${base.version}.`);
  }
  if (req.dryRun) return { diff, totals, version: null };
  const seq = (current?.seq ?? 0) + 1;
  const row = {
    id: `${calendar}-${firstYear}-${lastYear}.${seq}`,
    calendar,
    extends: extendsId,
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

/** Whether a calendar can be named by a regulation or an organisation: the federal one or one loaded. */
export async function calendarExists(db: Database, calendar: string): Promise<boolean> {
  return calendar === FEDERAL_CALENDAR || (await currentCalendarVersion(db, calendar)) !== null;
}

/** The regional calendars on file (those that extend another). */
export async function regionalCalendars(db: Database): Promise<string[]> {
  const rows = await db
    .selectDistinct({ calendar: calendarVersions.calendar })
    .from(calendarVersions)
    .where(isNotNull(calendarVersions.extends))
    .orderBy(calendarVersions.calendar);
  return rows.map((r) => r.calendar);
}

/**
 * The calendar a ticket counts on (issue #20): the federal calendar's current version, or a regional
 * one's current days on top of it (extendCalendar). A regional calendar not loaded yet counts as the
 * federal one. The decree is the newest version's that made this combination.
 */
export async function effectiveCalendar(
  db: Database,
  calendar: string = FEDERAL_CALENDAR,
): Promise<{ data: ProductionCalendarData; decree: string | null }> {
  const federal = await federalData(db);
  if (calendar === FEDERAL_CALENDAR) return federal;
  const row = await currentCalendarVersion(db, calendar);
  if (!row) return federal;
  return { data: extendCalendar(federal.data, calendarData(row)), decree: row.decree };
}

/** Whether the given calendar has next year loaded (the admin's warning from 1 October). */
export async function hasYear(db: Database, year: number, calendar = 'ru'): Promise<boolean> {
  const row = await currentCalendarVersion(db, calendar);
  return !!row && row.firstYear <= year && row.lastYear >= year;
}
