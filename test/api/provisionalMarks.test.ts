/**
 * Issue #20, «предварительный срок» everywhere a deadline is read: a deadline in a year without a
 * loaded production calendar is marked in the read model's column (written with the deadline), in the
 * queue's list items, in the SLA report (JSON and CSV) and on the dashboard (its SLA table and its
 * breaches); once the year's calendar is loaded and reaches the tickets, the mark is gone everywhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTicket } from '../../db/repositories/tickets';
import { until } from '../support/until';
import { phoneIncident, startApi, type Api } from './harness';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../fixtures/calendars', name), 'utf8');

describe('«предварительный срок» in the read model, the queue and the reports (issue #20)', () => {
  let api: Api;
  const period = { from: '2027-12-01T00:00:00Z', to: '2028-02-01T00:00:00Z' };

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const listed = async (id: string) => {
    const list = await api.http().get('/tickets').query({ q: id }).set(api.as('first_line'));
    expect(list.status).toBe(200);
    return list.body.items.find((t: { id: string }) => t.id === id);
  };
  const report = async () =>
    (
      await api
        .http()
        .get('/reports/sla')
        .query({ ...period, groupBy: 'type' })
        .set(api.as('manager'))
    ).body.groups[0];
  const csv = async () =>
    (
      await api
        .http()
        .get('/reports/sla')
        .query({ ...period, groupBy: 'type', format: 'csv' })
        .set(api.as('manager'))
    ).text;
  const dashboard = async () =>
    (await api.http().get('/reports/dashboard').query(period).set(api.as('manager'))).body;

  it('is marked while 2028 is counted by the Labour Code and cleared when the 2028 calendar is loaded', async () => {
    // Saturday 25.12.2027 in Vladivostok: a phone incident, registered at once (seed 000 п. 2.2);
    // 60 working hours (п. 3.1.2) from Monday 27.12 09:00 end on Wed 12.01.2028 15:00, a year with no
    // calendar loaded (31.12 and 1–8 January off by the Labour Code).
    api.setNow('2027-12-25T10:00:00+10:00');
    const created = await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident);
    expect(created.status).toBe(201);
    const id = created.body.id as string;

    const row = await findTicket(api.db.db, id);
    expect(row?.slaDueAt?.toISOString()).toBe('2028-01-12T05:00:00.000Z');
    expect(row?.slaDueProvisional).toBe(true);
    expect(await listed(id)).toMatchObject({ slaDueAt: '2028-01-12T05:00:00.000Z', slaDueProvisional: true });
    expect(await report()).toMatchObject({ group: 'incident', tickets: 1, provisional: 1 });
    const [header, line] = (await csv()).trim().split(/\r?\n/);
    const column = header!.split(',').indexOf('provisional');
    expect(column).toBeGreaterThan(0);
    expect(line!.split(',')[column]).toBe('1');
    expect((await dashboard()).byType[0]).toMatchObject({ provisional: 1 });

    // The provisional deadline passes: the breach is listed with its deadline marked. A request
    // received now, on 14.01.2028, has a provisional deadline too.
    await api.advance('2028-01-14T10:00:00+10:00');
    const breached = await dashboard();
    expect(breached.breaches.items).toEqual([
      expect.objectContaining({ id, slaDueAt: '2028-01-12T05:00:00.000Z', slaDueProvisional: true }),
    ]);
    const later = (await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident)).body
      .id as string;
    const laterDue = (await findTicket(api.db.db, later))?.slaDueAt?.toISOString();
    expect(await listed(later)).toMatchObject({ slaDueAt: laterDue, slaDueProvisional: true });
    expect(await report()).toMatchObject({ tickets: 2, provisional: 2 });

    const accepted = await api
      .http()
      .post('/calendars/import')
      .set(api.as('admin'))
      .send({ content: fixture('ru-2028-test.xml'), decree: '№ 9999 от 15.09.2027 (тест)' });
    expect(accepted.status).toBe(200);
    // The fan-out runs in the background: wait until the read model has followed.
    await until('the read model rows to follow the 2028 calendar', async () => {
      const rows = await Promise.all([findTicket(api.db.db, id), findTicket(api.db.db, later)]);
      return rows.every((r) => r?.slaDueProvisional === false);
    });
    // The test calendar changes nothing between 14.01 and the later deadline: same instant, no mark.
    expect(await listed(later)).toMatchObject({ slaDueAt: laterDue, slaDueProvisional: false });
    expect(await listed(id)).toMatchObject({ slaDueProvisional: false });
    expect(await report()).toMatchObject({ tickets: 2, provisional: 0 });
    expect((await csv()).trim().split(/\r?\n/)[1]!.split(',')[column]).toBe('0');
    const after = await dashboard();
    expect(after.byType[0]).toMatchObject({ provisional: 0 });
    expect(after.breaches.items).toEqual([expect.objectContaining({ id, slaDueProvisional: false })]);
  });
});
