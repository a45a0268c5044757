/**
 * Issue #21, deadline bursts: a fired timer's events reach the read model from the workflow task that
 * fired it (a local activity), not through an activity task and a second workflow task on the server
 * — two of the three server round trips a due ticket cost. Its mail stays an ordinary activity, sent
 * after the write.
 */
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../domain';
import { workerBundleOptions } from '../../worker/workflowBundle';
import { ticketWorkflow } from '../../workflows';
import {
  createEnvironment,
  createWorker,
  describeWithTimeSkipping,
  ordinaryMonday,
  recordingActivities,
  travelTo,
} from './support';

const { EventType } = temporal.api.enums.v1;
const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };

describeWithTimeSkipping('a fired timer’s write (issue #21, time-skipping)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('п. 3.5 deadlines: the breach is recorded in the read model without an activity task of its own', async () => {
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const monday = await ordinaryMonday(env);
      await travelTo(env, `${monday}T10:00+10:00`);
      const id = `ID-WF-TIMER-${Date.now()}`;
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue,
        args: [
          {
            open: {
              ticketId: id,
              regulation: { id: 'primorye', version: '2023-04-20' },
              channel: 'phone',
              receivedAt: new Date(Date.parse(`${monday}T09:55+10:00`)).toISOString(),
              requestType: 'incident',
              intake: {
                description: 'При оплате сертификатом ошибка «Недостаточно средств».',
                expectedResult: 'Покупка оплачена сертификатом.',
                actualResult: 'Ошибка «Недостаточно средств».',
                initiator: { fullName: 'Петров П. П.', email: 'petrov@example.ru', organization: 'О' },
              },
            },
            initialCommands: [{ type: 'register', by: operator }],
          },
        ],
      });
      // Working weeks later every clock of the untouched incident has fired.
      await env.sleep('20 days');
      expect(rec.events.some((e) => e.type === 'deadlineBreached')).toBe(true);

      const history = await handle.fetchHistory();
      const events = history.events ?? [];
      const firstTimer = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_TIMER_FIRED);
      expect(firstTimer).toBeGreaterThan(0);
      const after = events.slice(firstTimer);
      const scheduled = (name: string) =>
        after.filter(
          (e) =>
            e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED &&
            e.activityTaskScheduledEventAttributes?.activityType?.name === name,
        ).length;
      // The timers' writes: local activity markers in the workflow tasks that fired them.
      expect(scheduled('recordTicket')).toBe(0);
      expect(
        after.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED).length,
      ).toBeGreaterThan(0);
      // The deadline mail to the desk still goes as an ordinary activity, after the write.
      expect(scheduled('sendMail')).toBeGreaterThan(0);
      expect(rec.mails.length).toBeGreaterThan(0);
      // The new history replays (recorded ones, without the marker, are test/workflows/replay.test.ts).
      await Worker.runReplayHistory({ ...workerBundleOptions, replayName: id }, history);
    });
  });
});
