/**
 * An organisation's own calendar and working schedule (issue #20), where its regulation allows: data
 * of the organisation, merged into the regulation settings of its tickets when they open (the workflow
 * input carries them; nothing here reads a database).
 */
import type { RegulationRef } from './types';

/** Working hours and shortened pre-holiday days (ст. 95 ТК РФ) of one organisation. */
export interface WorkSchedule {
  /** 'HH:MM' local, in the regulation's zone. */
  readonly workdayStart: string;
  /** 'HH:MM' local; the window is [start, end). */
  readonly workdayEnd: string;
  readonly shortenPreHolidays: boolean;
}

/** What an organisation names: a production calendar (e.g. 'ru-tatarstan') and its schedule. */
export interface OrganizationCalendar {
  readonly calendar: string | null;
  readonly schedule: WorkSchedule | null;
}

/** Whether a regulation lets organisations differ, and the clause that says so (shown to admins). */
export interface OrganizationSchedulePolicy {
  readonly allowed: boolean;
  readonly basis: string;
}

export const NO_ORGANIZATION_SCHEDULES: OrganizationSchedulePolicy = {
  allowed: false,
  basis: 'Регламент не предусматривает собственный календарь или график организаций.',
};

const minutesOf = (hhmm: string): number | null => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 24 && min <= 59 && h * 60 + min <= 24 * 60 ? h * 60 + min : null;
};

/** What is wrong with a schedule, one Russian sentence each; empty when it can be used. */
export function scheduleProblems(schedule: WorkSchedule): string[] {
  const start = minutesOf(schedule.workdayStart);
  const end = minutesOf(schedule.workdayEnd);
  const problems: string[] = [];
  if (start === null)
    problems.push(`Начало рабочего дня «${schedule.workdayStart.slice(0, 20)}» — не время ЧЧ:ММ.`);
  if (end === null)
    problems.push(`Конец рабочего дня «${schedule.workdayEnd.slice(0, 20)}» — не время ЧЧ:ММ.`);
  // The business calendar needs a window of two hours at least (a shortened day loses one).
  if (start !== null && end !== null && end - start < 120)
    problems.push('Рабочий день должен длиться не меньше двух часов и заканчиваться позже, чем начинается.');
  return problems;
}

/**
 * The regulation reference a ticket of this organisation opens with: its calendar and schedule over
 * the deployment's settings where the regulation allows, else the reference as it is.
 */
export function withOrganizationCalendar(
  ref: RegulationRef,
  policy: OrganizationSchedulePolicy,
  org: OrganizationCalendar | null,
): RegulationRef {
  if (!policy.allowed || !org || (!org.calendar && !org.schedule)) return ref;
  return {
    ...ref,
    settings: {
      ...ref.settings,
      ...(org.calendar && { calendar: org.calendar }),
      ...(org.schedule && {
        workdayStart: org.schedule.workdayStart,
        workdayEnd: org.schedule.workdayEnd,
        shortenPreHolidays: org.schedule.shortenPreHolidays,
      }),
    },
  };
}
