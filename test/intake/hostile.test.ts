/**
 * The SMTP intake and the dispatcher as a hostile sender meets them (issue #10, findings 1, 5 and 6),
 * and the mail items of issue #11, over real SMTP conversations and real PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { connectDatabase } from '../../db/client';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { authorizedPersons, organizations } from '../../db/schema';
import { createIntake } from '../../mail/intake/server';
import { DESK, EPGU_DESK, FEDERAL_MAILBOX, REGIONAL_MAILBOX, startDesk, type Desk } from './desk';
import { createSenderAuthenticator } from '../../mail/auth/authenticate';

const complete = (name: string) =>
  `Не формируется отчёт.\n\nФИО: ${name}\nДолжность: специалист\n«Бубль-Гум»`;

describe('SMTP intake: a well-behaved MTA (issue #10, finding 5)', () => {
  let desk: Desk;
  const logged: string[] = [];

  beforeAll(async () => {
    desk = await startDesk({ domains: ['dprim.ru'], log: (l) => logged.push(l) });
  });

  afterAll(async () => {
    await desk.close();
  });

  const lastInbox = async () =>
    (
      await desk.db.db.execute<{ id: string; status: string; outcome: string; ticket_id: string }>(
        sql`select id, status, outcome, ticket_id from inbox order by id desc limit 1`,
      )
    ).rows[0]!;

  it('RCPT TO a stranger’s mailbox (<victim@gmail.com>): 550; any mailbox of a desk domain: accepted', async () => {
    await expect(
      desk.send({ from: 'a@bubblegum.ru', to: 'victim@gmail.com', subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({ responseCode: 550 });
    const info = await desk.send({ from: 'a@bubblegum.ru', to: 'support@dprim.ru', subject: 'x', text: 'y' });
    expect(info.accepted).toEqual(['support@dprim.ru']);
  });

  it('at most 100 recipients: the 101st gets 452, the message goes to the first 100', async () => {
    const to = Array.from({ length: 101 }, (_, i) => `desk${i}@dprim.ru`);
    const info = await desk.send({ from: 'a@bubblegum.ru', to, subject: 'many', text: 'y' });
    expect(info.accepted).toHaveLength(100);
    expect(info.rejectedErrors?.[0]).toMatchObject({ responseCode: 452 });
    const envelope = (
      await desk.db.db.execute<{ n: number }>(
        sql`select cardinality(envelope_to)::int as n from inbox order by id desc limit 1`,
      )
    ).rows[0]!;
    expect(envelope.n).toBe(100);
  });

  it('a NUL in the Message-ID (and other headers): 250, stored sanitised, dispatched to an outcome', async () => {
    const raw = Buffer.from(
      `From: nul@bubblegum.ru\r\nTo: ${DESK}\r\nMessage-ID: <a\u0000b@bubblegum.ru>\r\nSubject: NUL\u0000 в теме\r\nX-Junk: \u0000\u0001\u0002\r\n\r\n${complete('Нулев Нуль Нулевич')}\r\n`,
      'utf8',
    );
    const info = await desk.sendRaw(raw, 'nul@bubblegum.ru');
    expect(info.response).toMatch(/^250 /);
    const stored = (
      await desk.db.db.execute<{ message_id: string }>(
        sql`select message_id from inbox order by id desc limit 1`,
      )
    ).rows[0]!;
    expect(stored.message_id).toBe('<a\ufffdb@bubblegum.ru>');
    await desk.dispatch();
    const row = await lastInbox();
    expect(row.status).toBe('done');
    expect((await findTicket(desk.db.db, row.ticket_id))?.subject).toBe('NUL\ufffd в теме');
  });

  it('finding 1: a UTF-16 subject with a lone surrogate (=?utf-16le?B?IgQ1BEIEMAQA3A==?=) becomes a readable ticket', async () => {
    const raw = `From: poison@bubblegum.ru\r\nTo: ${DESK}\r\nSubject: =?utf-16le?B?IgQ1BEIEMAQA3A==?=\r\n\r\n${complete('Ядов Яд Ядович')}\r\n`;
    expect((await desk.sendRaw(raw, 'poison@bubblegum.ru')).response).toMatch(/^250 /);
    await desk.dispatch();
    const row = await lastInbox();
    expect(row).toMatchObject({ status: 'done', outcome: 'ticket' });
    const ticket = await findTicket(desk.db.db, row.ticket_id);
    expect(ticket?.subject).toBe('Тета\ufffd');
    expect(ticket?.seq).toBe(desk.gateway.tickets.get(row.ticket_id)!.state.seq);
  });

  it('the raw message is never written to the log, even when the database refuses or is away', async () => {
    const dead = connectDatabase('postgres://postgres:x@127.0.0.1:1/none', { max: 1 });
    const lines: string[] = [];
    const intake = createIntake({
      authenticate: createSenderAuthenticator({ mode: 'off' }),
      db: dead.db,
      maxBytes: 10_000,
      recipients: [DESK],
      log: (l) => lines.push(l),
    });
    const port = await intake.listen(0, '127.0.0.1');
    const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      await expect(
        client.sendMail({ from: 'a@b.ru', to: DESK, subject: 'секретная тема', text: 'секретный текст' }),
      ).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      client.close();
      await intake.close();
      await dead.close();
    }
    expect(lines.join('\n')).toMatch(/cannot store a message \(\d+ bytes, sha256 [0-9a-f]{16}\)/);
    expect([...lines, ...logged].join('\n')).not.toMatch(/секрет|Subject:|From:/);
  });
});

describe('no backscatter: automatic answers only to plausible senders (issue #10, finding 5)', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk({ automaticPerHour: 5 });
  });

  afterAll(async () => {
    await desk.close();
  });

  const statuses = async (from: string) =>
    (
      await desk.db.db.execute<{ status: string; outcome: string }>(
        sql`select status, outcome from inbox where envelope_from = ${from} order by id`,
      )
    ).rows;

  it('a From: that does not match the envelope is held for an operator: no ticket, no reply', async () => {
    const sent = desk.sink.messages.length;
    await desk.sendRaw(
      `From: victim@innocent.example\r\nTo: ${DESK}\r\nSubject: Спам\r\n\r\nКупите!\r\n`,
      'spammer@botnet.example',
    );
    await desk.dispatch();
    const [row] = await statuses('spammer@botnet.example');
    expect(row).toMatchObject({ status: 'held' });
    expect(row!.outcome).toContain('does not match From');
    expect(desk.sink.messages.length).toBe(sent);
  });

  it('24 incomplete requests from one sender: the automatic answers stop at the per-recipient limit, the rest is held', async () => {
    const from = 'flood@bubblegum.ru';
    for (let i = 0; i < 24; i++)
      await desk.send({ from, subject: `Не работает ${i}`, text: 'Ничего не работает.' });
    await desk.dispatch();
    const rows = await statuses(from);
    const answered = desk.sink.messages.filter((m) => m.envelopeTo.includes(from));
    // Each ticket's missing-fields answer counts against the one limit of automatic mail.
    expect(answered.length).toBe(5);
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(5);
    expect(rows.filter((r) => r.status === 'held')).toHaveLength(19);
    expect(rows.find((r) => r.status === 'held')!.outcome).toContain('5 automatic mails this hour');
  }, 60_000);

  it('an address that bounced is not answered: its next request is held', async () => {
    await desk.db.db.execute(
      sql`insert into mail_suppressions (address, reason, until) values ('gone@bubblegum.ru', 'bounce', now() + interval '1 day')`,
    );
    await desk.send({
      from: 'gone@bubblegum.ru',
      subject: 'Снова я',
      text: complete('Ушедший Уш Ушедшевич'),
    });
    await desk.dispatch();
    expect((await statuses('gone@bubblegum.ru'))[0]).toMatchObject({ status: 'held' });
  });
});

describe('issue #11, mail items', () => {
  let desk: Desk;
  const op = { kind: 'operator' as const, id: 'f', name: 'Оператор', role: 'federal_operator' };
  const regional = { kind: 'operator' as const, id: 'r', name: 'Оператор', role: 'regional_operator' };

  beforeAll(async () => {
    desk = await startDesk();
    await desk.db.db
      .insert(organizations)
      .values({ id: 'bubble', name: '«Бубль-Гум»', domains: ['bubblegum.ru'] });
    await desk.db.db.insert(authorizedPersons).values({
      id: 'p-boss',
      organizationId: 'bubble',
      fullName: 'Начальников Начальник Начальникович',
      email: 'boss@bubblegum.ru',
    });
  });

  afterAll(async () => {
    await desk.close();
  });

  const last = async () =>
    (
      await desk.db.db.execute<{ status: string; outcome: string; ticket_id: string }>(
        sql`select status, outcome, ticket_id from inbox order by id desc limit 1`,
      )
    ).rows[0]!;

  async function epguAppeal(status: 'assigned' | 'agency'): Promise<string> {
    await desk.send({
      to: EPGU_DESK,
      from: 'smirnov@example.ru',
      subject: 'Не отправляется заявление',
      text: 'Не отправляется заявление через виджет.\nФИО: Смирнов Алексей Викторович\nСНИЛС: 112-233-445 95\nИНН: 500100732259\nДата рождения: 12.04.1985',
    });
    await desk.dispatch();
    const id = (await last()).ticket_id;
    // п. 3.2.1, 3.3.1: the FAQ was searched first.
    await desk.gateway.send(id, { type: 'forward', by: regional, faqCheck: 'no_answer' });
    await desk.gateway.send(id, { type: 'register', by: op, requestType: 'incident' });
    await desk.gateway.send(id, { type: 'assign', by: op, assignee: { id: 'f1', name: 'Федеральный' } });
    if (status === 'agency') await desk.gateway.send(id, { type: 'askAgency', by: op, agency: 'ФНС' });
    return id;
  }

  it('seed 000 п. 3.3.1–3.3.2: an access request is authorised by the verified sender, never by an address in the body', async () => {
    const body = (who: string) =>
      `Прошу предоставить доступ к модулю сотруднику Иванову.\n\nФИО: ${who}\nboss@bubblegum.ru\nДолжность: директор\n«Бубль-Гум»`;
    await desk.send({
      from: 'intern@bubblegum.ru',
      subject: 'Предоставить доступ',
      text: body('Стажёров Стаж Стажёрович'),
    });
    await desk.dispatch();
    const forged = await findTicket(desk.db.db, (await last()).ticket_id);
    expect((forged!.state as { intake: { authorization?: unknown } }).intake.authorization).toBeUndefined();
    await desk.send({
      from: 'boss@bubblegum.ru',
      subject: 'Предоставить доступ',
      text: body('Начальников Начальник Начальникович'),
    });
    await desk.dispatch();
    const genuine = await findTicket(desk.db.db, (await last()).ticket_id);
    expect((genuine!.state as { intake: { authorization?: unknown } }).intake.authorization).toMatchObject({
      verified: true,
      personId: 'p-boss',
    });
  });

  it('seed 003 п. 3.2.8.3: a user’s message while «В ожидании / Отклонено на ведомство» is a repeated status inquiry', async () => {
    const id = await epguAppeal('agency');
    expect(await findTicket(desk.db.db, id)).toMatchObject({ status: 'pending', statusReason: 'agency' });
    await desk.send({
      to: EPGU_DESK,
      from: 'smirnov@example.ru',
      subject: `Re: [${id}]`,
      text: 'Есть новости?',
    });
    await desk.dispatch();
    expect(await last()).toMatchObject({ status: 'done', outcome: 'status_inquiry', ticket_id: id });
    expect((await ticketEventsOf(desk.db.db, id)).map((e) => e.type)).toContain('inquiryReceived');
  });

  it('seed 003 п. 3.3.12: the federal mailbox’s mail is threaded into the ticket it names, even as «Fwd:»', async () => {
    const id = await epguAppeal('assigned');
    const tickets = desk.gateway.opened.length;
    await desk.send({
      to: EPGU_DESK,
      from: FEDERAL_MAILBOX,
      subject: `Fwd: [${id}] Решение по обращению`,
      text: 'Ошибка исправлена в версии 2.3.',
    });
    await desk.dispatch();
    expect(await last()).toMatchObject({ status: 'done', outcome: 'counterpart: comment', ticket_id: id });
    expect(desk.gateway.opened.length).toBe(tickets);
    const comment = (await ticketEventsOf(desk.db.db, id)).at(-1) as { type: string; text: string };
    expect(comment.type).toBe('commented');
    expect(comment.text).toContain('Ошибка исправлена в версии 2.3.');
  });

  it('seed 003 п. 3.3.7, 3.3.9.2: the regional mailbox relays the user; from an unknown ticket it is held', async () => {
    const id = await epguAppeal('assigned');
    await desk.send({
      to: EPGU_DESK,
      from: REGIONAL_MAILBOX,
      subject: `Fwd: [${id}] Статус?`,
      text: 'Пользователь спрашивает о статусе.',
    });
    await desk.dispatch();
    expect(await last()).toMatchObject({
      status: 'done',
      outcome: 'counterpart: status_inquiry',
      ticket_id: id,
    });
    const tickets = desk.gateway.opened.length;
    await desk.send({
      to: EPGU_DESK,
      from: REGIONAL_MAILBOX,
      subject: 'Fwd: новое обращение',
      text: 'Пересылаем обращение.',
    });
    await desk.dispatch();
    const held = await last();
    expect(held.status).toBe('held');
    expect(held.outcome).toContain('names no known ticket');
    expect(desk.gateway.opened.length).toBe(tickets);
  });
});
