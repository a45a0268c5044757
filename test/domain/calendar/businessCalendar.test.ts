import {
  BusinessCalendar,
  CalendarRangeError,
  businessCalendar,
  RU_PRODUCTION_CALENDAR,
} from '../../../domain/calendar';

const vladivostok = businessCalendar({
  timeZone: 'Asia/Vladivostok',
  workdayStart: '09:00',
  workdayEnd: '18:00',
  shortenPreHolidays: false,
});
const moscow = businessCalendar({
  timeZone: 'Europe/Moscow',
  workdayStart: '09:00',
  workdayEnd: '18:00',
  shortenPreHolidays: false,
});
const moscowShort = businessCalendar({
  timeZone: 'Europe/Moscow',
  workdayStart: '09:00',
  workdayEnd: '18:00',
  shortenPreHolidays: true,
});

const t = (iso: string): number => Date.parse(iso);
const local = (cal: BusinessCalendar, ms: number): string => cal.toLocalIso(ms);
const H = 60;

describe('addWorkingTime (seed 000 п. 3.1.1–3.1.4, МСК+7)', () => {
  it('п. 3.1.1: a deadline that passes 18:00 continues at 09:00 of the next working day', () => {
    // Monday 16:00 + 3 h = 2 h on Monday, 1 h on Tuesday.
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-03T16:00:00+10:00'), 3 * H))).toBe(
      '2025-03-04T10:00:00+10:00',
    );
  });

  it('п. 3.1.1: a deadline that uses up the day’s last working minute is 18:00 of that day', () => {
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-03T09:00:00+10:00'), 9 * H))).toBe(
      '2025-03-03T18:00:00+10:00',
    );
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-03T17:59:00+10:00'), 1))).toBe(
      '2025-03-03T18:00:00+10:00',
    );
  });

  it('a start outside working hours counts from the next working start', () => {
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-03T20:15:00+10:00'), 30))).toBe(
      '2025-03-04T09:30:00+10:00',
    );
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-04T06:00:00+10:00'), 30))).toBe(
      '2025-03-04T09:30:00+10:00',
    );
    // Friday evening → Monday.
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-14T19:00:00+10:00'), H))).toBe(
      '2025-03-17T10:00:00+10:00',
    );
  });

  it('п. 3.1.2: an incident registered Friday 17:30 before the New Year holidays (via the working Saturday 28.12.2024)', () => {
    // Fri 0.5 h + Sat 28 Dec 9 h + (30 Dec – 8 Jan off) + Jan 9,10,13,14,15 (45 h) + 5.5 h on Jan 16.
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2024-12-27T17:30:00+10:00'), 60 * H))).toBe(
      '2025-01-16T14:30:00+10:00',
    );
  });

  it('п. 3.1.1 (24 h) and п. 3.1.4 (16 h) across a weekend', () => {
    // Thu 7 h + Fri 9 h + Mon 8 h.
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-13T11:00:00+10:00'), 24 * H))).toBe(
      '2025-03-17T17:00:00+10:00',
    );
    // Fri 7 h + Mon 9 h: the deadline uses up Monday's last minute, so it is Monday 18:00.
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2025-03-14T11:00:00+10:00'), 16 * H))).toBe(
      '2025-03-17T18:00:00+10:00',
    );
  });

  it('the same instant gives different deadlines in different zones (seed 003 default Europe/Moscow)', () => {
    const start = t('2025-03-03T05:00:00Z'); // 15:00 Vladivostok, 08:00 Moscow
    expect(local(vladivostok, vladivostok.addWorkingTime(start, 4 * H))).toBe('2025-03-04T10:00:00+10:00');
    expect(local(moscow, moscow.addWorkingTime(start, 4 * H))).toBe('2025-03-03T13:00:00+03:00');
  });

  it('keeps seconds and milliseconds of the start', () => {
    expect(vladivostok.addWorkingTime(t('2025-03-03T10:00:30.250+10:00'), 5)).toBe(
      t('2025-03-03T10:05:30.250+10:00'),
    );
  });

  it('zero minutes from a working instant is the instant itself; from a night, the next start', () => {
    expect(vladivostok.addWorkingTime(t('2025-03-03T10:00:00+10:00'), 0)).toBe(
      t('2025-03-03T10:00:00+10:00'),
    );
    expect(vladivostok.addWorkingTime(t('2025-03-03T23:00:00+10:00'), 0)).toBe(
      t('2025-03-04T09:00:00+10:00'),
    );
  });

  it('rejects negative and fractional minutes', () => {
    expect(() => vladivostok.addWorkingTime(t('2025-03-03T10:00:00+10:00'), -1)).toThrow(RangeError);
    expect(() => vladivostok.addWorkingTime(t('2025-03-03T10:00:00+10:00'), 1.5)).toThrow(RangeError);
  });
});

describe('pre-holiday shortened days (per-regulation option, off for seed 000)', () => {
  it('seed 000 keeps 18:00 on a pre-holiday day (п. 3.1.x fixes 18:00)', () => {
    expect(vladivostok.day('2025-03-07')).toMatchObject({ working: true, short: false });
    expect(local(vladivostok, vladivostok.day('2025-03-07').end!)).toBe('2025-03-07T18:00:00+10:00');
  });

  it('with the option on, 7 March 2025 ends at 17:00', () => {
    expect(moscowShort.day('2025-03-07')).toMatchObject({ working: true, short: true });
    expect(local(moscowShort, moscowShort.addWorkingTime(t('2025-03-07T16:00:00+03:00'), 2 * H))).toBe(
      '2025-03-10T10:00:00+03:00',
    );
  });
});

describe('workingTimeBetween, isWorkingInstant, nextWorkingStart', () => {
  it('counts working minutes between instants, negative when reversed', () => {
    expect(
      vladivostok.workingTimeBetween(t('2025-03-03T16:00:00+10:00'), t('2025-03-04T10:00:00+10:00')),
    ).toBe(3 * H);
    expect(
      vladivostok.workingTimeBetween(t('2025-03-04T10:00:00+10:00'), t('2025-03-03T16:00:00+10:00')),
    ).toBe(-3 * H);
    expect(
      vladivostok.workingTimeBetween(t('2024-12-30T00:00:00+10:00'), t('2025-01-09T00:00:00+10:00')),
    ).toBe(0);
  });

  it('2025 has 247 working days of 9 hours in Vladivostok', () => {
    expect(
      vladivostok.workingTimeBetween(t('2025-01-01T00:00:00+10:00'), t('2026-01-01T00:00:00+10:00')),
    ).toBe(247 * 9 * H);
  });

  it('working windows are half-open: 09:00 works, 18:00 does not', () => {
    expect(vladivostok.isWorkingInstant(t('2025-03-03T09:00:00+10:00'))).toBe(true);
    expect(vladivostok.isWorkingInstant(t('2025-03-03T17:59:59+10:00'))).toBe(true);
    expect(vladivostok.isWorkingInstant(t('2025-03-03T18:00:00+10:00'))).toBe(false);
    expect(vladivostok.isWorkingInstant(t('2025-03-08T12:00:00+10:00'))).toBe(false); // Saturday
    expect(vladivostok.isWorkingInstant(t('2024-12-28T12:00:00+10:00'))).toBe(true); // moved working Saturday
    expect(vladivostok.isWorkingInstant(t('2025-01-03T12:00:00+10:00'))).toBe(false); // New Year holidays
  });

  it('nextWorkingStart is the instant itself when working, else the next window’s start', () => {
    expect(vladivostok.nextWorkingStart(t('2025-03-03T12:00:00+10:00'))).toBe(t('2025-03-03T12:00:00+10:00'));
    expect(local(vladivostok, vladivostok.nextWorkingStart(t('2024-12-28T18:00:00+10:00')))).toBe(
      '2025-01-09T09:00:00+10:00',
    );
    expect(local(vladivostok, vladivostok.nextWorkingStart(t('2025-11-01T08:00:00+10:00')))).toBe(
      '2025-11-01T09:00:00+10:00',
    );
  });
});

describe('working days as their own deadline kind (seed 000 п. 3.5: 2 days; seed 003: 3 and 7 days)', () => {
  it('the same local time N working days later', () => {
    expect(local(vladivostok, vladivostok.addWorkingDays(t('2025-03-06T15:00:00+10:00'), 2))).toBe(
      '2025-03-10T15:00:00+10:00',
    );
  });

  it('a start outside working hours counts from the end of the previous working day', () => {
    // Friday 20:00 + 2 working days = Tuesday 18:00 (= Wednesday 09:00 in working time).
    expect(local(vladivostok, vladivostok.addWorkingDays(t('2025-03-14T20:00:00+10:00'), 2))).toBe(
      '2025-03-18T18:00:00+10:00',
    );
    expect(local(vladivostok, vladivostok.addWorkingDays(t('2025-03-17T07:00:00+10:00'), 2))).toBe(
      '2025-03-18T18:00:00+10:00',
    );
  });

  it('skips holidays and uses moved working Saturdays', () => {
    expect(local(vladivostok, vladivostok.addWorkingDays(t('2024-12-27T11:00:00+10:00'), 1))).toBe(
      '2024-12-28T11:00:00+10:00',
    );
    expect(local(vladivostok, vladivostok.addWorkingDays(t('2024-12-27T11:00:00+10:00'), 2))).toBe(
      '2025-01-09T11:00:00+10:00',
    );
    expect(local(moscow, moscow.addWorkingDays(t('2027-02-19T10:00:00+03:00'), 1))).toBe(
      '2027-02-20T10:00:00+03:00',
    );
  });

  it('seed 003: 7 working days for a claim', () => {
    expect(local(moscow, moscow.addWorkingDays(t('2025-04-29T10:00:00+03:00'), 7))).toBe(
      '2025-05-14T10:00:00+03:00',
    );
  });

  it('end-of-working-day variant: the end of the N-th working day after the day of the start', () => {
    expect(
      local(vladivostok, vladivostok.addWorkingDays(t('2025-03-06T15:00:00+10:00'), 2, 'endOfDay')),
    ).toBe('2025-03-10T18:00:00+10:00');
    expect(
      local(vladivostok, vladivostok.addWorkingDays(t('2025-03-08T12:00:00+10:00'), 1, 'endOfDay')),
    ).toBe('2025-03-10T18:00:00+10:00');
  });

  it('equals N × the day’s working length of working time on ordinary days', () => {
    const start = t('2025-03-04T11:20:00+10:00');
    expect(vladivostok.addWorkingDays(start, 3)).toBe(vladivostok.addWorkingTime(start, 3 * 9 * H));
  });

  it('a position past the end of a shortened target day is clamped to its end', () => {
    // 17:30 on Thursday 6 March 2025; Friday 7 March is shortened to 17:00.
    expect(local(moscowShort, moscowShort.addWorkingDays(t('2025-03-06T17:30:00+03:00'), 1))).toBe(
      '2025-03-07T17:00:00+03:00',
    );
  });

  it('calendar days keep the local time', () => {
    expect(local(vladivostok, vladivostok.addCalendarDays(t('2025-03-06T15:00:00+10:00'), 30))).toBe(
      '2025-04-05T15:00:00+10:00',
    );
  });
});

describe('the calendar’s known years', () => {
  // Issue #20: past the last loaded year (2027) the Labour Code gives provisional years up to 2032.
  it('a date outside 2023–2032 (loaded plus provisional) is an explicit error, never a guess', () => {
    expect(() => vladivostok.addWorkingTime(t('2033-01-10T10:00:00+10:00'), 60)).toThrow(CalendarRangeError);
    expect(() => vladivostok.isWorkingInstant(t('2022-12-30T10:00:00+10:00'))).toThrow(CalendarRangeError);
    expect(() =>
      vladivostok.workingTimeBetween(t('2032-12-01T10:00:00+10:00'), t('2033-02-01T10:00:00+10:00')),
    ).toThrow(/outside the production calendar \(2023–2032\)/);
  });

  it('a deadline that would fall after the last known day is an error too', () => {
    expect(() => vladivostok.addWorkingTime(t('2032-12-30T10:00:00+10:00'), 60 * H)).toThrow(
      CalendarRangeError,
    );
    expect(() => vladivostok.addWorkingDays(t('2032-12-30T10:00:00+10:00'), 3)).toThrow(CalendarRangeError);
  });

  it('the last working minute of the range is still reachable', () => {
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2032-12-30T17:00:00+10:00'), H))).toBe(
      '2032-12-30T18:00:00+10:00',
    );
  });

  it('2028 is no longer an error: the deadline is computed provisionally (issue #20)', () => {
    expect(local(vladivostok, vladivostok.addWorkingTime(t('2027-12-30T17:00:00+10:00'), 2 * H))).toBe(
      '2028-01-10T10:00:00+10:00',
    );
  });
});

describe('calendar settings', () => {
  it('rejects an unknown zone, malformed hours and too short a window', () => {
    const make = (over: object) =>
      new BusinessCalendar(
        {
          timeZone: 'Europe/Moscow',
          workdayStart: '09:00',
          workdayEnd: '18:00',
          shortenPreHolidays: false,
          ...over,
        },
        RU_PRODUCTION_CALENDAR,
      );
    expect(() => make({ timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone/);
    expect(() => make({ workdayStart: '9am' })).toThrow(/HH:MM/);
    expect(() => make({ workdayEnd: '09:30' })).toThrow(/two hours/);
  });

  it('caches one calendar per configuration', () => {
    expect(
      businessCalendar({
        timeZone: 'Asia/Vladivostok',
        workdayStart: '09:00',
        workdayEnd: '18:00',
        shortenPreHolidays: false,
      }),
    ).toBe(vladivostok);
  });
});
