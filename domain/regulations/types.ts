import type { WorkingDaysMode, WorkingHoursSettings } from '../calendar/types';

/** The regulations this project ships; a deployment or a test may register more (`registerRegulation`). */
export type BuiltInRegulationId = 'primorye' | 'epgu';
// `string & {}` keeps the built-in names as suggestions while admitting registered ones.
export type RegulationId = BuiltInRegulationId | (string & {});

/** A length of time as a regulation states it; each unit is its own deadline kind. */
export type Duration =
  | { unit: 'calendarHours'; value: number }
  | { unit: 'workingHours'; value: number }
  | { unit: 'workingDays'; value: number; mode: WorkingDaysMode }
  | { unit: 'calendarDays'; value: number };

export interface Labelled {
  /** Russian label shown to people. */
  readonly label: string;
  /** The clause it comes from, e.g. 'п. 2.4'. */
  readonly clause: string;
}

export interface StatusDefinition extends Labelled {
  /** An outcome: no further work, the follow-up period runs. */
  readonly terminal: boolean;
}

export interface RequestTypeDefinition extends Labelled {
  /** What the subject line says (п. 2.3.1.5). */
  readonly subjectLabel: string;
}

/** A field of the intake a regulation can require; paths into the ticket's intake. */
export type IntakeField =
  | 'initiator.fullName'
  | 'initiator.email'
  | 'initiator.position'
  | 'initiator.phone'
  | 'initiator.organization'
  | 'initiator.snils'
  | 'initiator.inn'
  | 'initiator.birthDate'
  | 'initiator.contact'
  | 'description'
  | 'expectedResult'
  | 'actualResult';

export interface FieldRequirement extends Labelled {
  readonly field: IntakeField;
}

export const ROLES = [
  'first_line',
  'second_line',
  'third_line',
  'manager',
  'admin',
  'regional_operator',
  'federal_operator',
] as const;

export type Role = (typeof ROLES)[number];

/** The roles as people at the desk name them, in the refusals' Russian («…выполняют: первая линия»). */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  first_line: 'первая линия',
  second_line: 'вторая линия',
  third_line: 'третья линия',
  manager: 'руководитель',
  admin: 'администратор',
  regional_operator: 'оператор СП РПГУ',
  federal_operator: 'оператор СП ЕПГУ',
};

export const roleLabel = (role: string): string => ROLE_LABELS[role as Role] ?? role;

/** Staff reminders when an initiator's message waits for the operator (seed 000 п. 3.2; beyond the text). */
export interface OperatorReminders {
  /** The assignee (or, without one, the managers) is reminded after this long. */
  readonly assignee: Duration;
  /** The managers are reminded after this long. */
  readonly manager: Duration;
}

/**
 * What every regulation states, and all the engine reads. A regulation module adds its own rules
 * (typed by its own interface extending this one).
 */
export interface RegulationData {
  readonly id: RegulationId;
  /** Version of the text and of these rules; part of every workflow's input. */
  readonly version: string;
  readonly title: string;
  readonly source: string;
  readonly workingHours: WorkingHoursSettings;
  /** Closing lines of every mail to initiators (seed 000 п. 2.2 names the desk's address and phone). */
  readonly signature: string;
  /** Ticket IDs are this prefix plus a unique number (seed 000 п. 2.4). */
  readonly idPrefix: string;
  readonly statuses: Readonly<Record<string, StatusDefinition>>;
  readonly requestTypes: Readonly<Record<string, RequestTypeDefinition>>;
  readonly lines: Readonly<Record<string, Labelled>>;
  readonly channels: Readonly<Record<string, Labelled>>;
  /** Pre-breach warning to staff at this share of an SLA target; null turns it off (beyond the text). */
  readonly slaWarningFraction: number | null;
  /** Remind the initiator this many working days before a no-response outcome; null turns it off. */
  readonly reminderWorkingDaysBefore: number | null;
  /** After an outcome the ticket stays open for messages this long, then is archived. */
  readonly followUp: Duration;
  /** Each message of the dialogue after the outcome starts the follow-up period again (seed 000 п. 3.3, 3.4). */
  readonly followUpFromLastMessage: boolean;
  /** Reminders to staff while an initiator's message waits for the operator; null: none. */
  readonly operatorReminders: OperatorReminders | null;
  /** Roles allowed to issue each operator command (the API enforces it). */
  readonly permissions: Readonly<Record<string, readonly Role[]>>;
  /**
   * Roles that work each line: a command marked as the line's own work (`ownLine`) is issued only by
   * the roles of the line holding the ticket (managers and admins always may). Empty: no line rule.
   */
  readonly lineRoles: Readonly<Record<string, readonly Role[]>>;
}

/** @deprecated the engine's name is RegulationData. */
export type RegulationCommon = RegulationData;

export interface RejectionReason extends Labelled {
  /** Only the no-response timer may use it. */
  readonly automaticOnly?: boolean;
  /** Limited to these request types. */
  readonly types?: readonly string[];
  /** Only in these statuses (e.g. after the change request was sent for approval). */
  readonly statuses?: readonly string[];
}

export interface PrimoryeRegulation extends RegulationData {
  readonly id: 'primorye';
  readonly registrationDeadline: Duration;
  /** null: set individually for each request (п. 3.1.3). */
  readonly resolutionTargets: Readonly<Record<string, Duration | null>>;
  readonly requiredFields: {
    readonly all: readonly FieldRequirement[];
    readonly byType: Readonly<Record<string, readonly FieldRequirement[]>>;
  };
  /**
   * What the request of each type must say (п. 2.3.1.2, 2.3.1.9, 2.3.1.10, 2.3.1.12): hints in the
   * missing-fields mail; `required` items are mandatory fields of the operator's registration form.
   */
  readonly contentByType: Readonly<Record<string, readonly ContentRequirement[]>>;
  /** Registration from a call (the operator's form) requires the `required` content items. */
  readonly contentRequiredByPhone: boolean;
  /**
   * п. 2.4: «В работе» means someone is assigned; a request escalated without an assignee is «Новая»
   * on its new line until that line assigns it (the first version left it «В работе» with nobody).
   */
  readonly escalationUnassigns: boolean;
  /** Channels each type may arrive by (п. 2.3.1.11). */
  readonly channelsByType: Readonly<Record<string, readonly string[]>>;
  /** Types whose assignee may ask the initiator for details with the clock paused (п. 3.2). */
  readonly infoRequestTypes: readonly string[];
  readonly noResponseTimeout: Duration;
  readonly rejectionReasons: Readonly<Record<string, RejectionReason>>;
  /** Access requests are executed by this line (п. 3.3.1). */
  readonly accessLine: string;
  /** A phone access request records how the first line authenticated the person (п. 3.3.1 (1)). */
  readonly accessAuthenticationMethodRequired: boolean;
  readonly firstLine: string;
  readonly lineOrder: readonly string[];
  /** A change request without an individual deadline (п. 3.1.3) reminds staff after this; null: never. */
  readonly individualDeadlineReminder: Duration | null;
}

export interface ContentRequirement extends Labelled {
  /** A field of the registration form; without one the item is the operator's judgement of the text. */
  readonly field?: IntakeField;
  /** Mandatory (marked «*» or «в обязательном порядке» in the text). */
  readonly required: boolean;
}

/** A closing reason an operator may give, and where (seed 003: closing needs a regulated basis). */
export interface CloseReason extends Labelled {
  /** Statuses in which an operator may close with this reason; absent: applied by the rules only. */
  readonly byOperatorIn?: readonly string[];
}

export interface EpguRegulation extends RegulationData {
  readonly id: 'epgu';
  /** Data the federal service needs (п. 3.2.4.2, 3.3.2.1). */
  readonly userDataFields: readonly FieldRequirement[];
  /** Closing when the user does not answer a request for information (п. 3.2.7.2, 3.3.7.1). */
  readonly userInfoTimeout: Duration;
  /** The window to confirm or dispute a solution (п. 3.3.13.2–3.3.13.3: «3 (трех) дней»). */
  readonly confirmationPeriod: Duration;
  readonly claimDeadline: Duration;
  /** Answer to a status inquiry by email (п. 3.3.9.2). */
  readonly statusInquiryDeadline: Duration;
  /** Answer status inquiries automatically with the ticket's current status. */
  readonly autoAnswerStatusInquiries: boolean;
  /** Agreed separately (п. 3.4); none by default. */
  readonly resolutionTargets: Readonly<Record<string, Duration | null>>;
  readonly pendingReasons: Readonly<Record<string, Labelled>>;
  readonly closeReasons: Readonly<Record<string, CloseReason>>;
  /** How a user reaches СП ЕПГУ about a claim (п. 3.2.11.2); the only address the text gives (п. 3.3.2). */
  readonly federalContacts: string;
  /** Forwarding records that the FAQ was searched first (п. 3.2.1, 3.3.1). */
  readonly faqCheckBeforeForward: boolean;
  /**
   * A user's message while an agency is asked is a repeated status inquiry (п. 3.2.8.3, 3.3.9), and
   * an inquiry about an appeal СП ЕПГУ does not hold is the regional service's (п. 3.2.1.2, 3.3.1.2).
   */
  readonly inquiriesByService: boolean;
  /**
   * A written disagreement with a knowledge-base answer to an appeal never registered sends the
   * appeal back to СП ЕПГУ to be processed anew, registration with its number and terms included
   * (п. 3.3.5.1, 3.3.13.2: «в порядке, указанном в п. 4.1 – 4.12»).
   */
  readonly disputedAppealReprocessed: boolean;
}

/** The built-in regulations' rules; a registered regulation's rules are a RegulationData of its own. */
export type Regulation = PrimoryeRegulation | EpguRegulation;

/** Deployment-level settings a regulation allows to change; carried in every workflow's input. */
export interface RegulationSettings {
  readonly timeZone?: string;
  readonly shortenPreHolidays?: boolean;
  /** The working schedule's hours, 'HH:MM' (issue #20: a schedule as data). */
  readonly workdayStart?: string;
  readonly workdayEnd?: string;
  /**
   * The production calendar the tickets count on (issue #20): 'ru' (default) or a regional one that
   * extends it, e.g. 'ru-tatarstan' (the republic's extra days off on top of the federal calendar).
   */
  readonly calendar?: string;
  readonly slaWarningFraction?: number | null;
  readonly reminderWorkingDaysBefore?: number | null;
  readonly followUpDays?: number;
  /**
   * Staff reminders while an initiator's message waits for the operator: the assignee after this many
   * working hours (default 2), the managers after this many working days (default 1); null: none.
   */
  readonly operatorReminders?: { readonly assigneeHours?: number; readonly managerDays?: number } | null;
  /** seed 000 п. 3.1.3: remind staff this many working days after registration without a deadline. */
  readonly individualDeadlineReminderDays?: number | null;
  /** seed 003 «3 (трех) дней»: working (default) or calendar days. */
  readonly confirmationDaysKind?: 'working' | 'calendar';
  readonly autoAnswerStatusInquiries?: boolean;
  /** seed 003 п. 3.4: SLA targets agreed by protocol, in working hours per ticket kind. */
  readonly resolutionHours?: Readonly<Record<string, number>>;
  /** seed 003 п. 3.2.11.2: the contacts of СП ЕПГУ a claim notice gives. */
  readonly federalContacts?: string;
}

export interface RegulationRef {
  readonly id: RegulationId;
  readonly version: string;
  readonly settings?: RegulationSettings;
}
