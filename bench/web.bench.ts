/**
 * `npm run bench:web`: the console's budget. (1) The initial JavaScript (the entry and what it
 * preloads) in gzip bytes — goal under 300 KB; every lazily loaded page is listed too. (2) The first
 * screen of the queue in Chromium with 100,000 tickets in PostgreSQL: from navigation to the first
 * page of rows with their remaining working time — goal under 1 s.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { buildConsole, CONSOLE_DIST } from '../cli/console';
import { applyCommand, openTicket, type TicketState } from '../domain';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { snapshotOf } from '../db/repositories/tickets';
import { createUser } from '../db/repositories/users';
import { tickets } from '../db/schema';
import { InProcessGateway } from '../test/support/inProcessGateway';
import { benchActivities, benchDatabase } from './database';

const COUNT = Number(process.env.BENCH_TICKETS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KB = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

function bundleSizes(): void {
  const html = readFileSync(join(CONSOLE_DIST, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (file: string) =>
    gzipSync(readFileSync(join(CONSOLE_DIST, 'assets', file)), { level: 9 }).length;
  const total = initial.reduce((s, f) => s + gz(f), 0);
  const css = readdirSync(join(CONSOLE_DIST, 'assets')).filter((f) => f.endsWith('.css'));
  console.log(`initial JavaScript: ${KB(total)} gzip (${initial.join(', ')}); goal < 300 KB`);
  console.log(`styles: ${css.map((f) => `${f} ${KB(gz(f))}`).join(', ')} gzip`);
  const lazy = readdirSync(join(CONSOLE_DIST, 'assets')).filter(
    (f) => f.endsWith('.js') && !initial.includes(f),
  );
  for (const f of lazy.sort((a, b) => gz(b) - gz(a)))
    console.log(`  loaded on demand: ${f.padEnd(36)} ${KB(gz(f))}`);
}

let seed = 11;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const SUBJECTS = [
  'Не списываются баллы',
  'Ошибка выгрузки отчётности',
  'Не работает оплата',
  'Сбой авторизации',
];
const operator = { kind: 'operator' as const, id: 'bench', name: 'Оператор' };

function ticketState(i: number, now: number): TicketState {
  const receivedAt = now - Math.floor(random() * 60 * 86_400_000);
  let applied = openTicket({
    ticketId: `ID${300000 + i}`,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: 'phone',
    receivedAt: new Date(receivedAt).toISOString(),
    requestType: ['incident', 'information', 'service'][i % 3]!,
    intake: {
      subject: `${SUBJECTS[i % SUBJECTS.length]} №${i}`,
      description: `Подробности обращения ${i}.`,
      initiator: {
        fullName: `Пользователь ${i}`,
        email: `user${i}@example.ru`,
        organization: `Организация ${i % 50}`,
        organizationId: `org-${i % 50}`,
      },
    },
  });
  applied = applyCommand(
    applied.state,
    { type: 'register', by: operator, assignee: { id: `a${i % 30}`, name: `Исполнитель ${i % 30}` } },
    receivedAt + 600_000,
  );
  if (random() < 0.6)
    applied = applyCommand(
      applied.state,
      { type: 'resolve', by: operator, text: 'Готово' },
      receivedAt + 86_400_000,
    );
  return applied.state;
}

async function firstScreen(): Promise<void> {
  const { url, stop } = await benchDatabase();
  const database = connectDatabase(url, { max: 8 });
  const server = http.createServer();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    await migrateDatabase(database.db);
    const now = Date.now();
    for (let i = 0; i < COUNT; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, COUNT - i) }, (_, j) =>
        snapshotOf(ticketState(i + j, now), now),
      );
      await database.db.insert(tickets).values(rows).onConflictDoNothing();
    }
    await database.db.execute(sql`analyze tickets`);
    await createUser(database.db, {
      login: 'bench',
      name: 'Оператор',
      role: 'first_line',
      password: 'bench-password-1',
    });
    const app = createApp(
      {
        db: database.db,
        gateway: new InProcessGateway(benchActivities(database.db)),
        now: Date.now,
        defaultRegulation: 'primorye',
        regulationSettings: { primorye: {}, epgu: {} },
        temporalLink: () => null,
        metrics: createMetrics(database.db),
        dispatcher: null,
        log: () => undefined,
      },
      { rateLimitPerMinute: 1_000_000, version: 'bench', consoleDir: CONSOLE_DIST },
    );
    server.on('request', app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'ru-RU' });
    const page = await context.newPage();
    await page.goto(base);
    await page.getByLabel(/^Логин/).fill('bench');
    await page.getByLabel(/^Пароль/).fill('bench-password-1');
    await page.getByRole('button', { name: 'Войти' }).click();
    await page.locator('[data-testid="queue"] tbody tr').first().waitFor();
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      await page.goto(`${base}/queue`);
      // The first screen: 50 rows, each with its clocks computed by the domain.
      // A function, not a string: the console's CSP (rightly) forbids eval.
      await page.waitForFunction(() => {
        const doc = (
          globalThis as unknown as {
            document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
          }
        ).document;
        const rows = doc.querySelectorAll('[data-testid="queue"] tbody tr');
        const clock = doc.querySelectorAll('[data-testid="queue"] tbody tr td:nth-child(6)')[0];
        return rows.length >= 50 && !!clock && !/…/.test(clock.textContent ?? '…');
      });
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(
      `queue first screen with ${COUNT} tickets (navigation → 50 rows with remaining working time), ${RUNS} runs: ` +
        `median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms; goal < 1000 ms`,
    );
  } finally {
    await browser.close();
    server.close();
    await database.close();
    await stop();
  }
}

async function main(): Promise<void> {
  await buildConsole();
  bundleSizes();
  await firstScreen();
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
