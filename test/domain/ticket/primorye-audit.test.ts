/**
 * Seed 000: the holes a clause-by-clause audit found (issue #11), each fixed at its cause. Every test
 * here failed on the code before the fix.
 */
import {
  availableActions,
  currentRef,
  notificationsFor,
  simulate,
  ticketView,
  type Authorization,
  type Intake,
} from '../../../domain';
import { completeIntake, ivanov, operator, Ticket } from './harness';

const petrov = { id: 'petrov', name: 'Петров П. П.', email: 'petrov@dprim.ru' };
const first = operator('first_line');
const second = operator('second_line');

function registeredIncident(): Ticket {
  return Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' }).do(
    '2025-03-03T10:30:00+10:00',
    'register',
    { assignee: ivanov },
    first,
  );
}

const accessIntake = (authorization?: Authorization, kind: 'grant' | 'deactivation' = 'grant'): Intake => ({
  ...completeIntake,
  description: 'Прошу предоставить доступ к выгрузке отчётности новому сотруднику.',
  expectedResult: 'Сотрудник видит выгрузку отчётности.',
  access: { kind, targetUser: 'Иванов Иван Иванович' },
  ...(authorization && { authorization }),
});

const mails = (t: Ticket, type: string) =>
  t.log.filter((e) => e.type === type).flatMap((e) => notificationsFor(e, t.state));

describe('seed 000 п. 1: a request goes first → second → third line', () => {
  it('п. 1: escalating from the first line straight to the third is refused', () => {
    const t = registeredIncident().do(
      '2025-03-03T12:00:00+10:00',
      'escalate',
      { reason: 'Ошибка в коде', toLine: 'third' },
      first,
    );
    expect(t.lastRefusal).toMatchObject({ code: 'invalid_line' });
    expect(t.lastRefusal?.message).toContain('Линии поддержки не пропускаются');
    expect(t.lastRefusal?.message).toContain('(п. 1)');
    expect(t.state.line).toBe('first');
  });

  it('п. 1: an assignment cannot move a request down a line, nor skip one', () => {
    const t = registeredIncident().do(
      '2025-03-03T12:00:00+10:00',
      'escalate',
      { reason: 'Нужен анализ логов', assignee: petrov },
      first,
    );
    t.do('2025-03-03T13:00:00+10:00', 'assign', { assignee: ivanov, line: 'first' }, operator('manager'));
    expect(t.lastRefusal?.message).toContain('не назад');
    const skip = registeredIncident().do(
      '2025-03-03T12:00:00+10:00',
      'assign',
      { assignee: petrov, line: 'third' },
      operator('manager'),
    );
    expect(skip.lastRefusal?.message).toContain('не пропускаются');
    expect(skip.state.line).toBe('first');
  });

  it('п. 1: the second line’s request is escalated by the second line, not by the first', () => {
    const t = registeredIncident()
      .do('2025-03-03T12:00:00+10:00', 'escalate', { reason: 'Нужен анализ логов', assignee: petrov }, first)
      .do('2025-03-03T13:00:00+10:00', 'escalate', { reason: 'Ошибка в коде' }, first);
    expect(t.lastRefusal).toMatchObject({ code: 'forbidden_line' });
    t.do('2025-03-03T13:05:00+10:00', 'escalate', { reason: 'Ошибка в коде' }, second);
    expect(t.state.line).toBe('third');
  });
});

describe('seed 000 п. 1, 2.4: who holds a request after it changes lines (found by an operator session)', () => {
  it('п. 1: a person of another line cannot take the request (no holder who may not work it)', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' })
      .do('2025-03-03T10:30:00+10:00', 'register', {}, first)
      .do('2025-03-03T10:40:00+10:00', 'assign', { assignee: petrov }, second);
    expect(t.lastRefusal).toMatchObject({ code: 'forbidden_line' });
    expect(t.lastRefusal?.message).toContain('(первая линия)');
    expect(t.state).toMatchObject({ status: 'new', assignee: null });
    const actions = availableActions(t.state, second, Date.parse('2025-03-03T10:41:00+10:00'));
    expect(actions.find((a) => a.command === 'assign')).toMatchObject({ allowed: false });
    t.do('2025-03-03T10:50:00+10:00', 'assign', { assignee: ivanov }, operator('manager'));
    expect(t.state).toMatchObject({ status: 'in_progress', assignee: ivanov });
  });

  it('п. 2.4: escalated without an assignee, a request in work is «Новая» on its new line until that line assigns it', () => {
    const t = registeredIncident().do(
      '2025-03-03T12:00:00+10:00',
      'escalate',
      { reason: 'Нужен анализ логов' },
      first,
    );
    expect(t.state).toMatchObject({ line: 'second', status: 'new', assignee: null });
    t.do('2025-03-03T12:10:00+10:00', 'assign', { assignee: petrov }, second);
    expect(t.state).toMatchObject({ line: 'second', status: 'in_progress', assignee: petrov });
    t.do('2025-03-03T12:20:00+10:00', 'escalate', { reason: 'Ошибка в коде', assignee: ivanov }, second);
    expect(t.state).toMatchObject({ line: 'third', status: 'in_progress', assignee: ivanov });
  });

  it('the first version of the rules keeps its behaviour (its workflows replay)', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'incident',
      version: '2023-04-20',
    })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-03T12:00:00+10:00', 'escalate', { reason: 'Нужен анализ логов' }, first);
    expect(t.state).toMatchObject({ line: 'second', status: 'in_progress', assignee: null });
  });
});

describe('seed 000 п. 2.3.1.5: the type in the subject of every mail', () => {
  it('an initiator who already wrote the type in the subject does not see it twice', () => {
    for (const subject of ['Инцидент: ошибка при оплате', 'инцидент — ошибка при оплате']) {
      const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
        type: 'incident',
        intake: { ...completeIntake, subject },
      }).do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first);
      expect(mails(t, 'registered')[0]?.subject).toBe(`[${t.state.id}] Инцидент: ошибка при оплате`);
    }
    const plain = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'incident',
      intake: { ...completeIntake, subject: 'Инцидентов стало больше' },
    }).do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first);
    expect(mails(plain, 'registered')[0]?.subject).toBe(
      `[${plain.state.id}] Инцидент: Инцидентов стало больше`,
    );
  });
});

describe('seed 000 п. 3.3.1–3.3.2: access requests', () => {
  const verified = { verified: true, personId: 'p1', organizationId: 'bubble' };

  it('п. 3.3.1 (1): reclassifying an unauthenticated request into an access request re-runs the check', () => {
    // Registered as «Запрос на информирование» (no access check for that type), then reclassified.
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'information',
      intake: accessIntake(),
    })
      .do('2025-03-03T10:10:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-03T10:20:00+10:00', 'reclassify', { requestType: 'service' }, first);
    expect(t.lastRefusal).toMatchObject({ code: 'not_authorized' });
    expect(t.state.type).toBe('information');
    t.do('2025-03-03T10:30:00+10:00', 'resolve', { text: 'Доступ предоставлен' }, first);
    expect(t.events('resolved')).toHaveLength(1); // as an information request, which it stays
  });

  it('п. 3.3.1 (2)–(3): reclassified from an authorised person, it goes to the second line, which executes it', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'information',
      intake: accessIntake(verified),
    })
      .do('2025-03-03T10:10:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-03T10:20:00+10:00', 'reclassify', { requestType: 'service' }, first);
    expect(t.state).toMatchObject({ type: 'service', line: 'second' });
    t.do('2025-03-03T10:30:00+10:00', 'resolve', { text: 'Доступ предоставлен' }, first);
    expect(t.lastRefusal).toMatchObject({ code: 'forbidden_line' });
    const actions = availableActions(t.state, first, Date.parse('2025-03-03T10:31:00+10:00'));
    expect(actions.find((a) => a.command === 'resolve')).toMatchObject({
      allowed: false,
      refusal: { code: 'forbidden_line' },
    });
    t.do('2025-03-03T10:40:00+10:00', 'resolve', { text: 'Доступ предоставлен' }, second);
    expect(t.state.status).toBe('done');
  });

  it('п. 3.3.1 (2)–(3): an access request is not moved below the second line, nor to the third', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'service',
      intake: accessIntake(verified),
    }).do('2025-03-03T10:10:00+10:00', 'register', { assignee: petrov }, first);
    expect(t.state.line).toBe('second');
    t.do('2025-03-03T10:20:00+10:00', 'assign', { assignee: ivanov, line: 'first' }, operator('manager'));
    expect(t.lastRefusal?.message).toContain('(п. 3.3.1 (2)–(3))');
    t.do('2025-03-03T10:30:00+10:00', 'escalate', { reason: '?' }, second);
    expect(t.lastRefusal?.message).toContain('(п. 3.3.1 (3))');
    expect(t.state.line).toBe('second');
  });

  it('п. 3.3.2: a deactivation is refused when the authorisation record names no organisation', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'service',
      intake: {
        ...accessIntake({ verified: true, personId: 'p1' }, 'deactivation'),
        access: { kind: 'deactivation', targetUser: 'Иванов И. И.', targetOrganizationId: 'romashka' },
      },
    }).do('2025-03-03T10:10:00+10:00', 'register', {}, first);
    expect(t.lastRefusal).toMatchObject({ code: 'not_authorized' });
    expect(t.lastRefusal?.message).toContain(
      '(п. 3.3.2): организация пользователя или уполномоченного лица не установлена',
    );
  });

  it('п. 3.3.2: without a named organisation, the user is taken to be of the initiator’s own', () => {
    const own = (organizationId?: string) =>
      Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
        type: 'service',
        intake: {
          ...accessIntake({ verified: true, personId: 'p1', organizationId: 'bubble' }, 'deactivation'),
          initiator: { ...completeIntake.initiator, ...(organizationId && { organizationId }) },
        },
      }).do('2025-03-03T10:10:00+10:00', 'register', {}, first);
    expect(own('bubble').state.status).toBe('new');
    expect(own('romashka').lastRefusal).toMatchObject({ code: 'not_authorized' });
    expect(own().lastRefusal).toMatchObject({ code: 'not_authorized' });
  });

  it('п. 3.3.1 (1): by phone the operator records how the caller was authenticated', () => {
    const open = () =>
      Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
        type: 'service',
        channel: 'phone',
        intake: accessIntake(verified),
      });
    const unrecorded = open().do('2025-03-03T10:10:00+10:00', 'register', {}, first);
    expect(unrecorded.lastRefusal).toMatchObject({ code: 'authentication_not_recorded' });
    const recorded = open().do(
      '2025-03-03T10:10:00+10:00',
      'register',
      { authentication: { method: 'обратный звонок на номер из реестра уполномоченных лиц' } },
      first,
    );
    expect(recorded.state).toMatchObject({ status: 'new', line: 'second' });
    expect(recorded.state.intake.authorization).toEqual({
      ...verified,
      method: 'обратный звонок на номер из реестра уполномоченных лиц',
    });
  });
});

describe('seed 000 п. 3.2: a clock never freezes silently', () => {
  function answered(settings = {}): Ticket {
    return Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident', settings })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-04T10:00:00+10:00', 'requestInfo', { question: 'Пришлите скриншот.' }, first)
      .do('2025-03-05T11:00:00+10:00', 'reply', { text: 'Скриншот во вложении.' });
  }

  it('п. 3.2: the answered incident stays «Ожидает ответа»; the assignee is reminded after 2 working hours, the managers after a working day', () => {
    const t = answered().advance('2025-03-07T00:00:00+10:00');
    expect(t.state).toMatchObject({ status: 'awaiting_reply', awaitingOperator: true });
    const reminded = t.events('staffReminded').map((e) => [e.at, (e as { clock: string }).clock]);
    expect(reminded).toEqual([
      ['2025-03-05T03:00:00.000Z', 'remind:answer'], // Wed 13:00 Vladivostok
      ['2025-03-06T01:00:00.000Z', 'remind:answer:manager'], // Thu 11:00
    ]);
    const [assignee, managers] = mails(t, 'staffReminded');
    expect(assignee).toMatchObject({ template: 'answerWaiting', to: [ivanov.email], toRoles: [] });
    expect(managers).toMatchObject({ template: 'answerWaitingManager', toRoles: ['managers'] });
    expect(assignee!.text).toContain('верните заявку в работу (п. 3.2)');
    // The queue and the ticket show it.
    expect(ticketView(t.state, [], Date.parse('2025-03-06T12:00:00+10:00')).attention).toEqual([
      { code: 'awaiting_operator', label: 'получен ответ инициатора' },
    ]);
  });

  it('п. 3.2: the operator acting on the answer stops the reminders', () => {
    const t = answered()
      .do('2025-03-05T12:00:00+10:00', 'resume', {}, first)
      .advance('2025-03-10T00:00:00+10:00');
    expect(t.events('staffReminded')).toEqual([]);
    expect(t.state.clocks['remind:answer']?.stoppedAt).toBe('2025-03-05T02:00:00.000Z');
  });

  it('the reminder times are settings; null turns them off', () => {
    const later = answered({ operatorReminders: { assigneeHours: 4, managerDays: 2 } }).advance(
      '2025-03-10T00:00:00+10:00',
    );
    expect(later.events('staffReminded').map((e) => e.at)).toEqual([
      '2025-03-05T05:00:00.000Z', // Wed 15:00
      '2025-03-07T01:00:00.000Z', // Fri 11:00
    ]);
    const none = answered({ operatorReminders: null }).advance('2025-03-10T00:00:00+10:00');
    expect(none.events('staffReminded')).toEqual([]);
  });

  it('tickets opened under the rules of 2023-04-20 keep them: no new timers in a running workflow', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'incident',
      version: '2023-04-20',
    })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-04T10:00:00+10:00', 'requestInfo', { question: 'Пришлите скриншот.' }, first)
      .do('2025-03-05T11:00:00+10:00', 'reply', { text: 'Скриншот во вложении.' })
      .advance('2025-03-10T00:00:00+10:00');
    expect(t.events('staffReminded')).toEqual([]);
    expect(currentRef('primorye').version).toBe('2023-04-20.r2');
  });

  it('п. 3.1.3: a change request without an individual deadline is flagged, and staff are reminded', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change' })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first)
      .advance('2025-03-05T00:00:00+10:00');
    const view = ticketView(t.state, [], Date.parse('2025-03-04T12:00:00+10:00'));
    expect(view.attention).toEqual([
      { code: 'deadline_not_set', label: 'срок исполнения не установлен (п. 3.1.3)' },
    ]);
    expect(t.when('staffReminded')).toBe('2025-03-04T10:30:00+10:00');
    expect(mails(t, 'staffReminded')[0]).toMatchObject({
      template: 'deadlineNotSet',
      to: [ivanov.email],
      toRoles: ['managers'],
    });
    t.do('2025-03-05T10:00:00+10:00', 'setDeadline', { workingHours: 40 }, first);
    expect(ticketView(t.state, [], Date.parse('2025-03-05T10:00:00+10:00')).attention).toEqual([]);
  });

  it('п. 3.1.3: set before the reminder, the deadline stops it', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change' })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-03T11:00:00+10:00', 'setDeadline', { workingHours: 40 }, first)
      .advance('2025-03-05T00:00:00+10:00');
    expect(t.events('staffReminded')).toEqual([]);
  });
});

describe('seed 000 п. 3.5: a reply at the deadline is in time', () => {
  const scenario = (replyAt: string) => ({
    regulation: currentRef('primorye'),
    ticket: {
      channel: 'email' as const,
      receivedAt: '2025-03-06T09:00:00+10:00',
      requestType: 'incident',
      intake: completeIntake,
    },
    steps: [
      { at: '2025-03-06T09:30:00+10:00', command: 'register' as const, args: { assignee: ivanov } },
      { at: '2025-03-06T15:00:00+10:00', command: 'requestInfo' as const, args: { question: 'Скриншот?' } },
      { at: replyAt, command: 'reply' as const, args: { text: 'Вот скриншот' } },
    ],
    until: '2025-03-20T00:00:00+10:00',
  });

  it.each(['2025-03-10T15:00:00+10:00', '2025-03-10T15:00:40+10:00'])(
    'п. 3.5 «в течение 2 рабочих дней»: a reply at the deadline’s minute (%s) wins over the automatic rejection',
    (at) => {
      const result = simulate(scenario(at));
      expect(result.status).toBe('awaiting_reply');
      expect(result.timeline.map((e) => e.event)).not.toContain('rejected');
    },
  );

  it('п. 3.5: a reply a minute after the deadline comes too late', () => {
    const result = simulate(scenario('2025-03-10T15:01:00+10:00'));
    expect(result).toMatchObject({ status: 'rejected', reason: 'no_feedback' });
  });
});

describe('seed 000 п. 3.3, 3.4: the dialogue after the outcome, «любое количество раз»', () => {
  it('п. 3.3: the initiator’s question after «Выполнена» keeps the dialogue open; the executor answers; the period counts from the last message', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'information',
      settings: { followUpDays: 2 },
    })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov }, first)
      .do('2025-03-03T15:00:00+10:00', 'resolve', { text: 'Инструкция: …' }, first)
      .do('2025-03-05T09:00:00+10:00', 'reply', { text: 'А где найти кнопку?' })
      .do('2025-03-06T10:00:00+10:00', 'comment', { text: 'Справа вверху.', visibility: 'public' }, first);
    expect(t.lastRefusal).toBeNull();
    expect(t.state).toMatchObject({ status: 'done', archived: false });
    expect(mails(t, 'commented')[0]).toMatchObject({
      template: 'message',
      to: [completeIntake.initiator.email],
    });
    expect(t.due('followUp')).toBe('2025-03-08T10:00:00+10:00');
    t.do('2025-03-07T18:00:00+10:00', 'reply', { text: 'Спасибо, нашёл.' }).advance(
      '2025-03-20T00:00:00+10:00',
    );
    expect(t.when('archived')).toBe('2025-03-09T18:00:00+10:00');
  });

  it('п. 3.4: the same after «Закрыт»; the unanswered question reminds the assignee', () => {
    const t = registeredIncident()
      .do('2025-03-04T10:00:00+10:00', 'closeUnreproducible', { text: 'Воспроизвести не удалось.' }, first)
      .do('2025-03-05T10:00:00+10:00', 'reply', { text: 'Ошибка повторилась, вот видео.' })
      .advance('2025-03-05T13:00:00+10:00');
    expect(t.state.status).toBe('closed');
    expect(t.events('staffReminded')).toHaveLength(1);
    expect(t.due('followUp')).toBe('2025-04-04T10:00:00+10:00');
  });
});

describe('seed 000 п. 2.3.1: what a request of each type says', () => {
  const phone = (type: string, intake: Intake = completeIntake) =>
    Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type, channel: 'phone', intake });

  it('п. 2.3.1.9: an incident registered from a call needs its expected and actual result', () => {
    const t = phone('incident').do('2025-03-03T10:10:00+10:00', 'register', {}, first);
    expect(t.lastRefusal).toMatchObject({ code: 'missing_fields' });
    expect(t.lastRefusal?.message).toContain('фактический результат');
    expect(t.lastRefusal?.message).toContain('(п. 2.3.1.9)');
    t.do(
      '2025-03-03T10:12:00+10:00',
      'register',
      {
        fields: {
          expectedResult: 'Покупка оплачена сертификатом.',
          actualResult: 'Ошибка «Недостаточно средств», баллы не списаны.',
        },
      },
      first,
    );
    expect(t.state.status).toBe('new');
    expect(t.state.intake.expectedResult).toBe('Покупка оплачена сертификатом.');
  });

  it('п. 2.3.1.12: a service request from a call needs the expected result', () => {
    const t = phone('service').do('2025-03-03T10:10:00+10:00', 'register', {}, first);
    expect(t.lastRefusal?.message).toContain('описание ожидаемого результата (п. 2.3.1.12)');
    const ok = phone('service', { ...completeIntake, expectedResult: 'Выгрузка доступна сотруднику.' }).do(
      '2025-03-03T10:10:00+10:00',
      'register',
      {},
      first,
    );
    expect(ok.state.status).toBe('new');
  });

  it('п. 2.3.1.2, 2.3.1.9: in writing it is the operator’s judgement; the missing-fields mail says what an incident should contain', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'incident',
      intake: { description: 'Не проходит оплата', initiator: { email: 'someone@example.ru' } },
    }).do('2025-03-03T10:05:00+10:00', 'requestInfo', { question: 'Дополните заявку.' }, first);
    const text = mails(t, 'infoRequested')[0]!.text;
    expect(text).toContain('Для заявки типа «Инцидент» опишите также');
    expect(text).toMatch(/ожидаемый результат: .* \* \(п\. 2\.3\.1\.9\)/);
    expect(text).toContain(
      'полноэкранный скриншот рабочего стола или видео ошибки (при необходимости) (п. 2.3.1.2, 2.3.1.9)',
    );
    // The e-mail request itself is registered on the operator's judgement of its text.
    t.do('2025-03-03T12:00:00+10:00', 'reply', {
      text: 'Тестов Т. Т., «Бубль-Гум»',
      fields: { initiator: { fullName: 'Тестов Тест Тестович', organization: '«Бубль-Гум»' } },
    }).do('2025-03-03T12:10:00+10:00', 'register', {}, first);
    expect(t.state.status).toBe('new');
  });

  it('п. 2.3.1.10: the missing-fields mail of a change request asks for the expected behaviour step by step', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'change',
      intake: { description: 'Добавить кнопку «поделиться»', initiator: { email: 'someone@example.ru' } },
    }).do('2025-03-03T10:05:00+10:00', 'requestInfo', { question: 'Дополните заявку.' }, first);
    expect(mails(t, 'infoRequested')[0]!.text).toContain(
      'ожидаемое поведение Модуля по шагам и результат его работы',
    );
  });
});

describe('seed 000 п. 3.5 (причина 3): approval by the ministry', () => {
  const change = () =>
    Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change' }).do(
      '2025-03-03T10:30:00+10:00',
      'register',
      { assignee: ivanov },
      first,
    );

  it('п. 3.5: rejection for missing approval is possible only after the request was sent for approval', () => {
    const t = change().do('2025-03-04T10:00:00+10:00', 'reject', { reason: 'no_ministry_approval' }, first);
    expect(t.lastRefusal).toMatchObject({ code: 'invalid_reason' });
    expect(t.lastRefusal?.message).toContain('после того, как он направлен на согласование (п. 3.5)');
    t.do('2025-03-04T11:00:00+10:00', 'requestApproval', { note: 'Письмо № 12 в минцифры' }, first);
    expect(t.state).toMatchObject({ status: 'awaiting_approval' });
    expect(t.regulation.statuses.awaiting_approval!.label).toBe('На согласовании в министерстве');
    expect(t.events('approvalRequested')[0]).toMatchObject({ note: 'Письмо № 12 в минцифры' });
    expect(mails(t, 'approvalRequested')[0]).toMatchObject({ template: 'approvalRequested' });
    t.do('2025-03-10T11:00:00+10:00', 'reject', { reason: 'no_ministry_approval' }, first);
    expect(t.state).toMatchObject({ status: 'rejected', statusReason: 'no_ministry_approval' });
  });

  it('п. 3.5: approved, the change request returns to work', () => {
    const t = change().do('2025-03-04T11:00:00+10:00', 'requestApproval', {}, first);
    expect(t.state.status).toBe('awaiting_approval');
    t.do('2025-03-06T11:00:00+10:00', 'resume', { note: 'Согласовано министерством' }, first);
    expect(t.state.status).toBe('in_progress');
    expect(t.events('resumed')[0]).toMatchObject({ note: 'Согласовано министерством' });
  });

  it('п. 3.5: only change requests are sent for approval', () => {
    const t = registeredIncident().do('2025-03-04T11:00:00+10:00', 'requestApproval', {}, first);
    expect(t.lastRefusal).toMatchObject({ code: 'invalid_type' });
  });
});
