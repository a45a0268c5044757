import type { Authorization } from '../../../domain';
import { completeIntake, initiator, ivanov, operator, Ticket } from './harness';

const petrov = { id: 'petrov', name: 'Петров П. П.' };

/** Registered (and assigned) at the given local times, Vladivostok. */
function registeredIncident(
  receivedAt = '2025-03-03T10:00:00+10:00',
  registeredAt = '2025-03-03T10:30:00+10:00',
): Ticket {
  return Ticket.open('primorye', receivedAt, { type: 'incident' }).do(registeredAt, 'register', {
    assignee: ivanov,
  });
}

describe('seed 000 п. 2.4: registration', () => {
  it('a received request is registered with status «Новая», then «В работе» once an assignee is set', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'information' });
    expect(t.state.status).toBe('received');
    expect(t.state.line).toBe('first');
    t.do('2025-03-03T10:30:00+10:00', 'register');
    expect(t.state).toMatchObject({ status: 'new', registeredAt: '2025-03-03T00:30:00.000Z' });
    t.do('2025-03-03T10:40:00+10:00', 'assign', { assignee: ivanov });
    expect(t.state).toMatchObject({ status: 'in_progress', assignee: ivanov });
  });

  it('must happen within 4 hours of receipt, counted round the clock (the first line works 24/7, п. 2.2)', () => {
    const t = Ticket.open('primorye', '2025-03-08T22:00:00+10:00', { type: 'incident' }); // Saturday night
    expect(t.due('registration')).toBe('2025-03-09T02:00:00+10:00');
    t.advance('2025-03-09T03:00:00+10:00');
    expect(t.events('deadlineBreached')).toEqual([expect.objectContaining({ clock: 'registration' })]);
    expect(t.when('deadlineBreached')).toBe('2025-03-09T02:00:00+10:00');
    // A late registration is still possible and stops the registration clock.
    t.do('2025-03-09T03:30:00+10:00', 'register');
    expect(t.state.status).toBe('new');
    expect(t.clock('registration', '2025-03-09T04:00:00+10:00')).toMatchObject({
      state: 'stopped',
      breached: true,
      elapsedMinutes: 330,
    });
  });

  it('registered in time: no breach is reported', () => {
    const t = registeredIncident().advance('2025-03-03T20:00:00+10:00');
    expect(t.events('deadlineBreached')).toEqual([]);
  });

  it('an assignment before registration is refused with the reason', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' }).do(
      '2025-03-03T10:05:00+10:00',
      'assign',
      { assignee: ivanov },
    );
    expect(t.lastRefusal).toMatchObject({
      code: 'not_registered',
      message: 'Сначала зарегистрируйте заявку (п. 2.4).',
    });
  });
});

describe('seed 000 п. 2.3.1: information the request must carry', () => {
  it('п. 2.3.1.1: registration is refused while mandatory fields are missing, naming them', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'information',
      intake: { description: 'Как выгрузить отчёт?', initiator: { email: 'someone@example.ru' } },
    }).do('2025-03-03T10:10:00+10:00', 'register');
    expect(t.lastRefusal?.code).toBe('missing_fields');
    expect(t.lastRefusal?.message).toContain(
      'фамилия, имя и отчество Инициатора и наименование органа или организации (п. 2.3.1.1)',
    );
    expect(t.state.status).toBe('received');
    // The refusal is in the ticket's log, not thrown.
    expect(t.events('commandRefused')).toHaveLength(1);
  });

  it('п. 2.3.1.1 with п. 3.5: the first line asks for the missing data; the answer completes the request', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'information',
      intake: { description: 'Как выгрузить отчёт?', initiator: { email: 'someone@example.ru' } },
    });
    t.do('2025-03-03T10:10:00+10:00', 'requestInfo', { question: 'Укажите ФИО и организацию.' });
    expect(t.state.status).toBe('awaiting_reply');
    expect(t.events('infoRequested')[0]).toMatchObject({
      missingFields: ['фамилия, имя и отчество Инициатора', 'наименование органа или организации'],
    });
    // The registration clock waits for the initiator.
    expect(t.due('registration')).toBeNull();
    t.do('2025-03-04T09:00:00+10:00', 'reply', {
      text: 'Тестов Т. Т., «Бубль-Гум»',
      fields: { initiator: { fullName: 'Тестов Тест Тестович', organization: '«Бубль-Гум»' } },
    });
    expect(t.state.status).toBe('received');
    // 10 minutes were used before the request; 3 h 50 min remain from the answer.
    expect(t.due('registration')).toBe('2025-03-04T12:50:00+10:00');
    t.do('2025-03-04T09:20:00+10:00', 'register');
    expect(t.state.status).toBe('new');
    expect(t.state.intake.initiator).toMatchObject({
      fullName: 'Тестов Тест Тестович',
      email: 'someone@example.ru',
    });
  });

  it('п. 2.3.1.3: a change request needs the initiator’s position', () => {
    const intake = { ...completeIntake, initiator: { ...completeIntake.initiator, position: undefined } };
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change', intake }).do(
      '2025-03-03T10:10:00+10:00',
      'register',
    );
    expect(t.lastRefusal?.message).toMatch(/должность Инициатора \(п\. 2\.3\.1\.3\)/);
  });

  it('п. 2.3.1.11: a change request received by phone is refused', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change', channel: 'phone' }).do(
      '2025-03-03T10:10:00+10:00',
      'register',
    );
    expect(t.lastRefusal).toMatchObject({ code: 'channel_not_allowed' });
    expect(t.lastRefusal?.message).toContain('только по электронной почте (п. 2.3.1.11)');
  });

  it('п. 2.1: a request of unknown type must be classified at registration', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00');
    expect(t.state.type).toBe('unclassified');
    t.do('2025-03-03T10:10:00+10:00', 'register');
    expect(t.lastRefusal?.code).toBe('invalid_type');
    t.do('2025-03-03T10:11:00+10:00', 'register', { requestType: 'service' });
    expect(t.state).toMatchObject({ status: 'new', type: 'service' });
  });

  it('an e-mail address that is not one is refused', () => {
    const intake = { ...completeIntake, initiator: { ...completeIntake.initiator, email: 'petrov at mail' } };
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident', intake }).do(
      '2025-03-03T10:10:00+10:00',
      'register',
    );
    expect(t.lastRefusal).toMatchObject({ code: 'invalid_fields' });
  });
});

describe('seed 000 п. 3.1: resolution deadlines in working hours from registration', () => {
  it.each([
    ['information', '2025-03-05T16:30:00+10:00'], // п. 3.1.1: 24 h = Mon 7.5 + Tue 9 + Wed 7.5
    ['incident', '2025-03-11T16:30:00+10:00'], // п. 3.1.2: 60 h, 8–9 March is a weekend
    ['service', '2025-03-04T17:30:00+10:00'], // п. 3.1.4: 16 h = Mon 7.5 + Tue 8.5
  ])('%s registered Monday 10:30 is due %s', (type, due) => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type }).do(
      '2025-03-03T10:30:00+10:00',
      'register',
    );
    expect(t.due('resolution')).toBe(due);
  });

  it('п. 3.1.2: an incident registered Friday 17:30 before the New Year holidays', () => {
    const t = Ticket.open('primorye', '2024-12-27T17:00:00+10:00', { type: 'incident' }).do(
      '2024-12-27T17:30:00+10:00',
      'register',
      { assignee: ivanov },
    );
    expect(t.due('resolution')).toBe('2025-01-16T14:30:00+10:00');
    t.advance('2025-01-17T00:00:00+10:00');
    expect(t.events('deadlineBreached').map((e) => t.regulation && e.at)).toEqual([
      '2025-01-16T04:30:00.000Z',
    ]);
  });

  it('п. 3.1.3: a change request has no deadline until one is set individually', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change' }).do(
      '2025-03-03T10:30:00+10:00',
      'register',
      { assignee: ivanov },
    );
    expect(t.due('resolution')).toBeNull();
    // Flagged until a deadline is set; staff are reminded a working day after registration.
    expect(t.next()).toEqual({ at: '2025-03-04T10:30:00+10:00', clock: 'remind:deadline', timer: 'expiry' });
    t.do('2025-03-03T11:00:00+10:00', 'setDeadline', { workingHours: 40 });
    // Counted from registration like every resolution clock: Mon 7.5 + 9 + 9 + 9 + Fri 5.5.
    expect(t.due('resolution')).toBe('2025-03-07T14:30:00+10:00');
    t.do('2025-03-03T11:05:00+10:00', 'setDeadline', { dueAt: '2025-03-14T12:00:00+10:00' });
    expect(t.due('resolution')).toBe('2025-03-14T12:00:00+10:00');
  });

  it('п. 3.1.1–3.1.4: the deadline of other types is fixed, setDeadline is refused', () => {
    const t = registeredIncident().do('2025-03-03T11:00:00+10:00', 'setDeadline', { workingHours: 100 });
    expect(t.lastRefusal?.code).toBe('deadline_fixed');
  });

  it('a pre-breach warning at 80 % goes to staff in working time, then the breach', () => {
    // Registered Monday 17:00: 80 % of 24 h = 19 h 12 min = Mon 1 + Tue 9 + Wed 9 + Thu 0.2 → Thursday 09:12.
    const t = Ticket.open('primorye', '2025-03-03T16:00:00+10:00', { type: 'information' })
      .do('2025-03-03T17:00:00+10:00', 'register', { assignee: ivanov })
      .advance('2025-03-10T00:00:00+10:00');
    expect(t.when('deadlineWarning')).toBe('2025-03-06T09:12:00+10:00');
    expect(t.when('deadlineBreached')).toBe('2025-03-06T14:00:00+10:00');
  });
});

describe('seed 000 п. 3.2: «Ожидает ответа» pauses the clock', () => {
  it('the deadline moves by exactly the working time spent waiting, resumed by the operator', () => {
    const t = registeredIncident(); // due Thursday 13 March 15:30 without pauses
    t.do('2025-03-04T10:00:00+10:00', 'requestInfo', { question: 'Пришлите скриншот.' });
    expect(t.state.status).toBe('awaiting_reply');
    expect(t.due('resolution')).toBeNull();
    expect(t.clock('resolution', '2025-03-04T12:00:00+10:00')).toMatchObject({
      state: 'paused',
      remainingMinutes: 60 * 60 - 8 * 60 - 30,
    });
    // 60 h − (Mon 7.5 h + Tue 1 h) = 51.5 h remain while paused.
    // The initiator answers on Wednesday; the clock resumes only when the operator returns it to work.
    t.do('2025-03-05T11:00:00+10:00', 'reply', { text: 'Скриншот во вложении.' });
    expect(t.state).toMatchObject({ status: 'awaiting_reply', awaitingOperator: true });
    t.do('2025-03-05T12:00:00+10:00', 'resume');
    expect(t.state).toMatchObject({ status: 'in_progress', awaitingOperator: false });
    // Paused Tue 10:00 → Wed 12:00 = 8 h + 3 h = 11 working hours.
    // 51.5 h from Wed 12:00: Wed 6, Thu 9, Fri 9, Mon 9, Tue 9, Wed 9 (48 h) + 0.5 h → Thursday 09:30.
    expect(t.due('resolution')).toBe('2025-03-13T09:30:00+10:00');
    expect(t.clock('resolution', '2025-03-05T12:00:00+10:00')).toMatchObject({ pausedMinutes: 11 * 60 });
  });

  it('is for incidents: other types are refused with the clause', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'information' })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov })
      .do('2025-03-03T11:00:00+10:00', 'requestInfo', { question: 'Уточните вопрос.' });
    expect(t.lastRefusal).toMatchObject({ code: 'info_request_not_allowed' });
    expect(t.lastRefusal?.message).toContain('(п. 3.2)');
  });

  it('a second question restarts the 2 working days', () => {
    const t = registeredIncident()
      .do('2025-03-04T10:00:00+10:00', 'requestInfo', { question: 'Скриншот?' })
      .do('2025-03-05T10:00:00+10:00', 'requestInfo', { question: 'И время ошибки?' });
    expect(t.due('noResponse')).toBe('2025-03-07T10:00:00+10:00');
  });
});

describe('seed 000 п. 3.5: automatic rejection when the initiator is silent for 2 working days', () => {
  it('reminds one working day before, then rejects with the reason', () => {
    const t = registeredIncident().do('2025-03-06T15:00:00+10:00', 'requestInfo', {
      question: 'Пришлите скриншот.',
    });
    expect(t.due('noResponse')).toBe('2025-03-10T15:00:00+10:00'); // Thu → Fri, (weekend), Mon
    t.advance('2025-03-11T00:00:00+10:00');
    expect(t.when('initiatorReminded')).toBe('2025-03-07T15:00:00+10:00');
    expect(t.when('rejected')).toBe('2025-03-10T15:00:00+10:00');
    expect(t.state).toMatchObject({ status: 'rejected', statusReason: 'no_feedback' });
    expect(t.events('rejected')[0]!.by.kind).toBe('system');
  });

  it('an answer in time stops the no-response clock', () => {
    const t = registeredIncident()
      .do('2025-03-06T15:00:00+10:00', 'requestInfo', { question: 'Скриншот?' })
      .do('2025-03-10T14:59:00+10:00', 'reply', { text: 'Вот' })
      .advance('2025-03-20T00:00:00+10:00');
    expect(t.events('rejected')).toEqual([]);
    expect(t.state.status).toBe('awaiting_reply');
  });

  it('holidays do not count: asked before the May holidays', () => {
    const t = registeredIncident('2025-04-29T10:00:00+10:00', '2025-04-29T10:10:00+10:00').do(
      '2025-04-30T16:00:00+10:00',
      'requestInfo',
      {
        question: '?',
      },
    );
    expect(t.due('noResponse')).toBe('2025-05-06T16:00:00+10:00'); // May 1–4 off, Mon 5, Tue 6
  });

  it('the reason is applied only by the timer', () => {
    const t = registeredIncident().do('2025-03-04T10:00:00+10:00', 'reject', { reason: 'no_feedback' });
    expect(t.lastRefusal?.message).toContain('применяется автоматически');
  });

  it('only the five reasons of п. 3.5 are accepted', () => {
    const t = registeredIncident().do('2025-03-04T10:00:00+10:00', 'reject', { reason: 'too_busy' });
    expect(t.lastRefusal?.code).toBe('invalid_reason');
    expect(t.lastRefusal?.message).toContain('«Нарушение условий настоящего Регламента»');
  });

  it('«отсутствие согласования министерства» applies to change requests only', () => {
    const t = registeredIncident().do('2025-03-04T10:00:00+10:00', 'reject', {
      reason: 'no_ministry_approval',
    });
    expect(t.lastRefusal?.code).toBe('invalid_reason');
    const change = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change' })
      .do('2025-03-03T10:30:00+10:00', 'register')
      .do('2025-03-03T11:00:00+10:00', 'requestApproval', {})
      .do('2025-03-04T10:00:00+10:00', 'reject', {
        reason: 'no_ministry_approval',
        text: 'Согласование не получено',
      });
    expect(change.state).toMatchObject({ status: 'rejected', statusReason: 'no_ministry_approval' });
  });

  it('an unclear request can be rejected before registration (п. 2.4 with п. 3.5)', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'information' }).do(
      '2025-03-03T10:30:00+10:00',
      'reject',
      {
        reason: 'unclear_task',
      },
    );
    expect(t.state).toMatchObject({ status: 'rejected', statusReason: 'unclear_task' });
    expect(t.clock('registration', '2025-03-03T11:00:00+10:00')?.state).toBe('stopped');
  });
});

describe('seed 000 п. 3.5: obscene language is flagged, not rejected', () => {
  it('flags the request and the initiator’s messages; the operator may reject with the reason', () => {
    const intake = { ...completeIntake, description: 'Опять ни хуя не работает оплата по сертификату' };
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident', intake });
    expect(t.state.obsceneWords).toEqual(['хуя']);
    expect(t.state.status).toBe('received');
    t.do('2025-03-03T10:10:00+10:00', 'register', { assignee: ivanov }).do(
      '2025-03-03T12:00:00+10:00',
      'reply',
      { text: 'бля, когда?' },
    );
    expect(t.state.obsceneWords).toEqual(['хуя', 'бля']);
    t.do('2025-03-03T12:10:00+10:00', 'reject', { reason: 'obscene_language' });
    expect(t.state).toMatchObject({ status: 'rejected', statusReason: 'obscene_language' });
  });
});

describe('seed 000 п. 3.3, 3.4: outcomes', () => {
  it('п. 3.3: resolved requests become «Выполнена»; the initiator may keep writing and the executor answer', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'information' })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov })
      .do('2025-03-03T15:00:00+10:00', 'resolve', { text: 'Инструкция: …' });
    expect(t.state).toMatchObject({
      status: 'done',
      outcomeAt: '2025-03-03T05:00:00.000Z',
      resolution: 'Инструкция: …',
    });
    expect(t.clock('resolution', '2025-03-04T00:00:00+10:00')).toMatchObject({
      state: 'stopped',
      breached: false,
    });
    t.do('2025-03-04T09:00:00+10:00', 'reply', { text: 'А где найти кнопку?' }).do(
      '2025-03-04T10:00:00+10:00',
      'comment',
      {
        text: 'Кнопка справа вверху.',
        visibility: 'public',
      },
    );
    expect(t.state.status).toBe('done');
    expect(t.events('messageReceived')).toHaveLength(1);
    expect(t.events('commented')[0]).toMatchObject({ visibility: 'public' });
  });

  it('п. 3.4: an incident that cannot be reproduced is «Закрыт»; other types cannot be closed so', () => {
    const t = registeredIncident().do('2025-03-05T10:00:00+10:00', 'closeUnreproducible', {
      text: 'Ситуацию воспроизвести не удалось.',
    });
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'not_reproducible' });
    const info = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'information' })
      .do('2025-03-03T10:30:00+10:00', 'register', { assignee: ivanov })
      .do('2025-03-03T11:00:00+10:00', 'closeUnreproducible', { text: '…' });
    expect(info.lastRefusal?.code).toBe('invalid_type');
  });

  it('after the follow-up period the ticket is archived and refuses further commands', () => {
    const t = registeredIncident().do('2025-03-05T10:00:00+10:00', 'resolve', { text: 'Готово' });
    expect(t.due('followUp')).toBe('2025-04-04T10:00:00+10:00');
    t.advance('2025-04-05T00:00:00+10:00');
    expect(t.state.archived).toBe(true);
    expect(t.next()).toBeNull();
    t.do('2025-04-05T10:00:00+10:00', 'reply', { text: 'Ещё вопрос' });
    expect(t.lastRefusal?.code).toBe('archived');
  });

  it('resolving a request that is not in work is refused with the allowed statuses', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' }).do(
      '2025-03-03T10:10:00+10:00',
      'resolve',
      { text: 'x' },
    );
    expect(t.lastRefusal?.message).toBe(
      'Действие «решение» недоступно в статусе «Поступила»; допустимо в статусах: «В работе», «Ожидает ответа».',
    );
  });
});

describe('seed 000 п. 1: three support lines', () => {
  it('escalates first → second → third and no further', () => {
    const t = registeredIncident().do('2025-03-03T12:00:00+10:00', 'escalate', {
      reason: 'Нужен анализ логов',
      assignee: petrov,
    });
    expect(t.state).toMatchObject({ line: 'second', assignee: petrov, status: 'in_progress' });
    t.do(
      '2025-03-04T12:00:00+10:00',
      'escalate',
      { reason: 'Ошибка в коде модуля' },
      operator('second_line'),
    );
    expect(t.state).toMatchObject({ line: 'third', assignee: null });
    t.do('2025-03-04T13:00:00+10:00', 'escalate', { reason: '?' }, operator('third_line'));
    expect(t.lastRefusal?.message).toContain('дальше эскалировать некуда');
    // Escalation does not stop the SLA clock.
    expect(t.due('resolution')).toBe('2025-03-11T16:30:00+10:00');
  });

  it('an escalation needs a reason', () => {
    const t = registeredIncident().do('2025-03-03T12:00:00+10:00', 'escalate', { reason: '  ' });
    expect(t.lastRefusal?.code).toBe('invalid_arguments');
  });
});

describe('seed 000 п. 3.3.1–3.3.2: access to the module', () => {
  const access = (
    authorization?: Authorization,
    kind: 'grant' | 'deactivation' = 'grant',
    targetOrganizationId?: string,
  ) => ({
    ...completeIntake,
    description: 'Прошу предоставить доступ к выгрузке отчётности новому сотруднику.',
    access: {
      kind,
      targetUser: 'Иванов Иван Иванович',
      ...(targetOrganizationId && { targetOrganizationId }),
    },
    ...(authorization && { authorization }),
  });

  it('п. 3.3.1 (1): an access request from someone not authenticated as an authorised person is refused', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'service', intake: access() }).do(
      '2025-03-03T10:10:00+10:00',
      'register',
    );
    expect(t.lastRefusal).toMatchObject({ code: 'not_authorized' });
  });

  it('п. 3.3.1 (2)–(3): from an authorised person it goes to the second line', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'service',
      intake: access({ verified: true, personId: 'p1', organizationId: 'bubble' }),
    }).do('2025-03-03T10:10:00+10:00', 'register');
    expect(t.state).toMatchObject({ status: 'new', line: 'second' });
  });

  it('п. 3.3.2: deactivation by an authorised person of the user’s own organisation only', () => {
    const other = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'service',
      intake: access({ verified: true, organizationId: 'bubble' }, 'deactivation', 'romashka'),
    }).do('2025-03-03T10:10:00+10:00', 'register');
    expect(other.lastRefusal?.message).toContain('(п. 3.3.2)');
    const own = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', {
      type: 'service',
      intake: access({ verified: true, organizationId: 'bubble' }, 'deactivation', 'bubble'),
    }).do('2025-03-03T10:10:00+10:00', 'register');
    expect(own.state.status).toBe('new');
  });
});

describe('reclassification keeps paused time (glpi-project/glpi#15605)', () => {
  it('an incident paused for 11 working hours and reclassified as information keeps the pause', () => {
    const t = registeredIncident()
      .do('2025-03-04T10:00:00+10:00', 'requestInfo', { question: '?' })
      .do('2025-03-05T12:00:00+10:00', 'resume')
      .do('2025-03-05T13:00:00+10:00', 'reclassify', {
        requestType: 'information',
        reason: 'Это консультация',
      });
    // Registered Mon 10:30; 24 h + 11 h paused = 35 working hours:
    // Mon 7.5 h, Tue 9 h (16.5), Wed 9 h (25.5), Thu 9 h (34.5), Fri 0.5 h → Friday 09:30.
    expect(t.due('resolution')).toBe('2025-03-07T09:30:00+10:00');
    expect(t.state.type).toBe('information');
    expect(t.clock('resolution', '2025-03-05T13:00:00+10:00')).toMatchObject({
      pausedMinutes: 11 * 60,
      target: '24 working h',
    });
  });

  it('reclassifying to a change request removes the fixed target until one is set (п. 3.1.3)', () => {
    const t = registeredIncident().do('2025-03-03T11:00:00+10:00', 'reclassify', { requestType: 'change' });
    expect(t.due('resolution')).toBeNull();
  });
});

describe('who may do what', () => {
  it('an initiator can only write messages', () => {
    const t = registeredIncident().do(
      '2025-03-03T12:00:00+10:00',
      'resolve',
      { text: 'сам решил' },
      initiator,
    );
    expect(t.lastRefusal?.code).toBe('forbidden');
  });

  it('a command unknown to this regulation is refused, naming the regulation', () => {
    const t = registeredIncident().do('2025-03-03T12:00:00+10:00', 'forward', {}, operator());
    expect(t.lastRefusal).toMatchObject({ code: 'not_in_regulation' });
  });
});

describe('seed 000 п. 3.2: clocks count whole minutes', () => {
  it('a pause from 10:00:00.250 to 20:00:00.100 of the next working day is 9 working hours, not 8 h 59 min', () => {
    const t = registeredIncident()
      .do('2025-03-04T10:00:00.250+10:00', 'requestInfo', { question: 'Пришлите скриншот.' })
      .do('2025-03-05T10:00:00.100+10:00', 'reply', { text: 'Вот скриншот' })
      .do('2025-03-05T10:00:00.900+10:00', 'resume');
    expect(t.clock('resolution', '2025-03-05T11:00:00+10:00')).toMatchObject({
      pausedMinutes: 540,
      elapsedMinutes: 7 * 60 + 30 + 60 + 60,
    });
    // 60 working hours from 10:30 Monday (Tuesday 11th 16:30), moved by the 9 paused hours.
    expect(t.due('resolution')).toBe('2025-03-12T16:30:00+10:00');
  });
});
