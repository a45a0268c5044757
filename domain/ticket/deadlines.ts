import { regulationModule, resolveRegulation } from '../regulations';
import { clockCalendar, dueAt, elapsedMs, isPaused, iso, remainingMs, safely, timersOf } from './clocks';
import {
  SYSTEM,
  type ClockName,
  type Instant,
  type TicketState,
  type TimerCommand,
  type TimerKind,
} from './types';

export interface NextDeadline {
  /** Epoch ms at which the shell should deliver `command`. */
  readonly at: number;
  readonly command: TimerCommand;
}

// At the same instant a reminder or warning goes out before the expiry it announces.
const ORDER: Record<TimerKind, number> = { reminder: 0, warning: 1, expiry: 2 };

/** Every armed timer of every running clock, earliest first (ties broken deterministically). */
export function pendingTimers(state: TicketState): NextDeadline[] {
  if (state.archived) return [];
  const regulation = resolveRegulation(state.regulation);
  const result: NextDeadline[] = [];
  for (const [name, clock] of Object.entries(state.clocks)) {
    const { value: timers } = safely(() => timersOf(clock, clockCalendar(regulation, clock, state.calendar)));
    for (const [timer, at] of Object.entries(timers ?? {}) as [TimerKind, number][]) {
      result.push({ at, command: { type: 'timer', by: SYSTEM, clock: name, timer, dueAt: iso(at) } });
    }
  }
  return result.sort(
    (a, b) =>
      a.at - b.at ||
      ORDER[a.command.timer] - ORDER[b.command.timer] ||
      a.command.clock.localeCompare(b.command.clock),
  );
}

/** The one timer the shell should arm now, or null when no clock is running toward a deadline. */
export function nextDeadline(state: TicketState): NextDeadline | null {
  return pendingTimers(state)[0] ?? null;
}

export interface ClockView {
  readonly name: ClockName;
  readonly measure: 'calendar' | 'working';
  readonly startedAt: Instant;
  readonly state: 'running' | 'paused' | 'stopped';
  readonly target: string | null;
  readonly dueAt: Instant | null;
  readonly warningAt: Instant | null;
  readonly remainingMinutes: number | null;
  readonly elapsedMinutes: number;
  readonly pausedMinutes: number;
  readonly breached: boolean;
  readonly pauses: TicketState['clocks'][string]['pauses'];
  readonly calendarVersion: string;
  /**
   * The deadline falls in a year whose production calendar is not loaded: computed from the Labour
   * Code alone (ст. 95, 112 ТК РФ), shown as «предварительный срок» until the decree is loaded.
   */
  readonly provisional: boolean;
  /** Why no deadline can be computed (a date beyond the production calendar). */
  readonly problem: string | null;
}

const minutes = (ms: number): number => Math.trunc(ms / 60_000);

function describeTarget(target: TicketState['clocks'][string]['target'], measure: string): string | null {
  if (!target) return null;
  if ('minutes' in target)
    return `${target.minutes / 60} ${measure === 'working' ? 'working' : 'calendar'} h`;
  if ('workingDays' in target)
    return `${target.workingDays} working days${target.mode === 'endOfDay' ? ' (end of day)' : ''}`;
  return `${target.calendarDays} calendar days`;
}

/** Clocks as people read them: deadline, remaining working time, paused time, breach. */
export function clockViews(state: TicketState, now: number): ClockView[] {
  const regulation = resolveRegulation(state.regulation);
  return Object.entries(state.clocks).map(([name, clock]) => {
    const cal = clockCalendar(regulation, clock, state.calendar);
    const due = safely(() => dueAt(clock, cal));
    const timers = safely(() => timersOf(clock, cal));
    const elapsed = safely(() => elapsedMs(clock, cal, now)).value ?? 0;
    const gross =
      safely(() => {
        const start = Date.parse(clock.startedAt);
        const end = clock.stoppedAt ? Math.min(now, Date.parse(clock.stoppedAt)) : now;
        return Math.max(0, clock.measure === 'working' ? cal.workingMsBetween(start, end) : end - start);
      }).value ?? 0;
    const remaining = safely(() => remainingMs(clock, cal, now)).value;
    const dueValue = due.value;
    return {
      name,
      measure: clock.measure,
      startedAt: clock.startedAt,
      state: clock.stoppedAt ? 'stopped' : isPaused(clock) ? 'paused' : 'running',
      target: describeTarget(clock.target, clock.measure),
      dueAt: dueValue === null ? null : iso(dueValue),
      warningAt: timers.value?.warning !== undefined ? iso(timers.value.warning) : null,
      remainingMinutes: remaining === null ? null : minutes(remaining),
      elapsedMinutes: minutes(elapsed),
      pausedMinutes: minutes(gross - elapsed),
      // A reminder to staff that went out is no breach.
      breached:
        !name.startsWith('remind:') &&
        (!!clock.fired.expiry ||
          (dueValue !== null && dueValue < (clock.stoppedAt ? Date.parse(clock.stoppedAt) : now))),
      pauses: clock.pauses,
      calendarVersion: clock.calendarVersion,
      provisional: dueValue !== null && cal.isProvisional(dueValue),
      problem: due.error ?? timers.error,
    };
  });
}

/** The deadline of each named clock (null when it has none, is paused or never started). */
export function deadlines(state: TicketState): Record<string, Instant | null> {
  const regulation = resolveRegulation(state.regulation);
  const shown = regulationModule(state.regulation.id).shownClocks ?? ['resolution'];
  const out: Record<string, Instant | null> = Object.fromEntries(shown.map((name) => [name, null]));
  for (const [name, clock] of Object.entries(state.clocks)) {
    const due = safely(() => dueAt(clock, clockCalendar(regulation, clock, state.calendar))).value;
    out[name] = due === null ? null : iso(due);
  }
  return out;
}

/** Names of the clocks whose deadline is provisional (a year without a loaded production calendar). */
export function provisionalDeadlines(state: TicketState): string[] {
  const regulation = resolveRegulation(state.regulation);
  const out: string[] = [];
  for (const [name, clock] of Object.entries(state.clocks)) {
    const cal = clockCalendar(regulation, clock, state.calendar);
    const due = safely(() => dueAt(clock, cal)).value;
    if (due !== null && cal.isProvisional(due)) out.push(name);
  }
  return out;
}
