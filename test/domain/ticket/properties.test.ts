import fc from 'fast-check';
import {
  advanceTo,
  applyCommand,
  currentRef,
  evolve,
  initialState,
  isPaused,
  nextDeadline,
  openTicket,
  resolveRegulation,
  type Actor,
  type Command,
  type RegulationId,
  type TicketEvent,
  type TicketState,
} from '../../../domain';
import { completeIntake, epguIntake } from './harness';

const op: Actor = { kind: 'operator', id: 'op', name: 'Оператор' };
const user: Actor = { kind: 'initiator', name: 'Инициатор' };
const person = { id: 'p', name: 'Исполнитель' };

/** Commands of both regulations with plausible and implausible arguments alike. */
const command: fc.Arbitrary<Omit<Command, 'by'> & { by?: Actor }> = fc.oneof(
  fc.constantFrom<Record<string, unknown>>(
    { type: 'register', requestType: 'incident' },
    { type: 'register', requestType: 'information' },
    { type: 'register', requestType: 'change' },
    { type: 'register', requestType: 'information_request' },
    { type: 'register' },
    { type: 'assign', assignee: person },
    { type: 'assign', assignee: { name: '' } },
    { type: 'escalate', reason: 'нужен анализ' },
    { type: 'requestInfo', question: 'Уточните' },
    { type: 'resume' },
    { type: 'resolve', text: 'Решено' },
    { type: 'closeUnreproducible', text: 'Не воспроизводится' },
    { type: 'reject', reason: 'unclear_task' },
    { type: 'reject', reason: 'no_feedback' },
    { type: 'close', text: 'Закрыто' },
    { type: 'comment', text: 'Комментарий', visibility: 'public' },
    { type: 'setDeadline', workingHours: 12 },
    { type: 'setDeadline', dueAt: 'garbage' },
    { type: 'reclassify', requestType: 'information' },
    { type: 'reclassify', requestType: 'incident' },
    { type: 'answerFromFaq', articleId: 'faq-1', answer: 'Ответ' },
    { type: 'forward' },
    { type: 'forward', faqCheck: 'no_answer' },
    { type: 'forward', faqCheck: 'not_helpful', faqArticleId: 'faq-2' },
    { type: 'requestApproval' },
    { type: 'reclassify', requestType: 'change' },
    { type: 'close', text: 'Закрыто', reason: 'outside_project' },
    { type: 'statusInquiry' },
    { type: 'return', reason: 'не наша компетенция' },
    { type: 'registerClaim', text: 'Претензия' },
    { type: 'resolveClaim', claimId: 'ID9-C1', text: 'Решено' },
    { type: 'askAgency', agency: 'СФР' },
    { type: 'agencyAnswered', text: 'Ответ ФОИВ' },
    { type: 'statusInquiry', channel: 'email' },
    { type: 'answerInquiry', text: 'В работе' },
    { type: 'confirm' },
    { type: 'disagree', text: 'Не согласен' },
    { type: 'bogus' },
  ),
  fc.constant({ type: 'reply', text: 'Ответ инициатора', by: user }),
) as never;

const steps = fc.array(fc.tuple(fc.integer({ min: 0, max: 5 * 86_400_000 }), command), { maxLength: 25 });

function run(
  regulation: RegulationId,
  channel: 'email' | 'phone',
  plan: [number, Record<string, unknown>][],
) {
  const opened = openTicket({
    ticketId: 'ID9',
    regulation: currentRef(regulation),
    channel,
    receivedAt: '2025-02-03T01:00:00.000Z',
    intake: regulation === 'epgu' ? epguIntake : completeIntake,
    requestType: 'incident',
  });
  let state = opened.state;
  const log: TicketEvent[] = [...opened.events];
  let now = Date.parse('2025-02-03T01:00:00.000Z');
  for (const [gap, cmd] of plan) {
    now += gap;
    const fired = advanceTo(state, now);
    log.push(...fired.events);
    const applied = applyCommand(fired.state, { by: op, ...cmd } as unknown as Command, now);
    log.push(...applied.events);
    state = applied.state;
  }
  const end = advanceTo(state, now + 60 * 86_400_000);
  log.push(...end.events);
  return { state: end.state, log };
}

function checkInvariants(state: TicketState, log: TicketEvent[]): void {
  const regulation = resolveRegulation(state.regulation);
  // Events are numbered without gaps and never go back in time.
  log.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    if (i > 0) expect(Date.parse(e.at)).toBeGreaterThanOrEqual(Date.parse(log[i - 1]!.at));
  });
  // The log alone rebuilds the state (event sourcing).
  let replayed = initialState(log[0] as TicketEvent & { type: 'received' });
  for (const e of log.slice(1)) replayed = evolve(replayed, e);
  expect(replayed).toEqual(state);
  expect(Object.keys(regulation.statuses)).toContain(state.status);
  const running = (name: string) => !!state.clocks[name] && state.clocks[name]!.stoppedAt === null;
  // A no-response clock runs only while the ticket waits for the initiator.
  if (running('noResponse')) {
    expect(
      regulation.id === 'primorye'
        ? state.status === 'awaiting_reply'
        : state.status === 'pending' && state.statusReason !== 'agency',
    ).toBe(true);
  }
  // The resolution clock pauses exactly while waiting (or, for seed 003, while the solution is with the user).
  const resolution = state.clocks.resolution;
  if (resolution && resolution.stoppedAt === null) {
    const waiting =
      regulation.id === 'primorye'
        ? state.status === 'awaiting_reply'
        : ['pending', 'solved'].includes(state.status);
    expect(isPaused(resolution)).toBe(waiting);
  }
  // Outcomes stop every clock but the follow-up period, claims and reminders of a message after it.
  if (regulation.statuses[state.status]?.terminal) {
    for (const [name, clock] of Object.entries(state.clocks)) {
      if (name !== 'followUp' && !name.startsWith('claim:') && !name.startsWith('remind:answer'))
        expect(clock.stoppedAt).not.toBeNull();
    }
  }
  // Reminders to staff run exactly while an initiator's message waits for the operator (seed 000 п. 3.2).
  for (const name of ['remind:answer', 'remind:answer:manager']) {
    if (running(name)) expect(state.awaitingOperator).toBe(true);
  }
  // Sixty days after the last command every timer has fired: nothing is left to arm, or only a paused wait.
  const next = nextDeadline(state);
  if (next) expect(next.command.clock.startsWith('claim:') || next.command.clock === 'followUp').toBe(false);
}

describe.each<[RegulationId, 'email' | 'phone']>([
  ['primorye', 'email'],
  ['primorye', 'phone'],
  ['epgu', 'email'],
  ['epgu', 'phone'],
])('any sequence of commands for %s (%s)', (regulation, channel) => {
  it('never throws, keeps its invariants and replays from its log', () => {
    fc.assert(
      fc.property(steps, (plan) => {
        const { state, log } = run(regulation, channel, plan as never);
        checkInvariants(state, log);
      }),
      { numRuns: 150 },
    );
  });
});
