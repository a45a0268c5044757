import { resolveRegulation } from '../regulations';
import { clockInstant } from './clocks';
import { mergeIntake } from './intake';
import type { Clock, ClockOp, Instant, TicketEvent, TicketState } from './types';

function applyClockOp(
  clocks: Record<string, Clock>,
  op: ClockOp,
  eventAt: Instant,
  calendarVersion: string | undefined,
): void {
  const at = clockInstant(eventAt);
  if (op.op === 'start') {
    // A ticket that received a newer calendar starts its clocks on it (issue #20).
    clocks[op.name] = calendarVersion ? { ...op.clock, calendarVersion } : op.clock;
    return;
  }
  const clock = clocks[op.name];
  if (!clock) return;
  switch (op.op) {
    case 'pause':
      if (clock.stoppedAt === null && !clock.pauses.some((p) => p.to === null)) {
        clocks[op.name] = { ...clock, pauses: [...clock.pauses, { from: at, to: null }] };
      }
      return;
    case 'resume':
      clocks[op.name] = { ...clock, pauses: clock.pauses.map((p) => (p.to === null ? { ...p, to: at } : p)) };
      return;
    case 'stop':
      if (clock.stoppedAt === null) {
        clocks[op.name] = {
          ...clock,
          stoppedAt: at,
          pauses: clock.pauses.map((p) => (p.to === null ? { ...p, to: at } : p)),
        };
      }
      return;
    case 'retarget':
      clocks[op.name] = { ...clock, target: op.target };
      return;
    case 'fire':
      clocks[op.name] = { ...clock, fired: { ...clock.fired, [op.timer]: at } };
      return;
    case 'rebase':
      clocks[op.name] = {
        ...clock,
        calendarVersion: op.calendarVersion,
        ...(op.usedMs !== undefined && {
          rebased: { at, usedMs: op.usedMs, ...(op.dueBefore !== undefined && { dueBefore: op.dueBefore }) },
        }),
      };
      return;
  }
}

/** The state of a ticket right after it was received. */
export function initialState(event: TicketEvent & { type: 'received' }): TicketState {
  const base: TicketState = {
    id: event.ticketId,
    regulation: event.regulation,
    type: event.requestType,
    channel: event.channel,
    status: 'received',
    statusReason: null,
    resumeStatus: null,
    line: '',
    assignee: null,
    intake: event.intake,
    receivedAt: event.at,
    registeredAt: null,
    outcomeAt: null,
    resolution: null,
    clocks: {},
    obsceneWords: [],
    awaitingOperator: false,
    agency: null,
    faqArticleId: null,
    claims: [],
    inquiries: [],
    archived: false,
    seq: 0,
    updatedAt: event.at,
  };
  return evolve(base, event);
}

/** Folds one event into the state. Pure; the status and clock changes come with the event. */
export function evolve(state: TicketState, event: TicketEvent): TicketState {
  const regulation = resolveRegulation(state.regulation);
  const clocks: Record<string, Clock> = { ...state.clocks };
  const calendar = event.type === 'calendarChanged' ? event.calendar : state.calendar;
  for (const op of event.clockOps ?? []) applyClockOp(clocks, op, event.at, calendar?.version);

  let next: TicketState = {
    ...state,
    clocks,
    seq: event.seq,
    updatedAt: event.at,
    ...(calendar && { calendar }),
  };
  if (event.status !== undefined && event.status !== state.status) {
    const pausing = event.type === 'infoRequested' || event.type === 'agencyAsked';
    next = {
      ...next,
      status: event.status,
      resumeStatus: pausing ? state.status : null,
      outcomeAt: regulation.statuses[event.status]?.terminal ? event.at : next.outcomeAt,
    };
  }
  if (event.statusReason !== undefined) next = { ...next, statusReason: event.statusReason };
  if (event.line !== undefined) next = { ...next, line: event.line };
  if (event.by.kind === 'operator') next = { ...next, awaitingOperator: false };

  switch (event.type) {
    case 'registered':
      return {
        ...next,
        type: event.requestType,
        registeredAt: event.at,
        intake: mergeIntake(next.intake, event.fields),
      };
    case 'assigned':
      return { ...next, assignee: event.assignee };
    case 'escalated':
      return { ...next, assignee: event.assignee };
    case 'messageReceived':
      return {
        ...next,
        intake: mergeIntake(next.intake, { ...event.fields, attachments: event.attachments }),
        awaitingOperator: true,
      };
    case 'forwarded':
      return { ...next, intake: mergeIntake(next.intake, event.fields) };
    case 'organizationChanged':
      return {
        ...next,
        intake: {
          ...next.intake,
          initiator: {
            ...next.intake.initiator,
            organizationId: event.to,
            ...(event.organization && { organization: event.organization }),
          },
        },
      };
    case 'returned':
      return { ...next, assignee: null };
    case 'obsceneLanguageFlagged':
      return { ...next, obsceneWords: [...new Set([...next.obsceneWords, ...event.words])] };
    case 'resolved':
      return { ...next, resolution: event.text };
    case 'faqAnswered':
      return { ...next, faqArticleId: event.articleId, resolution: event.answer };
    case 'reclassified':
      return { ...next, type: event.to };
    case 'agencyAsked':
      return { ...next, agency: event.agency };
    case 'agencyAnswered':
      return { ...next, agency: null };
    case 'inquiryReceived':
      return {
        ...next,
        inquiries: [
          ...next.inquiries,
          {
            id: event.inquiryId,
            receivedAt: event.at,
            answeredAt: null,
            ...(event.service && { service: event.service }),
          },
        ],
      };
    case 'inquiryAnswered':
      return {
        ...next,
        inquiries: next.inquiries.map((q) => (q.id === event.inquiryId ? { ...q, answeredAt: event.at } : q)),
      };
    case 'claimRegistered':
      return {
        ...next,
        claims: [
          ...next.claims,
          { id: event.claimId, text: event.text, registeredAt: event.at, resolvedAt: null, resolution: null },
        ],
      };
    case 'claimResolved':
      return {
        ...next,
        claims: next.claims.map((c) =>
          c.id === event.claimId ? { ...c, resolvedAt: event.at, resolution: event.text } : c,
        ),
      };
    case 'archived':
      return { ...next, archived: true };
    default:
      return next;
  }
}
