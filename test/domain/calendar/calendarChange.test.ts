/**
 * Issue #20 «Running tickets follow the new version»: a calendar version delivered to a ticket moves
 * its deadlines; time already used stays as counted, time left counts on the new calendar; the
 * timeline says «Срок пересчитан: производственный календарь 2028 (постановление №…)».
 */
import { applyCommand, clockViews, provisionalDeadlines, type ProductionCalendarData } from '../../../domain';
import { ivanov, Ticket } from '../ticket/harness';
import { calendarVersion2 } from '../../fixtures/calendars/version2';

const v2 = calendarVersion2('json');
const SYSTEM = { kind: 'system' as const, name: 'reglament' };

function deliver(t: Ticket, at: string, calendar: ProductionCalendarData, decree = '№ 9999 от 15.09.2027') {
  const applied = applyCommand(t.state, { type: 'calendar', by: SYSTEM, calendar, decree }, Date.parse(at));
  t.state = applied.state;
  t.log.push(...applied.events);
  return applied;
}

function incident() {
  return Ticket.open('primorye', '2027-12-25T10:00:00+10:00', { type: 'incident' })
    .do('2027-12-27T10:00:00+10:00', 'register', { assignee: ivanov })
    .do('2027-12-27T12:00:00+10:00', 'requestInfo', { question: 'Пришлите скриншот.' })
    .do('2027-12-28T09:30:00+10:00', 'reply', { text: 'Скриншот во вложении.' })
    .do('2027-12-28T10:00:00+10:00', 'resume')
    .do('2027-12-28T11:00:00+10:00', 'escalate', { reason: 'Нужен анализ логов' });
}

describe('a loaded 2028 calendar reaches a running ticket (issue #20)', () => {
  it('the provisional deadline moves by the decree’s day off (10 January) and is no longer provisional', () => {
    const t = incident();
    expect(t.due('resolution')).toBe('2028-01-13T14:00:00+10:00');
    const applied = deliver(t, '2027-12-29T12:00:00+10:00', v2);
    // 58 h left from Tue 28.12 10:00: Tue 8, Wed 9, Thu 9; 2028: 1–8 and (by the test decree) 10
    // January off: Tue 11 9, Wed 12 9, Thu 13 9, Fri 14 09:00 + 5 h.
    expect(t.due('resolution')).toBe('2028-01-14T14:00:00+10:00');
    expect(provisionalDeadlines(t.state)).toEqual([]);
    expect(applied.events).toEqual([
      expect.objectContaining({
        type: 'calendarChanged',
        years: [2028],
        clocks: ['resolution'],
        note: 'Срок пересчитан: производственный календарь 2028 (постановление № 9999 от 15.09.2027)',
      }),
    ]);
    // The workflow keeps only the years a ticket received in 2027 can need.
    expect(Object.keys(t.state.calendar!.years)).toEqual(['2027', '2028']);
    t.advance('2028-01-15T00:00:00+10:00');
    const breaches = t.events('deadlineBreached').filter((e) => 'clock' in e && e.clock === 'resolution');
    expect(breaches.map((e) => e.at)).toEqual(['2028-01-14T04:00:00.000Z']);
  });

  it('time already used stays as counted: a correction of a past day does not give it back', () => {
    const t = incident();
    const used = clockViews(t.state, Date.parse('2027-12-29T12:00:00+10:00')).find(
      (c) => c.name === 'resolution',
    )!.elapsedMinutes;
    // A corrected version makes the past Tuesday 28.12.2027 a day off.
    const corrected: ProductionCalendarData = {
      ...v2,
      version: 'ru-2023-2028.3',
      years: {
        ...v2.years,
        2027: { ...v2.years[2027]!, holidays: [...v2.years[2027]!.holidays, '2027-12-28'].sort() },
      },
    };
    deliver(t, '2027-12-29T12:00:00+10:00', corrected);
    const after = clockViews(t.state, Date.parse('2027-12-29T12:00:00+10:00')).find(
      (c) => c.name === 'resolution',
    )!;
    expect(after.elapsedMinutes).toBe(used);
    // Used: Mon 2 h + Tue 8 h + Wed 3 h = 13 h; 47 h left from Wed 12:00: Wed 6, Thu 9, Tue 11 9,
    // Wed 12 9, Thu 13 9 = 42, Fri 14 09:00 + 5 h.
    expect(used).toBe(13 * 60);
    expect(t.due('resolution')).toBe('2028-01-14T14:00:00+10:00');
  });

  it('a deadline already passed stays where it was: the decree arriving late does not move it to its arrival', () => {
    const t = incident();
    t.advance('2028-01-20T12:00:00+10:00');
    const breached = t.events('deadlineBreached').filter((e) => 'clock' in e && e.clock === 'resolution');
    expect(breached.map((e) => e.at)).toEqual(['2028-01-13T04:00:00.000Z']);
    deliver(t, '2028-01-20T12:00:00+10:00', v2);
    // The provisional deadline was in force when it passed; the old code gave the decree's arrival.
    expect(t.due('resolution')).toBe('2028-01-13T14:00:00+10:00');
    expect(provisionalDeadlines(t.state)).toEqual([]);
    t.advance('2028-01-25T00:00:00+10:00');
    expect(t.events('deadlineBreached').filter((e) => 'clock' in e && e.clock === 'resolution')).toHaveLength(
      1,
    );
  });

  it('the same version twice changes nothing; only the system may deliver it', () => {
    const t = incident();
    deliver(t, '2027-12-29T12:00:00+10:00', v2);
    expect(deliver(t, '2027-12-29T13:00:00+10:00', v2).events).toEqual([]);
    const byOperator = applyCommand(
      t.state,
      { type: 'calendar', by: { kind: 'operator', id: 'x', name: 'X' }, calendar: v2 },
      Date.parse('2027-12-29T13:00:00+10:00'),
    );
    expect(byOperator.refusal?.code).toBe('forbidden');
  });

  it('a ticket with no running clock records the new calendar without moving anything', () => {
    const t = Ticket.open('primorye', '2027-12-20T10:00:00+10:00', { type: 'incident' })
      .do('2027-12-20T10:30:00+10:00', 'register', { assignee: ivanov })
      .do('2027-12-20T11:00:00+10:00', 'resolve', { text: 'Готово.' });
    const applied = deliver(t, '2027-12-29T12:00:00+10:00', v2);
    expect(applied.events[0]).toMatchObject({ type: 'calendarChanged', clocks: [] });
    expect(t.state.calendar?.version).toBe('ru-2023-2028.2');
  });
});
