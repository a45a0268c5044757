/**
 * The ticket's life as pure functions: open, apply a command (refusals are logged, never thrown), and
 * advance virtual time firing every timer that falls due. The Temporal workflow and the CLI simulator
 * both run exactly this.
 */
import { isRegulationId, regulationModule, resolveRegulation } from '../regulations';
import type { RegulationRef } from '../regulations/types';
import { iso, ms } from './clocks';
import { decide } from './decide';
import { nextDeadline } from './deadlines';
import { evolve, initialState } from './evolve';
import { obsceneIn, textOf } from './intake';
import {
  SYSTEM,
  type Actor,
  type Channel,
  type Command,
  type EventDraft,
  type Intake,
  type Refusal,
  type TicketEvent,
  type TicketState,
} from './types';

export interface OpenTicketInput {
  readonly ticketId: string;
  readonly regulation: RegulationRef;
  readonly channel: Channel;
  readonly receivedAt: Instant;
  readonly intake: Intake;
  /** The type the request claims to be, if known (seed 000 п. 2.3.1.4); checked at registration. */
  readonly requestType?: string;
  readonly by?: Actor;
}

type Instant = string;

export interface Applied {
  readonly state: TicketState;
  /** New events, already numbered; a refusal is one `commandRefused` event. */
  readonly events: readonly TicketEvent[];
  readonly refusal: Refusal | null;
}

export class InvalidTicketInput extends Error {
  override readonly name = 'InvalidTicketInput';
}

/** A ticket as received (seed 000 п. 2.4: the 4-hour registration clock starts at receipt). */
export function openTicket(input: OpenTicketInput): Applied {
  if (!input || typeof input.ticketId !== 'string' || !input.ticketId)
    throw new InvalidTicketInput('ticketId is required');
  if (!isRegulationId(input.regulation?.id))
    throw new InvalidTicketInput(`unknown regulation "${input.regulation?.id}"`);
  const regulation = resolveRegulation(input.regulation);
  if (!(input.channel in regulation.channels))
    throw new InvalidTicketInput(`unknown channel "${input.channel}"`);
  if (!Number.isFinite(ms(input.receivedAt)))
    throw new InvalidTicketInput('receivedAt must be an ISO instant');
  if (!input.intake || typeof input.intake !== 'object' || !input.intake.initiator) {
    throw new InvalidTicketInput('intake with an initiator is required');
  }
  const at = iso(ms(input.receivedAt));
  const by = input.by ?? SYSTEM;
  const plan = regulationModule(input.regulation.id).open(
    regulation,
    {
      channel: input.channel,
      intake: input.intake,
      ...(input.requestType !== undefined && { requestType: input.requestType }),
    },
    at,
  );
  const drafts: EventDraft[] = [
    {
      type: 'received',
      ticketId: input.ticketId,
      regulation: input.regulation,
      channel: input.channel,
      intake: input.intake,
      requestType: plan.requestType,
      at,
      by,
      status: plan.status ?? 'received',
      line: plan.line,
      clockOps: plan.clockOps,
    },
  ];
  const words = plan.flagObsceneLanguage ? obsceneIn(textOf(input.intake)) : [];
  if (words.length) drafts.push({ type: 'obsceneLanguageFlagged', words, source: 'request', at, by: SYSTEM });
  const events = drafts.map((d, i) => ({ ...d, seq: i + 1 }) as TicketEvent);
  let state = initialState(events[0] as TicketEvent & { type: 'received' });
  for (const e of events.slice(1)) state = evolve(state, e);
  return { state, events, refusal: null };
}

/**
 * A ticket opened with the commands that come with it (a phone request registered at once), applied
 * at `at`: the API records exactly this before it answers, and the workflow starts from exactly this,
 * so the read model and the workflow agree event for event.
 */
export function openWithCommands(input: OpenTicketInput, commands: readonly Command[], at: number): Applied {
  const opened = openTicket(input);
  const when = Math.max(at, ms(opened.state.receivedAt));
  // As every command arrives (receive): the timers of earlier minutes first, then the commands.
  const steps = [advanceBefore(opened.state, when)];
  for (const command of commands) steps.push(applyCommand(steps.at(-1)!.state, command, when));
  return {
    state: steps.at(-1)!.state,
    events: [...opened.events, ...steps.flatMap((s) => s.events)],
    refusal: steps.find((s) => s.refusal)?.refusal ?? null,
  };
}

/** Numbers the drafts after the state's last event and folds them in. */
export function fold(state: TicketState, drafts: readonly EventDraft[]): Applied {
  const events: TicketEvent[] = [];
  let next = state;
  for (const draft of drafts) {
    const e = { ...draft, seq: next.seq + 1 } as TicketEvent;
    next = evolve(next, e);
    events.push(e);
  }
  return { state: next, events, refusal: null };
}

/** Decide and fold; a refusal becomes a `commandRefused` event in the log. */
export function applyCommand(state: TicketState, command: Command, now: number): Applied {
  const decision = decide(state, command, now);
  if (decision.ok) return fold(state, decision.events);
  const by = command && typeof command === 'object' && command.by ? command.by : SYSTEM;
  const type = command && typeof command === 'object' ? String(command.type) : 'unknown';
  const refused = fold(state, [
    { type: 'commandRefused', command: type, refusal: decision.refusal, at: iso(now), by },
  ]);
  return { ...refused, refusal: decision.refusal };
}

/** Fires, in order, every timer due at or before `until`, each at its own instant. */
export function advanceTo(state: TicketState, until: number): Applied {
  return advance(state, (at) => at <= until);
}

const MINUTE = 60_000;
const minuteOf = (t: number): number => Math.floor(t / MINUTE) * MINUTE;

/**
 * Fires every timer due before the minute of `instant`. The regulations count time in minutes, so a
 * deadline's minute belongs to it: a command arriving in that minute is in time and is applied
 * before the deadline's timer (seed 000 п. 3.5: a reply at the deadline is «в течение 2 рабочих
 * дней»). Shells fire a timer only once its minute is over (`wakeAt`), commands first.
 */
export function advanceBefore(state: TicketState, instant: number): Applied {
  const minute = minuteOf(instant);
  return advance(state, (at) => at < minute);
}

/** When a shell should next look at the ticket's timers: the end of the next deadline's minute. */
export function wakeAt(state: TicketState): number | null {
  const next = nextDeadline(state);
  return next ? minuteOf(next.at) + MINUTE : null;
}

/**
 * A command arriving at `now`, the way every shell applies one: the timers of earlier minutes fire
 * first, then the command; the timers of its own minute fire after it (at the next `advanceBefore`
 * or `advanceTo`).
 */
export function receive(state: TicketState, command: Command, now: number): Applied {
  const before = advanceBefore(state, now);
  const applied = applyCommand(before.state, command, now);
  return { state: applied.state, events: [...before.events, ...applied.events], refusal: applied.refusal };
}

function advance(state: TicketState, due: (at: number) => boolean): Applied {
  const events: TicketEvent[] = [];
  let current = state;
  for (let guard = 0; ; guard++) {
    const next = nextDeadline(current);
    if (!next || !due(next.at)) break;
    if (guard > 1000)
      throw new Error(`ticket ${state.id}: timers do not settle (clock ${next.command.clock})`);
    // A deadline moved into the past (e.g. by reclassification) fires now, not back in time.
    const applied = applyCommand(current, next.command, Math.max(next.at, ms(current.updatedAt)));
    current = applied.state;
    events.push(...applied.events);
  }
  return { state: current, events, refusal: null };
}
