/**
 * Issue #10, as a hostile tester found it, through the real app (supertest) on real PostgreSQL:
 * poisoned text, malformed HTTP, rate limits keyed on what anyone can type, keys for organisations
 * that do not exist. Each case failed on the code before the fix.
 */
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../../api/app';
import { metricsApp } from '../../api/metrics';
import { close, listen } from '../../api/server';
import { createApiKey } from '../../db/repositories/apiKeys';
import { findTicket } from '../../db/repositories/tickets';
import { phoneIncident, startApi, type Api } from './harness';

describe('API: text PostgreSQL would refuse is made storable at the boundary (issue #10, finding 1)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('a lone surrogate in POST /tickets: 201, and the ticket is readable at once', async () => {
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .set('Content-Type', 'application/json')
      // Written by hand: JSON.stringify would escape it the same way, this is what a client sends.
      .send(
        JSON.stringify({ ...phoneIncident, subject: 'x', description: 'a\ud800b' }).replace(
          '"x"',
          '"\\udc00 тема"',
        ),
      );
    expect(res.status).toBe(201);
    const got = await api.http().get(`/tickets/${res.body.id}`).set(api.as('first_line'));
    expect(got.status).toBe(200);
    expect(got.body.intake).toMatchObject({ description: 'a\ufffdb', subject: '\ufffd тема' });
    expect(got.body.problems).toEqual([]);
  });

  it('a lone surrogate in a comment: the read model follows, and so do later commands', async () => {
    const id = (await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident)).body.id;
    const comment = await api
      .http()
      .post(`/tickets/${id}/comment`)
      .set(api.as('first_line'))
      .send({ text: 'a\ud800b' });
    expect(comment.status).toBe(200);
    await api.http().post(`/tickets/${id}/comment`).set(api.as('first_line')).send({ text: 'потом' });
    const events = (await api.http().get(`/tickets/${id}/history`).set(api.as('first_line'))).body.events;
    expect(events.slice(-2).map((e: { text: string }) => e.text)).toEqual(['a\ufffdb', 'потом']);
    expect((await findTicket(api.db.db, id))!.seq).toBe(events.at(-1).seq);
  });

  it('poison that bypasses the boundary (a command straight to the ticket) is stored sanitised and shown as a problem', async () => {
    const id = (await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident)).body.id;
    await api.gateway.send(id, {
      type: 'comment',
      by: { kind: 'operator', id: 'op', name: 'Оператор', role: 'first_line' },
      text: 'NUL\u0000 и \udfff',
      visibility: 'internal',
    });
    const got = await api.http().get(`/tickets/${id}`).set(api.as('first_line'));
    expect(got.body.problems).toEqual([expect.objectContaining({ kind: 'unstorable_event' })]);
    const metrics = await api.http().get('/metrics').set(api.as('manager'));
    expect(metrics.text).toContain('reglament_ticket_problems{kind="unstorable_event"} 1');
  });
});

describe('API: malformed HTTP is a 4xx problem, one error path (issue #10, finding 4)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const problem = (res: { status: number; headers: Record<string, string>; body: { type?: string } }) => ({
    status: res.status,
    json: /application\/problem\+json/.test(res.headers['content-type'] ?? ''),
    type: res.body.type,
  });

  it.each([
    ['/tickets/%zz'],
    ['/tickets/%E0%A4%A'],
    ['/tickets/%C0%AE%C0%AE'],
    ['/tickets/ID%00'],
    ['/tickets?q=%00'],
    ['/tickets?q=%zz%'],
    ['/inbox?status=held%00'],
    ['/nowhere/%ff'],
  ])('GET %s → 400 problem+json', async (path) => {
    const res = await api.http().get(path).set(api.as('manager'));
    expect(problem(res)).toEqual({ status: 400, json: true, type: '/problems/validation' });
  });

  it.each(['gzip', 'br', 'deflate'])('Content-Encoding: %s on a plain body → 400', async (encoding) => {
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', encoding)
      .send(JSON.stringify(phoneIncident));
    expect(problem(res)).toEqual({ status: 400, json: true, type: '/problems/validation' });
  });

  it('an unknown Content-Encoding → 415; a real gzip body is read', async () => {
    const unknown = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'x-zip')
      .send(JSON.stringify(phoneIncident));
    expect(problem(unknown)).toEqual({ status: 415, json: true, type: '/problems/unsupported-media-type' });
    const gzipped = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      // superagent would serialise a Buffer as JSON: the bytes go as they are.
      .serialize((b: unknown) => b as string)
      .send(gzipSync(JSON.stringify(phoneIncident)));
    expect(gzipped.status).toBe(201);
  });

  it('a body that is not JSON where the route takes JSON → 415', async () => {
    for (const type of ['text/plain', 'text/csv', 'application/xml', 'application/x-www-form-urlencoded']) {
      const res = await api
        .http()
        .post('/tickets')
        .set(api.as('first_line'))
        .set('Content-Type', type)
        .send('description=x');
      expect(problem(res)).toEqual({ status: 415, json: true, type: '/problems/unsupported-media-type' });
    }
  });

  it('a command without a body is a command without arguments', async () => {
    const id = (await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident)).body.id;
    const res = await api.http().post(`/tickets/${id}/resume`).set(api.as('first_line'));
    // It reaches the rules (a new ticket has nothing to resume), rather than failing on the body.
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('invalid_status');
  });

  it('deeply nested JSON → 400, not a crash', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .set('Content-Type', 'application/json')
      .send(deep);
    expect(res.status).toBeLessThan(500);
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});

describe('API: rate limits on verified identity (issue #10, finding 3)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi({ rateLimitPerMinute: 20, authFailuresPerWindow: 10 });
  });

  afterAll(async () => {
    await api.close();
  });

  it('wrong secrets with a real key’s ID never lock the real key out', async () => {
    const { key, id } = await createApiKey(api.db.db, { name: 'victim', role: 'manager' });
    const attacker = '203.0.113.5';
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const fake = `rgl_${id}_${'A'.repeat(42)}${String.fromCharCode(65 + (i % 26))}`;
      statuses.push(
        (
          await api
            .http()
            .get('/tickets')
            .set('X-Forwarded-For', attacker)
            .set('Authorization', `Bearer ${fake}`)
        ).status,
      );
    }
    // The attacker's address is throttled after its 10 failures…
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    // …while the real key, counted per key only after authentication, has its whole allowance.
    const ok = await api
      .http()
      .get('/tickets')
      .set('X-Forwarded-For', '198.51.100.7')
      .set('Authorization', `Bearer ${key}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['ratelimit']).toMatch(/^"key";r=19;t=\d+$/);
  });

  it('many different fake keys from one address are throttled', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const fake = `rgl_${i.toString(16).padStart(12, '0')}_${'C'.repeat(43)}`;
      statuses.push((await api.http().get('/tickets').set('Authorization', `Bearer ${fake}`)).status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    const refused = await api.http().get('/tickets').set('Authorization', 'Bearer rgl_x');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('a verified key is limited per key, after authentication', async () => {
    const fresh = await startApi({ rateLimitPerMinute: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await fresh.http().get('/regulations').set(fresh.as('manager'))).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      // Another key is not affected.
      expect((await fresh.http().get('/regulations').set(fresh.as('first_line'))).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  it('N replicas allow each limit once, not N times: the counts are in PostgreSQL (issue #21)', async () => {
    const fresh = await startApi({ rateLimitPerMinute: 5, authFailuresPerWindow: 4 });
    try {
      const options = { version: 'test', trustProxy: 'loopback' as const };
      const replicas = [
        fresh.app,
        createApp({ ...fresh.ctx }, { ...options, rateLimitPerMinute: 5, authFailuresPerWindow: 4 }),
      ];
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push(
          (
            await request(replicas[i % 2]!)
              .get('/regulations')
              .set(fresh.as('manager'))
          ).status,
        );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const failures: number[] = [];
      for (let i = 0; i < 6; i++)
        failures.push(
          (
            await request(replicas[i % 2]!)
              .get('/tickets')
              .set('X-Forwarded-For', '203.0.113.99')
              .set('Authorization', `Bearer rgl_${'0'.repeat(12)}_${'D'.repeat(43)}`)
          ).status,
        );
      expect(failures).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await fresh.close();
    }
  });

  it('health and readiness probes are never limited; metrics need a key', async () => {
    // From the address the previous cases got throttled: probes still answer.
    for (let i = 0; i < 50; i++) expect((await api.http().get('/healthz')).status).toBe(200);
    expect((await api.http().get('/readyz')).status).toBe(200);
    const elsewhere = '192.0.2.44';
    expect((await api.http().get('/metrics').set('X-Forwarded-For', elsewhere)).status).toBe(401);
    const scoped = await api.http().get('/metrics').set('X-Forwarded-For', elsewhere).set(api.as('scoped'));
    expect(scoped.status).toBe(403);
  });
});

describe('/metrics for a scraper: its own listener, no key (METRICS_PORT)', () => {
  it('serves the metrics there, and nothing else', async () => {
    const api = await startApi();
    const server = await listen(metricsApp(api.ctx.metrics.registry), '127.0.0.1', 0);
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('reglament_inbox_messages');
      expect((await fetch(`${base}/tickets`)).status).toBe(404);
    } finally {
      await close(server);
      await api.close();
    }
  });
});
