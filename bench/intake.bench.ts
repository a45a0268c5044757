/**
 * `npm run bench:intake`: a few thousand messages over SMTP from concurrent connections into the
 * intake (stored durably in PostgreSQL before each 250), then the dispatcher turning them into tickets.
 * Prints accepted mails/s and p95 acceptance latency, then the dispatch rate. Goal on the 2-core
 * machine: ≥ 100 mails/s accepted. The dispatch here goes through the in-process gateway (the
 * domain and the real persistence, no Temporal), so it measures the dispatcher and the database.
 */
import nodemailer from 'nodemailer';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { benchActivities, benchDatabase } from './database';
import { DEFAULT_DISPATCHER_SETTINGS, Dispatcher } from '../mail/dispatcher';
import { createIntake } from '../mail/intake/server';
import { InProcessGateway } from '../test/support/inProcessGateway';
import { createSenderAuthenticator } from '../mail/auth/authenticate';
import { percentile } from './stats';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);

async function main(): Promise<void> {
  const { url, stop: stopPostgres } = await benchDatabase();
  const database = connectDatabase(url, { max: 10 });
  try {
    await migrateDatabase(database.db);
    const intake = createIntake({
      authenticate: createSenderAuthenticator({ mode: 'off' }),
      db: database.db,
      maxBytes: 5 * 2 ** 20,
      recipients: ['help@dprim.ru'],
    });
    const port = await intake.listen(0, '127.0.0.1');
    const client = nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: CONNECTIONS,
      maxMessages: Infinity,
    });
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const sender = async (): Promise<void> => {
      while (next < MESSAGES) {
        const i = next++;
        const t0 = performance.now();
        await client.sendMail({
          from: `user${i % 200}@bench.ru`,
          to: 'help@dprim.ru',
          subject: `Заявка ${i}`,
          text: `Не списываются баллы, попытка ${i}.\n\nФИО: Пользователь ${i % 200} Тестович\n«Бубль-Гум»`,
        });
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, sender));
    const seconds = (performance.now() - started) / 1000;
    client.close();
    await intake.close();
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `accepted: ${MESSAGES} mails over ${CONNECTIONS} connections in ${seconds.toFixed(1)} s: ${(MESSAGES / seconds).toFixed(0)} mails/s, p95 acceptance latency ${percentile(sorted, 95).toFixed(1)} ms`,
    );

    const activities = benchActivities(database.db);
    const dispatcher = new Dispatcher(database.db, new InProcessGateway(activities), {
      ...DEFAULT_DISPATCHER_SETTINGS,
      domain: 'dprim.ru',
      instance: 'bench',
      defaultRegulation: 'primorye',
      regulationSettings: { primorye: {}, epgu: {} },
    });
    const d0 = performance.now();
    let dispatched = 0;
    for (let n = await dispatcher.dispatchOnce(100); n > 0; n = await dispatcher.dispatchOnce(100))
      dispatched += n;
    const dispatchSeconds = (performance.now() - d0) / 1000;
    console.log(
      `dispatch: ${dispatched} messages into tickets in ${dispatchSeconds.toFixed(1)} s: ${(dispatched / dispatchSeconds).toFixed(0)} messages/s (in-process gateway: domain + PostgreSQL, no Temporal)`,
    );
  } finally {
    await database.close();
    await stopPostgres();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
