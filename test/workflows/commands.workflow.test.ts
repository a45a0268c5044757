/**
 * Operator commands through the API as Temporal Updates, against a real server: the answer is the
 * ticket's real state, concurrent operators get the workflow's verdict, a retried request applies
 * once (across continue-as-new too), and a ticket is readable the moment it is created.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { ticketEventsOf } from '../../db/repositories/tickets';
import { ticketWorkflow } from '../../workflows';
import { executeUpdate, ticketQuery } from '../../workflows/messages';
import {
  createEnvironment,
  describeWithTemporal,
  eventually,
  phoneIncident,
  startApiStack,
  type ApiStack,
} from './support';

describeWithTemporal('operator commands as Updates (a real Temporal server)', () => {
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

  const create = (body: object = phoneIncident) =>
    request(stack.app).post('/tickets').set(stack.as('first_line')).send(body);

  it('п. 2.4: right after 201 the ticket is readable and takes commands (5 of 5)', async () => {
    for (let i = 0; i < 5; i++) {
      const created = await create();
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const read = await request(stack.app).get(`/tickets/${id}`).set(stack.as('first_line'));
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id, status: 'new' });
      const assigned = await request(stack.app)
        .post(`/tickets/${id}/assign`)
        .set(stack.as('first_line'))
        .send({ assignee: { id: 'ivanov', name: 'Иванов И. И.' } });
      expect(assigned.status).toBe(200);
      expect(assigned.body.ticket).toMatchObject({ status: 'in_progress', assignee: { id: 'ivanov' } });
      // The queue shows it at once (read your writes).
      const queue = await request(stack.app)
        .get('/tickets')
        .query({ assignee: 'ivanov', status: 'in_progress', limit: 100 })
        .set(stack.as('first_line'));
      expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(id);
    }
  });

  it('п. 3.3, 3.4: two operators close one incident at once: exactly one wins, the other gets the workflow’s 409', async () => {
    const id = (await create({ ...phoneIncident, assignee: { id: 'ivanov', name: 'Иванов' } })).body
      .id as string;
    const [a, b] = await Promise.all([
      request(stack.app)
        .post(`/tickets/${id}/resolve`)
        .set(stack.as('first_line'))
        .send({ text: 'Исправлено на стороне модуля.' }),
      // п. 1: both of the first line, which holds the ticket (its work is that line's).
      request(stack.app)
        .post(`/tickets/${id}/close-unreproducible`)
        .set(stack.as('first_line'))
        .send({ text: 'Не воспроизводится.' }),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const [won, lost] = a.status === 200 ? [a, b] : [b, a];
    expect(lost.body).toMatchObject({ type: '/problems/conflict', code: 'invalid_status' });
    expect(lost.body.detail).toContain(won.body.ticket.statusLabel);
    const live = await env.client.workflow.getHandle(id).query(ticketQuery);
    expect(live.status).toBe(won.body.ticket.status);
    const outcomes = (await ticketEventsOf(stack.db.db, id)).filter(
      (e) => e.type === 'resolved' || e.type === 'closed',
    );
    expect(outcomes).toHaveLength(1);
  });

  it('a request retried with the same Idempotency-Key (the Update ID) applies once', async () => {
    const id = (await create()).body.id as string;
    const send = () =>
      request(stack.app)
        .post(`/tickets/${id}/comment`)
        .set(stack.as('first_line'))
        .set('Idempotency-Key', 'call-7')
        .send({ text: 'Позвонил инициатору' });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ duplicate: false, events: [{ type: 'commented' }] });
    expect(again.status).toBe(200);
    expect(again.body.commandId).toBe(first.body.commandId);
    expect((await ticketEventsOf(stack.db.db, id)).filter((e) => e.type === 'commented')).toHaveLength(1);
  });

  it('…and across continue-as-new: the command id is carried to the next run', async () => {
    const id = `ID-WF-UPD-${Date.now()}`;
    const operator = { kind: 'operator' as const, id: 'op', name: 'Оператор', role: 'first_line' };
    const handle = await env.client.workflow.start(ticketWorkflow, {
      workflowId: id,
      taskQueue: stack.taskQueue,
      args: [
        {
          open: {
            ticketId: id,
            regulation: { id: 'primorye', version: '2023-04-20' },
            channel: 'phone',
            receivedAt: new Date().toISOString(),
            requestType: 'incident',
            intake: phoneIncident,
          },
          initialCommands: [{ type: 'register', by: operator }],
          options: { historyBudget: 40 },
        },
      ],
    });
    const firstRun = (await handle.describe()).runId;
    const call = { type: 'comment' as const, by: operator, text: 'Позвонил инициатору', commandId: 'call-8' };
    expect((await stack.gateway.execute(id, call)).duplicate).toBe(false);
    for (let i = 0; i < 20 && (await handle.describe()).runId === firstRun; i++) {
      await stack.gateway.execute(id, { ...call, text: `Заметка ${i}`, commandId: `note-${i}` });
    }
    const latest = await eventually(
      () => handle.describe(),
      (d) => d.runId !== firstRun,
    );
    expect(latest.runId).not.toBe(firstRun);
    // The same id again, in the new run (a new Update ID, as after a client restart): applied once.
    const retried = await env.client.workflow
      .getHandle(id)
      .executeUpdate(executeUpdate, { args: [call], updateId: 'call-8-retry' });
    expect(retried.duplicate).toBe(true);
    const live = await env.client.workflow.getHandle(id).query(ticketQuery);
    expect(live.log.filter((e) => e.type === 'commented' && e.text === 'Позвонил инициатору')).toHaveLength(
      1,
    );
    await stack.gateway.execute(id, {
      type: 'reject',
      by: operator,
      reason: 'unclear_task',
      commandId: 'end',
    });
  });
});
