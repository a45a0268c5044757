/**
 * Seed 003: the three holes the second clause-by-clause pass found (issue #20), each fixed at its
 * cause. Every test here failed on the code before the fix.
 */
import { birthDateProblem, type Intake } from '../../../domain';
import { epguIntake, operator, Ticket } from './harness';

const regional = operator('regional_operator');
const federal = operator('federal_operator');
const fed1 = { id: 'fed1', name: 'Оператор СП ЕПГУ', email: 'fed1@gosuslugi.example' };
const faqChecked = { faqCheck: 'no_answer' as const };

const withBirthDate = (birthDate: string): Intake => ({
  ...epguIntake,
  initiator: { ...epguIntake.initiator, birthDate },
});

describe('seed 003 п. 3.2.8.2: no work while a federal agency is asked', () => {
  const waitingForAgency = () =>
    Ticket.open('epgu', '2025-06-09T10:00:00+03:00')
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T11:00:00+03:00', 'register', { requestType: 'incident', assignee: fed1 }, federal)
      .do('2025-06-09T12:00:00+03:00', 'askAgency', { agency: 'СФР' }, federal);

  it('«В ожидании / Отклонено на ведомство»: no hand-off to СТП ЕПГУ for technical analysis', () => {
    const t = waitingForAgency().do(
      '2025-06-10T10:00:00+03:00',
      'escalate',
      { reason: 'Нужен технический анализ' },
      federal,
    );
    expect(t.lastRefusal).toMatchObject({ code: 'waiting_for_agency' });
    expect(t.lastRefusal!.message).toContain('п. 3.2.8.2');
    expect(t.state).toMatchObject({ status: 'pending', statusReason: 'agency', line: 'sp_epgu' });
  });

  it('after the agency answers, the ticket goes to СТП ЕПГУ as before (п. 3.2.9, 3.3.5.3)', () => {
    const t = waitingForAgency()
      .do('2025-06-11T10:00:00+03:00', 'agencyAnswered', { text: 'Ответ СФР' }, federal)
      .do('2025-06-11T11:00:00+03:00', 'escalate', { reason: 'Нужен технический анализ' }, federal);
    expect(t.lastRefusal).toBeNull();
    expect(t.state).toMatchObject({ status: 'assigned', line: 'stp_epgu' });
  });
});

describe('seed 003 п. 3.3.5.1, 3.3.13.2: a disputed knowledge-base answer is processed anew', () => {
  const answeredFromKb = (settings = {}) =>
    Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { settings })
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do(
        '2025-06-09T11:00:00+03:00',
        'answerFromFaq',
        { articleId: 'kb-7', answer: 'Ответ из БЗ ЕПГУ' },
        federal,
      );

  it('the written disagreement brings the appeal back to СП ЕПГУ, where it is registered with its terms', () => {
    const settings = { resolutionHours: { incident: 16, information_request: 24 } };
    const t = answeredFromKb(settings).do(
      '2025-06-10T10:00:00+03:00',
      'disagree',
      { text: 'Ответ не помог: заявление так и не отправляется' },
      regional,
    );
    expect(t.lastRefusal).toBeNull();
    expect(t.state).toMatchObject({ status: 'forwarded', line: 'sp_epgu', type: 'appeal' });
    expect(t.state.clocks.confirmation?.stoppedAt).not.toBeNull();

    t.do('2025-06-10T11:00:00+03:00', 'register', { requestType: 'incident', assignee: fed1 }, federal);
    expect(t.lastRefusal).toBeNull();
    expect(t.state).toMatchObject({ status: 'assigned', type: 'incident' });
    // 16 agreed working hours from Tue 10.06 11:00: 7 h that day, 9 h on Wed 11.06.
    expect(t.due('resolution')).toBe('2025-06-11T18:00:00+03:00');

    t.do(
      '2025-06-10T12:00:00+03:00',
      'reclassify',
      { requestType: 'information_request', reason: 'Вопрос о порядке' },
      federal,
    );
    expect(t.lastRefusal).toBeNull();
    // 24 agreed hours from the same start: 10.06 (7 h) + 11.06 (9 h); 12–13 June are days off (decree
    // № 1335) before the weekend; Mon 16.06 (8 h) → 17:00.
    expect(t.due('resolution')).toBe('2025-06-16T17:00:00+03:00');
  });

  it('tickets under the earlier rules keep them (version 2017-1.0.r2: the appeal stays «Назначен»)', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { version: '2017-1.0.r2' })
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T11:00:00+03:00', 'answerFromFaq', { articleId: 'kb-7', answer: 'Ответ' }, federal)
      .do('2025-06-10T10:00:00+03:00', 'disagree', { text: 'Не согласен' }, regional);
    expect(t.state.status).toBe('assigned');
  });

  it('a registered ticket disputed in writing goes on in work as before (п. 3.3.13.2)', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00')
      .do('2025-06-09T10:30:00+03:00', 'forward', faqChecked, regional)
      .do('2025-06-09T11:00:00+03:00', 'register', { requestType: 'incident', assignee: fed1 }, federal)
      .do('2025-06-09T12:00:00+03:00', 'resolve', { text: 'Решение' }, federal)
      .do('2025-06-10T10:00:00+03:00', 'disagree', { text: 'Не согласен' }, regional);
    expect(t.state).toMatchObject({ status: 'assigned', type: 'incident' });
  });
});

describe('seed 003 п. 3.3.2.1: the user’s date of birth is a date a living person has', () => {
  it.each([
    ['1979-02-30', 'нет в календаре'],
    ['2030-01-01', 'ещё не наступила'],
    ['1890-01-01', 'более чем 120 лет назад'],
    ['12.04.1985', 'ГГГГ-ММ-ДД'],
  ])('«%s» is not forwarded to СП ЕПГУ (%s)', (birthDate, why) => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { intake: withBirthDate(birthDate) }).do(
      '2025-06-09T10:30:00+03:00',
      'forward',
      faqChecked,
      regional,
    );
    expect(t.lastRefusal).toMatchObject({ code: 'invalid_fields' });
    expect(t.lastRefusal!.message).toContain(why);
    expect(t.state.status).toBe('received');
  });

  it('a real date of birth, a leap day included, is forwarded', () => {
    const t = Ticket.open('epgu', '2025-06-09T10:00:00+03:00', { intake: withBirthDate('1984-02-29') }).do(
      '2025-06-09T10:30:00+03:00',
      'forward',
      faqChecked,
      regional,
    );
    expect(t.lastRefusal).toBeNull();
    expect(t.state.status).toBe('forwarded');
  });

  it('«today» is the local date: a child born today may be the user, tomorrow may not', () => {
    expect(birthDateProblem('2025-06-09', '2025-06-09')).toBeNull();
    expect(birthDateProblem('2025-06-10', '2025-06-09')).toContain('ещё не наступила');
    expect(birthDateProblem('1905-06-09', '2025-06-09')).toBeNull();
    expect(birthDateProblem('1905-06-08', '2025-06-09')).toContain('120');
  });
});
