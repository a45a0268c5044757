import { quietLogger } from '../support/quietLogger';
import { MockActivityEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import { createMailActivities, type MailResult, type MailSettings } from '../../activities/mail';
import { applyCommand, notificationsFor, openTicket, type OutgoingMail } from '../../domain';
import { correspondenceOf } from '../../db/repositories/correspondence';
import { problemsOf } from '../../db/repositories/problems';
import { suppressAddresses } from '../../db/repositories/suppressions';
import { testDatabase } from '../support/database';
import { startSmtpSink, type SmtpSink } from '../support/smtpSink';

const settings: MailSettings = {
  from: 'Служба технической поддержки <help@dprim.ru>',
  domain: 'dprim.ru',
  instance: 'r1',
  roles: {
    managers: ['manager@dprim.ru'],
    regional: ['rpgu@region.ru'],
    federal: ['support-op@gosuslugi.ru'],
  },
  automaticPerHour: 3,
};

/** The acknowledgement the domain produces for a registered request (seed 000 п. 2.4). */
function acknowledgement(id: string, email = `${id.toLowerCase()}@example.ru`): OutgoingMail {
  const opened = openTicket({
    ticketId: id,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: 'email',
    receivedAt: '2025-03-03T00:00:00.000Z',
    requestType: 'incident',
    intake: {
      subject: 'Не списываются баллы',
      description: 'Ошибка «Недостаточно средств»',
      initiator: {
        fullName: 'Петров Петр Петрович',
        email,
        extraEmails: [`boss-${email}`],
        organization: '«Бубль-Гум»',
      },
      sourceMessageId: '<original-123@example.ru>',
    },
  });
  const registered = applyCommand(
    opened.state,
    { type: 'register', by: { kind: 'operator', name: 'Оператор' } },
    Date.parse('2025-03-03T00:30:00.000Z'),
  );
  return notificationsFor(registered.events[0]!, registered.state)[0]!;
}

describe('mail activity (real PostgreSQL, real SMTP conversation)', () => {
  let db: Awaited<ReturnType<typeof testDatabase>>;
  let smtp: SmtpSink;
  const env = new MockActivityEnvironment(undefined, { logger: quietLogger });

  beforeAll(async () => {
    db = await testDatabase();
    smtp = await startSmtpSink();
  });

  afterAll(async () => {
    await smtp.close();
    await db.drop();
  });

  const activities = () => createMailActivities(db.db, nodemailer.createTransport(smtp.url), settings);

  it('п. 2.3.1.5–2.3.1.6, 2.4: sends the acknowledgement with ID and type in the subject, body starting with the ID, threaded', async () => {
    const mail = acknowledgement('ID100001');
    const result = await env.run(activities().sendMail, mail);
    expect(result).toEqual({ status: 'sent', messageId: '<ID100001.2.acknowledgement.r1@dprim.ru>' });
    expect(smtp.messages).toHaveLength(1);
    const { parsed, envelopeTo } = smtp.messages[0]!;
    expect(envelopeTo.sort()).toEqual(['boss-id100001@example.ru', 'id100001@example.ru']);
    expect(parsed.subject).toBe('[ID100001] Инцидент: Не списываются баллы');
    expect(parsed.text!.startsWith('ID100001\n')).toBe(true);
    expect(parsed.text).toContain('Дата и время получения: 03.03.2025 10:00 (МСК+7)');
    expect(parsed.text).toContain('Идентификатор заявки: ID100001');
    expect(parsed.text).toContain('Канал поступления: электронная почта');
    expect(parsed.text).toContain('Срок исполнения: до 11.03.2025 16:30 (МСК+7) (60 рабочих часов, п. 3.1).');
    expect(parsed.messageId).toBe('<ID100001.2.acknowledgement.r1@dprim.ru>');
    expect(parsed.inReplyTo).toBe('<original-123@example.ru>');
    expect(parsed.references).toBe('<original-123@example.ru>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.from?.text).toContain('help@dprim.ru');
    const [row] = await correspondenceOf(db.db, 'ID100001');
    expect(row).toMatchObject({ direction: 'out', status: 'sent', template: 'acknowledgement', attempts: 1 });
  });

  it('a retried activity never sends a second copy', async () => {
    const mail = acknowledgement('ID100002');
    await env.run(activities().sendMail, mail);
    const before = smtp.messages.length;
    expect(await env.run(activities().sendMail, mail)).toMatchObject({ status: 'duplicate' });
    expect(smtp.messages.length).toBe(before);
    expect(await correspondenceOf(db.db, 'ID100002')).toHaveLength(1);
  });

  it('a temporary SMTP failure is retried (the activity throws a retryable error), then delivered once', async () => {
    const mail = acknowledgement('ID100003');
    smtp.failNext(451, 'Try again later');
    await expect(env.run(activities().sendMail, mail)).rejects.toThrow(/451|Try again later/);
    const [pending] = await correspondenceOf(db.db, 'ID100003');
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await env.run(activities().sendMail, mail)).toMatchObject({ status: 'sent' });
    expect(
      smtp.messages.filter((m) => m.parsed.messageId === '<ID100003.2.acknowledgement.r1@dprim.ru>'),
    ).toHaveLength(1);
  });

  it('a permanent rejection fails without retry and is recorded as failed, and as the ticket’s problem (issue #10)', async () => {
    const mail = acknowledgement('ID100004');
    smtp.failNext(550, 'Mailbox unavailable');
    await expect(env.run(activities().sendMail, mail)).rejects.toMatchObject({
      type: 'MailRejected',
      nonRetryable: true,
    });
    const [row] = await correspondenceOf(db.db, 'ID100004');
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.error).toMatch(/Mailbox unavailable/);
    expect(await problemsOf(db.db, 'ID100004')).toEqual([
      expect.objectContaining({ kind: 'mail_rejected', key: mail.key }),
    ]);
  });

  it('a mail whose text PostgreSQL would refuse is stored sanitised and sent', async () => {
    const mail = acknowledgement('ID100019');
    const result = (await env.run(activities().sendMail, {
      ...mail,
      subject: `${mail.subject} \ud800\u0000`,
    })) as MailResult;
    expect(result.status).toBe('sent');
    const [row] = await correspondenceOf(db.db, 'ID100019');
    expect(row!.subject).toBe(`${mail.subject} \ufffd\ufffd`);
  });

  it('without SMTP the mail is kept in the database, readable later', async () => {
    const mail = acknowledgement('ID100005');
    const stored = createMailActivities(db.db, null, settings);
    expect(await env.run(stored.sendMail, mail)).toMatchObject({ status: 'stored' });
    const [row] = await correspondenceOf(db.db, 'ID100005');
    expect(row).toMatchObject({ status: 'stored', subject: '[ID100005] Инцидент: Не списываются баллы' });
    expect(row!.body).toContain('Ваша заявка зарегистрирована');
  });

  it('staff roles resolve to the configured mailboxes; a mail with nobody to send to is skipped', async () => {
    const mail: OutgoingMail = {
      ...acknowledgement('ID100006'),
      template: 'slaBreach',
      key: 'ID100006:9:slaBreach',
      eventSeq: 9,
      to: [],
      toRoles: ['managers'],
    };
    await env.run(activities().sendMail, mail);
    expect(smtp.messages.at(-1)!.envelopeTo).toEqual(['manager@dprim.ru']);
    const nobody: OutgoingMail = { ...mail, key: 'ID100006:10:x', toRoles: [] };
    expect(await env.run(activities().sendMail, nobody)).toEqual({
      status: 'no_recipients',
      messageId: null,
    });
  });

  it('no mail loops: automatic mail to one address is limited per hour, and the rest is recorded as suppressed', async () => {
    const email = 'loop@example.ru';
    const results: string[] = [];
    for (const id of ['ID100011', 'ID100012', 'ID100013', 'ID100014']) {
      const result = (await env.run(activities().sendMail, {
        ...acknowledgement(id, email),
        to: [email],
      })) as MailResult;
      results.push(result.status);
    }
    expect(results).toEqual(['sent', 'sent', 'sent', 'suppressed']);
    const [row] = await correspondenceOf(db.db, 'ID100014');
    expect(row).toMatchObject({ status: 'suppressed' });
    expect(row!.error).toContain('loop@example.ru got 3 automatic mails this hour');
  });

  it('an address that bounced is not mailed again for a while', async () => {
    await suppressAddresses(db.db, ['dead@example.ru'], 'bounce', 24);
    const mail = { ...acknowledgement('ID100021', 'dead@example.ru'), to: ['dead@example.ru'] };
    expect(await env.run(activities().sendMail, mail)).toEqual({ status: 'suppressed', messageId: null });
    expect((await correspondenceOf(db.db, 'ID100021'))[0]!.error).toContain('dead@example.ru bounced');
    const both = {
      ...acknowledgement('ID100022', 'dead@example.ru'),
      to: ['dead@example.ru', 'alive@example.ru'],
    };
    await env.run(activities().sendMail, both);
    expect(smtp.messages.at(-1)!.envelopeTo).toEqual(['alive@example.ru']);
  });

  it('invalid input fails non-retryably with a clear message', async () => {
    await expect(env.run(activities().sendMail, {} as OutgoingMail)).rejects.toMatchObject({
      type: 'InvalidMail',
      nonRetryable: true,
    });
  });
});
