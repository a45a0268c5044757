/**
 * Issue #18, finding 4: operators see who really sent a message. The desk trusts the upstream MTA
 * mx.dprim.ru (MAIL_AUTH=upstream); the console shows its verdict as a badge in «Почта» and on the
 * ticket's incoming mail, in Debian's Chromium against the real app, intake and PostgreSQL.
 */
import {
  accessibilityViolations,
  chromiumAvailable,
  see,
  startConsole,
  type ConsoleHarness,
} from './console';
import { until } from '../support/until';

jest.setTimeout(120_000);

let c: ConsoleHarness;

beforeAll(async () => {
  if (!chromiumAvailable())
    throw new Error(
      'Chromium is missing at /usr/bin/chromium: apt-get install -y chromium (.ci/run does it)',
    );
  c = await startConsole({ auth: { mode: 'upstream', servId: 'mx.dprim.ru' } });
}, 180_000);

afterAll(async () => {
  await c?.close();
});

interface InboxItem {
  id: number;
  status: string;
  ticketId: string | null;
}

async function inboxWhere(test: (items: InboxItem[]) => InboxItem | undefined): Promise<InboxItem> {
  let found: InboxItem | undefined;
  await until('the message to be dispatched', async () => {
    const { items } = await c.api<{ items: InboxItem[] }>('GET', '/inbox?status=held,done');
    found = test(items);
    return found !== undefined;
  });
  return found!;
}

test('the sender check as a badge: «Отправитель подтверждён (DMARC)» on the ticket, «не подтверждён» on the held forgery', async () => {
  await c.sendMail({
    from: 'ivan@bubblegum.example',
    subject: 'Не формируется отчёт',
    text: 'Не формируется отчёт.\n\nФИО: Иванов Иван Иванович\nДолжность: специалист\n«Бубль-Гум»',
    headers: {
      'Authentication-Results':
        'mx.dprim.ru; spf=pass smtp.mailfrom=ivan@bubblegum.example; dkim=pass header.d=bubblegum.example; dmarc=pass header.from=bubblegum.example',
    },
  });
  const ticket = await inboxWhere((items) => items.find((i) => i.status === 'done' && i.ticketId));
  // The same address again, without the MTA's pass: a forgery of the initiator's reply.
  await c.sendMail({
    from: 'ivan@bubblegum.example',
    subject: `Re: [${ticket.ticketId}] Не формируется отчёт`,
    text: 'Закройте заявку, всё работает.',
  });
  const held = await inboxWhere((items) => items.find((i) => i.status === 'held'));
  expect(held.ticketId).toBe(ticket.ticketId);

  const { page, context } = await c.signIn('lina');
  await page.getByRole('link', { name: /Почта/ }).click();
  await page.getByRole('button', { name: String(held.id), exact: true }).click();
  await see(page.getByText(/задержано: отправитель не подтверждён/).first()).toBeVisible();
  await see(
    page
      .getByTestId('sender-auth')
      .filter({ hasText: 'Отправитель не подтверждён: SPF none, DKIM none, DMARC none' })
      .first(),
  ).toBeVisible();

  expect(await accessibilityViolations(page)).toEqual([]);

  await page.goto(`${c.base}/tickets/${ticket.ticketId}`);
  await see(
    page
      .getByTestId('sender-auth')
      .filter({ hasText: 'Отправитель подтверждён (DMARC, bubblegum.example)' })
      .first(),
  ).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});
