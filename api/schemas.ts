/** Request and response shapes of the API; they validate and they document (OpenAPI). */
import { z } from 'zod';
import { type OPERATOR_COMMANDS, storableText } from '../domain';

const MAX_TEXT = 20_000;

/** Free text from a client: trimmed, control characters removed, bounded. */
export const text = (max = MAX_TEXT) =>
  z
    .string()
    .max(max, `не длиннее ${max} символов`)
    .transform((s) => storableText(s).trim())
    .pipe(z.string().min(1, 'не может быть пустым'));

export const optionalText = (max = MAX_TEXT) => text(max).optional();

export const isoInstant = z
  .string()
  .refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s) &&
      Number.isFinite(Date.parse(s)),
    {
      message: 'дата и время в ISO 8601 с часовым поясом, например 2025-03-03T10:00:00+10:00',
    },
  )
  .meta({ format: 'date-time', examples: ['2025-03-03T10:00:00+10:00'] });

export const person = z
  .strictObject({ id: text(100), name: text(200), email: z.email('некорректный адрес').optional() })
  .meta({ id: 'Person' });

export const initiator = z
  .strictObject({
    fullName: optionalText(300),
    email: z.email('некорректный адрес').optional(),
    extraEmails: z.array(z.email('некорректный адрес')).max(10).optional(),
    /** Issue #18, finding 8: an address the request's body named; data, never a mail target. */
    statedEmail: optionalText(320),
    position: optionalText(500),
    phone: optionalText(50),
    organization: optionalText(500),
    organizationId: optionalText(100),
    snils: optionalText(20),
    inn: optionalText(20),
    birthDate: z.iso.date('дата рождения в виде ГГГГ-ММ-ДД').optional(),
    contact: optionalText(300),
  })
  .meta({ id: 'Initiator' });

/** Seed 000 п. 2.3.1.9, 2.3.1.10, 2.3.1.12: what the initiator expected, and (an incident) what happened. */
const content = {
  expectedResult: optionalText(),
  actualResult: optionalText(),
};

/** Seed 000 п. 3.3.1 (1): how the first line authenticated a caller asking for access. */
export const authentication = z.strictObject({ method: text(300) }).meta({
  id: 'Authentication',
  description: 'Как первая линия аутентифицировала звонящего как уполномоченное лицо (п. 3.3.1 (1))',
});

/** Seed 000 п. 3.3.1–3.3.2: a service request about access to the module. */
export const accessRequest = z
  .strictObject({
    kind: z.enum(['grant', 'change', 'deactivation']),
    targetUser: optionalText(300),
    targetOrganizationId: optionalText(100),
  })
  .meta({
    id: 'AccessRequest',
    description: 'Запрос на получение, изменение или деактивацию доступа к Модулю (п. 3.3.1–3.3.2)',
  });

const fields = z.strictObject({
  initiator: initiator.partial().optional(),
  description: optionalText(),
  ...content,
});

export const regulationId = z.enum(['primorye', 'epgu']);

export const createTicket = z
  .strictObject({
    regulation: regulationId.optional(),
    /** The same name as /register's: the request's type in the regulation (GET /regulations/:id). */
    requestType: optionalText(40),
    channel: z.enum(['phone', 'email']).default('phone'),
    receivedAt: isoInstant.optional(),
    subject: optionalText(500),
    description: text(),
    ...content,
    initiator,
    authentication: authentication.optional(),
    access: accessRequest.optional(),
    register: z.boolean().default(true),
    assignee: person.optional(),
  })
  .meta({ id: 'CreateTicket' });

/** Body of each operator command, by its URL name (kebab-case of the command). */
export const commandBodies = {
  register: z.strictObject({
    requestType: optionalText(40),
    assignee: person.optional(),
    fields: fields.optional(),
    authentication: authentication.optional(),
  }),
  assign: z.strictObject({ assignee: person, line: optionalText(40) }),
  escalate: z.strictObject({ reason: text(2000), toLine: optionalText(40), assignee: person.optional() }),
  requestInfo: z.strictObject({ question: text() }),
  reply: z.strictObject({ text: text(), from: z.email().optional(), fields: fields.optional() }),
  resume: z.strictObject({ note: optionalText(2000) }),
  resolve: z.strictObject({ text: text() }),
  closeUnreproducible: z.strictObject({ text: text() }),
  reject: z.strictObject({ reason: text(60), text: optionalText() }),
  close: z.strictObject({ text: text(), reason: optionalText(60) }),
  comment: z.strictObject({ text: text(), visibility: z.enum(['internal', 'public']).default('internal') }),
  setDeadline: z
    .strictObject({
      workingHours: z.number().positive().max(10_000).optional(),
      dueAt: isoInstant.optional(),
    })
    .refine((b) => (b.workingHours === undefined) !== (b.dueAt === undefined), {
      message: 'укажите либо workingHours, либо dueAt',
    }),
  reclassify: z.strictObject({ requestType: text(40), reason: optionalText(2000) }),
  answerFromFaq: z.strictObject({ articleId: text(100), answer: optionalText() }),
  forward: z.strictObject({
    note: optionalText(2000),
    fields: fields.optional(),
    // Seed 003 п. 3.2.1, 3.3.1: the FAQ was searched first.
    faqCheck: z.enum(['no_answer', 'not_helpful']).optional(),
    faqArticleId: optionalText(100),
  }),
  return: z.strictObject({ reason: text(2000) }),
  registerClaim: z.strictObject({ text: text() }),
  resolveClaim: z.strictObject({ claimId: text(100), text: text() }),
  askAgency: z.strictObject({ agency: text(300), question: optionalText() }),
  agencyAnswered: z.strictObject({ text: text() }),
  statusInquiry: z.strictObject({
    // Default: the appeal's own channel (seed 003 п. 3.3.9: in writing, answered within 3 working hours).
    channel: z.enum(['email', 'phone']).optional(),
    text: optionalText(),
  }),
  answerInquiry: z.strictObject({ text: text(), inquiryId: optionalText(20) }),
  confirm: z.strictObject({ text: optionalText() }),
  disagree: z.strictObject({ text: text() }),
  requestApproval: z.strictObject({ note: optionalText(2000) }),
  // Issue #18: only a supervisor of the whole installation, with the reason for the timeline.
  changeOrganization: z.strictObject({ organizationId: text(100), reason: text(2000) }),
} satisfies Record<(typeof OPERATOR_COMMANDS)[number], z.ZodType>;

export const kebab = (s: string): string => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const ticketSummary = z
  .object({
    id: z.string(),
    regulation: z.string(),
    type: z.string(),
    typeLabel: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    statusReason: z.string().nullable(),
    line: z.string(),
    channel: z.string(),
    assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
    organization: z.string().nullable(),
    organizationId: z.string().nullable(),
    initiator: z.object({ name: z.string().nullable(), email: z.string().nullable() }),
    subject: z.string().nullable(),
    receivedAt: z.string(),
    registeredAt: z.string().nullable(),
    outcomeAt: z.string().nullable(),
    slaDueAt: z.string().nullable(),
    /** «предварительный срок»: slaDueAt is counted by the Labour Code, no calendar loaded for its year (issue #20). */
    slaDueProvisional: z.boolean(),
    slaBreached: z.boolean(),
    slaPaused: z.boolean(),
    awaitingOperator: z.boolean(),
    /** What needs an operator: «получен ответ инициатора» (awaitingOperator). */
    attention: z.array(z.object({ code: z.string(), label: z.string() })),
    flaggedObscene: z.boolean(),
    archived: z.boolean(),
    /** No running workflow was found for this open ticket (POST /tickets/:id/restore). */
    workflowMissing: z.boolean(),
  })
  .meta({ id: 'TicketSummary' });

export const ticketList = z
  .object({ items: z.array(ticketSummary), nextCursor: z.string().nullable() })
  .meta({ id: 'TicketList' });

export const commandResult = z
  .object({
    commandId: z.string(),
    duplicate: z.boolean(),
    events: z.array(z.record(z.string(), z.unknown())),
    ticket: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'CommandResult' });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    code: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const anyObject = z.record(z.string(), z.unknown());

export const listQuery = z.strictObject({
  /** Comma-separated statuses, any number of them. */
  status: z.string().max(400).optional(),
  type: z.string().max(40).optional(),
  line: z.string().max(40).optional(),
  assignee: z.string().max(100).optional(),
  organization: z.string().max(100).optional(),
  regulation: regulationId.optional(),
  breached: z.enum(['true', 'false']).optional(),
  awaitingOperator: z.enum(['true', 'false']).optional(),
  workflowMissing: z.enum(['true', 'false']).optional(),
  dueBefore: isoInstant.optional(),
  dueAfter: isoInstant.optional(),
  q: z.string().max(200).optional(),
  sort: z.enum(['due', 'received']).default('due'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

export const idParam = z.strictObject({ id: z.string().min(1).max(100) });
