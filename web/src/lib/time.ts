/** Dates as the regulations state them: in the regulation's zone, with its «МСК±N» label. */

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `zone` at `at`. */
export function offsetMinutes(zone: string, at: Date): number {
  let f = offsetFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' });
    offsetFormatters.set(zone, f);
  }
  const name = f.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** «МСК+7» for Russian zones, «UTC+5:30» elsewhere (the same rule as the mail the desk sends). */
export function zoneLabel(zone: string, at: Date = new Date()): string {
  const minutes = offsetMinutes(zone, at);
  const fromMoscow = minutes - 180;
  if (fromMoscow % 60 === 0 && fromMoscow >= -60 && fromMoscow <= 540)
    return fromMoscow === 0 ? 'МСК' : `МСК${fromMoscow > 0 ? '+' : '−'}${Math.abs(fromMoscow / 60)}`;
  const abs = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
}

/** «27.12.2024 17:30 (МСК+7)». */
export function formatLocal(iso: string | null | undefined, zone: string, withZone = true): string {
  if (!iso) return '—';
  const at = new Date(iso);
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('ru-RU', {
      timeZone: zone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    dateFormatters.set(zone, f);
  }
  const text = f.format(at).replace(',', '');
  return withZone ? `${text} (${zoneLabel(zone, at)})` : text;
}

/** Working minutes as people say them: «2 ч 15 мин», «−1 ч 05 мин» when overdue. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return '—';
  const sign = minutes < 0 ? '−' : '';
  const abs = Math.abs(Math.trunc(minutes));
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  if (h === 0) return `${sign}${m} мин`;
  return `${sign}${h} ч ${String(m).padStart(2, '0')} мин`;
}

const DAY = 24 * 60;

/** «1 день», «3 дня», «11 дней». */
export function days(n: number): string {
  const tens = n % 100;
  const ones = n % 10;
  const word =
    tens >= 11 && tens <= 14 ? 'дней' : ones === 1 ? 'день' : ones >= 2 && ones <= 4 ? 'дня' : 'дней';
  return `${n} ${word}`;
}

/**
 * What remains of a clock, in its own measure: working time in hours and minutes; a calendar-day
 * clock (the 30-day follow-up) in days from a day on (issue #19: it read «719 ч 59 мин»).
 */
export function formatRemaining(clock: { measure: string; remainingMinutes: number | null }): string {
  const minutes = clock.remainingMinutes;
  if (clock.measure !== 'calendar' || minutes === null || Math.abs(minutes) < DAY)
    return formatMinutes(minutes);
  const sign = minutes < 0 ? '−' : '';
  const abs = Math.abs(Math.trunc(minutes));
  const rest = Math.floor((abs % DAY) / 60);
  return `${sign}${days(Math.floor(abs / DAY))}${rest ? ` ${rest} ч` : ''}`;
}

export type Urgency = 'ok' | 'warning' | 'breached' | 'paused' | 'none';

/** Colour of a clock: red once breached, orange from the warning fraction on. */
export function urgencyOf(
  clock: { state: string; breached: boolean; warningAt: string | null; dueAt: string | null },
  now = Date.now(),
): Urgency {
  if (clock.breached) return 'breached';
  if (clock.state === 'paused') return 'paused';
  if (clock.state === 'stopped' || !clock.dueAt) return 'none';
  if (clock.warningAt && Date.parse(clock.warningAt) <= now) return 'warning';
  return 'ok';
}

/** Filled badges in dark shades: white text keeps a WCAG AA contrast ratio (≥ 4.5:1). */
export const URGENCY_COLOR: Record<Urgency, string> = {
  ok: 'teal.9',
  warning: '#b35000',
  breached: 'red.9',
  paused: 'gray.7',
  none: 'gray.7',
};

export const CLOCK_LABELS: Record<string, string> = {
  registration: 'Регистрация',
  resolution: 'Решение',
  noResponse: 'Ответ инициатора',
  confirmation: 'Подтверждение решения',
  followUp: 'После завершения',
};

/** The ticket's deadlines: reminders to staff (`remind:…`) run as clocks but are no deadline. */
export const isDeadlineClock = (name: string): boolean => !name.startsWith('remind:');

export const clockLabel = (name: string): string =>
  CLOCK_LABELS[name] ??
  (name.startsWith('inquiry:')
    ? 'Ответ на запрос о статусе'
    : name.startsWith('claim:')
      ? 'Претензия'
      : name);

/** A `datetime-local` value read in the regulation's zone, as an ISO instant with that zone's offset. */
export function localInputToIso(value: string, zone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  const offset = offsetMinutes(zone, new Date(asUtc));
  return new Date(asUtc - offset * 60_000).toISOString();
}
