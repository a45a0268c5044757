import type { WorkingDaysMode, WorkingHoursSettings } from '../calendar/types';

export type RegulationId = 'primorye' | 'epgu';

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
  | 'description';

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

/** What every regulation states; each regulation adds its own rules. */
export interface RegulationCommon {
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
  /** Roles allowed to issue each operator command (the API enforces it). */
  readonly permissions: Readonly<Record<string, readonly Role[]>>;
}

export interface RejectionReason extends Labelled {
  /** Only the no-response timer may use it. */
  readonly automaticOnly?: boolean;
  /** Limited to these request types. */
  readonly types?: readonly string[];
}

export interface PrimoryeRegulation extends RegulationCommon {
  readonly id: 'primorye';
  readonly registrationDeadline: Duration;
  /** null: set individually for each request (п. 3.1.3). */
  readonly resolutionTargets: Readonly<Record<string, Duration | null>>;
  readonly requiredFields: {
    readonly all: readonly FieldRequirement[];
    readonly byType: Readonly<Record<string, readonly FieldRequirement[]>>;
  };
  /** Channels each type may arrive by (п. 2.3.1.11). */
  readonly channelsByType: Readonly<Record<string, readonly string[]>>;
  /** Types whose assignee may ask the initiator for details with the clock paused (п. 3.2). */
  readonly infoRequestTypes: readonly string[];
  readonly noResponseTimeout: Duration;
  readonly rejectionReasons: Readonly<Record<string, RejectionReason>>;
  /** Access requests are executed by this line (п. 3.3.1). */
  readonly accessLine: string;
  readonly firstLine: string;
  readonly lineOrder: readonly string[];
}

export interface EpguRegulation extends RegulationCommon {
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
  readonly closeReasons: Readonly<Record<string, Labelled>>;
}

export type Regulation = PrimoryeRegulation | EpguRegulation;

/** Deployment-level settings a regulation allows to change; carried in every workflow's input. */
export interface RegulationSettings {
  readonly timeZone?: string;
  readonly shortenPreHolidays?: boolean;
  readonly slaWarningFraction?: number | null;
  readonly reminderWorkingDaysBefore?: number | null;
  readonly followUpDays?: number;
  /** seed 003 «3 (трех) дней»: working (default) or calendar days. */
  readonly confirmationDaysKind?: 'working' | 'calendar';
  readonly autoAnswerStatusInquiries?: boolean;
  /** seed 003 п. 3.4: SLA targets agreed by protocol, in working hours per ticket kind. */
  readonly resolutionHours?: Readonly<Record<string, number>>;
}

export interface RegulationRef {
  readonly id: RegulationId;
  readonly version: string;
  readonly settings?: RegulationSettings;
}
