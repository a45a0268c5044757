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
