/** Response shapes of a ticket as the console reads it (documentation and the console's generated types). */
import { z } from 'zod';

const person = z.object({ id: z.string(), name: z.string(), email: z.string().optional() });

const clock = z.object({
  name: z.string(),
  measure: z.enum(['calendar', 'working']),
  startedAt: z.string(),
  state: z.enum(['running', 'paused', 'stopped']),
  target: z.string().nullable(),
  dueAt: z.string().nullable(),
  warningAt: z.string().nullable(),
  remainingMinutes: z.number().nullable(),
  elapsedMinutes: z.number(),
  pausedMinutes: z.number(),
  breached: z.boolean(),
  /** «предварительный срок»: the deadline's year has no loaded production calendar (ст. 112 ТК РФ only). */
  provisional: z.boolean(),
  problem: z.string().nullable(),
});

const attachment = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number(),
  url: z.string().optional(),
});

export const ticketInitiator = z.object({
  fullName: z.string().optional(),
  email: z.string().optional(),
  extraEmails: z.array(z.string()).optional(),
  /** Issue #18, finding 8: an address typed in the body, for the operator; never a mail target. */
  statedEmail: z.string().optional(),
  position: z.string().optional(),
  phone: z.string().optional(),
  organization: z.string().optional(),
  organizationId: z.string().optional(),
  snils: z.string().optional(),
  inn: z.string().optional(),
  birthDate: z.string().optional(),
  contact: z.string().optional(),
});

/** One event of the ticket's log: its type, when, by whom, and the event's own fields. */
export const ticketEvent = z
  .object({
    seq: z.number(),
    type: z.string(),
    at: z.string(),
    by: z.object({
      kind: z.enum(['operator', 'initiator', 'system']),
      id: z.string().optional(),
      name: z.string().optional(),
      role: z.string().optional(),
      email: z.string().optional(),
    }),
    status: z.string().optional(),
    text: z.string().optional(),
    /** messageReceived: the letter's subject (issue #19). */
    subject: z.string().optional(),
    visibility: z.enum(['internal', 'public']).optional(),
    reason: z.string().optional(),
    question: z.string().optional(),
    note: z.string().optional(),
    assignee: person.nullable().optional(),
    fromLine: z.string().optional(),
    toLine: z.string().optional(),
    from: z.string().optional(),
    /** organizationChanged: the organisation's ID and name (issue #18). */
    to: z.string().optional(),
    organization: z.string().optional(),
    clock: z.string().optional(),
    dueAt: z.string().optional(),
    answer: z.string().optional(),
    agency: z.string().optional(),
    attachments: z.array(attachment).optional(),
    requestType: z.string().optional(),
    /** Seed 003 п. 3.2.1, 3.3.1: what the FAQ gave before forwarding. */
    faqCheck: z.enum(['no_answer', 'not_helpful']).optional(),
    faqArticleId: z.string().optional(),
    articleId: z.string().optional(),
  })
  .meta({ id: 'TicketEvent' });

export const ticketView = z
  .object({
    id: z.string(),
    regulation: z.object({ id: z.string(), version: z.string() }),
    type: z.string(),
    typeLabel: z.string(),
    channel: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    statusReason: z.string().nullable(),
    statusReasonLabel: z.string().nullable(),
    line: z.string(),
    lineLabel: z.string(),
    assignee: person.nullable(),
    intake: z.object({
      subject: z.string().optional(),
      description: z.string().optional(),
      /** Seed 000 п. 2.3.1.9, 2.3.1.10, 2.3.1.12. */
      expectedResult: z.string().optional(),
      actualResult: z.string().optional(),
      initiator: ticketInitiator,
      attachments: z.array(attachment).optional(),
      /** Seed 000 п. 3.3.1–3.3.2: an access request, and how its initiator was authenticated. */
      access: z
        .object({
          kind: z.enum(['grant', 'change', 'deactivation']),
          targetUser: z.string().optional(),
          targetOrganizationId: z.string().optional(),
        })
        .optional(),
      authorization: z
        .object({
          verified: z.boolean(),
          personId: z.string().optional(),
          organizationId: z.string().optional(),
          method: z.string().optional(),
        })
        .optional(),
      /** Issue #18: the sender check of the mail the request came in. */
      senderAuth: z
        .object({
          authenticated: z.boolean(),
          summary: z.string(),
          confirmedByOperator: z.boolean().optional(),
        })
        .optional(),
    }),
    receivedAt: z.string(),
    registeredAt: z.string().nullable(),
    outcomeAt: z.string().nullable(),
    resolution: z.string().nullable(),
    awaitingOperator: z.boolean(),
    /** What needs an operator: «получен ответ инициатора», a change request without a deadline (п. 3.1.3). */
    attention: z.array(z.object({ code: z.string(), label: z.string() })),
    obsceneWords: z.array(z.string()),
    agency: z.string().nullable(),
    claims: z.array(
      z.object({
        id: z.string(),
        text: z.string(),
        registeredAt: z.string(),
        resolvedAt: z.string().nullable(),
      }),
    ),
    archived: z.boolean(),
    clocks: z.array(clock),
    deadlines: z.record(z.string(), z.string().nullable()),
    provisionalDeadlines: z.array(z.string()),
    seq: z.number(),
    updatedAt: z.string(),
  })
  .meta({ id: 'TicketView' });

/** Issue #18: the intake's SPF/DKIM/DMARC verdict on an incoming message. */
export const senderAuth = z
  .object({
    mode: z.enum(['verify', 'upstream']),
    spf: z.string(),
    dkim: z.string(),
    dmarc: z.string(),
    fromDomain: z.string().nullable(),
    domain: z.string().nullable(),
    authenticated: z.boolean(),
    via: z.enum(['dmarc', 'dkim', 'spf']).optional(),
    summary: z.string(),
  })
  .meta({ id: 'SenderAuth' });

export const correspondenceItem = z
  .object({
    id: z.number(),
    direction: z.enum(['in', 'out']),
    template: z.string().nullable(),
    status: z.string(),
    /** Set only for real mail; a request taken by phone has none. */
    messageId: z.string().nullable(),
    inReplyTo: z.string().nullable(),
    from: z.string().nullable(),
    to: z.array(z.string()),
    subject: z.string().nullable(),
    body: z.string().nullable(),
    attachments: z.unknown(),
    error: z.string().nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    senderAuth: senderAuth.nullable(),
  })
  .meta({ id: 'Correspondence' });

export const ticketDetail = ticketView
  .extend({
    correspondence: z.array(correspondenceItem),
    attachments: z.array(attachment),
    links: z.object({ history: z.string(), temporal: z.string().nullable() }),
  })
  .meta({ id: 'TicketDetail' });

export const ticketHistory = z
  .object({ id: z.string(), temporal: z.string().nullable(), events: z.array(ticketEvent) })
  .meta({ id: 'TicketHistory' });
