/**
 * Behaviour that needs a server but not time skipping: refused signals, idempotent signals, the
 * query, search attributes, continue-as-new. Runs against TEMPORAL_ADDRESS too.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor } from '../../domain';
import { ticketWorkflow } from '../../workflows';
import { commandSignals, ticketQuery } from '../../workflows/messages';
import { createEnvironment, createWorker, describeWithTemporal, recordingActivities } from './support';

const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };

function open(id: string) {
  return {
    ticketId: id,
    regulation: { id: 'primorye' as const, version: '2023-04-20' },
    channel: 'email' as const,
    receivedAt: new Date().toISOString(),
    requestType: 'information',
    intake: {
      subject: 'Как выгрузить отчёт',
      description: 'Подскажите, как выгрузить отчёт за месяц.',
      initiator: { fullName: 'Тестов Тест Тестович', email: 'test@example.ru', organization: '«Бубль-Гум»' },
    },
  };
}

describeWithTemporal('ticket workflow: signals, query, search attributes, continue-as-new', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  /**
   * Waits until the read satisfies the predicate: the worker applies signals asynchronously, and a
   * query before the workflow's first task has completed fails, so failures are retried too.
   */
  async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 200; i++) {
      try {
        const value = await read();
        if (ok(value)) return value;
      } catch {
        // not ready yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return read();
  }

  it('a refused command is recorded in the log with its reason, and the ticket goes on', async () => {
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const id = `ID-WF-REFUSE-${Date.now()}`;
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue,
        args: [{ open: open(id) }],
      });
      await handle.signal(commandSignals.resolve, { by: operator, text: 'Готово' });
      const view = await until(
        () => handle.query(ticketQuery),
        (v) => v.log.some((e) => e.type === 'commandRefused'),
      );
      expect(view.log.find((e) => e.type === 'commandRefused')).toMatchObject({
        command: 'resolve',
        refusal: { code: 'invalid_status' },
      });
      await handle.signal(commandSignals.register, { by: operator });
      expect(
        (
          await until(
            () => handle.query(ticketQuery),
            (v) => v.status === 'new',
          )
        ).status,
      ).toBe('new');
      await handle.signal(commandSignals.reject, { by: operator, reason: 'unclear_task' });
      await until(
        () => handle.query(ticketQuery),
        (v) => v.status === 'rejected',
      );
    });
  });

  it('a command delivered twice with the same commandId applies once', async () => {
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const id = `ID-WF-IDEM-${Date.now()}`;
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue,
        args: [{ open: open(id), initialCommands: [{ type: 'register', by: operator }] }],
      });
      await handle.signal(commandSignals.comment, {
        by: operator,
        text: 'Позвонил инициатору',
        commandId: 'c-1',
      });
      await handle.signal(commandSignals.comment, {
        by: operator,
        text: 'Позвонил инициатору',
        commandId: 'c-1',
      });
      await handle.signal(commandSignals.comment, { by: operator, text: 'Второй звонок', commandId: 'c-2' });
      const view = await until(
        () => handle.query(ticketQuery),
        (v) => v.log.filter((e) => e.type === 'commented').length >= 2,
      );
      expect(view.log.filter((e) => e.type === 'commented').map((e) => (e as { text: string }).text)).toEqual(
        ['Позвонил инициатору', 'Второй звонок'],
      );
      await handle.signal(commandSignals.reject, { by: operator, reason: 'unclear_task' });
      await until(
        () => handle.query(ticketQuery),
        (v) => v.status === 'rejected',
      );
    });
  });

  it('keeps the search attributes for Temporal UI current', async () => {
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const id = `ID-WF-SA-${Date.now()}`;
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue,
        args: [
          {
            open: open(id),
            initialCommands: [{ type: 'register', by: operator, assignee: { id: 'u1', name: 'Иванов' } }],
          },
        ],
      });
      await until(
        () => handle.query(ticketQuery),
        (v) => v.status === 'in_progress',
      );
      const described = await until(
        () => handle.describe(),
        (d) => d.searchAttributes?.TicketStatus?.[0] === 'in_progress',
      );
      expect(described.searchAttributes).toMatchObject({
        TicketStatus: ['in_progress'],
        TicketType: ['information'],
        Regulation: ['primorye'],
        SupportLine: ['first'],
        Organization: ['«Бубль-Гум»'],
        SlaBreached: [false],
      });
      expect(described.searchAttributes?.SlaDueAt?.[0]).toBeInstanceOf(Date);
      await handle.signal(commandSignals.reject, { by: operator, reason: 'unclear_task' });
      await until(
        () => handle.query(ticketQuery),
        (v) => v.status === 'rejected',
      );
    });
  });

  it('continues as new when the history grows, carrying the whole state', async () => {
    const rec = recordingActivities();
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const id = `ID-WF-CAN-${Date.now()}`;
      const handle = await env.client.workflow.start(ticketWorkflow, {
        workflowId: id,
        taskQueue,
        args: [
          {
            open: open(id),
            initialCommands: [{ type: 'register', by: operator }],
            options: { historyBudget: 40 },
          },
        ],
      });
      const firstRun = (await handle.describe()).runId;
      for (let i = 1; i <= 12; i++) {
        await handle.signal(commandSignals.comment, { by: operator, text: `Комментарий ${i}` });
      }
      // Signals go by workflow ID only, so they reach the newest run.
      const view = await until(
        () => env.client.workflow.getHandle(id).query(ticketQuery),
        (v) => v.log.filter((e) => e.type === 'commented').length === 12,
      );
      expect(view.status).toBe('new');
      expect(view.log.filter((e) => e.type === 'commented')).toHaveLength(12);
      // The run continues as new once it has settled its effects, right after the last signals.
      const latest = await until(
        () => env.client.workflow.getHandle(id).describe(),
        (d) => d.runId !== firstRun,
      );
      expect(latest.runId).not.toBe(firstRun);
      const first = await env.client.workflow.getHandle(id, firstRun).describe();
      expect(first.status.name).toBe('CONTINUED_AS_NEW');
      // The read model saw every event exactly once, in order.
      expect(rec.events.map((e) => e.seq)).toEqual(rec.events.map((_, i) => i + 1));
      await env.client.workflow
        .getHandle(id)
        .signal(commandSignals.reject, { by: operator, reason: 'unclear_task' });
      await until(
        () => env.client.workflow.getHandle(id).query(ticketQuery),
        (v) => v.status === 'rejected',
      );
    });
  });
});
