import { BusinessCalendar } from './businessCalendar';
import { RU_PRODUCTION_CALENDAR } from './ruProductionCalendar';
import type { ProductionCalendarData, WorkingHoursSettings } from './types';

export { BusinessCalendar, CalendarRangeError, PROVISIONAL_YEARS } from './businessCalendar';
export { labourCodeYear } from './labourCode';
export { calendarDiff, type DayChange, type DayKind, type YearDiff } from './diff';
export { detectFormat, parseCalendarFile, yearTotals } from './importFormats';
export type { CalendarFileFormat, CalendarImport, CalendarImportError, YearTotals } from './importFormats';
export { RU_PRODUCTION_CALENDAR } from './ruProductionCalendar';
export { formatInZone, zoneOffsetMs } from './zone';
export type * from './types';

const PRODUCTION_CALENDARS = new Map<string, ProductionCalendarData>([
  [RU_PRODUCTION_CALENDAR.version, RU_PRODUCTION_CALENDAR],
]);

/** A version compiled into reglament (the same in every process, workflows included). */
export function isBuiltInCalendar(version: string): boolean {
  return version === RU_PRODUCTION_CALENDAR.version;
}

/**
 * Makes a loaded version known to this process (versions are immutable, so registering one twice is
 * harmless). Workflows never rely on this: a ticket carries the calendar data it uses in its state.
 */
export function registerProductionCalendar(data: ProductionCalendarData): void {
  if (!PRODUCTION_CALENDARS.has(data.version)) PRODUCTION_CALENDARS.set(data.version, data);
}

/** Production calendar data by version; a clock started on an older version keeps computing with it. */
export function productionCalendar(version: string = RU_PRODUCTION_CALENDAR.version): ProductionCalendarData {
  const data = PRODUCTION_CALENDARS.get(version);
  if (!data) throw new RangeError(`unknown production calendar version "${version}"`);
  return data;
}

const cache = new Map<string, BusinessCalendar>();

/** Calendars are immutable and costly to build (a few ms), so each configuration is built once. */
export function businessCalendar(
  settings: WorkingHoursSettings,
  version: string | ProductionCalendarData = RU_PRODUCTION_CALENDAR.version,
): BusinessCalendar {
  // Data carried by a ticket may hold only the years it needs: its first year is part of the key.
  const id = typeof version === 'string' ? version : `${version.version}@${version.firstYear}`;
  const key = `${id}|${settings.timeZone}|${settings.workdayStart}|${settings.workdayEnd}|${settings.shortenPreHolidays}`;
  let calendar = cache.get(key);
  if (!calendar) {
    calendar = new BusinessCalendar(
      settings,
      typeof version === 'string' ? productionCalendar(version) : version,
    );
    cache.set(key, calendar);
  }
  return calendar;
}

/**
 * The years of a calendar from `fromYear` on: what a ticket received in that year can need, so its
 * workflow keeps a few hundred bytes instead of every year ever loaded.
 */
export function compactCalendar(data: ProductionCalendarData, fromYear: number): ProductionCalendarData {
  const first = Math.min(Math.max(fromYear, data.firstYear), data.lastYear);
  const years: Record<number, ProductionCalendarData['years'][number]> = {};
  for (let y = first; y <= data.lastYear; y++) years[y] = data.years[y]!;
  return { id: data.id, version: data.version, firstYear: first, lastYear: data.lastYear, years };
}

/** One year of a regional calendar on top of its base's year: the region's days off win. */
export function extendYear(
  base: ProductionCalendarData['years'][number],
  regional: ProductionCalendarData['years'][number] | undefined,
): ProductionCalendarData['years'][number] {
  if (!regional) return base;
  const off = new Set([...base.holidays, ...regional.holidays]);
  return {
    holidays: [...off].sort(),
    workingWeekends: [...new Set([...base.workingWeekends, ...regional.workingWeekends])]
      .filter((d) => !off.has(d))
      .sort(),
    shortDays: [...new Set([...base.shortDays, ...regional.shortDays])].filter((d) => !off.has(d)).sort(),
  };
}

/**
 * A regional calendar on top of its base (issue #20): the region's extra days off (e.g. a republic's
 * own holidays) added to the federal calendar's years; everything else is the base's. The version
 * names both, so a new federal or regional version is a new combined version.
 */
export function extendCalendar(
  base: ProductionCalendarData,
  regional: Pick<ProductionCalendarData, 'id' | 'version' | 'years'>,
): ProductionCalendarData {
  const years: Record<number, ProductionCalendarData['years'][number]> = {};
  for (let y = base.firstYear; y <= base.lastYear; y++)
    years[y] = extendYear(base.years[y]!, regional.years[y]);
  return { ...base, id: regional.id, version: `${regional.version}+${base.version}`, years };
}
