import fc from 'fast-check';
import {
  businessCalendar,
  RU_PRODUCTION_CALENDAR,
  type WorkingHoursSettings,
} from '../../../domain/calendar';
import { NaiveCalendar } from '../../../bench/naiveCalendar';

const settings: WorkingHoursSettings[] = [
  { timeZone: 'Asia/Vladivostok', workdayStart: '09:00', workdayEnd: '18:00', shortenPreHolidays: false },
  { timeZone: 'Europe/Moscow', workdayStart: '09:00', workdayEnd: '18:00', shortenPreHolidays: true },
];
const MINUTE = 60_000;
// Instants well inside 2023–2026 so that deadlines of up to a few weeks stay in the calendar.
const instant = fc.integer({
  min: Date.parse('2023-01-01T00:00:00Z'),
  max: Date.parse('2026-12-01T00:00:00Z'),
});
const minuteInstant = instant.map((t) => Math.floor(t / MINUTE) * MINUTE);
const minutes = fc.integer({ min: 0, max: 200 * 60 });

describe.each(settings)('calendar invariants in $timeZone (shortened days: $shortenPreHolidays)', (s) => {
  const cal = businessCalendar(s);

  it('workingTimeBetween(t, addWorkingTime(t, m)) == m', () => {
    fc.assert(
      fc.property(instant, minutes, (t, m) => cal.workingTimeBetween(t, cal.addWorkingTime(t, m)) === m),
    );
  });

  it('results never fall outside working windows (18:00 itself included)', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 200 * 60 }), (t, m) => {
        const r = cal.addWorkingTime(t, m);
        const day = cal.day(cal.localDateOf(r));
        return day.working && r > day.start! && r <= day.end!;
      }),
    );
  });

  it('is monotonic in the start and in the duration', () => {
    fc.assert(
      fc.property(instant, instant, minutes, minutes, (a, b, m, n) => {
        const [t1, t2] = a <= b ? [a, b] : [b, a];
        const [m1, m2] = m <= n ? [m, n] : [n, m];
        return (
          cal.addWorkingTime(t1, m1) <= cal.addWorkingTime(t2, m1) &&
          cal.addWorkingTime(t1, m1) <= cal.addWorkingTime(t1, m2)
        );
      }),
    );
  });

  it('is additive: adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(
        instant,
        minutes,
        minutes,
        (t, a, b) => cal.addWorkingTime(cal.addWorkingTime(t, a), b) === cal.addWorkingTime(t, a + b),
      ),
    );
  });

  it('workingTimeBetween is antisymmetric and additive over a midpoint', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        return (
          cal.workingMsBetween(a, b) === -cal.workingMsBetween(b, a) &&
          cal.workingMsBetween(a, c) === cal.workingMsBetween(a, b) + cal.workingMsBetween(b, c)
        );
      }),
    );
  });

  it('nextWorkingStart(t) is working time at or after t, with no working time in between', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const n = cal.nextWorkingStart(t);
        return n >= t && cal.isWorkingInstant(n) && cal.workingMsBetween(t, n) === 0;
      }),
    );
  });

  it('addWorkingDays lands in a working window, N working days later', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 10 }), (t, n) => {
        const r = cal.addWorkingDays(t, n);
        const day = cal.day(cal.localDateOf(r));
        return day.working && r > day.start! && r <= day.end! && r > t;
      }),
    );
  });

  it('agrees with a minute-stepping oracle', () => {
    const naive = new NaiveCalendar(s, RU_PRODUCTION_CALENDAR);
    fc.assert(
      fc.property(minuteInstant, fc.integer({ min: 1, max: 40 * 60 }), (t, m) => {
        const fast = cal.addWorkingTime(t, m);
        return fast === naive.addWorkingTime(t, m) && naive.workingTimeBetween(t, fast) === m;
      }),
      { numRuns: 60 },
    );
  });
});
