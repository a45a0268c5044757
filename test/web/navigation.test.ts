/**
 * Issue #19: every role goes everywhere in the console in any order. Each role, in one browser
 * context, opens every page it may open right after every other one (an Eulerian circuit of the
 * complete directed graph of its pages: each ordered pair once, without reloading, so the cache is
 * shared as in a working day), then the pages it may not open, by address. A console error, an
 * uncaught exception, a white page (empty #root or no main landmark) or an empty required list fails.
 * The finding: after the queue, «Администрирование» → «Организации» blanked the console (the queue and
 * the admin page cached organisations under one key in two shapes).
 */
import type { Page } from 'playwright-core';
import type { Role } from '../../domain';
import { chromiumAvailable, PASSWORD, PEOPLE, see, startConsole, type ConsoleHarness } from './console';

jest.setTimeout(600_000);

let c: ConsoleHarness;
let ticketId: string;

beforeAll(async () => {
  if (!chromiumAvailable())
    throw new Error(
      'Chromium is missing at /usr/bin/chromium: apt-get install -y chromium (.ci/run does it)',
    );
  c = await startConsole();
  const created = await c.api<{ id: string }>('POST', '/tickets', {
    requestType: 'incident',
    channel: 'phone',
    subject: 'Навигация: не начисляются баллы',
    description: 'После оплаты сертификатом баллы не начислены.',
    actualResult: 'Баллов нет.',
    expectedResult: 'Баллы начислены.',
    initiator: {
      fullName: 'Петров Петр Петрович',
      email: 'manager@bubblegum.example',
      organization: '«Бубль-Гум»',
      organizationId: 'bubble',
    },
  });
  ticketId = created.id;
  await c.api('POST', '/faq', { question: 'Как сбросить пароль?', answer: 'Через «Забыли пароль?».' });
}, 180_000);

afterAll(async () => {
  await c?.close();
});

interface PageSpec {
  name: string;
  /** Who may open it (the console's `can`, the API's roles). */
  may: (role: Role) => boolean;
  path: () => string;
  /** Opens it from wherever the person is, as a person would: the menu, a tab, a link. */
  open: (page: Page) => Promise<void>;
  /** What must be on it once open: its heading and the list it exists to show, not empty. */
  ready: (page: Page, role: Role, orgScoped: boolean) => Promise<void>;
}

const ALL = (): boolean => true;
const REGISTER: Role[] = ['first_line', 'manager', 'admin', 'regional_operator'];
const MAIL: Role[] = ['first_line', 'manager', 'admin', 'regional_operator'];

const menu = (label: string) => async (page: Page) => {
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: label }).click();
};
const adminTab = (tab: string) => async (page: Page) => {
  await menu('Администрирование')(page);
  await page.getByRole('tab', { name: tab }).click();
};
const heading = (page: Page, name: string | RegExp) =>
  page.getByRole('heading', { level: 2, name }).waitFor();
const rows = async (page: Page, table: string, atLeast = 1) => {
  const body = page.getByRole('table', { name: table }).locator('tbody tr');
  await body.nth(atLeast - 1).waitFor();
};

const PAGES: PageSpec[] = [
  {
    name: 'очередь',
    may: ALL,
    path: () => '/queue',
    open: menu('Очередь'),
    ready: async (page, _role, orgScoped) => {
      await heading(page, 'Очередь');
      await page.locator('[data-testid="queue"] tbody tr', { hasText: 'Навигация' }).first().waitFor();
      if (orgScoped) return;
      // The other way round: after «Организации» the queue's organisation filter had no options.
      await page.getByRole('main').getByLabel('Организация', { exact: true }).click();
      await page.getByRole('option', { name: '«Бубль-Гум»' }).waitFor();
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'заявка',
    may: ALL,
    path: () => `/tickets/${ticketId}`,
    // A link in the application, followed without a reload (the router's own navigation).
    open: async (page) => {
      await page.evaluate(
        `history.pushState({}, '', '/tickets/${ticketId}'); dispatchEvent(new PopStateEvent('popstate'))`,
      );
    },
    ready: async (page) => {
      await heading(page, ticketId);
      await page.getByRole('table', { name: 'Содержание заявки' }).waitFor();
      await page.locator('[aria-label="История заявки"] .mantine-Timeline-item').first().waitFor();
    },
  },
  {
    name: 'новая заявка',
    may: (r) => REGISTER.includes(r),
    path: () => '/register',
    open: menu('Новая заявка'),
    ready: (page) => heading(page, 'Новая заявка по телефону'),
  },
  {
    name: 'почта',
    may: (r) => MAIL.includes(r),
    path: () => '/mail',
    open: menu('Почта'),
    ready: async (page) => {
      await heading(page, 'Почта');
      await page.getByRole('table', { name: 'Письма' }).waitFor();
    },
  },
  {
    name: 'FAQ',
    may: ALL,
    path: () => '/faq',
    open: menu('База знаний (FAQ)'),
    ready: async (page) => {
      await heading(page, 'База знаний (FAQ)');
      await page.getByText('Как сбросить пароль?').first().waitFor();
    },
  },
  {
    name: 'панель руководителя',
    may: (r) => r === 'manager' || r === 'admin',
    path: () => '/dashboard',
    open: menu('Панель руководителя'),
    ready: async (page) => {
      await heading(page, 'Панель руководителя');
      await rows(page, 'SLA');
      // The age legend in its natural order, not the alphabet's.
      const legend = page.locator('[data-chart="Очередь по статусам и возрасту"] .recharts-legend-item-text');
      await legend.first().waitFor();
      expect(await legend.allTextContents()).toEqual(['до суток', '1–3 дня', '3–7 дней', 'больше недели']);
      // Nothing resolved here yet: the resolution-time chart says so instead of bare axes.
      await page
        .locator('[data-chart="Время решения, рабочие часы (медиана и p90)"]')
        .getByText('нет данных')
        .waitFor();
    },
  },
  {
    name: 'сотрудники',
    may: (r) => r === 'admin',
    path: () => '/admin',
    open: adminTab('Сотрудники и роли'),
    ready: async (page) => {
      await heading(page, 'Администрирование');
      await rows(page, 'Сотрудники', Object.keys(PEOPLE).length);
    },
  },
  {
    name: 'организации',
    may: (r) => r === 'manager' || r === 'admin',
    path: () => '/admin',
    open: adminTab('Организации'),
    ready: async (page) => {
      await heading(page, 'Администрирование');
      await rows(page, 'Организации', 2);
    },
  },
  {
    name: 'ключи API',
    may: (r) => r === 'admin',
    path: () => '/admin',
    open: adminTab('Ключи API'),
    ready: async (page) => {
      await heading(page, 'Администрирование');
      await rows(page, 'Ключи API');
    },
  },
];

/** Every ordered pair of distinct pages once, from page 0 (Hierholzer on the complete digraph). */
export function everyPairOnce(n: number): number[] {
  const next = Array.from({ length: n }, (_, u) =>
    Array.from({ length: n }, (_, v) => v).filter((v) => v !== u),
  );
  const stack = [0];
  const path: number[] = [];
  while (stack.length) {
    const u = stack[stack.length - 1]!;
    const v = next[u]!.pop();
    if (v === undefined) path.push(stack.pop()!);
    else stack.push(v);
  }
  return path.reverse();
}

test('the visit order covers every ordered pair of pages exactly once', () => {
  for (const n of [1, 2, 5, 9]) {
    const order = everyPairOnce(n);
    const pairs = order.slice(1).map((v, i) => `${order[i]}→${v}`);
    expect(pairs).toHaveLength(n * (n - 1));
    expect(new Set(pairs).size).toBe(n * (n - 1));
    expect(pairs.every((p) => p.split('→')[0] !== p.split('→')[1])).toBe(true);
  }
});

/** A broken page: errors in the console, uncaught exceptions, an empty #root, no main landmark. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()} ${m.location().url}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  return {
    async check(where: string): Promise<void> {
      const shell = await page.evaluate<{ root: number; main: boolean; text: number }>(
        `({
          root: document.getElementById('root')?.childElementCount ?? 0,
          main: !!document.querySelector('main, [role="main"]'),
          text: (document.querySelector('main')?.textContent ?? '').trim().length,
        })`,
      );
      if (!shell.root || !shell.main || !shell.text) problems.push(`white page: ${JSON.stringify(shell)}`);
      if (problems.length) throw new Error(`${where}:\n${problems.join('\n')}`);
    },
  };
}

const LOGINS = Object.entries(PEOPLE).map(([login, p]) => [login, p.role, !!p.organizationId] as const);

test.each(LOGINS)(
  'issue #19: %s (%s) opens every page after every other one, and is turned back from the others',
  async (login, role, orgScoped) => {
    const { page, context } = await c.signIn(login);
    const w = watch(page);
    try {
      const mine = PAGES.filter((p) => p.may(role));
      const order = everyPairOnce(mine.length);
      await mine[0]!.ready(page, role, orgScoped);
      await w.check(`${login}: ${mine[0]!.name}`);
      for (let i = 1; i < order.length; i++) {
        const [from, to] = [mine[order[i - 1]!]!, mine[order[i]!]!];
        const where = `${login}: ${from.name} → ${to.name}`;
        try {
          await to.open(page);
          await to.ready(page, role, orgScoped);
        } catch (e) {
          await w.check(where);
          throw new Error(`${where}: ${(e as Error).message}`);
        }
        await w.check(where);
      }
      // Pages this role may not open: by address, the console turns it back to the queue.
      const refused = PAGES.filter((p) => !PAGES.some((q) => q.path() === p.path() && q.may(role)));
      for (const p of new Map(refused.map((r) => [r.path(), r])).values()) {
        await page.goto(`${c.base}${p.path()}`);
        await heading(page, 'Очередь');
        if (new URL(page.url()).pathname !== '/queue') throw new Error(`${login}: ${p.path()} not refused`);
        await w.check(`${login}: ${p.name} by address`);
      }
    } finally {
      await context.close();
    }
  },
);

test('issue #19: «Выйти» shows the sign-in page at once, closes the live feed, and the back button shows nothing of the person who left', async () => {
  const context = await c.browser.newContext({ locale: 'ru-RU', timezoneId: 'Europe/Moscow' });
  // The live feed as the page opens it: every EventSource, to see it closed.
  await context.addInitScript(`(() => {
    const Native = window.EventSource;
    window.__feeds = [];
    window.EventSource = class extends Native {
      constructor(...args) { super(...args); window.__feeds.push(this); }
    };
  })()`);
  const page = await context.newPage();
  const signIn = async (login: string) => {
    await page.getByLabel(/^Логин/).fill(login);
    await page.getByLabel(/^Пароль/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Войти' }).click();
    await heading(page, 'Очередь');
  };
  try {
    await page.goto(`${c.base}/`);
    await signIn('boss');
    // From here on (the signed-out first page asks GET /session and is answered 401, rightly).
    const w = watch(page);
    await PAGES[1]!.open(page);
    await PAGES[1]!.ready(page, 'manager', false);
    await page.getByText(PEOPLE.boss!.name).waitFor();
    expect(await page.evaluate<number>('window.__feeds.filter((f) => f.readyState !== 2).length')).toBe(1);

    await page.getByRole('button', { name: 'Выйти' }).click();
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    const left = async () => {
      const text = await page.evaluate<string>('document.body.innerText');
      expect(text).not.toContain(PEOPLE.boss!.name);
      expect(text).not.toContain('Навигация: не начисляются баллы');
      expect(text).not.toContain(ticketId);
    };
    await left();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.evaluate<number>('window.__feeds.filter((f) => f.readyState !== 2).length')).toBe(0);
    // The back button: the previous person's pages answer with the sign-in form, nothing of theirs.
    await page.goBack();
    await page.getByRole('button', { name: 'Войти' }).waitFor();
    await left();
    await w.check('после выхода');

    // The next person at the same workstation sees their own desk only.
    await signIn('bubble');
    await page.getByText(PEOPLE.bubble!.name).waitFor();
    expect(await page.evaluate<string>('document.body.innerText')).not.toContain(PEOPLE.boss!.name);
    await w.check('следующий сотрудник');
  } finally {
    await context.close();
  }
});

test('issue #19: an organisation is chosen by its name or INN, and read by its name (people, the operator’s header)', async () => {
  const { page, context } = await c.signIn('admin');
  try {
    await menu('Администрирование')(page);
    await page.getByLabel('Логин', { exact: true }).fill('olga');
    await page.getByLabel('Имя', { exact: true }).fill('Ольга Организационная');
    const picker = page.getByRole('main').getByLabel('Организация (только её заявки)');
    await picker.fill('2536');
    await page.getByRole('option', { name: /«Бубль-Гум» · ИНН 2536321426/ }).click();
    await page.getByRole('button', { name: 'Создать', exact: true }).click();
    await page.getByTestId('secret').waitFor();
    await page.getByRole('button', { name: 'Готово' }).click();
    const row = page.getByRole('table', { name: 'Сотрудники' }).locator('tr', { hasText: 'olga' });
    await row.getByText('«Бубль-Гум»').waitFor();
    expect(await row.textContent()).not.toContain('bubble');
  } finally {
    await context.close();
  }
  const operator = await c.signIn('bubble');
  try {
    await operator.page.getByRole('banner').getByText('Первая линия · «Бубль-Гум»').waitFor();
  } finally {
    await operator.context.close();
  }
});

test('issue #19: notifications stand clear of the header, close by themselves, and go when another page opens', async () => {
  const { page, context } = await c.signIn('lina');
  const toast = page.locator('.mantine-Notification-root');
  const save = async (name: string) => {
    await page.getByRole('button', { name: 'Сохранить вид…' }).click();
    await page.getByLabel('Название вида').fill(name);
    await page.getByRole('button', { name: 'Сохранить текущие фильтры' }).click();
    await toast.filter({ hasText: name }).waitFor();
  };
  try {
    await save('Вид для проверки');
    // Not over the header's name and «Выйти», nor the queue's filters.
    const box = (await toast.first().boundingBox())!;
    for (const control of [
      page.getByRole('button', { name: 'Выйти' }),
      page.getByRole('banner').getByText(PEOPLE.lina!.name),
      page.getByRole('main').getByText('Линия', { exact: true }),
    ]) {
      const b = (await control.boundingBox())!;
      const overlaps =
        box.x < b.x + b.width &&
        b.x < box.x + box.width &&
        box.y < b.y + b.height &&
        b.y < box.y + box.height;
      expect(overlaps).toBe(false);
    }
    // Another page: the earlier page's notification goes.
    await menu('База знаний (FAQ)')(page);
    await heading(page, 'База знаний (FAQ)');
    await toast.first().waitFor({ state: 'detached', timeout: 3_000 });
    // Left alone, one closes by itself.
    await menu('Очередь')(page);
    await save('Второй вид');
    await toast.first().waitFor({ state: 'detached', timeout: 10_000 });
  } finally {
    await context.close();
  }
});

test('issue #19: the timeline shows each initiator reply once, the assignee once, and newest first on request', async () => {
  const created = await c.api<{ id: string }>('POST', '/tickets', {
    requestType: 'incident',
    channel: 'phone',
    subject: 'Хронология: не проходит оплата',
    description: 'Оплата отклоняется.',
    actualResult: 'Ошибка.',
    expectedResult: 'Оплата проходит.',
    initiator: {
      fullName: 'Петров Петр Петрович',
      email: 'manager@bubblegum.example',
      organization: '«Бубль-Гум»',
      organizationId: 'bubble',
    },
  });
  const { page, context } = await c.signIn('lina');
  try {
    // Lina takes it herself: «Назначен исполнитель · Лина Первая», not her name twice.
    const row = page.locator('[data-testid="queue"] tr', { hasText: 'Хронология' });
    await row.getByRole('button', { name: 'Взять в работу' }).click();
    await page.goto(`${c.base}/tickets/${created.id}`);
    const history = page.getByLabel('История заявки');
    await history.getByText('Назначен исполнитель · Лина Первая').waitFor();
    const assigned = history.locator('.mantine-Timeline-item', { hasText: 'Назначен исполнитель' });
    expect((await assigned.innerText()).split('Лина Первая').length - 1).toBe(1);
    const subject = `Re: [${created.id}] Инцидент: Хронология: не проходит оплата`;
    await c.sendMail({ from: 'manager@bubblegum.example', subject, text: 'Ошибка 51 на кассе №3.' });
    const reply = history.locator('.mantine-Timeline-item', { hasText: 'Ошибка 51 на кассе №3.' });
    await reply.first().waitFor({ timeout: 20_000 });
    expect(await reply.count()).toBe(1);
    // The reply's entry carries its letter's subject, from the event itself (the API's log says it too).
    await see(reply).toContainText(subject);
    const logged = await c.api<{ events: { type: string; subject?: string; text?: string }[] }>(
      'GET',
      `/tickets/${created.id}/history`,
    );
    expect(logged.events.find((e) => e.type === 'messageReceived')).toMatchObject({
      subject,
      text: 'Ошибка 51 на кассе №3.',
    });
    const mail = await c.api<{ items: { direction: string; subject: string | null; body: string }[] }>(
      'GET',
      `/tickets/${created.id}/correspondence`,
    );
    expect(mail.items.find((m) => m.direction === 'in' && m.body === 'Ошибка 51 на кассе №3.')).toMatchObject(
      {
        subject,
      },
    );
    await see(history).toContainText('Сообщение инициатора');
    await see(history.locator('.mantine-Timeline-item', { hasText: 'Сообщение инициатора' })).toHaveCount(1);
    // Newest first: the reply is at the top.
    await page.getByLabel('Сначала новые').check();
    await see(history.locator('.mantine-Timeline-item').first()).toContainText('Ошибка 51 на кассе №3.');
  } finally {
    await context.close();
  }
});
