/**
 * Issue #18, findings 4 and 8: a forged sender must not speak for anyone, and automatic mail goes only
 * to the sender whose mail authenticated, never to an address typed in a body. Real SMTP in and out,
 * real PostgreSQL, real DKIM signatures with keys made here, DNS records served by an in-process
 * resolver (no network).
 */
import { generateKeyPairSync } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { authorizedPersons, organizations } from '../../db/schema';
import type { TicketState } from '../../domain';
import { createSenderAuthenticator, type DNSResolver } from '../../mail/auth/authenticate';
import { DESK, startDesk, type Desk } from './desk';

/** DNS as the test publishes it: TXT records by name; anything else does not exist. */
function resolverOf(txt: Record<string, string>): DNSResolver {
  return (name, type) => {
    const record = txt[name.toLowerCase()];
    if (type === 'TXT' && record !== undefined) return Promise.resolve([[record]]);
    return Promise.reject(Object.assign(new Error(`${name} ${type}: not found`), { code: 'ENOTFOUND' }));
  };
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const dkimKey = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const dkimRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;

/**
 * bubblegum.ru signs its mail and publishes DMARC; its SPF names another server, so mail from the
 * test's client (127.0.0.1) authenticates only by its signature. partner.ru has SPF for 127.0.0.1 and
 * no DMARC. stranger.example publishes nothing.
 */
const DNS = {
  'bubblegum.ru': 'v=spf1 ip4:192.0.2.10 -all',
  's1._domainkey.bubblegum.ru': dkimRecord,
  '_dmarc.bubblegum.ru': 'v=DMARC1; p=reject',
  'partner.ru': 'v=spf1 ip4:127.0.0.1 -all',
};
const signed = { domainName: 'bubblegum.ru', keySelector: 's1', privateKey: dkimKey };

const complete = (name: string) =>
  `Не формируется отчёт.\n\nФИО: ${name}\nДолжность: специалист\n«Бубль-Гум»`;
const deactivation = (name: string) =>
  `Прошу деактивировать доступ к модулю сотруднику Уволенову.\n\nФИО: ${name}\nДолжность: директор\n«Бубль-Гум»`;

async function organisation(desk: Desk): Promise<void> {
  await desk.db.db
    .insert(organizations)
    .values({ id: 'bubble', name: '«Бубль-Гум»', domains: ['bubblegum.ru'] });
  await desk.db.db.insert(authorizedPersons).values({
    id: 'p-boss',
    organizationId: 'bubble',
    fullName: 'Начальников Начальник Начальникович',
    email: 'boss@bubblegum.ru',
  });
}

const lastInbox = async (desk: Desk) =>
  (
    await desk.db.db.execute<{
      id: string;
      status: string;
      outcome: string;
      ticket_id: string | null;
      sender_auth: { authenticated: boolean; dkim: string; spf: string; dmarc: string } | null;
    }>(sql`select id, status, outcome, ticket_id, sender_auth from inbox order by id desc limit 1`)
  ).rows[0]!;

const stateOf = async (desk: Desk, id: string) => (await findTicket(desk.db.db, id))!.state as TicketState;

describe('issue #18, finding 4: the intake verifies SPF, DKIM and DMARC (MAIL_AUTH=verify)', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk({ auth: { mode: 'verify', resolver: resolverOf(DNS), timeoutMs: 5_000 } });
    await organisation(desk);
  });

  afterAll(async () => {
    await desk.close();
  });

  async function ticketFrom(from: string): Promise<string> {
    await desk.send({
      from,
      subject: 'Не формируется отчёт',
      text: complete('Сотрудников Сотрудник'),
      dkim: signed,
    });
    await desk.dispatch();
    const row = await lastInbox(desk);
    expect(row).toMatchObject({
      status: 'done',
      sender_auth: { authenticated: true, dkim: 'pass', dmarc: 'pass' },
    });
    return row.ticket_id!;
  }

  it('a forged From: of a ticket’s initiator is held, not applied; the properly signed reply is applied', async () => {
    const id = await ticketFrom('ivan@bubblegum.ru');
    // The forger uses the initiator's address as envelope and From:, exactly as issue #18 saw.
    await desk.send({
      from: 'ivan@bubblegum.ru',
      subject: `Re: [${id}] Не формируется отчёт`,
      text: 'Отбой, всё заработало, закройте заявку.',
    });
    await desk.dispatch();
    const forged = await lastInbox(desk);
    expect(forged).toMatchObject({ status: 'held', ticket_id: id });
    expect(forged.sender_auth).toMatchObject({ authenticated: false, spf: 'fail', dmarc: 'fail' });
    expect(forged.outcome).toContain('отправитель не подтверждён');
    expect((await ticketEventsOf(desk.db.db, id)).map((e) => e.type)).not.toContain('messageReceived');

    await desk.send({
      from: 'ivan@bubblegum.ru',
      subject: `Re: [${id}] Не формируется отчёт`,
      text: 'Прикладываю снимок экрана.',
      dkim: signed,
    });
    await desk.dispatch();
    expect(await lastInbox(desk)).toMatchObject({ status: 'done', outcome: 'reply', ticket_id: id });
    const messages = (await ticketEventsOf(desk.db.db, id)).filter((e) => e.type === 'messageReceived');
    expect(messages).toHaveLength(1);
  });

  it('seed 000 п. 3.3.1–3.3.2: a forged authorised person’s deactivation request is held, never «verified»; a signed one is', async () => {
    await desk.send({
      from: 'boss@bubblegum.ru',
      subject: 'Деактивация доступа',
      text: deactivation('Начальников Начальник'),
    });
    await desk.dispatch();
    const forged = await lastInbox(desk);
    expect(forged).toMatchObject({ status: 'held', ticket_id: null });
    expect(forged.outcome).toContain('запрос уполномоченного лица');

    await desk.send({
      from: 'boss@bubblegum.ru',
      subject: 'Деактивация доступа',
      text: deactivation('Начальников Начальник'),
      dkim: signed,
    });
    await desk.dispatch();
    const genuine = await lastInbox(desk);
    expect(genuine.status).toBe('done');
    const state = await stateOf(desk, genuine.ticket_id!);
    expect(state.intake.access).toMatchObject({ kind: 'deactivation' });
    expect(state.intake.authorization).toMatchObject({ verified: true, personId: 'p-boss' });
    expect(state.intake.authorization!.method).toContain('DMARC');
  });

  it('an operator may confirm the held request (POST /inbox/{id}/release): then it is the person’s, confirmed by the operator', async () => {
    await desk.send({
      from: 'boss@bubblegum.ru',
      subject: 'Деактивация доступа',
      text: deactivation('Начальников Начальник'),
    });
    await desk.dispatch();
    const held = await lastInbox(desk);
    expect(held.status).toBe('held');
    const api = await desk.api();
    const res = await api.http().post(`/inbox/${held.id}/release`).set(api.auth).send({ action: 'new' });
    expect(res.status).toBe(200);
    const state = await stateOf(desk, (await lastInbox(desk)).ticket_id ?? res.body.ticketId);
    expect(state.intake.authorization).toMatchObject({ verified: true, personId: 'p-boss' });
    expect(state.intake.senderAuth).toMatchObject({ authenticated: false, confirmedByOperator: true });
  });

  it('operators see the verdict: GET /inbox, GET /inbox/{id}, and the ticket’s correspondence', async () => {
    const id = await ticketFrom('olga@bubblegum.ru');
    await desk.send({ from: 'olga@bubblegum.ru', subject: `Re: [${id}]`, text: 'Подделка.' });
    await desk.dispatch();
    const held = await lastInbox(desk);
    const api = await desk.api();
    const list = await api.http().get('/inbox?status=held,done').set(api.auth);
    expect(list.status).toBe(200);
    const item = (list.body.items as { id: number; senderAuth: { summary: string } | null }[]).find(
      (i) => String(i.id) === String(held.id),
    );
    expect(item!.senderAuth!.summary).toBe('Отправитель не подтверждён: SPF fail, DKIM none, DMARC fail');
    const one = await api.http().get(`/inbox/${held.id}`).set(api.auth);
    expect(one.body.senderAuth).toMatchObject({
      authenticated: false,
      summary: expect.stringContaining('не подтверждён'),
    });
    const ticket = await api.http().get(`/tickets/${id}`).set(api.auth);
    expect(ticket.status).toBe(200);
    const incoming = (
      ticket.body.correspondence as { direction: string; senderAuth: { summary: string } | null }[]
    ).filter((c) => c.direction === 'in');
    expect(incoming[0]!.senderAuth!.summary).toBe('Отправитель подтверждён (DMARC, bubblegum.ru)');
  });

  it('SPF alone authenticates a domain without DMARC: partner.ru’s server is 127.0.0.1', async () => {
    await desk.send({ from: 'anna@partner.ru', subject: 'Вопрос', text: complete('Партнёрова Анна') });
    await desk.dispatch();
    expect((await lastInbox(desk)).sender_auth).toMatchObject({
      authenticated: true,
      spf: 'pass',
      dmarc: 'none',
    });
  });

  it('finding 8: automatic mail goes to the authenticated sender only, never to an address typed in the body', async () => {
    const before = desk.sink.messages.length;
    await desk.send({
      from: 'petr@bubblegum.ru',
      subject: 'Помогите',
      // No name or organisation: the desk asks for them automatically (п. 2.3.1.1).
      text: 'Ничего не работает.\nE-mail: victim@elsewhere.example',
      dkim: signed,
    });
    await desk.dispatch();
    const row = await lastInbox(desk);
    expect(row.outcome).toContain('missing fields asked');
    await waitFor(() => desk.sink.messages.length > before);
    const sent = desk.sink.messages.slice(before);
    expect(sent.flatMap((m) => m.envelopeTo)).toEqual(['petr@bubblegum.ru']);
    const { rows } = await desk.db.db.execute<{ n: number }>(
      sql`select count(*)::int as n from correspondence where direction = 'out' and 'victim@elsewhere.example' = any(to_addresses)`,
    );
    expect(rows[0]!.n).toBe(0);
    // The address is kept for the operator to see.
    expect((await stateOf(desk, row.ticket_id!)).intake.initiator).toMatchObject({
      email: 'petr@bubblegum.ru',
      statedEmail: 'victim@elsewhere.example',
    });
  });

  it('a stranger whose mail does not authenticate still gets a ticket, marked, and no automatic mail', async () => {
    const before = desk.sink.messages.length;
    await desk.send({ from: 'someone@stranger.example', subject: 'Помогите', text: 'Ничего не работает.' });
    await desk.dispatch();
    const row = await lastInbox(desk);
    expect(row).toMatchObject({
      status: 'done',
      sender_auth: { authenticated: false, spf: 'none', dmarc: 'none' },
    });
    expect(row.outcome).toContain('no automatic mail');
    const state = await stateOf(desk, row.ticket_id!);
    expect(state.intake.senderAuth).toMatchObject({ authenticated: false });
    expect((await ticketEventsOf(desk.db.db, row.ticket_id!)).map((e) => e.type)).not.toContain(
      'infoRequested',
    );
    const { rows } = await desk.db.db.execute<{ n: number }>(
      sql`select count(*)::int as n from correspondence where direction = 'out' and ticket_id = ${row.ticket_id}`,
    );
    expect(rows[0]!.n).toBe(0);
    expect(desk.sink.messages.slice(before).flatMap((m) => m.envelopeTo)).not.toContain(
      'someone@stranger.example',
    );
  });
});

describe('issue #18, finding 4: an unreachable DNS does not hold the intake', () => {
  it('the check gives up within its bound: temperror, the message is stored and answered 250', async () => {
    const desk = await startDesk({
      auth: { mode: 'verify', resolver: () => new Promise<never>(() => undefined), timeoutMs: 300 },
    });
    try {
      const started = Date.now();
      const info = await desk.send({
        from: 'ivan@bubblegum.ru',
        subject: 'x',
        text: complete('Тестов Тест'),
      });
      expect(info.response).toMatch(/^250 /);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await lastInbox(desk)).sender_auth).toMatchObject({ authenticated: false, dmarc: 'temperror' });
    } finally {
      await desk.close();
    }
  });
});

describe('issue #18, finding 4: MAIL_AUTH=upstream trusts only the configured MTA’s Authentication-Results', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk({ auth: { mode: 'upstream', servId: 'mx.dprim.ru' } });
    await organisation(desk);
  });

  afterAll(async () => {
    await desk.close();
  });

  const request = (results: string[]) =>
    [
      ...results.map((r) => `Authentication-Results: ${r}`),
      'From: boss@bubblegum.ru',
      `To: ${DESK}`,
      'Subject: Деактивация доступа',
      'Content-Type: text/plain; charset=utf-8',
      '',
      deactivation('Начальников Начальник'),
      '',
    ].join('\r\n');
  const pass =
    'spf=pass smtp.mailfrom=boss@bubblegum.ru; dkim=pass header.d=bubblegum.ru; dmarc=pass header.from=bubblegum.ru';

  it('the configured MTA’s pass authenticates: the request is the authorised person’s', async () => {
    await desk.sendRaw(request([`mx.dprim.ru; ${pass}`]), 'boss@bubblegum.ru');
    await desk.dispatch();
    const row = await lastInbox(desk);
    expect(row).toMatchObject({ status: 'done', sender_auth: { authenticated: true, dmarc: 'pass' } });
    expect((await stateOf(desk, row.ticket_id!)).intake.authorization).toMatchObject({ verified: true });
  });

  it('a pass from another authserv-id (one the sender wrote) counts for nothing', async () => {
    await desk.sendRaw(request([`mx.evil.example; ${pass}`]), 'boss@bubblegum.ru');
    await desk.dispatch();
    expect(await lastInbox(desk)).toMatchObject({ status: 'held', sender_auth: { authenticated: false } });
  });

  it('only the topmost header of the configured id counts: a forged pass below the MTA’s own fail is ignored', async () => {
    await desk.sendRaw(
      request([
        'mx.dprim.ru; spf=fail smtp.mailfrom=boss@bubblegum.ru; dkim=none; dmarc=fail header.from=bubblegum.ru',
        `mx.dprim.ru; ${pass}`,
      ]),
      'boss@bubblegum.ru',
    );
    await desk.dispatch();
    expect(await lastInbox(desk)).toMatchObject({
      status: 'held',
      sender_auth: { authenticated: false, spf: 'fail', dmarc: 'fail' },
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The authenticator itself, without SMTP: the mode `off` checks nothing (the verdict is null).
it('MAIL_AUTH=off: no verdict', async () => {
  const check = createSenderAuthenticator({ mode: 'off' });
  expect(
    await check({ raw: Buffer.from('From: a@b.ru\r\n\r\nx'), ip: null, helo: null, mailFrom: 'a@b.ru' }),
  ).toBeNull();
});
