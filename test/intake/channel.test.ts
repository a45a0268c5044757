import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { correspondenceOf } from '../../db/repositories/correspondence';
import { findTicket, ticketEventsOf } from '../../db/repositories/tickets';
import { attachmentsOf } from '../../db/repositories/attachments';
import { createIntake } from '../../mail/intake/server';
import { connectDatabase } from '../../db/client';
import { DESK, EPGU_DESK, REGIONAL_MAILBOX, startDesk, type Desk } from './desk';
import { createSenderAuthenticator } from '../../mail/auth/authenticate';

const infoRequest = [
  'Прошу уточнить, почему не удаётся оплатить покупку по сертификату с помощью телефона?',
  '',
  'ФИО: Тестов Тест Тестович*',
  'tester@bubblegum.ru*',
  'Руководитель отдела маркетинга',
  '«Бубль-Гум»*',
].join('\n');

describe('e-mail channel: intake over SMTP, threading, acknowledgements (seed 000 п. 2.2–2.4)', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await startDesk();
  });

  afterAll(async () => {
    await desk.close();
  });

  const inbox = async (id: number) =>
    (
      await desk.db.db.execute<{ status: string; outcome: string; ticket_id: string }>(
        sql`select status, outcome, ticket_id from inbox where id = ${id}`,
      )
    ).rows[0]!;
  const lastInboxId = async () =>
    Number((await desk.db.db.execute<{ id: string }>(sql`select max(id) as id from inbox`)).rows[0]!.id);

  it('a complete request becomes a ticket waiting for registration; the mail is stored before 250', async () => {
    const info = await desk.send({
      from: '"Тестов Тест Тестович" <tester@bubblegum.ru>',
      subject: 'Оплата по сертификату',
      text: infoRequest,
      messageId: '<req-complete@bubblegum.ru>',
    });
    expect(info.response).toMatch(/^250 2\.0\.0 Ok: queued as \d+/);
    const id = await lastInboxId();
    expect((await inbox(id)).status).toBe('pending');
    await desk.dispatch();
    const row = await inbox(id);
    expect(row).toMatchObject({ status: 'done', outcome: 'ticket' });
    const ticket = await findTicket(desk.db.db, row.ticket_id);
    expect(ticket).toMatchObject({
      status: 'received',
      channel: 'email',
      initiatorName: 'Тестов Тест Тестович',
      organization: '«Бубль-Гум»',
    });
    const [incoming] = await correspondenceOf(desk.db.db, row.ticket_id);
    expect(incoming).toMatchObject({ direction: 'in', messageId: '<req-complete@bubblegum.ru>' });
  });

  it('п. 2.3.1.1: missing mandatory fields are asked for exactly; the answer completes the request', async () => {
    await desk.send({
      from: 'ivan@romashka.ru',
      subject: 'Не работает выгрузка',
      text: 'Не формируется отчёт за февраль.',
      messageId: '<req-missing@romashka.ru>',
    });
    await desk.dispatch();
    const ticketId = (await inbox(await lastInboxId())).ticket_id;
    expect(await findTicket(desk.db.db, ticketId)).toMatchObject({ status: 'awaiting_reply' });
    const ask = desk.sink.messages.find((m) => m.parsed.subject?.startsWith(`[${ticketId}]`))!;
    expect(ask.envelopeTo).toEqual(['ivan@romashka.ru']);
    expect(ask.parsed.text).toContain(
      'Для регистрации заявки не хватает обязательных сведений:\n  — фамилия, имя и отчество Инициатора\n  — наименование органа или организации',
    );
    // Said once: the list's heading, then the request to answer (an operator session saw it twice).
    expect(ask.parsed.text?.split('не хватает обязательных сведений')).toHaveLength(2);
    expect(ask.parsed.text).toContain(
      'Пожалуйста, ответьте на это письмо и укажите эти сведения (п. 2.3.1.1).',
    );
    expect(ask.parsed.inReplyTo).toBe('<req-missing@romashka.ru>');
    // The initiator answers the mail (threaded by In-Reply-To, without the ID in the subject).
    await desk.send({
      from: 'ivan@romashka.ru',
      subject: 'Re: Не работает выгрузка',
      text: 'ФИО: Иванов Иван Иванович\nОрганизация: ООО «Ромашка»',
      inReplyTo: ask.parsed.messageId,
      references: [ask.parsed.messageId!],
    });
    await desk.dispatch();
    expect(await inbox(await lastInboxId())).toMatchObject({
      status: 'done',
      outcome: 'reply',
      ticket_id: ticketId,
    });
    const ticket = await findTicket(desk.db.db, ticketId);
    expect(ticket).toMatchObject({
      status: 'received',
      initiatorName: 'Иванов Иван Иванович',
      organization: 'ООО «Ромашка»',
    });
  });

  it('п. 2.3.1.6: a message with the ticket ID in the subject is a reply on that ticket', async () => {
    await desk.send({ from: 'tester@bubblegum.ru', subject: 'Первая заявка', text: infoRequest });
    await desk.dispatch();
    const ticketId = (await inbox(await lastInboxId())).ticket_id;
    await desk.send({
      from: 'Tester@Bubblegum.ru',
      subject: `${ticketId} дополнение`,
      text: 'Забыл приложить скриншот.',
      attachments: [{ filename: 'screen.png', content: Buffer.from('png-bytes'), contentType: 'image/png' }],
    });
    await desk.dispatch();
    expect(await inbox(await lastInboxId())).toMatchObject({ outcome: 'reply', ticket_id: ticketId });
    const events = await ticketEventsOf(desk.db.db, ticketId);
    expect(events.at(-1)).toMatchObject({
      type: 'messageReceived',
      text: 'Забыл приложить скриншот.',
      attachments: [{ fileName: 'screen.png', size: 9 }],
    });
    expect(await attachmentsOf(desk.db.db, ticketId)).toEqual([
      expect.objectContaining({ fileName: 'screen.png', contentType: 'image/png', size: 9 }),
    ]);
  });

  it('a reply from an address that is not on the ticket is held for an operator, not attached', async () => {
    await desk.send({ from: 'tester@bubblegum.ru', subject: 'Вопрос', text: infoRequest });
    await desk.dispatch();
    const ticketId = (await inbox(await lastInboxId())).ticket_id;
    const before = (await ticketEventsOf(desk.db.db, ticketId)).length;
    await desk.send({
      from: 'stranger@elsewhere.ru',
      subject: `Re: [${ticketId}] Вопрос`,
      text: 'Я тоже хочу знать',
    });
    await desk.dispatch();
    expect(await inbox(await lastInboxId())).toMatchObject({ status: 'held', ticket_id: ticketId });
    expect((await inbox(await lastInboxId())).outcome).toContain(
      'stranger@elsewhere.ru is not an address of ticket',
    );
    expect(await ticketEventsOf(desk.db.db, ticketId)).toHaveLength(before);
  });

  it('a forward of a ticket’s mail by someone else is a new request', async () => {
    await desk.send({ from: 'tester@bubblegum.ru', subject: 'Исходная', text: infoRequest });
    await desk.dispatch();
    const original = (await inbox(await lastInboxId())).ticket_id;
    await desk.send({
      from: 'colleague@bubblegum.ru',
      subject: `Fwd: [${original}] Исходная`,
      text: `У меня то же самое.\n\nФИО: Коллегов Коллега Коллегович\n«Бубль-Гум»`,
    });
    await desk.dispatch();
    const row = await inbox(await lastInboxId());
    expect(row.outcome).toBe('ticket');
    expect(row.ticket_id).not.toBe(original);
    expect(await findTicket(desk.db.db, row.ticket_id)).toMatchObject({
      initiatorEmail: 'colleague@bubblegum.ru',
    });
  });

  it('duplicates (same Message-ID) are dropped', async () => {
    const mail = {
      from: 'tester@bubblegum.ru',
      subject: 'Дубль',
      text: infoRequest,
      messageId: '<dup-1@bubblegum.ru>',
    };
    await desk.send(mail);
    await desk.send(mail);
    await desk.dispatch();
    const rows = (
      await desk.db.db.execute<{ status: string }>(
        sql`select status from inbox where message_id = '<dup-1@bubblegum.ru>' order by id`,
      )
    ).rows;
    expect(rows.map((r) => r.status)).toEqual(['done', 'duplicate']);
  });

  it('auto-replies, list mail and our own mail create nothing and get no answer', async () => {
    const sent = desk.sink.messages.length;
    await desk.send({
      from: 'boss@bubblegum.ru',
      subject: 'Автоответ: в отпуске',
      text: 'Я в отпуске',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await desk.send({
      from: 'list@news.ru',
      subject: 'Новости',
      text: 'Рассылка',
      headers: { 'List-Id': '<news.news.ru>', Precedence: 'bulk' },
    });
    await desk.send({
      from: 'outlook@bubblegum.ru',
      subject: 'Out of Office',
      text: 'OOF',
      headers: { 'X-Auto-Response-Suppress': 'All' },
    });
    await desk.dispatch();
    const rows = (
      await desk.db.db.execute<{ status: string; outcome: string }>(
        sql`select status, outcome from inbox order by id desc limit 3`,
      )
    ).rows;
    expect(rows.map((r) => r.status)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(desk.sink.messages.length).toBe(sent);
  });

  it('a bounce suppresses the address it reports', async () => {
    const raw = [
      'From: MAILER-DAEMON@mx.example.ru',
      `To: ${DESK}`,
      'Subject: Undelivered Mail Returned to Sender',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Delivery failed.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Final-Recipient: rfc822; gone@bubblegum.ru',
      'Action: failed',
      'Status: 5.1.1',
      '--b1--',
      '',
    ].join('\r\n');
    await desk.sendRaw(raw, '');
    await desk.dispatch();
    expect((await inbox(await lastInboxId())).status).toBe('ignored');
    const suppressed = (
      await desk.db.db.execute<{ address: string }>(sql`select address from mail_suppressions`)
    ).rows.map((r) => r.address);
    expect(suppressed).toContain('gone@bubblegum.ru');
  });

  it('over the size limit: 552, and nothing is stored', async () => {
    const small = await startDesk({ maxBytes: 2048 });
    try {
      await expect(
        small.send({ from: 'a@b.ru', subject: 'big', text: 'x'.repeat(10_000) }),
      ).rejects.toMatchObject({ responseCode: 552 });
      expect((await small.db.db.execute(sql`select count(*)::int as n from inbox`)).rows[0]).toEqual({
        n: 0,
      });
    } finally {
      await small.close();
    }
  });

  it('a recipient the desk does not serve: 550', async () => {
    await expect(
      desk.send({ from: 'a@b.ru', to: 'nobody@dprim.ru', subject: 'x', text: 'y' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('with the database away the intake answers 451 so the sender retries', async () => {
    const dead = connectDatabase('postgres://postgres:x@127.0.0.1:1/none', { max: 1 });
    const intake = createIntake({
      authenticate: createSenderAuthenticator({ mode: 'off' }),
      db: dead.db,
      maxBytes: 10_000,
      recipients: [DESK],
    });
    const port = await intake.listen(0, '127.0.0.1');
    const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    try {
      await expect(
        client.sendMail({ from: 'a@b.ru', to: DESK, subject: 'x', text: 'y' }),
      ).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      client.close();
      await intake.close();
      await dead.close();
    }
  });

  it('when Temporal is away the message stays pending, and becomes exactly one ticket later', async () => {
    desk.gateway.down = true;
    await desk.send({ from: 'tester@bubblegum.ru', subject: 'Во время сбоя', text: infoRequest });
    const id = await lastInboxId();
    await desk.dispatch();
    expect((await inbox(id)).status).toBe('pending');
    desk.gateway.down = false;
    await desk.db.db.execute(sql`update inbox set next_attempt_at = now() where id = ${id}`);
    await desk.dispatch();
    const row = await inbox(id);
    expect(row.status).toBe('done');
    expect(desk.gateway.opened.filter((t) => t === row.ticket_id)).toHaveLength(1);
  });

  it('п. 2.3.1.11: a change request by e-mail is accepted and registered as such', async () => {
    await desk.send({
      from: 'tester@bubblegum.ru',
      subject: 'Запрос на изменение: кнопка «поделиться»',
      text: 'Просьба добавить кнопку «поделиться».\n\nФИО: Тестов Тест Тестович\nДолжность: специалист\n«Бубль-Гум»',
    });
    await desk.dispatch();
    const ticketId = (await inbox(await lastInboxId())).ticket_id;
    expect(await findTicket(desk.db.db, ticketId)).toMatchObject({ type: 'change', status: 'received' });
  });

  it('seed 003: mail to the regional desk opens an epgu appeal; a later message on an assigned ticket is a status inquiry (п. 3.3.9.2)', async () => {
    await desk.send({
      to: EPGU_DESK,
      from: 'smirnov@example.ru',
      subject: 'Не отправляется заявление',
      text: 'Не отправляется заявление через виджет.\nФИО: Смирнов Алексей Викторович\nСНИЛС: 112-233-445 95\nИНН: 500100732259\nДата рождения: 12.04.1985',
    });
    await desk.dispatch();
    const ticketId = (await inbox(await lastInboxId())).ticket_id;
    expect(await findTicket(desk.db.db, ticketId)).toMatchObject({ regulation: 'epgu', status: 'received' });
    const op = { kind: 'operator' as const, id: 'r', name: 'Оператор' };
    await desk.gateway.send(ticketId, { type: 'forward', by: op, faqCheck: 'no_answer' });
    await desk.gateway.send(ticketId, { type: 'register', by: op, requestType: 'incident' });
    await desk.send({
      to: EPGU_DESK,
      from: 'smirnov@example.ru',
      subject: `Re: [${ticketId}] Обращение`,
      text: 'Когда будет решение?',
    });
    await desk.dispatch();
    expect(await inbox(await lastInboxId())).toMatchObject({
      outcome: 'status_inquiry',
      ticket_id: ticketId,
    });
    const events = await ticketEventsOf(desk.db.db, ticketId);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['inquiryReceived', 'inquiryAnswered']));
    const answer = desk.sink.messages.find(
      (m) => m.parsed.subject?.startsWith(`[${ticketId}]`) && m.parsed.text?.includes('статус «Назначен»'),
    );
    // п. 3.3.9.2: СП ЕПГУ answers СП РПГУ, which relays it to the user (п. 3.3.13).
    expect(answer?.envelopeTo).toEqual([REGIONAL_MAILBOX]);
  });
});
