import { ApplicationFailure } from '@temporalio/activity';
import type { TicketEvent, TicketState } from '../domain';
import type { Database } from '../db/client';
import { recordIncoming } from '../db/repositories/correspondence';
import { saveTicket } from '../db/repositories/tickets';

export interface RecordTicketInput {
  readonly state: TicketState;
  readonly events: readonly TicketEvent[];
}

export function createPersistenceActivities(db: Database, now: () => number = Date.now) {
  return {
    /** The read model and the event log, idempotent and ordered by event sequence. */
    async recordTicket({ state, events }: RecordTicketInput): Promise<void> {
      if (!state || typeof state.id !== 'string' || !Number.isInteger(state.seq) || !Array.isArray(events)) {
        throw ApplicationFailure.nonRetryable(
          'recordTicket needs a ticket state and its events',
          'InvalidData',
        );
      }
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
    },
  };
}
