/** Building blocks of every regulation's commands: the context, events, refusals, common checks. */
import type { RegulationData } from '../regulations/types';
import { iso, newClock } from './clocks';
import { COMMAND_LABELS, statusLabel } from './labels';
import type { Guard } from './module';
import type {
  Actor,
  ClockOp,
  CommandType,
  Decision,
  EventBody,
  EventDraft,
  Instant,
  Refusal,
  TicketState,
} from './types';
import { SYSTEM } from './types';

export interface Ctx<R extends RegulationData = RegulationData> {
  readonly state: TicketState;
  readonly regulation: R;
  readonly now: number;
  readonly at: Instant;
}

export function context<R extends RegulationData>(state: TicketState, regulation: R, now: number): Ctx<R> {
  return { state, regulation, now, at: iso(now) };
}

export const accept = (...events: EventDraft[]): Decision => ({ ok: true, events });
export const nothing: Decision = { ok: true, events: [] };

export function refusal(code: string, message: string, detail: string): Refusal {
  return { code, message, detail };
}

export function refuse(code: string, message: string, detail: string): Decision {
  return { ok: false, refusal: refusal(code, message, detail) };
}

export const refused = (r: Refusal): Decision => ({ ok: false, refusal: r });

type Extras = Pick<EventDraft, 'status' | 'statusReason' | 'line' | 'clockOps'>;

export function event(c: Ctx, by: Actor, body: EventBody, extras: Extras = {}): EventDraft {
  return { ...body, at: c.at, by, ...extras };
}

/** An event the rules cause on their own (timers, automatic answers). */
export const systemEvent = (c: Ctx, body: EventBody, extras: Extras = {}): EventDraft =>
  event(c, SYSTEM, body, extras);

export function wrongStatusRefusal(c: Ctx, command: CommandType, allowed: readonly string[]): Refusal {
  const current = statusLabel(c.regulation, c.state.status);
  const where = allowed.map((s) => `«${statusLabel(c.regulation, s)}»`).join(', ');
  return refusal(
    'invalid_status',
    `Действие «${COMMAND_LABELS[command]}» недоступно в статусе «${current}»` +
      (allowed.length ? `; допустимо в статусах: ${where}.` : '.'),
    `${command} is not allowed in status ${c.state.status}` +
      (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''),
  );
}

export const wrongStatus = (c: Ctx, command: CommandType, allowed: readonly string[]): Decision =>
  refused(wrongStatusRefusal(c, command, allowed));

/** Precondition: the ticket is in one of these statuses. */
export function inStatus(command: CommandType, ...statuses: string[]): Guard {
  return (c) => (statuses.includes(c.state.status) ? null : wrongStatusRefusal(c, command, statuses));
}

/** Precondition: the ticket is not in an outcome status. */
export function notTerminal(command: CommandType): Guard {
  return (c) =>
    isTerminal(c)
      ? wrongStatusRefusal(
          c,
          command,
          Object.keys(c.regulation.statuses).filter((s) => !isTerminal(c, s)),
        )
      : null;
}

export function notInRegulation(c: Ctx, command: CommandType): Refusal {
  return refusal(
    'not_in_regulation',
    `Действие «${COMMAND_LABELS[command]}» не предусмотрено регламентом «${c.regulation.title}».`,
    `${command} is not part of regulation ${c.regulation.id}`,
  );
}

/** A required free-text argument; signals may carry anything, so nothing here trusts its input. */
export function missingText(value: unknown, name: string, label: string): Decision | null {
  if (typeof value === 'string' && value.trim()) return null;
  return refuse('invalid_arguments', `Укажите ${label}.`, `${name} must be a non-empty string`);
}

export function isPerson(value: unknown): value is { id: string; name: string; email?: string } {
  const p = value as { id?: unknown; name?: unknown } | null;
  return !!p && typeof p.id === 'string' && !!p.id && typeof p.name === 'string' && !!p.name;
}

export const badAssignee = (): Decision =>
  refuse('invalid_arguments', 'Укажите исполнителя (id и имя).', 'assignee must have id and name');

export const isOpenClaim = (state: TicketState): boolean => state.claims.some((c) => c.resolvedAt === null);

/**
 * Clock changes of an outcome: every running clock stops (claims keep their own), and the follow-up
 * period starts in which the initiator may still write (seed 000 п. 3.3, 3.4). While a claim is open
 * the ticket is not archived; the follow-up starts when the last claim is resolved.
 */
export function outcomeOps(c: Ctx, state: TicketState = c.state): ClockOp[] {
  const ops: ClockOp[] = Object.entries(state.clocks)
    .filter(([name, clock]) => clock.stoppedAt === null && !name.startsWith('claim:'))
    .map(([name]) => ({ op: 'stop', name }));
  if (!isOpenClaim(state)) ops.push(followUpStart(c));
  return ops;
}

export function followUpStart(c: Ctx): ClockOp {
  return { op: 'start', name: 'followUp', clock: newClock(c.regulation, c.at, c.regulation.followUp) };
}

export function stopIfRunning(state: TicketState, ...names: string[]): ClockOp[] {
  return names
    .filter((n) => state.clocks[n] && state.clocks[n]!.stoppedAt === null)
    .map((name) => ({ op: 'stop', name }));
}

export const isRunningClock = (state: TicketState, name: string): boolean =>
  !!state.clocks[name] && state.clocks[name]!.stoppedAt === null;

export function isTerminal(c: Ctx, status: string = c.state.status): boolean {
  return c.regulation.statuses[status]?.terminal === true;
}
