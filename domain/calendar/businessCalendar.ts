import type { LocalDate, ProductionCalendarData, WorkingDaysMode, WorkingHoursSettings } from './types';
import { labourCodeYear } from './labourCode';
import { assertTimeZone, formatInZone, zoneOffsetMs } from './zone';

/**
 * Years past the last loaded one that are computed provisionally from the Labour Code (ст. 95, 112
 * ТК РФ), so that no deadline goes missing while next year's decree is not loaded.
 */
export const PROVISIONAL_YEARS = 5;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A date outside the production calendar's known years: an explicit error, never a guess. */
export class CalendarRangeError extends RangeError {
  readonly code = 'calendar_range';
  constructor(
    readonly instant: number,
    readonly firstYear: number,
    readonly lastYear: number,
  ) {
    const when = Number.isFinite(instant) ? new Date(instant).toISOString() : String(instant);
    super(
      `${when} is outside the production calendar (${firstYear}–${lastYear}); ` +
        `load the production calendar of that year (reglament calendar import)`,
    );
    this.name = 'CalendarRangeError';
  }
}

function parseClock(hhmm: string, what: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
    throw new RangeError(`${what} must be 'HH:MM', got "${hhmm}"`);
  }
  return minutes;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Working time of one regulation: a daily window (e.g. 09:00–18:00) in an IANA zone over the
 * production calendar. All instants are epoch milliseconds.
 *
 * Every call is O(log n): the working windows of all known days are precomputed as UTC instants
 * together with the cumulative working time before each window, so converting an instant to
 * "working time since the calendar began" and back are two binary searches. No date objects on the
 * hot path.
 */
export class BusinessCalendar {
  readonly version: string;
  readonly timeZone: string;
  readonly firstYear: number;
  /** The last year covered, provisional years included. */
  readonly lastYear: number;
  /** The last year whose data was loaded (a decree); later years are provisional. */
  readonly lastLoadedYear: number;
  /** First instant of the provisional years (local midnight of Jan 1 after the last loaded year). */
  readonly provisionalFrom: number;
  /** First instant covered (local midnight of Jan 1 of the first year). */
  readonly rangeStart: number;
  /** First instant no longer covered (local midnight of Jan 1 after the last year). */
  readonly rangeEnd: number;

  // One entry per local calendar day, plus a sentinel at the end.
  private readonly dayStart: Float64Array;
  private readonly firstDayUtc: number;
  /** Ordinal of the first working day on or after each calendar day (K when none). */
  private readonly workingOrdinalFrom: Int32Array;
  private readonly dayWorking: Uint8Array;
  private readonly dayShort: Uint8Array;
  // One entry per working day.
  private readonly ws: Float64Array;
  private readonly we: Float64Array;
  /** prefix[k] = working ms before working day k; prefix[K] = total. */
  private readonly prefix: Float64Array;
  private readonly workingDays: number;

  constructor(
    readonly settings: WorkingHoursSettings,
    data: ProductionCalendarData,
  ) {
    assertTimeZone(settings.timeZone);
    const start = parseClock(settings.workdayStart, 'workdayStart');
    const end = parseClock(settings.workdayEnd, 'workdayEnd');
    if (end - start < 120) throw new RangeError('the working window must be at least two hours long');
    this.version = data.version;
    this.timeZone = settings.timeZone;
    this.firstYear = data.firstYear;
    this.lastLoadedYear = data.lastYear;
    this.lastYear = data.lastYear + PROVISIONAL_YEARS;

    const holidays = new Set<LocalDate>();
    const workingWeekends = new Set<LocalDate>();
    const shortDays = new Set<LocalDate>();
    for (let y = data.firstYear; y <= this.lastYear; y++) {
      const year = y > data.lastYear ? labourCodeYear(y) : data.years[y];
      if (!year) throw new RangeError(`production calendar ${data.version} has no data for ${y}`);
      year.holidays.forEach((d) => holidays.add(d));
      year.workingWeekends.forEach((d) => workingWeekends.add(d));
      year.shortDays.forEach((d) => shortDays.add(d));
    }

    this.firstDayUtc = Date.UTC(data.firstYear, 0, 1);
    const days = Math.round((Date.UTC(this.lastYear + 1, 0, 1) - this.firstDayUtc) / DAY);
    this.dayStart = new Float64Array(days + 1);
    this.dayWorking = new Uint8Array(days);
    this.dayShort = new Uint8Array(days);
    const ws: number[] = [];
    const we: number[] = [];
    const offsets = this.noonOffsets(days + 1);
    for (let i = 0; i <= days; i++) {
      const wallMidnight = this.firstDayUtc + i * DAY;
      const offset = offsets[i]!;
      this.dayStart[i] = wallMidnight - offset;
      if (i === days) break;
      const date = this.localDateOfDay(i);
      const weekday = new Date(wallMidnight).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      const working = workingWeekends.has(date) || (!weekend && !holidays.has(date));
      if (!working) continue;
      const short = settings.shortenPreHolidays && shortDays.has(date);
      this.dayWorking[i] = 1;
      this.dayShort[i] = short ? 1 : 0;
      ws.push(wallMidnight + start * MINUTE - offset);
      we.push(wallMidnight + (end - (short ? 60 : 0)) * MINUTE - offset);
    }
    this.rangeStart = this.dayStart[0]!;
    this.provisionalFrom =
      this.dayStart[Math.round((Date.UTC(data.lastYear + 1, 0, 1) - this.firstDayUtc) / DAY)]!;
    this.rangeEnd = this.dayStart[days]!;
    this.workingDays = ws.length;
    this.ws = Float64Array.from(ws);
    this.we = Float64Array.from(we);
    this.prefix = new Float64Array(ws.length + 1);
    for (let k = 0; k < ws.length; k++) this.prefix[k + 1] = this.prefix[k]! + (we[k]! - ws[k]!);
    this.workingOrdinalFrom = new Int32Array(days + 1);
    this.workingOrdinalFrom[days] = ws.length;
    for (let i = days - 1, k = ws.length; i >= 0; i--) {
      if (this.dayWorking[i]) k--;
      this.workingOrdinalFrom[i] = k;
    }
  }

  // ---- public operations -------------------------------------------------------------------

  /**
   * The instant at which `minutes` of working time have elapsed after `start` (п. 3.1.1 of seed 000:
   * a deadline that passes 18:00 continues at 09:00 of the next working day). A start outside working
   * hours counts from the next working start; a deadline that uses up a day's last working minute is
   * that day's end (18:00), not 09:00 of the next working day.
   */
  addWorkingTime(start: number, minutes: number): number {
    if (!Number.isInteger(minutes) || minutes < 0) {
      throw new RangeError(`working time must be a whole, non-negative number of minutes, got ${minutes}`);
    }
    return this.addWorkingMs(start, minutes * MINUTE);
  }

  /** As addWorkingTime, with a duration in milliseconds (used by clocks that were paused mid-minute). */
  addWorkingMs(start: number, ms: number): number {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`duration must be >= 0 ms, got ${ms}`);
    if (ms === 0) return this.isWorkingInstant(start) ? start : this.atOrAfterWindowEnd(start);
    return this.instantAtCumulative(this.cumulative(start) + ms);
  }

  /** Working minutes between two instants (negative when b is before a), rounded toward zero. */
  workingTimeBetween(a: number, b: number): number {
    return Math.trunc(this.workingMsBetween(a, b) / MINUTE);
  }

  workingMsBetween(a: number, b: number): number {
    return this.cumulative(b) - this.cumulative(a);
  }

  /** Inside a working window. Windows are half-open: 09:00 is working, 18:00 is not. */
  isWorkingInstant(t: number): boolean {
    this.assertInRange(t);
    const k = this.lastWindowStartingAtOrBefore(t);
    return k >= 0 && t < this.we[k]!;
  }

  /** The instant from which working time counts: t itself when working, else the next window's start. */
  nextWorkingStart(t: number): number {
    this.assertInRange(t);
    const k = this.lastWindowStartingAtOrBefore(t);
    if (k >= 0 && t < this.we[k]!) return t;
    return this.windowStart(k + 1, t);
  }

  /**
   * N working days after t (seed 000 п. 3.5: 2 working days; seed 003: 3 and 7 working days).
   * 'sameTime': the same local time N working days later (a start outside working hours counts from
   * the end of the previous working day, so Friday 20:00 + 2 days = Tuesday 18:00; a position past the
   * end of a shortened day is clamped to its end). 'endOfDay': the end of the N-th working day after
   * the local day of t.
   */
  addWorkingDays(t: number, days: number, mode: WorkingDaysMode = 'sameTime'): number {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0`);
    this.assertInRange(t);
    if (mode === 'endOfDay') {
      if (days === 0) throw new RangeError(`the endOfDay mode needs at least one working day`);
      const j = this.workingOrdinalFrom[this.dayIndex(t) + 1]! + days - 1;
      return this.windowEnd(j, t);
    }
    // Position: the working day k whose window started strictly before t, and the offset into it.
    const k = this.lastWindowStartingBefore(t);
    if (k < 0) return days === 0 ? this.windowStart(0, t) : this.windowEnd(days - 1, t);
    const length = this.we[k]! - this.ws[k]!;
    const offset = Math.min(t - this.ws[k]!, length);
    const j = k + days;
    const end = this.windowEnd(j, t);
    return offset >= length ? end : Math.min(this.ws[j]! + offset, end);
  }

  /** The same local time N calendar days later. */
  addCalendarDays(t: number, days: number): number {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number >= 0`);
    const i = this.dayIndex(t);
    const j = i + days;
    if (j >= this.dayStart.length - 1)
      throw new CalendarRangeError(t + days * DAY, this.firstYear, this.lastYear);
    return this.dayStart[j]! + (t - this.dayStart[i]!);
  }

  /** The local calendar date of an instant in the regulation's zone. */
  localDateOf(t: number): LocalDate {
    return this.localDateOfDay(this.dayIndex(t));
  }

  /** Whether a local date is a working day, and its window (UTC instants) when it is. */
  day(date: LocalDate): {
    working: boolean;
    short: boolean;
    start: number | null;
    end: number | null;
    provisional: boolean;
  } {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    const i = m ? Math.round((Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) - this.firstDayUtc) / DAY) : NaN;
    if (!(i >= 0 && i < this.dayWorking.length) || this.localDateOfDay(i) !== date) {
      throw new CalendarRangeError(
        m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) : NaN,
        this.firstYear,
        this.lastYear,
      );
    }
    const provisional = this.isProvisional(this.dayStart[i]!);
    if (!this.dayWorking[i]) return { working: false, short: false, start: null, end: null, provisional };
    const k = this.workingOrdinalFrom[i]!;
    return {
      working: true,
      short: this.dayShort[i] === 1,
      start: this.ws[k]!,
      end: this.we[k]!,
      provisional,
    };
  }

  /** ISO 8601 in the regulation's zone, e.g. '2025-01-09T15:30:00+10:00'. */
  toLocalIso(t: number): string {
    return formatInZone(t, this.timeZone);
  }

  /** Whether an instant lies in a year computed from the Labour Code alone (no decree loaded). */
  isProvisional(t: number): boolean {
    return t >= this.provisionalFrom;
  }

  contains(t: number): boolean {
    return t >= this.rangeStart && t < this.rangeEnd;
  }

  // ---- internals ---------------------------------------------------------------------------

  private assertInRange(t: number): void {
    if (!(t >= this.rangeStart && t < this.rangeEnd)) {
      throw new CalendarRangeError(t, this.firstYear, this.lastYear);
    }
  }

  /** Working time elapsed between the calendar's start and t. */
  private cumulative(t: number): number {
    this.assertInRange(t);
    const k = this.lastWindowStartingAtOrBefore(t);
    if (k < 0) return 0;
    const into = t - this.ws[k]!;
    const length = this.we[k]! - this.ws[k]!;
    return this.prefix[k]! + (into < length ? into : length);
  }

  /** The earliest instant at which the cumulative working time reaches w (> 0): ends of days win. */
  private instantAtCumulative(w: number): number {
    const prefix = this.prefix;
    if (w > prefix[this.workingDays]!) {
      throw new CalendarRangeError(this.rangeEnd, this.firstYear, this.lastYear);
    }
    let lo = 0;
    let hi = this.workingDays - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (prefix[mid + 1]! >= w) hi = mid;
      else lo = mid + 1;
    }
    return this.ws[lo]! + (w - prefix[lo]!);
  }

  /** Index of the last working window with start <= t, or -1. */
  private lastWindowStartingAtOrBefore(t: number): number {
    const ws = this.ws;
    let lo = 0;
    let hi = this.workingDays;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ws[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** Index of the last working window with start < t, or -1. */
  private lastWindowStartingBefore(t: number): number {
    const ws = this.ws;
    let lo = 0;
    let hi = this.workingDays;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ws[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** For a non-working instant: the end of the window it follows, else the next window's start. */
  private atOrAfterWindowEnd(t: number): number {
    const k = this.lastWindowStartingAtOrBefore(t);
    if (k >= 0 && t === this.we[k]) return t;
    return this.windowStart(k + 1, t);
  }

  private windowStart(k: number, from: number): number {
    if (k >= this.workingDays) throw new CalendarRangeError(from, this.firstYear, this.lastYear);
    return this.ws[k]!;
  }

  private windowEnd(k: number, from: number): number {
    if (k >= this.workingDays) throw new CalendarRangeError(from, this.firstYear, this.lastYear);
    return this.we[k]!;
  }

  private dayIndex(t: number): number {
    this.assertInRange(t);
    const starts = this.dayStart;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The zone's UTC offset at local noon of each day (windows are assumed not to straddle a DST
   * switch). Asking Intl for every day costs ~70 ms, so offsets are sampled every 16 days and only
   * the spans whose ends differ (a DST or legislative switch) are resolved day by day.
   */
  private noonOffsets(count: number): Int32Array {
    const at = (i: number): number => {
      const noon = this.firstDayUtc + i * DAY + 12 * 3_600_000;
      return zoneOffsetMs(this.timeZone, noon - zoneOffsetMs(this.timeZone, noon));
    };
    const offsets = new Int32Array(count);
    const STEP = 16;
    let previous = at(0);
    for (let a = 0; a < count - 1; a += STEP) {
      const b = Math.min(a + STEP, count - 1);
      const next = at(b);
      for (let i = a; i < b; i++) offsets[i] = previous === next ? previous : at(i);
      offsets[b] = next;
      previous = next;
    }
    offsets[0] = at(0);
    return offsets;
  }

  private localDateOfDay(i: number): LocalDate {
    const d = new Date(this.firstDayUtc + i * DAY);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  }
}
