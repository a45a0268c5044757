/**
 * `npm run bench:api`: the queue (GET /tickets) over 100,000 tickets. Seeds the read model, then
 * measures filters, full-text search, sorting and keyset pages through the real HTTP stack.
 * Prints p50/p95/p99 per query and overall. Goal: p95 under 25 ms on the 2-core machine.
 */
import http from 'node:http';
import { sql } from 'drizzle-orm';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { applyCommand, openTicket, type Command, type TicketState } from '../domain';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { benchActivities, benchDatabase } from './database';
import { createApiKey } from '../db/repositories/apiKeys';
import { snapshotOf } from '../db/repositories/tickets';
import { tickets } from '../db/schema';
import { InProcessGateway } from '../test/support/inProcessGateway';
import { percentile } from './stats';

const COUNT = Number(process.env.BENCH_TICKETS ?? 100_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);

let seed = 7;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const SUBJECTS = [
  'Не списываются баллы по сертификату',
  'Ошибка выгрузки отчётности',
  'Не работает оплата телефоном',
  'Прошу предоставить доступ к модулю',
  'Расхождение в отчёте за месяц',
  'Не приходит уведомление о зачислении',
  'Вопрос о настройке терминала',
  'Сбой при авторизации в модуле',
];
const TYPES = ['incident', 'information', 'service'];
const operator = { kind: 'operator' as const, id: 'bench', name: 'Оператор' };

function ticketState(i: number): TicketState {
  const receivedAt = Date.parse('2025-01-09T00:00:00Z') + Math.floor(random() * 330 * 86_400_000);
  const org = `org-${i % 50}`;
  let applied = openTicket({
    ticketId: `ID${200000 + i}`,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: random() < 0.6 ? 'email' : 'phone',
    receivedAt: new Date(receivedAt).toISOString(),
    requestType: pick(TYPES),
    intake: {
      subject: `${pick(SUBJECTS)} №${i}`,
      description: `${pick(SUBJECTS)}. Подробности обращения ${i}.`,
      initiator: {
        fullName: `Пользователь ${i} Тестович`,
        email: `user${i}@example.ru`,
        organization: `Организация ${i % 50}`,
        organizationId: org,
      },
    },
  });
  const step = (cmd: Command, at: number) => (applied = applyCommand(applied.state, cmd, at));
  step(
    { type: 'register', by: operator, assignee: { id: `a${i % 30}`, name: `Исполнитель ${i % 30}` } },
    receivedAt + 1_800_000,
  );
  if (random() < 0.6)
    step(
      { type: 'resolve', by: operator, text: 'Готово' },
      receivedAt + (1 + Math.floor(random() * 10)) * 86_400_000,
    );
  return applied.state;
}

function get(
  port: number,
  path: string,
  key: string,
  agent: http.Agent,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, agent, headers: { Authorization: `Bearer ${key}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
  });
}

async function main(): Promise<void> {
  const { url, stop: stopPostgres } = await benchDatabase();
  const database = connectDatabase(url, { max: 8 });
  const server = http.createServer();
  try {
    await migrateDatabase(database.db);
    const t0 = performance.now();
    const now = Date.parse('2025-12-15T00:00:00Z');
    for (let i = 0; i < COUNT; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, COUNT - i) }, (_, j) =>
        snapshotOf(ticketState(i + j), now),
      );
      await database.db.insert(tickets).values(rows).onConflictDoNothing();
    }
    await database.db.execute(sql`analyze tickets`);
    console.log(`seeded ${COUNT} tickets in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const activities = benchActivities(database.db);
    const app = createApp(
      {
        db: database.db,
        gateway: new InProcessGateway(activities),
        now: () => now,
        defaultRegulation: 'primorye',
        regulationSettings: { primorye: {}, epgu: {} },
        temporalLink: () => null,
        metrics: createMetrics(database.db),
        dispatcher: null,
        log: () => undefined,
      },
      { rateLimitPerMinute: 1_000_000, version: 'bench' },
    );
    const { key } = await createApiKey(database.db, { name: 'bench', role: 'manager' });
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

    const queries: Record<string, () => string> = {
      'queue by SLA due': () => '/tickets?limit=25',
      'status filter': () => '/tickets?status=new,in_progress&limit=25',
      'organisation + status': () =>
        `/tickets?organization=org-${Math.floor(random() * 50)}&status=in_progress,new&limit=25`,
      assignee: () => `/tickets?assignee=a${Math.floor(random() * 30)}&limit=25`,
      'breached only': () => '/tickets?breached=true&limit=25',
      'due window': () => '/tickets?dueAfter=2025-06-01T00:00:00Z&dueBefore=2025-07-01T00:00:00Z&limit=25',
      'full-text search': () =>
        `/tickets?q=${encodeURIComponent(pick(['баллы', 'выгрузка отчётов', 'оплата телефоном', 'доступ модуль']))}&limit=25`,
      'search + organisation': () =>
        `/tickets?q=${encodeURIComponent('отчёт')}&organization=org-${Math.floor(random() * 50)}&limit=25`,
      'newest first': () => '/tickets?sort=received&limit=25',
    };
    // Deep pages through the keyset cursor.
    let cursor: string | null = null;
    queries['keyset page'] = () => `/tickets?limit=25${cursor ? `&cursor=${cursor}` : ''}`;

    for (let i = 0; i < 30; i++) for (const q of Object.values(queries)) await get(port, q(), key, agent); // warm-up
    const all: number[] = [];
    for (const [name, build] of Object.entries(queries)) {
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const path = build();
        const t = performance.now();
        const res = await get(port, path, key, agent);
        times.push(performance.now() - t);
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 200)}`);
        if (name === 'keyset page')
          cursor = (JSON.parse(res.body) as { nextCursor: string | null }).nextCursor;
      }
      times.sort((a, b) => a - b);
      all.push(...times);
      console.log(
        `${name.padEnd(22)} p50 ${percentile(times, 50).toFixed(1)} ms  p95 ${percentile(times, 95).toFixed(1)} ms  p99 ${percentile(times, 99).toFixed(1)} ms`,
      );
    }
    all.sort((a, b) => a - b);
    console.log(
      `GET /tickets over ${COUNT} tickets: p50 ${percentile(all, 50).toFixed(1)} ms, p95 ${percentile(all, 95).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms`,
    );
    agent.destroy();
  } finally {
    server.close();
    await database.close();
    await stopPostgres();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
