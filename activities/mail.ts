/**
 * Delivery of the mail the domain decides on (domain/notifications). Idempotent: each mail is
 * recorded by its key before it is sent, and a retried activity finds it already sent. With no SMTP
 * server configured the mail is kept in the database (status `stored`) and shown by the API.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { SendMailOptions } from 'nodemailer';
import { recipientsOf, storableText, type MailRole, type OutgoingMail } from '../domain';
import type { Database } from '../db/client';
import { describeError, isUnfixableDataError } from '../db/errors';
import {
  claimOutgoing,
  countAttempt,
  markOutgoing,
  overAutomaticLimit,
} from '../db/repositories/correspondence';
import { recordProblem } from '../db/repositories/problems';
import { suppressedAmong } from '../db/repositories/suppressions';

export interface MailSettings {
  /** The desk's From address, e.g. 'Техподдержка <help@dprim.ru>'. */
  readonly from: string;
  /** Domain of our Message-IDs. */
  readonly domain: string;
  /** Which installation sent a mail, so replies can be recognised (part of every Message-ID). */
  readonly instance: string;
  /** Addresses behind the symbolic recipients. */
  readonly roles: Readonly<Record<MailRole, readonly string[]>>;
  /** At most this many automatic mails to one address per hour (no mail loops). */
  readonly automaticPerHour: number;
}

export interface MailTransport {
  sendMail(message: SendMailOptions): Promise<unknown>;
}

export type MailResult = {
  readonly status: 'sent' | 'stored' | 'duplicate' | 'no_recipients' | 'suppressed';
  readonly messageId: string | null;
};

/** `<ID100123.7.acknowledgement.r1@dprim.ru>`: the ticket and the instance are readable from it. */
export function messageIdOf(
  mail: Pick<OutgoingMail, 'ticketId' | 'eventSeq' | 'template'>,
  settings: MailSettings,
): string {
  return `<${mail.ticketId}.${mail.eventSeq}.${mail.template}.${settings.instance}@${settings.domain}>`;
}

/** The thread every mail of a ticket hangs from: the initiator's request, or a root of our own. */
export function threadRootOf(
  mail: Pick<OutgoingMail, 'ticketId' | 'threadRoot'>,
  settings: MailSettings,
): string {
  return mail.threadRoot ?? `<${mail.ticketId}.${settings.instance}@${settings.domain}>`;
}

/** A 5xx answer does not get better with retries, nor does an envelope nodemailer refuses to build. */
function isPermanent(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string };
  if (typeof e.responseCode === 'number') return e.responseCode >= 500;
  return e.code === 'EENVELOPE';
}

export function createMailActivities(db: Database, transport: MailTransport | null, settings: MailSettings) {
  /** The poison-pill rule for mail: recorded for operators with the ticket, then not retried. */
  async function unfixable(mail: OutgoingMail, error: unknown): Promise<never> {
    const detail = describeError(error);
    await recordProblem(db, {
      ticketId: mail.ticketId,
      kind: 'mail_unstorable',
      key: mail.key,
      detail: `Письмо ${mail.template} не сохранено: ${detail}`,
    });
    throw ApplicationFailure.nonRetryable(`mail ${mail.key} cannot be stored: ${detail}`, 'MailUnstorable');
  }

  async function deliver(mail: OutgoingMail): Promise<MailResult> {
    const intended = recipientsOf(mail, settings.roles);
    if (!intended.length) return { status: 'no_recipients', messageId: null };
    const messageId = messageIdOf(mail, settings);
    const root = threadRootOf(mail, settings);
    // Addresses that bounced get nothing for a while; automatic mail to one address is rate-limited.
    const blocked = await suppressedAmong(db, intended);
    const limited = mail.automatic
      ? await overAutomaticLimit(db, intended, settings.automaticPerHour)
      : new Set<string>();
    const to = intended.filter((a) => !blocked.has(a.toLowerCase()) && !limited.has(a.toLowerCase()));
    const row = await claimOutgoing(db, {
      key: mail.key,
      ticketId: mail.ticketId,
      template: mail.template,
      messageId,
      inReplyTo: root,
      fromAddress: settings.from,
      toAddresses: to.length ? to : intended,
      subject: storableText(mail.subject, 2000),
      body: storableText(mail.text),
      automatic: mail.automatic,
    });
    if (row.status !== 'pending' && row.status !== 'failed')
      return { status: 'duplicate', messageId: row.messageId };
    if (!to.length) {
      const reasons = [...blocked]
        .map((a) => `${a} bounced`)
        .concat([...limited].map((a) => `${a} got ${settings.automaticPerHour} automatic mails this hour`));
      await markOutgoing(db, mail.key, 'suppressed', `not sent: ${reasons.join('; ')}`);
      return { status: 'suppressed', messageId: null };
    }
    if (!transport) {
      await markOutgoing(db, mail.key, 'stored');
      return { status: 'stored', messageId };
    }
    try {
      await transport.sendMail({
        from: settings.from,
        to,
        subject: mail.subject,
        text: mail.text,
        messageId,
        inReplyTo: root,
        references: [root],
        headers: {
          'X-Reglament-Ticket': mail.ticketId,
          // Our automatic mail says so, and asks autoresponders to stay quiet: no mail loops.
          ...(mail.automatic && { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' }),
        },
      });
    } catch (error) {
      const message = (error as Error).message;
      if (isPermanent(error)) {
        await markOutgoing(db, mail.key, 'failed', storableText(message, 2000));
        await recordProblem(db, {
          ticketId: mail.ticketId,
          kind: 'mail_rejected',
          key: mail.key,
          detail: `Почтовый сервер отклонил письмо ${mail.template} (${to.join(', ')}): ${message}`,
        });
        throw ApplicationFailure.nonRetryable(`mail ${mail.key} rejected: ${message}`, 'MailRejected');
      }
      await countAttempt(db, mail.key, storableText(message, 2000));
      throw error;
    }
    await markOutgoing(db, mail.key, 'sent');
    return { status: 'sent', messageId };
  }

  return {
    async sendMail(mail: OutgoingMail): Promise<MailResult> {
      if (!mail || typeof mail.key !== 'string' || typeof mail.ticketId !== 'string') {
        throw ApplicationFailure.nonRetryable('mail without key or ticket', 'InvalidMail');
      }
      try {
        return await deliver(mail);
      } catch (error) {
        if (error instanceof ApplicationFailure || !isUnfixableDataError(error)) throw error;
        return unfixable(mail, error);
      }
    },
  };
}
