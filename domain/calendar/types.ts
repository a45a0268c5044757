/** Local calendar dates are 'YYYY-MM-DD' strings; instants are epoch milliseconds (UTC). */
export type LocalDate = string;

export interface ProductionCalendarYear {
  /** Days off that would otherwise be working days, plus ст. 112 holidays even on weekends. */
  readonly holidays: readonly LocalDate[];
  /** Saturdays/Sundays made working days by decree (moved working days). */
  readonly workingWeekends: readonly LocalDate[];
  /** Pre-holiday days shortened by one hour (ст. 95 ТК РФ). */
  readonly shortDays: readonly LocalDate[];
}

export interface ProductionCalendarData {
  readonly id: string;
  /** Stored in every SLA clock so a deadline can always be traced to the data it came from. */
  readonly version: string;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly years: Readonly<Record<number, ProductionCalendarYear>>;
}

/** Working hours of a regulation: a daily window in an IANA zone over a production calendar. */
export interface WorkingHoursSettings {
  /** IANA zone, e.g. 'Asia/Vladivostok' (МСК+7). */
  readonly timeZone: string;
  /** 'HH:MM' local. */
  readonly workdayStart: string;
  /** 'HH:MM' local; the window is [start, end). */
  readonly workdayEnd: string;
  /** End pre-holiday days one hour early (ст. 95 ТК РФ). */
  readonly shortenPreHolidays: boolean;
}

export type WorkingDaysMode = 'sameTime' | 'endOfDay';
