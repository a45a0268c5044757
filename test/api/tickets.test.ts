import { findTicket } from '../../db/repositories/tickets';
import { startApi, phoneIncident, type Api } from './harness';

describe('API: tickets (seed 000)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const create = (
    body: object = phoneIncident,
    role: Parameters<Api['as']>[0] = 'first_line',
    headers: Record<string, string> = {},
  ) => api.http().post('/tickets').set(api.as(role)).set(headers).send(body);

  it('п. 2.2, 2.4: a phone request is registered with an ID and «Новая»; an assignee makes it «В работе»', async () => {
    const res = await create({ ...phoneIncident, assignee: { id: 'ivanov', name: 'Иванов И. И.' } });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/tickets/${res.body.id}`);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^ID\d{6}$/),
      status: 'in_progress',
      statusLabel: 'В работе',
      channel: 'phone',
      assignee: { id: 'ivanov' },
    });
    // п. 3.1.2: 60 working hours from Monday 10:00 = Mon 8 + 4 × 9 + Mon 9 + Tue 7 → Tuesday 16:00 (МСК+7).
    expect(res.body.deadlines.resolution).toBe('2025-03-11T06:00:00.000Z');
    const row = await findTicket(api.db.db, res.body.id);
    expect(row).toMatchObject({ status: 'in_progress', assigneeId: 'ivanov' });
  });

  it('п. 2.4: a request not yet registered is ordered by its registration deadline (4 hours), not after every registered one', async () => {
    api.setNow('2025-03-05T00:00:00.000Z'); // Wednesday 10:00 (МСК+7)
    const registered = (await create({ ...phoneIncident, subject: 'Зарегистрирована раньше' })).body.id;
    api.setNow('2025-03-05T00:30:00.000Z');
    const pending = (await create({ ...phoneIncident, subject: 'Ждёт регистрации', register: false })).body
      .id;
    api.setNow('2025-03-03T00:00:00.000Z');
    const res = await api.http().get('/tickets').query({ limit: 100 }).set(api.as('manager'));
    const items = res.body.items as { id: string; status: string; slaDueAt: string | null }[];
    const order = items.map((t) => t.id);
    expect(items.find((t) => t.id === pending)).toMatchObject({
      status: 'received',
      slaDueAt: '2025-03-05T04:30:00.000Z', // received 10:30 + 4 hours
    });
    expect(order.indexOf(pending)).toBeLessThan(order.indexOf(registered));
  });

  it('the same Idempotency-Key never makes two tickets', async () => {
    const first = await create(phoneIncident, 'first_line', { 'Idempotency-Key': 'call-2025-03-03-001' });
    const again = await create(phoneIncident, 'first_line', { 'Idempotency-Key': 'call-2025-03-03-001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(api.gateway.opened.filter((id) => id === first.body.id)).toHaveLength(1);
  });

  it('п. 2.3.1.11: change requests are refused here, they come by e-mail only', async () => {
    const res = await create({
      ...phoneIncident,
      requestType: 'change',
      initiator: { ...phoneIncident.initiator, position: 'менеджер' },
    });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: '/problems/unprocessable',
      code: 'channel_not_allowed',
      detail: 'Запросы на изменение принимаются только по электронной почте (п. 2.3.1.11).',
    });
  });

  it('п. 2.3.1.1: a request without the mandatory fields is refused naming them, and no ticket is made', async () => {
    const before = api.gateway.opened.length;
    const res = await create({ ...phoneIncident, initiator: { email: 'anon@example.ru' } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('missing_fields');
    expect(res.body.detail).toContain(
      'фамилия, имя и отчество Инициатора и наименование органа или организации (п. 2.3.1.1)',
    );
    expect(api.gateway.opened.length).toBe(before);
  });

  it('roles: no key 401, an unknown key 401, a role without the right 403', async () => {
    expect((await api.http().post('/tickets').send(phoneIncident)).status).toBe(401);
    expect(
      (
        await api
          .http()
          .get('/tickets')
          .set('Authorization', 'Bearer rgl_000000000000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')
      ).status,
    ).toBe(401);
    const res = await create(phoneIncident, 'second_line');
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain('регистрируют');
  });

  describe('commands', () => {
    let id: string;

    beforeAll(async () => {
      id = (await create(phoneIncident)).body.id;
    });

    it('п. 2.4: a command the regulation allows: 200 with the events and the real resulting ticket', async () => {
      const res = await api
        .http()
        .post(`/tickets/${id}/assign`)
        .set(api.as('first_line'))
        .send({ assignee: { id: 'petrova', name: 'Петрова А. А.' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        duplicate: false,
        events: [{ type: 'assigned', assignee: { id: 'petrova' }, status: 'in_progress' }],
        ticket: { status: 'in_progress', assignee: { id: 'petrova' } },
      });
      expect(api.gateway.delivered.at(-1)).toMatchObject({ ticketId: id, command: { type: 'assign' } });
      expect(await findTicket(api.db.db, id)).toMatchObject({ assigneeId: 'petrova' });
    });

    it('п. 3.4: a command the rules refuse now: 409 with the reason, nothing applied', async () => {
      const sent = api.gateway.delivered.length;
      const res = await api
        .http()
        .post(`/tickets/${id}/close-unreproducible`)
        .set(api.as('first_line'))
        .send({ text: 'не воспроизводится' });
      expect(res.status).toBe(200); // an incident in work may be closed as not reproducible…
      const again = await api
        .http()
        .post(`/tickets/${id}/resolve`)
        .set(api.as('first_line'))
        .send({ text: 'готово' });
      expect(again.status).toBe(409); // …after which it cannot be resolved
      expect(again.body).toMatchObject({ type: '/problems/conflict', code: 'invalid_status' });
      expect(again.body.detail).toBe(
        'Действие «решение» недоступно в статусе «Закрыт»; допустимо в статусах: «В работе», «Ожидает ответа».',
      );
      expect(api.gateway.delivered.length).toBe(sent + 1);
    });

    it('п. 3.5: rejection only with a reason of the regulation', async () => {
      const other = (await create(phoneIncident)).body.id;
      const bad = await api
        .http()
        .post(`/tickets/${other}/reject`)
        .set(api.as('first_line'))
        .send({ reason: 'busy' });
      expect(bad.status).toBe(409);
      expect(bad.body.code).toBe('invalid_reason');
      const ok = await api
        .http()
        .post(`/tickets/${other}/reject`)
        .set(api.as('first_line'))
        .send({ reason: 'unclear_task', text: 'Непонятно, что сломалось' });
      expect(ok.status).toBe(200);
      expect(ok.body.ticket).toMatchObject({ status: 'rejected', statusReason: 'unclear_task' });
    });

    it('п. 3.2: request-info pauses the clock; reply entered by phone; resume', async () => {
      const t = (await create({ ...phoneIncident, assignee: { id: 'ivanov', name: 'Иванов' } })).body.id;
      api.setNow('2025-03-03T02:00:00.000Z');
      expect(
        (
          await api
            .http()
            .post(`/tickets/${t}/request-info`)
            .set(api.as('first_line'))
            .send({ question: 'Пришлите скриншот' })
        ).status,
      ).toBe(200);
      api.setNow('2025-03-04T00:00:00.000Z');
      const reply = await api
        .http()
        .post(`/tickets/${t}/reply`)
        .set(api.as('first_line'))
        .send({ text: 'Инициатор продиктовал подробности по телефону' });
      expect(reply.status).toBe(200);
      // п. 3.2: the answer waits for the operator; the queue says so.
      const queue = await api
        .http()
        .get('/tickets')
        .query({ awaitingOperator: 'true' })
        .set(api.as('first_line'));
      expect(queue.body.items.find((i: { id: string }) => i.id === t)).toMatchObject({
        status: 'awaiting_reply',
        attention: [{ code: 'awaiting_operator', label: 'получен ответ инициатора' }],
      });
      const resumed = await api.http().post(`/tickets/${t}/resume`).set(api.as('first_line')).send({});
      expect(resumed.body.ticket.status).toBe('in_progress');
      const detail = await api.http().get(`/tickets/${t}`).set(api.as('manager'));
      expect(detail.body.clocks.find((c: { name: string }) => c.name === 'resolution')).toMatchObject({
        pausedMinutes: 6 * 60 + 60,
        state: 'running',
      });
      // Paused Monday 12:00–18:00 and Tuesday 09:00–10:00 local time.
      api.setNow('2025-03-03T00:00:00.000Z');
    });

    it('п. 3.1.3: set-deadline for a change request only', async () => {
      const res = await api
        .http()
        .post(`/tickets/${id}/set-deadline`)
        .set(api.as('manager'))
        .send({ workingHours: 40 });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('deadline_fixed');
      const both = await api
        .http()
        .post(`/tickets/${id}/set-deadline`)
        .set(api.as('manager'))
        .send({ workingHours: 4, dueAt: '2025-03-10T10:00:00+10:00' });
      expect(both.status).toBe(400);
    });

    it('an unknown ticket is 404, a command of the other regulation is refused', async () => {
      expect(
        (
          await api
            .http()
            .post('/tickets/ID999999/assign')
            .set(api.as('first_line'))
            .send({ assignee: { id: 'a', name: 'b' } })
        ).status,
      ).toBe(404);
      const forward = await api.http().post(`/tickets/${id}/forward`).set(api.as('admin')).send({});
      expect(forward.status).toBe(409);
      expect(forward.body).toMatchObject({ code: 'not_in_regulation' });
    });
  });

  describe('the queue', () => {
    let ids: string[];

    beforeAll(async () => {
      ids = [];
      for (const [i, subject] of [
        'Ошибка выгрузки отчётов',
        'Не списываются баллы по сертификату',
        'Вопрос о доступе к отчётности',
      ].entries()) {
        api.setNow(`2025-03-04T0${i}:00:00.000Z`);
        const res = await create({
          ...phoneIncident,
          requestType: i === 2 ? 'information' : 'incident',
          subject,
          initiator: { ...phoneIncident.initiator, organizationId: i === 0 ? 'romashka' : 'bubble' },
        });
        ids.push(res.body.id);
      }
      api.setNow('2025-03-03T00:00:00.000Z');
    });

    it('filters by type and status, sorted by SLA due time with keyset pagination', async () => {
      const page1 = await api
        .http()
        .get('/tickets')
        .query({ type: 'incident', status: 'new,in_progress', limit: 2 })
        .set(api.as('manager'));
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(2);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const all: { id: string; slaDueAt: string | null }[] = [...page1.body.items];
      for (let cursor = page1.body.nextCursor; cursor;) {
        const next = await api
          .http()
          .get('/tickets')
          .query({ type: 'incident', status: 'new,in_progress', limit: 2, cursor })
          .set(api.as('manager'));
        all.push(...next.body.items);
        cursor = next.body.nextCursor;
      }
      const dues = all.map((t) => t.slaDueAt ?? '9999');
      expect([...dues].sort()).toEqual(dues);
      expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
      expect(all.map((t) => t.id)).toEqual(expect.arrayContaining([ids[0], ids[1]]));
    });

    it('full-text search in Russian over subject, description and correspondence, any word form', async () => {
      const res = await api.http().get('/tickets').query({ q: 'выгрузка отчёта' }).set(api.as('manager'));
      expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    });

    it('a ticket’s number alone finds it, with or without its prefix', async () => {
      const digits = ids[1]!.replace(/\D/g, '');
      for (const q of [digits, ids[1]!]) {
        const res = await api.http().get('/tickets').query({ q }).set(api.as('manager'));
        expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
      }
    });

    it('an organisation-scoped key sees only its organisation', async () => {
      const res = await api.http().get('/tickets').query({ limit: 100 }).set(api.as('scoped'));
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((t: { organizationId: string }) => t.organizationId === 'bubble')).toBe(
        true,
      );
      expect((await api.http().get(`/tickets/${ids[0]}`).set(api.as('scoped'))).status).toBe(404);
    });

    it('the detail: clocks with remaining working time, deadlines, correspondence, history with a Temporal UI link', async () => {
      const detail = await api.http().get(`/tickets/${ids[1]}`).set(api.as('first_line'));
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        id: ids[1],
        statusLabel: 'Новая',
        links: { temporal: `http://localhost:8233/namespaces/default/workflows/${ids[1]}` },
      });
      expect(detail.body.clocks.find((c: { name: string }) => c.name === 'resolution')).toMatchObject({
        target: '60 working h',
        state: 'running',
      });
      // The acknowledgement (п. 2.4) is kept in the database without SMTP, as the initiator would receive it.
      expect(
        detail.body.correspondence.some(
          (m: { template: string; status: string }) =>
            m.template === 'acknowledgement' && m.status === 'stored',
        ),
      ).toBe(true);
      const history = await api.http().get(`/tickets/${ids[1]}/history`).set(api.as('first_line'));
      expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['received', 'registered']);
    });

    it('a bad cursor is a clear 400', async () => {
      const res = await api.http().get('/tickets').query({ cursor: 'garbage' }).set(api.as('manager'));
      expect(res.status).toBe(400);
      expect(res.body.detail).toContain('Некорректный курсор');
    });
  });
});

describe('API: seed 003 through the regional and federal roles', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it('appeal, FAQ answer from the knowledge base, forward, registration, agency, solution', async () => {
    const faq = await api
      .http()
      .post('/faq')
      .set(api.as('regional_operator'))
      .send({ question: 'Как узнать статус заявления?', answer: 'Статус виден в личном кабинете.' });
    expect(faq.status).toBe(201);
    const appeal = {
      regulation: 'epgu',
      channel: 'phone',
      description: 'Не отправляется заявление через виджет',
      initiator: {
        fullName: 'Смирнов Алексей Викторович',
        snils: '112-233-445 95',
        inn: '500100732259',
        birthDate: '1985-04-12',
        contact: 'телефон',
      },
    };
    const answered = (await api.http().post('/tickets').set(api.as('regional_operator')).send(appeal)).body
      .id;
    const byFaq = await api
      .http()
      .post(`/tickets/${answered}/answer-from-faq`)
      .set(api.as('regional_operator'))
      .send({ articleId: faq.body.id });
    expect(byFaq.status).toBe(200);
    expect(byFaq.body.ticket).toMatchObject({
      status: 'closed',
      statusReason: 'faq_answer',
      resolution: 'Статус виден в личном кабинете.',
    });

    const id = (await api.http().post('/tickets').set(api.as('regional_operator')).send(appeal)).body.id;
    expect(
      (await api.http().post(`/tickets/${id}/return`).set(api.as('regional_operator')).send({ reason: 'x' }))
        .status,
    ).toBe(403);
    // п. 3.2.1, 3.3.1: the FAQ first, and the forwarding records what it gave.
    const unchecked = await api
      .http()
      .post(`/tickets/${id}/forward`)
      .set(api.as('regional_operator'))
      .send({});
    expect(unchecked.body).toMatchObject({ code: 'faq_not_checked' });
    expect(
      (
        await api
          .http()
          .post(`/tickets/${id}/forward`)
          .set(api.as('regional_operator'))
          .send({ faqCheck: 'not_helpful', faqArticleId: faq.body.id })
      ).status,
    ).toBe(200);
    const registered = await api
      .http()
      .post(`/tickets/${id}/register`)
      .set(api.as('federal_operator'))
      .send({ requestType: 'incident' });
    expect(registered.body.ticket).toMatchObject({ status: 'assigned', statusLabel: 'Назначен' });
    const agency = await api
      .http()
      .post(`/tickets/${id}/ask-agency`)
      .set(api.as('federal_operator'))
      .send({ agency: 'СФР' });
    expect(agency.body.ticket).toMatchObject({
      status: 'pending',
      statusReasonLabel: 'Отклонено на ведомство',
    });
    expect(
      (
        await api
          .http()
          .post(`/tickets/${id}/agency-answered`)
          .set(api.as('federal_operator'))
          .send({ text: 'Ответ СФР' })
      ).status,
    ).toBe(200);
    const solved = await api
      .http()
      .post(`/tickets/${id}/resolve`)
      .set(api.as('federal_operator'))
      .send({ text: 'Решено' });
    expect(solved.body.ticket.status).toBe('solved');
    const confirmed = await api
      .http()
      .post(`/tickets/${id}/confirm`)
      .set(api.as('regional_operator'))
      .send({});
    expect(confirmed.body.ticket).toMatchObject({ status: 'closed', statusReason: 'confirmed' });
  });

  it('п. 3.2.8.3, 3.3.9: while an agency is asked, the user’s message and a logged inquiry are repeated inquiries, in writing with the 3-hour clock', async () => {
    const appeal = {
      regulation: 'epgu',
      channel: 'email',
      description: 'Отказ в услуге без объяснения причин',
      initiator: {
        fullName: 'Кузнецова Мария Петровна',
        email: 'kuznetsova@example.ru',
        snils: '112-233-445 95',
        inn: '500100732259',
        birthDate: '1979-02-01',
        contact: 'kuznetsova@example.ru',
      },
    };
    const id = (await api.http().post('/tickets').set(api.as('regional_operator')).send(appeal)).body.id;
    const step = (path: string, role: Parameters<typeof api.as>[0], body: object) =>
      api.http().post(`/tickets/${id}/${path}`).set(api.as(role)).send(body);
    expect((await step('forward', 'regional_operator', { faqCheck: 'no_answer' })).status).toBe(200);
    expect((await step('register', 'federal_operator', { requestType: 'information_request' })).status).toBe(
      200,
    );
    expect((await step('ask-agency', 'federal_operator', { agency: 'СФР' })).status).toBe(200);
    const inquiry = await step('status-inquiry', 'regional_operator', {});
    expect(inquiry.status).toBe(200);
    expect(inquiry.body.ticket.inquiries[0]).toMatchObject({ service: 'federal' });
    const message = await step('reply', 'regional_operator', { text: 'Когда будет ответ ведомства?' });
    expect(message.status).toBe(200);
    const events = (await api.http().get(`/tickets/${id}/history`).set(api.as('manager'))).body.events;
    expect(
      events
        .filter((e: { type: string }) => e.type === 'inquiryReceived')
        .map((e: { channel: string }) => e.channel),
    ).toEqual(['email', 'email']);
    expect(message.body.ticket).toMatchObject({ status: 'pending', statusReason: 'agency' });
  });
});

describe('API: the audit’s mail (real activities, mail kept in the database)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  const outgoing = async (ticketId: string) =>
    (await api.http().get('/mail/outgoing').set(api.as('manager'))).body.items.filter(
      (m: { ticketId: string }) => m.ticketId === ticketId,
    ) as { template: string; to: string[] }[];

  it('seed 000 п. 3.2: an answer waiting for the operator reminds the assignee after 2 working hours and the managers after a working day', async () => {
    api.setNow('2025-03-03T00:00:00.000Z'); // Monday 10:00 Vladivostok
    const ivanov = { id: 'ivanov', name: 'Иванов', email: 'ivanov@dprim.ru' };
    const id = (await createPhone(api, { ...phoneIncident, assignee: ivanov })).body.id;
    api.setNow('2025-03-03T01:00:00.000Z');
    await api
      .http()
      .post(`/tickets/${id}/request-info`)
      .set(api.as('first_line'))
      .send({ question: 'Скриншот?' });
    api.setNow('2025-03-04T01:00:00.000Z'); // Tuesday 11:00
    await api
      .http()
      .post(`/tickets/${id}/reply`)
      .set(api.as('first_line'))
      .send({ text: 'Скриншот во вложении' });
    await api.advance('2025-03-05T02:00:00.000Z'); // Wednesday 12:00
    const mail = await outgoing(id);
    expect(mail.find((m) => m.template === 'answerWaiting')).toMatchObject({ to: ['ivanov@dprim.ru'] });
    expect(mail.find((m) => m.template === 'answerWaitingManager')?.to).toEqual(
      expect.arrayContaining(['manager@dprim.ru', 'ivanov@dprim.ru']),
    );
  });

  it('seed 003 п. 3.3.3.4–3.3.3.5, 3.3.12–3.3.13: a written appeal’s registration and solution go to the regional mailbox', async () => {
    api.setNow('2025-06-09T07:00:00.000Z');
    const id = (
      await api
        .http()
        .post('/tickets')
        .set(api.as('regional_operator'))
        .send({
          regulation: 'epgu',
          channel: 'email',
          description: 'Не отправляется заявление через виджет',
          initiator: {
            fullName: 'Смирнов Алексей Викторович',
            email: 'smirnov@example.ru',
            snils: '112-233-445 95',
            inn: '500100732259',
            birthDate: '1985-04-12',
            contact: 'smirnov@example.ru',
          },
        })
    ).body.id;
    const step = (path: string, role: 'regional_operator' | 'federal_operator', body: object) =>
      api.http().post(`/tickets/${id}/${path}`).set(api.as(role)).send(body);
    await step('forward', 'regional_operator', { faqCheck: 'no_answer' });
    await step('register', 'federal_operator', { requestType: 'incident' });
    await step('resolve', 'federal_operator', { text: 'Исправлено' });
    const mail = await outgoing(id);
    for (const template of ['registered', 'solution'])
      expect(mail.find((m) => m.template === template)).toMatchObject({ to: ['rpgu@region.ru'] });
  });
});

function createPhone(api: Api, body: object) {
  return api.http().post('/tickets').set(api.as('first_line')).send(body);
}
