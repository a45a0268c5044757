/**
 * The dispatcher's one decision (issue #10): a stored message and the facts looked up once about it
 * (the ticket it refers to, the sender's organisation and authorised person, suppression, the
 * automatic-mail limit, a duplicate) in, one outcome out. Pure: no database, no Temporal, no clock;
 * tested as a table in test/mail/decide.test.ts. The dispatcher applies the outcome in one place.
 *
 * The rules, in order:
 * 1. a message that cannot be parsed is held for an operator;
 * 2. bounces, auto-replies, mailing lists and our own mail are ignored (a bounce suppresses the
 *    addresses it reports);
 * 3. a second copy (same Message-ID) is a duplicate;
 * 4. mail from the counterpart services' mailboxes (seed 003 п. 3.1.3: REGIONAL_MAILBOX,
 *    FEDERAL_MAILBOX) is threaded into the ticket it names and never becomes a request (п. 3.3.3.3–
 *    3.3.3.5, 3.3.7, 3.3.12–3.3.13), «Fwd:» or not; naming no known ticket, it is held;
 * 5. from an address of the ticket it refers to: the initiator's message (a reply, or a repeated status
 *    inquiry while seed 003 expects no answer from the user, п. 3.2.8.3, 3.3.9.2); from anyone else it
 *    is held, unless it is a forward (someone passing a ticket's mail on: their own request);
 * 6. otherwise a new request, answered automatically (acknowledgement, or the missing fields, seed 000
 *    п. 2.3.1.1) only when the sender is plausible: a valid From: aligned with the envelope sender, not
 *    suppressed, under the one per-recipient limit of automatic mail. Anything else is held: no
 *    backscatter, no ticket an operator has not seen.
 *
 * Sender authenticity (issue #18): with the intake's verdict (MAIL_AUTH=verify|upstream), a sender is
 * who From: says only when SPF, DKIM or DMARC authenticated From:'s domain. A message that fails is
 * never applied as the initiator's message on a ticket, nor as an authorised person's request (seed 000
 * п. 3.3.1–3.3.2), nor as a counterpart service's mail: it is held until an operator confirms it. A new
 * request from a stranger that fails still becomes a ticket, marked, with no automatic mail (the
 * missing fields are not asked automatically either: the operator asks). Without a verdict
 * (MAIL_AUTH=off) the envelope is believed, as before.
 */
import {
  currentRef,
  initiatorAddresses,
  missingFields,
  resolveRegulation,
  SYSTEM,
  type Actor,
  type Attachment,
  type Intake,
  type IntakePatch,
  type Regulation,
  type RegulationId,
  type RegulationRef,
  type RegulationSettings,
  type TicketState,
} from '../domain';
import type { QueuedCommand } from '../workflows/messages';
import { describeSenderAuth, type SenderAuth } from './auth/verdict';
import { automaticReason, checkSender, isForward, type SenderCheck } from './classify';
import { extractIntake } from './extract';
import type { InboundAttachment, InboundMessage, Parsed } from './parse';

export interface DecisionSettings {
  /** Domain and instance of our Message-IDs. */
  readonly domain: string;
  readonly instance: string;
  /** Which regulation each desk address serves (lower-case address → regulation). */
  readonly routes: Readonly<Record<string, RegulationId>>;
  readonly defaultRegulation: RegulationId;
  readonly regulationSettings: Readonly<Record<RegulationId, RegulationSettings>>;
  readonly attachments: { readonly maxFiles: number; readonly maxBytes: number };
  /** The mailboxes of the two services of seed 003 (п. 3.1.3), lower case. */
  readonly counterparts: { readonly regional: readonly string[]; readonly federal: readonly string[] };
  /** The one per-recipient limit of automatic mail (AUTO_MAIL_PER_HOUR), for the hold reason. */
  readonly automaticPerHour: number;
}

export interface TicketFacts {
  readonly state: TicketState;
  readonly archived: boolean;
}

export interface SenderFacts {
  readonly organizationId: string;
  readonly organizationName: string;
  /** An authorised person of the organisation (seed 000 п. 3.3.1–3.3.2) with this very address. */
  readonly personId: string | null;
}

export interface MailFacts {
  readonly inboxId: number;
  /** When the intake stored it (ISO). */
  readonly receivedAt: string;
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  readonly parsed: Parsed;
  /** An earlier message with the same Message-ID was taken in. */
  readonly duplicate: boolean;
  /** The ticket it refers to (our Message-IDs, an ID in the subject or first line, the thread). */
  readonly ticket: TicketFacts | null;
  /** A ticket it names that was given its ID but is not recorded yet (started a moment ago). */
  readonly ticketNotYetRecorded: string | null;
  /** The organisation (and authorised person) of the From: address. */
  readonly sender: SenderFacts | null;
  readonly senderSuppressed: boolean;
  readonly senderOverAutomaticLimit: boolean;
  /** The intake's sender check (issue #18); null: not checked (MAIL_AUTH=off). */
  readonly auth?: SenderAuth | null;
  /** An operator's decision on a held message: they vouch for it (POST /inbox/{id}/release). */
  readonly release?: 'ticket' | 'new';
}

/** Files to store with the message, and what the ticket records of them. */
export interface AttachmentFiles {
  readonly files: readonly (InboundAttachment & { readonly id: string })[];
  readonly refs: readonly Attachment[];
  /** Over the count or size limits: kept only in the raw message. */
  readonly skipped: number;
}

export type OnTicketKind = 'reply' | 'statusInquiry' | 'counterpart';
export type NewRequestKind = 'newRequest' | 'missingFields';

export type MailOutcome =
  | { readonly kind: 'ignore'; readonly reason: string; readonly suppress: readonly string[] }
  | {
      readonly kind: 'hold';
      readonly reason: string;
      readonly ticketId: string | null;
      readonly organizationId: string | null;
    }
  | { readonly kind: 'duplicate'; readonly messageId: string }
  /** Not decidable yet (the ticket it names is being recorded): try again shortly. */
  | { readonly kind: 'retry'; readonly reason: string }
  | {
      readonly kind: OnTicketKind;
      readonly ticketId: string;
      readonly organizationId: string | null;
      readonly command: QueuedCommand;
      readonly attachments: AttachmentFiles;
      readonly note: string;
    }
  | {
      readonly kind: NewRequestKind;
      readonly regulation: RegulationRef;
      readonly idPrefix: string;
      readonly intake: Intake;
      readonly requestType?: string;
      readonly missing: readonly string[];
      readonly initialCommands: readonly QueuedCommand[];
      readonly organizationId: string | null;
      readonly attachments: AttachmentFiles;
      readonly note: string;
    };

/** Seed 003: statuses in which a user's message is a repeated status inquiry (п. 3.2.8.3, 3.3.9.2). */
export function expectsNoAnswerFromUser(state: TicketState): boolean {
  return (
    state.status === 'forwarded' ||
    state.status === 'assigned' ||
    (state.status === 'pending' && state.statusReason === 'agency')
  );
}

/** The regulation a message is for: the first desk address it was sent to that has a route. */
export function regulationOf(
  settings: DecisionSettings,
  envelopeTo: readonly string[],
  message: InboundMessage | null,
): Regulation {
  const addresses = [...envelopeTo, ...(message?.to ?? [])].map((a) => a.toLowerCase());
  const id = addresses.map((a) => settings.routes[a]).find(Boolean) ?? settings.defaultRegulation;
  return resolveRegulation(currentRef(id, settings.regulationSettings[id]));
}

/** The message's files within the limits; ids derive from the message, so storing them is idempotent. */
export function attachmentFiles(
  inboxId: number,
  message: InboundMessage,
  limits: DecisionSettings['attachments'],
): AttachmentFiles {
  const fitting = message.attachments.filter((a) => a.content.length <= limits.maxBytes);
  const files = fitting.slice(0, limits.maxFiles).map((a, i) => ({ ...a, id: `m${inboxId}-${i + 1}` }));
  return {
    files,
    refs: files.map((f) => ({
      id: f.id,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.content.length,
    })),
    skipped: message.attachments.length - files.length,
  };
}

const skippedNote = (a: AttachmentFiles): string =>
  a.skipped ? `; ${a.skipped} attachment(s) over the limits kept only in the raw message` : '';

/** Fields the ticket still lacks that the message supplies (п. 2.3.1.1); present values are not overwritten. */
function completion(m: InboundMessage, state: TicketState): IntakePatch | null {
  const found = extractIntake(m, state.regulation.id).intake.initiator;
  const current = state.intake.initiator as Record<string, unknown>;
  const patch = Object.fromEntries(
    Object.entries(found).filter(
      ([k, v]) =>
        k !== 'email' &&
        k !== 'extraEmails' &&
        k !== 'contact' &&
        k !== 'organizationId' &&
        typeof v === 'string' &&
        !current[k],
    ),
  );
  return Object.keys(patch).length ? { initiator: patch } : null;
}

/** The initiator's message on a ticket: a reply, or a status inquiry where seed 003 expects no answer. */
function initiatorMessage(
  facts: MailFacts,
  limits: DecisionSettings['attachments'],
  m: InboundMessage,
  ticket: TicketFacts,
  by: Actor,
  kind: 'reply' | 'counterpart',
): MailOutcome {
  const state = ticket.state;
  const attachments = attachmentFiles(facts.inboxId, m, limits);
  const commandId = `mail:${facts.inboxId}`;
  const text = m.text || m.subject;
  const common = {
    ticketId: state.id,
    organizationId: state.intake.initiator.organizationId ?? null,
    attachments,
  };
  if (state.regulation.id === 'epgu' && expectsNoAnswerFromUser(state)) {
    return {
      kind: kind === 'reply' ? 'statusInquiry' : 'counterpart',
      ...common,
      command: {
        type: 'statusInquiry',
        by,
        channel: 'email',
        text,
        ...(m.messageId && { messageId: m.messageId }),
        commandId,
      },
      note: `${kind === 'reply' ? 'status_inquiry' : 'counterpart: status_inquiry'}${skippedNote(attachments)}`,
    };
  }
  const fields = completion(m, state);
  return {
    kind,
    ...common,
    command: {
      type: 'reply',
      by,
      text,
      ...(m.subject && { subject: m.subject }),
      from: m.fromAddress ?? undefined,
      ...(m.messageId && { messageId: m.messageId }),
      ...(attachments.refs.length && { attachments: [...attachments.refs] }),
      ...(fields && { fields }),
      commandId,
    },
    note: `${kind === 'reply' ? 'reply' : 'counterpart: reply'}${skippedNote(attachments)}`,
  };
}

/** Mail from the federal service on a ticket: recorded in the ticket's log for the desk (п. 3.3.12). */
function federalMessage(
  facts: MailFacts,
  limits: DecisionSettings['attachments'],
  m: InboundMessage,
  ticket: TicketFacts,
  from: string,
): MailOutcome {
  const attachments = attachmentFiles(facts.inboxId, m, limits);
  const files = attachments.refs.length
    ? `\n\nВложения: ${attachments.refs.map((a) => a.fileName).join(', ')}`
    : '';
  return {
    kind: 'counterpart',
    ticketId: ticket.state.id,
    organizationId: ticket.state.intake.initiator.organizationId ?? null,
    attachments,
    command: {
      type: 'comment',
      by: {
        kind: 'operator',
        id: 'mailbox:federal',
        name: 'СП ЕПГУ (почта)',
        role: 'federal_operator',
        email: from,
      },
      text: `Письмо СП ЕПГУ от ${from}${m.subject ? `, тема «${m.subject}»` : ''}:\n\n${m.text || '(без текста)'}${files}`,
      visibility: 'internal',
      commandId: `mail:${facts.inboxId}`,
    },
    note: `counterpart: comment${skippedNote(attachments)}`,
  };
}

/**
 * Issue #18: whether the sender is who From: says. With a verdict, SPF/DKIM/DMARC must have
 * authenticated this very From: domain; without one (MAIL_AUTH=off), the envelope sender is believed.
 */
export interface Authenticity {
  /** The sender check ran (a verdict exists). */
  readonly checked: boolean;
  /** The sender may speak for From:'s domain: aligned envelope (off), or an authenticated verdict. */
  readonly domain: boolean;
  /** The sender is From: itself: the same envelope address (off), or an authenticated verdict. */
  readonly address: boolean;
  readonly summary: string;
}

export function authenticity(auth: SenderAuth | null | undefined, sender: SenderCheck): Authenticity {
  if (!auth)
    return {
      checked: false,
      domain: sender.aligned,
      address: sender.verified,
      summary: describeSenderAuth(null),
    };
  const fromDomain = sender.address ? sender.address.slice(sender.address.lastIndexOf('@') + 1) : null;
  const ok = auth.authenticated && auth.fromDomain === fromDomain;
  return { checked: true, domain: ok, address: ok, summary: describeSenderAuth(auth) };
}

function newRequest(
  facts: MailFacts,
  m: InboundMessage,
  regulation: Regulation,
  settings: DecisionSettings,
  who: Authenticity,
  vouched: boolean,
): MailOutcome {
  const extracted = extractIntake(m, regulation.id);
  let intake: Intake = extracted.intake;
  const verified = who.address || vouched;
  // The organisation whose domain or person the address is: its own only when the sender may speak
  // for that domain. A stranger's forged From: is not filed under it (its people would read a
  // stranger's words as their colleague's); the name as written stays, an operator links it.
  const known = facts.sender && (who.domain || vouched) ? facts.sender : null;
  // п. 3.3.1–3.3.2: a request in an authorised person's name is theirs only when they sent it.
  if (who.checked && intake.access && facts.sender?.personId && !verified)
    return {
      kind: 'hold',
      reason: `отправитель не подтверждён (${who.summary}): запрос уполномоченного лица на доступ (п. 3.3.1–3.3.2) принимается только после подтверждения оператором`,
      ticketId: null,
      organizationId: facts.sender.organizationId,
    };
  if (who.checked)
    intake = {
      ...intake,
      senderAuth: {
        authenticated: who.address,
        summary: who.summary,
        ...(vouched && !who.address && { confirmedByOperator: true }),
      },
    };
  if (known) {
    intake = {
      ...intake,
      initiator: {
        ...intake.initiator,
        organizationId: known.organizationId,
        organization: intake.initiator.organization ?? known.organizationName,
      },
      // п. 3.3.1 (1): an authorised person of the organisation, recognised by the address that carried
      // the mail (envelope and From: the same), never by one typed in the body (issue #11).
      ...(intake.access &&
        verified &&
        known.personId && {
          authorization: {
            verified: true,
            personId: known.personId,
            organizationId: known.organizationId,
            ...(who.checked && {
              method: who.address
                ? `${who.summary} (проверка SPF, DKIM, DMARC)`
                : 'отправитель подтверждён оператором при разборе отложенного письма',
            }),
          },
        }),
    };
  }
  const attachments = attachmentFiles(facts.inboxId, m, settings.attachments);
  if (attachments.refs.length) intake = { ...intake, attachments: [...attachments.refs] };
  const type = extracted.requestType;
  const missing =
    regulation.id === 'primorye'
      ? missingFields(intake, [
          ...regulation.requiredFields.all,
          ...(type ? (regulation.requiredFields.byType[type] ?? []) : []),
        ]).map((f) => f.label)
      : [];
  // п. 2.3.1.1: the request is accepted, and the initiator is told exactly what is missing; an
  // unauthenticated sender is not written to automatically (issue #18): the operator asks.
  const unanswered = who.checked && !who.address && !vouched;
  const initialCommands: QueuedCommand[] =
    missing.length && !unanswered
      ? [
          {
            type: 'requestInfo',
            by: SYSTEM,
            question:
              // The letter lists what is missing under its own heading; the question only asks for it.
              'Пожалуйста, ответьте на это письмо и укажите эти сведения (п. 2.3.1.1).',
            commandId: `mail:${facts.inboxId}:missing`,
          },
        ]
      : [];
  return {
    kind: missing.length ? 'missingFields' : 'newRequest',
    regulation: currentRef(regulation.id, settings.regulationSettings[regulation.id]),
    idPrefix: regulation.idPrefix,
    intake,
    ...(type && { requestType: type }),
    missing,
    initialCommands,
    organizationId: known?.organizationId ?? null,
    attachments,
    note: `ticket${missing.length && !unanswered ? '; missing fields asked' : ''}${unanswered ? '; sender not authenticated: no automatic mail' : ''}${skippedNote(attachments)}`,
  };
}

export function decideMail(facts: MailFacts, settings: DecisionSettings): MailOutcome {
  if (!facts.parsed.ok)
    return {
      kind: 'hold',
      reason: `the message cannot be parsed (${facts.parsed.error})`,
      ticketId: null,
      organizationId: null,
    };
  const m = facts.parsed.message;
  const regulation = regulationOf(settings, facts.envelopeTo, m);
  const sender = checkSender(m.fromAddress, facts.envelopeFrom);
  const who = authenticity(facts.auth, sender);
  const ticket = facts.ticket;

  // An operator vouches for a held message: as a new request, or as the initiator's message on a ticket.
  if (facts.release === 'new') return newRequest(facts, m, regulation, settings, who, who.checked);
  if (facts.release === 'ticket' && ticket)
    return initiatorMessage(facts, settings.attachments, m, ticket, initiatorActor(m, ticket.state), 'reply');

  const counterpart = !sender.address
    ? null
    : settings.counterparts.regional.includes(sender.address)
      ? 'regional'
      : settings.counterparts.federal.includes(sender.address)
        ? 'federal'
        : null;
  const automatic = automaticReason(m, facts.envelopeFrom, settings.domain);
  // A counterpart's mailbox may share the desk's domain: its mail is not «our own» for that.
  const ours = automatic === 'our own mail' && counterpart && !m.headers['x-reglament-ticket'];
  if (automatic && !ours)
    return { kind: 'ignore', reason: automatic, suppress: m.deliveryReport?.failed ?? [] };
  if (facts.duplicate && m.messageId) return { kind: 'duplicate', messageId: m.messageId };
  if (!sender.address)
    return { kind: 'hold', reason: 'no sender address to answer to', ticketId: null, organizationId: null };
  if (facts.ticketNotYetRecorded)
    return { kind: 'retry', reason: `ticket ${facts.ticketNotYetRecorded} is not recorded yet` };
  const organizationId = sender.aligned ? (facts.sender?.organizationId ?? null) : null;
  const hold = (reason: string, ticketId: string | null = null): MailOutcome => ({
    kind: 'hold',
    reason,
    ticketId,
    organizationId:
      ticketId && ticket ? (ticket.state.intake.initiator.organizationId ?? null) : organizationId,
  });

  if (counterpart) {
    const service = counterpart === 'regional' ? 'СП РПГУ' : 'СП ЕПГУ';
    if (!sender.verified)
      return hold(
        `mail from the ${counterpart} service's mailbox ${sender.address} whose envelope sender (${facts.envelopeFrom || 'none'}) is not that mailbox`,
        ticket?.state.id ?? null,
      );
    if (!who.address)
      return hold(
        `отправитель не подтверждён (${who.summary}): письмо от имени ${service} применяется только после подтверждения оператором`,
        ticket?.state.id ?? null,
      );
    if (!ticket) return hold(`mail from the ${counterpart} service (${service}) names no known ticket`);
    if (ticket.archived)
      return hold(
        `mail from the ${counterpart} service on archived ticket ${ticket.state.id}`,
        ticket.state.id,
      );
    if (ticket.state.regulation.id !== 'epgu')
      return hold(
        `mail from the ${counterpart} service on ticket ${ticket.state.id}, which is not a seed 003 appeal`,
        ticket.state.id,
      );
    if (counterpart === 'federal')
      return federalMessage(facts, settings.attachments, m, ticket, sender.address);
    // п. 3.3.7, 3.3.13.2: СП РПГУ relays the user's answers; while no answer is expected, a status inquiry (п. 3.3.9.2).
    return initiatorMessage(
      facts,
      settings.attachments,
      m,
      ticket,
      { kind: 'initiator', name: `${service} (за пользователя)`, email: sender.address },
      'counterpart',
    );
  }

  if (ticket) {
    const state = ticket.state;
    const onTicket = initiatorAddresses(state).some((a) => a.toLowerCase() === sender.address);
    // A ticket's mail passed on by someone else is their request, not a message on the ticket.
    if (!(isForward(m.subject) && !onTicket)) {
      if (!onTicket) return hold(`${sender.address} is not an address of ticket ${state.id}`, state.id);
      if (who.checked && !who.domain)
        return hold(
          `отправитель не подтверждён (${who.summary}): письмо от адреса инициатора заявки ${state.id} применяется только после подтверждения оператором`,
          state.id,
        );
      if (!sender.aligned && !who.domain)
        return hold(
          `the envelope sender (${facts.envelopeFrom || 'none'}) does not match From: ${sender.address}`,
          state.id,
        );
      if (ticket.archived) return hold(`ticket ${state.id} is archived`, state.id);
      return initiatorMessage(facts, settings.attachments, m, ticket, initiatorActor(m, state), 'reply');
    }
  }

  // A new request: answered automatically, so only from a plausible sender (no backscatter).
  if (!sender.aligned && !who.domain)
    return hold(
      `the envelope sender (${facts.envelopeFrom || 'none'}) does not match From: ${sender.address}: not answered automatically`,
    );
  if (facts.senderSuppressed)
    return hold(`${sender.address} is suppressed (its mail bounced): not answered automatically`);
  if (facts.senderOverAutomaticLimit)
    return hold(
      `${sender.address} got ${settings.automaticPerHour} automatic mails this hour: not answered automatically`,
    );
  return newRequest(facts, m, regulation, settings, who, false);
}

function initiatorActor(m: InboundMessage, state: TicketState): Actor {
  return {
    kind: 'initiator',
    email: m.fromAddress ?? undefined,
    name: m.fromName ?? state.intake.initiator.fullName,
  };
}
