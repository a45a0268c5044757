/**
 * Temporal stopped mid-session and a server that lost every workflow, with a real server process
 * (TEMPORAL_TEST_SERVER_PATH, started standalone here so it can be stopped): the API answers 503 at
 * once and recovers; the reconciler flags the orphaned tickets; restore brings every clock back.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import request from 'supertest';
import { freePort } from '../../db/embedded';
import { findTicket } from '../../db/repositories/tickets';
import { ensureSearchAttributes } from '../../worker/searchAttributes';
import { requestConnectionOptions } from '../../workflows/client';
import { reconcileOnce } from '../../worker/reconciler';
import { eventually, phoneIncident, probe, startApiStack, type ApiStack } from './support';

const launcher = process.env.TEMPORAL_TEST_SERVER_PATH;
/** A server this suite can stop and start again: the time-skipping server's binary, run standalone. */
const describeWithServerBinary = probe.mode !== 'none' && launcher ? describe : describe.skip;

describeWithServerBinary('Temporal stopped mid-session, and workflows lost', () => {
  let port: number;
  let server: ChildProcess;
  let connection: Connection;
  let native: NativeConnection;
  let stack: ApiStack;

  async function startServer(): Promise<void> {
    server = spawn(launcher!, [String(port)], { stdio: 'ignore' });
    await eventually(
      async () => {
        const c = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1_000 });
        await c.close();
        return true;
      },
      (ok) => ok,
    );
  }

  async function stopServer(): Promise<void> {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    port = await freePort();
    await startServer();
    connection = await Connection.connect(requestConnectionOptions(`127.0.0.1:${port}`));
    await ensureSearchAttributes(connection, 'default');
    native = await NativeConnection.connect({ address: `127.0.0.1:${port}` });
    stack = await startApiStack(
      { client: new Client({ connection }), nativeConnection: native },
      { timeoutMs: 2_000 },
    );
  }, 60_000);

  afterAll(async () => {
    await stack?.stop();
    await native?.close();
    await connection?.close();
    if (server && server.exitCode === null) await stopServer();
  }, 60_000);

  it('503 with Retry-After while Temporal is down; the read model still answers; then the lost workflows are flagged and restored with every clock', async () => {
    const as = stack.as;
    const created = await request(stack.app).post('/tickets').set(as('first_line')).send(phoneIncident);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await request(stack.app)
      .post(`/tickets/${id}/assign`)
      .set(as('first_line'))
      .send({ assignee: { id: 'ivanov', name: 'Иванов' } });
    // п. 3.2: the resolution clock paused, the no-response clock running.
    const asked = await request(stack.app)
      .post(`/tickets/${id}/request-info`)
      .set(as('first_line'))
      .send({ question: 'Пришлите скриншот ошибки' });
    expect(asked.body.ticket.status).toBe('awaiting_reply');
    const before = (await request(stack.app).get(`/tickets/${id}`).set(as('manager'))).body;

    await stopServer();
    const command = await request(stack.app)
      .post(`/tickets/${id}/comment`)
      .set(as('first_line'))
      .send({ text: 'Позвонил инициатору' });
    expect(command.status).toBe(503);
    expect(command.headers['retry-after']).toBe('5');
    expect(command.body.code).toBe('temporal_unavailable');
    expect((await request(stack.app).post('/tickets').set(as('first_line')).send(phoneIncident)).status).toBe(
      503,
    );
    const ready = await request(stack.app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ database: { ok: true }, temporal: { ok: false } });
    // Reading does not need Temporal.
    expect((await request(stack.app).get(`/tickets/${id}`).set(as('manager'))).status).toBe(200);
    // Temporal away says nothing about the workflows: nothing is flagged.
    expect((await reconcileOnce(stack.db.db, stack.gateway)).missing).toEqual([]);

    // The server comes back empty, as after a lost namespace.
    await startServer();
    await ensureSearchAttributes(connection, 'default');
    await eventually(
      () => request(stack.app).get('/readyz'),
      (r) => r.status === 200,
    );
    const lost = await request(stack.app)
      .post(`/tickets/${id}/comment`)
      .set(as('first_line'))
      .send({ text: 'Позвонил инициатору' });
    expect(lost.status).toBe(409);
    expect(lost.body.code).toBe('workflow_missing');
    expect((await reconcileOnce(stack.db.db, stack.gateway)).missing).toContain(id);
    expect(await findTicket(stack.db.db, id)).toMatchObject({ workflowMissing: true });

    const restored = await request(stack.app).post(`/tickets/${id}/restore`).set(as('admin'));
    expect(restored.status).toBe(200);
    const after = (await request(stack.app).get(`/tickets/${id}`).set(as('manager'))).body;
    expect(after).toMatchObject({ status: 'awaiting_reply', workflowMissing: false });
    expect(after.deadlines).toEqual(before.deadlines);
    expect(
      after.clocks.map((c: { name: string; state: string; pauses: unknown }) => [c.name, c.state, c.pauses]),
    ).toEqual(
      before.clocks.map((c: { name: string; state: string; pauses: unknown }) => [c.name, c.state, c.pauses]),
    );
    // The restored workflow takes commands: the initiator's answer, then work resumes.
    const reply = await eventually(
      () =>
        request(stack.app)
          .post(`/tickets/${id}/reply`)
          .set(as('first_line'))
          .set('Idempotency-Key', 'reply-after-restore')
          .send({ text: 'Скриншот во вложении' }),
      (r) => r.status === 200,
    );
    expect(reply.status).toBe(200);
    const resumed = await request(stack.app).post(`/tickets/${id}/resume`).set(as('first_line')).send({});
    expect(resumed.body.ticket).toMatchObject({ status: 'in_progress' });
  }, 120_000);
});
