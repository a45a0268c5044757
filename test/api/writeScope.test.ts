/**
 * Issue #18, findings 2, 3, 5 and 9: what a write names is checked against the actor's scope.
 * Organisation A (org-a, domain org-a.ru) and B (org-b, domain org-b.ru), keys of each and of the
 * whole installation, through the real app over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createApiKey } from '../../db/repositories/apiKeys';
import { finishInbound, storeInbound } from '../../db/repositories/inbox';
import { authorizedPersons, inbox, organizations, tickets } from '../../db/schema';
import type { Role } from '../../domain';
import { phoneIncident, startApi, type Api } from './harness';

const A = 'org-a';
const B = 'org-b';

let api: Api;
const key = {} as Record<`${'a' | 'b'}:${Role}`, string>;
const as = (k: string) => ({ Authorization: `Bearer ${k}` });

const incidentOf = (org: string) => ({
  ...phoneIncident,
  initiator: {
    fullName: 'Петров Петр Петрович',
    email: `petrov@${org}.ru`,
    organization: org,
    organizationId: org,
  },
});

async function ticketOf(org: string, register = true): Promise<string> {
  const res = await api
    .http()
    .post('/tickets')
    .set(api.as('admin'))
    .send({ ...incidentOf(org), register });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

const organizationOf = async (id: string) =>
  (await api.db.db.select().from(tickets).where(eq(tickets.id, id)))[0]?.organizationId;

beforeAll(async () => {
  api = await startApi();
  await api.db.db.insert(organizations).values([
    { id: A, name: 'Организация А', domains: ['org-a.ru'] },
    { id: B, name: 'Организация Б', domains: ['org-b.ru'] },
  ]);
  for (const role of ['first_line', 'manager', 'admin'] as const) {
    key[`a:${role}`] = (await createApiKey(api.db.db, { name: `A ${role}`, role, organizationId: A })).key;
    key[`b:${role}`] = (await createApiKey(api.db.db, { name: `B ${role}`, role, organizationId: B })).key;
  }
});

afterAll(() => api.close());

describe('finding 2: an organisation-scoped actor cannot move a ticket into another organisation', () => {
  it('a reply whose fields name another organisation is refused (403) and the ticket stays A’s', async () => {
    const id = await ticketOf(A);
    const res = await api
      .http()
      .post(`/tickets/${id}/reply`)
      .set(as(key['a:first_line']))
      .send({ text: 'x', fields: { initiator: { organizationId: B } } });
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'organization_scope' });
    expect(await organizationOf(id)).toBe(A);
    expect((await api.http().get(`/tickets/${id}`).set(as(key['a:first_line']))).status).toBe(200);
    expect((await api.http().get(`/tickets/${id}`).set(as(key['b:first_line']))).status).toBe(404);
  });

  it('even the whole installation’s key changes the organisation only by the explicit command', async () => {
    const id = await ticketOf(A, false);
    for (const command of ['reply', 'register'] as const) {
      const res = await api
        .http()
        .post(`/tickets/${id}/${command}`)
        .set(api.as('admin'))
        .send({ ...(command === 'reply' && { text: 'x' }), fields: { initiator: { organizationId: B } } });
      expect({ command, status: res.status, code: res.body.code }).toEqual({
        command,
        status: 409,
        code: 'organization_change',
      });
    }
    expect(await organizationOf(id)).toBe(A);
  });

  it('new tickets, the form check and addresses of another organisation are refused to a scoped key', async () => {
    const named = await api.http().post('/tickets').set(as(key['a:first_line'])).send(incidentOf(B));
    expect(named.status).toBe(403);
    const address = await api
      .http()
      .post('/tickets')
      .set(as(key['a:first_line']))
      .send({ ...incidentOf(A), initiator: { ...incidentOf(A).initiator, email: 'boss@org-b.ru' } });
    expect(address.status).toBe(403);
    expect(address.body.code).toBe('organization_scope');
    const check = await api
      .http()
      .post('/tickets/check')
      .set(as(key['a:first_line']))
      .send({ ...incidentOf(B) });
    expect(check.status).toBe(403);
  });

  it('a supervisor of the whole installation moves it with a reason that appears in the timeline', async () => {
    const id = await ticketOf(A);
    const offered = async (k: Record<string, string>) =>
      ((await api.http().get(`/tickets/${id}/actions`).set(k)).body.items as { command: string }[]).some(
        (a) => a.command === 'changeOrganization',
      );
    expect(await offered(as(key['a:manager']))).toBe(false);
    expect(await offered(api.as('manager'))).toBe(true);
    const scoped = await api
      .http()
      .post(`/tickets/${id}/change-organization`)
      .set(as(key['a:manager']))
      .send({ organizationId: A, reason: 'проверка' });
    expect(scoped.status).toBe(403);
    const firstLine = await api
      .http()
      .post(`/tickets/${id}/change-organization`)
      .set(api.as('first_line'))
      .send({ organizationId: B, reason: 'Ошибка регистрации' });
    expect(firstLine.status).toBe(409);
    expect(firstLine.body.detail).toMatch(/администратор или руководитель/);
    const unknown = await api
      .http()
      .post(`/tickets/${id}/change-organization`)
      .set(api.as('manager'))
      .send({ organizationId: 'nowhere', reason: 'Ошибка регистрации' });
    expect(unknown.status).toBe(422);
    const moved = await api
      .http()
      .post(`/tickets/${id}/change-organization`)
      .set(api.as('manager'))
      .send({ organizationId: B, reason: 'Инициатор — сотрудник организации Б' });
    expect(moved.status).toBe(200);
    expect(moved.body.events).toMatchObject([
      { type: 'organizationChanged', from: A, to: B, reason: 'Инициатор — сотрудник организации Б' },
    ]);
    expect(await organizationOf(id)).toBe(B);
    expect((await api.http().get(`/tickets/${id}`).set(as(key['a:first_line']))).status).toBe(404);
    const history = await api.http().get(`/tickets/${id}/history`).set(as(key['b:first_line']));
    expect(history.body.events.at(-1)).toMatchObject({
      type: 'organizationChanged',
      reason: 'Инициатор — сотрудник организации Б',
      organization: 'Организация Б',
    });
  });
});

describe('finding 3: an authorised person’s address on another organisation’s domain', () => {
  it('is refused to B’s manager and to the whole installation’s', async () => {
    const scoped = await api
      .http()
      .post(`/organizations/${B}/persons`)
      .set(as(key['b:manager']))
      .send({ fullName: 'Захватчик', email: 'staff@org-a.ru' });
    expect(scoped.status).toBe(403);
    const global = await api
      .http()
      .post(`/organizations/${B}/persons`)
      .set(api.as('manager'))
      .send({ fullName: 'Захватчик', email: 'staff@org-a.ru' });
    expect(global.status).toBe(409);
    expect(global.body).toMatchObject({ code: 'foreign_domain' });
    expect(
      await api.db.db.select().from(authorizedPersons).where(eq(authorizedPersons.email, 'staff@org-a.ru')),
    ).toEqual([]);
    const own = await api
      .http()
      .post(`/organizations/${B}/persons`)
      .set(as(key['b:manager']))
      .send({ fullName: 'Своя', email: 'chief@org-b.ru' });
    expect(own.status).toBe(201);
  });

  it('a person of B on file with an address on A’s domain does not route A’s mail to B', async () => {
    // Recorded before the check existed: the domain's organisation wins over it.
    await api.db.db
      .insert(authorizedPersons)
      .values({ id: 'p-legacy', organizationId: B, fullName: 'Старая запись', email: 'clerk@org-a.ru' });
    const id = await storeInbound(api.db.db, {
      envelopeFrom: 'clerk@org-a.ru',
      envelopeTo: ['help@dprim.ru'],
      remoteAddress: '127.0.0.1',
      raw: Buffer.from(
        `From: clerk@org-a.ru\r\nTo: help@dprim.ru\r\nSubject: Не работает модуль\r\nMessage-ID: <${randomUUID()}@org-a.ru>\r\n\r\nФИО: Клерк Иван Иванович\r\nНе открывается отчёт.\r\n`,
      ),
    });
    while ((await api.ctx.dispatcher!.dispatchOnce()) > 0);
    const [row] = await api.db.db.select().from(inbox).where(eq(inbox.id, id));
    expect(row!.ticketId).toBeTruthy();
    expect(await organizationOf(row!.ticketId!)).toBe(A);
  });
});

describe('finding 5: a held message is released only into the releaser’s organisation', () => {
  async function held(from: string, organizationId: string | null): Promise<number> {
    const id = await storeInbound(api.db.db, {
      envelopeFrom: from,
      envelopeTo: ['help@dprim.ru'],
      remoteAddress: '127.0.0.1',
      raw: Buffer.from(
        `From: ${from}\r\nTo: help@dprim.ru\r\nSubject: held\r\nMessage-ID: <${randomUUID()}@mail>\r\n\r\nтекст\r\n`,
      ),
    });
    await finishInbound(api.db.db, id, 'held', 'held: test');
    await api.db.db.update(inbox).set({ organizationId }).where(eq(inbox.id, id));
    return id;
  }

  it('B’s key cannot release A’s person’s message as a new ticket, even when it is attributed to B', async () => {
    const id = await held('person@org-a.ru', B);
    const res = await api
      .http()
      .post(`/inbox/${id}/release`)
      .set(as(key['b:first_line']))
      .send({ action: 'new' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'organization_scope' });
    const [row] = await api.db.db.select().from(inbox).where(eq(inbox.id, id));
    expect(row).toMatchObject({ status: 'held', ticketId: null });
    const ofA = await held('person@org-a.ru', A);
    expect(
      (await api.http().post(`/inbox/${ofA}/release`).set(as(key['b:first_line'])).send({ action: 'new' }))
        .status,
    ).toBe(404);
  });

  it('A’s key releases A’s message into A', async () => {
    const id = await held('person@org-a.ru', A);
    const res = await api
      .http()
      .post(`/inbox/${id}/release`)
      .set(as(key['a:first_line']))
      .send({ action: 'new' });
    expect(res.status).toBe(200);
    expect(await organizationOf(res.body.ticketId)).toBe(A);
  });
});

describe('finding 9: an assignee is one of the desk’s people who work the line', () => {
  it('a ghost with an outside address is refused in Russian; nothing is mailed to it', async () => {
    const id = (await api.http().post('/tickets').set(api.as('admin')).send(phoneIncident)).body.id;
    const res = await api
      .http()
      .post(`/tickets/${id}/assign`)
      .set(api.as('first_line'))
      .send({ assignee: { id: 'ghost', name: 'Призрак', email: 'x@evil.example' } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'unknown_assignee' });
    expect(res.body.detail).toMatch(/не найден среди сотрудников/);
    const created = await api
      .http()
      .post('/tickets')
      .set(api.as('admin'))
      .send({ ...phoneIncident, assignee: { id: 'ghost', name: 'Призрак', email: 'x@evil.example' } });
    expect(created.status).toBe(409);
    const mail = await api.http().get('/mail/outgoing').set(api.as('manager')).query({ limit: 200 });
    expect(JSON.stringify(mail.body)).not.toContain('evil.example');
  });

  it('the person on file is assigned: the name and the notice address come from the record', async () => {
    const id = (await api.http().post('/tickets').set(api.as('admin')).send(phoneIncident)).body.id;
    const res = await api
      .http()
      .post(`/tickets/${id}/assign`)
      .set(api.as('first_line'))
      .send({ assignee: { id: 'ivanov', name: 'Кто угодно', email: 'x@evil.example' } });
    expect(res.status).toBe(200);
    expect(res.body.events[0].assignee).toEqual({ id: 'ivanov', name: 'Иванов', email: 'ivanov@dprim.ru' });
    const mail = await api.http().get('/mail/outgoing').set(api.as('manager')).query({ ticketId: id });
    const notice = mail.body.items.find((m: { template: string }) => m.template === 'assigned');
    expect(notice?.to).toEqual(['ivanov@dprim.ru']);
  });

  it('escalation with an assignee: only someone of the next line', async () => {
    const id = (
      await api
        .http()
        .post('/tickets')
        .set(api.as('admin'))
        .send({ ...phoneIncident, assignee: { id: 'ivanov', name: 'Иванов' } })
    ).body.id;
    const wrongLine = await api
      .http()
      .post(`/tickets/${id}/escalate`)
      .set(api.as('first_line'))
      .send({ reason: 'Нужна вторая линия', assignee: { id: 'petrova', name: 'Петрова' } });
    expect(wrongLine.status).toBe(409);
    expect(wrongLine.body).toMatchObject({ code: 'assignee_line' });
    const ok = await api
      .http()
      .post(`/tickets/${id}/escalate`)
      .set(api.as('first_line'))
      .send({
        reason: 'Нужна вторая линия',
        assignee: { id: 'sidorov', name: 'x', email: 'x@evil.example' },
      });
    expect(ok.status).toBe(200);
    expect(ok.body.events[0].assignee).toMatchObject({ id: 'sidorov', email: 'sidorov@dprim.ru' });
  });
});
