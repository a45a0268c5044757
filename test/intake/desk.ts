/** A service desk's mail side for tests: real SMTP in, real SMTP out, real PostgreSQL. */
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { createActivities } from '../../activities';
import type { RegulationId } from '../../domain';
import { Dispatcher, DEFAULT_DISPATCHER_SETTINGS, type DispatcherSettings } from '../../mail/dispatcher';
import { createIntake } from '../../mail/intake/server';
import { testDatabase } from '../support/database';
import { InProcessGateway } from '../support/inProcessGateway';
import { startSmtpSink } from '../support/smtpSink';

export const DESK = 'help@dprim.ru';
export const EPGU_DESK = 'rpgu@region.ru';

export async function startDesk(
  options: {
    routes?: Record<string, RegulationId>;
    maxBytes?: number;
    settings?: Partial<DispatcherSettings>;
  } = {},
) {
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
          regional: [EPGU_DESK],
          federal: ['support-op@gosuslugi.ru'],
        },
        automaticPerHour: 50,
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
    ...options.settings,
  });
  const intake = createIntake({
    db: db.db,
    maxBytes: options.maxBytes ?? 5 * 2 ** 20,
    recipients: Object.keys(routes),
  });
  const port = await intake.listen(0, '127.0.0.1');
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return {
    db,
    sink,
    gateway,
    dispatcher,
    port,
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
