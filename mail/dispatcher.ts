/**
 * Turns stored messages into ticket commands, exactly once. Each message is taken with a short lease,
 * renewed while it is being handled, so a crashed dispatcher's messages are taken over promptly. Then
 * three steps: the facts about the message are looked up once, one pure decision is made
 * (mail/decide.ts), and the outcome is applied in one place: the effect on the ticket (idempotent: the
 * ticket ID is allocated once per message, commands carry the message as their id), then one
 * transaction recording what became of the message. A dispatcher that dies between the two repeats the
 * step and the ticket sees it once. When Temporal or the database is away, messages stay pending and
 * are retried with back-off.
 */
import type { TicketState } from '../domain';
import type { Database } from '../db/client';
import { describeError } from '../db/errors';
import { storeAttachments } from '../db/repositories/attachments';
import { overAutomaticLimit, ticketOfMessageId } from '../db/repositories/correspondence';
import {
  claimBatch,
  finishInbound,
  inboxRow,
  isDuplicate,
  renewLease,
  retryInbound,
  type InboxRow,
} from '../db/repositories/inbox';
import { whoIs } from '../db/repositories/organizations';
import { suppressAddresses, suppressedAmong } from '../db/repositories/suppressions';
import { allocateTicketId, findTicket, isTicketAllocated } from '../db/repositories/tickets';
import type { TicketGateway } from '../workflows/client';
import { openReadable } from '../workflows/lifecycle';
import type { SenderAuth } from './auth/verdict';
import { DEFAULT_MESSAGE_BUDGET, overSizeBudget, overTimeBudget, type MessageBudget } from './budget';
import { checkSender, idsInReferences, idsInText } from './classify';
import {
  decideMail,
  regulationOf,
  type DecisionSettings,
  type MailFacts,
  type MailOutcome,
  type TicketFacts,
} from './decide';
import { parseInbound, type InboundMessage, type Parsed } from './parse';

export interface DispatcherSettings extends DecisionSettings {
  readonly bounceSuppressHours: number;
  /** Give up (status failed, the message kept) after this many attempts. */
  readonly maxAttempts: number;
  /** How long a taken message is the dispatcher's before another may take it over. */
  readonly leaseMs: number;
  /** What one message may cost the event loop; over it the message is held (issue #18). */
  readonly budget: MessageBudget;
}

export const DEFAULT_DISPATCHER_SETTINGS: Omit<
  DispatcherSettings,
  'domain' | 'instance' | 'defaultRegulation' | 'regulationSettings'
> = {
  routes: {},
  attachments: { maxFiles: 10, maxBytes: 10 * 2 ** 20 },
  counterparts: { regional: [], federal: [] },
  automaticPerHour: 10,
  bounceSuppressHours: 24,
  maxAttempts: 30,
  leaseMs: 15_000,
  budget: DEFAULT_MESSAGE_BUDGET,
};

/** A condition that clears by itself: try the message again later. */
class NotYet extends Error {}

/** An operator's release of a held message that cannot be done (shown as 409). */
export class ReleaseRefused extends Error {
  override readonly name: string = 'ReleaseRefused';
}

/** A release that would put the message outside the releaser's organisation (shown as 403). */
export class ReleaseOutOfScope extends ReleaseRefused {
  override readonly name = 'ReleaseOutOfScope';
}

const ticketFacts = (row: { state: unknown; archived: boolean }): TicketFacts => ({
  state: row.state as TicketState,
  archived: row.archived,
});

export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private resolveWait: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private wake = false;
  private stopped = true;

  constructor(
    private readonly db: Database,
    private readonly gateway: TicketGateway,
    private readonly settings: DispatcherSettings,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Processes one batch; returns how many messages it took. */
  async dispatchOnce(limit = 25, leaseMs = this.settings.leaseMs): Promise<number> {
    const rows = await claimBatch(this.db, limit, leaseMs);
    for (const row of rows) {
      // The lease covers one message at a time: a dead dispatcher's batch is free again soon.
      await renewLease(this.db, row.id, leaseMs);
      await this.handle(row);
    }
    return rows.length;
  }

  /** Runs until stopped: batches while there is work, then waits for a nudge or the poll interval. */
  start(pollMs = 2_000): void {
    if (!this.stopped) return;
    this.stopped = false;
    const loop = async (): Promise<void> => {
      while (!this.stopped) {
        this.wake = false;
        try {
          const n = await this.dispatchOnce();
          if (n > 0 || this.wake) continue;
        } catch (e) {
          this.log(`dispatcher: ${describeError(e)}; retrying`);
        }
        await new Promise<void>((resolve) => {
          this.timer = setTimeout(resolve, pollMs);
          this.resolveWait = resolve;
        });
      }
    };
    this.running = loop();
  }

  /** A new message arrived: look now rather than at the next poll. */
  nudge(): void {
    this.wake = true;
    if (this.timer) clearTimeout(this.timer);
    this.resolveWait?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.nudge();
    await this.running;
  }

  /**
   * An operator's decision on a held message: attach it to a ticket as the initiator's message (the
   * operator vouches for the sender), or take it in as a new request. Returns the ticket's ID.
   */
  /**
   * `scope`: the releaser's organisation, null for the whole installation. A message is released only
   * into it: the ticket it creates or joins must be that organisation's (issue #18, finding 5).
   */
  async release(
    inboxId: number,
    decision: { readonly ticketId: string } | 'new',
    scope: string | null = null,
  ): Promise<string> {
    const row = await inboxRow(this.db, inboxId);
    if (!row || row.status !== 'held') throw new ReleaseRefused(`Письмо ${inboxId} не отложено.`);
    const parsed = await parseInbound(row.raw);
    if (!parsed.ok)
      throw new ReleaseRefused('Письмо не разбирается как сообщение: его можно только отклонить (dismiss).');
    let ticket: TicketFacts | null = null;
    if (decision !== 'new') {
      const found = await findTicket(this.db, decision.ticketId);
      if (!found) throw new ReleaseRefused(`Заявка ${decision.ticketId} не найдена.`);
      ticket = ticketFacts(found);
    }
    const facts = await this.facts(row, parsed, ticket);
    const outcome = decideMail({ ...facts, release: decision === 'new' ? 'new' : 'ticket' }, this.settings);
    const into = 'organizationId' in outcome ? outcome.organizationId : null;
    if (scope !== null && into !== scope)
      throw new ReleaseOutOfScope(
        `Письмо ${inboxId} относится к ${into ? `организации «${into}»` : 'отправителю без организации'}: ` +
          'сотрудник организации принимает письма только в свою организацию.',
      );
    await this.apply(row, outcome);
    return (await inboxRow(this.db, inboxId))!.ticketId ?? '';
  }

  private async handle(row: InboxRow): Promise<void> {
    try {
      const parsed = await parseInbound(row.raw);
      const outcome = await this.decideWithinBudget(row, parsed);
      await this.apply(row, outcome);
    } catch (e) {
      const error = e instanceof NotYet ? e.message : describeError(e);
      if (row.attempts >= this.settings.maxAttempts) {
        await finishInbound(this.db, row.id, 'failed', `failed after ${row.attempts} attempts: ${error}`);
        this.log(`dispatcher: message ${row.id} failed for good: ${error}`);
        return;
      }
      const delay = Math.min(15 * 60_000, 2_000 * 2 ** Math.min(row.attempts - 1, 10));
      await retryInbound(this.db, row.id, error, delay);
      if (!(e instanceof NotYet))
        this.log(`dispatcher: message ${row.id} will be retried in ${Math.round(delay / 1000)} s: ${error}`);
    }
  }

  /**
   * The decision, unless the message is over its budget (issue #18): too many lines are held before
   * any work on them, and a decision that took longer than allowed is dropped and the message held,
   * so it is never taken again to stall the desk a second time. An operator's release is not bound.
   */
  private async decideWithinBudget(row: InboxRow, parsed: Parsed): Promise<MailOutcome> {
    const budget = this.settings.budget;
    const held = (reason: string): MailOutcome => {
      this.log(`dispatcher: message ${row.id} held: ${reason}`);
      return { kind: 'hold', reason, ticketId: null, organizationId: null };
    };
    const over = parsed.ok ? overSizeBudget(parsed.message, budget) : null;
    if (over) return held(over);
    const facts = await this.facts(row, parsed);
    const started = performance.now();
    const outcome = decideMail(facts, this.settings);
    const late = overTimeBudget(performance.now() - started, budget);
    return late && outcome.kind !== 'retry' ? held(late) : outcome;
  }

  /** Everything the decision needs from the database, looked up once. */
  private async facts(
    row: InboxRow,
    parsed: Parsed,
    released: TicketFacts | null = null,
  ): Promise<MailFacts> {
    const base = {
      inboxId: row.id,
      receivedAt: row.receivedAt.toISOString(),
      envelopeFrom: row.envelopeFrom,
      envelopeTo: row.envelopeTo,
      parsed,
      auth: (row.senderAuth as SenderAuth | null) ?? null,
    };
    if (!parsed.ok)
      return {
        ...base,
        duplicate: false,
        ticket: released,
        ticketNotYetRecorded: null,
        sender: null,
        senderSuppressed: false,
        senderOverAutomaticLimit: false,
      };
    const m = parsed.message;
    const sender = checkSender(m.fromAddress, row.envelopeFrom);
    const [duplicate, referenced, known, suppressed, limited] = await Promise.all([
      m.messageId ? isDuplicate(this.db, row.id, m.messageId) : false,
      released ? { ticket: released, notYet: null } : this.referencedTicket(row, m),
      sender.address ? whoIs(this.db, sender.address) : null,
      sender.address ? suppressedAmong(this.db, [sender.address]) : new Set<string>(),
      sender.address
        ? overAutomaticLimit(this.db, [sender.address], this.settings.automaticPerHour)
        : new Set<string>(),
    ]);
    return {
      ...base,
      duplicate,
      ticket: referenced.ticket,
      ticketNotYetRecorded: referenced.notYet,
      sender: known,
      senderSuppressed: suppressed.size > 0,
      senderOverAutomaticLimit: limited.size > 0,
    };
  }

  /** The ticket a message refers to: our Message-IDs, an ID in the subject or first line, the thread. */
  private async referencedTicket(
    row: InboxRow,
    m: InboundMessage,
  ): Promise<{ ticket: TicketFacts | null; notYet: string | null }> {
    const prefix = regulationOf(this.settings, row.envelopeTo, m).idPrefix;
    const named = [
      ...idsInReferences(m, this.settings.instance, this.settings.domain),
      ...idsInText(m, prefix),
    ];
    for (const id of named) {
      const ticket = await findTicket(this.db, id);
      if (ticket) return { ticket: ticketFacts(ticket), notYet: null };
      // Started a moment ago, not yet in the read model: look again shortly.
      if (await isTicketAllocated(this.db, id)) return { ticket: null, notYet: id };
    }
    const byThread = await ticketOfMessageId(this.db, m.referenced);
    const ticket = byThread ? await findTicket(this.db, byThread) : null;
    return { ticket: ticket ? ticketFacts(ticket) : null, notYet: null };
  }

  /** The one place an outcome takes effect: the ticket first (idempotent), then what became of the message. */
  private async apply(row: InboxRow, outcome: MailOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'retry':
        throw new NotYet(outcome.reason);
      case 'ignore':
        await this.db.transaction(async (tx) => {
          if (outcome.suppress.length)
            await suppressAddresses(tx, outcome.suppress, 'bounce', this.settings.bounceSuppressHours);
          await finishInbound(tx, row.id, 'ignored', `ignored: ${outcome.reason}`);
        });
        return;
      case 'duplicate':
        await finishInbound(
          this.db,
          row.id,
          'duplicate',
          `duplicate of an earlier message ${outcome.messageId}`,
        );
        return;
      case 'hold':
        await finishInbound(
          this.db,
          row.id,
          'held',
          `held: ${outcome.reason}`,
          outcome.ticketId,
          outcome.organizationId,
        );
        return;
      case 'reply':
      case 'statusInquiry':
      case 'counterpart':
        await storeAttachments(this.db, row.id, outcome.ticketId, outcome.attachments.files);
        await this.gateway.send(outcome.ticketId, outcome.command);
        await finishInbound(this.db, row.id, 'done', outcome.note, outcome.ticketId, outcome.organizationId);
        return;
      case 'newRequest':
      case 'missingFields': {
        const { id, at } = await allocateTicketId(this.db, `mail:${row.id}`, outcome.idPrefix, new Date());
        await storeAttachments(this.db, row.id, id, outcome.attachments.files);
        // Readable before the message is marked done (a reply naming the ticket finds it at once).
        await openReadable(this.db, this.gateway, {
          openedAt: at.toISOString(),
          open: {
            ticketId: id,
            regulation: outcome.regulation,
            channel: 'email',
            receivedAt: row.receivedAt.toISOString(),
            intake: outcome.intake,
            ...(outcome.requestType && { requestType: outcome.requestType }),
          },
          initialCommands: outcome.initialCommands,
        });
        await finishInbound(this.db, row.id, 'done', outcome.note, id, outcome.organizationId);
        return;
      }
    }
  }
}
