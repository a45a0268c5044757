/**
 * The read model in PostgreSQL. Temporal holds each ticket's truth; these tables are what the API
 * lists, searches and reports on, plus what must survive on its own: sent mail (idempotency), the
 * inbound mailbox, organisations, FAQ, API keys. SQL migrations are generated into db/migrations
 * with `npm run db:generate` and committed.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { WorkSchedule } from '../domain/regulations/organizationSchedule';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });
const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Ticket numbers: the ID is the regulation's prefix plus this number (seed 000 п. 2.4). */
export const ticketNumbers = pgSequence('ticket_number_seq', { startWith: 100001 });

export const tickets = pgTable(
  'tickets',
  {
    id: text('id').primaryKey(),
    regulation: text('regulation').notNull(),
    regulationVersion: text('regulation_version').notNull(),
    type: text('type').notNull(),
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    line: text('line').notNull(),
    channel: text('channel').notNull(),
    assigneeId: text('assignee_id'),
    assigneeName: text('assignee_name'),
    organization: text('organization'),
    organizationId: text('organization_id'),
    initiatorName: text('initiator_name'),
    initiatorEmail: text('initiator_email'),
    subject: text('subject'),
    description: text('description'),
    receivedAt: at('received_at').notNull(),
    registeredAt: at('registered_at'),
    outcomeAt: at('outcome_at'),
    /** Resolution deadline; null when paused, stopped without target, or not set. */
    slaDueAt: at('sla_due_at'),
    /** The SLA deadline with «none» last, for keyset pagination sorted by due time. */
    slaSort: at('sla_sort').generatedAlwaysAs(sql`coalesce(sla_due_at, 'infinity'::timestamptz)`),
    /**
     * `sla_due_at` falls in a year without a loaded production calendar: counted by the Labour Code and
     * read as «предварительный срок» (issue #20); written with it, cleared when the decree reaches the ticket.
     */
    slaDueProvisional: boolean('sla_due_provisional').notNull().default(false),
    slaBreached: boolean('sla_breached').notNull().default(false),
    slaPaused: boolean('sla_paused').notNull().default(false),
    /** Working minutes the resolution clock ran, and spent paused, at the last update. */
    resolutionMinutes: integer('resolution_minutes'),
    pausedMinutes: integer('paused_minutes'),
    awaitingOperator: boolean('awaiting_operator').notNull().default(false),
    obscene: boolean('obscene').notNull().default(false),
    archived: boolean('archived').notNull().default(false),
    /** Number of events folded in; snapshots only move forward. */
    seq: integer('seq').notNull(),
    state: jsonb('state').notNull(),
    /**
     * Subject (A), description (B) and what people wrote: the text of the initiator's and operators'
     * events, not the desk's letters. Kept by triggers (db/migrations/0019_search_once.sql): rebuilt
     * from the event log when a ticket is stored or its text changes, appended as events arrive.
     */
    search: tsvector('search'),
    updatedAt: at('updated_at').notNull().defaultNow(),
    /**
     * When the read model last wrote a new snapshot of the ticket, by the database's clock: the
     * reconciler's watermark (issue #21; `updated_at` is the ticket's own time of its last event).
     */
    changedAt: at('changed_at').notNull().defaultNow(),
    /** The reconciler found no running workflow for this open ticket (POST /tickets/:id/restore). */
    workflowMissing: boolean('workflow_missing').notNull().default(false),
    /** What the reconciler saw: 'not found', 'failed', 'completed while the ticket is open'. */
    workflowProblem: text('workflow_problem'),
    /** When the reconciler last compared this ticket with its workflow. */
    workflowCheckedAt: at('workflow_checked_at'),
  },
  (t) => [
    index('tickets_unarchived_idx')
      .on(t.id)
      .where(sql`not ${t.archived}`),
    index('tickets_workflow_missing_idx')
      .on(t.id)
      .where(sql`${t.workflowMissing}`),
    index('tickets_sla_sort_idx').on(t.slaSort, t.id),
    index('tickets_received_idx').on(t.receivedAt, t.id),
    // Queue screens filter by organisation or assignee and sort by SLA due: one ordered index scan each.
    index('tickets_org_sla_idx').on(t.organizationId, t.slaSort, t.id),
    // Organisation + status, one short range per status (migration 0022).
    index('tickets_org_status_sla_idx').on(t.organizationId, t.status, t.slaSort, t.id),
    index('tickets_assignee_sla_idx').on(t.assigneeId, t.slaSort, t.id),
    // The words and the filters' columns in one index (btree_gin, migration 0021): a search + filter
    // is intersected inside it, not by collecting every match of the word first.
    index('tickets_search_idx').using(
      'gin',
      t.search,
      t.organizationId,
      t.status,
      t.line,
      t.type,
      t.assigneeId,
    ),
    // The search vector of the queue's head alone, with its own statistics (migration 0019).
    index('tickets_head_search_idx').using(
      'gin',
      sql`(case when ${t.slaSort} < 'infinity'::timestamptz then ${t.search} end)`,
    ),
    // Issue #21: the open backlog, a period's breaches and resolutions, and the SLA report, each one
    // small index range (db/migrations/0015_report_counters.sql).
    index('tickets_open_received_idx')
      .on(t.receivedAt)
      .where(sql`${t.outcomeAt} is null and not ${t.archived}`),
    index('tickets_breached_received_idx')
      .on(t.receivedAt)
      .where(sql`${t.slaBreached}`),
    index('tickets_outcome_idx')
      .on(t.outcomeAt)
      .where(sql`${t.outcomeAt} is not null`),
    index('tickets_received_report_idx').on(t.receivedAt),
    // The console's filters, each an ordered range by SLA due (test/db/queuePlans.test.ts).
    index('tickets_type_sla_idx').on(t.type, t.slaSort, t.id),
    index('tickets_line_sla_idx').on(t.line, t.slaSort, t.id),
    index('tickets_status_sla_idx').on(t.status, t.slaSort, t.id),
    index('tickets_breached_sla_idx')
      .on(t.slaSort, t.id)
      .where(sql`${t.slaBreached}`),
    index('tickets_awaiting_sla_idx')
      .on(t.slaSort, t.id)
      .where(sql`${t.awaitingOperator}`),
    index('tickets_missing_sla_idx')
      .on(t.slaSort, t.id)
      .where(sql`${t.workflowMissing}`),
    // The dashboard's breach list: 50 rows off an index range (db/migrations/0018_dashboard_aggregates.sql).
    index('tickets_open_breached_idx')
      .on(t.slaSort, t.id)
      .where(sql`${t.slaBreached} and ${t.outcomeAt} is null`),
    index('tickets_org_breached_received_idx')
      .on(t.organizationId, t.receivedAt)
      .where(sql`${t.slaBreached}`),
    // The SLA report's «предварительный срок» count: the few tickets past the loaded calendar (0017).
    index('tickets_provisional_received_idx')
      .on(t.receivedAt)
      .where(sql`${t.slaDueProvisional}`),
    // Issue #21: the reconciler's incremental pass, what changed since its watermark.
    index('tickets_changed_idx')
      .on(t.changedAt, t.id)
      .where(sql`not ${t.archived}`),
  ],
);

/**
 * Tickets not archived, counted by what /metrics, the dashboard's load and the backlog show; kept by
 * a trigger on tickets (db/migrations/0015_report_counters.sql), rebuilt by `reglament reports rebuild`.
 */
export const ticketCounts = pgTable(
  'ticket_counts',
  {
    regulation: text('regulation').notNull(),
    status: text('status').notNull(),
    line: text('line').notNull(),
    type: text('type').notNull(),
    /** '' when none. */
    organizationId: text('organization_id').notNull(),
    assigneeId: text('assignee_id').notNull(),
    open: boolean('open').notNull(),
    breached: boolean('breached').notNull(),
    awaitingOperator: boolean('awaiting_operator').notNull(),
    workflowMissing: boolean('workflow_missing').notNull(),
    assigneeName: text('assignee_name'),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'ticket_counts_pk',
      columns: [
        t.regulation,
        t.status,
        t.line,
        t.type,
        t.organizationId,
        t.assigneeId,
        t.open,
        t.breached,
        t.awaitingOperator,
        t.workflowMissing,
      ],
    }),
  ],
);

/** Inbound mail by state, kept by a trigger on inbox (/metrics). */
export const inboxCounts = pgTable('inbox_counts', {
  status: text('status').primaryKey(),
  n: integer('n').notNull(),
});

/** Resolutions by hour of the outcome, regulation, line and type (the dashboard's weekly on-time share). */
export const ticketOutcomesHourly = pgTable(
  'ticket_outcomes_hourly',
  {
    hour: at('hour').notNull(),
    regulation: text('regulation').notNull(),
    line: text('line').notNull(),
    type: text('type').notNull(),
    resolved: integer('resolved').notNull(),
    onTime: integer('on_time').notNull(),
  },
  (t) => [primaryKey({ name: 'ticket_outcomes_hourly_pk', columns: [t.hour, t.regulation, t.line, t.type] })],
);

/**
 * The SLA report's figures by UTC day ('d') and month ('m') of receipt, per scope ('*' or an
 * organisation's ID) and grouping; kept by a trigger on tickets (db/migrations/0018_dashboard_aggregates.sql).
 */
export const ticketSlaDaily = pgTable(
  'ticket_sla_daily',
  {
    scope: text('scope').notNull(),
    dimension: text('dimension').notNull(),
    span: text('span').notNull(),
    day: date('day').notNull(),
    /** '' when none. */
    value: text('value').notNull(),
    label: text('label'),
    tickets: integer('tickets').notNull(),
    resolved: integer('resolved').notNull(),
    onTime: integer('on_time').notNull(),
    breached: integer('breached').notNull(),
    openBreached: integer('open_breached').notNull(),
    pausedMinutes: bigint('paused_minutes', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'ticket_sla_daily_pk', columns: [t.scope, t.dimension, t.span, t.day, t.value] }),
  ],
);

/** Resolved tickets' working minutes as a histogram (domain/reports/resolutionHistogram.ts), same keys. */
export const ticketSlaHistogram = pgTable(
  'ticket_sla_histogram',
  {
    scope: text('scope').notNull(),
    dimension: text('dimension').notNull(),
    span: text('span').notNull(),
    day: date('day').notNull(),
    value: text('value').notNull(),
    bucket: smallint('bucket').notNull(),
    n: integer('n').notNull(),
    minutes: bigint('minutes', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({
      name: 'ticket_sla_histogram_pk',
      columns: [t.scope, t.dimension, t.span, t.day, t.value, t.bucket],
    }),
  ],
);

/** ticketOutcomesHourly per organisation (an organisation's dashboard). */
export const ticketOutcomesOrgHourly = pgTable(
  'ticket_outcomes_org_hourly',
  {
    organizationId: text('organization_id').notNull(),
    hour: at('hour').notNull(),
    regulation: text('regulation').notNull(),
    line: text('line').notNull(),
    type: text('type').notNull(),
    resolved: integer('resolved').notNull(),
    onTime: integer('on_time').notNull(),
  },
  (t) => [
    primaryKey({
      name: 'ticket_outcomes_org_hourly_pk',
      columns: [t.organizationId, t.hour, t.regulation, t.line, t.type],
    }),
  ],
);

/** Open tickets (not archived) by hour of receipt and status, per scope: the backlog by age. */
export const ticketBacklogHourly = pgTable(
  'ticket_backlog_hourly',
  {
    scope: text('scope').notNull(),
    hour: at('hour').notNull(),
    regulation: text('regulation').notNull(),
    status: text('status').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({ name: 'ticket_backlog_hourly_pk', columns: [t.scope, t.hour, t.regulation, t.status] }),
  ],
);

/** The append-only event log: one row per event, unique per ticket and sequence. */
export const ticketEvents = pgTable(
  'ticket_events',
  {
    ticketId: text('ticket_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: at('at').notNull(),
    actor: jsonb('actor').notNull(),
    event: jsonb('event').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.seq] }), index('ticket_events_at_idx').on(t.at)],
);

/** Every mail of a ticket, both ways. Outgoing rows are keyed by ticket, event and template. */
export const correspondence = pgTable(
  'correspondence',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: text('ticket_id'),
    direction: text('direction').notNull(), // 'in' | 'out'
    /** Outgoing: `<ticket>:<seq>:<template>`; incoming: `<ticket>:<seq>:in`. */
    key: text('key').notNull(),
    template: text('template'),
    messageId: text('message_id'),
    inReplyTo: text('in_reply_to'),
    fromAddress: text('from_address'),
    toAddresses: text('to_addresses')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    subject: text('subject'),
    body: text('body'),
    /** out: pending | sent | stored (no SMTP configured) | failed; in: received */
    status: text('status').notNull(),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    attachments: jsonb('attachments'),
    /** Sent by the system on its own; such mail to one address is rate-limited (no mail loops). */
    automatic: boolean('automatic').notNull().default(false),
    createdAt: at('created_at').notNull().defaultNow(),
    sentAt: at('sent_at'),
  },
  (t) => [
    uniqueIndex('correspondence_key_idx').on(t.key),
    index('correspondence_ticket_idx').on(t.ticketId, t.id),
    index('correspondence_message_id_idx').on(t.messageId),
  ],
);

/**
 * Each recipient of each automatic letter sent or stored, written by a trigger on correspondence
 * (migration 0023): the automatic-mail rate limit counts an address's last hour from one ordered
 * index range, reading no more rows than the limit.
 */
export const automaticMailRecipients = pgTable(
  'automatic_mail_recipients',
  {
    address: text('address').notNull(),
    createdAt: at('created_at').notNull(),
    letterId: integer('letter_id').notNull(),
  },
  (t) => [index('automatic_mail_recipients_idx').on(t.address, t.createdAt)],
);

/** Addresses that bounced or that got automatic mail: no mail loops (issue: email channel). */
export const mailSuppressions = pgTable('mail_suppressions', {
  address: text('address').primaryKey(),
  reason: text('reason').notNull(),
  until: at('until').notNull(),
});

export const organizations = pgTable('organizations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  inn: text('inn'),
  /** Mail domains of the organisation, used to recognise its people. */
  domains: text('domains')
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /**
   * The production calendar its tickets count on, e.g. 'ru-tatarstan' (issue #20); null: the
   * regulation's. Applied only where the ticket's regulation allows (organizationSchedulePolicy).
   */
  calendar: text('calendar'),
  /** Its working schedule ({ workdayStart, workdayEnd, shortenPreHolidays }); null: the regulation's. */
  schedule: jsonb('schedule').$type<WorkSchedule>(),
  createdAt: at('created_at').notNull().defaultNow(),
});

/** Seed 000 п. 3.3.1–3.3.2: who may request access to the module for an organisation. */
export const authorizedPersons = pgTable(
  'authorized_persons',
  {
    id: text('id').primaryKey(),
    organizationId: text('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    fullName: text('full_name').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    position: text('position'),
    active: boolean('active').notNull().default(true),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('authorized_persons_email_idx').on(sql`lower(${t.email})`, t.organizationId)],
);

/** Seed 003 п. 3.1.1: the FAQ the federal service hands over, loaded into the knowledge base. */
export const faqArticles = pgTable(
  'faq_articles',
  {
    id: text('id').primaryKey(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    keywords: text('keywords').notNull().default(''),
    source: text('source'),
    search: tsvector('search').generatedAlwaysAs(
      sql`setweight(to_tsvector('russian', question), 'A') || setweight(to_tsvector('russian', keywords), 'B') || setweight(to_tsvector('russian', answer), 'C')`,
    ),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('faq_search_idx').using('gin', t.search)],
);

/** Numbers already given to requests, so a retried intake never makes two tickets. */
export const ticketStarts = pgTable(
  'ticket_starts',
  {
    /** 'mail:<inbox id>' or 'api:<Idempotency-Key>'. */
    source: text('source').primaryKey(),
    ticketId: text('ticket_id').notNull(),
    number: bigint('number', { mode: 'number' }).notNull(),
    /** The instant the request's opening commands are applied at (openedAt), on every retry. */
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('ticket_starts_ticket_idx').on(t.ticketId)],
);

/**
 * Every message the SMTP intake accepted, stored before it answers 250: nothing accepted is lost.
 * The dispatcher turns each into exactly one outcome (a ticket, a reply, a hold, or ignored).
 */
export const inbox = pgTable(
  'inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    receivedAt: at('received_at').notNull().defaultNow(),
    /** SMTP envelope: MAIL FROM (empty for bounces) and RCPT TO. */
    envelopeFrom: text('envelope_from').notNull().default(''),
    envelopeTo: text('envelope_to').array().notNull(),
    remoteAddress: text('remote_address'),
    raw: bytea('raw').notNull(),
    size: integer('size').notNull(),
    /** From the headers, when they parse; duplicates (same Message-ID) are dropped by the dispatcher. */
    messageId: text('message_id'),
    /** pending | processing | done | held | ignored | duplicate | failed */
    status: text('status').notNull().default('pending'),
    /** What became of it, for people: 'ticket', 'reply', 'status_inquiry', 'held: …', 'ignored: …'. */
    outcome: text('outcome'),
    ticketId: text('ticket_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull().defaultNow(),
    /** A dispatcher holds a message until this time; a crashed one's messages are taken over after it. */
    leaseUntil: at('lease_until'),
    error: text('error'),
    processedAt: at('processed_at'),
    /** Whose message it is (the ticket's or the verified sender's organisation): organisation keys see only theirs. */
    organizationId: text('organization_id'),
    /** The intake's SPF/DKIM/DMARC verdict (mail/auth/verdict.ts SenderAuth); null: not checked (MAIL_AUTH=off). */
    senderAuth: jsonb('sender_auth'),
  },
  (t) => [
    index('inbox_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'processing')`),
    index('inbox_message_id_idx').on(t.messageId),
    index('inbox_status_idx').on(t.status, t.id),
    index('inbox_org_status_idx').on(t.organizationId, t.status, t.id),
    // A ticket's page reads its inbound mail's sender checks (migration 0019).
    index('inbox_ticket_idx').on(t.ticketId),
  ],
);

/** Files sent with requests and messages (screenshots and videos of incidents, seed 000 п. 2.3.1.2). */
export const attachments = pgTable(
  'attachments',
  {
    id: text('id').primaryKey(),
    ticketId: text('ticket_id'),
    inboxId: bigint('inbox_id', { mode: 'number' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    content: bytea('content').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('attachments_ticket_idx').on(t.ticketId),
    uniqueIndex('attachments_inbox_sha_idx').on(t.inboxId, t.sha256, t.fileName),
  ],
);

/** API keys, stored hashed (SHA-256 of a 256-bit secret); created with `reglament keys create`. */
export const apiKeys = pgTable('api_keys', {
  /** The public part of the key, `rgl_<id>_<secret>`. */
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  /** A key scoped to an organisation sees only that organisation's tickets. */
  organizationId: text('organization_id'),
  /** Who the key acts as in tickets (assignee id and name). */
  personId: text('person_id'),
  personName: text('person_name'),
  secretHash: text('secret_hash').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  lastUsedAt: at('last_used_at'),
  revokedAt: at('revoked_at'),
  /** After this instant the key is refused (`keys create --expires`). */
  expiresAt: at('expires_at'),
});

/**
 * What could not be done for a ticket and will not get better by retrying (issue #10, the poison-pill
 * rule): an event PostgreSQL refused as it was (stored sanitised or as a placeholder), a mail the
 * server rejected. Shown with the ticket and counted in /metrics; one row per problem, however often
 * the activity ran.
 */
export const ticketProblems = pgTable(
  'ticket_problems',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    ticketId: text('ticket_id').notNull(),
    /** unstorable_event | mail_rejected | mail_unstorable */
    kind: text('kind').notNull(),
    /** What it concerns: the events' sequence numbers, the mail's key. */
    key: text('key').notNull(),
    detail: text('detail').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ticket_problems_key_idx').on(t.ticketId, t.kind, t.key),
    index('ticket_problems_created_idx').on(t.createdAt),
  ],
);

/**
 * People who sign in to the console (issue #12). A user is a principal like an API key: a role and,
 * optionally, one organisation. Passwords are hashed with scrypt (memory-hard), never stored.
 */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** The sign-in name, lower-case. */
    login: text('login').notNull(),
    name: text('name').notNull(),
    email: text('email'),
    role: text('role').notNull(),
    organizationId: text('organization_id'),
    /** `scrypt$N$r$p$<salt>$<hash>`, base64url parts. */
    passwordHash: text('password_hash').notNull(),
    /** Set by an admin's reset and by the first run: the person picks a new password at sign-in. */
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: at('locked_until'),
    disabledAt: at('disabled_at'),
    createdAt: at('created_at').notNull().defaultNow(),
    lastSignInAt: at('last_sign_in_at'),
  },
  (t) => [uniqueIndex('users_login_idx').on(t.login)],
);

/**
 * Fixed-window counters shared by every replica (issue #21): API requests per key, failed key checks
 * and sign-in failures per address, sign-in failures per login and address (issue #18).
 */
/** Where the reconciler's passes got to, shared by every replica (issue #21, worker/reconciler.ts). */
export const reconcilerPasses = pgTable('reconciler_passes', {
  name: text('name').primaryKey(),
  /** Tickets changed after this instant (the database's clock) are checked by the next pass. */
  watermark: at('watermark').notNull(),
  /** When the last sweep over every open ticket began. */
  fullPassAt: at('full_pass_at'),
  /** The sweep under way has checked the open tickets up to this ID; null while none is under way. */
  sweepAfter: text('sweep_after'),
});

export const rateWindows = pgTable(
  'rate_windows',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    resetsAt: at('resets_at').notNull(),
  },
  (t) => [index('rate_windows_resets_idx').on(t.resetsAt)],
);

/** Server-side sessions: the cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Double-submit CSRF token the console sends back in X-CSRF-Token on every write. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** A person's saved queue filters («мои просроченные», «ожидают ответа оператора», …). */
export const savedViews = pgTable(
  'saved_views',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The user's id, or `key:<id>` for an API key. */
    owner: text('owner').notNull(),
    name: text('name').notNull(),
    filters: jsonb('filters').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_views_owner_name_idx').on(t.owner, t.name)],
);

/**
 * Production calendar versions (issue #20): immutable (a trigger refuses UPDATE and DELETE), each
 * with its source. A version holds every year of its calendar; a regional calendar names the one it
 * extends and holds only its own extra days. The built-in 2023–2027 data is version 1 of 'ru'.
 */
export const calendarVersions = pgTable(
  'calendar_versions',
  {
    id: text('id').primaryKey(),
    calendar: text('calendar').notNull(),
    extends: text('extends'),
    seq: integer('seq').notNull(),
    firstYear: integer('first_year').notNull(),
    lastYear: integer('last_year').notNull(),
    years: jsonb('years').notNull(),
    /** The decree: number and date, e.g. «№ 1466 от 24.09.2025». */
    decree: text('decree'),
    /** Where the file came from (a URL, a file name). */
    origin: text('origin'),
    loadedBy: text('loaded_by').notNull(),
    loadedAt: at('loaded_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('calendar_versions_seq_idx').on(t.calendar, t.seq)],
);
