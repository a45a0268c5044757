/**
 * The console's side of the API: people's sign-in (scrypt, lock-out, httpOnly SameSite cookie, CSRF
 * on writes), the same roles and organisation scope as API keys, saved views, the actions the
 * regulation allows now, and the live feed from PostgreSQL NOTIFY.
 */
import http from 'node:http';
import request from 'supertest';
import { Writable } from 'node:stream';
import { createApp } from '../../api/app';
import { main } from '../../cli/main';
import { createUser, setUserDisabled, SIGN_IN_LIMITS } from '../../db/repositories/users';
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

async function signIn(login: string, password: string, from = '127.0.0.1', app = api.app) {
  const res = await request(app).post('/session').set('X-Forwarded-For', from).send({ login, password });
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

/** Another replica: its own app on the same database (nothing shared but PostgreSQL). */
const replica = () =>
  createApp({ ...api.ctx }, { rateLimitPerMinute: 100_000, version: 'test', trustProxy: 'loopback' });

/** `reglament users …` through the CLI's entry, on the test database. */
async function usersCli(...args: string[]): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const saved = process.env.DATABASE_URL;
  process.env.DATABASE_URL = api.db.url;
  try {
    expect(await main(['users', ...args], out, out)).toBe(0);
  } finally {
    process.env.DATABASE_URL = saved;
  }
  return text;
}

describe('sign-in as trusted systems do it (issue #18, finding 7)', () => {
  const refusal = (res: request.Response) => ({ status: res.status, body: res.body as unknown });

  test('an unknown login, a wrong password and a disabled account (even with its right password) get one answer', async () => {
    const gone = await createUser(api.db.db, {
      login: 'gone',
      name: 'Уволен',
      role: 'first_line',
      password: 'старый-пароль-1',
    });
    await setUserDisabled(api.db.db, gone.id, true);
    const unknown = (await signIn('nobody-at-all', 'какой-то-пароль', '192.0.2.1')).res;
    const wrong = (await signIn('lina', 'какой-то-пароль', '192.0.2.2')).res;
    const disabledWrong = (await signIn('gone', 'какой-то-пароль', '192.0.2.3')).res;
    const disabledRight = (await signIn('gone', 'старый-пароль-1', '192.0.2.4')).res;
    expect(refusal(unknown)).toEqual({
      status: 401,
      body: expect.objectContaining({
        code: 'invalid_credentials',
        detail: expect.stringMatching(/^Неверный логин или пароль/),
      }),
    });
    for (const other of [wrong, disabledWrong, disabledRight])
      expect(refusal(other)).toEqual(refusal(unknown));
  });

  test(`${SIGN_IN_LIMITS.perLoginAndAddress} failures for one login from one address: 429 with Retry-After there, on every replica, for real and unknown logins alike; the owner still signs in from their own address; \`users unlock\` lifts it`, async () => {
    await createUser(api.db.db, {
      login: 'victim',
      name: 'Жертва',
      role: 'admin',
      password: 'правильный-пароль',
    });
    const attacker = '203.0.113.7';
    const answers = async (login: string, from: string) => {
      const seen: number[] = [];
      for (let i = 0; i < SIGN_IN_LIMITS.perLoginAndAddress; i++)
        seen.push((await signIn(login, 'неправильный', from)).res.status);
      // The next attempt goes to another replica: the count is in PostgreSQL.
      const throttled = (await signIn(login, 'неправильный', from, replica())).res;
      return { seen, throttled };
    };
    const real = await answers('victim', attacker);
    const unknown = await answers('no-such-admin', '203.0.113.8');
    expect(real.seen).toEqual(Array(SIGN_IN_LIMITS.perLoginAndAddress).fill(401));
    expect(real.throttled.status).toBe(429);
    expect(Number(real.throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(real.throttled.body.detail).toContain('Слишком много неудачных попыток входа');
    expect(unknown.seen).toEqual(real.seen);
    expect(refusal(unknown.throttled)).toEqual(refusal(real.throttled));
    // The right password does not get through at the throttled address…
    expect((await signIn('victim', 'правильный-пароль', attacker)).res.status).toBe(429);
    // …but the stranger has not locked the admin out: from the admin's own address it works.
    expect((await signIn('victim', 'правильный-пароль', '198.51.100.10')).res.status).toBe(200);
    // The admin sees the lock and lifts it from the command line.
    expect(await usersCli('list')).toMatch(/^victim\s+admin\s+вход с части адресов закрыт до /m);
    expect(await usersCli('unlock', 'victim')).toContain('sign-in as victim unlocked');
    expect((await signIn('victim', 'правильный-пароль', attacker)).res.status).toBe(200);
    expect(await usersCli('list')).toMatch(/^victim\s+admin\s+активен\s/m);
  });

  test(`${SIGN_IN_LIMITS.perAddress} failures from one address over any logins: 429 there, other addresses unaffected`, async () => {
    const from = '203.0.113.20';
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i++)
      expect((await signIn(`guess-${i}`, 'неправильный', from)).res.status).toBe(401);
    const throttled = (await signIn('lina', 'первая-линия-1', from)).res;
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBeDefined();
    expect((await signIn('lina', 'первая-линия-1', '203.0.113.21')).res.status).toBe(200);
  });
});

test('`users list` has a header row and the true status: «нужна смена пароля» after a reset (issue #19)', async () => {
  await createUser(api.db.db, {
    login: 'reset-me',
    name: 'Сброс',
    role: 'first_line',
    password: 'пароль-сброса-1',
  });
  expect(await usersCli('reset-password', 'reset-me')).toContain('temporary password of reset-me');
  const list = await usersCli('list');
  expect(list.split('\n')[0]).toMatch(/^LOGIN\s+ROLE\s+STATUS\s+LAST SIGN-IN\s+ORGANIZATION\s+NAME$/);
  expect(list).toMatch(/^reset-me\s+first_line\s+нужна смена пароля\s/m);
  expect(list).toMatch(/^scoped\s+first_line\s+активен\s+\S.*bubble\s+Бубль$/m);
});

test('a session on a temporary password can only change the password: everything else is 403 with the reason (issue #18, finding 12)', async () => {
  await createUser(api.db.db, {
    login: 'newcomer',
    name: 'Новичок',
    role: 'admin',
    password: 'временный-пароль-1',
    mustChangePassword: true,
  });
  const { cookie, csrf } = await signIn('newcomer', 'временный-пароль-1');
  for (const path of ['/tickets', '/inbox', '/events', '/users', '/people', '/views']) {
    const res = await api.http().get(path).set('Cookie', cookie);
    expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
      path,
      status: 403,
      type: expect.stringContaining('application/problem+json'),
    });
    expect(res.body.code).toBe('password_change_required');
    expect(res.body.detail).toContain('временному паролю');
  }
  const write = await api
    .http()
    .post('/tickets')
    .set('Cookie', cookie)
    .set('X-CSRF-Token', csrf)
    .send(phoneIncident);
  expect(write.status).toBe(403);
  expect((await api.http().get('/session').set('Cookie', cookie)).body.user.mustChangePassword).toBe(true);
  const changed = await api
    .http()
    .post('/session/password')
    .set('Cookie', cookie)
    .set('X-CSRF-Token', csrf)
    .send({ currentPassword: 'временный-пароль-1', newPassword: 'мой-собственный-пароль' });
  expect(changed.status).toBe(200);
  expect((await api.http().get('/tickets').set('Cookie', cookie)).status).toBe(200);
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
  // Issue #19: the regulation's next step (п. 2.4: a registered request gets its assignee) leads the list.
  const items = res.body.items as { command: string; next: boolean }[];
  expect(items.filter((a) => a.next).map((a) => a.command)).toEqual(['assign']);
  expect(items[0]!.command).toBe('assign');
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

describe('sign-out and revocation take effect at once, on every replica (issue #18, finding 11)', () => {
  /** An open /events stream on its own server; `closed` resolves when the server ends it. */
  async function openStream(app: http.RequestListener, headers: Record<string, string>) {
    const server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const req = http.get({ host: '127.0.0.1', port, path: '/events', headers });
    const res = await new Promise<http.IncomingMessage>((r) => req.on('response', r));
    expect(res.statusCode).toBe(200);
    res.resume();
    const closed = new Promise<'closed'>((r) => res.on('end', () => r('closed')));
    return {
      closed,
      async stop() {
        req.destroy();
        await new Promise<void>((r) => server.close(() => r()));
      },
    };
  }

  const within = <T>(p: Promise<T>, ms: number) =>
    Promise.race([p, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))]);

  test('DELETE /session on another replica ends the open /events stream of that session, not others', async () => {
    const mine = await signIn('lina', 'первая-линия-1');
    const other = await signIn('lina', 'первая-линия-1');
    const stream = await openStream(api.app, { Cookie: mine.cookie });
    const untouched = await openStream(api.app, { Cookie: other.cookie });
    try {
      expect((await request(replica()).delete('/session').set('Cookie', mine.cookie)).status).toBe(204);
      expect(await within(stream.closed, 10_000)).toBe('closed');
      expect((await api.http().get('/events').set('Cookie', mine.cookie)).status).toBe(401);
      expect(await within(untouched.closed, 300)).toBe('still open');
    } finally {
      await stream.stop();
      await untouched.stop();
    }
  });

  test('disabling the account ends its streams', async () => {
    const user = await createUser(api.db.db, {
      login: 'leaver',
      name: 'Уходящий',
      role: 'first_line',
      password: 'пароль-уходящего',
    });
    const { cookie } = await signIn('leaver', 'пароль-уходящего');
    const stream = await openStream(api.app, { Cookie: cookie });
    try {
      await setUserDisabled(api.db.db, user.id, true);
      expect(await within(stream.closed, 10_000)).toBe('closed');
    } finally {
      await stream.stop();
    }
  });

  test('a key revoked through one replica is refused by another at the next request, and its stream ends', async () => {
    const created = await api
      .http()
      .post('/keys')
      .set(api.as('admin'))
      .send({ name: 'интеграция', role: 'first_line' });
    expect(created.status).toBe(201);
    const auth = { Authorization: `Bearer ${created.body.key}` };
    const other = replica();
    expect((await request(other).get('/tickets').set(auth)).status).toBe(200);
    const stream = await openStream(other, auth);
    try {
      expect((await api.http().delete(`/keys/${created.body.id}`).set(api.as('admin'))).status).toBeLessThan(
        300,
      );
      const after = await request(other).get('/tickets').set(auth);
      expect(after.status).toBe(401);
      expect(await within(stream.closed, 10_000)).toBe('closed');
    } finally {
      await stream.stop();
    }
  });
});
