/**
 * A provisional production calendar year from the Labour Code alone, for years whose Government
 * decree is not loaded yet. Deadlines computed on these days are marked «предварительный срок».
 *
 * - ст. 112 ТК РФ: нерабочие праздничные дни 1–6 и 8 января (новогодние каникулы), 7 января,
 *   23 февраля, 8 марта, 1 мая, 9 мая, 12 июня, 4 ноября. A holiday falling on a Saturday or Sunday
 *   moves the day off to the next working day after the holiday, except the January ones (only a
 *   decree moves those, and it usually does: those moves are unknown until it is published).
 * - ст. 95 ТК РФ: the working day immediately before a non-working holiday is one hour shorter. Applied
 *   here exactly as to loaded years (only when the regulation's schedule shortens pre-holiday days).
 */
import type { LocalDate, ProductionCalendarYear } from './types';

/** Month-day pairs of the non-working holidays of ст. 112 ТК РФ. */
const HOLIDAYS: readonly (readonly [number, number])[] = [
  [1, 1],
  [1, 2],
  [1, 3],
  [1, 4],
  [1, 5],
  [1, 6],
  [1, 7],
  [1, 8],
  [2, 23],
  [3, 8],
  [5, 1],
  [5, 9],
  [6, 12],
  [11, 4],
];

const DAY = 86_400_000;

function dateOf(t: number): LocalDate {
  return new Date(t).toISOString().slice(0, 10);
}

function isWeekend(t: number): boolean {
  const wd = new Date(t).getUTCDay();
  return wd === 0 || wd === 6;
}

/** The year as ст. 112 and ст. 95 ТК РФ make it, without any decree's transfers. */
export function labourCodeYear(year: number): ProductionCalendarYear {
  const statutory = HOLIDAYS.map(([m, d]) => Date.UTC(year, m - 1, d));
  const off = new Set<number>(statutory);
  for (const [i, h] of statutory.entries()) {
    if (HOLIDAYS[i]![0] === 1 || !isWeekend(h)) continue;
    let d = h + DAY;
    while (isWeekend(d) || off.has(d)) d += DAY;
    off.add(d);
  }
  const holidays = [...off]
    .filter((t) => statutory.includes(t) || !isWeekend(t))
    .sort((a, b) => a - b)
    .map(dateOf);
  // The day before a holiday, when it is a working day; 31 December precedes 1 January of the next year.
  const shortDays = [...statutory.map((h) => h - DAY), Date.UTC(year + 1, 0, 1) - DAY]
    .filter((d) => new Date(d).getUTCFullYear() === year && !isWeekend(d) && !off.has(d))
    .sort((a, b) => a - b)
    .map(dateOf);
  return { holidays, workingWeekends: [], shortDays: [...new Set(shortDays)] };
}
