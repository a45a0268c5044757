import { BusinessCalendar, RU_PRODUCTION_CALENDAR } from '../../../domain/calendar';

/** A 40-hour week calendar: 8-hour days, pre-holiday days one hour shorter (ст. 95 ТК РФ). */
const fortyHourWeek = new BusinessCalendar(
  { timeZone: 'Europe/Moscow', workdayStart: '09:00', workdayEnd: '17:00', shortenPreHolidays: true },
  RU_PRODUCTION_CALENDAR,
);

function yearTotals(year: number): { days: number; hours: number } {
  let days = 0;
  let minutes = 0;
  for (let d = Date.UTC(year, 0, 1); d < Date.UTC(year + 1, 0, 1); d += 86_400_000) {
    const info = fortyHourWeek.day(new Date(d).toISOString().slice(0, 10));
    if (!info.working) continue;
    days++;
    minutes += (info.end! - info.start!) / 60_000;
  }
  return { days, hours: minutes / 60 };
}

describe('Russian production calendar data (domain/calendar/ruProductionCalendar.ts)', () => {
  // Published totals of the official production calendars (40-hour week).
  it.each([
    [2023, 247, 1973],
    [2024, 248, 1979],
    [2025, 247, 1972],
    [2026, 247, 1972],
    [2027, 247, 1972],
  ])('%i has %i working days and %i working hours', (year, days, hours) => {
    expect(yearTotals(year)).toEqual({ days, hours });
  });

  it.each(['2024-04-27', '2024-11-02', '2024-12-28', '2025-11-01', '2027-02-20'])(
    'moved working Saturday %s is a working day',
    (date) => {
      expect(fortyHourWeek.day(date).working).toBe(true);
    },
  );

  it.each([
    '2023-02-24', // Jan 1 (Sun) moved by decree № 1505
    '2023-05-08', // Jan 8 (Sun) moved
    '2023-11-06', // Nov 4 (Sat), ст. 112
    '2024-04-29',
    '2024-04-30',
    '2024-12-30',
    '2024-12-31',
    '2025-05-02',
    '2025-05-08',
    '2025-06-13',
    '2025-11-03',
    '2025-12-31',
    '2026-01-09',
    '2026-03-09',
    '2026-05-11',
    '2026-12-31',
    '2027-02-22',
    '2027-11-05',
  ])('moved day off %s is not a working day', (date) => {
    expect(fortyHourWeek.day(date).working).toBe(false);
  });

  it('every year of the range is present and every listed date lies in its year', () => {
    for (let y = RU_PRODUCTION_CALENDAR.firstYear; y <= RU_PRODUCTION_CALENDAR.lastYear; y++) {
      const year = RU_PRODUCTION_CALENDAR.years[y]!;
      for (const date of [...year.holidays, ...year.workingWeekends, ...year.shortDays]) {
        expect(date.startsWith(`${y}-`)).toBe(true);
      }
    }
  });
});
