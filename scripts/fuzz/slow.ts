/**
 * Slow inputs (issue #18): nested and overlapping repetitions of what each parser and validator looks
 * for, followed by what makes it give up, the shape that makes a backtracking pattern take polynomial
 * or exponential time («ФИО: » + «a@»×700 froze the desk for 9 s). Aimed at the e-mail, phone, СНИЛС,
 * ИНН and date validators, the «ФИО» block, subjects with ticket IDs, MIME headers, query strings and
 * JSON bodies; 1k, 10k and 100k characters long.
 */
import type { Rng } from './rng';

export const SLOW_TARGETS = {
  email: ['a@', '@a', 'a.', '.a@', 'a@a.', 'a-', '@.', 'mailto:', 'a@-', '<a@'],
  phone: ['+7 (', '8-', '(8)', ' 1', '-1', '+', '1 -', '8 (800) ', '.'],
  snils: ['1-', '12 ', '1 - ', '0', '—', '112-233-445 95'],
  inn: ['1', '1 ', '1-', '50010073225', '.'],
  date: ['1.', '01.01.', '1/', '2024-', '12.04.1985 '],
  fio: ['ФИО: ', 'ФИО', ': ', 'ф.и.о. ', 'ФИО инициатора:', '*', 'Ф. И. О.', 'a@', '\n', '«'],
  subject: ['[ID', 'ID1', 'Re: ', 'Fwd: ', '[', 'ID100001', 'Пересл.: ', '[1]', ' ', 'Ответ: '],
  mime: ['=?UTF-8?B?', '?=', '=?', '<', '"', '\\', '=', ';', '<a', 'a>', '=?utf-8?q?=D0'],
  query: ['a=&', '%', '&', '=', '%2', '[]', 'a[', '+', '%25'],
  json: ['[', '{"a":', '"\\', '\\u', '{', '"a":[', ','],
  text: ['запрос', 'отключ', 'доступ ', 'инцидент', 'х.у.', '>', 'а', '«', '»', ' ', '<', 'fwd:', '\t'],
} as const;

export type SlowTarget = keyof typeof SLOW_TARGETS;

const TARGETS = Object.keys(SLOW_TARGETS) as SlowTarget[];
// What makes a pattern fail at the very end, after it has tried every way to split the repetitions.
const REJECTING = ['!', '', ' ', '\u00a0', 'Ж', '@', '.', '"', '\n'];
const LENGTHS = [1_000, 10_000, 100_000];

export interface SlowInput {
  readonly target: SlowTarget;
  readonly text: string;
}

/**
 * One slow string: a unit repeated, another unit nested into that repetition (overlapping what the
 * first one matches), up to a length, and a character that makes the match fail.
 */
export function slowString(rng: Rng, maxLength = 100_000, target: SlowTarget = rng.pick(TARGETS)): SlowInput {
  const units: readonly string[] = SLOW_TARGETS[target];
  const length = Math.min(maxLength, rng.pick(LENGTHS));
  const outer = rng.pick(units);
  const inner = rng.chance(0.6) ? rng.pick(units).repeat(1 + rng.int(4)) : '';
  const unit = outer + inner || 'a';
  const lead = rng.chance(0.5) ? rng.pick(units) : '';
  const body = (lead + unit.repeat(Math.ceil(length / unit.length))).slice(0, length);
  return { target, text: body + rng.pick(REJECTING) };
}

/** Targets by the name of a JSON field or query parameter, so a slow input meets its own validator. */
export function targetOfField(name: string): SlowTarget | null {
  const n = name.toLowerCase();
  if (n.includes('email') || n === 'from' || n === 'to' || n === 'address') return 'email';
  if (n.includes('phone')) return 'phone';
  if (n.includes('snils')) return 'snils';
  if (n.includes('inn')) return 'inn';
  if (n.includes('date') || n === 'from' || n.endsWith('at')) return 'date';
  if (n.includes('name') || n.includes('initiator')) return 'fio';
  if (n.includes('subject') || n === 'q' || n.includes('ticket')) return 'subject';
  return null;
}
