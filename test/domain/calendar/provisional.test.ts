/**
 * Issue #20 «Never a missing deadline»: past the last loaded year the calendar is the Labour Code's
 * (ст. 112 ТК РФ holidays and their moves, ст. 95 shortened pre-holiday days), and every deadline
 * computed on such days is marked provisional («предварительный срок»).
 */
import { businessCalendar, labourCodeYear, RU_PRODUCTION_CALENDAR } from '../../../domain/calendar';
import { clockViews, notificationsFor, provisionalDeadlines } from '../../../domain';
import { ivanov, Ticket } from '../ticket/harness';

const moscowShort = businessCalendar({
  timeZone: 'Europe/Moscow',
  workdayStart: '09:00',
  workdayEnd: '18:00',
  shortenPreHolidays: true,
});

describe('labourCodeYear: ст. 112 ТК РФ without a decree', () => {
  it('2026 differs from the loaded decree (№ 1466) only by the decree’s own January transfers', () => {
    const code = labourCodeYear(2026);
    const decree = RU_PRODUCTION_CALENDAR.years[2026]!;
    // ст. 112: Mar 8 (Sun) → Mar 9, May 9 (Sat) → May 11 — the code makes these moves itself.
    expect(code.holidays).toEqual(expect.arrayContaining(['2026-03-09', '2026-05-11']));
    // Only the decree moves the January days off (Jan 3 → Jan 9, Jan 4 → Dec 31).
    expect(decree.holidays.filter((d) => !code.holidays.includes(d))).toEqual(['2026-01-09', '2026-12-31']);
    expect(code.holidays.filter((d) => !decree.holidays.includes(d))).toEqual([]);
  });

  it('a holiday on a weekend moves to the next working day after it; January days never move', () => {
    // 2027: May 1 Sat → Mon May 3; May 9 Sun → Mon May 10; Jun 12 Sat → Mon Jun 14; Jan 2–3 stay put.
    const code = labourCodeYear(2027);
    expect(code.holidays).toEqual(expect.arrayContaining(['2027-05-03', '2027-05-10', '2027-06-14']));
    expect(code.holidays.filter((d) => d.startsWith('2027-01'))).toHaveLength(8);
    expect(code.holidays).not.toContain('2027-01-10');
  });

  it('ст. 95: the working day right before a holiday is shortened, 31 December included', () => {
    const code = labourCodeYear(2028);
    // 2028: Tue Feb 22, Tue Mar 7, Mon May 8 (before Tue May 9), Fri Nov 3 (Nov 4 is a Saturday, so
    // Mon Nov 6 is off). Apr 30, Jun 11 and Dec 31 are Sundays: no working day right before.
    expect(code.shortDays).toEqual(['2028-02-22', '2028-03-07', '2028-05-08', '2028-11-03']);
    expect(code.holidays).toContain('2028-11-06');
    expect(labourCodeYear(2029).shortDays).toContain('2029-12-31'); // Monday before 1 January
  });
});

describe('the calendar past its last loaded year', () => {
  it('answers for 2028 and says the day is provisional', () => {
    expect(moscowShort.lastLoadedYear).toBe(2027);
    expect(moscowShort.day('2027-12-30')).toMatchObject({ working: true, provisional: false });
    expect(moscowShort.day('2028-01-08')).toMatchObject({ working: false, provisional: true });
    expect(moscowShort.day('2028-01-10')).toMatchObject({ working: true, provisional: true });
    expect(moscowShort.day('2028-02-22')).toMatchObject({ working: true, short: true, provisional: true });
    expect(moscowShort.isProvisional(Date.parse('2028-01-01T00:00:00+03:00'))).toBe(true);
    expect(moscowShort.isProvisional(Date.parse('2027-12-31T23:59:00+03:00'))).toBe(false);
  });
});

describe('seed 000 п. 3.1.2 across the New Year of an unloaded year (issue #20)', () => {
  it('an incident received 25.12.2027, registered, paused, resumed and escalated has a provisional deadline and a breach timer', () => {
    const t = Ticket.open('primorye', '2027-12-25T10:00:00+10:00', { type: 'incident' })
      .do('2027-12-27T10:00:00+10:00', 'register', { assignee: ivanov })
      .do('2027-12-27T12:00:00+10:00', 'requestInfo', { question: 'Пришлите скриншот.' })
      .do('2027-12-28T09:30:00+10:00', 'reply', { text: 'Скриншот во вложении.' })
      .do('2027-12-28T10:00:00+10:00', 'resume')
      .do('2027-12-28T11:00:00+10:00', 'escalate', { reason: 'Нужен анализ логов' });
    expect(t.lastRefusal).toBeNull();
    // 60 h − 2 h used on Mon 27.12 = 58 h from Tue 28.12 10:00: Tue 8, Wed 9, Thu 9 (31.12.2027 is a
    // day off by the loaded decree), then the Labour Code's 2028: 1–8 January off, Mon 10 9, Tue 11 9,
    // Wed 12 9, Thu 13 09:00 + 5 h.
    expect(t.due('resolution')).toBe('2028-01-13T14:00:00+10:00');
    expect(provisionalDeadlines(t.state)).toContain('resolution');
    const view = clockViews(t.state, Date.parse('2027-12-28T12:00:00+10:00')).find(
      (c) => c.name === 'resolution',
    );
    expect(view).toMatchObject({ provisional: true, problem: null, state: 'running' });
    expect(t.next()).toMatchObject({ clock: 'resolution' });
    t.advance('2028-01-14T00:00:00+10:00');
    expect(t.events('deadlineBreached').map((e) => e.at)).toContain('2028-01-13T04:00:00.000Z');
  });

  it('the mail that states the deadline says «предварительный срок» (acknowledgement and breach)', () => {
    const t = Ticket.open('primorye', '2027-12-29T10:00:00+10:00', { type: 'incident' }).do(
      '2027-12-29T10:30:00+10:00',
      'register',
      { assignee: ivanov },
    );
    const registered = t.events('registered')[0]!;
    const ack = notificationsFor(registered, t.state).find((m) => m.template === 'acknowledgement');
    expect(ack?.text).toContain('(предварительный срок)');
    t.advance('2028-02-01T00:00:00+10:00');
    const breach = t.events('deadlineBreached')[0]!;
    const mail = notificationsFor(breach, t.state).find((m) => m.template === 'slaBreach');
    expect(mail?.text).toMatch(/Нарушен срок исполнения: .*\(предварительный срок\)/);
  });

  it('a deadline inside the loaded years is not provisional', () => {
    const t = Ticket.open('primorye', '2027-03-01T10:00:00+10:00', { type: 'incident' }).do(
      '2027-03-01T10:30:00+10:00',
      'register',
      { assignee: ivanov },
    );
    expect(provisionalDeadlines(t.state)).toEqual([]);
  });
});
