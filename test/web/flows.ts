/**
 * Browser flows run twice: against the in-process gateway (test/web) and through a real Temporal
 * server (test/workflows/console.workflow.test.ts), so both paths are held to the same behaviour.
 */
import type { Page } from 'playwright-core';
import { openAction, see, type ConsoleHarness } from './console';

/**
 * Seed 000 п. 3.1.3: a change request arrives by mail, the operator registers it and sets an
 * individual deadline in the past; the refusal's reason is shown in the dialog. Leaves the page there.
 */
export async function refuseDeadlineInThePast(
  c: ConsoleHarness,
): Promise<{ page: Page; close(): Promise<void> }> {
  await c.sendMail({
    from: 'director@bubblegum.example',
    subject: 'Добавить выгрузку в 1С',
    text: 'Просим добавить выгрузку начислений в 1С.\n\nФИО: Тестов Тест Тестович\nДолжность: Директор\n«Бубль-Гум»',
  });
  const { page, context } = await c.signIn('lina');
  const row = page.locator('[data-testid="queue"] tr', { hasText: 'Добавить выгрузку в 1С' });
  await row.waitFor({ timeout: 30_000 });
  await row.getByRole('link').first().click();
  await openAction(page, 'register');
  await page.getByRole('dialog').getByRole('combobox', { name: 'Тип заявки' }).click();
  await page.getByRole('option', { name: /Запрос на изменение/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Зарегистрировать' }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await openAction(page, 'setDeadline');
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Дата и время').click();
  await dialog.getByLabel(/Срок \(МСК\+7\)/).fill('2020-01-10T12:00');
  await dialog.getByRole('button', { name: 'Установить срок' }).click();
  await see(dialog.getByRole('alert')).toContainText('Укажите срок в будущем');
  return { page, close: () => context.close() };
}
