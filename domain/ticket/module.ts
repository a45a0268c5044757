/**
 * The one typed interface between the engine and a regulation. A regulation is one module: its rules
 * as data (versions), how a ticket opens, its commands (each with its preconditions apart from its
 * argument checks), the clocks whose expiry changes the ticket, and its mail. The engine (decide,
 * availableActions, evolve, the runtime, notifications) calls nothing else; behaviour the
 * regulations share lives in the engine (`rules.ts`, `decision.ts`).
 */
import type { MailRole } from '../notifications/build';
import type { Duration, FieldRequirement, RegulationData, RegulationSettings } from '../regulations/types';
import type { OrganizationSchedulePolicy } from '../regulations/organizationSchedule';
import type { Ctx } from './decision';
import type {
  Actor,
  Channel,
  ClockName,
  ClockOp,
  Decision,
  EventType,
  Instant,
  Intake,
  OperatorCommand,
  OperatorCommandType,
  Refusal,
  TicketEvent,
  TicketState,
} from './types';

export type CommandOf<K extends OperatorCommandType> = Extract<OperatorCommand, { type: K }>;

/**
 * A precondition: whether the command is possible on this state for this person, whatever its
 * arguments. `availableActions` runs exactly these; decide() runs them before the command's own checks.
 */
export type Guard<R extends RegulationData = RegulationData> = (c: Ctx<R>, by: Actor) => Refusal | null;

export interface CommandRule<R extends RegulationData, K extends OperatorCommandType> {
  /** Preconditions on the state and the actor (statuses, type, assignee…), in order. */
  readonly when?: readonly Guard<R>[];
  /** The work of the line holding the ticket: only that line's roles (`lineRoles`) may issue it. */
  readonly ownLine?: boolean;
  /** The initiator may issue it (a message, a status inquiry, a confirmation). */
  readonly initiator?: boolean;
  /** The argument checks and the events, once the preconditions hold. */
  readonly run: (c: Ctx<R>, command: CommandOf<K>) => Decision;
}

export type CommandTable<R extends RegulationData> = {
  readonly [K in OperatorCommandType]?: CommandRule<R, K>;
};

/** How a ticket starts under the regulation (the `received` event). */
export interface OpenPlan {
  /** The first status (default 'received'). */
  readonly status?: string;
  readonly requestType: string;
  readonly line: string;
  readonly clockOps: readonly ClockOp[];
  /** Check the request's text for obscene language (seed 000 п. 3.5). */
  readonly flagObsceneLanguage: boolean;
}

export interface OpenRequest {
  readonly requestType?: string;
  readonly channel: Channel;
  readonly intake: Intake;
}

/** Who gets a mail; roles are mailboxes from configuration. */
export interface Audience {
  readonly to?: readonly string[];
  readonly roles?: readonly MailRole[];
}

/** One mail a template decides on; the engine adds the ID, greeting, subject, signature and key. */
export interface MailSpec {
  readonly template: string;
  readonly audience: Audience;
  readonly lines: readonly string[];
  /** Sent by the system on its own (Auto-Submitted). */
  readonly automatic?: boolean;
}

export interface MailCtx<R extends RegulationData = RegulationData> {
  readonly state: TicketState;
  readonly event: TicketEvent;
  readonly rules: R;
  /** A date in the regulation's zone, «27.12.2024 17:30 (МСК+7)»; «—» for none. */
  readonly when: (iso: Instant | null | undefined) => string;
  /** A clock's deadline, formatted. */
  readonly deadline: (clock: ClockName) => string;
  /** A deadline as `when` shows it, plus «(предварительный срок)» in a year without a loaded calendar. */
  readonly whenDue: (iso: Instant | null | undefined) => string;
  /** A clock's deadline as an instant. */
  readonly due: (clock: ClockName) => Instant | null;
  /** The initiator's addresses (п. 2.3.1.1). */
  readonly initiator: Audience;
}

export type MailTemplate<R extends RegulationData, E extends EventType> = (
  c: MailCtx<R>,
  event: Extract<TicketEvent, { type: E }>,
) => MailSpec | readonly (MailSpec | null)[] | null;

export type MailTemplates<R extends RegulationData> = { readonly [E in EventType]?: MailTemplate<R, E> };

/** What a queue or a ticket page flags for attention. */
export interface Attention {
  readonly code: string;
  readonly label: string;
}

export interface RegulationModule<R extends RegulationData = RegulationData> {
  /** Published versions of the rules, oldest first. A running ticket keeps the version it opened under. */
  readonly versions: readonly R[];
  /**
   * Whether an organisation may name its own calendar and working schedule (issue #20), with the
   * clause; absent: it may not.
   */
  readonly organizationSchedules?: OrganizationSchedulePolicy;
  /** A deployment's settings applied to a version (validated; throw RangeError with the setting's name). */
  readonly applySettings?: (rules: R, settings: RegulationSettings) => R;
  readonly open: (rules: R, request: OpenRequest, at: Instant) => OpenPlan;
  readonly commands: CommandTable<R>;
  /**
   * The fields registering a request of this type, received by this channel, requires: the ones its
   * `register` command checks, so an operator's form can mark and check them as it does. Absent: none.
   */
  readonly registrationFields?: (
    rules: R,
    requestType: string,
    channel: Channel,
  ) => readonly FieldRequirement[];
  /** Clocks whose expiry changes the ticket, by clock name; other clocks report a breach. */
  readonly expiries?: Readonly<Record<ClockName, (c: Ctx<R>) => Decision>>;
  /** Mail per event; the engine's staff notices (assignment, breaches, reminders…) apply where absent. */
  readonly mail: MailTemplates<R>;
  /** What a staff notice calls a clock, and which mailboxes hear of it (default: the managers). */
  readonly clockNames?: (
    clock: ClockName,
  ) => { readonly what: string; readonly roles?: readonly MailRole[] } | null;
  /** The label of a status reason code (rejection, pending, closing). */
  readonly reasonLabel?: (rules: R, code: string) => string | undefined;
  /** Clocks shown in `deadlines()` before they start. */
  readonly shownClocks?: readonly ClockName[];
  /** Flags of the regulation beyond the engine's («получен ответ инициатора»). */
  readonly attention?: (rules: R, state: TicketState) => readonly Attention[];
  /**
   * What the regulation expects next in this state, most expected first: the console offers these
   * first and the rest behind «Ещё действия». Commands not allowed to the person are left out later.
   */
  readonly nextSteps?: (rules: R, state: TicketState) => readonly OperatorCommandType[];
}

/** Declares a module with its own rules type; the registry holds it as a module of RegulationData. */
export function defineRegulation<R extends RegulationData>(module: RegulationModule<R>): RegulationModule {
  return module as unknown as RegulationModule;
}

/** A duration setting in working hours or days, validated (settings come from the environment). */
export function workingHours(name: string, value: number): Duration {
  if (!(value > 0 && value <= 10_000)) throw new RangeError(`${name} must be a positive number of hours`);
  return { unit: 'workingHours', value };
}

export function workingDays(name: string, value: number): Duration {
  if (!(Number.isInteger(value) && value > 0 && value <= 365))
    throw new RangeError(`${name} must be a whole number of working days`);
  return { unit: 'workingDays', value, mode: 'sameTime' };
}
