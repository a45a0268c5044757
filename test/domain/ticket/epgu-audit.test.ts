/**
 * Seed 003: the holes a clause-by-clause audit found (issue #11), each fixed at its cause. Every test
 * here failed on the code before the fix.
 */
import { notificationsFor, type Intake } from '../../../domain';
import { epguIntake, operator, Ticket } from './harness';

const regional = operator('regional_operator');
const federal = operator('federal_operator');
const fed1 = { id: 'fed1', name: 'Оператор СП ЕПГУ', email: 'fed1@gosuslugi.example' };
const faqChecked = { faqCheck: 'no_answer' as const };
const written: Intake = {
  ...epguIntake,
  initiator: { ...epguIntake.initiator, email: 'smirnov@example.ru' },
};

const mailsOf = (t: Ticket, type: string) =>
  t.log.filter((e) => e.type === type).flatMap((e) => notificationsFor(e, t.state));

function forwarded(channel: 'email' | 'phone' = 'email', intake: Intake = written): Ticket {
  return Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { channel, intake }).do(
    '2025-06-09T10:30:00+03:00',
    'forward',
    faqChecked,
    regional,
  );
}

const registered = (channel: 'email' | 'phone' = 'email', settings = {}) =>
  Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { channel, intake: written, settings })
    .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
    .do('2025-06-09T11:00:00+03:00', 'register', { requestType: 'incident', assignee: fed1 }, federal);

describe('seed 003 п. 3.3.3.3–3.3.3.5, 3.3.7, 3.3.12–3.3.13: the written channel goes through СП РПГУ', () => {
  it('п. 3.3.3.4–3.3.3.5: the registration of a written appeal is told to СП РПГУ, which informs the user', () => {
    const [mail] = mailsOf(registered(), 'registered');
    expect(mail).toMatchObject({ template: 'registered', to: [], toRoles: ['regional'] });
    expect(mail!.text).toContain(
      'Для пользователя Смирнов Алексей Викторович (способ связи: smirnov@example.ru)',
    );
  });

  it('п. 3.3.7: the federal service’s request for information goes to СП РПГУ, not to the user', () => {
    const t = registered().do('2025-06-09T12:00:00+03:00', 'requestInfo', { question: 'Скриншот?' }, federal);
    expect(mailsOf(t, 'infoRequested')[0]).toMatchObject({ to: [], toRoles: ['regional'] });
  });

  it('п. 3.3.12–3.3.13: the solution goes to СП РПГУ for the user', () => {
    const t = registered().do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal);
    expect(mailsOf(t, 'resolved')[0]).toMatchObject({ template: 'solution', to: [], toRoles: ['regional'] });
  });

  it('п. 3.3.8.1: that an agency was asked, СП ЕПГУ tells the user itself', () => {
    const t = registered().do('2025-06-09T12:00:00+03:00', 'askAgency', { agency: 'СФР' }, federal);
    expect(mailsOf(t, 'agencyAsked')[0]).toMatchObject({ to: ['smirnov@example.ru'], toRoles: [] });
  });

  it('п. 3.3.2.2: before forwarding the regional service writes to the user directly', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', {
      intake: { ...written, initiator: { ...written.initiator, snils: undefined } },
    }).do('2025-06-09T10:10:00+03:00', 'requestInfo', { question: 'Сообщите СНИЛС.' }, regional);
    expect(mailsOf(t, 'infoRequested')[0]).toMatchObject({ to: ['smirnov@example.ru'], toRoles: [] });
  });

  it('п. 3.2.11: a caller is answered by СП ЕПГУ directly', () => {
    const t = registered('phone').do('2025-06-10T10:00:00+03:00', 'resolve', { text: 'Исправлено' }, federal);
    expect(mailsOf(t, 'resolved')[0]).toMatchObject({ to: ['smirnov@example.ru'], toRoles: [] });
  });
});

describe('seed 003 п. 3.2.4.2, 3.2.11.2: claims', () => {
  const partial: Intake = {
    description: 'Требую компенсацию',
    initiator: { fullName: 'Смирнов А. В.', contact: '+7 900 000-00-00' },
  };

  it('п. 3.2.4.2: a claim is registered only with the user’s ФИО, СНИЛС, ИНН, date of birth and contact', () => {
    const t = forwarded('phone', partial).do(
      '2025-06-09T11:00:00+03:00',
      'registerClaim',
      { text: 'Требую компенсацию' },
      federal,
    );
    expect(t.lastRefusal).toMatchObject({ code: 'missing_fields' });
    expect(t.lastRefusal?.message).toContain('СНИЛС, ИНН и дата рождения (п. 3.2.4.2)');
    expect(t.state.status).toBe('forwarded');
  });

  it('п. 3.2.11.2: the claim notice gives the contacts of СП ЕПГУ', () => {
    const t = forwarded().do(
      '2025-06-09T11:00:00+03:00',
      'registerClaim',
      { text: 'Требую компенсацию' },
      federal,
    );
    const [notice] = mailsOf(t, 'claimRegistered');
    expect(notice!.text).toContain(
      'Контакты СП ЕПГУ для прямого взаимодействия по претензии (п. 3.2.11.2): СП ЕПГУ: support-op@gosuslugi.ru',
    );
  });
});

describe('seed 003 п. 3.2.8.3, 3.3.9: status inquiries while an agency is asked', () => {
  const waiting = (settings = {}) =>
    registered('email', settings).do('2025-06-09T12:00:00+03:00', 'askAgency', { agency: 'МВД' }, federal);

  it('п. 3.2.8.3, 3.3.9.2: the user’s message while «Отклонено на ведомство» is a repeated inquiry with its 3-hour clock', () => {
    const t = waiting({ autoAnswerStatusInquiries: false }).do('2025-06-10T10:00:00+03:00', 'reply', {
      text: 'Когда будет ответ?',
    });
    expect(t.events('inquiryReceived')[0]).toMatchObject({ channel: 'email', service: 'federal' });
    expect(t.events('commented').at(-1)).toMatchObject({
      text: 'Повторное обращение пользователя за уточнением сроков рассмотрения.',
    });
    expect(t.due('inquiry:1')).toBe('2025-06-10T13:00:00+03:00');
    expect(t.state).toMatchObject({ status: 'pending', statusReason: 'agency' });
  });

  it('п. 3.3.9.2: a status inquiry logged through the API without a channel takes the appeal’s own (in writing: the clock)', () => {
    const t = waiting({ autoAnswerStatusInquiries: false }).do(
      '2025-06-10T10:00:00+03:00',
      'statusInquiry',
      {},
      regional,
    );
    expect(t.events('inquiryReceived')[0]).toMatchObject({ channel: 'email' });
    expect(t.due('inquiry:1')).toBe('2025-06-10T13:00:00+03:00');
  });

  it('п. 3.3.1.2: an inquiry about an appeal answered from the FAQ is the regional service’s, not an inquiry to СП ЕПГУ', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { intake: written })
      .do(
        '2025-06-09T10:05:00+03:00',
        'answerFromFaq',
        { articleId: 'faq-3', answer: 'См. личный кабинет' },
        regional,
      )
      .do(
        '2025-06-10T10:00:00+03:00',
        'statusInquiry',
        { channel: 'email', text: 'А что с обращением?' },
        regional,
      );
    expect(t.events('inquiryReceived')[0]).toMatchObject({ service: 'regional' });
    expect(t.state.clocks['inquiry:1']).toBeUndefined();
    expect(t.events('commented')).toEqual([]);
    expect(mailsOf(t, 'inquiryAnswered')[0]).toMatchObject({ to: ['smirnov@example.ru'], toRoles: [] });
  });

  it('п. 3.3.1.2: a returned appeal’s inquiry is answered by СП РПГУ; СП ЕПГУ may not', () => {
    const t = forwarded()
      .do('2025-06-09T11:00:00+03:00', 'return', { reason: 'Региональная услуга' }, federal)
      .do('2025-06-10T10:00:00+03:00', 'statusInquiry', { channel: 'phone' }, regional)
      .do('2025-06-10T10:05:00+03:00', 'answerInquiry', { text: 'Обращение у СП РПГУ' }, federal);
    expect(t.lastRefusal).toMatchObject({ code: 'forbidden' });
    t.do('2025-06-10T10:06:00+03:00', 'answerInquiry', { text: 'Обращение рассматривает СП РПГУ' }, regional);
    expect(t.state.inquiries[0]).toMatchObject({ service: 'regional', answeredAt: expect.any(String) });
  });
});

describe('seed 003: closing needs a regulated basis', () => {
  it('п. 3.2.8.2: a ticket waiting for an agency cannot be closed by an operator', () => {
    const t = registered()
      .do('2025-06-09T12:00:00+03:00', 'askAgency', { agency: 'СФР' }, federal)
      .do('2025-06-10T12:00:00+03:00', 'close', { text: 'Закрываю' }, federal);
    expect(t.lastRefusal).toMatchObject({ code: 'no_close_basis' });
    expect(t.lastRefusal?.message).toContain('(п. 3.2.8.2)');
    expect(t.state.status).toBe('pending');
  });

  it('a ticket in work is solved, not closed (п. 3.2.10–3.2.11, 3.3.13.1)', () => {
    const t = registered().do('2025-06-09T12:00:00+03:00', 'close', { text: 'Закрываю' }, federal);
    expect(t.lastRefusal).toMatchObject({ code: 'no_close_basis' });
  });

  it('п. 3.2.1, 3.3.1: an appeal that does not concern the Project is closed by СП РПГУ with that reason', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00').do(
      '2025-06-09T10:05:00+03:00',
      'close',
      { text: 'Вопрос о региональной услуге, разъяснено' },
      regional,
    );
    expect(t.state).toMatchObject({ status: 'closed', statusReason: 'outside_project' });
    const wrong = Ticket.open('epgu', '2025-06-09T10:00:00+03:00').do(
      '2025-06-09T10:05:00+03:00',
      'close',
      { text: '…', reason: 'confirmed' },
      regional,
    );
    expect(wrong.lastRefusal).toMatchObject({ code: 'invalid_reason' });
  });
});

describe('seed 003 п. 3.2.1, 3.3.1: the FAQ first, recorded before forwarding', () => {
  it('п. 3.2.1, 3.3.1: forwarding without stating what the FAQ gave is refused', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00').do(
      '2025-06-09T10:05:00+03:00',
      'forward',
      {},
      regional,
    );
    expect(t.lastRefusal).toMatchObject({ code: 'faq_not_checked' });
    expect(t.state.status).toBe('received');
  });

  it('п. 3.3.1, 3.3.2: the article that did not help is named, recorded and passed to СП ЕПГУ', () => {
    const none = Ticket.open('epgu', '2025-06-09T10:00:00+03:00').do(
      '2025-06-09T10:05:00+03:00',
      'forward',
      { faqCheck: 'not_helpful' },
      regional,
    );
    expect(none.lastRefusal).toMatchObject({ code: 'invalid_arguments' });
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00').do(
      '2025-06-09T10:05:00+03:00',
      'forward',
      { faqCheck: 'not_helpful', faqArticleId: 'faq-17' },
      regional,
    );
    expect(t.events('forwarded')[0]).toMatchObject({ faqCheck: 'not_helpful', faqArticleId: 'faq-17' });
    expect(mailsOf(t, 'forwarded')[0]!.text).toContain('FAQ СП РПГУ: статья faq-17 не помогла');
  });

  it('tickets opened under the rules of 2017-1.0 keep them (running workflows replay)', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { version: '2017-1.0' }).do(
      '2025-06-09T10:05:00+03:00',
      'forward',
      {},
      regional,
    );
    expect(t.state.status).toBe('forwarded');
  });
});
