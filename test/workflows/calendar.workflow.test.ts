/**
 * Issue #20 on the real workflow: a ticket opened on 27.12.2027 (a clock offset on the server) has a
 * provisional deadline and a breach timer; the `calendar` signal with a 2028 version moves it and the
 * log says «Срок пересчитан: производственный календарь 2028 (постановление …)».
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type Actor } from '../../domain';
import { ticketWorkflow } from '../../workflows';
import { calendarSignal, commandSignals, ticketQuery } from '../../workflows/messages';
import {
  createEnvironment,
  createWorker,
  describeWithTemporal,
  eventually,
  recordingActivities,
} from './support';
import { calendarVersion2 } from '../fixtures/calendars/version2';
import { incidentIntake } from '../fixtures/incident';

const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };
const v2 = calendarVersion2('json');

describeWithTemporal('ticket workflow: a new production calendar version (issue #20)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('the provisional deadline of 27.12.2027 moves when the 2028 calendar arrives', async () => {
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const id = `ID-WF-CAL-${Date.now()}`;
      const serverNow = Date.now();
      const receivedAt = '2027-12-27T00:00:00.000Z'; // Monday 10:00 in Vladivostok
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue,
        args: [
          {
            open: {
              ticketId: id,
              regulation: { id: 'primorye' as const, version: '2023-04-20' },
              channel: 'email' as const,
              receivedAt,
              requestType: 'incident',
              intake: incidentIntake,
            },
            options: { clockOffsetMs: Date.parse(receivedAt) - serverNow },
          },
        ],
      });
      await handle.signal(commandSignals.register, { by: operator, assignee: { id: 'iv', name: 'Иванов' } });
      const before = await eventually(
        () => handle.query(ticketQuery),
        (v) => !!v.deadlines.resolution,
      );
      expect(before.provisionalDeadlines).toContain('resolution');
      expect(before.nextDeadline).toMatchObject({ clock: 'resolution' });
      await handle.signal(calendarSignal, {
        calendar: v2,
        decree: '№ 9999 (тест)',
        commandId: 'calendar:v2',
      });
      const after = await eventually(
        () => handle.query(ticketQuery),
        (v) => v.log.some((e) => e.type === 'calendarChanged'),
      );
      expect(after.provisionalDeadlines).toEqual([]);
      // 10 January 2028 is a day off in the test calendar: one working day later.
      expect(Date.parse(after.deadlines.resolution!) - Date.parse(before.deadlines.resolution!)).toBe(
        86_400_000,
      );
      expect(after.log.find((e) => e.type === 'calendarChanged')).toMatchObject({
        note: 'Срок пересчитан: производственный календарь 2028 (постановление № 9999 (тест))',
      });
      await handle.terminate();
    });
  });
});
