/**
 * Production calendar files as people have them, parsed and checked without I/O (issue #20):
 * - the open-data CSV of the Government portal: one row per year, «Год/Месяц», «Январь»…«Декабрь»,
 *   «Всего рабочих дней», …; each month lists its days off, `*` a shortened working day, `+` a
 *   moved day off;
 * - the xmlcalendar XML: `<calendar year="2028"><days><day d="MM.DD" t="1|2|3"/></days></calendar>`,
 *   t=1 a day off, t=2 a shortened day, t=3 a working day moved from a weekend;
 * - the project's own JSON: `{ "years": { "2028": { "holidays": [...], "workingWeekends": [...],
 *   "shortDays": [...] } } }` (snake_case keys as in the reference file too).
 * Every problem is one Russian sentence naming its line; a file with any problem is not loaded.
 */
import type { LocalDate, ProductionCalendarYear } from './types';

export type CalendarFileFormat = 'csv' | 'xml' | 'json';

export interface CalendarImportError {
  /** 1-based line of the file, or null when the problem is the file as a whole. */
  readonly line: number | null;
  readonly message: string;
}

export interface YearTotals {
  readonly year: number;
  readonly workingDays: number;
  readonly daysOff: number;
  readonly shortDays: number;
  /** Hours of a 40-hour week: 8 per working day, one less on a shortened day (ст. 95 ТК РФ). */
  readonly hours40: number;
}

export interface CalendarImport {
  readonly format: CalendarFileFormat;
  readonly years: Readonly<Record<number, ProductionCalendarYear>>;
  readonly totals: readonly YearTotals[];
  readonly errors: readonly CalendarImportError[];
  /** Declared totals of the file (CSV «Всего рабочих дней»), checked against the days. */
  readonly declared?: Readonly<Record<number, { workingDays?: number; hours40?: number }>>;
}

type Kind = 'off' | 'short' | 'working';
interface Fact {
  readonly kind: Kind;
  readonly line: number | null;
}

const DAY = 86_400_000;
const MONTHS = [
  'Январь',
  'Февраль',
  'Март',
  'Апрель',
  'Май',
  'Июнь',
  'Июль',
  'Август',
  'Сентябрь',
  'Октябрь',
  'Ноябрь',
  'Декабрь',
];
/** Non-working holidays of ст. 112 ТК РФ as MM-DD. */
const STATUTORY = new Set([
  '01-01',
  '01-02',
  '01-03',
  '01-04',
  '01-05',
  '01-06',
  '01-07',
  '01-08',
  '02-23',
  '03-08',
  '05-01',
  '05-09',
  '06-12',
  '11-04',
]);

const pad = (n: number): string => String(n).padStart(2, '0');
const ru = (date: LocalDate): string => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** 'YYYY-MM-DD' of a real date, or null (30 February, month 13…). */
function validDate(year: number, month: number, day: number): LocalDate | null {
  if (!(year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 && day <= 31)) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

function weekend(date: LocalDate): boolean {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
}

/** Collects one year's facts, reporting a date given twice. */
class YearFacts {
  readonly facts = new Map<LocalDate, Fact>();
  constructor(
    readonly year: number,
    private readonly errors: CalendarImportError[],
    /** A regional calendar lists only its own days: the federal holidays come from its base. */
    private readonly extension = false,
  ) {}

  add(date: LocalDate, kind: Kind, line: number | null): void {
    const before = this.facts.get(date);
    if (before) {
      // A shortened Saturday is both a moved working day and a short day: one fact, not two.
      const pair = new Set([before.kind, kind]);
      if (pair.size === 2 && pair.has('short') && pair.has('working')) {
        this.facts.set(date, { kind: 'short', line });
        return;
      }
      const where = before.line !== null ? ` (уже в строке ${before.line})` : '';
      this.errors.push({ line, message: `Дата ${ru(date)} указана дважды${where}.` });
      return;
    }
    this.facts.set(date, { kind, line });
  }

  /** The year as the calendar stores it, after the weekday checks. */
  build(): ProductionCalendarYear {
    const holidays: LocalDate[] = [];
    const workingWeekends: LocalDate[] = [];
    const shortDays: LocalDate[] = [];
    for (const [date, fact] of [...this.facts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const isWeekend = weekend(date);
      if (fact.kind === 'working') {
        if (!isWeekend) {
          this.errors.push({
            line: fact.line,
            message: `${ru(date)} отмечен как рабочий день по переносу, но это не суббота и не воскресенье.`,
          });
        } else workingWeekends.push(date);
      } else if (fact.kind === 'short') {
        if (STATUTORY.has(date.slice(5))) {
          this.errors.push({
            line: fact.line,
            message: `${ru(date)} — нерабочий праздничный день (ст. 112 ТК РФ), он не может быть сокращённым рабочим днём.`,
          });
          continue;
        }
        if (isWeekend) workingWeekends.push(date);
        shortDays.push(date);
      } else if (!isWeekend || STATUTORY.has(date.slice(5))) holidays.push(date);
    }
    for (const md of this.extension ? [] : STATUTORY) {
      const date = `${this.year}-${md}`;
      const fact = this.facts.get(date);
      if (!fact || fact.kind !== 'off') {
        this.errors.push({
          line: fact?.line ?? null,
          message: `${ru(date)} — нерабочий праздничный день по ст. 112 ТК РФ, а в файле за ${this.year} год он не отмечен выходным.`,
        });
      }
    }
    return { holidays, workingWeekends: [...new Set(workingWeekends)], shortDays };
  }
}

/** Working days, days off and 40-hour-week hours of a year. */
export function yearTotals(year: number, data: ProductionCalendarYear): YearTotals {
  const holidays = new Set(data.holidays);
  const working = new Set(data.workingWeekends);
  const short = new Set(data.shortDays);
  let workingDays = 0;
  let shortDays = 0;
  const start = Date.UTC(year, 0, 1);
  const days = Math.round((Date.UTC(year + 1, 0, 1) - start) / DAY);
  for (let i = 0; i < days; i++) {
    const date = new Date(start + i * DAY).toISOString().slice(0, 10);
    const isWorking = working.has(date) || (!weekend(date) && !holidays.has(date));
    if (!isWorking) continue;
    workingDays++;
    if (short.has(date)) shortDays++;
  }
  return { year, workingDays, daysOff: days - workingDays, shortDays, hours40: workingDays * 8 - shortDays };
}

/** The format by the file's first significant character. */
export function detectFormat(text: string): CalendarFileFormat {
  const first = text.replace(/^\uFEFF/, '').trimStart()[0];
  return first === '<' ? 'xml' : first === '{' ? 'json' : 'csv';
}

export interface ParseOptions {
  /**
   * A regional calendar (issue #20): the file lists only the region's own days (e.g. a republic's
   * extra days off), so the ст. 112 holidays need not be in it — they come from the federal base.
   */
  readonly extension?: boolean;
}

/** Parses and checks a calendar file; `errors` is empty when it can be loaded. */
export function parseCalendarFile(
  text: string,
  format: CalendarFileFormat = detectFormat(text),
  options: ParseOptions = {},
): CalendarImport {
  const errors: CalendarImportError[] = [];
  const body = text.replace(/^\uFEFF/, '');
  const extension = options.extension ?? false;
  const collected =
    format === 'csv'
      ? fromCsv(body, errors, extension)
      : format === 'xml'
        ? fromXml(body, errors, extension)
        : fromJson(body, errors, extension);
  const years: Record<number, ProductionCalendarYear> = {};
  const totals: YearTotals[] = [];
  for (const facts of [...collected.years.values()].sort((a, b) => a.year - b.year)) {
    const year = facts.build();
    years[facts.year] = year;
    const total = yearTotals(facts.year, year);
    totals.push(total);
    const declared = collected.declared[facts.year];
    if (declared?.workingDays !== undefined && declared.workingDays !== total.workingDays) {
      errors.push({
        line: declared.line,
        message: `«Всего рабочих дней» за ${facts.year} год — ${declared.workingDays}, а по дням месяцев выходит ${total.workingDays}.`,
      });
    }
  }
  if (!totals.length && !errors.length)
    errors.push({ line: null, message: 'В файле нет ни одного года календаря.' });
  errors.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return { format, years, totals, errors, declared: collected.declared };
}

interface Collected {
  readonly years: Map<number, YearFacts>;
  readonly declared: Record<number, { workingDays?: number; line: number }>;
}

function yearOf(
  years: Map<number, YearFacts>,
  year: number,
  errors: CalendarImportError[],
  extension: boolean,
): YearFacts {
  let facts = years.get(year);
  if (!facts) years.set(year, (facts = new YearFacts(year, errors, extension)));
  return facts;
}

// ---- CSV (data.gov.ru «Производственный календарь») ------------------------------------------

/** One CSV line split into fields (RFC 4180 quotes), in linear time. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

function fromCsv(text: string, errors: CalendarImportError[], extension: boolean): Collected {
  const years = new Map<number, YearFacts>();
  const declared: Collected['declared'] = {};
  const lines = text.split(/\r?\n/);
  let header: string[] | null = null;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (!raw.trim()) return;
    const fields = csvFields(raw);
    if (!header) {
      if (!/год/i.test(fields[0] ?? '') || fields[1] !== MONTHS[0]) {
        errors.push({
          line,
          message:
            'Первая строка должна быть заголовком: «Год/Месяц», «Январь», …, «Декабрь», «Всего рабочих дней».',
        });
      }
      header = fields;
      return;
    }
    const year = Number(fields[0]);
    if (!/^\d{4}$/.test(fields[0] ?? '')) {
      errors.push({
        line,
        message: `Строка ${line}: в первом столбце нужен год (четыре цифры), а не «${fields[0]}».`,
      });
      return;
    }
    if (fields.length < 13) {
      errors.push({
        line,
        message: `Строка ${line}: за ${year} год нужны все 12 месяцев, а столбцов ${fields.length - 1}.`,
      });
      return;
    }
    if (years.has(year)) {
      errors.push({ line, message: `Строка ${line}: ${year} год уже был в файле.` });
      return;
    }
    const facts = yearOf(years, year, errors, extension);
    for (let m = 1; m <= 12; m++) {
      const cell = fields[m]!;
      if (!cell) continue;
      for (const token of cell.split(',')) {
        const t = token.trim();
        const match = /^(\d{1,2})([*+]?)$/.exec(t);
        const date = match ? validDate(year, m, Number(match[1])) : null;
        if (!date) {
          errors.push({
            line,
            message: `Строка ${line}, ${MONTHS[m - 1]}: «${t}» — не день месяца ${year} года (число, «*» — сокращённый, «+» — перенесённый).`,
          });
          continue;
        }
        facts.add(date, match![2] === '*' ? 'short' : 'off', line);
      }
    }
    // Weekends the row does not list are working days by decree.
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= 31; d++) {
        const date = validDate(year, m, d);
        if (date && weekend(date) && !facts.facts.has(date)) facts.add(date, 'working', line);
      }
    }
    const total = fields[13];
    if (total && /^\d+$/.test(total)) declared[year] = { workingDays: Number(total), line };
  });
  if (!header) errors.push({ line: null, message: 'Файл пуст.' });
  return { years, declared };
}

// ---- XML (xmlcalendar) -------------------------------------------------------------------------

/** `name="value"` pairs of a tag, scanned once (no backtracking on hostile input). */
function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const eq = tag.indexOf('="', pos);
    if (eq < 0) break;
    const end = tag.indexOf('"', eq + 2);
    if (end < 0) break;
    let start = eq;
    while (start > pos && /[\w-]/.test(tag[start - 1]!)) start--;
    out[tag.slice(start, eq)] = tag.slice(eq + 2, end);
    pos = end + 1;
  }
  return out;
}

function fromXml(text: string, errors: CalendarImportError[], extension: boolean): Collected {
  const years = new Map<number, YearFacts>();
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const calendar = /<calendar\b([^>]*)>/.exec(text);
  const year = calendar ? Number(attributes(calendar[1]!).year) : NaN;
  if (!calendar || !Number.isInteger(year) || year < 1900 || year > 2200) {
    errors.push({
      line: calendar ? lineAt(calendar.index) : null,
      message: 'Нет элемента <calendar year="ГГГГ">: неизвестно, за какой год календарь.',
    });
    return { years, declared: {} };
  }
  const facts = yearOf(years, year, errors, extension);
  const days = /<days\b[^>]*>/.exec(text);
  const from = days ? days.index : 0;
  for (const m of text.slice(from).matchAll(/<day\b([^>]*)>/g)) {
    const line = lineAt(from + m.index);
    const a = attributes(m[1]!);
    const dm = /^(\d{2})\.(\d{2})$/.exec(a.d ?? '');
    const date = dm ? validDate(year, Number(dm[1]), Number(dm[2])) : null;
    if (!date) {
      errors.push({ line, message: `Строка ${line}: d="${a.d ?? ''}" — не дата ${year} года в виде ММ.ДД.` });
      continue;
    }
    const kind: Kind | undefined = ({ '1': 'off', '2': 'short', '3': 'working' } as const)[
      a.t as '1' | '2' | '3'
    ];
    if (!kind) {
      errors.push({
        line,
        message: `Строка ${line}: t="${a.t ?? ''}" для ${ru(date)}; допустимо 1 (выходной), 2 (сокращённый), 3 (рабочий).`,
      });
      continue;
    }
    facts.add(date, kind, line);
  }
  return { years, declared: {} };
}

// ---- JSON (the project's own) --------------------------------------------------------------------

function fromJson(text: string, errors: CalendarImportError[], extension: boolean): Collected {
  const years = new Map<number, YearFacts>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    errors.push({ line: null, message: `Файл не является JSON: ${(e as Error).message}.` });
    return { years, declared: {} };
  }
  const lineOf = (needle: string): number | null => {
    const at = text.indexOf(`"${needle}"`);
    if (at < 0) return null;
    let line = 1;
    for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
    return line;
  };
  const data = (parsed as { years?: unknown })?.years;
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    errors.push({
      line: null,
      message:
        'В JSON нужен объект «years»: { "2028": { "holidays": [...], "workingWeekends": [...], "shortDays": [...] } }.',
    });
    return { years, declared: {} };
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const year = Number(key);
    if (!/^\d{4}$/.test(key)) {
      errors.push({ line: lineOf(key), message: `«${key}» — не год (четыре цифры).` });
      continue;
    }
    const facts = yearOf(years, year, errors, extension);
    const v = (value ?? {}) as Record<string, unknown>;
    const lists: [Kind, unknown][] = [
      ['off', v.holidays],
      ['working', v.workingWeekends ?? v.working_weekends],
      ['short', v.shortDays ?? v.short_days],
    ];
    for (const [kind, list] of lists) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        errors.push({
          line: lineOf(key),
          message: `${year}: списки дней должны быть массивами дат ГГГГ-ММ-ДД.`,
        });
        continue;
      }
      for (const item of list) {
        const s = typeof item === 'string' ? item : JSON.stringify(item);
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
        const date = m && Number(m[1]) === year ? validDate(year, Number(m[2]), Number(m[3])) : null;
        if (!date) {
          errors.push({ line: lineOf(s), message: `«${s}» — не дата ${year} года в виде ГГГГ-ММ-ДД.` });
          continue;
        }
        facts.add(date, kind, lineOf(s));
      }
    }
  }
  return { years, declared: {} };
}
