/**
 * `npm run bench`: calendar throughput against the minute-stepping baseline.
 * Goal on the 2-core CI machine: ≥ 1,000,000 ops/s for each line.
 */
import { businessCalendar, RU_PRODUCTION_CALENDAR, type WorkingHoursSettings } from '../domain/calendar';
import { NaiveCalendar } from './naiveCalendar';

const settings: WorkingHoursSettings = {
  timeZone: 'Asia/Vladivostok',
  workdayStart: '09:00',
  workdayEnd: '18:00',
  shortenPreHolidays: false,
};
const fast = businessCalendar(settings);
const naive = new NaiveCalendar(settings, RU_PRODUCTION_CALENDAR);

// Deterministic pseudo-random starts on whole minutes across 2023–2026.
let seed = 42;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const from = Date.parse('2023-01-01T00:00:00Z');
const span = Date.parse('2026-06-01T00:00:00Z') - from;
const starts = Array.from({ length: 4096 }, () => Math.floor((from + random() * span) / 60_000) * 60_000);
const YEAR = 365 * 86_400_000;

/** Operations per second of `op` over the starts, run for about `ms` milliseconds. */
function opsPerSecond(op: (t: number) => number, ms: number): number {
  let sink = 0;
  let count = 0;
  const begin = performance.now();
  let now = begin;
  while (now - begin < ms) {
    for (let i = 0; i < 256; i++) sink += op(starts[count++ & 4095]!);
    now = performance.now();
  }
  if (sink === 42) console.log(''); // keep the work observable
  return (count / (now - begin)) * 1000;
}

function line(
  name: string,
  op: (t: number) => number,
  baseline: (t: number) => number,
  baselineMs: number,
): void {
  opsPerSecond(op, 300); // warm-up
  const ops = opsPerSecond(op, 1500);
  const slow = opsPerSecond(baseline, baselineMs);
  const rounded = Math.round(ops).toLocaleString('en-US');
  console.log(`${name}: ${rounded} ops/s (${Math.round(ops / slow).toLocaleString('en-US')}x naive)`);
}

line(
  'addWorkingTime 60h',
  (t) => fast.addWorkingTime(t, 60 * 60),
  (t) => naive.addWorkingTime(t, 60 * 60),
  1500,
);
line(
  'workingTimeBetween 1y',
  (t) => fast.workingTimeBetween(t, t + YEAR),
  (t) => naive.workingTimeBetween(t, t + YEAR),
  3000,
);
