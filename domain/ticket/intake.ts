import type { FieldRequirement, IntakeField } from '../regulations/types';
import { zoneOffsetMs } from '../calendar/zone';
import {
  birthDateProblem,
  findObsceneWords,
  normalizeEmail,
  normalizeInn,
  normalizePhone,
  normalizeSnils,
} from '../validation';
import type { Intake, IntakePatch } from './types';

export function fieldValue(intake: Intake, field: IntakeField): string | undefined {
  if (field === 'description' || field === 'expectedResult' || field === 'actualResult') return intake[field];
  const key = field.slice('initiator.'.length) as keyof Intake['initiator'];
  const value = intake.initiator[key];
  return typeof value === 'string' ? value : undefined;
}

/** The required fields that are empty, in the order the regulation lists them. */
export function missingFields(intake: Intake, required: readonly FieldRequirement[]): FieldRequirement[] {
  return required.filter((r) => !fieldValue(intake, r.field)?.trim());
}

/** A list people read: «ФИО, СНИЛС и ИНН». */
export function listLabels(fields: readonly FieldRequirement[]): string {
  const labels = fields.map((f) => f.label);
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} и ${labels.at(-1)}`;
}

/** Later information completes the intake: present values win, attachments accumulate. */
export function mergeIntake(intake: Intake, patch: IntakePatch | undefined): Intake {
  if (!patch) return intake;
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
  const { initiator, attachments, ...rest } = patch;
  return {
    ...intake,
    ...defined(rest),
    initiator: { ...intake.initiator, ...defined(initiator) },
    attachments: [...(intake.attachments ?? []), ...(attachments ?? [])],
  };
}

export interface FieldProblem {
  readonly field: IntakeField;
  readonly message: string;
}

/** The local calendar date (ГГГГ-ММ-ДД) of an instant in a zone: «today» for a date of birth. */
export function localDate(at: number, timeZone: string): string {
  return new Date(at + zoneOffsetMs(timeZone, at)).toISOString().slice(0, 10);
}

/**
 * Values that are present but wrong: a bad address, an СНИЛС or ИНН with a wrong checksum, a date of
 * birth that cannot be (checked against `today`, the local date of the decision).
 */
export function invalidFields(intake: Intake, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const i = intake.initiator;
  if (i.email && !normalizeEmail(i.email)) {
    problems.push({ field: 'initiator.email', message: `некорректный адрес электронной почты «${i.email}»` });
  }
  if (i.phone && !normalizePhone(i.phone)) {
    problems.push({ field: 'initiator.phone', message: `некорректный номер телефона «${i.phone}»` });
  }
  if (i.snils && !normalizeSnils(i.snils)) {
    problems.push({
      field: 'initiator.snils',
      message: `СНИЛС «${i.snils}» не проходит проверку контрольного числа`,
    });
  }
  if (i.inn && !normalizeInn(i.inn)) {
    problems.push({
      field: 'initiator.inn',
      message: `ИНН «${i.inn}» не проходит проверку контрольных цифр`,
    });
  }
  const birth = i.birthDate ? birthDateProblem(i.birthDate, today) : null;
  if (birth) problems.push({ field: 'initiator.birthDate', message: birth });
  return problems;
}

/** Everything an initiator wrote, for the obscene-language check (п. 3.5). */
export function textOf(intake: Intake | IntakePatch): string {
  return [intake.subject, intake.description, intake.expectedResult, intake.actualResult]
    .filter(Boolean)
    .join('\n');
}

export function obsceneIn(text: string): string[] {
  return findObsceneWords(text);
}
