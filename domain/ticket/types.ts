import type { ProductionCalendarData, WorkingDaysMode } from '../calendar/types';
import type { RegulationRef } from '../regulations/types';

/** ISO 8601 instant in UTC, e.g. '2025-01-09T05:30:00.000Z'. Everything here is plain JSON. */
export type Instant = string;

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
}

export type ActorKind = 'operator' | 'initiator' | 'system';

export interface Actor {
  readonly kind: ActorKind;
  readonly id?: string;
  readonly name?: string;
  readonly role?: string;
  readonly email?: string;
}

export const SYSTEM: Actor = { kind: 'system', name: 'reglament' };

export interface Initiator {
  readonly fullName?: string;
  readonly email?: string;
  /** Additional addresses for feedback (seed 000 п. 2.3.1.1). */
  readonly extraEmails?: readonly string[];
  /**
   * An address typed in the request's body that is not the sender's (issue #18, finding 8): data for
   * the operator, never a mail target.
   */
  readonly statedEmail?: string;
  readonly position?: string;
  readonly phone?: string;
  readonly organization?: string;
  readonly organizationId?: string;
  // Data the federal service needs (seed 003 п. 3.3.2.1).
  readonly snils?: string;
  readonly inn?: string;
  readonly birthDate?: string;
  readonly contact?: string;
}

export interface Attachment {
  readonly id: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
}

/** Seed 000 п. 3.3.1–3.3.2: service requests about access to the module. */
export interface AccessRequest {
  readonly kind: 'grant' | 'change' | 'deactivation';
  /** Whose access; for deactivation the organisation the user belongs to. */
  readonly targetUser?: string;
  readonly targetOrganizationId?: string;
}

/** The result of the first line's authentication of the initiator (п. 3.3.1 (1)). */
export interface Authorization {
  readonly verified: boolean;
  readonly personId?: string;
  readonly organizationId?: string;
  /** How the person was authenticated, e.g. «обратный звонок на номер из реестра» (by phone, recorded by the operator). */
  readonly method?: string;
}

/**
 * Issue #18: whether the request's mail came from who its From: says (SPF, DKIM, DMARC). Mail the
 * desk sends on its own never goes to an initiator address that is not authenticated, unless an
 * operator released the message, vouching for the sender.
 */
export interface SenderAuthNote {
  readonly authenticated: boolean;
  /** «Отправитель подтверждён (DMARC, dprim.ru)» or «Отправитель не подтверждён: SPF fail, …». */
  readonly summary: string;
  readonly confirmedByOperator?: boolean;
}

/** What the operator records about authenticating a caller (seed 000 п. 3.3.1 (1)). */
export interface Authentication {
  readonly method: string;
}

export interface Intake {
  readonly subject?: string;
  readonly description?: string;
  /** Seed 000 п. 2.3.1.9, 2.3.1.10, 2.3.1.12: what the initiator expected (the module's behaviour, the result). */
  readonly expectedResult?: string;
  /** Seed 000 п. 2.3.1.9: what the initiator got instead (an incident's actual result). */
  readonly actualResult?: string;
  readonly initiator: Initiator;
  readonly attachments?: readonly Attachment[];
  readonly links?: readonly string[];
  readonly access?: AccessRequest;
  readonly authorization?: Authorization;
  /** What the intake's sender check said about the mail the request came in (issue #18). */
  readonly senderAuth?: SenderAuthNote;
  /** Message-ID of the e-mail the request came in, so every reply threads under it. */
  readonly sourceMessageId?: string;
}

export type IntakePatch = Omit<Partial<Intake>, 'initiator'> & { readonly initiator?: Partial<Initiator> };

// ---- clocks ----------------------------------------------------------------------------------

export type TimerKind = 'warning' | 'reminder' | 'expiry';

export type ClockTarget =
  | { readonly minutes: number }
  | { readonly workingDays: number; readonly mode: WorkingDaysMode }
  | { readonly calendarDays: number };

export interface Pause {
  readonly from: Instant;
  readonly to: Instant | null;
}

/**
 * A deadline clock: its start, an append-only list of pauses and the calendar version. Deadlines are
 * always computed from these, so changing the target (reclassification) keeps every paused minute.
 */
export interface Clock {
  /** 'calendar': wall-clock time (24/7 first line); 'working': the regulation's business calendar. */
  readonly measure: 'calendar' | 'working';
  readonly startedAt: Instant;
  readonly target: ClockTarget | null;
  readonly pauses: readonly Pause[];
  readonly stoppedAt: Instant | null;
  readonly calendarVersion: string;
  /**
   * Set when a new calendar version reached the running clock (issue #20): the clock time used up to
   * `at` stays as it was counted (`usedMs`); from `at` on it counts on `calendarVersion`. A target
   * already used up by then keeps the deadline it had (`dueBefore`): only the old calendar knows it.
   */
  readonly rebased?: { readonly at: Instant; readonly usedMs: number; readonly dueBefore?: Instant };
  /** Warn staff at this share of the target. */
  readonly warnAt?: number;
  /** Remind the initiator this many working days before expiry. */
  readonly remindDaysBefore?: number;
  /** Timers already fired, so each fires once. */
  readonly fired: Readonly<Partial<Record<TimerKind, Instant>>>;
}

/**
 * Clock names: 'registration', 'resolution', 'noResponse', 'confirmation', 'followUp',
 * 'inquiry:<n>' (seed 003 п. 3.3.9.2), 'claim:<id>' (seed 003 п. 3.3.3.2), and reminders to staff
 * 'remind:<what>' (their expiry reminds, it is no breach).
 */
export type ClockName = string;

export type ClockOp =
  | { readonly op: 'start'; readonly name: ClockName; readonly clock: Clock }
  | { readonly op: 'pause'; readonly name: ClockName }
  | { readonly op: 'resume'; readonly name: ClockName }
  | { readonly op: 'stop'; readonly name: ClockName }
  | { readonly op: 'retarget'; readonly name: ClockName; readonly target: ClockTarget | null }
  | { readonly op: 'fire'; readonly name: ClockName; readonly timer: TimerKind }
  | {
      readonly op: 'rebase';
      readonly name: ClockName;
      readonly calendarVersion: string;
      /** Working ms used so far (working clocks with a time target); omitted when nothing carries over. */
      readonly usedMs?: number;
      /** The deadline on the old calendar when it had already passed (it cannot move any more). */
      readonly dueBefore?: Instant;
    };

// ---- state -----------------------------------------------------------------------------------

export type Channel = 'email' | 'phone';

export type InquiryService = 'federal' | 'regional';

/** Seed 003 п. 3.2.1, 3.3.1: what the regional operator found in the FAQ before forwarding. */
export type FaqCheck = 'no_answer' | 'not_helpful';

/** Seed 003: a claim is its own item linked to the ticket, with its own clock (п. 3.3.3.2). */
export interface Claim {
  readonly id: string;
  readonly text: string;
  readonly registeredAt: Instant;
  readonly resolvedAt: Instant | null;
  readonly resolution: string | null;
}

export interface Inquiry {
  readonly id: string;
  /** Which service answers it: СП ЕПГУ for a ticket it holds, else СП РПГУ (seed 003 п. 3.3.9, 3.3.1.2). */
  readonly service?: InquiryService;
  readonly receivedAt: Instant;
  readonly answeredAt: Instant | null;
}

export interface TicketState {
  readonly id: string;
  readonly regulation: RegulationRef;
  readonly type: string;
  readonly channel: Channel;
  readonly status: string;
  /** Rejection reason, pending reason or closing reason, by code. */
  readonly statusReason: string | null;
  /** Where a pause returns to (the status before «Ожидает ответа» / «В ожидании»). */
  readonly resumeStatus: string | null;
  readonly line: string;
  readonly assignee: Person | null;
  readonly intake: Intake;
  readonly receivedAt: Instant;
  readonly registeredAt: Instant | null;
  readonly outcomeAt: Instant | null;
  readonly resolution: string | null;
  readonly clocks: Readonly<Record<ClockName, Clock>>;
  /** Obscene words found in the request or the initiator's messages (п. 3.5): a flag, not a verdict. */
  readonly obsceneWords: readonly string[];
  /** The initiator answered and an operator has not acted since. */
  readonly awaitingOperator: boolean;
  readonly agency: string | null;
  readonly faqArticleId: string | null;
  readonly claims: readonly Claim[];
  readonly inquiries: readonly Inquiry[];
  readonly archived: boolean;
  /**
   * The production calendar this ticket counts on, when a version newer than the built-in one
   * reached it (issue #20): only the years from its reception on. Absent: the built-in data.
   */
  readonly calendar?: ProductionCalendarData;
  /** Number of events folded into this state. */
  readonly seq: number;
  /** When the last event happened. */
  readonly updatedAt: Instant;
}

// ---- commands --------------------------------------------------------------------------------

interface Cmd<T extends string> {
  readonly type: T;
  readonly by: Actor;
}

export type OperatorCommand =
  | (Cmd<'register'> & {
      readonly requestType?: string;
      readonly fields?: IntakePatch;
      readonly assignee?: Person;
      /** How the first line authenticated a caller asking for access (seed 000 п. 3.3.1 (1)). */
      readonly authentication?: Authentication;
    })
  | (Cmd<'assign'> & { readonly assignee: Person; readonly line?: string })
  | (Cmd<'escalate'> & { readonly toLine?: string; readonly reason: string; readonly assignee?: Person })
  | (Cmd<'requestInfo'> & { readonly question: string })
  | (Cmd<'reply'> & {
      readonly text: string;
      /** The letter's subject, when the message came by e-mail (issue #19: shown with the reply). */
      readonly subject?: string;
      readonly from?: string;
      readonly messageId?: string;
      readonly attachments?: readonly Attachment[];
      readonly fields?: IntakePatch;
    })
  | (Cmd<'resume'> & { readonly note?: string })
  | (Cmd<'resolve'> & { readonly text: string })
  | (Cmd<'closeUnreproducible'> & { readonly text: string })
  | (Cmd<'reject'> & { readonly reason: string; readonly text?: string })
  | (Cmd<'close'> & { readonly reason?: string; readonly text?: string })
  | (Cmd<'comment'> & { readonly text: string; readonly visibility?: 'internal' | 'public' })
  | (Cmd<'setDeadline'> & { readonly workingHours?: number; readonly dueAt?: Instant })
  | (Cmd<'reclassify'> & { readonly requestType: string; readonly reason?: string })
  // seed 003
  | (Cmd<'answerFromFaq'> & { readonly articleId: string; readonly answer: string })
  | (Cmd<'forward'> & {
      readonly note?: string;
      readonly fields?: IntakePatch;
      /** The FAQ was searched first (п. 3.2.1, 3.3.1): no answer there, or the article did not help. */
      readonly faqCheck?: FaqCheck;
      readonly faqArticleId?: string;
    })
  | (Cmd<'return'> & { readonly reason: string })
  | (Cmd<'registerClaim'> & { readonly text: string })
  | (Cmd<'resolveClaim'> & { readonly claimId: string; readonly text: string })
  | (Cmd<'askAgency'> & { readonly agency: string; readonly question?: string })
  | (Cmd<'agencyAnswered'> & { readonly text: string })
  | (Cmd<'statusInquiry'> & {
      readonly channel?: Channel;
      readonly text?: string;
      readonly messageId?: string;
    })
  | (Cmd<'answerInquiry'> & { readonly text: string; readonly inquiryId?: string })
  | (Cmd<'confirm'> & { readonly text?: string })
  | (Cmd<'disagree'> & { readonly text: string })
  // seed 000 п. 3.5: a change request sent to the ministry for approval
  | (Cmd<'requestApproval'> & { readonly note?: string })
  // issue #18: the organisation a ticket belongs to changes only by this, with a reason in the timeline
  | (Cmd<'changeOrganization'> & {
      readonly organizationId: string;
      readonly organization?: string;
      readonly reason: string;
    });

/** Fired by the shell when a deadline from nextDeadline() is reached. */
export interface TimerCommand {
  readonly type: 'timer';
  readonly by: Actor;
  readonly clock: ClockName;
  readonly timer: TimerKind;
  readonly dueAt: Instant;
}

/** A new production calendar version delivered to the ticket (issue #20; signal `calendar`). */
export interface CalendarCommand {
  readonly type: 'calendar';
  readonly by: Actor;
  readonly calendar: ProductionCalendarData;
  /** The decree, e.g. «№ 1187 от 17.09.2027», for the timeline. */
  readonly decree?: string | null;
}

export type Command = OperatorCommand | TimerCommand | CalendarCommand;
export type CommandType = Command['type'];
export type OperatorCommandType = OperatorCommand['type'];

export const OPERATOR_COMMANDS: readonly OperatorCommandType[] = [
  'register',
  'assign',
  'escalate',
  'requestInfo',
  'reply',
  'resume',
  'resolve',
  'closeUnreproducible',
  'reject',
  'close',
  'comment',
  'setDeadline',
  'reclassify',
  'answerFromFaq',
  'forward',
  'return',
  'registerClaim',
  'resolveClaim',
  'askAgency',
  'agencyAnswered',
  'statusInquiry',
  'answerInquiry',
  'confirm',
  'disagree',
  'requestApproval',
  'changeOrganization',
];

// ---- events ----------------------------------------------------------------------------------

export type EventBody =
  | {
      readonly type: 'received';
      readonly ticketId: string;
      readonly regulation: RegulationRef;
      readonly channel: Channel;
      readonly intake: Intake;
      readonly requestType: string;
    }
  | { readonly type: 'registered'; readonly requestType: string; readonly fields?: IntakePatch }
  | { readonly type: 'assigned'; readonly assignee: Person }
  | {
      readonly type: 'escalated';
      readonly fromLine: string;
      readonly toLine: string;
      readonly reason: string;
      readonly assignee: Person | null;
    }
  | { readonly type: 'infoRequested'; readonly question: string; readonly missingFields?: readonly string[] }
  | {
      readonly type: 'messageReceived';
      readonly text: string;
      /** The letter's subject (absent for a reply taken by phone, and in events recorded before it). */
      readonly subject?: string;
      readonly from?: string;
      readonly messageId?: string;
      readonly attachments?: readonly Attachment[];
      readonly fields?: IntakePatch;
    }
  | { readonly type: 'obsceneLanguageFlagged'; readonly words: readonly string[]; readonly source: string }
  | { readonly type: 'resumed'; readonly note?: string }
  | { readonly type: 'resolved'; readonly text: string }
  | { readonly type: 'closed'; readonly reason: string; readonly text?: string }
  | { readonly type: 'rejected'; readonly reason: string; readonly text?: string }
  | { readonly type: 'commented'; readonly text: string; readonly visibility: 'internal' | 'public' }
  | { readonly type: 'deadlineSet'; readonly minutes: number }
  | { readonly type: 'reclassified'; readonly from: string; readonly to: string; readonly reason?: string }
  | { readonly type: 'deadlineWarning'; readonly clock: ClockName; readonly dueAt: Instant }
  | { readonly type: 'deadlineBreached'; readonly clock: ClockName; readonly dueAt: Instant }
  | { readonly type: 'initiatorReminded'; readonly clock: ClockName; readonly dueAt: Instant }
  | { readonly type: 'archived' }
  | { readonly type: 'commandRefused'; readonly command: string; readonly refusal: Refusal }
  // seed 003
  | { readonly type: 'faqAnswered'; readonly articleId: string; readonly answer: string }
  | {
      readonly type: 'forwarded';
      readonly note?: string;
      readonly fields?: IntakePatch;
      readonly faqCheck?: FaqCheck;
      readonly faqArticleId?: string;
    }
  | { readonly type: 'returned'; readonly reason: string }
  | { readonly type: 'agencyAsked'; readonly agency: string; readonly question?: string }
  | { readonly type: 'agencyAnswered'; readonly text: string }
  | {
      readonly type: 'inquiryReceived';
      readonly inquiryId: string;
      readonly channel: Channel;
      readonly text?: string;
      readonly service?: InquiryService;
    }
  | {
      readonly type: 'inquiryAnswered';
      readonly inquiryId: string;
      readonly text: string;
      readonly automatic: boolean;
    }
  | { readonly type: 'solutionConfirmed'; readonly text?: string }
  | { readonly type: 'solutionDisputed'; readonly text: string }
  | { readonly type: 'claimRegistered'; readonly claimId: string; readonly text: string }
  | { readonly type: 'claimResolved'; readonly claimId: string; readonly text: string }
  // staff reminded by a `remind:*` clock: an initiator's message waits, or a deadline is not set
  | { readonly type: 'staffReminded'; readonly clock: ClockName; readonly dueAt: Instant }
  // seed 000 п. 3.5
  | { readonly type: 'approvalRequested'; readonly note?: string }
  // issue #18: an installation-wide supervisor moved the ticket to another organisation
  | {
      readonly type: 'organizationChanged';
      /** None when the ticket had no organisation. */
      readonly from?: string;
      readonly to: string;
      readonly organization?: string;
      readonly reason: string;
    }
  // issue #20: a production calendar version reached the ticket
  | {
      readonly type: 'calendarChanged';
      readonly calendar: ProductionCalendarData;
      /** The years whose days differ from what the ticket counted on (e.g. [2028]). */
      readonly years: readonly number[];
      readonly decree: string | null;
      /** Clocks whose deadline was recomputed. */
      readonly clocks: readonly ClockName[];
      /** For the timeline: «Срок пересчитан: производственный календарь 2028 (постановление № …)». */
      readonly note: string;
    };

export type EventType = EventBody['type'];

/** What decide() returns: a fact with the status and clock changes it implies. */
export type EventDraft = EventBody & {
  readonly at: Instant;
  readonly by: Actor;
  /** The status after the event, when it changes it. */
  readonly status?: string;
  readonly statusReason?: string | null;
  /** The support line after the event, when it changes it. */
  readonly line?: string;
  readonly clockOps?: readonly ClockOp[];
};

export type TicketEvent = EventDraft & { readonly seq: number };

/** A command that cannot be carried out now, with the reason a person understands. */
export interface Refusal {
  /** Stable code, e.g. 'invalid_status', 'missing_fields'. */
  readonly code: string;
  /** Russian, for operators and initiators. */
  readonly message: string;
  /** English, for logs. */
  readonly detail: string;
}

export type Decision =
  | { readonly ok: true; readonly events: readonly EventDraft[] }
  | { readonly ok: false; readonly refusal: Refusal };
