import { epguIntake, operator, Ticket } from './harness';

const regional = operator('regional_operator');
const federal = operator('federal_operator');
const fed1 = { id: 'fed1', name: 'Оператор СП ЕПГУ' };
/** п. 3.2.1, 3.3.1: the regional operator searched the FAQ first and found no answer. */
const faqChecked = { faqCheck: 'no_answer' as const };

/** A written appeal forwarded and registered as an incident (Moscow time). */
function registered(kind: 'incident' | 'information_request' = 'incident', settings = {}): Ticket {
  return Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { settings })
    .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
    .do('2025-06-09T11:00:00+03:00', 'register', { requestType: kind, assignee: fed1 }, federal);
}

describe('seed 003 п. 3.2.1, 3.3.1: FAQ first', () => {
  it('п. 3.2.1.1, 3.3.1.1: an answer from the FAQ closes the appeal without СП ЕПГУ', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { channel: 'phone' }).do(
      '2025-06-09T10:05:00+03:00',
      'answerFromFaq',
      { articleId: 'faq-12', answer: 'Статус заявления виден в личном кабинете.' },
      regional,
    );
    expect(t.state).toMatchObject({
      status: 'closed',
      statusReason: 'faq_answer',
      faqArticleId: 'faq-12',
      line: 'rpgu',
    });
  });

  it('п. 3.3.5.1: an answer from the federal knowledge base to a written appeal is a solution to confirm', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00')
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do(
        '2025-06-09T11:00:00+03:00',
        'answerFromFaq',
        { articleId: 'kb-7', answer: 'Ответ из БЗ ЕПГУ' },
        federal,
      );
    expect(t.state.status).toBe('solved');
    // 12 June is a holiday and 13 June 2025 a moved day off (decree № 1335): Tue 10, Wed 11, Mon 16.
    expect(t.due('confirmation')).toBe('2025-06-16T11:00:00+03:00');
  });

  it('п. 3.2.4.1: answered on the call, a phone appeal is closed', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { channel: 'phone' })
      .do('2025-06-09T10:05:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T10:10:00+03:00', 'answerFromFaq', { articleId: 'kb-7', answer: 'Ответ' }, federal);
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'faq_answer' });
  });
});

describe('seed 003 п. 3.3.2: forwarding needs the user’s data', () => {
  const partial = {
    description: 'Не отправляется заявление',
    initiator: { fullName: 'Смирнов А. В.', contact: 'smirnov@example.ru' },
  };

  it('п. 3.3.2.1: a written appeal without СНИЛС, ИНН and date of birth is not forwarded', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { intake: partial }).do(
      '2025-06-09T10:10:00+03:00',
      'forward',
      faqChecked,
      regional,
    );
    expect(t.lastRefusal?.code).toBe('missing_fields');
    expect(t.lastRefusal?.message).toContain('СНИЛС, ИНН и дата рождения (п. 3.3.2.1)');
    expect(t.state.status).toBe('received');
  });

  it('п. 3.3.2.2–3.3.2.3: the regional service asks the user first and forwards after the answer', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { intake: partial }).do(
      '2025-06-09T10:10:00+03:00',
      'requestInfo',
      { question: 'Сообщите СНИЛС, ИНН и дату рождения.' },
      regional,
    );
    expect(t.state).toMatchObject({ status: 'pending', statusReason: 'user_data' });
    expect(t.events('infoRequested')[0]).toMatchObject({ missingFields: ['СНИЛС', 'ИНН', 'дата рождения'] });
    t.do('2025-06-10T09:00:00+03:00', 'reply', {
      text: 'СНИЛС 112-233-445 95, ИНН 500100732259, 12.04.1985',
      fields: { initiator: { snils: '112-233-445 95', inn: '500100732259', birthDate: '1985-04-12' } },
    });
    expect(t.state.status).toBe('received');
    t.do('2025-06-10T09:30:00+03:00', 'forward', faqChecked, regional);
    expect(t.state).toMatchObject({ status: 'forwarded', line: 'sp_epgu' });
  });

  it('a СНИЛС with a wrong checksum is refused before it reaches СП ЕПГУ', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', {
      intake: { ...epguIntake, initiator: { ...epguIntake.initiator, snils: '112-233-445 96' } },
    }).do('2025-06-09T10:10:00+03:00', 'forward', faqChecked, regional);
    expect(t.lastRefusal).toMatchObject({ code: 'invalid_fields' });
  });

  it('п. 3.2.2, 3.2.4.2: a call is transferred as is; the data is asked for at registration', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { channel: 'phone', intake: partial })
      .do('2025-06-09T10:05:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T10:10:00+03:00', 'register', { requestType: 'incident' }, federal);
    expect(t.state.status).toBe('forwarded');
    expect(t.lastRefusal?.message).toContain('(п. 3.2.4.2)');
    t.do(
      '2025-06-09T10:12:00+03:00',
      'register',
      {
        requestType: 'incident',
        fields: { initiator: { snils: '11223344595', inn: '500100732259', birthDate: '1985-04-12' } },
      },
      federal,
    );
    expect(t.state).toMatchObject({ status: 'assigned', type: 'incident' });
  });

  it('п. 3.2.7.2 by analogy: a user who never sends the data has the appeal closed after 3 working days', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { intake: partial })
      .do('2025-06-09T10:10:00+03:00', 'requestInfo', { question: 'СНИЛС?' }, regional)
      .advance('2025-06-20T00:00:00+03:00');
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'no_user_info' });
    expect(t.when('closed')).toBe('2025-06-16T10:10:00+03:00'); // Tue 10, Wed 11, (12–15 June off), Mon 16
  });
});

describe('seed 003 п. 3.2.2.1, 3.3.3.1: not the federal service’s competence', () => {
  it('returns to СП РПГУ, which closes it telling the user', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00')
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T11:00:00+03:00', 'return', { reason: 'Вопрос о региональной услуге' }, federal);
    expect(t.state).toMatchObject({ status: 'returned', line: 'rpgu', statusReason: 'not_competent' });
    t.do('2025-06-09T12:00:00+03:00', 'close', { text: 'Разъяснено пользователю по телефону' }, regional);
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'not_competent' });
  });
});

describe('seed 003 п. 3.2.4.2: the federal ticket', () => {
  it('is an incident or an information request, status «Назначен»', () => {
    const t = registered('information_request');
    expect(t.state).toMatchObject({ status: 'assigned', type: 'information_request', assignee: fed1 });
    expect(t.regulation.statuses.assigned!.label).toBe('Назначен');
  });

  it('a claim is not registered as a ticket kind', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00')
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T11:00:00+03:00', 'register', { requestType: 'claim' }, federal);
    expect(t.lastRefusal?.code).toBe('invalid_type');
  });

  it('п. 3.4: no SLA unless agreed; an agreed target is a setting', () => {
    expect(registered().due('resolution')).toBeNull();
    // Mon 7 h + Tue 9 h: the last working minute of Tuesday.
    expect(registered('incident', { resolutionHours: { incident: 16 } }).due('resolution')).toBe(
      '2025-06-10T18:00:00+03:00',
    );
  });

  it('п. 3.2.5, 3.3.5.3: deeper analysis goes to СТП ЕПГУ', () => {
    const t = registered().do(
      '2025-06-09T12:00:00+03:00',
      'escalate',
      { reason: 'Нужен разбор логов' },
      federal,
    );
    expect(t.state.line).toBe('stp_epgu');
  });
});

describe('seed 003 п. 3.2.7, 3.3.7: information from the user', () => {
  it('п. 3.2.7.1: «В ожидании» with the reason «Запрошена информация (пользователь)», the SLA clock paused', () => {
    const t = registered('incident', { resolutionHours: { incident: 16 } }).do(
      '2025-06-09T12:00:00+03:00',
      'requestInfo',
      { question: 'Пришлите скриншот.' },
      federal,
    );
    expect(t.state).toMatchObject({ status: 'pending', statusReason: 'user_info' });
    expect(t.regulation.id === 'epgu' && t.regulation.pendingReasons[t.state.statusReason!]!.label).toBe(
      'Запрошена информация (пользователь)',
    );
    expect(t.due('resolution')).toBeNull();
  });

  it('п. 3.2.7.2, 3.3.7.1: closed after 3 working days without an answer, with a reminder a day before', () => {
    const t = registered()
      .do('2025-06-09T12:00:00+03:00', 'requestInfo', { question: 'Скриншот?' }, federal)
      .advance('2025-06-30T00:00:00+03:00');
    expect(t.when('initiatorReminded')).toBe('2025-06-11T12:00:00+03:00');
    expect(t.when('closed')).toBe('2025-06-16T12:00:00+03:00');
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'no_user_info' });
  });

  it('п. 3.2.7.3, 3.3.7.2: an answer within 3 working days brings the ticket back to «Назначен»', () => {
    const t = registered('incident', { resolutionHours: { incident: 16 } })
      .do('2025-06-09T12:00:00+03:00', 'requestInfo', { question: 'Скриншот?' }, federal)
      .do('2025-06-11T12:00:00+03:00', 'reply', { text: 'Скриншот во вложении' });
    expect(t.state).toMatchObject({ status: 'assigned', statusReason: null });
    // 1 h used before the pause; 15 h from Wed 12:00 → Wed 6, (12–15 June off), Mon 9 → Monday 18:00.
    expect(t.due('resolution')).toBe('2025-06-16T18:00:00+03:00');
    t.advance('2025-06-20T00:00:00+03:00');
    expect(t.events('closed')).toEqual([]);
  });
});

describe('seed 003 п. 3.2.8–3.2.9, 3.3.8–3.3.10: a federal agency (ФОИВ) is asked', () => {
  it('«В ожидании» / «Отклонено на ведомство» without any timers, back to «Назначен» on the answer', () => {
    const t = registered('information_request', { resolutionHours: { information_request: 24 } }).do(
      '2025-06-09T12:00:00+03:00',
      'askAgency',
      { agency: 'СФР', question: 'Причина отказа' },
      federal,
    );
    expect(t.state).toMatchObject({ status: 'pending', statusReason: 'agency', agency: 'СФР' });
    // п. 3.2.8.2: no work and no further notifications while the agency is asked.
    expect(t.next()).toBeNull();
    const before = t.log.length;
    t.advance('2025-07-30T00:00:00+03:00');
    expect(t.log.slice(before)).toEqual([]);
    t.do('2025-07-30T10:00:00+03:00', 'agencyAnswered', { text: 'Не приложен документ' }, federal);
    expect(t.state).toMatchObject({ status: 'assigned', agency: null });
  });

  it('п. 3.2.8.3, 3.3.9.2: a repeated status inquiry is logged as a comment and answered with the status', () => {
    const t = registered()
      .do('2025-06-09T12:00:00+03:00', 'askAgency', { agency: 'МВД' }, federal)
      .do('2025-06-10T10:00:00+03:00', 'statusInquiry', { channel: 'email', text: 'Когда ответ?' }, regional);
    expect(t.events('commented')[0]).toMatchObject({
      text: 'Повторное обращение пользователя за уточнением сроков рассмотрения.',
    });
    expect(t.events('inquiryAnswered')[0]).toMatchObject({
      automatic: true,
      text: 'Обращение ID1001: информация передана в МВД; после получения ответа вы будете проинформированы.',
    });
    expect(t.state.status).toBe('pending');
  });

  it('п. 3.3.9.2: without automatic answers, a status inquiry by e-mail is due in 3 working hours', () => {
    const t = registered('incident', { autoAnswerStatusInquiries: false }).do(
      '2025-06-09T16:00:00+03:00',
      'statusInquiry',
      { channel: 'email' },
      regional,
    );
    expect(t.due('inquiry:1')).toBe('2025-06-10T10:00:00+03:00');
    t.advance('2025-06-10T11:00:00+03:00');
    expect(t.events('deadlineBreached')[0]).toMatchObject({ clock: 'inquiry:1' });
    t.do('2025-06-10T11:30:00+03:00', 'answerInquiry', { text: 'Тикет в работе' }, federal);
    expect(t.state.inquiries[0]).toMatchObject({ answeredAt: '2025-06-10T08:30:00.000Z' });
  });

  it('п. 3.3.9.1: by phone the answer is given on the call, no clock', () => {
    const t = registered().do('2025-06-09T16:00:00+03:00', 'statusInquiry', { channel: 'phone' }, regional);
    expect(t.state.clocks['inquiry:1']).toBeUndefined();
  });
});

describe('seed 003 п. 3.2.10–3.2.11, 3.3.11–3.3.13: solution and confirmation', () => {
  it('«Решен», then «Закрыт» on confirmation (п. 3.2.11.1, 3.3.13.1)', () => {
    const t = registered()
      .do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal)
      .do('2025-06-10T12:00:00+03:00', 'confirm', {}, regional);
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'confirmed', resolution: 'Исправлено' });
  });

  it('п. 3.3.13.3: closed when nobody answers within 3 working days (the default reading of «3 дней»)', () => {
    const t = registered()
      .do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal)
      .advance('2025-06-30T00:00:00+03:00');
    expect(t.when('closed')).toBe('2025-06-17T10:00:00+03:00'); // Wed 11, (12–15 June off), Mon 16, Tue 17
    expect(t.state.statusReason).toBe('no_objection');
  });

  it('п. 3.3.13.3 with calendar days as the setting', () => {
    const t = registered('incident', { confirmationDaysKind: 'calendar' })
      .do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal)
      .advance('2025-06-30T00:00:00+03:00');
    expect(t.when('closed')).toBe('2025-06-13T10:00:00+03:00');
  });

  it('п. 3.3.13.2: a written disagreement returns the ticket to work; time in «Решен» does not count', () => {
    const t = registered('incident', { resolutionHours: { incident: 16 } })
      .do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal)
      .do('2025-06-11T10:00:00+03:00', 'disagree', { text: 'Ошибка повторяется' }, regional);
    expect(t.state).toMatchObject({ status: 'assigned' });
    // Used: Mon 7 h + Tue 1 h = 8 h; 8 h left from Wed 10:00 → Wed 8 h → Wednesday 18:00.
    expect(t.due('resolution')).toBe('2025-06-11T18:00:00+03:00');
    expect(t.clock('confirmation', '2025-06-11T10:00:00+03:00')?.state).toBe('stopped');
  });

  it('п. 3.2.11.2: a disagreement by phone becomes a claim for ГРП with 7 working days; the ticket is closed', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { channel: 'phone' })
      .do('2025-06-09T10:05:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T10:10:00+03:00', 'register', { requestType: 'incident' }, federal)
      .do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal)
      .do('2025-06-10T10:30:00+03:00', 'disagree', { text: 'Не согласен' }, federal);
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'claim_registered' });
    expect(t.state.claims).toEqual([expect.objectContaining({ id: 'ID1001-C1', resolvedAt: null })]);
    expect(t.due('claim:ID1001-C1')).toBe('2025-06-23T10:30:00+03:00'); // 7 working days: 11, 16–20, 23 June
    // The claim keeps the ticket open: no follow-up archive while it is unresolved.
    expect(t.state.clocks.followUp).toBeUndefined();
    t.advance('2025-06-24T00:00:00+03:00');
    expect(t.events('deadlineWarning').map((e) => (e as { clock: string }).clock)).toEqual([
      'claim:ID1001-C1',
    ]);
    expect(t.events('deadlineBreached').map((e) => (e as { clock: string }).clock)).toEqual([
      'claim:ID1001-C1',
    ]);
    t.do(
      '2025-06-24T10:00:00+03:00',
      'resolveClaim',
      { claimId: 'ID1001-C1', text: 'Претензия удовлетворена' },
      federal,
    );
    expect(t.state.claims[0]).toMatchObject({ resolution: 'Претензия удовлетворена' });
    expect(t.due('followUp')).toBe('2025-07-24T10:00:00+03:00');
  });

  it('п. 3.3.3.2–3.3.3.3: an appeal that is itself a claim goes to ГРП with its own 7-day clock', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00')
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T11:00:00+03:00', 'registerClaim', { text: 'Требую компенсацию' }, federal);
    expect(t.state).toMatchObject({ status: 'assigned', type: 'claim', line: 'grp' });
    expect(t.due('claim:ID1001-C1')).toBe('2025-06-20T11:00:00+03:00'); // 10, 11, 16–20 June
    t.do('2025-06-17T11:00:00+03:00', 'resolveClaim', { claimId: 'ID1001-C1', text: 'Отказано' }, federal);
    expect(t.state.status).toBe('solved');
  });
});

describe('seed 003: commands of the other regulation', () => {
  it('«закрыт: не воспроизводится» and rejection with п. 3.5 reasons are not part of it', () => {
    const t = registered().do('2025-06-09T12:00:00+03:00', 'closeUnreproducible', { text: '?' }, federal);
    expect(t.lastRefusal?.code).toBe('not_in_regulation');
    t.do('2025-06-09T12:01:00+03:00', 'reject', { reason: 'unclear_task' }, federal);
    expect(t.lastRefusal?.code).toBe('not_in_regulation');
  });
});
