/** A service desk's mail side for tests: real SMTP in, real SMTP out, real PostgreSQL. */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import request from 'supertest';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import { testApiContext } from '../support/apiContext';
import { createApiKey } from '../../db/repositories/apiKeys';
import type { RegulationId } from '../../domain';
import { Dispatcher, DEFAULT_DISPATCHER_SETTINGS, type DispatcherSettings } from '../../mail/dispatcher';
import { createSenderAuthenticator, type SenderAuthSettings } from '../../mail/auth/authenticate';
import { createIntake } from '../../mail/intake/server';
import { testDatabase } from '../support/database';
import { InProcessGateway } from '../support/inProcessGateway';
import { startSmtpSink } from '../support/smtpSink';

export const DESK = 'help@dprim.ru';
export const EPGU_DESK = 'rpgu@region.ru';

export const REGIONAL_MAILBOX = 'relay@rpgu.region.ru';
export const FEDERAL_MAILBOX = 'support-op@gosuslugi.ru';

export async function startDesk(
  options: {
    routes?: Record<string, RegulationId>;
    /** Domains whose every mailbox is the desk's. */
    domains?: string[];
    maxBytes?: number;
    maxRecipients?: number;
    /** The one per-recipient limit of automatic mail (activity and dispatcher alike). */
    automaticPerHour?: number;
    settings?: Partial<DispatcherSettings>;
    /**
     * The sender check (MAIL_AUTH). Tests about something else send unsigned mail from made-up domains,
     * so their desk says `off` explicitly; the issue #18 tests verify with an in-process resolver.
     */
    auth?: SenderAuthSettings;
    log?: (line: string) => void;
  } = {},
) {
  const automaticPerHour = options.automaticPerHour ?? 50;
  const db = await testDatabase();
  const sink = await startSmtpSink();
  const activities = createActivities({
    db: db.db,
    mail: {
      transport: nodemailer.createTransport(sink.url),
      settings: {
        from: `Служба технической поддержки <${DESK}>`,
        domain: 'dprim.ru',
        instance: 'r1',
        roles: {
          managers: ['manager@dprim.ru'],
          regional: [REGIONAL_MAILBOX],
          federal: [FEDERAL_MAILBOX],
        },
        automaticPerHour,
      },
    },
  });
  const gateway = new InProcessGateway(activities);
  const routes = options.routes ?? { [DESK]: 'primorye', [EPGU_DESK]: 'epgu' };
  const dispatcher = new Dispatcher(db.db, gateway, {
    ...DEFAULT_DISPATCHER_SETTINGS,
    domain: 'dprim.ru',
    instance: 'r1',
    routes,
    defaultRegulation: 'primorye',
    regulationSettings: { primorye: {}, epgu: {} },
    automaticPerHour,
    counterparts: { regional: [REGIONAL_MAILBOX], federal: [FEDERAL_MAILBOX] },
    ...options.settings,
  });
  const intake = createIntake({
    db: db.db,
    authenticate: createSenderAuthenticator(options.auth ?? { mode: 'off' }),
    maxBytes: options.maxBytes ?? 5 * 2 ** 20,
    recipients: Object.keys(routes),
    domains: options.domains ?? [],
    ...(options.maxRecipients && { maxRecipients: options.maxRecipients }),
    ...(options.log && { log: options.log }),
  });
  const port = await intake.listen(0, '127.0.0.1');
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  /** The operators' API on the desk's database (GET /inbox and the like), with an admin key. */
  const api = async () => {
    const app = createApp(testApiContext(db.db, gateway, { dispatcher }), {
      rateLimitPerMinute: 1_000_000,
      version: 'test',
    });
    const { key } = await createApiKey(db.db, { name: 'desk admin', role: 'admin' });
    return { http: () => request(app), auth: { Authorization: `Bearer ${key}` } };
  };
  return {
    db,
    sink,
    gateway,
    dispatcher,
    port,
    api,
    send: (mail: SendMailOptions) => client.sendMail({ to: DESK, ...mail }),
    sendRaw: (raw: string | Buffer, from = 'someone@example.ru', to = DESK) =>
      client.sendMail({ envelope: { from, to }, raw }),
    /** Dispatches until nothing is left that is due now. */
    async dispatch(): Promise<void> {
      while ((await dispatcher.dispatchOnce()) > 0);
    },
    async close(): Promise<void> {
      await intake.close();
      await sink.close();
      client.close();
      await db.drop();
    },
  };
}

export type Desk = Awaited<ReturnType<typeof startDesk>>;
