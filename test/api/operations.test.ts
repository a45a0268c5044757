import fc from 'fast-check';
import { storeInbound } from '../../db/repositories/inbox';
import { ROUTES } from '../../api/app';
import { startApi, phoneIncident, type Api } from './harness';

describe('API: FAQ knowledge base (seed 003 п. 3.1.1, 3.2.1, 3.3.1)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('imports the list the federal service hands over (CSV with «;», then JSON), idempotently', async () => {
    const csv = [
      'question;answer;keywords',
      'Как подать заявление на выплату через виджет?;Нажмите «Подать заявление» на странице услуги.;подача заявления виджет',
      'Почему заявление в статусе «Отправлено» больше недели?;Срок рассмотрения ведомством — до 10 рабочих дней.;сроки статус',
      '"Что делать, если ""ошибка 500""?";Повторите попытку позже.;ошибка',
    ].join('\n');
    const first = await api
      .http()
      .post('/faq/import')
      .set(api.as('federal_operator'))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 3, updated: 0 });
    const again = await api
      .http()
      .post('/faq/import')
      .set(api.as('federal_operator'))
      .set('Content-Type', 'text/csv')
      .send(csv);
    expect(again.body).toEqual({ created: 0, updated: 3 });
    const json = await api
      .http()
      .post('/faq/import')
      .set(api.as('manager'))
      .send([
        {
          id: 'faq-login',
          question: 'Не могу войти в личный кабинет',
          answer: 'Восстановите пароль через Госуслуги.',
        },
      ]);
    expect(json.body).toEqual({ created: 1, updated: 0 });
  });

  it('a bad import names the rows and loads nothing', async () => {
    const res = await api
      .http()
      .post('/faq/import')
      .set(api.as('manager'))
      .send([{ question: 'Без ответа' }, { question: 'Норм', answer: 'Ок' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: '1.answer' });
    expect((await api.http().get('/faq').query({ q: 'Норм' }).set(api.as('manager'))).body.items).toEqual([]);
  });

  it('ranked search in Russian finds other word forms, question first', async () => {
    const res = await api
      .http()
      .get('/faq')
      .query({ q: 'подать заявления' })
      .set(api.as('regional_operator'));
    expect(res.status).toBe(200);
    expect(res.body.items[0].question).toBe('Как подать заявление на выплату через виджет?');
    expect(res.body.items[0].rank).toBeGreaterThan(0);
  });

  it('CRUD', async () => {
    const created = await api
      .http()
      .post('/faq')
      .set(api.as('manager'))
      .send({ question: 'Где взять справку?', answer: 'В МФЦ.' });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(
      (
        await api
          .http()
          .put(`/faq/${id}`)
          .set(api.as('manager'))
          .send({ question: 'Где взять справку?', answer: 'В МФЦ или онлайн.' })
      ).body.answer,
    ).toBe('В МФЦ или онлайн.');
    expect((await api.http().get(`/faq/${id}`).set(api.as('first_line'))).status).toBe(200);
    expect((await api.http().delete(`/faq/${id}`).set(api.as('first_line'))).status).toBe(403);
    expect((await api.http().delete(`/faq/${id}`).set(api.as('manager'))).status).toBe(204);
    expect((await api.http().get(`/faq/${id}`).set(api.as('manager'))).status).toBe(404);
  });
});

describe('API: organisations and access requests (seed 000 п. 3.3.1–3.3.2)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
    await api
      .http()
      .post('/organizations')
      .set(api.as('manager'))
      .send({ id: 'bubble', name: '«Бубль-Гум»', inn: '2536321426', domains: ['bubblegum.ru'] });
    await api
      .http()
      .post('/organizations/bubble/persons')
      .set(api.as('manager'))
      .send({ fullName: 'Тестов Тест Тестович', email: 'Boss@Bubblegum.ru', position: 'директор' });
  });

  afterAll(async () => {
    await api.close();
  });

  const accessRequest = (email: string) => ({
    requestType: 'service',
    description: 'Прошу предоставить доступ к выгрузке отчётности новому сотруднику Иванову И. И.',
    expectedResult: 'Сотрудник видит выгрузку отчётности.', // п. 2.3.1.12
    initiator: { fullName: 'Тестов Тест Тестович', email, organization: '«Бубль-Гум»' },
    access: { kind: 'grant' },
    authentication: { method: 'обратный звонок на номер из реестра уполномоченных лиц' },
  });

  it('an access request from an authorised person on file is registered for the second line', async () => {
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .send(accessRequest('boss@bubblegum.ru'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'new',
      line: 'second',
      intake: {
        authorization: {
          verified: true,
          organizationId: 'bubble',
          method: 'обратный звонок на номер из реестра уполномоченных лиц',
        },
      },
    });
  });

  it('п. 3.3.1 (1): by phone, without a record of how the caller was authenticated, it is refused', async () => {
    const { authentication: _none, ...unrecorded } = accessRequest('boss@bubblegum.ru');
    const res = await api.http().post('/tickets').set(api.as('first_line')).send(unrecorded);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'authentication_not_recorded' });
  });

  it('from anyone else it is refused with the clause', async () => {
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .send(accessRequest('intern@bubblegum.ru'));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'not_authorized' });
    expect(res.body.detail).toContain('(п. 3.3.1, 3.3.2)');
  });

  it('issue #19: organisations are found by a part of the name or the start of the INN, each key its own only', async () => {
    await api
      .http()
      .post('/organizations')
      .set(api.as('manager'))
      .send({ id: 'romashka', name: 'ООО «Ромашка»', inn: '7701234567' });
    const found = async (q: string, as: Parameters<typeof api.as>[0] = 'first_line') => {
      const res = await api.http().get('/organizations').query({ q }).set(api.as(as));
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).map((o) => o.id);
    };
    expect(await found('ромаш')).toEqual(['romashka']);
    expect(await found('7701')).toEqual(['romashka']);
    expect(await found('%')).toEqual([]); // typed wildcards are letters, not patterns
    expect(await found('бубль', 'scoped')).toEqual(['bubble']);
    expect(await found('ромаш', 'scoped')).toEqual([]);
    expect(
      (
        await api
          .http()
          .get('/organizations')
          .query({ q: 'x'.repeat(201) })
          .set(api.as('manager'))
      ).status,
    ).toBe(400);
  });

  it('an organisation with its authorised persons; duplicates are a clear 409', async () => {
    const org = await api.http().get('/organizations/bubble').set(api.as('first_line'));
    expect(org.body).toMatchObject({
      name: '«Бубль-Гум»',
      authorizedPersons: [{ email: 'Boss@Bubblegum.ru', active: true }],
    });
    expect(
      (await api.http().post('/organizations').set(api.as('manager')).send({ id: 'bubble', name: 'x' }))
        .status,
    ).toBe(409);
    expect(
      (
        await api
          .http()
          .post('/organizations/bubble/persons')
          .set(api.as('manager'))
          .send({ fullName: 'Т', email: 'boss@bubblegum.ru' })
      ).status,
    ).toBe(409);
  });
});

describe('API: reports, mail, keys, health', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
    // Three incidents: one resolved in time, one resolved late, one open and breached.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        (
          await api
            .http()
            .post('/tickets')
            .set(api.as('first_line'))
            .send({ ...phoneIncident, assignee: { id: 'ivanov', name: 'Иванов' } })
        ).body.id,
      );
    await api.advance('2025-03-04T00:00:00.000Z'); // Tuesday 10:00: 9 working hours
    await api.http().post(`/tickets/${ids[0]}/resolve`).set(api.as('first_line')).send({ text: 'Готово' });
    await api.advance('2025-03-12T00:00:00.000Z'); // past the 60 h deadline (Tuesday 11 March 16:00)
    await api
      .http()
      .post(`/tickets/${ids[1]}/resolve`)
      .set(api.as('first_line'))
      .send({ text: 'Поздно, но готово' });
  });

  afterAll(async () => {
    await api.close();
  });

  it('SLA report: counts, on-time share, breaches, median and p90 in working hours, JSON and CSV', async () => {
    const res = await api
      .http()
      .get('/reports/sla')
      .query({ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z', groupBy: 'type' })
      .set(api.as('manager'));
    expect(res.status).toBe(200);
    expect(res.body.groups).toEqual([
      // Resolved after 9 and 63 working hours: median 36 h, p90 = 9 + 0.9 × 54 = 57.6 h.
      {
        group: 'incident',
        label: 'Инцидент', // issue #19: the regulation's name, not the code
        tickets: 3,
        resolved: 2,
        onTime: 1,
        onTimeShare: 0.5,
        breached: 2,
        provisional: 0, // issue #20: no deadline in a year without a loaded calendar
        medianHours: 36,
        p90Hours: 57.6,
        pausedHours: 0,
      },
    ]);
    const csv = await api
      .http()
      .get('/reports/sla')
      .query({ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z', groupBy: 'assignee', format: 'csv' })
      .set(api.as('manager'));
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'assignee,label,tickets,resolved,on_time,on_time_share,breached,provisional,median_hours,p90_hours,paused_hours',
    );
    // Grouped by the assignee's ID, with the name people read.
    expect(csv.text).toContain('ivanov,Иванов,3,2,1,0.5,2,0,36,57.6,0');
    // Lines by the regulation's names (issue #19: the label column held «first»).
    const byLine = await api
      .http()
      .get('/reports/sla')
      .query({ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z', groupBy: 'line', format: 'csv' })
      .set(api.as('manager'));
    expect(byLine.text.split('\r\n')[1]).toMatch(/^\w+,[А-ЯЁ][а-яё]+ линия,/);
    expect(
      (
        await api
          .http()
          .get('/reports/sla')
          .query({ from: '2025-04-01T00:00:00Z', to: '2025-03-01T00:00:00Z' })
          .set(api.as('manager'))
      ).status,
    ).toBe(400);
    expect(
      (
        await api
          .http()
          .get('/reports/sla')
          .query({ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' })
          .set(api.as('first_line'))
      ).status,
    ).toBe(403);
  });

  it('outgoing mail without SMTP is readable: what the initiator would have received', async () => {
    const res = await api.http().get('/mail/outgoing').query({ status: 'stored' }).set(api.as('manager'));
    expect(res.body.items.map((m: { template: string }) => m.template)).toEqual(
      expect.arrayContaining(['acknowledgement', 'resolution', 'slaBreach']),
    );
  });

  it('held mail: listed, read, attached to a ticket by an operator, or dismissed', async () => {
    const ticket = (await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident)).body.id;
    const raw = (from: string) =>
      Buffer.from(
        `From: ${from}\r\nTo: help@dprim.ru\r\nSubject: Re: [${ticket}] вопрос\r\nMessage-ID: <${from}-${Date.now()}@x>\r\n\r\nЭто коллега инициатора.\r\n`,
      );
    const first = await storeInbound(api.db.db, {
      envelopeFrom: 'colleague@bubblegum.ru',
      envelopeTo: ['help@dprim.ru'],
      remoteAddress: null,
      raw: raw('colleague@bubblegum.ru'),
    });
    const second = await storeInbound(api.db.db, {
      envelopeFrom: 'spam@junk.ru',
      envelopeTo: ['help@dprim.ru'],
      remoteAddress: null,
      raw: raw('spam@junk.ru'),
    });
    while ((await api.ctx.dispatcher!.dispatchOnce()) > 0);
    const held = await api.http().get('/inbox').set(api.as('first_line'));
    expect(held.body.items.map((m: { id: number }) => m.id)).toEqual([second, first]);
    const read = await api.http().get(`/inbox/${first}`).set(api.as('first_line'));
    expect(read.body).toMatchObject({
      from: 'colleague@bubblegum.ru',
      text: 'Это коллега инициатора.',
      status: 'held',
    });
    const attached = await api
      .http()
      .post(`/inbox/${first}/release`)
      .set(api.as('first_line'))
      .send({ ticketId: ticket });
    expect(attached.body).toEqual({ id: first, status: 'done', ticketId: ticket });
    const events = (await api.http().get(`/tickets/${ticket}/history`).set(api.as('first_line'))).body.events;
    expect(events.at(-1)).toMatchObject({ type: 'messageReceived', text: 'Это коллега инициатора.' });
    expect(
      (
        await api
          .http()
          .post(`/inbox/${second}/release`)
          .set(api.as('first_line'))
          .send({ action: 'dismiss', note: 'спам' })
      ).body.status,
    ).toBe('ignored');
    expect(
      (await api.http().post(`/inbox/${second}/release`).set(api.as('first_line')).send({ action: 'new' }))
        .status,
    ).toBe(409);
  });

  it('API keys: created (shown once) and revoked by an admin only', async () => {
    expect(
      (await api.http().post('/keys').set(api.as('manager')).send({ name: 'x', role: 'first_line' })).status,
    ).toBe(403);
    const created = await api
      .http()
      .post('/keys')
      .set(api.as('admin'))
      .send({ name: 'Оператор ночной смены', role: 'first_line' });
    expect(created.body.key).toMatch(/^rgl_[0-9a-f]{12}_[\w-]{43}$/);
    expect((await api.http().get('/tickets').set('Authorization', `Bearer ${created.body.key}`)).status).toBe(
      200,
    );
    const list = await api.http().get('/keys').set(api.as('admin'));
    // The secret follows «rgl_<id>_» and may itself contain «_» (base64url).
    expect(JSON.stringify(list.body)).not.toContain(created.body.key.slice(`rgl_${created.body.id}_`.length));
    expect((await api.http().delete(`/keys/${created.body.id}`).set(api.as('admin'))).status).toBe(204);
  });

  it('health, readiness (database and Temporal) and Prometheus metrics', async () => {
    expect((await api.http().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await api.http().get('/readyz')).body).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, temporal: { ok: true } },
    });
    api.gateway.down = true;
    const down = await api.http().get('/readyz');
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.body.checks).toMatchObject({ database: { ok: true }, temporal: { ok: false } });
    api.gateway.down = false;
    expect((await api.http().get('/metrics')).status).toBe(401);
    const metrics = await api.http().get('/metrics').set(api.as('manager'));
    expect(metrics.text).toContain('reglament_open_tickets{regulation="primorye",status="in_progress"}');
    expect(metrics.text).toContain('reglament_sla_breached_open_tickets{regulation="primorye"} 1');
    expect(metrics.text).toMatch(
      /reglament_api_request_seconds_bucket\{.*route="POST \/tickets\/:id\/resolve"/,
    );
  });

  it('the regulations as they run: statuses, types, permissions, deadlines', async () => {
    const list = await api.http().get('/regulations').set(api.as('first_line'));
    expect(list.body.items.map((r: { id: string; default: boolean }) => [r.id, r.default])).toEqual([
      ['primorye', true],
      ['epgu', false],
    ]);
    const primorye = await api.http().get('/regulations/primorye').set(api.as('first_line'));
    expect(primorye.body).toMatchObject({
      statuses: { new: { label: 'Новая' } },
      resolutionTargets: { incident: { unit: 'workingHours', value: 60 } },
      permissions: { register: ['first_line', 'manager', 'admin'] },
    });
    expect((await api.http().get('/regulations/none').set(api.as('first_line'))).status).toBe(404);
  });

  it('OpenAPI 3.1 documents every route, and Swagger UI is served', async () => {
    const doc = (await api.http().get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const r of ROUTES) {
      const path = r.path.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method]).toBeDefined();
    }
    expect(
      doc.paths['/tickets/{id}/request-info'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['question']);
    const ui = await api.http().get('/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });
});

describe('API: hostile input never gets a 500', () => {
  let api: Api;
  let ticket: string;

  beforeAll(async () => {
    api = await startApi({ rateLimitPerMinute: 100_000 });
    ticket = (await api.http().post('/tickets').set(api.as('first_line')).send(phoneIncident)).body.id;
  });

  afterAll(async () => {
    await api.close();
  });

  it('oversized bodies: 413 problem', async () => {
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .send({ ...phoneIncident, description: 'я'.repeat(300_000) });
    expect(res.status).toBe(413);
    expect(res.body.type).toBe('/problems/payload-too-large');
  });

  it('malformed JSON, wrong types, unknown fields: 400 naming the field', async () => {
    const bad = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .set('Content-Type', 'application/json')
      .send('{"description": ');
    expect(bad.status).toBe(400);
    const types = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .send({ ...phoneIncident, description: 42 });
    expect(types.status).toBe(400);
    expect(types.body.errors[0].field).toBe('body.description');
    const unknown = await api
      .http()
      .post(`/tickets/${ticket}/assign`)
      .set(api.as('first_line'))
      .send({ assignee: { id: 'a', name: 'b' }, admin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('admin');
  });

  it('SQL and HTML injection strings are data, stored and searched safely', async () => {
    const evil = "'); DROP TABLE tickets; -- <script>alert(1)</script>";
    const res = await api
      .http()
      .post('/tickets')
      .set(api.as('first_line'))
      .send({ ...phoneIncident, subject: evil, description: evil });
    expect(res.status).toBe(201);
    const found = await api.http().get('/tickets').query({ q: evil }).set(api.as('first_line'));
    expect(found.status).toBe(200);
    expect(
      (await api.http().get(`/tickets/${res.body.id}`).set(api.as('first_line'))).body.intake.subject,
    ).toBe(evil);
  });

  it('NUL is replaced and other control characters removed: they never reach PostgreSQL (issue #10)', async () => {
    const res = await api
      .http()
      .post(`/tickets/${ticket}/comment`)
      .set(api.as('first_line'))
      .send({ text: 'до\u0000после\u0007' });
    expect(res.status).toBe(200);
    const events = (await api.http().get(`/tickets/${ticket}/history`).set(api.as('first_line'))).body.events;
    expect(events.at(-1).text).toBe('до\ufffdпосле');
  });

  it('fuzz: random JSON to every command endpoint gets 2xx/4xx, never 5xx', async () => {
    const commands = ROUTES.filter((r) => r.method === 'post' && r.path.startsWith('/tickets/:id/')).map(
      (r) => r.path.replace(':id', ticket),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), fc.jsonValue({ maxDepth: 3 }), async (path, body) => {
        const res = await api
          .http()
          .post(path)
          .set(api.as('admin'))
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(body));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
    const queries = fc.dictionary(
      fc.constantFrom('status', 'type', 'q', 'limit', 'cursor', 'dueBefore', 'sort', 'breached', 'x'),
      fc.string({ maxLength: 50 }),
    );
    await fc.assert(
      fc.asyncProperty(queries, async (query) => {
        const res = await api.http().get('/tickets').query(query).set(api.as('manager'));
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});
