import { regulationModule, resolveRegulation } from '../regulations';
import { clockViews, deadlines, nextDeadline, provisionalDeadlines, type ClockView } from './deadlines';
import { lineLabel, statusLabel, typeLabel } from './labels';
import type { Attention } from './module';
import type { TicketEvent, TicketState } from './types';

/** Everything an operator or a manager needs to see about a ticket at `now`. */
export interface TicketView {
  readonly id: string;
  readonly regulation: TicketState['regulation'];
  readonly type: string;
  readonly typeLabel: string;
  readonly channel: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly statusReason: string | null;
  readonly statusReasonLabel: string | null;
  readonly line: string;
  readonly lineLabel: string;
  readonly assignee: TicketState['assignee'];
  readonly intake: TicketState['intake'];
  readonly receivedAt: string;
  readonly registeredAt: string | null;
  readonly outcomeAt: string | null;
  readonly resolution: string | null;
  readonly awaitingOperator: boolean;
  /** What needs an operator's attention, with its Russian label («получен ответ инициатора»). */
  readonly attention: readonly Attention[];
  readonly obsceneWords: readonly string[];
  readonly agency: string | null;
  readonly claims: TicketState['claims'];
  readonly inquiries: TicketState['inquiries'];
  readonly archived: boolean;
  readonly clocks: readonly ClockView[];
  readonly deadlines: Record<string, string | null>;
  /** Clocks whose deadline is «предварительный срок» (no production calendar loaded for its year). */
  readonly provisionalDeadlines: readonly string[];
  readonly nextDeadline: { readonly at: string; readonly clock: string; readonly timer: string } | null;
  readonly seq: number;
  readonly updatedAt: string;
  readonly log: readonly TicketEvent[];
}

function reasonLabel(state: TicketState): string | null {
  const code = state.statusReason;
  if (!code) return null;
  const label = regulationModule(state.regulation.id).reasonLabel;
  return label?.(resolveRegulation(state.regulation), code) ?? code;
}

/** «получен ответ инициатора» and the regulation's own flags (seed 000 п. 3.1.3: no deadline set). */
export const AWAITING_OPERATOR: Attention = {
  code: 'awaiting_operator',
  label: 'получен ответ инициатора',
};

export function attentionOf(state: TicketState): Attention[] {
  const own = regulationModule(state.regulation.id).attention;
  return [
    ...(state.awaitingOperator && !state.archived ? [AWAITING_OPERATOR] : []),
    ...(own && !state.archived ? own(resolveRegulation(state.regulation), state) : []),
  ];
}

export function ticketView(state: TicketState, log: readonly TicketEvent[], now: number): TicketView {
  const regulation = resolveRegulation(state.regulation);
  const next = nextDeadline(state);
  return {
    id: state.id,
    regulation: state.regulation,
    type: state.type,
    typeLabel: typeLabel(regulation, state.type),
    channel: state.channel,
    status: state.status,
    statusLabel: statusLabel(regulation, state.status),
    statusReason: state.statusReason,
    statusReasonLabel: reasonLabel(state),
    line: state.line,
    lineLabel: lineLabel(regulation, state.line),
    assignee: state.assignee,
    intake: state.intake,
    receivedAt: state.receivedAt,
    registeredAt: state.registeredAt,
    outcomeAt: state.outcomeAt,
    resolution: state.resolution,
    awaitingOperator: state.awaitingOperator,
    attention: attentionOf(state),
    obsceneWords: state.obsceneWords,
    agency: state.agency,
    claims: state.claims,
    inquiries: state.inquiries,
    archived: state.archived,
    clocks: clockViews(state, now),
    deadlines: deadlines(state),
    provisionalDeadlines: provisionalDeadlines(state),
    nextDeadline: next && {
      at: new Date(next.at).toISOString(),
      clock: next.command.clock,
      timer: next.command.timer,
    },
    seq: state.seq,
    updatedAt: state.updatedAt,
    log,
  };
}

/** What managers filter on in Temporal UI (the workflow's custom search attributes). */
export interface TicketIndex {
  readonly type: string;
  readonly status: string;
  readonly line: string;
  readonly organization: string | null;
  readonly regulation: string;
  /** The running resolution clock's deadline. */
  readonly slaDueAt: string | null;
  readonly slaBreached: boolean;
}

export function ticketIndex(state: TicketState): TicketIndex {
  const resolution = state.clocks.resolution;
  return {
    type: state.type,
    status: state.status,
    line: state.line,
    organization: state.intake.initiator.organization || null,
    regulation: state.regulation.id,
    slaDueAt: resolution && resolution.stoppedAt === null ? (deadlines(state).resolution ?? null) : null,
    slaBreached: !!resolution?.fired.expiry,
  };
}
