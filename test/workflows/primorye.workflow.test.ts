/**
 * Seed 000 through the real workflow on the time-skipping test server, activities recorded.
 * Scenarios start on an ordinary Monday (see support.ts) so deadlines are worked out by hand.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Actor, OpenTicketInput, TicketView } from '../../domain';
import { ticketWorkflow } from '../../workflows';
import { commandSignals, ticketQuery, type TicketWorkflowInput } from '../../workflows/messages';
import {
  createEnvironment,
  localMinute,
  createWorker,
  describeWithTimeSkipping,
  ordinaryMonday,
  plusDays,
  recordingActivities,
  travelTo,
} from './support';

const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };
const initiator: Actor = { kind: 'initiator', name: 'Петров П. П.', email: 'petrov@example.ru' };
const ivanov = { id: 'ivanov', name: 'Иванов И. И.', email: 'ivanov@dprim.ru' };

function incident(id: string, receivedAt: string): OpenTicketInput {
  return {
    ticketId: id,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: 'email',
    receivedAt: new Date(receivedAt).toISOString(),
    requestType: 'incident',
    intake: {
      subject: 'Не списываются баллы',
      description: 'При оплате сертификатом ошибка «Недостаточно средств».',
      initiator: {
        fullName: 'Петров Петр Петрович',
        email: 'petrov@example.ru',
        organization: '«Бубль-Гум»',
      },
    },
  };
}

const local = (iso: string | null | undefined): string | null => localMinute(iso, 10);

describeWithTimeSkipping('ticket workflow, seed 000 (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  async function run<T>(
    activities: ReturnType<typeof recordingActivities>['activities'],
    body: (taskQueue: string, worker: Worker) => Promise<T>,
  ): Promise<T> {
    const { worker, taskQueue } = await createWorker(env, activities);
    return worker.runUntil(body(taskQueue, worker));
  }

  const start = (taskQueue: string, id: string, input: TicketWorkflowInput) =>
    env.client.workflow.start(ticketWorkflow, { workflowId: id, taskQueue, args: [input] });

  it('п. 3.1.2: an incident registered Friday 17:30 before the holidays (New Year, else May) reaches its 60-hour deadline', async () => {
    // Worked out by hand: Fri 0.5 h, then the working days after the holidays (runs first: the
    // server's clock only moves forward). The May holidays stand in once New Year has passed.
    const cases = [
      { registered: '2026-12-25T17:30+10:00', due: '2027-01-14T14:30+10:00' }, // Dec 28–30, Jan 11–13 (9 h each) + 5.5 h
      { registered: '2027-04-30T17:30+10:00', due: '2027-05-13T14:30+10:00' }, // May 4–7, 11–12 + 5.5 h
    ];
    const now = await env.currentTimeMs();
    const scenario = cases.find((c) => Date.parse(c.registered) > now);
    if (!scenario) throw new Error('add a holiday case of the next production-calendar year to this test');
    const rec = recordingActivities();
    await run(rec.activities, async (taskQueue) => {
      await travelTo(env, scenario.registered);
      const handle = await start(taskQueue, 'ID-WF-NY', {
        open: incident('ID-WF-NY', scenario.registered.replace('17:30', '17:00')),
        initialCommands: [{ type: 'register', by: operator, assignee: ivanov }],
      });
      await env.sleep('1 second');
      expect(local((await handle.query(ticketQuery)).deadlines.resolution)).toBe(scenario.due);
      await env.sleep('25 days');
      const breach = rec.events.find((e) => e.type === 'deadlineBreached' && e.clock === 'resolution');
      expect(local(breach?.at)).toBe(scenario.due);
      expect((await handle.query(ticketQuery)).clocks.find((c) => c.name === 'resolution')).toMatchObject({
        breached: true,
      });
      await handle.signal(commandSignals.resolve, { by: operator, text: 'Исправлено после праздников.' });
      await env.sleep('1 second');
    });
  });

  it('п. 2.4: a request not registered within 4 hours is flagged at the fourth hour', async () => {
    const monday = await ordinaryMonday(env);
    const rec = recordingActivities();
    await run(rec.activities, async (taskQueue) => {
      await travelTo(env, `${monday}T10:00+10:00`);
      const handle = await start(taskQueue, 'ID-WF-REG', {
        open: incident('ID-WF-REG', `${monday}T10:00+10:00`),
      });
      await env.sleep('5 hours');
      const view: TicketView = await handle.query(ticketQuery);
      expect(view.status).toBe('received');
      expect(view.clocks.find((c) => c.name === 'registration')).toMatchObject({ breached: true });
      const breach = rec.events.find((e) => e.type === 'deadlineBreached');
      expect(local(breach?.at)).toBe(`${monday}T14:00+10:00`);
      expect(rec.mails.map((m) => m.template)).toContain('slaBreach');
      await handle.signal(commandSignals.reject, { by: operator, reason: 'unclear_task' });
      await env.sleep('1 minute');
    });
  });

  it('п. 3.2, 3.5: no answer for 2 working days: reminder after one, rejection after two', async () => {
    const monday = await ordinaryMonday(env);
    const rec = recordingActivities();
    await run(rec.activities, async (taskQueue) => {
      await travelTo(env, `${monday}T10:00+10:00`);
      const handle = await start(taskQueue, 'ID-WF-SILENT', {
        open: incident('ID-WF-SILENT', `${monday}T09:50+10:00`),
        initialCommands: [{ type: 'register', by: operator, assignee: ivanov }],
      });
      await travelTo(env, `${monday}T11:00+10:00`);
      await handle.signal(commandSignals.requestInfo, {
        by: operator,
        question: 'Пришлите скриншот ошибки.',
      });
      await env.sleep('3 days');
      const view = await handle.query(ticketQuery);
      expect(view).toMatchObject({ status: 'rejected', statusReason: 'no_feedback' });
      expect(local(rec.events.find((e) => e.type === 'initiatorReminded')?.at)).toBe(
        `${plusDays(monday, 1)}T11:00+10:00`,
      );
      expect(local(rec.events.find((e) => e.type === 'rejected')?.at)).toBe(
        `${plusDays(monday, 2)}T11:00+10:00`,
      );
      expect(rec.mails.map((m) => m.template)).toEqual(
        expect.arrayContaining(['acknowledgement', 'infoRequest', 'reminder', 'rejection']),
      );
      const rejection = rec.mails.find((m) => m.template === 'rejection')!;
      expect(rejection.subject).toBe('[ID-WF-SILENT] Инцидент: Не списываются баллы');
      expect(rejection.text.startsWith('ID-WF-SILENT\n')).toBe(true);
    });
  });

  it('п. 3.2: the clock pauses while waiting and resumes when the operator returns the request to work', async () => {
    const monday = await ordinaryMonday(env);
    const rec = recordingActivities();
    await run(rec.activities, async (taskQueue) => {
      await travelTo(env, `${monday}T10:00+10:00`);
      const handle = await start(taskQueue, 'ID-WF-PAUSE', {
        open: incident('ID-WF-PAUSE', `${monday}T09:30+10:00`),
        initialCommands: [{ type: 'register', by: operator, assignee: ivanov }],
      });
      await env.sleep('1 second');
      // 60 working hours from Monday 10:00: Tuesday of the next week, 16:00.
      expect(local((await handle.query(ticketQuery)).deadlines.resolution)).toBe(
        `${plusDays(monday, 8)}T16:00+10:00`,
      );
      await travelTo(env, `${monday}T11:00+10:00`);
      await handle.signal(commandSignals.requestInfo, { by: operator, question: 'Уточните время ошибки.' });
      await travelTo(env, `${plusDays(monday, 1)}T10:00+10:00`);
      await handle.signal(commandSignals.reply, { by: initiator, text: 'В 10:15 по Владивостоку.' });
      await env.sleep('1 second');
      expect((await handle.query(ticketQuery)).status).toBe('awaiting_reply');
      await travelTo(env, `${plusDays(monday, 1)}T12:00+10:00`);
      await handle.signal(commandSignals.resume, { by: operator });
      await env.sleep('1 second');
      const view = await handle.query(ticketQuery);
      expect(view.status).toBe('in_progress');
      // Paused Monday 11:00–18:00 and Tuesday 09:00–12:00: 10 working hours later, Wednesday 17:00.
      expect(local(view.deadlines.resolution)).toBe(`${plusDays(monday, 9)}T17:00+10:00`);
      expect(view.clocks.find((c) => c.name === 'resolution')).toMatchObject({ pausedMinutes: 600 });
      await handle.signal(commandSignals.resolve, { by: operator, text: 'Исправлено.' });
      await env.sleep('1 second');
      expect((await handle.query(ticketQuery)).status).toBe('done');
    });
  });
});
