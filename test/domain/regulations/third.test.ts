/**
 * Adding a regulation is adding a module: the help desk of ./helpdesk.ts, registered at run time,
 * runs in `simulate` with the engine's clocks, reminders, follow-up and mail, and the engine refuses
 * what the module does not have. Nothing of the engine was changed for it.
 */
import {
  availableActions,
  isRegulationId,
  notificationsFor,
  openTicket,
  registerRegulation,
  REGULATION_IDS,
  resolveRegulation,
  simulate,
  ticketView,
  type Actor,
} from '../../../domain';
import { helpdesk } from './helpdesk';

const desk: Actor = { kind: 'operator', id: 'anna', name: 'Анна', role: 'second_line' };
const author: Actor = { kind: 'initiator', name: 'Сотрудник', email: 'worker@example.ru' };

beforeAll(() => registerRegulation(helpdesk));

const scenario = (steps: { at: string; command: string; args?: object; by?: Actor }[], until: string) => ({
  regulation: { id: 'helpdesk', version: '1' },
  ticket: {
    id: 'HD1',
    channel: 'email' as const,
    receivedAt: '2025-06-02T10:00:00+03:00',
    requestType: 'failure',
    intake: {
      subject: 'Не печатает принтер',
      description: 'Принтер на 3 этаже не печатает.',
      initiator: { fullName: 'Сотрудник', email: 'worker@example.ru' },
    },
  },
  steps: steps as never,
  until,
});

describe('a third regulation is one module', () => {
  it('is registered beside the built-in ones', () => {
    expect(isRegulationId('helpdesk')).toBe(true);
    expect(REGULATION_IDS).toEqual(['primorye', 'epgu', 'helpdesk']);
    expect(resolveRegulation({ id: 'helpdesk', version: '1' }).title).toBe(
      'Регламент внутренней службы ИТ-поддержки',
    );
  });

  it('runs in simulate: its statuses and clocks, the engine’s pause, reminder and no-response outcome', () => {
    const result = simulate(
      scenario(
        [
          {
            at: '2025-06-02T10:30:00+03:00',
            command: 'assign',
            args: { assignee: { id: 'anna', name: 'Анна' } },
            by: desk,
          },
          {
            at: '2025-06-02T11:00:00+03:00',
            command: 'requestInfo',
            args: { question: 'Какая модель?' },
            by: desk,
          },
        ],
        '2025-06-20T00:00:00+03:00',
      ),
    );
    expect(result).toMatchObject({
      regulation: 'helpdesk',
      type: 'failure',
      status: 'closed',
      reason: 'no_answer',
    });
    expect(result.timeline.map((e) => [e.event, e.at, e.statusLabel])).toEqual([
      ['received', '2025-06-02T10:00:00+03:00', 'Открыта'],
      ['assigned', '2025-06-02T10:30:00+03:00', 'В работе'],
      ['infoRequested', '2025-06-02T11:00:00+03:00', 'Ждёт автора'],
      ['initiatorReminded', '2025-06-04T11:00:00+03:00', 'Ждёт автора'],
      ['closed', '2025-06-05T11:00:00+03:00', 'Закрыта'],
      ['archived', '2025-06-12T11:00:00+03:00', 'Закрыта'],
    ]);
  });

  it('gets the engine’s shared behaviour: the pause, reminders to staff, the dialogue after the outcome', () => {
    const result = simulate(
      scenario(
        [
          {
            at: '2025-06-02T10:30:00+03:00',
            command: 'assign',
            args: { assignee: { id: 'anna', name: 'Анна' } },
            by: desk,
          },
          {
            at: '2025-06-02T11:00:00+03:00',
            command: 'requestInfo',
            args: { question: 'Какая модель?' },
            by: desk,
          },
          { at: '2025-06-03T11:00:00+03:00', command: 'reply', args: { text: 'HP 400' }, by: author },
          {
            at: '2025-06-03T15:00:00+03:00',
            command: 'resolve',
            args: { text: 'Заменён картридж.' },
            by: desk,
          },
          {
            at: '2025-06-05T09:00:00+03:00',
            command: 'reply',
            args: { text: 'Снова не печатает' },
            by: author,
          },
        ],
        '2025-06-30T00:00:00+03:00',
      ),
    );
    const events = result.timeline.map((e) => `${e.event}@${e.at.slice(5, 16)}`);
    // 16 h from Mon 10:00 with Mon 11:00 → Tue 11:00 paused (9 working hours): Wed 17:00.
    expect(result.state.clocks.resolution!.stoppedAt).toBe('2025-06-03T12:00:00.000Z');
    expect(events).toContain('staffReminded@06-03T12:00'); // the answer waited an hour for the desk
    expect(events).toContain('staffReminded@06-05T10:00'); // the question after the outcome too
    expect(events.at(-1)).toBe('archived@06-12T09:00'); // seven days from the last message
  });

  it('refuses what the module does not have, and what its preconditions and permissions forbid', () => {
    const opened = openTicket({
      ticketId: 'HD2',
      regulation: { id: 'helpdesk', version: '1' },
      channel: 'email',
      receivedAt: '2025-06-02T07:00:00.000Z',
      intake: { description: 'Вопрос', initiator: { email: 'worker@example.ru' } },
    });
    const actions = availableActions(
      opened.state,
      { ...desk, role: 'first_line' },
      Date.parse('2025-06-02T07:10:00Z'),
    );
    expect(actions.map((a) => a.command)).toEqual(['assign', 'requestInfo', 'reply', 'resolve', 'comment']);
    expect(actions.find((a) => a.command === 'assign')).toMatchObject({
      allowed: false,
      refusal: { code: 'forbidden' },
    });
    expect(actions.find((a) => a.command === 'resolve')).toMatchObject({
      allowed: false,
      refusal: { code: 'forbidden' },
    });
    const view = ticketView(opened.state, opened.events, Date.parse('2025-06-02T07:10:00Z'));
    expect(view).toMatchObject({
      statusLabel: 'Открыта',
      typeLabel: 'Вопрос',
      lineLabel: 'Служба поддержки',
    });
    expect(view.deadlines.resolution).toBe('2025-06-02T15:00:00.000Z'); // 8 working hours: Mon 18:00 MSK
  });

  it('its mail: its own templates and the engine’s staff notices, signed with its signature', () => {
    const result = simulate(
      scenario(
        [
          {
            at: '2025-06-02T10:30:00+03:00',
            command: 'assign',
            args: { assignee: { id: 'anna', name: 'Анна', email: 'anna@example.ru' } },
            by: desk,
          },
          {
            at: '2025-06-02T11:00:00+03:00',
            command: 'resolve',
            args: { text: 'Перезагрузите принтер.' },
            by: desk,
          },
        ],
        '2025-06-02T12:00:00+03:00',
      ),
    );
    const log = result.state;
    const solution = notificationsFor(
      { type: 'resolved', text: 'Перезагрузите принтер.', at: '2025-06-02T08:00:00.000Z', by: desk, seq: 3 },
      log,
    );
    expect(solution).toEqual([
      expect.objectContaining({
        template: 'solution',
        to: ['worker@example.ru'],
        subject: '[HD1] Сбой: Не печатает принтер',
      }),
    ]);
    expect(solution[0]!.text).toContain('Служба ИТ-поддержки');
    const assigned = notificationsFor(
      {
        type: 'assigned',
        assignee: { id: 'anna', name: 'Анна', email: 'anna@example.ru' },
        at: '2025-06-02T07:30:00.000Z',
        by: desk,
        seq: 2,
      },
      log,
    );
    expect(assigned[0]).toMatchObject({ template: 'assigned', to: ['anna@example.ru'] });
  });
});
