/**
 * The API's flows against a real Temporal server and a real worker (the API tests use an in-process
 * gateway where no server can be obtained): create by phone, command, read model, refusals.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { createMetrics } from '../../api/metrics';
import { createApiKey } from '../../db/repositories/apiKeys';
import { findTicket } from '../../db/repositories/tickets';
import { TemporalGateway } from '../../workflows/client';
import { testDatabase } from '../support/database';
import { createEnvironment, describeWithTemporal, workflowBundle } from './support';

describeWithTemporal('API against a real Temporal server', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let worker: Worker;
  let running: Promise<void>;
  let key: string;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    env = await createEnvironment();
    db = await testDatabase();
    const taskQueue = `api-${Date.now()}`;
    const { Worker: W } = await import('@temporalio/worker');
    worker = await W.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createActivities({
        db: db.db,
        mail: {
          transport: null,
          settings: {
            from: 'Desk <help@dprim.ru>',
            domain: 'dprim.ru',
            instance: 'r1',
            roles: { managers: [], regional: [], federal: [] },
            automaticPerHour: 100,
          },
        },
      }),
    });
    running = worker.run();
    const gateway = new TemporalGateway(env.client, { taskQueue, namespace: env.namespace ?? 'default' });
    app = createApp(
      {
        db: db.db,
        gateway,
        now: Date.now,
        defaultRegulation: 'primorye',
        regulationSettings: { primorye: {}, epgu: {} },
        temporalLink: () => null,
        metrics: createMetrics(db.db),
        dispatcher: null,
        log: () => undefined,
      },
      { rateLimitPerMinute: 10_000, version: 'test' },
    );
    key = (await createApiKey(db.db, { name: 'op', role: 'first_line' })).key;
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await db?.drop();
    await env?.teardown();
  });

  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const v = await read();
      if (ok(v)) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    return read();
  }

  it('creates a phone request, registers it through the workflow and applies commands', async () => {
    const auth = { Authorization: `Bearer ${key}` };
    const created = await request(app)
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
      () => findTicket(db.db, id),
      (r) => r?.status === 'in_progress',
    );
    expect(row).toMatchObject({ status: 'in_progress', assigneeId: 'ivanov' });
    const live = await request(app).get(`/tickets/${id}/live`).set(auth);
    expect(live.body).toMatchObject({ id, status: 'in_progress' });
    const refused = await request(app)
      .post(`/tickets/${id}/close-unreproducible`)
      .set(auth)
      .send({ text: 'x' });
    expect(refused.status).toBe(409);
    expect(
      (await request(app).post(`/tickets/${id}/resolve`).set(auth).send({ text: 'Инструкция во вложении' }))
        .status,
    ).toBe(200);
    expect(
      await eventually(
        () => findTicket(db.db, id),
        (r) => r?.status === 'done',
      ),
    ).toMatchObject({ status: 'done' });
  });
});
