/**
 * The obvious implementation: step minute by minute and ask, for each minute, whether it is working
 * time. It shares no code with domain/calendar (local time comes from luxon, day rules straight from
 * the production calendar data), so it serves as the benchmark's baseline and as the tests' oracle.
 * Starts are expected on whole minutes.
 */
import { DateTime } from 'luxon';
import type { ProductionCalendarData, WorkingHoursSettings } from '../domain/calendar/types';

const MINUTE = 60_000;
const HOUR = 3_600_000;

export class NaiveCalendar {
  private readonly holidays = new Set<string>();
  private readonly workingWeekends = new Set<string>();
  private readonly shortDays = new Set<string>();
  private readonly start: number;
  private readonly end: number;
  private offsetHour = NaN;
  private offset = 0;

  constructor(
    private readonly settings: WorkingHoursSettings,
    private readonly data: ProductionCalendarData,
  ) {
    for (const year of Object.values(data.years)) {
      year.holidays.forEach((d) => this.holidays.add(d));
      year.workingWeekends.forEach((d) => this.workingWeekends.add(d));
      year.shortDays.forEach((d) => this.shortDays.add(d));
    }
    const [sh, sm] = settings.workdayStart.split(':').map(Number);
    const [eh, em] = settings.workdayEnd.split(':').map(Number);
    this.start = sh! * 60 + sm!;
    this.end = eh! * 60 + em!;
  }

  /** Whether the minute starting at t is working time. */
  isWorkingMinute(t: number): boolean {
    const hour = Math.floor(t / HOUR);
    if (hour !== this.offsetHour) {
      this.offsetHour = hour;
      this.offset = DateTime.fromMillis(hour * HOUR, { zone: this.settings.timeZone }).offset * MINUTE;
    }
    const local = new Date(t + this.offset);
    const year = local.getUTCFullYear();
    if (year < this.data.firstYear || year > this.data.lastYear) throw new RangeError('outside the calendar');
    const date = local.toISOString().slice(0, 10);
    const weekday = local.getUTCDay();
    const working =
      this.workingWeekends.has(date) || (weekday !== 0 && weekday !== 6 && !this.holidays.has(date));
    if (!working) return false;
    const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
    const end = this.settings.shortenPreHolidays && this.shortDays.has(date) ? this.end - 60 : this.end;
    return minute >= this.start && minute < end;
  }

  addWorkingTime(start: number, minutes: number): number {
    let t = start;
    let left = minutes;
    if (left === 0) {
      while (!this.isWorkingMinute(t)) t += MINUTE;
      return t;
    }
    while (left > 0) {
      if (this.isWorkingMinute(t)) left--;
      t += MINUTE;
    }
    return t;
  }

  workingTimeBetween(a: number, b: number): number {
    let count = 0;
    for (let t = a; t < b; t += MINUTE) if (this.isWorkingMinute(t)) count++;
    return count;
  }
}
