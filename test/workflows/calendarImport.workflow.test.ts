/**
 * Issue #20's own test on the real workflow: a seed 000 incident received on Saturday 25.12.2027
 * (the workflow's clock set there by an offset), registered, paused and resumed, escalated, has a
 * provisional resolution deadline and a breach timer; an admin imports a 2028 calendar (a test file)
 * through the API, the fan-out signals the running workflow through Temporal, and the deadline moves
 * in the workflow, in the read model (no longer marked «предварительный срок») and the timeline says
 * «Срок пересчитан: производственный календарь 2028 (постановление …)».
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { type Actor } from '../../domain';
import { ticketWorkflow } from '../../workflows';
import { ticketQuery } from '../../workflows/messages';
import { type ApiStack, createEnvironment, describeWithTemporal, eventually, startApiStack } from './support';
import { incidentIntake } from '../fixtures/incident';

const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };
const DAY = 86_400_000;

describeWithTemporal(
  'the 2028 calendar imported through the API reaches a running workflow (issue #20)',
  () => {
    let env: TestWorkflowEnvironment;
    let stack: ApiStack;

    beforeAll(async () => {
      env = await createEnvironment();
      stack = await startApiStack(env);
    });

    afterAll(async () => {
      await stack?.stop();
      await env?.teardown();
    });

    it('25.12.2027: a provisional deadline with its breach timer; the import moves it everywhere', async () => {
      const id = `ID-WF-IMP-${Date.now()}`;
      const receivedAt = '2027-12-25T00:00:00.000Z'; // Saturday 10:00 in Vladivostok
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue: stack.taskQueue,
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
            options: { clockOffsetMs: Date.parse(receivedAt) - Date.now() },
          },
        ],
      });
      const send = (command: Parameters<ApiStack['gateway']['send']>[1]) => stack.gateway.send(id, command);
      await send({ type: 'register', by: operator, assignee: { id: 'iv', name: 'Иванов' } });
      // Seed 000 п. 3.2: «Ожидает ответа» pauses the clock, the initiator's answer resumes it.
      await send({ type: 'requestInfo', by: operator, question: 'Пришлите снимок экрана.' });
      await send({ type: 'resume', by: operator, note: 'Ответ получен по телефону.' });
      await send({
        type: 'escalate',
        by: operator,
        reason: 'Нужна вторая линия',
        assignee: { id: 'vera', name: 'Вера Вторая' },
      });
      const before = await eventually(
        () => handle.query(ticketQuery),
        (v) => v.log.some((e) => e.type === 'escalated') && !!v.deadlines.resolution,
      );
      expect(before.provisionalDeadlines).toContain('resolution');
      expect(before.deadlines.resolution! >= '2028-01-01').toBe(true);
      expect(before.nextDeadline).toMatchObject({ clock: 'resolution' });
      const row = await eventually(
        () => findTicket(stack.db.db, id),
        (r) => r?.seq === before.seq,
      );
      expect(row).toMatchObject({ slaDueProvisional: true });
      expect(row?.slaDueAt?.toISOString()).toBe(before.deadlines.resolution);

      const content = readFileSync(join(__dirname, '../fixtures/calendars/ru-2028-test.json'), 'utf8');
      const imported = await request(stack.app)
        .post('/calendars/import')
        .set(stack.as('admin'))
        .send({ content, decree: '№ 9999 от 15.09.2027 (тест)', source: 'тестовый файл' });
      expect(imported.status).toBe(200);

      const after = await eventually(
        () => handle.query(ticketQuery),
        (v) => v.log.some((e) => e.type === 'calendarChanged'),
      );
      expect(after.provisionalDeadlines).toEqual([]);
      // 10 January 2028 is a day off in the test file: the deadline after it moves one working day.
      expect(Date.parse(after.deadlines.resolution!) - Date.parse(before.deadlines.resolution!)).toBe(DAY);
      expect(after.nextDeadline).toMatchObject({ clock: 'resolution' });
      const moved = await eventually(
        () => findTicket(stack.db.db, id),
        (r) => r?.slaDueProvisional === false,
      );
      expect(moved?.slaDueAt?.toISOString()).toBe(after.deadlines.resolution);
      const timeline = await eventually(
        () => ticketEventsOf(stack.db.db, id),
        (events) => events.some((e) => e.type === 'calendarChanged'),
      );
      expect(timeline.find((e) => e.type === 'calendarChanged')).toMatchObject({
        note: 'Срок пересчитан: производственный календарь 2028 (постановление № 9999 от 15.09.2027 (тест))',
      });
      await handle.terminate();
    });
  },
);
