/** Building blocks shared by the regulations' deciders. */
import type { Regulation } from '../regulations/types';
import { newClock, iso } from './clocks';
import { COMMAND_LABELS, statusLabel } from './labels';
import type {
  Actor,
  ClockOp,
  CommandType,
  Decision,
  EventBody,
  EventDraft,
  Instant,
  TicketState,
} from './types';

export interface Ctx<R extends Regulation = Regulation> {
  readonly state: TicketState;
  readonly regulation: R;
  readonly now: number;
  readonly at: Instant;
}

export function context<R extends Regulation>(state: TicketState, regulation: R, now: number): Ctx<R> {
  return { state, regulation, now, at: iso(now) };
}

export const accept = (...events: EventDraft[]): Decision => ({ ok: true, events });
export const nothing: Decision = { ok: true, events: [] };

export function refuse(code: string, message: string, detail: string): Decision {
  return { ok: false, refusal: { code, message, detail } };
}

type Extras = Pick<EventDraft, 'status' | 'statusReason' | 'line' | 'clockOps'>;

export function event(c: Ctx, by: Actor, body: EventBody, extras: Extras = {}): EventDraft {
  return { ...body, at: c.at, by, ...extras };
}

export function wrongStatus(c: Ctx, command: CommandType, allowed: readonly string[]): Decision {
  const current = statusLabel(c.regulation, c.state.status);
  const where = allowed.map((s) => `«${statusLabel(c.regulation, s)}»`).join(', ');
  return refuse(
    'invalid_status',
    `Действие «${COMMAND_LABELS[command]}» недоступно в статусе «${current}»` +
      (allowed.length ? `; допустимо в статусах: ${where}.` : '.'),
    `${command} is not allowed in status ${c.state.status}` +
      (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''),
  );
}

export function notInRegulation(c: Ctx, command: CommandType): Decision {
  return refuse(
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

export function isTerminal(c: Ctx, status: string = c.state.status): boolean {
  return c.regulation.statuses[status]?.terminal === true;
}
