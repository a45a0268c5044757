/**
 * Issue #20 «Import of the formats people actually have»: the Government portal's open-data CSV,
 * the xmlcalendar XML and the project's JSON give the same year; every bad line gets one Russian
 * error naming it. The 2028 fixtures are test data written for this suite, not the official decree.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCalendarFile, yearTotals } from '../../../domain/calendar';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../../fixtures/calendars', name), 'utf8');

describe('calendar import formats (issue #20)', () => {
  const json = parseCalendarFile(fixture('ru-2028-test.json'));
  const csv = parseCalendarFile(fixture('ru-2028-test.csv'));
  const xml = parseCalendarFile(fixture('ru-2028-test.xml'));

  it('each format is recognised and loads without errors', () => {
    expect([json.format, csv.format, xml.format]).toEqual(['json', 'csv', 'xml']);
    for (const r of [json, csv, xml]) expect(r.errors).toEqual([]);
  });

  it('the three files describe the same 2028 (days off, moved days, ст. 95 shortened days)', () => {
    expect(csv.years[2028]).toEqual(json.years[2028]);
    expect(xml.years[2028]).toEqual(json.years[2028]);
    expect(json.years[2028]!.holidays).toEqual(
      expect.arrayContaining(['2028-01-10', '2028-11-06', '2028-12-29']),
    );
    expect(json.years[2028]!.shortDays).toEqual(['2028-02-22', '2028-03-07', '2028-05-08', '2028-11-03']);
  });

  it('yearly totals are shown: 247 working days, 1972 hours of a 40-hour week', () => {
    expect(csv.totals).toEqual([{ year: 2028, workingDays: 247, daysOff: 119, shortDays: 4, hours40: 1972 }]);
  });

  it('the built-in 2026 data gives the published totals through the same count', () => {
    const { RU_PRODUCTION_CALENDAR } = jest.requireActual('../../../domain/calendar');
    expect(yearTotals(2026, RU_PRODUCTION_CALENDAR.years[2026])).toMatchObject({
      workingDays: 247,
      hours40: 1972,
    });
  });

  it('a malformed CSV gives one clear error per bad line, naming it', () => {
    const r = parseCalendarFile(fixture('ru-2028-broken.csv'));
    const messages = r.errors.map((e) => `${e.line}: ${e.message}`);
    // Line 2: Feb 30 does not exist; 10 January listed off in the JSON is missing here, so the
    // declared total (247) disagrees with the days.
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2: Строка 2, Февраль: «30» — не день месяца 2028 года/),
        expect.stringMatching(/^2: «Всего рабочих дней» за 2028 год — 247, а по дням месяцев выходит 249/),
        expect.stringMatching(/^3: Строка 3: в первом столбце нужен год/),
        expect.stringMatching(/^4: Строка 4: за 2029 год нужны все 12 месяцев/),
      ]),
    );
    expect(r.errors.every((e) => e.line !== null)).toBe(true);
  });

  it('XML and JSON errors name their lines: duplicates, wrong weekdays, missing ст. 112 holidays', () => {
    const xmlBad = parseCalendarFile(
      [
        '<calendar year="2028">',
        '<days>',
        '<day d="01.01" t="1"/>',
        '<day d="01.01" t="1"/>',
        '<day d="02.30" t="1"/>',
        '<day d="03.15" t="3"/>',
        '<day d="05.05" t="7"/>',
        '</days></calendar>',
      ].join('\n'),
    );
    const lines = xmlBad.errors.map((e) => [e.line, e.message]);
    expect(lines).toEqual(
      expect.arrayContaining([
        [4, 'Дата 01.01.2028 указана дважды (уже в строке 3).'],
        [5, 'Строка 5: d="02.30" — не дата 2028 года в виде ММ.ДД.'],
        [6, '15.03.2028 отмечен как рабочий день по переносу, но это не суббота и не воскресенье.'],
        [7, 'Строка 7: t="7" для 05.05.2028; допустимо 1 (выходной), 2 (сокращённый), 3 (рабочий).'],
        [null, expect.stringContaining('23.02.2028 — нерабочий праздничный день по ст. 112 ТК РФ')],
      ]),
    );
    const jsonBad = parseCalendarFile(
      '{\n "years": {\n  "2028": {\n   "holidays": ["2028-13-01"]\n  }\n }\n}',
    );
    expect(jsonBad.errors[0]).toEqual({
      line: 4,
      message: '«2028-13-01» — не дата 2028 года в виде ГГГГ-ММ-ДД.',
    });
    expect(parseCalendarFile('{oops').errors[0]!.message).toMatch(/^Файл не является JSON/);
  });

  it('hostile input costs linear time (a long run without quotes or separators)', () => {
    const started = Date.now();
    parseCalendarFile(`<calendar year="2028"><days><day ${'a'.repeat(200_000)}/></days></calendar>`);
    parseCalendarFile(`Год/Месяц,Январь\n2028,"${'1'.repeat(200_000)}"`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
