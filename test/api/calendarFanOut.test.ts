/**
 * Issue #20: a loaded calendar version reaches every open ticket from the read model's list, moves
 * its deadline, and the timeline (the stored events) says «Срок пересчитан: …»; a second fan-out
 * of the same version changes nothing; archived tickets are not touched.
 */
import { createActivities } from '../../activities';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { currentRef, extendCalendar } from '../../domain';
import { deliverCalendar } from '../../worker/calendarFanOut';
import { testDatabase } from '../support/database';
import { InProcessGateway } from '../support/inProcessGateway';
import { calendarVersion2 } from '../fixtures/calendars/version2';

const v2 = calendarVersion2('csv');
const operator = { kind: 'operator' as const, id: 'op', name: 'Оператор', role: 'first_line' };

describe('calendar fan-out to open tickets (issue #20)', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let now = Date.parse('2027-12-27T10:00:00+10:00');
  let gateway: InProcessGateway;

  beforeAll(async () => {
    database = await testDatabase();
    const activities = createActivities({
      db: database.db,
      mail: {
        transport: null,
        settings: {
          from: 'Техподдержка <help@dprim.ru>',
          domain: 'dprim.ru',
          instance: 'r1',
          roles: { managers: ['manager@dprim.ru'], regional: [], federal: [] },
          automaticPerHour: 100,
        },
      },
      now: () => now,
    });
    gateway = new InProcessGateway(activities, () => now);
  });

  afterAll(async () => {
    await database.drop();
  });

  async function incident(id: string, calendar?: string): Promise<void> {
    await gateway.open({
      open: {
        ticketId: id,
        regulation: currentRef('primorye', calendar ? { calendar } : undefined),
        channel: 'phone',
        receivedAt: new Date(now).toISOString(),
        requestType: 'incident',
        intake: {
          subject: 'Не списываются баллы',
          description: 'Ошибка при оплате сертификатом',
          expectedResult: 'Баллы списаны',
          actualResult: 'Ошибка «Недостаточно средств»',
          initiator: {
            fullName: 'Петров Петр Петрович',
            email: 'petrov@example.ru',
            organization: 'Бубль-Гум',
          },
        },
      },
    });
    await gateway.send(id, { type: 'register', by: operator, assignee: { id: 'ivanov', name: 'Иванов' } });
  }

  it('every open ticket’s provisional deadline moves; closed ones stay; a repeat is a no-op', async () => {
    await incident('ID900001');
    await incident('ID900002');
    await incident('ID900003');
    await gateway.send('ID900003', { type: 'resolve', by: operator, text: 'Решено.' });
    const before = await findTicket(database.db, 'ID900001');
    // Registered Mon 27.12.2027 10:00, 60 working hours (seed 000 п. 3.1.2): Mon 8, Tue 9, Wed 9, Thu 9
    // (31.12 off); provisional 2028 (1–8 January off): Mon 10 9, Tue 11 9, Wed 12 09:00 + 7 h.
    expect(before?.slaDueAt?.toISOString()).toBe('2028-01-12T06:00:00.000Z');

    now = Date.parse('2027-12-29T12:00:00+10:00');
    const result = await deliverCalendar(database.db, gateway, v2, { decree: '№ 9999 от 15.09.2027 (тест)' });
    expect(result).toEqual({ delivered: 3, missing: [], failed: [] });
    for (const id of ['ID900001', 'ID900002']) {
      const row = await findTicket(database.db, id);
      // 10 January 2028 is a day off by the (test) decree: one working day later.
      expect(row?.slaDueAt?.toISOString()).toBe('2028-01-13T06:00:00.000Z');
      const events = await ticketEventsOf(database.db, id);
      expect(events.filter((e) => e.type === 'calendarChanged')).toEqual([
        expect.objectContaining({
          note: 'Срок пересчитан: производственный календарь 2028 (постановление № 9999 от 15.09.2027 (тест))',
        }),
      ]);
    }
    const resolved = await ticketEventsOf(database.db, 'ID900003');
    expect(resolved.find((e) => e.type === 'calendarChanged')).toMatchObject({ clocks: [] });

    const again = await deliverCalendar(database.db, gateway, v2);
    expect(again.delivered).toBe(3);
    const events = await ticketEventsOf(database.db, 'ID900001');
    expect(events.filter((e) => e.type === 'calendarChanged')).toHaveLength(1);
  });

  it('a regional day off changes only that region’s tickets (a republic’s calendar extends the federal one)', async () => {
    now = Date.parse('2027-12-27T10:00:00+10:00');
    await incident('ID900011');
    await incident('ID900012', 'ru-tatarstan');
    now = Date.parse('2027-12-29T12:00:00+10:00');
    // Test data: 11 January 2028 a regional day off (not the republic's real holiday list).
    const tatarstan = extendCalendar(v2, {
      id: 'ru-tatarstan',
      version: 'ru-tatarstan-2028.1',
      years: { 2028: { holidays: ['2028-01-11'], workingWeekends: [], shortDays: [] } },
    });
    const result = await deliverCalendar(database.db, gateway, v2, {
      regional: { 'ru-tatarstan': tatarstan },
    });
    expect(result.failed).toEqual([]);
    // Federal: as before, Thu 13.01 16:00; regional: one more day off, Fri 14.01 16:00 (Vladivostok).
    expect((await findTicket(database.db, 'ID900011'))?.slaDueAt?.toISOString()).toBe(
      '2028-01-13T06:00:00.000Z',
    );
    expect((await findTicket(database.db, 'ID900012'))?.slaDueAt?.toISOString()).toBe(
      '2028-01-14T06:00:00.000Z',
    );
  });
});
