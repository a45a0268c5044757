/**
 * The operator console in Chromium against a real Temporal server: the same flows as the in-process
 * browser tests (test/web), with every command an Update to the ticket's workflow and a real worker
 * running the real activities. A refused command shows the workflow's own reason.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Page } from 'playwright-core';
import { TemporalGateway } from '../../workflows/client';
import {
  accessibilityViolations,
  chromiumAvailable,
  openAction,
  see,
  startConsole,
  type ConsoleHarness,
} from '../web/console';
import { refuseDeadlineInThePast } from '../web/flows';
import { createEnvironment, describeWithTemporal, workflowBundle } from './support';

describeWithTemporal('the console through Temporal (Chromium)', () => {
  let env: TestWorkflowEnvironment;
  let c: ConsoleHarness;

  beforeAll(async () => {
    if (!chromiumAvailable())
      throw new Error(
        'Chromium is missing at /usr/bin/chromium: apt-get install -y chromium (.ci/run does it)',
      );
    env = await createEnvironment();
    c = await startConsole({
      gateway: async (activities) => {
        const taskQueue = `console-${Date.now()}`;
        const worker = await Worker.create({
          connection: env.nativeConnection,
          namespace: env.namespace ?? 'default',
          taskQueue,
          workflowBundle: await workflowBundle(),
          activities,
        });
        const running = worker.run();
        return {
          gateway: new TemporalGateway(env.client, { taskQueue, namespace: env.namespace ?? 'default' }),
          async stop() {
            worker.shutdown();
            await running;
          },
        };
      },
    });
  }, 180_000);

  afterAll(async () => {
    await c?.close();
    await env?.teardown();
  }, 60_000);

  async function act(page: Page, button: string, fill?: (p: Page) => Promise<void>): Promise<void> {
    await openAction(page, button);
    const dialog = page.getByRole('dialog');
    if (fill) await fill(page);
    await dialog.getByRole('button', { name: button }).click();
    await dialog.waitFor({ state: 'detached' });
  }

  it('seed 000 п. 2.3.1.9, 2.4, 3.2, 3.3: phone request → assign → request details → the reply by e-mail → resume → resolve', async () => {
    const created = await c.api<{ id: string }>('POST', '/tickets', {
      requestType: 'incident',
      channel: 'phone',
      subject: 'Двойное списание баллов',
      description: 'При оплате сертификатом баллы списываются дважды.',
      // п. 2.3.1.9: by phone, an incident says what happened and what was expected.
      actualResult: 'Баллы списаны дважды за одну покупку.',
      expectedResult: 'Баллы списываются один раз.',
      initiator: {
        fullName: 'Петров Петр Петрович',
        email: 'manager@bubblegum.example',
        organization: '«Бубль-Гум»',
        organizationId: 'bubble',
      },
    });
    const { page, context } = await c.signIn('lina');
    await page.goto(`${c.base}/tickets/${created.id}`);
    await page.getByRole('heading', { name: created.id }).waitFor();
    await act(page, 'Назначить');
    await see(page.getByText('В работе', { exact: true })).toBeVisible();
    await act(page, 'Запросить информацию', (p) =>
      p.getByRole('dialog').getByLabel('Вопрос инициатору').fill('Пришлите снимок экрана с ошибкой.'),
    );
    await see(page.getByText('Ожидает ответа', { exact: true })).toBeVisible();
    await c.sendMail({
      from: 'manager@bubblegum.example',
      subject: `Re: [${created.id}] Инцидент: Двойное списание баллов`,
      text: 'Снимок прилагаю: второе списание приходит через минуту.',
    });
    await see(page.getByText('второе списание приходит через минуту').first()).toBeVisible({
      timeout: 30_000,
    });
    await act(page, 'Вернуть в работу');
    await see(page.getByText('В работе', { exact: true })).toBeVisible();
    await act(page, 'Решить', (p) =>
      p.getByRole('dialog').getByLabel('Результат для инициатора').fill('Повторное списание отменено.'),
    );
    await see(page.getByText('Выполнена', { exact: true })).toBeVisible();
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('a command the workflow refuses shows its reason (seed 000 п. 3.1.3: a deadline in the past)', async () => {
    const { close } = await refuseDeadlineInThePast(c);
    await close();
  }, 120_000);
});
