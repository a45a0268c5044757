/**
 * The console's side of the API: people's sign-in (scrypt, lock-out, httpOnly SameSite cookie, CSRF
 * on writes), the same roles and organisation scope as API keys, saved views, the actions the
 * regulation allows now, and the live feed from PostgreSQL NOTIFY.
 */
import http from 'node:http';
import request from 'supertest';
import { createUser, LOCKOUT } from '../../db/repositories/users';
import { phoneIncident, startApi, type Api } from './harness';
import { until } from '../support/until';

let api: Api;
beforeAll(async () => {
  api = await startApi();
  await createUser(api.db.db, {
    login: 'lina',
    name: 'Лина',
    role: 'first_line',
    password: 'первая-линия-1',
  });
  await createUser(api.db.db, {
    login: 'scoped',
    name: 'Бубль',
    role: 'first_line',
    organizationId: 'bubble',
    password: 'первая-линия-2',
  });
});
afterAll(() => api.close());

async function signIn(login: string, password: string) {
  const res = await api.http().post('/session').send({ login, password });
  const cookie = String(res.headers['set-cookie']);
  return { res, cookie: cookie.split(';')[0]!, csrf: res.body.csrfToken as string };
}

test('sign-in sets an httpOnly SameSite=Strict session cookie; the password is stored as scrypt only', async () => {
  const { res } = await signIn('lina', 'первая-линия-1');
  expect(res.status).toBe(200);
  expect(String(res.headers['set-cookie'])).toMatch(
    /rgl_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict/,
  );
  expect(res.body.user).toMatchObject({ login: 'lina', role: 'first_line', organizationId: null });
  const stored = await api.db.pool.query(`select password_hash from users where login = 'lina'`);
  expect(stored.rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  expect(stored.rows[0].password_hash).not.toContain('первая');
});

test(`${LOCKOUT.attempts} failures in a row lock the account; the right password is refused while locked`, async () => {
  await createUser(api.db.db, {
    login: 'victim',
    name: 'Жертва',
    role: 'first_line',
    password: 'правильный-пароль',
  });
  for (let i = 0; i < LOCKOUT.attempts - 1; i++)
    expect((await signIn('victim', 'неправильный')).res.status).toBe(401);
  const locked = (await signIn('victim', 'неправильный')).res;
  expect(locked.status).toBe(403);
  expect(locked.body.detail).toContain('заблокирована');
  expect((await signIn('victim', 'правильный-пароль')).res.status).toBe(403);
});

test('cookie-authenticated writes need the CSRF token; reads do not', async () => {
  const { cookie, csrf } = await signIn('lina', 'первая-линия-1');
  const created = await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident);
  const id = created.body.id as string;
  expect((await api.http().get(`/tickets/${id}`).set('Cookie', cookie)).status).toBe(200);
  const forged = await api.http().post(`/tickets/${id}/comment`).set('Cookie', cookie).send({ text: 'x' });
  expect(forged.status).toBe(403);
  expect(forged.body.code).toBe('csrf');
  const ok = await api
    .http()
    .post(`/tickets/${id}/comment`)
    .set('Cookie', cookie)
    .set('X-CSRF-Token', csrf)
    .send({ text: 'Заметка', visibility: 'internal' });
  expect(ok.status).toBeLessThan(300);
});

test('a signed-in person has the role and scope of their account: another organisation’s ticket does not exist', async () => {
  const other = await api
    .http()
    .post('/tickets')
    .set(api.as('first_line'))
    .send({ ...phoneIncident, initiator: { ...phoneIncident.initiator, organizationId: 'other' } });
  const { cookie } = await signIn('scoped', 'первая-линия-2');
  expect((await api.http().get(`/tickets/${other.body.id}`).set('Cookie', cookie)).status).toBe(404);
  const list = await api.http().get('/tickets').set('Cookie', cookie);
  expect(list.body.items.every((t: { organizationId: string }) => t.organizationId === 'bubble')).toBe(true);
  expect((await api.http().get('/users').set('Cookie', cookie)).status).toBe(403);
});

test('GET /tickets/:id/actions: what decide() allows this person now, with the Russian reason for the rest (п. 2.4, 3.2)', async () => {
  const created = await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident);
  const res = await api.http().get(`/tickets/${created.body.id}/actions`).set(api.as('first_line'));
  const by = Object.fromEntries(res.body.items.map((a: { command: string }) => [a.command, a]));
  expect(by.assign).toMatchObject({ allowed: true, path: 'assign' });
  expect(by.resolve.allowed).toBe(false);
  expect(by.resolve.refusal.message).toMatch(/[А-Яа-я]/);
});

test('GET /people: whom an assignment can name (п. 1): active people with login, name and role, no e-mail; an organisation sees its own', async () => {
  const all = await api.http().get('/people').set(api.as('first_line'));
  expect(all.status).toBe(200);
  expect(all.body.items).toEqual(
    expect.arrayContaining([
      { login: 'lina', name: 'Лина', role: 'first_line', organizationId: null },
      { login: 'scoped', name: 'Бубль', role: 'first_line', organizationId: 'bubble' },
    ]),
  );
  const { cookie } = await signIn('scoped', 'первая-линия-2');
  const own = await api.http().get('/people').set('Cookie', cookie);
  expect(own.body.items.map((p: { login: string }) => p.login)).toEqual(['scoped']);
});

test('saved views are per person', async () => {
  const lina = await signIn('lina', 'первая-линия-1');
  const saved = await api
    .http()
    .post('/views')
    .set('Cookie', lina.cookie)
    .set('X-CSRF-Token', lina.csrf)
    .send({ name: 'Мои просроченные', filters: { mine: '1', breached: '1' } });
  expect(saved.status).toBe(201);
  expect((await api.http().get('/views').set('Cookie', lina.cookie)).body.items).toEqual([
    { id: saved.body.id, name: 'Мои просроченные', filters: { mine: '1', breached: '1' } },
  ]);
  const other = await signIn('scoped', 'первая-линия-2');
  expect((await api.http().get('/views').set('Cookie', other.cookie)).body.items).toEqual([]);
});

test('GET /events streams each change of the read model (NOTIFY), only the principal’s organisation', async () => {
  const server = http.createServer(api.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const { cookie } = await signIn('scoped', 'первая-линия-2');
  const received: string[] = [];
  const req = http.get({ host: '127.0.0.1', port, path: '/events', headers: { Cookie: cookie } });
  const opened = new Promise<http.IncomingMessage>((r) => req.on('response', r));
  const res = await opened;
  expect(res.headers['content-type']).toContain('text/event-stream');
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => received.push(chunk));
  // Subscribed before the headers; the stream's first words say it is connected.
  await until('the stream to say it is connected', () => received.join('').includes(': connected'));
  const theirs = await request(server)
    .post('/tickets')
    .set(api.as('first_line'))
    .send({ ...phoneIncident, initiator: { ...phoneIncident.initiator, organizationId: 'other' } });
  const ours = await request(server).post('/tickets').set(api.as('first_line')).send(phoneIncident);
  await until('our ticket’s change on the stream', () => received.join('').includes(ours.body.id));
  const stream = received.join('');
  expect(stream).toContain(`"id":"${ours.body.id}"`);
  expect(stream).not.toContain(theirs.body.id);
  req.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});
