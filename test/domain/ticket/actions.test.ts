import { availableActions } from '../../../domain';
import { ivanov, operator, Ticket } from './harness';

const allowed = (t: Ticket, role: string, at: string) =>
  availableActions(t.state, operator(role), Date.parse(at))
    .filter((a) => a.allowed)
    .map((a) => a.command)
    .sort();

describe('the actions a person may take now (decide() with typical arguments)', () => {
  it('seed 000 п. 2.4: a received request is registered by the first line, not resolved', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' });
    const actions = allowed(t, 'first_line', '2025-03-03T10:05:00+10:00');
    expect(actions).toEqual(expect.arrayContaining(['register', 'reject', 'requestInfo', 'comment']));
    expect(actions).not.toContain('resolve');
    expect(actions).not.toContain('assign');
    const assign = availableActions(
      t.state,
      operator('first_line'),
      Date.parse('2025-03-03T10:05:00+10:00'),
    ).find((a) => a.command === 'assign');
    expect(assign).toMatchObject({ allowed: false, refusal: { code: 'not_registered' } });
  });

  it('seed 000 п. 2.4, 3.2: in work, the assignee may ask for details, resolve and escalate; a manager may not resolve', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' })
      .do('2025-03-03T10:10:00+10:00', 'register', { requestType: 'incident' })
      .do('2025-03-03T10:20:00+10:00', 'assign', { assignee: ivanov });
    expect(allowed(t, 'first_line', '2025-03-03T11:00:00+10:00')).toEqual(
      expect.arrayContaining([
        'requestInfo',
        'resolve',
        'escalate',
        'closeUnreproducible',
        'reject',
        'comment',
      ]),
    );
    const manager = availableActions(t.state, operator('manager'), Date.parse('2025-03-03T11:00:00+10:00'));
    expect(manager.find((a) => a.command === 'resolve')).toMatchObject({
      allowed: false,
      refusal: { code: 'forbidden' },
    });
  });

  it('commands the regulation does not have are not offered (seed 000 has no СП ЕПГУ forwarding)', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00');
    const commands = availableActions(
      t.state,
      operator('admin'),
      Date.parse('2025-03-03T10:05:00+10:00'),
    ).map((a) => a.command);
    expect(commands).not.toContain('forward');
    expect(commands).not.toContain('askAgency');
  });

  it('seed 003 п. 3.3.1–3.3.2: the regional operator answers from the FAQ or forwards; the federal operator cannot', () => {
    const t = Ticket.open('epgu', '2025-03-03T10:00:00+03:00');
    expect(allowed(t, 'regional_operator', '2025-03-03T10:05:00+03:00')).toEqual(
      expect.arrayContaining(['answerFromFaq', 'forward', 'requestInfo', 'close']),
    );
    expect(allowed(t, 'federal_operator', '2025-03-03T10:05:00+03:00')).not.toContain('forward');
  });
});

describe('the regulation’s next steps come first (issue #19: actions grouped)', () => {
  const next = (t: Ticket, role: string, at: string) =>
    availableActions(t.state, operator(role), Date.parse(at))
      .filter((a) => a.next)
      .map((a) => a.command);

  it('seed 000 п. 2.4, 3.2: received → register; in work → resolve, ask, escalate; waiting for the initiator → the reply or back to work', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' });
    expect(next(t, 'first_line', '2025-03-03T10:05:00+10:00')).toEqual(['register']);
    t.do('2025-03-03T10:10:00+10:00', 'register', { requestType: 'incident' }).do(
      '2025-03-03T10:20:00+10:00',
      'assign',
      { assignee: ivanov },
    );
    expect(next(t, 'first_line', '2025-03-03T11:00:00+10:00')).toEqual([
      'resolve',
      'requestInfo',
      'escalate',
    ]);
    t.do('2025-03-03T11:10:00+10:00', 'requestInfo', { question: 'Какая модель кассы?' });
    const all = availableActions(t.state, operator('first_line'), Date.parse('2025-03-03T11:20:00+10:00'));
    // The next steps lead the list; everything else the person may do follows, still allowed.
    expect(all.slice(0, 2).map((a) => a.command)).toEqual(['reply', 'resume']);
    expect(all.filter((a) => a.next).map((a) => a.command)).toEqual(['reply', 'resume']);
    expect(all.filter((a) => a.allowed && !a.next).map((a) => a.command)).toEqual(
      expect.arrayContaining(['resolve', 'escalate', 'reject', 'reclassify']),
    );
  });

  it('seed 000 п. 3.2: once the initiator has answered, back to work comes before taking an answer by phone', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' })
      .do('2025-03-03T10:10:00+10:00', 'register', { requestType: 'incident' })
      .do('2025-03-03T10:20:00+10:00', 'assign', { assignee: ivanov })
      .do('2025-03-03T10:30:00+10:00', 'requestInfo', { question: 'Какая модель кассы?' })
      .do('2025-03-03T10:40:00+10:00', 'reply', { text: 'Атол 30Ф.' });
    expect(t.state.status).toBe('awaiting_reply');
    expect(next(t, 'first_line', '2025-03-03T10:50:00+10:00')).toEqual(['resume', 'reply']);
  });

  it('a next step the person may not take is not offered as one (a manager does not resolve, seed 000 п. 3.2)', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'incident' })
      .do('2025-03-03T10:10:00+10:00', 'register', { requestType: 'incident' })
      .do('2025-03-03T10:20:00+10:00', 'assign', { assignee: ivanov });
    expect(next(t, 'manager', '2025-03-03T11:00:00+10:00')).toEqual(['requestInfo']);
  });

  it('seed 000 п. 3.1.3: a change request’s individual deadline comes before its assignment', () => {
    const t = Ticket.open('primorye', '2025-03-03T10:00:00+10:00', { type: 'change' }).do(
      '2025-03-03T10:10:00+10:00',
      'register',
      { requestType: 'change' },
    );
    expect(next(t, 'first_line', '2025-03-03T10:20:00+10:00')).toEqual(['setDeadline', 'assign']);
  });

  it('seed 003 п. 3.2.1, 3.3.1: the regional operator first answers from the FAQ or forwards', () => {
    const t = Ticket.open('epgu', '2025-03-03T10:00:00+03:00');
    expect(next(t, 'regional_operator', '2025-03-03T10:05:00+03:00')).toEqual(['answerFromFaq', 'forward']);
    // Both services answer from the FAQ; only the regional one forwards (its permissions table).
    expect(next(t, 'federal_operator', '2025-03-03T10:05:00+03:00')).toEqual(['answerFromFaq']);
  });
});
