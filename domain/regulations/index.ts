/**
 * The registry of regulation modules. A regulation is one module (`RegulationModule`): shipping a new
 * one is adding it to BUILT_IN below; a deployment or a test may `registerRegulation` its own.
 */
import { businessCalendar, type BusinessCalendar, type ProductionCalendarData } from '../calendar';
import type { RegulationModule } from '../ticket/module';
import { workingDays, workingHours } from '../ticket/module';
import { epguModule } from './epgu';
import { NO_ORGANIZATION_SCHEDULES, type OrganizationSchedulePolicy } from './organizationSchedule';
import { primoryeModule } from './primorye';
import type {
  Duration,
  Regulation,
  RegulationData,
  RegulationId,
  RegulationRef,
  RegulationSettings,
} from './types';

export type * from './types';
export {
  NO_ORGANIZATION_SCHEDULES,
  scheduleProblems,
  withOrganizationCalendar,
  type OrganizationCalendar,
  type OrganizationSchedulePolicy,
  type WorkSchedule,
} from './organizationSchedule';
export { ROLES } from './types';
export { primoryeModule } from './primorye';
export { epguModule } from './epgu';
export { primorye } from './primorye';
export { epgu } from './epgu';

const MODULES = new Map<RegulationId, RegulationModule>();

/** Every registered regulation's ID, in registration order (a live list). */
export const REGULATION_IDS: RegulationId[] = [];

/**
 * Adds a regulation to this process. Its versions are published rules: running tickets replay with
 * the version they opened under, so a version, once used, is never changed or removed.
 */
export function registerRegulation(module: RegulationModule): void {
  const first = module.versions[0];
  if (!first) throw new RangeError('a regulation module needs at least one version');
  if (module.versions.some((v) => v.id !== first.id))
    throw new RangeError(`every version of regulation "${first.id}" must have its ID`);
  if (new Set(module.versions.map((v) => v.version)).size !== module.versions.length)
    throw new RangeError(`regulation "${first.id}" lists a version twice`);
  const known = MODULES.get(first.id);
  if (known && known !== module) throw new RangeError(`regulation "${first.id}" is already registered`);
  if (!known) REGULATION_IDS.push(first.id);
  MODULES.set(first.id, module);
}

const BUILT_IN: readonly RegulationModule[] = [primoryeModule, epguModule];
BUILT_IN.forEach(registerRegulation);

export function isRegulationId(id: string): id is RegulationId {
  return MODULES.has(id);
}

/** The module that runs a regulation's tickets. */
export function regulationModule(id: RegulationId): RegulationModule {
  const module = MODULES.get(id);
  if (!module) throw new RangeError(`unknown regulation "${id}"`);
  return module;
}

/** Whether the regulation lets an organisation name its own calendar and schedule (issue #20). */
export function organizationSchedulePolicy(id: RegulationId): OrganizationSchedulePolicy {
  return regulationModule(id).organizationSchedules ?? NO_ORGANIZATION_SCHEDULES;
}

/** The newest version of a regulation. */
export function latestRegulation(id: RegulationId): Regulation {
  const versions = regulationModule(id).versions;
  return versions[versions.length - 1] as Regulation;
}

function checkFraction(name: string, value: number | null | undefined): void {
  if (value != null && !(value > 0 && value < 1)) throw new RangeError(`${name} must be between 0 and 1`);
}

/** The settings every regulation has (the engine's); a module applies its own after these. */
function applyCommonSettings<R extends RegulationData>(base: R, s: RegulationSettings): R {
  checkFraction('slaWarningFraction', s.slaWarningFraction);
  const workingHoursSettings = {
    ...base.workingHours,
    ...(s.timeZone !== undefined && { timeZone: s.timeZone }),
    ...(s.shortenPreHolidays !== undefined && { shortenPreHolidays: s.shortenPreHolidays }),
    ...(s.workdayStart !== undefined && { workdayStart: s.workdayStart }),
    ...(s.workdayEnd !== undefined && { workdayEnd: s.workdayEnd }),
  };
  const reminders = s.operatorReminders;
  return {
    ...base,
    workingHours: workingHoursSettings,
    ...(s.slaWarningFraction !== undefined && { slaWarningFraction: s.slaWarningFraction }),
    ...(s.reminderWorkingDaysBefore !== undefined && {
      reminderWorkingDaysBefore: s.reminderWorkingDaysBefore,
    }),
    ...(s.followUpDays !== undefined && {
      followUp: { unit: 'calendarDays', value: s.followUpDays } as Duration,
    }),
    // Reminders are a rule of a version: a setting tunes them where the version has them.
    ...(reminders !== undefined &&
      base.operatorReminders && {
        operatorReminders:
          reminders === null
            ? null
            : {
                assignee:
                  reminders.assigneeHours !== undefined
                    ? workingHours('operatorReminders.assigneeHours', reminders.assigneeHours)
                    : base.operatorReminders.assignee,
                manager:
                  reminders.managerDays !== undefined
                    ? workingDays('operatorReminders.managerDays', reminders.managerDays)
                    : base.operatorReminders.manager,
              },
      }),
  };
}

const resolved = new Map<string, RegulationData>();

/** The rules a ticket runs under: a published version with the deployment's settings applied. */
export function resolveRegulation(ref: RegulationRef): Regulation {
  const key = JSON.stringify([ref.id, ref.version, ref.settings ?? {}]);
  let regulation = resolved.get(key);
  if (!regulation) {
    const module = MODULES.get(ref.id);
    const base = module?.versions.find((v) => v.version === ref.version);
    if (!module || !base) throw new RangeError(`unknown regulation "${ref.id}" version "${ref.version}"`);
    const settings = ref.settings ?? {};
    const common = applyCommonSettings(base, settings);
    regulation = module.applySettings ? module.applySettings(common, settings) : common;
    businessCalendar(regulation.workingHours); // validates the zone and hours early
    resolved.set(key, regulation);
  }
  // Built-in rules are the Regulation union; a registered regulation's rules are its own RegulationData.
  return regulation as Regulation;
}

export function calendarOf(
  regulation: RegulationData,
  calendarVersion?: string | ProductionCalendarData,
): BusinessCalendar {
  return businessCalendar(regulation.workingHours, calendarVersion);
}

/** A reference to the newest version of a regulation, with settings. */
export function currentRef(id: RegulationId, settings?: RegulationSettings): RegulationRef {
  return { id, version: latestRegulation(id).version, ...(settings && { settings }) };
}
