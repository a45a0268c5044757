/**
 * The API's flows against a real Temporal server and a real worker (the API tests use an in-process
 * gateway where no server can be obtained): create by phone, command, read model, refusals.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { findTicket } from '../../db/repositories/tickets';
import { type ApiStack, createEnvironment, describeWithTemporal, eventually, startApiStack } from './support';

describeWithTemporal('API against a real Temporal server', () => {
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

  it('п. 2.4, 3.3: creates a phone request, registers it through the workflow and applies commands', async () => {
    const auth = stack.as('first_line');
    const created = await request(stack.app)
      .post('/tickets')
      .set(auth)
      .send({
        requestType: 'information',
        description: 'Как выгрузить отчёт?',
        initiator: {
          fullName: 'Тестов Тест Тестович',
          email: 'test@example.ru',
          organization: '«Бубль-Гум»',
        },
        assignee: { id: 'ivanov', name: 'Иванов' },
      });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const row = await eventually(
      () => findTicket(stack.db.db, id),
      (r) => r?.status === 'in_progress',
    );
    expect(row).toMatchObject({ status: 'in_progress', assigneeId: 'ivanov' });
    const live = await request(stack.app).get(`/tickets/${id}/live`).set(auth);
    expect(live.body).toMatchObject({ id, status: 'in_progress' });
    const refused = await request(stack.app)
      .post(`/tickets/${id}/close-unreproducible`)
      .set(auth)
      .send({ text: 'x' });
    expect(refused.status).toBe(409);
    const resolved = await request(stack.app)
      .post(`/tickets/${id}/resolve`)
      .set(auth)
      .send({ text: 'Инструкция во вложении' });
    expect(resolved.status).toBe(200);
    expect(
      await eventually(
        () => findTicket(stack.db.db, id),
        (r) => r?.status === 'done',
      ),
    ).toMatchObject({ status: 'done' });
  });
});
