/**
 * Issue «operator commands that tell the truth», through the gateway interface without Temporal:
 * honest outages, tickets whose workflow is lost, and what a new user found in the API.
 */
import { sql } from 'drizzle-orm';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { close, listen } from '../../api/server';
import { connectDatabase } from '../../db/client';
import { storeInbound } from '../../db/repositories/inbox';
import { findTicket } from '../../db/repositories/tickets';
import { reconcileOnce } from '../../worker/reconciler';
import { phoneIncident, startApi, type Api } from './harness';

describe('API: every answer is the ticket’s real state', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const create = (body: object = phoneIncident) =>
    api.http().post('/tickets').set(api.as('first_line')).send(body);

  describe('outages', () => {
    afterEach(() => {
      api.gateway.down = false;
    });

    it('Temporal away: a command and a new ticket get 503 with Retry-After, never a 500; then it works again', async () => {
      const id = (await create()).body.id;
      api.gateway.down = true;
      const command = await api
        .http()
        .post(`/tickets/${id}/assign`)
        .set(api.as('first_line'))
        .send({ assignee: { id: 'ivanov', name: 'Иванов' } });
      expect(command.status).toBe(503);
      expect(command.headers['retry-after']).toBe('5');
      expect(command.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(command.body).toMatchObject({ code: 'temporal_unavailable', status: 503 });
      const opened = await create();
      expect(opened.status).toBe(503);
      api.gateway.down = false;
      const again = await api
        .http()
        .post(`/tickets/${id}/assign`)
        .set(api.as('first_line'))
        .send({ assignee: { id: 'ivanov', name: 'Иванов' } });
      expect(again.status).toBe(200);
    });

    it('the database away: 503 with Retry-After, never a 500', async () => {
      const gone = connectDatabase('postgres://nobody:nothing@127.0.0.1:1/none', { max: 1 });
      const app = createApp({ ...api.ctx, db: gone.db }, { rateLimitPerMinute: 1000, version: 'test' });
      const { default: request } = await import('supertest');
      const res = await request(app).get('/tickets/ID100001').set(api.as('manager'));
      // The key cannot be looked up either: the database is what is missing, said as such.
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.code).toBe('database_unavailable');
      await gone.close();
    });
  });

  describe('a ticket whose workflow is lost (a reset namespace)', () => {
    it('a command says so (409 workflow_missing) and flags it; the queue, the ticket and /metrics show it; restore brings every clock back', async () => {
      const id = (await create({ ...phoneIncident, assignee: { id: 'ivanov', name: 'Иванов' } })).body.id;
      const before = (await api.http().get(`/tickets/${id}`).set(api.as('manager'))).body;
      api.gateway.forget(id);
      const refused = await api
        .http()
        .post(`/tickets/${id}/comment`)
        .set(api.as('first_line'))
        .send({ text: 'Позвонил инициатору' });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('workflow_missing');
      expect(refused.body.detail).toContain(`POST /tickets/${id}/restore`);
      const detail = (await api.http().get(`/tickets/${id}`).set(api.as('manager'))).body;
      expect(detail).toMatchObject({ workflowMissing: true, workflowProblem: 'not found' });
      const queue = await api
        .http()
        .get('/tickets')
        .query({ workflowMissing: 'true' })
        .set(api.as('manager'));
      expect(queue.body.items.map((t: { id: string }) => t.id)).toEqual([id]);
      expect((await api.http().get('/metrics').set(api.as('manager'))).text).toMatch(
        /reglament_tickets_workflow_missing 1/,
      );

      expect((await api.http().post(`/tickets/${id}/restore`).set(api.as('manager'))).status).toBe(403);
      const restored = await api.http().post(`/tickets/${id}/restore`).set(api.as('admin'));
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ id, workflowMissing: false, status: 'in_progress' });
      const after = (await api.http().get(`/tickets/${id}`).set(api.as('manager'))).body;
      // п. 3.1.2: the 60-hour clock goes on from where it was.
      expect(after.deadlines).toEqual(before.deadlines);
      expect(after.clocks).toEqual(before.clocks);
      const comment = await api
        .http()
        .post(`/tickets/${id}/comment`)
        .set(api.as('first_line'))
        .send({ text: 'Позвонил инициатору' });
      expect(comment.status).toBe(200);
      expect((await api.http().post(`/tickets/${id}/restore`).set(api.as('admin'))).body.code).toBe(
        'nothing_to_restore',
      );
    });

    it('the reconciler flags open tickets without a workflow and clears the flag once it runs again', async () => {
      const lost = (await create()).body.id;
      const kept = (await create()).body.id;
      api.gateway.forget(lost);
      const round = await reconcileOnce(api.db.db, api.gateway);
      expect(round.missing).toContain(lost);
      expect(round.missing).not.toContain(kept);
      expect(await findTicket(api.db.db, lost)).toMatchObject({ workflowMissing: true });
      expect(await findTicket(api.db.db, kept)).toMatchObject({ workflowMissing: false });
      await api.http().post(`/tickets/${lost}/restore`).set(api.as('admin'));
      await reconcileOnce(api.db.db, api.gateway);
      expect(await findTicket(api.db.db, lost)).toMatchObject({ workflowMissing: false });
    });

    it('issue #21: a pass that finds every workflow running writes nothing', async () => {
      await create();
      await create();
      await reconcileOnce(api.db.db, api.gateway);
      const versions = async () =>
        (
          await api.db.db.execute<{ id: string; v: string }>(
            sql`select id, xmin::text as v from tickets order by id`,
          )
        ).rows;
      const before = await versions();
      expect(before.length).toBeGreaterThan(1);
      const round = await reconcileOnce(api.db.db, api.gateway);
      expect(round.checked).toBeGreaterThan(1);
      expect(round.missing).toEqual([]);
      // Same row versions: no ticket was rewritten.
      expect(await versions()).toEqual(before);
    });

    it('Temporal away says nothing about workflows: the reconciler flags nothing', async () => {
      const id = (await create()).body.id;
      api.gateway.down = true;
      const round = await reconcileOnce(api.db.db, api.gateway);
      api.gateway.down = false;
      expect(round.missing).toEqual([]);
      expect(await findTicket(api.db.db, id)).toMatchObject({ workflowMissing: false });
    });
  });

  describe('what a new user found', () => {
    it('raw UTF-8 in the URL gets a problem+json 400 that says how to encode it', async () => {
      const server = await listen(api.app, '127.0.0.1', 0);
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(Buffer.from('GET /tickets?q=баллы HTTP/1.1\r\nHost: x\r\n\r\n')),
        );
        let text = '';
        socket.on('data', (d) => (text += d.toString()));
        socket.on('close', () => resolve(text));
      });
      await close(server);
      expect(answer).toMatch(/^HTTP\/1\.1 400/);
      expect(answer).toContain('application/problem+json');
      expect(answer).toContain('--data-urlencode');
    });

    it('POST /tickets and /register name the type the same way: requestType', async () => {
      const res = await create({ ...phoneIncident, requestType: 'information' });
      expect(res.body.type).toBe('information');
      const old = await create({ ...phoneIncident, requestType: undefined, type: 'incident' });
      expect(old.status).toBe(400);
      expect(old.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
    });

    it('seed 003 п. 3.2.1, 3.2.4.2: the regional service fixes an appeal; a ticket kind is refused, not turned into an appeal', async () => {
      const res = await api
        .http()
        .post('/tickets')
        .set(api.as('regional_operator'))
        .send({
          regulation: 'epgu',
          requestType: 'incident',
          description: 'Не отправляется заявление',
          initiator: { fullName: 'Смирнов Алексей Викторович' },
        });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_type');
    });

    it('a time of receipt from 1970 is refused', async () => {
      const res = await create({ ...phoneIncident, receivedAt: '1970-01-01T00:00:00Z' });
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('не раньше');
    });

    it('the status filter takes every status at once, and names an unknown one', async () => {
      const all =
        'received,new,in_progress,awaiting_reply,done,closed,rejected,forwarded,returned,assigned,pending,solved';
      expect((await api.http().get('/tickets').query({ status: all }).set(api.as('manager'))).status).toBe(
        200,
      );
      const bad = await api.http().get('/tickets').query({ status: 'new,lost' }).set(api.as('manager'));
      expect(bad.status).toBe(400);
      expect(bad.body.detail).toContain('lost');
    });

    it('SLA report groups by organisation ID (groupBy=organization), with the name as label', async () => {
      await create({
        ...phoneIncident,
        initiator: { ...phoneIncident.initiator, organization: 'Бубль Гум' },
      });
      const res = await api
        .http()
        .get('/reports/sla')
        .query({ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z', groupBy: 'organization' })
        .set(api.as('manager'));
      expect(res.status).toBe(200);
      expect(res.body.groups.filter((g: { group: string }) => g.group === 'bubble')).toHaveLength(1);
    });

    it('п. 2.3.1.6: an acknowledgement answers the initiator’s message (In-Reply-To); outgoing mail filters by ticket', async () => {
      const inboxId = await storeInbound(api.db.db, {
        envelopeFrom: 'petrov@bubblegum.ru',
        envelopeTo: ['help@dprim.ru'],
        remoteAddress: null,
        raw: Buffer.from(
          'From: Петров <petrov@bubblegum.ru>\r\nTo: help@dprim.ru\r\nSubject: Не формируется отчёт\r\n' +
            'Message-ID: <request-42@bubblegum.ru>\r\n\r\nНе формируется отчёт.\r\n\r\nФИО: Петров Петр Петрович\r\n«Бубль-Гум»\r\n',
        ),
      });
      while ((await api.ctx.dispatcher!.dispatchOnce()) > 0);
      const ticketId = (
        await api.db.db.execute<{ ticket_id: string }>(`select ticket_id from inbox where id = ${inboxId}`)
      ).rows[0]!.ticket_id;
      // п. 2.4: the first line registers it; the initiator is told the ID.
      const registered = await api
        .http()
        .post(`/tickets/${ticketId}/register`)
        .set(api.as('first_line'))
        .send({ requestType: 'incident' });
      expect(registered.status).toBe(200);
      const out = await api.http().get('/mail/outgoing').query({ ticketId }).set(api.as('manager'));
      expect(out.body.items.length).toBeGreaterThan(0);
      expect(out.body.items.every((m: { ticketId: string }) => m.ticketId === ticketId)).toBe(true);
      expect(
        out.body.items.find((m: { template: string }) => m.template === 'acknowledgement'),
      ).toMatchObject({
        inReplyTo: '<request-42@bubblegum.ru>',
      });
    });
  });
});
