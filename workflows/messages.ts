/**
 * The ticket workflow's public interface: its input, the `execute` Update (operator commands that
 * answer with the real result), one signal per operator action (fire-and-forget senders such as the
 * mail dispatcher) and the `ticket` query. The API and the mail dispatcher import this module (never
 * the workflow code). Wire names are the command names (`assign`, `requestInfo`, …).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  Command,
  Instant,
  OpenTicketInput,
  OperatorCommand,
  OperatorCommandType,
  ProductionCalendarData,
  Refusal,
  TicketEvent,
  TicketState,
  TicketView,
} from '../domain';

export const TASK_QUEUE_DEFAULT = 'reglament';

/** A command as sent over a signal: the command's fields plus an optional id that makes it idempotent. */
export type CommandPayload<T extends OperatorCommandType = OperatorCommandType> = Omit<
  Extract<OperatorCommand, { type: T }>,
  'type'
> & {
  /** Repeated deliveries with the same id (a retried request, a re-read e-mail) apply once. */
  readonly commandId?: string;
};

export type QueuedCommand = Command & { readonly commandId?: string };

/** An operator command sent as an Update; its id is the Update ID, so a retried request applies once. */
export type UpdateCommand = OperatorCommand & { readonly commandId: string };

/** What an Update answers: the events the command produced and the ticket's state right after. */
export interface CommandOutcome {
  readonly commandId: string;
  readonly events: readonly TicketEvent[];
  readonly state: TicketState;
  /** The same id was applied before (a retried request): nothing happened now. */
  readonly duplicate: boolean;
}

/** The type of the ApplicationFailure an Update fails with when the rules refuse the command. */
export const COMMAND_REFUSED = 'CommandRefused';

/** The refusal carried by a failed Update (its failure's first detail). */
export type RefusalDetails = [Refusal];

export interface CarriedTicket {
  readonly state: TicketState;
  /** The log of recent events (the full log is in PostgreSQL). */
  readonly log: readonly TicketEvent[];
  /** Signals received but not yet applied when the run continued as new. */
  readonly pending: readonly QueuedCommand[];
  /** Recently seen command ids, for idempotent signals. */
  readonly seen: readonly string[];
}

export interface TicketWorkflowInput {
  /** A new ticket, as received; its regulation reference carries the regulation's version. */
  readonly open?: OpenTicketInput;
  /** Commands applied right after opening, e.g. registration of a phone request by the operator. */
  readonly initialCommands?: readonly QueuedCommand[];
  /**
   * When the caller decided the initial commands: they are applied at this instant, so the read model
   * the caller wrote before answering (domain openWithCommands) and the workflow agree. Inputs without
   * it (tickets started before it existed) apply them when the workflow first runs.
   */
  readonly openedAt?: Instant;
  /** State carried over by continue-as-new. */
  readonly carried?: CarriedTicket;
  readonly options?: {
    /** Continue as new past this many history events (default 8000), even if the server does not suggest it. */
    readonly historyBudget?: number;
    /**
     * Added to the workflow's clock (ms): a tester's scenario dated in the past runs on a time-skipping
     * server, whose clock starts at the present (`reglament simulate --engine temporal`). Never set for
     * real tickets.
     */
    readonly clockOffsetMs?: number;
  };
}

export interface TicketWorkflowResult {
  readonly id: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly seq: number;
}

const signal = <T extends OperatorCommandType>(name: T) => defineSignal<[CommandPayload<T>]>(name);

export const registerSignal = signal('register');
export const assignSignal = signal('assign');
export const escalateSignal = signal('escalate');
export const requestInfoSignal = signal('requestInfo');
export const replySignal = signal('reply');
export const resumeSignal = signal('resume');
export const resolveSignal = signal('resolve');
export const closeUnreproducibleSignal = signal('closeUnreproducible');
export const rejectSignal = signal('reject');
export const closeSignal = signal('close');
export const commentSignal = signal('comment');
export const setDeadlineSignal = signal('setDeadline');
export const reclassifySignal = signal('reclassify');
export const answerFromFaqSignal = signal('answerFromFaq');
export const forwardSignal = signal('forward');
export const returnSignal = signal('return');
export const registerClaimSignal = signal('registerClaim');
export const resolveClaimSignal = signal('resolveClaim');
export const askAgencySignal = signal('askAgency');
export const agencyAnsweredSignal = signal('agencyAnswered');
export const statusInquirySignal = signal('statusInquiry');
export const answerInquirySignal = signal('answerInquiry');
export const confirmSignal = signal('confirm');
export const disagreeSignal = signal('disagree');
export const requestApprovalSignal = signal('requestApproval');
export const changeOrganizationSignal = signal('changeOrganization');

/** What the `calendar` signal carries: a production calendar version for the ticket (issue #20). */
export interface CalendarPayload {
  readonly calendar: ProductionCalendarData;
  readonly decree?: string | null;
  /** `calendar:<version>`: a repeated fan-out delivers it once. */
  readonly commandId?: string;
}

/** A new production calendar version reaches a running ticket (never read from the database inside). */
export const calendarSignal = defineSignal<[CalendarPayload]>('calendar');

/** Every command's signal, by command name. */
export const commandSignals = {
  register: registerSignal,
  assign: assignSignal,
  escalate: escalateSignal,
  requestInfo: requestInfoSignal,
  reply: replySignal,
  resume: resumeSignal,
  resolve: resolveSignal,
  closeUnreproducible: closeUnreproducibleSignal,
  reject: rejectSignal,
  close: closeSignal,
  comment: commentSignal,
  setDeadline: setDeadlineSignal,
  reclassify: reclassifySignal,
  answerFromFaq: answerFromFaqSignal,
  forward: forwardSignal,
  return: returnSignal,
  registerClaim: registerClaimSignal,
  resolveClaim: resolveClaimSignal,
  askAgency: askAgencySignal,
  agencyAnswered: agencyAnsweredSignal,
  statusInquiry: statusInquirySignal,
  answerInquiry: answerInquirySignal,
  confirm: confirmSignal,
  disagree: disagreeSignal,
  requestApproval: requestApprovalSignal,
  changeOrganization: changeOrganizationSignal,
} as const satisfies { [K in OperatorCommandType]: ReturnType<typeof signal<K>> };

/**
 * An operator command, answered with its result. The validator runs the rules (decide) on the
 * workflow's own state and rejects with the refusal; the handler applies the command in order with
 * everything else the ticket receives.
 */
export const executeUpdate = defineUpdate<CommandOutcome, [UpdateCommand]>('execute');

/** The full state: status, line, assignee, clocks with remaining working time, deadlines, the log. */
export const ticketQuery = defineQuery<TicketView>('ticket');

/** How many batches of the ticket's effects (read model, mail) are still under way; 0 when settled. */
export const effectsQuery = defineQuery<number>('effects');

/** Custom search attributes for Temporal UI; registered wherever the project starts or meets a server. */
export const searchAttributes = {
  TicketType: defineSearchAttributeKey('TicketType', SearchAttributeType.KEYWORD),
  TicketStatus: defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD),
  SupportLine: defineSearchAttributeKey('SupportLine', SearchAttributeType.KEYWORD),
  Organization: defineSearchAttributeKey('Organization', SearchAttributeType.KEYWORD),
  Regulation: defineSearchAttributeKey('Regulation', SearchAttributeType.KEYWORD),
  SlaDueAt: defineSearchAttributeKey('SlaDueAt', SearchAttributeType.DATETIME),
  SlaBreached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
} as const;
