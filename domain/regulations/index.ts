import { businessCalendar, type BusinessCalendar } from '../calendar';
import { epgu } from './epgu';
import { primorye } from './primorye';
import type { Duration, Regulation, RegulationId, RegulationRef, RegulationSettings } from './types';

export type * from './types';
export { ROLES } from './types';
export { primorye } from './primorye';
export { epgu } from './epgu';

/** Every published version of every regulation; old versions stay so running tickets replay. */
const REGULATIONS: Readonly<Record<RegulationId, Readonly<Record<string, Regulation>>>> = {
  primorye: { [primorye.version]: primorye },
  epgu: { [epgu.version]: epgu },
};

export const REGULATION_IDS = Object.keys(REGULATIONS) as RegulationId[];

export function isRegulationId(id: string): id is RegulationId {
  return Object.prototype.hasOwnProperty.call(REGULATIONS, id);
}

/** The newest version of a regulation. */
export function latestRegulation(id: RegulationId): Regulation {
  const versions = Object.values(REGULATIONS[id]);
  return versions[versions.length - 1]!;
}

function checkFraction(name: string, value: number | null | undefined): void {
  if (value != null && !(value > 0 && value < 1)) throw new RangeError(`${name} must be between 0 and 1`);
}

function applySettings<R extends Regulation>(base: R, s: RegulationSettings): R {
  checkFraction('slaWarningFraction', s.slaWarningFraction);
  const workingHours = {
    ...base.workingHours,
    ...(s.timeZone !== undefined && { timeZone: s.timeZone }),
    ...(s.shortenPreHolidays !== undefined && { shortenPreHolidays: s.shortenPreHolidays }),
  };
  const merged: Regulation = {
    ...base,
    workingHours,
    ...(s.slaWarningFraction !== undefined && { slaWarningFraction: s.slaWarningFraction }),
    ...(s.reminderWorkingDaysBefore !== undefined && {
      reminderWorkingDaysBefore: s.reminderWorkingDaysBefore,
    }),
    ...(s.followUpDays !== undefined && {
      followUp: { unit: 'calendarDays', value: s.followUpDays } as Duration,
    }),
  };
  if (merged.id === 'epgu') {
    const confirmation: Duration | undefined =
      s.confirmationDaysKind === 'calendar'
        ? { unit: 'calendarDays', value: merged.confirmationPeriod.value }
        : s.confirmationDaysKind === 'working'
          ? { unit: 'workingDays', value: merged.confirmationPeriod.value, mode: 'sameTime' }
          : undefined;
    const targets = { ...merged.resolutionTargets };
    for (const [kind, hours] of Object.entries(s.resolutionHours ?? {})) {
      if (!(kind in merged.requestTypes))
        throw new RangeError(`resolutionHours: unknown ticket kind "${kind}"`);
      if (!(hours > 0)) throw new RangeError(`resolutionHours.${kind} must be a positive number of hours`);
      targets[kind] = { unit: 'workingHours', value: hours };
    }
    return {
      ...merged,
      resolutionTargets: targets,
      ...(confirmation && { confirmationPeriod: confirmation }),
      ...(s.autoAnswerStatusInquiries !== undefined && {
        autoAnswerStatusInquiries: s.autoAnswerStatusInquiries,
      }),
    } as R;
  }
  return merged as R;
}

const resolved = new Map<string, Regulation>();

/** The rules a ticket runs under: a published version with the deployment's settings applied. */
export function resolveRegulation(ref: RegulationRef): Regulation {
  const key = JSON.stringify([ref.id, ref.version, ref.settings ?? {}]);
  let regulation = resolved.get(key);
  if (!regulation) {
    const base = isRegulationId(ref.id) ? REGULATIONS[ref.id][ref.version] : undefined;
    if (!base) throw new RangeError(`unknown regulation "${ref.id}" version "${ref.version}"`);
    regulation = applySettings(base, ref.settings ?? {});
    businessCalendar(regulation.workingHours); // validates the zone and hours early
    resolved.set(key, regulation);
  }
  return regulation;
}

export function calendarOf(regulation: Regulation, calendarVersion?: string): BusinessCalendar {
  return businessCalendar(regulation.workingHours, calendarVersion);
}

/** A reference to the newest version of a regulation, with settings. */
export function currentRef(id: RegulationId, settings?: RegulationSettings): RegulationRef {
  return { id, version: latestRegulation(id).version, ...(settings && { settings }) };
}
