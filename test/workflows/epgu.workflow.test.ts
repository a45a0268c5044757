/** Seed 003 through the real workflow on the time-skipping test server (Moscow time). */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor, OpenTicketInput } from '../../domain';
import { ticketWorkflow } from '../../workflows';
import { commandSignals, ticketQuery } from '../../workflows/messages';
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

const regional: Actor = { kind: 'operator', id: 'r1', name: 'Оператор СП РПГУ', role: 'regional_operator' };
const federal: Actor = { kind: 'operator', id: 'f1', name: 'Оператор СП ЕПГУ', role: 'federal_operator' };

function appeal(id: string, receivedAt: string, channel: 'email' | 'phone' = 'email'): OpenTicketInput {
  return {
    ticketId: id,
    regulation: { id: 'epgu', version: '2017-1.0' },
    channel,
    receivedAt: new Date(receivedAt).toISOString(),
    intake: {
      description: 'Через виджет не отправляется заявление.',
      initiator: {
        fullName: 'Смирнов Алексей Викторович',
        email: 'smirnov@example.ru',
        snils: '112-233-445 95',
        inn: '500100732259',
        birthDate: '1985-04-12',
        contact: 'smirnov@example.ru',
      },
    },
  };
}

const local = (iso: string | null | undefined): string | null => localMinute(iso, 3);

describeWithTimeSkipping('ticket workflow, seed 003 (time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('п. 3.2.7.2: an information request without an answer closes the ticket after 3 working days', async () => {
    // Each scenario on its own ordinary fortnight: the server's clock only moves forward.
    const monday = await ordinaryMonday(env);
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      await travelTo(env, `${monday}T10:00+03:00`);
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: 'ID-WF-EPGU-INFO',
        taskQueue,
        args: [
          {
            open: appeal('ID-WF-EPGU-INFO', `${monday}T09:40+03:00`),
            initialCommands: [
              { type: 'forward', by: regional },
              { type: 'register', by: federal, requestType: 'incident' },
            ],
          },
        ],
      });
      await travelTo(env, `${monday}T11:00+03:00`);
      await handle.signal(commandSignals.requestInfo, { by: federal, question: 'Пришлите скриншот.' });
      await env.sleep('1 second');
      expect(await handle.query(ticketQuery)).toMatchObject({
        status: 'pending',
        statusReason: 'user_info',
        statusReasonLabel: 'Запрошена информация (пользователь)',
      });
      await env.sleep('4 days');
      expect(await handle.query(ticketQuery)).toMatchObject({
        status: 'closed',
        statusReason: 'no_user_info',
      });
      expect(local(rec.events.find((e) => e.type === 'closed')?.at)).toBe(
        `${plusDays(monday, 3)}T11:00+03:00`,
      );
      expect(rec.mails.map((m) => m.template)).toEqual(
        expect.arrayContaining(['forwarded', 'registered', 'infoRequest', 'reminder', 'closed']),
      );
    });
  });

  it('п. 3.2.11.2: a disagreement by phone becomes a claim whose 7-working-day deadline fires', async () => {
    // Each scenario on its own ordinary fortnight: the server's clock only moves forward.
    const monday = await ordinaryMonday(env);
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      await travelTo(env, `${monday}T12:00+03:00`);
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: 'ID-WF-EPGU-CLAIM',
        taskQueue,
        args: [
          {
            open: appeal('ID-WF-EPGU-CLAIM', `${monday}T11:50+03:00`, 'phone'),
            initialCommands: [
              { type: 'forward', by: regional },
              { type: 'register', by: federal, requestType: 'incident' },
              { type: 'resolve', by: federal, text: 'Исправлено.' },
            ],
          },
        ],
      });
      await travelTo(env, `${monday}T12:30+03:00`);
      await handle.signal(commandSignals.disagree, { by: federal, text: 'Не согласен' });
      await env.sleep('1 second');
      const view = await handle.query(ticketQuery);
      expect(view).toMatchObject({ status: 'closed', statusReason: 'claim_registered' });
      expect(local(view.deadlines['claim:ID-WF-EPGU-CLAIM-C1'])).toBe(`${plusDays(monday, 9)}T12:30+03:00`);
      await env.sleep('12 days');
      const breach = rec.events.find(
        (e) => e.type === 'deadlineBreached' && e.clock === 'claim:ID-WF-EPGU-CLAIM-C1',
      );
      expect(local(breach?.at)).toBe(`${plusDays(monday, 9)}T12:30+03:00`);
      await handle.signal(commandSignals.resolveClaim, {
        by: federal,
        claimId: 'ID-WF-EPGU-CLAIM-C1',
        text: 'Рассмотрено.',
      });
      await env.sleep('1 second');
      expect((await handle.query(ticketQuery)).claims[0]).toMatchObject({ resolution: 'Рассмотрено.' });
    });
  });
});
