/**
 * A scenario run with a virtual clock: before each step every timer due by then fires at its own
 * instant, exactly as the workflow's timers would. Used by `reglament simulate` and by tests.
 */
import { calendarOf, resolveRegulation } from '../regulations';
import type { RegulationRef } from '../regulations/types';
import { deadlines } from './deadlines';
import { statusLabel } from './labels';
import { advanceTo, openTicket, receive, type OpenTicketInput } from './runtime';
import type { Actor, Command, OperatorCommandType, TicketEvent, TicketState } from './types';

export interface ScenarioStep {
  readonly at: string;
  readonly command: OperatorCommandType;
  readonly args?: Record<string, unknown>;
  readonly by?: Actor;
}

export interface Scenario {
  readonly regulation: RegulationRef;
  readonly ticket: Omit<OpenTicketInput, 'regulation' | 'ticketId'> & { readonly id?: string };
  readonly steps: readonly ScenarioStep[];
  readonly until?: string;
}

export interface TimelineEntry {
  readonly at: string;
  readonly seq: number;
  readonly event: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly by: string;
  readonly [detail: string]: unknown;
}

export interface SimulationResult {
  readonly ticket: string;
  readonly regulation: string;
  readonly type: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly reason: string | null;
  readonly line: string;
  readonly timeline: readonly TimelineEntry[];
  readonly deadlines: Record<string, string | null>;
  readonly state: TicketState;
}

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
    default:
      return {};
  }
}

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
  const events: TicketEvent[] = [...opened.events];
  const run = (applied: { state: TicketState; events: readonly TicketEvent[] }): void => {
    state = applied.state;
    events.push(...applied.events);
  };
  for (const step of scenario.steps) {
    const at = Date.parse(step.at);
    const by = step.by ?? (step.command === 'reply' ? INITIATOR : OPERATOR);
    // Timers of earlier minutes fire first; a command at a deadline's minute comes before it (п. 3.5).
    run(receive(state, { ...step.args, type: step.command, by } as Command, at));
  }
  if (scenario.until) run(advanceTo(state, Date.parse(scenario.until)));
  return {
    ticket: state.id,
    regulation: regulation.id,
    type: state.type,
    status: state.status,
    statusLabel: statusLabel(regulation, state.status),
    reason: state.statusReason,
    line: state.line,
    timeline: events.map((e) => ({
      at: local(e.at),
      seq: e.seq,
      event: e.type,
      status: statusAfter(events, e.seq),
      statusLabel: statusLabel(regulation, statusAfter(events, e.seq)),
      by: e.by.kind,
      ...details(e, local),
    })),
    deadlines: Object.fromEntries(
      Object.entries(deadlines(state)).map(([k, v]) => [k, v === null ? null : local(v)]),
    ),
    state,
  };
}

/** The status right after event `seq` (events carry the status only when they change it). */
function statusAfter(events: readonly TicketEvent[], seq: number): string {
  let status = events[0]?.status ?? 'received';
  for (const e of events) {
    if (e.seq > seq) break;
    if (e.status !== undefined) status = e.status;
  }
  return status;
}
