import { parseArgs } from 'node:util';
import {
  CalendarRangeError,
  calendarOf,
  currentRef,
  isRegulationId,
  resolveRegulation,
  type Regulation,
} from '../domain';
import { parseInstant } from './time';
import { UsageError } from './usage';

const options = {
  regulation: { type: 'string' },
  type: { type: 'string' },
  hours: { type: 'string' },
  'working-days': { type: 'string' },
  'end-of-day': { type: 'boolean' },
  start: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'time-zone': { type: 'string' },
} as const;

function regulationFrom(id: string | undefined, timeZone: string | undefined): Regulation {
  if (!id) throw new UsageError('--regulation is required (primorye or epgu)');
  if (!isRegulationId(id))
    throw new UsageError(`--regulation: unknown regulation "${id}" (primorye or epgu)`);
  try {
    return resolveRegulation(currentRef(id, timeZone ? { timeZone } : undefined));
  } catch (e) {
    throw new UsageError(`--time-zone: ${(e as Error).message}`);
  }
}

function positive(value: string, option: string, integer: boolean): number {
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${option} must be a positive ${integer ? 'whole ' : ''}number, got "${value}"`);
  }
  return n;
}

function inCalendar<T>(compute: () => T): T {
  try {
    return compute();
  } catch (e) {
    if (e instanceof CalendarRangeError) throw new UsageError(e.message);
    throw e;
  }
}

/** A deadline as printed: marked when its year has no loaded production calendar (issue #20). */
function shown(cal: ReturnType<typeof calendarOf>, due: number): string {
  const iso = cal.toLocalIso(due);
  if (!cal.isProvisional(due)) return iso;
  return `${iso} (предварительный срок: календарь ${iso.slice(0, 4)} года не загружен, по ТК РФ)`;
}

/** `reglament sla due|worktime …`: prints one line. */
export function slaCommand(argv: string[]): string {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({ args: rest, options, strict: true, allowPositionals: true });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const regulation = regulationFrom(values.regulation, values['time-zone']);
  const cal = calendarOf(regulation);
  const zone = regulation.workingHours.timeZone;
  if (sub === 'due') {
    const start = parseInstant(values.start, '--start', zone);
    const given = [values.type, values.hours, values['working-days']].filter((v) => v !== undefined).length;
    if (given !== 1) throw new UsageError('give exactly one of --type, --hours, --working-days');
    if (values['working-days'] !== undefined) {
      const days = positive(values['working-days'], '--working-days', true);
      return shown(
        cal,
        inCalendar(() => cal.addWorkingDays(start, days, values['end-of-day'] ? 'endOfDay' : 'sameTime')),
      );
    }
    let minutes: number;
    if (values.hours !== undefined) {
      minutes = Math.round(positive(values.hours, '--hours', false) * 60);
    } else {
      const type = values.type!;
      if (!(type in regulation.requestTypes)) {
        throw new UsageError(
          `--type: "${type}" is not a request type of ${regulation.id} (${Object.keys(regulation.requestTypes).join(', ')})`,
        );
      }
      const target = regulation.resolutionTargets[type];
      if (!target || target.unit !== 'workingHours') {
        throw new UsageError(
          `${regulation.id} sets no fixed deadline for "${type}" (set individually); use --hours`,
        );
      }
      minutes = target.value * 60;
    }
    return shown(
      cal,
      inCalendar(() => cal.addWorkingTime(start, minutes)),
    );
  }
  if (sub === 'worktime') {
    const from = parseInstant(values.from, '--from', zone);
    const to = parseInstant(values.to, '--to', zone);
    return String(inCalendar(() => cal.workingTimeBetween(from, to)));
  }
  throw new UsageError(
    sub ? `unknown sla command "${sub}" (due or worktime)` : 'sla needs a command: due or worktime',
  );
}
