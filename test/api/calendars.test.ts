/**
 * Issue #20 through the API: an admin's import shows the difference first (dryRun) and stores
 * nothing; accepted, the version reaches the open ticket (its provisional deadline moves and stops
 * being provisional); from 1 October a missing next year is a warning on /calendars, /readyz and
 * /metrics; a malformed file is a 400 with one error per line; only an admin imports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { phoneIncident, startApi, type Api } from './harness';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../fixtures/calendars', name), 'utf8');

describe('production calendars in the API (issue #20)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('from 1 October a missing next year is a warning on /calendars, /readyz and /metrics', async () => {
    api.setNow('2027-10-01T09:00:00+03:00');
    const list = await api.http().get('/calendars').set(api.as('admin'));
    expect(list.status).toBe(200);
    expect(list.body.items.map((v: { id: string }) => v.id)).toEqual(['ru-2023-2027.1']);
    expect(list.body.warning).toMatch(/^Производственный календарь на 2028 год не загружен/);
    const ready = await api.http().get('/readyz');
    expect(ready.body.warnings.calendar).toMatch(/на 2028 год не загружен/);
    const metrics = await api.http().get('/metrics').set(api.as('manager'));
    expect(metrics.text).toMatch(/^reglament_calendar_next_year_missing 1$/m);
    api.setNow('2027-09-30T09:00:00+03:00');
    expect((await api.http().get('/calendars').set(api.as('admin'))).body.warning).toBeNull();
  });

  it('a year is shown as the desk counts it: 2028 provisional by the Labour Code', async () => {
    const year = await api.http().get('/calendars/2028').set(api.as('admin'));
    expect(year.body).toMatchObject({ year: 2028, provisional: true, version: null });
    expect(year.body.holidays).toContain('2028-11-06'); // ст. 112: 4 November is a Saturday
  });

  it('only an admin imports; a malformed file is a 400 naming each bad line', async () => {
    const content = fixture('ru-2028-broken.csv');
    expect((await api.http().post('/calendars/import').set(api.as('manager')).send({ content })).status).toBe(
      403,
    );
    const bad = await api.http().post('/calendars/import').set(api.as('admin')).send({ content });
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, message: expect.stringContaining('«30» — не день месяца') }),
        expect.objectContaining({ line: 3 }),
      ]),
    );
  });

  it('dryRun shows the difference; accepted, the open ticket’s deadline moves and is no longer provisional', async () => {
    api.setNow('2027-12-27T10:00:00+10:00');
    const created = await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // A phone request is registered as it is created (seed 000 п. 2.2).
    const before = (await api.http().get(`/tickets/${id}`).set(api.as('first_line'))).body;
    expect(before.provisionalDeadlines).toContain('resolution');
    expect(before.clocks.find((c: { name: string }) => c.name === 'resolution').provisional).toBe(true);

    const content = fixture('ru-2028-test.xml');
    const dry = await api
      .http()
      .post('/calendars/import')
      .set(api.as('admin'))
      .send({ content, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.version).toBeNull();
    expect(dry.body.diff).toEqual([
      {
        year: 2028,
        added: true,
        changes: [
          { date: '2028-01-10', before: 'рабочий', after: 'выходной' },
          { date: '2028-12-29', before: 'рабочий', after: 'выходной' },
        ],
      },
    ]);
    expect((await api.http().get('/calendars').set(api.as('admin'))).body.items).toHaveLength(1);

    const accepted = await api
      .http()
      .post('/calendars/import')
      .set(api.as('admin'))
      .send({ content, decree: '№ 9999 от 15.09.2027 (тест)', source: 'тестовый файл' });
    expect(accepted.body.version).toMatchObject({ id: 'ru-2023-2028.2', loadedBy: 'Сотрудник admin' });
    // The fan-out runs in the background: wait until the ticket has followed.
    let after = before;
    for (let i = 0; i < 200 && after.provisionalDeadlines.length; i++) {
      await new Promise((r) => setImmediate(r));
      after = (await api.http().get(`/tickets/${id}`).set(api.as('first_line'))).body;
    }
    expect(after.provisionalDeadlines).toEqual([]);
    expect(Date.parse(after.deadlines.resolution)).toBeGreaterThan(Date.parse(before.deadlines.resolution));
    const history = (await api.http().get(`/tickets/${id}/history`).set(api.as('first_line'))).body;
    expect(JSON.stringify(history)).toContain(
      'Срок пересчитан: производственный календарь 2028 (постановление № 9999 от 15.09.2027 (тест))',
    );
  });
});
