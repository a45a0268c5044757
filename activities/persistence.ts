import { ApplicationFailure } from '@temporalio/activity';
import { storableJson, storableText, SYSTEM, type TicketEvent, type TicketState } from '../domain';
import type { Database } from '../db/client';
import { describeError, isUnfixableDataError } from '../db/errors';
import { recordIncoming } from '../db/repositories/correspondence';
import { recordProblem } from '../db/repositories/problems';
import { advanceSnapshot, saveTicket } from '../db/repositories/tickets';

export interface RecordTicketInput {
  readonly state: TicketState;
  readonly events: readonly TicketEvent[];
}

/** Strings in a poisoned ticket are bounded too: a megabyte string must not be refused again. */
const POISON_STRING_LIMIT = 100_000;

export function createPersistenceActivities(db: Database, now: () => number = Date.now) {
  async function persist(state: TicketState, events: readonly TicketEvent[]): Promise<void> {
    await saveTicket(db, state, events, now());
    // The initiator's request and messages become the incoming side of the correspondence.
    for (const e of events) {
      if (e.type !== 'received' && e.type !== 'messageReceived') continue;
      const from =
        e.type === 'messageReceived'
          ? (e.from ?? state.intake.initiator.email ?? null)
          : (state.intake.initiator.email ?? null);
      await recordIncoming(db, {
        key: `${state.id}:${e.seq}:in`,
        ticketId: state.id,
        messageId: e.type === 'received' ? (e.intake.sourceMessageId ?? null) : (e.messageId ?? null),
        inReplyTo: null,
        fromAddress: from,
        toAddresses: [],
        subject: e.type === 'received' ? (e.intake.subject ?? null) : null,
        body: e.type === 'received' ? (e.intake.description ?? '') : e.text,
        attachments: e.type === 'received' ? (e.intake.attachments ?? null) : (e.attachments ?? null),
      });
    }
  }

  /**
   * The poison-pill rule (issue #10): data PostgreSQL refuses does not get better by retrying, and it
   * must not stop the ticket's read model. The events are stored sanitised (the storable-text boundary
   * applied to every string) or, if even that is refused, as placeholders with the snapshot's sequence
   * moved on; either way the problem is recorded for operators (GET /tickets/{id}, /metrics).
   */
  async function poisoned(state: TicketState, events: readonly TicketEvent[], cause: unknown): Promise<void> {
    const seqs = events.map((e) => e.seq);
    const key = seqs.length ? `${Math.min(...seqs)}-${Math.max(...seqs)}` : `snapshot ${state.seq}`;
    const reason = describeError(cause);
    try {
      await persist(storableJson(state, POISON_STRING_LIMIT), storableJson(events, POISON_STRING_LIMIT));
      await recordProblem(db, {
        ticketId: state.id,
        kind: 'unstorable_event',
        key,
        detail: `События ${key} сохранены с заменой символов, которые не принимает PostgreSQL (${reason}).`,
      });
      return;
    } catch (e) {
      if (!isUnfixableDataError(e)) throw e;
    }
    const placeholders = events.map(
      (e) =>
        ({
          seq: e.seq,
          type: 'unstorable',
          at: Number.isFinite(Date.parse(e.at)) ? e.at : new Date(now()).toISOString(),
          by: SYSTEM,
          originalType: storableText(String(e.type), 60),
        }) as unknown as TicketEvent,
    );
    try {
      await advanceSnapshot(db, state.id, state.seq, placeholders);
    } catch (e) {
      if (!isUnfixableDataError(e)) throw e;
      throw ApplicationFailure.nonRetryable(
        `ticket ${state.id}: events ${key} cannot be stored: ${describeError(e)}`,
        'UnstorableTicket',
      );
    }
    await recordProblem(db, {
      ticketId: state.id,
      kind: 'unstorable_event',
      key,
      detail: `События ${key} не удалось сохранить даже очищенными (${reason}); в журнале — заглушки, процесс заявки продолжается.`,
    });
  }

  return {
    /** The read model and the event log, idempotent and ordered by event sequence. */
    async recordTicket({ state, events }: RecordTicketInput): Promise<void> {
      if (!state || typeof state.id !== 'string' || !Number.isInteger(state.seq) || !Array.isArray(events)) {
        throw ApplicationFailure.nonRetryable(
          'recordTicket needs a ticket state and its events',
          'InvalidData',
        );
      }
      try {
        await persist(state, events);
      } catch (e) {
        if (!isUnfixableDataError(e)) throw e;
        await poisoned(state, events, e);
      }
    },
  };
}
