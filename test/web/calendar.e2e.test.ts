/**
 * Issue #20 in Debian's Chromium against the real app and PostgreSQL, the desk's clock in December
 * 2027 (its tickets run through the in-process gateway on that clock):
 * - the queue row of a ticket whose deadline falls in 2028, a year without a loaded production
 *   calendar, says «предварительный срок»;
 * - the admin's «Производственный календарь» tab: a malformed file shows its errors, each with its
 *   line; a good file shows the yearly totals and the changed days before it is accepted; accepted,
 *   the version is listed and the year view shows 2028 as loaded;
 * - the version reaches the ticket, and the queue row's mark is gone.
 */
import { join } from 'node:path';
import { currentRef } from '../../domain';
import { InProcessGateway } from '../support/inProcessGateway';
import { until } from '../support/until';
import {
  accessibilityViolations,
  chromiumAvailable,
  see,
  startConsole,
  type ConsoleHarness,
} from './console';

jest.setTimeout(120_000);

const fixture = (name: string) => join(__dirname, '../fixtures/calendars', name);
// Monday 27.12.2027 10:00 in Vladivostok; 60 working hours end in January 2028 (seed 000 п. 3.1.2).
const deskNow = Date.parse('2027-12-27T10:00:00+10:00');
const SUBJECT = 'Сроки в 2028 году';

let c: ConsoleHarness;

beforeAll(async () => {
  if (!chromiumAvailable())
    throw new Error(
      'Chromium is missing at /usr/bin/chromium: apt-get install -y chromium (.ci/run does it)',
    );
  c = await startConsole({
    gateway: async (activities) => ({
      gateway: new InProcessGateway(activities, () => deskNow),
      stop: async () => undefined,
    }),
  });
  const gateway = c.gateway as InProcessGateway;
  await gateway.open({
    open: {
      ticketId: 'ID2027001',
      regulation: currentRef('primorye'),
      channel: 'phone',
      receivedAt: new Date(deskNow).toISOString(),
      requestType: 'incident',
      intake: {
        subject: SUBJECT,
        description: 'Ошибка при оплате сертификатом',
        expectedResult: 'Баллы списаны',
        actualResult: 'Ошибка «Недостаточно средств»',
        initiator: {
          fullName: 'Петров Петр Петрович',
          email: 'petrov@example.ru',
          organization: 'Бубль-Гум',
        },
      },
    },
  });
  await gateway.send('ID2027001', {
    type: 'register',
    by: { kind: 'operator', id: 'lina', name: 'Лина Первая', role: 'first_line' },
    assignee: { id: 'lina', name: 'Лина Первая' },
  });
}, 180_000);

afterAll(async () => {
  await c?.close();
});

test('the queue row marks a deadline in a year without a loaded calendar «предварительный срок»; the admin imports 2028 and the mark is gone', async () => {
  const { page: queue, context: lina } = await c.signIn('lina');
  const row = queue.locator('[data-testid="queue"] tr', { hasText: SUBJECT });
  await see(row.locator('[data-provisional]')).toContainText('предварительный срок');

  const { page, context } = await c.signIn('admin');
  await page.getByRole('link', { name: 'Администрирование' }).click();
  await page.getByRole('tab', { name: 'Производственный календарь' }).click();
  await see(page.getByRole('cell', { name: 'ru-2023-2027.1' })).toBeVisible();

  // A malformed file: nothing is stored, and each bad line is named with what is wrong in it.
  const file = page.locator('input[type="file"]');
  await file.setInputFiles(fixture('ru-2028-broken.csv'));
  await page.getByRole('button', { name: 'Проверить и показать разницу' }).click();
  const errors = page.getByRole('alert').filter({ hasText: 'Файл не загружен' });
  await see(errors).toContainText('строка 2: Строка 2, Февраль: «30» — не день месяца 2028 года');
  await see(errors).toContainText('строка 3: Строка 3: в первом столбце нужен год');
  await see(errors).toContainText('строка 4: Строка 4: за 2029 год нужны все 12 месяцев');
  const lines = (await errors.innerText()).split('\n').filter((l) => l.startsWith('строка '));
  expect(new Set(lines.map((l) => l.split(':')[0])).size).toBe(3);
  await see(page.getByRole('button', { name: 'Принять' })).toBeDisabled();

  // The test 2028 file: yearly totals and the changed days before accepting.
  await file.setInputFiles(fixture('ru-2028-test.csv'));
  await page.getByLabel('Постановление (номер и дата)').fill('№ 9999 от 15.09.2027 (тест)');
  await page.getByRole('button', { name: 'Проверить и показать разницу' }).click();
  const diff = page.getByTestId('calendar-diff');
  await see(diff).toContainText('2028: рабочих дней 247, выходных и праздничных 119, часов 1972');
  await see(diff).toContainText('2028 (был предварительным)');
  await see(diff.getByRole('row', { name: /10\.01\.2028 рабочий выходной/ })).toBeVisible();
  await see(diff.getByRole('row', { name: /29\.12\.2028 рабочий выходной/ })).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Принять' }).click();

  await see(page.getByRole('cell', { name: 'ru-2023-2028.2' })).toBeVisible();
  await see(page.getByRole('cell', { name: '№ 9999 от 15.09.2027 (тест)' })).toBeVisible();
  await page.getByLabel('Год').fill('2028');
  await see(page.getByText('ru-2023-2028.2', { exact: true }).last()).toBeVisible();
  await see(page.getByText('Постановление: № 9999 от 15.09.2027 (тест)')).toBeVisible();
  await see(page.getByText(/Нерабочие дни: .*10\.01\.2028/)).toBeVisible();
  await see(page.getByText('Рабочих дней 247, часов при 40-часовой неделе 1972')).toBeVisible();
  await context.close();

  // The version reaches the ticket (fan-out in the background); the queue follows the read model.
  await until('the ticket to follow the 2028 calendar', async () => {
    const t = await c.api<{ provisionalDeadlines: string[] }>('GET', '/tickets/ID2027001');
    return t.provisionalDeadlines.length === 0;
  });
  await queue.reload();
  // The row's clocks have loaded (the resolution badge) before the mark's absence means anything.
  await see(row.getByText(/^Решение:/)).toBeVisible();
  await see(row.locator('[data-provisional]')).toHaveCount(0);
  await lina.close();
});
