import { zoneOffsetMs } from '../calendar';

const pad = (n: number): string => String(n).padStart(2, '0');

/** «МСК+7» for Russian zones (МСК−1 … МСК+9), «UTC+5:30» elsewhere. */
export function zoneLabel(timeZone: string, at: number): string {
  const minutes = zoneOffsetMs(timeZone, at) / 60_000;
  const fromMoscow = minutes - 180;
  if (fromMoscow % 60 === 0 && fromMoscow >= -60 && fromMoscow <= 540) {
    return fromMoscow === 0 ? 'МСК' : `МСК${fromMoscow > 0 ? '+' : '−'}${Math.abs(fromMoscow / 60)}`;
  }
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${Math.floor(abs / 60)}${abs % 60 ? `:${pad(abs % 60)}` : ''}`;
}

/** «27.12.2024 17:30 (МСК+7)»: how people read a date in the regulation's zone. */
export function formatLocal(at: number | string, timeZone: string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at;
  const local = new Date(t + zoneOffsetMs(timeZone, t));
  const date = `${pad(local.getUTCDate())}.${pad(local.getUTCMonth() + 1)}.${local.getUTCFullYear()}`;
  return `${date} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())} (${zoneLabel(timeZone, t)})`;
}
