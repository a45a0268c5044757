/**
 * Issue #20 «Calendars as versioned data»: the built-in 2023–2027 data is version 1 of a fresh
 * install; `reglament calendar import` checks a file, shows the difference and stores an immutable
 * new version with its source; a bad file gives one error per line and stores nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCalendarVersions } from '../../db/repositories/calendars';
import { testDatabase } from '../support/database';

const BIN = join(__dirname, '../../bin/reglament.js');
const FIXTURES = join(__dirname, '../fixtures/calendars');

function cli(
  args: string[],
  databaseUrl: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

describe('production calendar versions (issue #20)', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;

  beforeAll(async () => {
    database = await testDatabase();
  });

  afterAll(async () => {
    await database.drop();
  });

  it('a fresh install has the built-in 2023–2027 data as version 1, with its decrees', async () => {
    const list = await cli(['calendar', 'list'], database.url);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^ru-2023-2027\.1\tru\t2023–2027\tПостановления Правительства РФ .*№ 1466/);
  });

  it('a malformed file: one error per bad line, exit 2, nothing stored', async () => {
    const r = await cli(['calendar', 'import', join(FIXTURES, 'ru-2028-broken.csv')], database.url);
    expect(r.code).toBe(2);
    expect(r.err).toContain('строка 2: Строка 2, Февраль: «30» — не день месяца 2028 года');
    expect(r.err).toContain('строка 3: Строка 3: в первом столбце нужен год');
    expect(await listCalendarVersions(database.db)).toHaveLength(1);
  });

  it('--dry-run shows the totals and the days that change against the provisional 2028, stores nothing', async () => {
    const r = await cli(
      ['calendar', 'import', join(FIXTURES, 'ru-2028-test.csv'), '--dry-run'],
      database.url,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('проверка (--dry-run): ничего не сохранено');
    expect(r.out).toContain(
      '2028: рабочих дней 247, выходных и праздничных 119, часов при 40-часовой неделе 1972',
    );
    expect(r.out).toContain('2028: новый год (до сих пор — предварительно, по ТК РФ), изменённых дней: 2');
    expect(r.out).toContain('10.01.2028: рабочий → выходной');
    expect(r.out).toContain('29.12.2028: рабочий → выходной');
    expect(await listCalendarVersions(database.db)).toHaveLength(1);
  });

  it('an import stores version 2 with its source; the same file again changes nothing and is refused', async () => {
    const r = await cli(
      [
        'calendar',
        'import',
        join(FIXTURES, 'ru-2028-test.xml'),
        '--decree',
        '№ 9999 от 15.09.2027 (тест)',
        '--by',
        'admin',
      ],
      database.url,
    );
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(
      /^загружена версия ru-2023-2028\.2 \(постановление № 9999 от 15\.09\.2027 \(тест\)\)/,
    );
    const versions = await listCalendarVersions(database.db);
    expect(versions.map((v) => [v.id, v.lastYear, v.decree, v.origin, v.loadedBy])).toEqual([
      ['ru-2023-2027.1', 2027, expect.any(String), expect.any(String), 'reglament'],
      ['ru-2023-2028.2', 2028, '№ 9999 от 15.09.2027 (тест)', 'ru-2028-test.xml', 'admin'],
    ]);
    const again = await cli(['calendar', 'import', join(FIXTURES, 'ru-2028-test.json')], database.url);
    expect(again.code).toBe(2);
    expect(again.err).toContain('Файл ничего не меняет в текущей версии ru-2023-2028.2');
    const show = await cli(['calendar', 'show', '2028'], database.url);
    expect(show.out).toContain('2028: версия ru-2023-2028.2, № 9999 от 15.09.2027 (тест)');
    expect(show.out).toContain('рабочих дней 247, часов при 40-часовой неделе 1972');
    const provisional = await cli(['calendar', 'show', '2029'], database.url);
    expect(provisional.out).toContain('2029: не загружен — предварительно, по ТК РФ');
  });

  it('a regional calendar (its own days only) is stored on top of «ru» and shown combined with it', async () => {
    const r = await cli(
      [
        'calendar',
        'import',
        join(FIXTURES, 'ru-tatarstan-test.json'),
        '--calendar',
        'ru-tatarstan',
        '--decree',
        'Закон РТ (тест)',
      ],
      database.url,
    );
    // Without the ст. 112 holidays in the file: they come from the federal calendar.
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/^загружена версия ru-tatarstan-2027-2027\.1/);
    expect(r.out).toContain('29.12.2027: рабочий → выходной');
    const list = await cli(['calendar', 'list'], database.url);
    expect(list.out).toMatch(
      /^ru-tatarstan-2027-2027\.1\tru-tatarstan \(поверх ru\)\t2027–2027\tЗакон РТ \(тест\)/m,
    );
    const show = await cli(['calendar', 'show', '2027', '--calendar', 'ru-tatarstan'], database.url);
    expect(show.out).toMatch(/выходные в будни: .*05\.11\.2027.*29\.12\.2027/);
    const federal = await cli(['calendar', 'show', '2027'], database.url);
    expect(federal.out).not.toContain('29.12.2027');
    const base = await cli(
      [
        'calendar',
        'import',
        join(FIXTURES, 'ru-tatarstan-test.json'),
        '--calendar',
        'ru-x',
        '--extends',
        'ru-tatarstan',
      ],
      database.url,
    );
    expect(base.code).toBe(2);
    expect(base.err).toContain(
      'Региональный календарь «ru-x» дополняет федеральный «ru», а не «ru-tatarstan»',
    );
  }, 120_000);

  it('a regional day in a year the federal calendar lacks is refused, not ignored; an unknown calendar is not shown', async () => {
    // A regional day in a year the federal calendar has not loaded would be ignored: refused instead.
    const later = join(mkdtempSync(join(tmpdir(), 'calendar-')), 'ru-tatarstan-2030.json');
    writeFileSync(later, JSON.stringify({ years: { 2030: { holidays: ['2030-08-30'] } } }));
    const beyond = await cli(['calendar', 'import', later, '--calendar', 'ru-tatarstan'], database.url);
    expect(beyond.code).toBe(2);
    expect(beyond.err).toContain('сначала загрузите его на 2030, затем региональный');
    const unknown = await cli(['calendar', 'show', '2027', '--calendar', 'ru-nowhere'], database.url);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('calendar "ru-nowhere" is not loaded');
  }, 60_000);

  it('versions are immutable: the database refuses to change or delete one', async () => {
    await expect(
      database.pool.query(`update calendar_versions set decree = 'x' where id = 'ru-2023-2027.1'`),
    ).rejects.toThrow(/calendar version ru-2023-2027.1 is immutable/);
    await expect(database.pool.query('delete from calendar_versions')).rejects.toThrow(/immutable/);
  });
});
