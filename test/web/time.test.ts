/**
 * Issue #19: a calendar-day clock (the 30-day follow-up after completion, seed 000) read «719 ч 59 мин»;
 * it reads in days. Working-time clocks keep hours and minutes.
 */
import { days, formatRemaining } from '../../web/src/lib/time';

test('calendar-day clocks read in days, working-time clocks in hours and minutes', () => {
  expect(formatRemaining({ measure: 'calendar', remainingMinutes: 719 * 60 + 59 })).toBe('29 дней 23 ч');
  expect(formatRemaining({ measure: 'calendar', remainingMinutes: 30 * 24 * 60 })).toBe('30 дней');
  expect(formatRemaining({ measure: 'calendar', remainingMinutes: -2 * 24 * 60 - 60 })).toBe('−2 дня 1 ч');
  // Under a day, hours and minutes say more.
  expect(formatRemaining({ measure: 'calendar', remainingMinutes: 90 })).toBe('1 ч 30 мин');
  expect(formatRemaining({ measure: 'working', remainingMinutes: 719 * 60 + 59 })).toBe('719 ч 59 мин');
  expect(formatRemaining({ measure: 'calendar', remainingMinutes: null })).toBe('—');
  expect([1, 2, 5, 11, 21, 22, 25, 111].map(days)).toEqual([
    '1 день',
    '2 дня',
    '5 дней',
    '11 дней',
    '21 день',
    '22 дня',
    '25 дней',
    '111 дней',
  ]);
});
