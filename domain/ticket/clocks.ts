import {
  businessCalendar,
  CalendarRangeError,
  isBuiltInCalendar,
  type BusinessCalendar,
  type ProductionCalendarData,
} from '../calendar';
import type { Duration, RegulationData } from '../regulations/types';
import type { Clock, ClockTarget, Instant, TimerKind } from './types';

const MINUTE = 60_000;

export const ms = (t: Instant): number => Date.parse(t);
export const iso = (t: number): Instant => new Date(t).toISOString();

/**
 * The instant a clock records: the start of its minute. Regulations count minutes and hours, so a
 * clock started at 10:00:00.250 and paused at 20:00:00.100 has run 600 minutes, not 599.
 */
export const clockInstant = (t: Instant): Instant => iso(Math.floor(ms(t) / MINUTE) * MINUTE);

/**
 * The calendar a clock counts on: the data its ticket carries when the clock runs on that version
 * (issue #20: delivered to the workflow, never read from the database here), else a built-in version.
 * A clock stopped on a delivered version the ticket no longer carries (a later one replaced it; only
 * running clocks are rebased) is read on the carried data: the built-in versions are the same in
 * every process, so this choice is deterministic.
 */
export function clockCalendar(
  regulation: RegulationData,
  clock: Clock,
  carried?: ProductionCalendarData,
): BusinessCalendar {
  const data =
    carried && (carried.version === clock.calendarVersion || !isBuiltInCalendar(clock.calendarVersion))
      ? carried
      : clock.calendarVersion;
  return businessCalendar(regulation.workingHours, data);
}

/** Where the clock's own counting starts: its start, or the moment a new calendar reached it. */
function countFrom(clock: Clock): { from: number; used: number } {
  return clock.rebased
    ? { from: ms(clock.rebased.at), used: clock.rebased.usedMs }
    : { from: ms(clock.startedAt), used: 0 };
}

/** A regulation's duration as a clock target with the measure it is counted in. */
export function targetOf(duration: Duration): { measure: Clock['measure']; target: ClockTarget } {
  switch (duration.unit) {
    case 'calendarHours':
      return { measure: 'calendar', target: { minutes: duration.value * 60 } };
    case 'workingHours':
      return { measure: 'working', target: { minutes: duration.value * 60 } };
    case 'workingDays':
      return { measure: 'working', target: { workingDays: duration.value, mode: duration.mode } };
    case 'calendarDays':
      return { measure: 'calendar', target: { calendarDays: duration.value } };
  }
}

export interface StartOptions {
  readonly warnAt?: number | null;
  readonly remindDaysBefore?: number | null;
}

export function newClock(
  regulation: RegulationData,
  at: Instant,
  duration: Duration | null,
  measure: Clock['measure'] = 'working',
  options: StartOptions = {},
): Clock {
  const spec = duration ? targetOf(duration) : { measure, target: null };
  return {
    measure: spec.measure,
    startedAt: clockInstant(at),
    target: spec.target,
    pauses: [],
    stoppedAt: null,
    calendarVersion: businessCalendar(regulation.workingHours).version,
    ...(options.warnAt != null && { warnAt: options.warnAt }),
    ...(options.remindDaysBefore != null && { remindDaysBefore: options.remindDaysBefore }),
    fired: {},
  };
}

export const isPaused = (clock: Clock): boolean => clock.pauses.some((p) => p.to === null);
export const isRunning = (clock: Clock): boolean => clock.stoppedAt === null && !isPaused(clock);

/** Time in pauses, measured the clock's way (working ms, or wall ms for calendar clocks). */
function pausedMs(clock: Clock, cal: BusinessCalendar, until: number): number {
  let total = 0;
  const counted = countFrom(clock).from;
  for (const p of clock.pauses) {
    // Pauses before a calendar change are inside the time already counted.
    const from = Math.max(ms(p.from), counted);
    const to = Math.min(p.to === null ? until : ms(p.to), until);
    if (to <= from) continue;
    total += clock.measure === 'working' ? cal.workingMsBetween(from, to) : to - from;
  }
  return total;
}

/** Elapsed clock time at `now`, not counting pauses and not running past the stop. */
export function elapsedMs(clock: Clock, cal: BusinessCalendar, now: number): number {
  const { from: start, used } = countFrom(clock);
  const end = Math.max(start, clock.stoppedAt === null ? now : Math.min(now, ms(clock.stoppedAt)));
  const gross = clock.measure === 'working' ? cal.workingMsBetween(start, end) : end - start;
  return used + gross - pausedMs(clock, cal, end);
}

/** Instant at which `amount` of clock time will have elapsed, given the pauses so far (all closed). */
function instantAfter(clock: Clock, cal: BusinessCalendar, amount: number): number {
  const { from: start, used } = countFrom(clock);
  // A deadline passed before the calendar changed stays where the old calendar put it.
  if (clock.rebased?.dueBefore !== undefined && amount <= used) return ms(clock.rebased.dueBefore);
  const paused = pausedMs(clock, cal, Number.POSITIVE_INFINITY);
  const left = Math.max(0, amount - used) + paused;
  return clock.measure === 'working' ? cal.addWorkingMs(start, left) : start + left;
}

/**
 * The clock's deadline, or null when it has no target or is paused (the remaining time is known, the
 * instant is not). A stopped clock reports the deadline it had.
 */
export function dueAt(clock: Clock, cal: BusinessCalendar): number | null {
  const target = clock.target;
  if (!target || isPaused(clock)) return null;
  const start = ms(clock.startedAt);
  if ('minutes' in target) return instantAfter(clock, cal, target.minutes * MINUTE);
  if ('workingDays' in target) return cal.addWorkingDays(start, target.workingDays, target.mode);
  return cal.addCalendarDays(start, target.calendarDays);
}

/** Clock time from start to deadline (the target as an amount of the clock's measure). */
function targetAmount(clock: Clock, cal: BusinessCalendar, due: number): number {
  const target = clock.target!;
  if ('minutes' in target) return target.minutes * MINUTE;
  const start = ms(clock.startedAt);
  return clock.measure === 'working' ? cal.workingMsBetween(start, due) : due - start;
}

/**
 * When each not-yet-fired timer of a running clock is due. Warnings to staff are a share of the
 * target counted on the same clock, so for working clocks they fall in working time; reminders to
 * the initiator come a number of working days before expiry.
 */
export function timersOf(clock: Clock, cal: BusinessCalendar): Partial<Record<TimerKind, number>> {
  if (!isRunning(clock)) return {};
  const due = dueAt(clock, cal);
  if (due === null) return {};
  const timers: Partial<Record<TimerKind, number>> = {};
  if (!clock.fired.expiry) timers.expiry = due;
  if (clock.warnAt != null && !clock.fired.warning && !clock.fired.expiry) {
    timers.warning = instantAfter(clock, cal, Math.floor(targetAmount(clock, cal, due) * clock.warnAt));
  }
  const target = clock.target;
  if (
    clock.remindDaysBefore != null &&
    !clock.fired.reminder &&
    !clock.fired.expiry &&
    target &&
    'workingDays' in target &&
    target.workingDays > clock.remindDaysBefore
  ) {
    timers.reminder = cal.addWorkingDays(
      ms(clock.startedAt),
      target.workingDays - clock.remindDaysBefore,
      target.mode,
    );
  }
  return timers;
}

/** Remaining clock time at `now` (negative when overdue); null without a target. */
export function remainingMs(clock: Clock, cal: BusinessCalendar, now: number): number | null {
  const target = clock.target;
  if (!target) return null;
  if ('minutes' in target) return target.minutes * MINUTE - elapsedMs(clock, cal, now);
  const due = dueAt(clock, cal);
  if (due === null) return null;
  const at = clock.stoppedAt === null ? now : Math.min(now, ms(clock.stoppedAt));
  return clock.measure === 'working' ? cal.workingMsBetween(at, due) : due - at;
}

/** Target minutes so that, without further pauses, the clock expires exactly at `due`. */
export function minutesUntil(clock: Clock, cal: BusinessCalendar, due: number): number {
  const { from: start, used } = countFrom(clock);
  const gross = clock.measure === 'working' ? cal.workingMsBetween(start, due) : due - start;
  return Math.max(0, Math.round((used + gross - pausedMs(clock, cal, Number.POSITIVE_INFINITY)) / MINUTE));
}

/** Calendar range errors become "no deadline" plus a reason, so a far date never crashes a ticket. */
export function safely<T>(compute: () => T): { value: T | null; error: string | null } {
  try {
    return { value: compute(), error: null };
  } catch (e) {
    if (e instanceof CalendarRangeError) return { value: null, error: e.message };
    throw e;
  }
}
