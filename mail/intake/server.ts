/**
 * The service desk's SMTP intake. A message is acknowledged (250) only after its raw bytes are
 * committed to PostgreSQL; when the database is away the answer is a temporary 451 so the sending
 * server retries; over the size limit 552. Everything else happens later, in the dispatcher.
 */
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { Database } from '../../db/client';
import { storeInbound } from '../../db/repositories/inbox';

export interface IntakeOptions {
  readonly db: Database;
  readonly maxBytes: number;
  /** Recipients this desk accepts (lower-case); empty: any. */
  readonly recipients: readonly string[];
  readonly tls?: { readonly key: Buffer; readonly cert: Buffer };
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

export function createIntake(options: IntakeOptions): Intake {
  const accepted = new Set(options.recipients.map((r) => r.toLowerCase()));
  const log = options.log ?? (() => undefined);
  const config: SMTPServerOptions = {
    banner: 'reglament service desk',
    size: options.maxBytes,
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls && { key: options.tls.key, cert: options.tls.cert }),
    logger: false,
    // Sending servers may keep connections; a slow client must not hold a socket forever.
    socketTimeout: 60_000,
    onRcptTo(address, _session, callback) {
      if (accepted.size && !accepted.has(address.address.toLowerCase())) {
        callback(smtpError(550, `5.1.1 <${address.address}>: no such mailbox at this service desk`));
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
        storeInbound(options.db, {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          remoteAddress: session.remoteAddress ?? null,
          raw,
        })
          .then((id) => {
            callback(null, `2.0.0 Ok: queued as ${id}`);
            options.onStored?.(id);
          })
          .catch((e: Error) => {
            log(`intake: cannot store a message (${e.message}); answered 451`);
            callback(smtpError(451, '4.3.0 Temporary storage failure, please try again later'));
          });
      });
    },
  };
  const server = new SMTPServer(config);
  server.on('error', (e) => log(`intake: ${e.message}`));
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
