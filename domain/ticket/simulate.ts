/**
 * A scenario run with a virtual clock: before each step every timer due by then fires at its own
 * instant, exactly as the workflow's timers would. Used by `reglament simulate` and by tests.
 */
import { notificationsFor, recipientsOf, type RoleMailboxes } from '../notifications';
import { calendarOf, resolveRegulation } from '../regulations';
import type { ProductionCalendarData } from '../calendar/types';
import type { RegulationData, RegulationRef } from '../regulations/types';
import { deadlines } from './deadlines';
import { decide } from './decide';
import type { ScenarioRun, SimulatedMail } from './expectations';
import { statusLabel } from './labels';
import { advanceBefore, applyCommand, openTicket, wakeAt, type OpenTicketInput } from './runtime';
import {
  SYSTEM,
  type Actor,
  type Command,
  type OperatorCommandType,
  type TicketEvent,
  type TicketState,
} from './types';

export type ScenarioStep =
  | {
      readonly at: string;
      readonly command: OperatorCommandType;
      readonly args?: Record<string, unknown>;
      readonly by?: Actor;
    }
  | {
      readonly at: string;
      /**
       * Issue #20: a production calendar version loaded mid-scenario, delivered to the ticket as the
       * fan-out delivers it (the system's `calendar` signal).
       */
      readonly command: 'calendar';
      readonly calendar: ProductionCalendarData;
      readonly decree?: string | null;
    };

/** The system's command a calendar step delivers (the same in both engines). */
export function calendarCommandOf(step: Extract<ScenarioStep, { command: 'calendar' }>): Command {
  return { type: 'calendar', by: SYSTEM, calendar: step.calendar, decree: step.decree ?? null };
}

export interface Scenario {
  readonly regulation: RegulationRef;
  readonly ticket: Omit<OpenTicketInput, 'regulation' | 'ticketId'> & { readonly id?: string };
  readonly steps: readonly ScenarioStep[];
  readonly until?: string;
}

export interface TimelineEntry {
  readonly at: string;
  /** The event's number in the ticket's log; null for an operator's command the rules refused (not recorded). */
  readonly seq: number | null;
  readonly event: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly by: string;
  readonly [detail: string]: unknown;
}

export interface SimulationResult extends ScenarioRun {
  readonly ticket: string;
  readonly regulation: string;
  readonly type: string;
  readonly statusLabel: string;
  readonly line: string;
  readonly timeline: readonly TimelineEntry[];
  readonly deadlines: Record<string, string | null>;
  readonly state: TicketState;
}

/** The staff mailboxes a simulation addresses (a run has no configuration of its own). */
export const SIMULATION_MAILBOXES: RoleMailboxes = {
  managers: ['managers@desk.invalid'],
  regional: ['regional@desk.invalid'],
  federal: ['federal@desk.invalid'],
};

/**
 * How a step reaches the ticket, as in the running desk: the initiator's by mail (a signal: a refused
 * one is recorded in the log), everyone else's through the API (an Update: a refused one is answered,
 * not recorded).
 */
export const arrivesByMail = (by: Actor): boolean => by.kind === 'initiator';

/** The end of an instant's minute: a deadline in that minute has then passed (the minute rule). */
export const endOfMinute = (t: number): number => Math.floor(t / 60_000) * 60_000 + 60_000;

const OPERATOR: Actor = { kind: 'operator', id: 'operator', name: 'Оператор' };
const INITIATOR: Actor = { kind: 'initiator', name: 'Инициатор' };

/** The parts of an event a tester wants to see in one line. */
function details(e: TicketEvent, local: (iso: string) => string): Record<string, unknown> {
  switch (e.type) {
    case 'commandRefused':
      return { command: e.command, refusal: e.refusal.code, message: e.refusal.message };
    case 'rejected':
    case 'closed':
      return { reason: e.reason };
    case 'deadlineWarning':
    case 'deadlineBreached':
    case 'initiatorReminded':
    case 'staffReminded':
      return { clock: e.clock, dueAt: local(e.dueAt) };
    case 'registered':
    case 'reclassified':
      return { type: e.type === 'registered' ? e.requestType : e.to };
    case 'assigned':
      return { assignee: e.assignee?.name };
    case 'escalated':
      return { line: e.toLine };
    case 'claimRegistered':
    case 'claimResolved':
      return { claim: e.claimId };
    case 'inquiryReceived':
      return { inquiry: e.inquiryId, ...(e.service && { service: e.service }) };
    case 'forwarded':
      return e.faqCheck ? { faqCheck: e.faqCheck } : {};
    case 'deadlineSet':
      return { minutes: e.minutes };
    case 'obsceneLanguageFlagged':
      return { words: e.words };
    case 'calendarChanged':
      return { clocks: e.clocks, note: e.note };
    default:
      return {};
  }
}

/**
 * Runs a scenario the way the ticket's workflow runs it: between steps the ticket waits, waking at the
 * end of each deadline's minute to fire what has passed; a step's command comes with the timers of
 * earlier minutes fired first. Each batch of events sends its mail with the state after the batch.
 */
export function simulate(scenario: Scenario): SimulationResult {
  const regulation = resolveRegulation(scenario.regulation);
  const cal = calendarOf(regulation);
  const local = (iso: string): string => cal.toLocalIso(Date.parse(iso));
  const opened = openTicket({
    ...scenario.ticket,
    ticketId: scenario.ticket.id ?? 'ID1',
    regulation: scenario.regulation,
  });
  let state = opened.state;
  let status = state.status;
  const timeline: TimelineEntry[] = [];
  const mail: SimulatedMail[] = [];
  const run = (applied: { state: TicketState; events: readonly TicketEvent[] }): void => {
    state = applied.state;
    for (const e of applied.events) {
      status = e.status ?? status;
      timeline.push(entryOf(e, status, regulation, local));
      for (const m of notificationsFor(e, applied.state)) {
        const to = recipientsOf(m, SIMULATION_MAILBOXES);
        if (to.length) mail.push({ at: local(e.at), template: m.template, to, subject: m.subject });
      }
    }
  };
  const idleUntil = (t: number): void => {
    for (let w = wakeAt(state); w !== null && w <= t; w = wakeAt(state)) run(advanceBefore(state, w));
  };
  run(opened);
  for (const step of scenario.steps) {
    const at = Date.parse(step.at);
    if (step.command === 'calendar') {
      // A signal, as the fan-out sends it: applied in its turn, after the timers of earlier minutes.
      idleUntil(at);
      run(advanceBefore(state, at));
      run(applyCommand(state, calendarCommandOf(step), at));
      continue;
    }
    const by = step.by ?? (step.command === 'reply' ? INITIATOR : OPERATOR);
    const command = { ...step.args, type: step.command, by } as Command;
    idleUntil(at);
    if (!arrivesByMail(by)) {
      const decision = decide(advanceBefore(state, at).state, command, at);
      if (!decision.ok) {
        timeline.push({
          at: local(new Date(at).toISOString()),
          seq: null,
          event: 'commandRefused',
          status,
          statusLabel: statusLabel(regulation, status),
          by: by.kind,
          command: step.command,
          refusal: decision.refusal.code,
          message: decision.refusal.message,
        });
        continue;
      }
    }
    // Timers of earlier minutes fire first; a command at a deadline's minute comes before it (п. 3.5).
    run(advanceBefore(state, at));
    run(applyCommand(state, command, at));
  }
  if (scenario.until) idleUntil(endOfMinute(Date.parse(scenario.until)));
  return {
    ticket: state.id,
    regulation: regulation.id,
    type: state.type,
    status: state.status,
    statusLabel: statusLabel(regulation, state.status),
    reason: state.statusReason,
    line: state.line,
    timeline,
    deadlines: localDeadlines(state, local),
    mail,
    state,
  };
}

/** A timeline line: the event, the status after it, and what a tester wants to see of it. */
export function entryOf(
  e: TicketEvent,
  status: string,
  regulation: RegulationData,
  local: (iso: string) => string,
): TimelineEntry {
  return {
    at: local(e.at),
    seq: e.seq,
    event: e.type,
    status,
    statusLabel: statusLabel(regulation, status),
    by: e.by.kind,
    ...details(e, local),
  };
}

/** Every clock's deadline in the regulation's zone. */
export function localDeadlines(
  state: TicketState,
  local: (iso: string) => string,
): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(deadlines(state)).map(([k, v]) => [k, v === null ? null : local(v)]),
  );
}

/** A ticket's log as a timeline: each event with the status right after it. */
export function timelineOf(
  events: readonly TicketEvent[],
  regulation: RegulationData,
  local: (iso: string) => string,
): TimelineEntry[] {
  let status = 'received';
  return events.map((e) => {
    status = e.status ?? status;
    return entryOf(e, status, regulation, local);
  });
}
