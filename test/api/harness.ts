import request from 'supertest';
import { createActivities } from '../../activities';
import { createApp } from '../../api/app';
import type { ApiContext } from '../../api/context';
import { testApiContext } from '../support/apiContext';
import { ROLES, type Role } from '../../domain';
import { createApiKey } from '../../db/repositories/apiKeys';
import { seedDeskPeople } from '../support/deskPeople';
import { organizations } from '../../db/schema';
import { Dispatcher, DEFAULT_DISPATCHER_SETTINGS } from '../../mail/dispatcher';
import { testDatabase } from '../support/database';
import { InProcessGateway } from '../support/inProcessGateway';

/** The API on a fresh database, a clock the test moves, and a key per role. */
export async function startApi(
  options: {
    rateLimitPerMinute?: number;
    authFailuresPerWindow?: number;
    /** The deployment's regulation settings (REGLAMENT_REGULATIONS). */
    regulationSettings?: ApiContext['regulationSettings'];
  } = {},
) {
  const db = await testDatabase();
  let now = Date.parse('2025-03-03T00:00:00.000Z'); // Monday 10:00 in Vladivostok
  const clock = () => now;
  const activities = createActivities({
    db: db.db,
    mail: {
      transport: null,
      settings: {
        from: 'Техподдержка <help@dprim.ru>',
        domain: 'dprim.ru',
        instance: 'r1',
        roles: {
          managers: ['manager@dprim.ru'],
          regional: ['rpgu@region.ru'],
          federal: ['support-op@gosuslugi.ru'],
        },
        automaticPerHour: 100,
      },
    },
    now: clock,
  });
  const gateway = new InProcessGateway(activities, clock);
  const regulationSettings = options.regulationSettings ?? { primorye: {}, epgu: {} };
  const ctx: ApiContext = testApiContext(db.db, gateway, {
    now: clock,
    regulationSettings,
    temporalLink: (id) => `http://localhost:8233/namespaces/default/workflows/${id}`,
    dispatcher: new Dispatcher(db.db, gateway, {
      ...DEFAULT_DISPATCHER_SETTINGS,
      domain: 'dprim.ru',
      instance: 'r1',
      defaultRegulation: 'primorye',
      regulationSettings,
    }),
  });
  const app = createApp(ctx, {
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    ...(options.authFailuresPerWindow && { authFailuresPerWindow: options.authFailuresPerWindow }),
    version: 'test',
    // Tests play clients at different addresses with X-Forwarded-For.
    trustProxy: 'loopback',
  });
  const keys = {} as Record<Role | 'scoped', string>;
  for (const role of ROLES) {
    keys[role] = (
      await createApiKey(db.db, {
        name: `test ${role}`,
        role,
        personId: `p-${role}`,
        personName: `Сотрудник ${role}`,
      })
    ).key;
  }
  await db.db.insert(organizations).values({ id: 'bubble', name: '«Бубль-Гум»' }).onConflictDoNothing();
  keys.scoped = (
    await createApiKey(db.db, { name: 'bubblegum operator', role: 'first_line', organizationId: 'bubble' })
  ).key;
  // The desk's people who work the lines: assignees are chosen from them (issue #18, finding 9).
  await seedDeskPeople(db.db);
  const as = (role: Role | 'scoped') => ({ Authorization: `Bearer ${keys[role]}` });
  return {
    db,
    gateway,
    app,
    ctx,
    keys,
    as,
    http: () => request(app),
    /** Moves the clock and fires the timers that fall due, as the workflows would. */
    async advance(to: string): Promise<void> {
      now = Date.parse(to);
      await gateway.tick();
    },
    setNow(to: string): void {
      now = Date.parse(to);
    },
    close: () => db.drop(),
  };
}

export type Api = Awaited<ReturnType<typeof startApi>>;

export const phoneIncident = {
  requestType: 'incident',
  channel: 'phone',
  subject: 'Не списываются баллы',
  description: 'При оплате сертификатом выходит ошибка «Недостаточно средств».',
  // Seed 000 п. 2.3.1.9: the registration form of an incident carries both results.
  expectedResult: 'Покупка оплачена сертификатом.',
  actualResult: 'Ошибка «Недостаточно средств», баллы не списаны.',
  initiator: {
    fullName: 'Петров Петр Петрович',
    email: 'petrov@bubblegum.ru',
    organization: '«Бубль-Гум»',
    organizationId: 'bubble',
  },
};
