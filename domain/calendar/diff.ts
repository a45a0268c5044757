/** What a new calendar version changes, day by day, shown to the admin before it is accepted. */
import type { LocalDate, ProductionCalendarData, ProductionCalendarYear } from './types';

export type DayKind = 'рабочий' | 'сокращённый' | 'выходной';

export interface DayChange {
  readonly date: LocalDate;
  readonly before: DayKind | null;
  readonly after: DayKind;
}

export interface YearDiff {
  readonly year: number;
  /** The year was not loaded before (provisional, by the Labour Code). */
  readonly added: boolean;
  readonly changes: readonly DayChange[];
}

const DAY = 86_400_000;

function kinds(year: number, data: ProductionCalendarYear): Map<LocalDate, DayKind> {
  const holidays = new Set(data.holidays);
  const working = new Set(data.workingWeekends);
  const short = new Set(data.shortDays);
  const out = new Map<LocalDate, DayKind>();
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    const date = new Date(t).toISOString().slice(0, 10);
    const wd = new Date(t).getUTCDay();
    const isWorking = working.has(date) || (wd !== 0 && wd !== 6 && !holidays.has(date));
    out.set(date, !isWorking ? 'выходной' : short.has(date) ? 'сокращённый' : 'рабочий');
  }
  return out;
}

/**
 * Imported years against the current version; a year the current version lacks is compared with
 * what the desk computes provisionally for it (`provisional`, from the Labour Code).
 */
export function calendarDiff(
  current: ProductionCalendarData | null,
  imported: Readonly<Record<number, ProductionCalendarYear>>,
  provisional: (year: number) => ProductionCalendarYear,
): YearDiff[] {
  return Object.keys(imported)
    .map(Number)
    .sort((a, b) => a - b)
    .map((year) => {
      const loaded = current?.years[year];
      const before = kinds(year, loaded ?? provisional(year));
      const after = kinds(year, imported[year]!);
      const changes: DayChange[] = [];
      for (const [date, kind] of after) {
        const was = before.get(date) ?? null;
        if (was !== kind) changes.push({ date, before: was, after: kind });
      }
      return { year, added: !loaded, changes };
    });
}
