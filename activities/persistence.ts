import { ApplicationFailure } from '@temporalio/activity';
import { storableJson, storableText, SYSTEM, type TicketEvent, type TicketState } from '../domain';
import type { Database } from '../db/client';
import { describeError, isUnfixableDataError } from '../db/errors';
import { recordIncoming } from '../db/repositories/correspondence';
import { recordProblem } from '../db/repositories/problems';
import { advanceSnapshot, saveTicket, saveTickets } from '../db/repositories/tickets';

export interface RecordTicketInput {
  readonly state: TicketState;
  readonly events: readonly TicketEvent[];
}

/** Strings in a poisoned ticket are bounded too: a megabyte string must not be refused again. */
const POISON_STRING_LIMIT = 100_000;

/** Tickets written in one transaction at most (bounded by PostgreSQL's 65,535 parameters per statement). */
const BATCH_LIMIT = 100;
/** Batches committing at once; the rest wait and grow (a pool connection each). */
const BATCHES_IN_FLIGHT = 3;

interface QueuedWrite {
  readonly input: RecordTicketInput;
  resolve(): void;
  reject(error: unknown): void;
}

export function createPersistenceActivities(db: Database, now: () => number = Date.now) {
  async function persist(state: TicketState, events: readonly TicketEvent[]): Promise<void> {
    await saveTicket(db, state, events, now());
    await recordCorrespondence(state, events);
  }

  /** The initiator's request and messages become the incoming side of the correspondence. */
  async function recordCorrespondence(state: TicketState, events: readonly TicketEvent[]): Promise<void> {
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
        subject: e.type === 'received' ? (e.intake.subject ?? null) : (e.subject ?? null),
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

  /** The ticket alone: its own transaction, the poison-pill rule for data PostgreSQL refuses. */
  async function recordOne({ state, events }: RecordTicketInput): Promise<void> {
    try {
      await persist(state, events);
    } catch (e) {
      if (!isUnfixableDataError(e)) throw e;
      await poisoned(state, events, e);
    }
  }

  /**
   * Group commit (issue #21): writes that arrive while others commit wait and then share one
   * transaction, so a burst of deadlines firing together costs a commit per batch, not per ticket; a
   * lone write goes at once. A batch that fails is written ticket by ticket, each with its own outcome.
   */
  const queued: QueuedWrite[] = [];
  let inFlight = 0;
  function flush(): void {
    while (inFlight < BATCHES_IN_FLIGHT && queued.length) {
      const batch = queued.splice(0, BATCH_LIMIT);
      inFlight++;
      void writeBatch(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
  }
  async function writeBatch(batch: QueuedWrite[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await saveTickets(
          db,
          batch.map((w) => w.input),
          now(),
        );
      } catch {
        return writeOneByOne(batch);
      }
      await Promise.all(
        // Correspondence PostgreSQL refuses: the ticket alone again, under the poison-pill rule.
        batch.map((w) =>
          recordCorrespondence(w.input.state, w.input.events).then(w.resolve, () =>
            recordOne(w.input).then(w.resolve, w.reject),
          ),
        ),
      );
      return;
    }
    return writeOneByOne(batch);
  }
  async function writeOneByOne(batch: QueuedWrite[]): Promise<void> {
    await Promise.all(batch.map((w) => recordOne(w.input).then(w.resolve, w.reject)));
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
      await new Promise<void>((resolve, reject) => {
        queued.push({ input: { state, events }, resolve, reject });
        flush();
      });
    },
  };
}
