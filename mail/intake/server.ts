/**
 * The service desk's SMTP intake, a well-behaved MTA (issue #10):
 * - RCPT TO only for the desk's own addresses (MAIL_ROUTES) and mailboxes of its domains, 550 for
 *   anyone else (no open relay, no mail for strangers accepted);
 * - at most `maxRecipients` recipients per message, 452 beyond (the sender sends the rest later);
 * - 250 only after the raw bytes are committed to PostgreSQL, whatever the headers contain (the
 *   envelope and the Message-ID are made storable; the raw message is kept as it came); 451 only
 *   while the database is away, 554 if it refuses the message itself, never 451 forever;
 * - over the size limit 552;
 * - logs carry sizes, ids and hashes, never a message's content.
 * Everything else happens later, in the dispatcher.
 */
import { createHash } from 'node:crypto';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Database } from '../../db/client';
import { describeError, isUnfixableDataError } from '../../db/errors';
import { storeInbound } from '../../db/repositories/inbox';
import type { SenderAuthenticator } from '../auth/authenticate';

export interface IntakeOptions {
  readonly db: Database;
  readonly maxBytes: number;
  /** Desk addresses this intake accepts (any case). */
  readonly recipients: readonly string[];
  /** Domains whose every mailbox is the desk's. With neither, nothing is accepted. */
  readonly domains?: readonly string[];
  /** Recipients per message (default 100). */
  readonly maxRecipients?: number;
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
  /**
   * The sender check (MAIL_AUTH, issue #18): its verdict is stored with the message. Required, so no
   * intake runs without a deliberate choice; `createSenderAuthenticator({ mode: 'off' })` checks nothing.
   */
  readonly authenticate: SenderAuthenticator;
  /** Called after a message is stored, e.g. to wake the dispatcher. */
  readonly onStored?: (id: number) => void;
  readonly log?: (message: string) => void;
}

const smtpError = (code: number, message: string): Error =>
  Object.assign(new Error(message), { responseCode: code });

export interface Intake {
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

/** Whether an address is the desk's: one of its addresses, or any mailbox of one of its domains. */
export function isDeskAddress(
  address: string,
  recipients: ReadonlySet<string>,
  domains: ReadonlySet<string>,
): boolean {
  const lower = address.toLowerCase();
  if (recipients.has(lower)) return true;
  const at = lower.lastIndexOf('@');
  return at > 0 && domains.has(lower.slice(at + 1));
}

/** How a message appears in logs: its size and a hash, never its content. */
const fingerprint = (raw: Buffer): string =>
  `${raw.length} bytes, sha256 ${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;

export function createIntake(options: IntakeOptions): Intake {
  const recipients = new Set(options.recipients.map((r) => r.toLowerCase()));
  const domains = new Set((options.domains ?? []).map((d) => d.toLowerCase()));
  const maxRecipients = options.maxRecipients ?? 100;
  const log = options.log ?? (() => undefined);
  const config: SMTPServerOptions = {
    banner: 'reglament service desk',
    size: options.maxBytes,
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    logger: false,
    // The client's host name is not used, and a resolver that is slow or away would delay every greeting.
    disableReverseLookup: true,
    // Sending servers may keep connections; a slow client must not hold a socket forever.
    socketTimeout: 60_000,
    onRcptTo(address, session, callback) {
      if (session.envelope.rcptTo.length >= maxRecipients) {
        callback(smtpError(452, `4.5.3 Too many recipients: at most ${maxRecipients} per message`));
        return;
      }
      if (!isDeskAddress(address.address, recipients, domains)) {
        callback(smtpError(550, '5.1.1 No such mailbox at this service desk'));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `5.3.4 Message too big: the limit is ${options.maxBytes} bytes`));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const remoteAddress = session.remoteAddress ?? null;
        // The check is bounded and never throws: a DNS that is away yields temperror, not a lost message.
        options
          .authenticate({
            raw,
            ip: remoteAddress?.replace(/^::ffff:/i, '') ?? null,
            helo: session.hostNameAppearsAs || null,
            mailFrom: envelopeFrom,
          })
          .catch((e: unknown) => {
            log(`intake: sender check failed (${fingerprint(raw)}): ${describeError(e)}`);
            return null;
          })
          .then((senderAuth) =>
            storeInbound(options.db, {
              envelopeFrom,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              remoteAddress,
              raw,
              senderAuth,
            }),
          )
          .then((id) => {
            callback(null, `2.0.0 Ok: queued as ${id}`);
            options.onStored?.(id);
          })
          .catch((e: unknown) => {
            if (isUnfixableDataError(e)) {
              log(
                `intake: the database refused a message (${fingerprint(raw)}): ${describeError(e)}; answered 554`,
              );
              callback(smtpError(554, '5.6.0 The message cannot be stored'));
              return;
            }
            log(`intake: cannot store a message (${fingerprint(raw)}): ${describeError(e)}; answered 451`);
            callback(smtpError(451, '4.3.0 Temporary storage failure, please try again later'));
          });
      });
    },
  };
  const server = new SMTPServer(config);
  server.on('error', (e) => log(`intake: ${describeError(e)}`));
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve((server.server.address() as { port: number }).port);
        });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
