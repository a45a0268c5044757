/**
 * Turns stored messages into ticket commands, exactly once. Each message is taken with a lease; its
 * effects are idempotent (the ticket ID is allocated once per message, commands carry the message as
 * their id), so a dispatcher that dies mid-batch leaves nothing half done: the next one repeats the
 * step and the ticket sees it once. When Temporal or the database is away, messages stay pending
 * and are retried with back-off.
 */
import {
  currentRef,
  initiatorAddresses,
  missingFields,
  resolveRegulation,
  SYSTEM,
  type Actor,
  type Intake,
  type IntakePatch,
  type Regulation,
  type RegulationId,
  type RegulationSettings,
  type TicketState,
} from '../domain';
import type { Database } from '../db/client';
import { storeAttachments } from '../db/repositories/attachments';
import { ticketOfMessageId } from '../db/repositories/correspondence';
import {
  claimBatch,
  finishInbound,
  inboxRow,
  isDuplicate,
  retryInbound,
  type InboxRow,
} from '../db/repositories/inbox';
import { whoIs } from '../db/repositories/organizations';
import { suppressAddresses } from '../db/repositories/suppressions';
import { allocateTicketId, findTicket, isTicketAllocated } from '../db/repositories/tickets';
import type { TicketGateway } from '../workflows/client';
import { openReadable } from '../workflows/lifecycle';
import type { QueuedCommand } from '../workflows/messages';
import { automaticReason, idsInReferences, idsInText, isForward } from './classify';
import { extractIntake } from './extract';
import { parseInbound, type InboundMessage } from './parse';

export interface DispatcherSettings {
  /** Domain and instance of our Message-IDs. */
  readonly domain: string;
  readonly instance: string;
  /** Which regulation each desk address serves (lower-case address → regulation). */
  readonly routes: Readonly<Record<string, RegulationId>>;
  readonly defaultRegulation: RegulationId;
  readonly regulationSettings: Readonly<Record<RegulationId, RegulationSettings>>;
  readonly attachments: { readonly maxFiles: number; readonly maxBytes: number };
  readonly bounceSuppressHours: number;
  /** Give up (status failed, the message kept) after this many attempts. */
  readonly maxAttempts: number;
}

export const DEFAULT_DISPATCHER_SETTINGS: Omit<
  DispatcherSettings,
  'domain' | 'instance' | 'defaultRegulation' | 'regulationSettings'
> = {
  routes: {},
  attachments: { maxFiles: 10, maxBytes: 10 * 2 ** 20 },
  bounceSuppressHours: 24,
  maxAttempts: 30,
};

/** A condition that clears by itself: try the message again later. */
class NotYet extends Error {}

/** Seed 003 tickets in these states expect no answer from the user: a message is a status inquiry (п. 3.3.9.2). */
const EPGU_INQUIRY_STATUSES = new Set(['forwarded', 'assigned']);

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
  async dispatchOnce(limit = 25, leaseMs = 60_000): Promise<number> {
    const rows = await claimBatch(this.db, limit, leaseMs);
    for (const row of rows) await this.handle(row);
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
          this.log(`dispatcher: ${(e as Error).message}; retrying`);
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
   * operator vouches for the sender), or take it in as a new request.
   */
  async release(inboxId: number, decision: { readonly ticketId: string } | 'new'): Promise<string> {
    const row = await inboxRow(this.db, inboxId);
    if (!row || row.status !== 'held') throw new Error(`message ${inboxId} is not held`);
    const parsed = await parseInbound(row.raw);
    if (!parsed.ok) throw new Error('the message cannot be parsed; only dismissing is possible');
    const regulation = this.regulationFor(row, parsed.message);
    if (decision === 'new') {
      await this.newRequest(row, parsed.message, regulation);
    } else {
      const ticket = await findTicket(this.db, decision.ticketId);
      if (!ticket) throw new Error(`ticket ${decision.ticketId} not found`);
      await this.reply(row, parsed.message, ticket.state as TicketState, regulation);
    }
    return (await inboxRow(this.db, inboxId))!.ticketId ?? '';
  }

  private async handle(row: InboxRow): Promise<void> {
    try {
      await this.route(row);
    } catch (e) {
      const error = (e as Error).message;
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

  private regulationFor(row: InboxRow, message: InboundMessage | null): Regulation {
    const addresses = [...row.envelopeTo, ...(message?.to ?? [])].map((a) => a.toLowerCase());
    const id = addresses.map((a) => this.settings.routes[a]).find(Boolean) ?? this.settings.defaultRegulation;
    return resolveRegulation(currentRef(id, this.settings.regulationSettings[id]));
  }

  private async route(row: InboxRow): Promise<void> {
    const parsed = await parseInbound(row.raw);
    if (!parsed.ok) {
      await finishInbound(this.db, row.id, 'held', `held: the message cannot be parsed (${parsed.error})`);
      return;
    }
    const m = parsed.message;
    const automatic = automaticReason(m, row.envelopeFrom, this.settings.domain);
    if (automatic) {
      if (m.deliveryReport?.failed.length)
        await suppressAddresses(
          this.db,
          m.deliveryReport.failed,
          'bounce',
          this.settings.bounceSuppressHours,
        );
      await finishInbound(this.db, row.id, 'ignored', `ignored: ${automatic}`);
      return;
    }
    if (m.messageId && (await isDuplicate(this.db, row.id, m.messageId))) {
      await finishInbound(this.db, row.id, 'duplicate', `duplicate of an earlier message ${m.messageId}`);
      return;
    }
    const sender = (m.fromAddress ?? row.envelopeFrom).toLowerCase();
    if (!sender.includes('@')) {
      await finishInbound(this.db, row.id, 'held', 'held: no sender address to answer to');
      return;
    }
    const regulation = this.regulationFor(row, m);
    const ticket = await this.referencedTicket(m, regulation.idPrefix);
    if (ticket) {
      const state = ticket.state as TicketState;
      const onTicket = initiatorAddresses(state).some((a) => a.toLowerCase() === sender);
      // A ticket's mail passed on by someone else is their request, not a reply on the ticket.
      if (!(isForward(m.subject) && !onTicket)) {
        if (!onTicket) {
          await finishInbound(
            this.db,
            row.id,
            'held',
            `held: ${sender} is not an address of ticket ${state.id}`,
            state.id,
          );
        } else if (ticket.archived) {
          await finishInbound(this.db, row.id, 'held', `held: ticket ${state.id} is archived`, state.id);
        } else {
          await this.reply(row, m, state, regulation);
        }
        return;
      }
    }
    await this.newRequest(row, m, regulation);
  }

  /** The ticket a message refers to: our Message-IDs, an ID in the subject or first line, the thread. */
  private async referencedTicket(m: InboundMessage, prefix: string) {
    const named = [
      ...idsInReferences(m, this.settings.instance, this.settings.domain),
      ...idsInText(m, prefix),
    ];
    for (const id of named) {
      const ticket = await findTicket(this.db, id);
      if (ticket) return ticket;
      // Started a moment ago, not yet in the read model: look again shortly.
      if (await isTicketAllocated(this.db, id)) throw new NotYet(`ticket ${id} is not recorded yet`);
    }
    const byThread = await ticketOfMessageId(this.db, m.referenced);
    return byThread ? findTicket(this.db, byThread) : null;
  }

  private attachmentFiles(m: InboundMessage): { files: InboundMessage['attachments']; skipped: number } {
    const { maxFiles, maxBytes } = this.settings.attachments;
    const fitting = m.attachments.filter((a) => a.content.length <= maxBytes);
    const files = fitting.slice(0, maxFiles);
    return { files, skipped: m.attachments.length - files.length };
  }

  private async reply(
    row: InboxRow,
    m: InboundMessage,
    state: TicketState,
    regulation: Regulation,
  ): Promise<void> {
    const { files, skipped } = this.attachmentFiles(m);
    const attachments = await storeAttachments(this.db, row.id, state.id, files);
    const by: Actor = {
      kind: 'initiator',
      email: m.fromAddress ?? undefined,
      name: m.fromName ?? state.intake.initiator.fullName,
    };
    const commandId = `mail:${row.id}`;
    const text = m.text || m.subject;
    let command: QueuedCommand;
    if (regulation.id === 'epgu' && EPGU_INQUIRY_STATUSES.has(state.status)) {
      command = {
        type: 'statusInquiry',
        by,
        channel: 'email',
        text,
        ...(m.messageId && { messageId: m.messageId }),
        commandId,
      };
    } else {
      const fields = this.completion(m, state);
      command = {
        type: 'reply',
        by,
        text,
        from: m.fromAddress ?? undefined,
        ...(m.messageId && { messageId: m.messageId }),
        ...(attachments.length && { attachments }),
        ...(fields && { fields }),
        commandId,
      };
    }
    await this.gateway.send(state.id, command);
    await finishInbound(
      this.db,
      row.id,
      'done',
      `${command.type === 'reply' ? 'reply' : 'status_inquiry'}${skipped ? `; ${skipped} attachment(s) over the limits kept only in the raw message` : ''}`,
      state.id,
    );
  }

  /** Fields the ticket still lacks that the reply supplies (п. 2.3.1.1); present values are not overwritten. */
  private completion(m: InboundMessage, state: TicketState): IntakePatch | null {
    const found = extractIntake(m, state.regulation.id).intake.initiator;
    const current = state.intake.initiator as Record<string, unknown>;
    const patch = Object.fromEntries(
      Object.entries(found).filter(
        ([k, v]) =>
          k !== 'email' && k !== 'extraEmails' && k !== 'contact' && typeof v === 'string' && !current[k],
      ),
    );
    return Object.keys(patch).length ? { initiator: patch } : null;
  }

  private async newRequest(row: InboxRow, m: InboundMessage, regulation: Regulation): Promise<void> {
    const extracted = extractIntake(m, regulation.id);
    let intake: Intake = extracted.intake;
    const sender = intake.initiator.email ?? m.fromAddress;
    const known = sender ? await whoIs(this.db, sender) : null;
    if (known) {
      intake = {
        ...intake,
        initiator: {
          ...intake.initiator,
          organizationId: known.organizationId,
          organization: intake.initiator.organization ?? known.organizationName,
        },
        // п. 3.3.1 (1): an authorised person of the organisation, recognised by the address on file.
        ...(intake.access &&
          known.personId && {
            authorization: { verified: true, personId: known.personId, organizationId: known.organizationId },
          }),
      };
    }
    const { id, at } = await allocateTicketId(this.db, `mail:${row.id}`, regulation.idPrefix, new Date());
    const { files, skipped } = this.attachmentFiles(m);
    const attachments = await storeAttachments(this.db, row.id, id, files);
    if (attachments.length) intake = { ...intake, attachments };
    const type = extracted.requestType;
    const missing =
      regulation.id === 'primorye'
        ? missingFields(intake, [
            ...regulation.requiredFields.all,
            ...(type ? (regulation.requiredFields.byType[type] ?? []) : []),
          ])
        : [];
    // п. 2.3.1.1: the request is accepted, and the initiator is told exactly what is missing.
    const initialCommands: QueuedCommand[] = missing.length
      ? [
          {
            type: 'requestInfo',
            by: SYSTEM,
            question:
              'Для регистрации заявки не хватает обязательных сведений (п. 2.3.1.1). Пожалуйста, ответьте на это письмо и укажите их.',
            commandId: `mail:${row.id}:missing`,
          },
        ]
      : [];
    // Readable before the message is marked done (a reply naming the ticket finds it at once).
    await openReadable(this.db, this.gateway, {
      openedAt: at.toISOString(),
      open: {
        ticketId: id,
        regulation: currentRef(regulation.id, this.settings.regulationSettings[regulation.id]),
        channel: 'email',
        receivedAt: row.receivedAt.toISOString(),
        intake,
        ...(type && { requestType: type }),
      },
      initialCommands,
    });
    const notes = [
      missing.length ? 'missing fields asked' : '',
      skipped ? `${skipped} attachment(s) over the limits kept only in the raw message` : '',
    ].filter(Boolean);
    await finishInbound(this.db, row.id, 'done', `ticket${notes.length ? `; ${notes.join('; ')}` : ''}`, id);
  }
}
