import { regulationModule, resolveRegulation } from '../regulations';
import {
  businessCalendar,
  compactCalendar,
  productionCalendar,
  type ProductionCalendarYear,
} from '../calendar';
import { clockCalendar, clockInstant, dueAt, elapsedMs, iso, newClock, safely, timersOf } from './clocks';
import {
  accept,
  context,
  event,
  followUpStart,
  isRunningClock,
  isTerminal,
  notInRegulation,
  nothing,
  refusal,
  refuse,
  refused,
  stopIfRunning,
  systemEvent,
  type Ctx,
} from './decision';
import { COMMAND_LABELS } from './labels';
import type { RegulationModule } from './module';
import { actorRefusal } from './permissions';
import { organizationInFields } from './rules';
import {
  OPERATOR_COMMANDS,
  type Actor,
  type CalendarCommand,
  type Clock,
  type ClockOp,
  type Command,
  type Decision,
  type EventDraft,
  type OperatorCommandType,
  type Refusal,
  type TicketState,
  type TimerCommand,
} from './types';

/** Reminders to staff while an initiator's message waits for the operator (seed 000 п. 3.2). */
export const ANSWER_REMINDERS = ['remind:answer', 'remind:answer:manager'] as const;

/**
 * The single entry point of the ticket's rules: what happens when `command` arrives at `now` (epoch
 * ms). Returns the events to record, or a refusal with a reason a person understands. Never throws
 * for bad input; timer commands that are no longer due produce no events.
 */
export function decide(state: TicketState, command: Command, now: number): Decision {
  const module = regulationModule(state.regulation.id);
  const c = context(state, resolveRegulation(state.regulation), now);
  if (!command || typeof command !== 'object' || typeof command.type !== 'string') {
    return refuse('invalid_command', 'Неизвестное действие.', 'command must be an object with a type');
  }
  if (command.type === 'timer') return decideTimer(c, module, command);
  if (command.type === 'calendar') return decideCalendar(c, command);
  if (!OPERATOR_COMMANDS.includes(command.type)) {
    return refuse(
      'invalid_command',
      `Неизвестное действие «${String(command.type)}».`,
      `unknown command ${String(command.type)}`,
    );
  }
  if (
    !command.by ||
    typeof command.by !== 'object' ||
    !['operator', 'initiator', 'system'].includes(command.by.kind)
  ) {
    return refuse(
      'invalid_command',
      'Не указано, кто выполняет действие.',
      'command.by.kind must be operator, initiator or system',
    );
  }
  const pre = preconditionRefusal(c, module, command.type, command.by);
  if (pre) return refused(pre);
  const foreign = organizationInFields(c, command);
  if (foreign) return foreign;
  const rule = module.commands[command.type]!;
  const decision = (rule.run as (c: Ctx, command: Command) => Decision)(c, command);
  return decision.ok && decision.events.length ? withEngineRules(c, command.by, decision.events) : decision;
}

/**
 * Whether `command` is possible for `by` on this state, whatever its arguments: not archived, part
 * of the regulation, allowed to this kind of actor, role and line, and the command's own
 * preconditions. `availableActions` is exactly this.
 */
export function preconditionRefusal(
  c: Ctx,
  module: RegulationModule,
  type: OperatorCommandType,
  by: Actor,
): Refusal | null {
  const rule = module.commands[type];
  if (!rule) return notInRegulation(c, type);
  if (c.state.archived) {
    return refusal(
      'archived',
      `Заявка ${c.state.id} закрыта и перенесена в архив; действие «${COMMAND_LABELS[type]}» невозможно.`,
      'ticket is archived',
    );
  }
  if (by.kind === 'initiator' && !rule.initiator) {
    return refusal(
      'forbidden',
      'Инициатор может только писать сообщения по заявке.',
      `initiators cannot ${type}`,
    );
  }
  const forbidden = actorRefusal(c.regulation, type, by, { line: c.state.line, ownLine: !!rule.ownLine });
  if (forbidden) return forbidden;
  for (const guard of rule.when ?? []) {
    const refusal = guard(c, by);
    if (refusal) return refusal;
  }
  return null;
}

/** Adds clock operations to the first event that matches. */
function addOps(events: EventDraft[], index: number, ops: readonly ClockOp[]): void {
  if (index < 0 || !ops.length) return;
  const e = events[index]!;
  events[index] = { ...e, clockOps: [...(e.clockOps ?? []), ...ops] };
}

/**
 * Rules of every regulation that follow from what happened, whatever the command: an initiator's
 * message that waits for the operator starts the reminders to staff, and an operator acting stops
 * them (seed 000 п. 3.2: the clock never freezes silently); in the dialogue after an outcome each
 * message starts the follow-up period again (seed 000 п. 3.3, 3.4: «любое количество раз»).
 */
function withEngineRules(c: Ctx, by: Actor, drafts: readonly EventDraft[]): Decision {
  const events = [...drafts];
  const s = c.state;
  const r = c.regulation;
  if (by.kind === 'operator') addOps(events, 0, stopIfRunning(s, ...ANSWER_REMINDERS));
  const message = events.findIndex((e) => e.type === 'messageReceived' && e.by.kind === 'initiator');
  // Before registration the registration deadline watches the request already.
  if (message >= 0 && r.operatorReminders && !isRunningClock(s, 'registration')) {
    const start = (name: string, after: typeof r.operatorReminders.assignee): ClockOp[] =>
      isRunningClock(s, name) ? [] : [{ op: 'start', name, clock: newClock(r, c.at, after) }];
    addOps(events, message, [
      ...start('remind:answer', r.operatorReminders.assignee),
      ...start('remind:answer:manager', r.operatorReminders.manager),
    ]);
  }
  if (r.followUpFromLastMessage && isTerminal(c) && isRunningClock(s, 'followUp')) {
    const dialogue = events.findIndex(
      (e) =>
        (e.type === 'messageReceived' && e.by.kind === 'initiator') ||
        (e.type === 'commented' && e.visibility === 'public'),
    );
    addOps(events, dialogue, [followUpStart(c)]);
  }
  return accept(...events);
}

function decideTimer(c: Ctx, module: RegulationModule, cmd: TimerCommand): Decision {
  const clock = c.state.clocks[cmd.clock];
  if (!clock) return nothing;
  const { value: timers } = safely(() =>
    timersOf(clock, clockCalendar(c.regulation, clock, c.state.calendar)),
  );
  const at = timers?.[cmd.timer];
  // Stale: the clock was paused, stopped or retargeted after the timer was armed.
  if (at === undefined || at > c.now) return nothing;
  if (cmd.timer === 'reminder') {
    return accept(
      systemEvent(
        c,
        { type: 'initiatorReminded', clock: cmd.clock, dueAt: iso(timers!.expiry ?? at) },
        { clockOps: [{ op: 'fire', name: cmd.clock, timer: 'reminder' }] },
      ),
    );
  }
  const expiry = timers!.expiry;
  if (cmd.timer === 'warning' && (expiry === undefined || expiry > c.now)) {
    return accept(
      systemEvent(
        c,
        { type: 'deadlineWarning', clock: cmd.clock, dueAt: iso(expiry ?? at) },
        { clockOps: [{ op: 'fire', name: cmd.clock, timer: 'warning' }] },
      ),
    );
  }
  // Expiry (or a warning that came too late to be useful: the breach is reported instead).
  const outcome = module.expiries?.[cmd.clock]?.(c);
  if (outcome?.ok && outcome.events.length) return outcome;
  const fired: ClockOp = { op: 'fire', name: cmd.clock, timer: 'expiry' };
  if (cmd.clock === 'followUp') {
    return accept(
      systemEvent(c, { type: 'archived' }, { clockOps: [fired, { op: 'stop', name: 'followUp' }] }),
    );
  }
  if (cmd.clock.startsWith('remind:')) {
    // A reminder to staff has done its work when it is sent; it is no breach.
    return accept(
      systemEvent(
        c,
        { type: 'staffReminded', clock: cmd.clock, dueAt: iso(expiry ?? at) },
        { clockOps: [fired, { op: 'stop', name: cmd.clock }] },
      ),
    );
  }
  return accept(
    event(
      c,
      { kind: 'system', name: 'reglament' },
      { type: 'deadlineBreached', clock: cmd.clock, dueAt: iso(expiry ?? at) },
      {
        clockOps: [
          fired,
          ...(clock.warnAt != null && !clock.fired.warning
            ? [{ op: 'fire' as const, name: cmd.clock, timer: 'warning' as const }]
            : []),
        ],
      },
    ),
  );
}

/** The same days, whatever the order of keys and dates (stored JSON comes back reordered). */
function sameYear(a: ProductionCalendarYear | undefined, b: ProductionCalendarYear): boolean {
  if (!a) return false;
  const key = (y: ProductionCalendarYear): string =>
    [y.holidays, y.workingWeekends, y.shortDays].map((list) => [...list].sort().join(',')).join('|');
  return key(a) === key(b);
}

/**
 * A new production calendar version reaches the ticket (issue #20): each running or paused clock
 * keeps the time it has used as counted and counts the rest on the new version; the event names the
 * years that changed and the clocks whose deadline moved («Срок пересчитан: …»).
 */
function decideCalendar(c: Ctx, cmd: CalendarCommand): Decision {
  const data = cmd.calendar;
  if (
    !data ||
    typeof data.version !== 'string' ||
    !(data.firstYear <= data.lastYear) ||
    typeof data.years !== 'object' ||
    !data.years[data.lastYear]
  ) {
    return refuse('invalid_arguments', 'Некорректные данные производственного календаря.', 'bad calendar');
  }
  if (cmd.by?.kind !== 'system') {
    return refuse('forbidden', 'Календарь обновляет только система.', 'calendar comes from the system');
  }
  const s = c.state;
  const before = s.calendar ?? productionCalendar();
  if (s.archived || data.version === before.version) return nothing;
  const next = compactCalendar(data, new Date(s.receivedAt).getUTCFullYear());
  const years: number[] = [];
  for (let y = next.firstYear; y <= next.lastYear; y++) {
    if (!sameYear(before.years[y], next.years[y]!)) years.push(y);
  }
  const at = Date.parse(clockInstant(iso(c.now)));
  const ops: ClockOp[] = [];
  const moved: string[] = [];
  const nextCal = businessCalendar(c.regulation.workingHours, next);
  for (const [name, clock] of Object.entries(s.clocks)) {
    if (clock.stoppedAt !== null || clock.calendarVersion === next.version) continue;
    const cal = clockCalendar(c.regulation, clock, s.calendar);
    const carries = clock.measure === 'working' && !!clock.target && 'minutes' in clock.target;
    const usedMs = carries ? safely(() => elapsedMs(clock, cal, at)).value : null;
    const was = safely(() => dueAt(clock, cal)).value;
    // A deadline already passed is a fact of the old calendar: the new one cannot count back to it.
    const overdue =
      usedMs !== null &&
      was !== null &&
      'minutes' in clock.target! &&
      usedMs >= clock.target.minutes * 60_000;
    const dueBefore = overdue ? iso(was) : undefined;
    const rebased: Clock = {
      ...clock,
      calendarVersion: next.version,
      ...(usedMs !== null && { rebased: { at: iso(at), usedMs, ...(dueBefore && { dueBefore }) } }),
    };
    ops.push({
      op: 'rebase',
      name,
      calendarVersion: next.version,
      ...(usedMs !== null && { usedMs }),
      ...(dueBefore && { dueBefore }),
    });
    const now = safely(() => dueAt(rebased, nextCal)).value;
    if (was !== now) moved.push(name);
  }
  const named = `производственный календарь ${years.join(', ') || next.lastYear}${cmd.decree ? ` (постановление ${cmd.decree})` : ''}`;
  const note = moved.length ? `Срок пересчитан: ${named}` : `Загружен ${named}; сроки не изменились`;
  return accept(
    systemEvent(
      c,
      { type: 'calendarChanged', calendar: next, years, decree: cmd.decree ?? null, clocks: moved, note },
      { clockOps: ops },
    ),
  );
}
