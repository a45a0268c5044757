/**
 * Issue #20: a loaded calendar version reaches every open ticket from the read model's list, moves
 * its deadline, and the timeline (the stored events) says «Срок пересчитан: …»; a second fan-out
 * of the same version changes nothing; archived tickets are not touched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '../../activities';
import { importCalendar } from '../../db/repositories/calendars';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { currentRef, extendCalendar, parseCalendarFile } from '../../domain';
import { deliverCalendar, deliverCalendarVersion } from '../../worker/calendarFanOut';
import { forgetCurrentCalendar, openReadable } from '../../workflows/lifecycle';
import { testDatabase } from '../support/database';
import { InProcessGateway } from '../support/inProcessGateway';
import { calendarVersion2 } from '../fixtures/calendars/version2';
import { incidentIntake } from '../fixtures/incident';

const v2 = calendarVersion2('csv');
const FIXTURES = join(__dirname, '../fixtures/calendars');
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
        intake: incidentIntake,
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

/**
 * Issue #20 «a regional day off changes only that region's tickets», end to end below the API: the
 * regional file stored by importCalendar, tickets opened through openReadable (the lifecycle every
 * channel uses) and versions delivered by deliverCalendarVersion, as the CLI and the API do.
 */
describe('regional calendar versions reach only their region’s tickets (issue #20)', () => {
  let database: Awaited<ReturnType<typeof testDatabase>>;
  let now = Date.parse('2027-12-27T10:00:00+10:00');
  let gateway: InProcessGateway;
  const due = async (id: string) => (await findTicket(database.db, id))?.slaDueAt?.toISOString();

  beforeAll(async () => {
    database = await testDatabase();
    gateway = new InProcessGateway(
      createActivities({
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
      }),
      () => now,
    );
    forgetCurrentCalendar();
  });

  afterAll(async () => {
    forgetCurrentCalendar();
    await database.drop();
  });

  async function incident(id: string, calendar?: string): Promise<void> {
    await openReadable(database.db, gateway, {
      openedAt: new Date(now).toISOString(),
      open: {
        ticketId: id,
        regulation: currentRef('primorye', calendar ? { calendar } : undefined),
        channel: 'phone',
        receivedAt: new Date(now).toISOString(),
        requestType: 'incident',
        intake: incidentIntake,
      },
      initialCommands: [
        {
          type: 'register',
          by: operator,
          assignee: { id: 'ivanov', name: 'Иванов' },
          commandId: `${id}:register`,
        },
      ],
    });
  }

  async function load(file: string, calendar: string): Promise<void> {
    const parsed = parseCalendarFile(readFileSync(join(FIXTURES, file), 'utf8'), undefined, {
      extension: calendar !== 'ru',
    });
    await importCalendar(database.db, { calendar, parsed, decree: `${calendar} (тест)`, loadedBy: 'test' });
    forgetCurrentCalendar();
    const result = await deliverCalendarVersion(database.db, gateway, calendar);
    expect(result.failed).toEqual([]);
  }

  it('a regional import moves only its tickets; new ones count on it; a federal import reaches both, combined', async () => {
    await incident('ID910001');
    await incident('ID910002', 'ru-tatarstan');
    // Seed 000 п. 3.1.2, 60 working hours from Mon 27.12.2027 10:00 (Vladivostok): Wed 12.01.2028 16:00.
    expect(await due('ID910001')).toBe('2028-01-12T06:00:00.000Z');
    expect(await due('ID910002')).toBe('2028-01-12T06:00:00.000Z');

    now = Date.parse('2027-12-27T12:00:00+10:00');
    await load('ru-tatarstan-test.json', 'ru-tatarstan'); // Wed 29.12.2027 a regional day off (test data)
    expect(await due('ID910001')).toBe('2028-01-12T06:00:00.000Z');
    expect(await due('ID910002')).toBe('2028-01-13T06:00:00.000Z');
    expect((await ticketEventsOf(database.db, 'ID910001')).some((e) => e.type === 'calendarChanged')).toBe(
      false,
    );
    expect(
      (await ticketEventsOf(database.db, 'ID910002')).find((e) => e.type === 'calendarChanged'),
    ).toMatchObject({
      note: 'Срок пересчитан: производственный календарь 2027 (постановление ru-tatarstan (тест))',
    });

    // Opened after the import: the region's day counts from the opening, the federal ticket's does not.
    await incident('ID910003', 'ru-tatarstan');
    await incident('ID910004');
    expect(await due('ID910003')).toBe('2028-01-13T08:00:00.000Z');
    expect(await due('ID910004')).toBe('2028-01-12T08:00:00.000Z');

    // The federal 2028 (10 January off, test data) reaches both, the regional one with its own day.
    now = Date.parse('2027-12-28T10:00:00+10:00');
    await load('ru-2028-test.json', 'ru');
    expect(await due('ID910001')).toBe('2028-01-13T06:00:00.000Z');
    expect(await due('ID910002')).toBe('2028-01-14T06:00:00.000Z');
    expect(await due('ID910003')).toBe('2028-01-14T08:00:00.000Z');
    expect(await due('ID910004')).toBe('2028-01-13T08:00:00.000Z');
  });
});
