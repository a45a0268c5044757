/**
 * The console as people use it, for the browser tests: the real Express app (api/app.ts) serving the
 * built console (web/dist), real PostgreSQL, the real SMTP intake and dispatcher, tickets run through
 * the in-process gateway (the domain + the real activities), and Debian's Chromium via playwright-core.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createActivities, type TicketActivities } from '../../activities';
import { createApp } from '../../api/app';
import { testApiContext } from '../support/apiContext';
import { close, listen } from '../../api/server';
import { ensureConsole } from '../../cli/console';
import type { Role } from '../../domain';
import { createApiKey } from '../../db/repositories/apiKeys';
import { createUser } from '../../db/repositories/users';
import { organizations } from '../../db/schema';
import { Dispatcher, DEFAULT_DISPATCHER_SETTINGS } from '../../mail/dispatcher';
import { createIntake } from '../../mail/intake/server';
import { testDatabase } from '../support/database';
import type { TicketGateway } from '../../workflows/client';
import { InProcessGateway } from '../support/inProcessGateway';
import { createSenderAuthenticator, type SenderAuthSettings } from '../../mail/auth/authenticate';

export const DESK = 'help@dprim.ru';
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
export const PASSWORD = 'Пароль-для-тестов-1';

export const PEOPLE: Record<string, { role: Role; name: string; organizationId?: string }> = {
  admin: { role: 'admin', name: 'Администратор Тестов' },
  lina: { role: 'first_line', name: 'Лина Первая' },
  vera: { role: 'second_line', name: 'Вера Вторая' },
  boss: { role: 'manager', name: 'Руководитель Главный' },
  bubble: { role: 'first_line', name: 'Оператор Бубль-Гума', organizationId: 'bubble' },
  fed: { role: 'federal_operator', name: 'Фёдор Федеральный' },
  reg: { role: 'regional_operator', name: 'Регина Региональная' },
};

/** Tickets through something other than the in-process gateway, e.g. a real Temporal worker. */
export type GatewayFactory = (
  activities: TicketActivities,
) => Promise<{ gateway: TicketGateway; stop(): Promise<void> }>;

export async function startConsole(
  options: {
    gateway?: GatewayFactory;
    /** The sender check (MAIL_AUTH); off unless a test is about it (issue #18). */
    auth?: SenderAuthSettings;
  } = {},
) {
  const dist = await ensureConsole(() => undefined);
  if (!dist) throw new Error('the console could not be built (npm install brings Vite)');
  const db = await testDatabase();
  const activities = createActivities({
    db: db.db,
    mail: {
      transport: null,
      settings: {
        from: `Служба технической поддержки <${DESK}>`,
        domain: 'dprim.ru',
        instance: 'r1',
        roles: {
          managers: ['manager@dprim.ru'],
          regional: ['rpgu@region.ru'],
          federal: ['support-op@gosuslugi.ru'],
        },
        automaticPerHour: 1000,
      },
    },
  });
  const external = options.gateway ? await options.gateway(activities) : null;
  const gateway = external?.gateway ?? new InProcessGateway(activities);
  const settings = {
    ...DEFAULT_DISPATCHER_SETTINGS,
    domain: 'dprim.ru',
    instance: 'r1',
    routes: { [DESK]: 'primorye' as const },
    defaultRegulation: 'primorye' as const,
    regulationSettings: { primorye: {}, epgu: {} },
  };
  const dispatcher = new Dispatcher(db.db, gateway, settings);
  dispatcher.start(300);
  const intake = createIntake({
    authenticate: createSenderAuthenticator(options.auth ?? { mode: 'off' }),
    db: db.db,
    maxBytes: 5 * 2 ** 20,
    recipients: [DESK],
    onStored: () => dispatcher.nudge(),
  });
  const smtpPort = await intake.listen(0, '127.0.0.1');
  await db.db.insert(organizations).values([
    { id: 'bubble', name: '«Бубль-Гум»', inn: '2536321426', domains: ['bubblegum.example'] },
    { id: 'other', name: 'ООО «Другая»', domains: ['other.example'] },
  ]);
  for (const [login, p] of Object.entries(PEOPLE))
    await createUser(db.db, { login, password: PASSWORD, ...p });
  const key = (
    await createApiKey(db.db, { name: 'tests', role: 'admin', personId: 'setup', personName: 'Настройка' })
  ).key;
  const app = createApp(
    testApiContext(db.db, gateway, {
      dispatcher,
      temporalLink: (id) => `http://127.0.0.1:8233/namespaces/default/workflows/${id}`,
    }),
    { rateLimitPerMinute: 100_000, version: 'test', consoleDir: dist },
  );
  const server: Server = await listen(app, '127.0.0.1', 0);
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const mailer = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  return {
    db,
    gateway,
    base,
    browser,
    /** The API as an integration would use it (a key), for setting the scene. */
    async api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const json = (await res.json().catch(() => ({}))) as T;
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    sendMail: (mail: SendMailOptions) => mailer.sendMail({ to: DESK, ...mail }),
    /** A browser context signed in as `login`: a laptop-sized screen, Russian, the regulation's zone. */
    async signIn(
      login: string,
      options: { width?: number; height?: number } = {},
    ): Promise<{ context: BrowserContext; page: Page }> {
      const context = await browser.newContext({
        viewport: { width: options.width ?? 1366, height: options.height ?? 800 },
        locale: 'ru-RU',
        timezoneId: 'Europe/Moscow',
        // axe-core is injected as a script; the console's CSP would (rightly) refuse it.
        bypassCSP: true,
        acceptDownloads: true,
      });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.getByLabel(/^Логин/).fill(login);
      await page.getByLabel(/^Пароль/).fill(PASSWORD);
      await page.getByRole('button', { name: 'Войти' }).click();
      await page.getByRole('heading', { name: 'Очередь' }).waitFor();
      return { context, page };
    },
    async close(): Promise<void> {
      await browser.close();
      mailer.close();
      await close(server);
      await intake.close();
      await dispatcher.stop();
      await external?.stop();
      await db.drop();
    },
  };
}

export type ConsoleHarness = Awaited<ReturnType<typeof startConsole>>;

const AXE = readFileSync(join(__dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Serious and critical accessibility violations (WCAG 2 A/AA) of what the page shows now. */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.addScriptTag({ content: AXE });
  const result = await page.evaluate<{ violations: AxeViolation[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })),
    }));
}

export const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * A screenshot for the docs: without the toasts of earlier actions, and a full page from its top
 * (the header is fixed: a full page taken scrolled down shows it in the middle).
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}) {
  for (const close of await page.getByRole('button', { name: 'Закрыть уведомление' }).all())
    await close.click().catch(() => undefined);
  await page.getByRole('button', { name: 'Закрыть уведомление' }).first().waitFor({ state: 'detached' });
  if (options.fullPage) await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: !!options.fullPage });
}
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

/**
 * Waiting assertions on what the page shows (playwright-core has no test runner's `expect`): each
 * polls until true or fails after the timeout with what it saw.
 */
export function see(locator: Locator) {
  const poll = async (
    what: string,
    check: () => Promise<boolean>,
    seen: () => Promise<unknown>,
    timeout = 10_000,
  ) => {
    const until = Date.now() + timeout;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > until)
        throw new Error(
          `expected ${locator.toString()} ${what}; saw ${JSON.stringify(await seen().catch((e: Error) => e.message))}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const texts = () => locator.allTextContents();
  const has = (text: string | RegExp) => async () =>
    (await texts()).some((t) => (typeof text === 'string' ? t.includes(text) : text.test(t)));
  return {
    toBeVisible: (o: { timeout?: number } = {}) =>
      locator.first().waitFor({ state: 'visible', timeout: o.timeout ?? 10_000 }),
    toContainText: (text: string | RegExp, o: { timeout?: number } = {}) =>
      poll(`to contain ${String(text)}`, has(text), texts, o.timeout),
    toHaveText: (text: string) =>
      poll(`to have text ${text}`, async () => (await texts()).some((t) => t.trim() === text), texts),
    toHaveCount: (n: number, o: { timeout?: number } = {}) =>
      poll(
        `to have ${n} elements`,
        async () => (await locator.count()) === n,
        () => locator.count(),
        o.timeout,
      ),
    toHaveValue: (value: string) =>
      poll(
        `to have the value ${value}`,
        async () => (await locator.inputValue()) === value,
        () => locator.inputValue(),
      ),
    toBeDisabled: () =>
      poll(
        'to be disabled',
        () => locator.isDisabled(),
        () => locator.isDisabled(),
      ),
  };
}

/** A ticket action's control: by its command (`resolve`) or by its button's text («Решить»). */
function actionControl(page: Page, which: string): Locator {
  return /^[a-zA-Z]+$/.test(which)
    ? page.locator(`[data-command="${which}"]`)
    : page.locator('[data-command]', { hasText: which });
}

/**
 * Opens a ticket action's dialog as a person would (issue #19): its button when it is one of the
 * regulation's next steps, otherwise from the «Ещё действия» menu. Waits for the actions to load.
 */
export async function openAction(page: Page, which: string, timeout = 15_000): Promise<void> {
  const control = actionControl(page, which).first();
  const menu = page.locator('[data-actions-menu]');
  // The actions have loaded when a button or the menu shows; the menu is opened only when needed.
  await control.or(menu).first().waitFor({ state: 'visible', timeout });
  if (!(await control.isVisible()) && (await menu.getAttribute('aria-expanded')) !== 'true')
    await menu.click();
  await control.waitFor({ state: 'visible', timeout }).catch(() => {
    throw new Error(`no action «${which}» among the buttons or in «Ещё действия»`);
  });
  await control.click();
}

/**
 * Submits an open action dialog with its button and waits until it closes. A refusal shown in the
 * dialog fails at once with the refusal's text, not after a silent timeout.
 */
export async function submitAction(page: Page, button: string, timeout = 15_000): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: button }).click();
  // Closed, or refused: whichever comes first.
  await page.waitForFunction(
    `!document.querySelector('[role="dialog"]') || !!document.querySelector('[role="dialog"] [role="alert"]')`,
    undefined,
    { timeout },
  );
  const refusal = dialog.getByRole('alert');
  if (await refusal.count()) throw new Error(`«${button}» refused: ${await refusal.innerText()}`);
}

/**
 * The commands the ticket page offers now: the primary buttons, then the menu's items (the menu is
 * opened to read them and closed again). Call once the actions have loaded.
 */
export async function offeredActions(page: Page): Promise<{ primary: string[]; more: string[] }> {
  const commands = (l: Locator) =>
    l.evaluateAll((els) => els.map((e) => e.getAttribute('data-command') ?? ''));
  const primary = await commands(page.locator('button[data-command]:not([role="menuitem"])'));
  const menu = page.locator('[data-actions-menu]');
  if ((await menu.count()) === 0) return { primary, more: [] };
  await menu.click();
  const items = page.getByRole('menuitem');
  await items.first().waitFor();
  const more = await commands(items);
  await page.keyboard.press('Escape');
  await items.first().waitFor({ state: 'detached' });
  return { primary, more };
}
