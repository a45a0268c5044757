/**
 * `npm run bench:workflows`: 1,000 tickets through register → assign → resolve on a real Temporal
 * server (TEMPORAL_ADDRESS, TEMPORAL_TEST_SERVER_PATH or the SDK's download), activities in process.
 * Prints tickets/s, p50/p95 signal-to-state latency (signal sent → state recorded by the persistence
 * activity) and the worker's peak RSS per cached open ticket.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { TicketActivities } from '../activities';
import type { Actor } from '../domain';
import { ticketWorkflow } from '../workflows';
import { commandSignals } from '../workflows/messages';
import { ensureSearchAttributes } from '../worker/searchAttributes';
import { workerBundleOptions } from '../worker/workflowBundle';
import { percentile } from './stats';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const operator: Actor = { kind: 'operator', id: 'bench', name: 'Оператор', role: 'first_line' };

async function environment(): Promise<TestWorkflowEnvironment> {
  if (process.env.TEMPORAL_ADDRESS)
    return TestWorkflowEnvironment.createFromExistingServer({ address: process.env.TEMPORAL_ADDRESS });
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  return TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
  );
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  let env: TestWorkflowEnvironment;
  try {
    env = await environment();
  } catch (e) {
    console.error(
      `bench:workflows needs a Temporal server: ${(e as Error).message.split('\n')[0]} (set TEMPORAL_ADDRESS or TEMPORAL_TEST_SERVER_PATH)`,
    );
    process.exit(2);
  }
  try {
    await ensureSearchAttributes(env.connection, 'default');
    const waiting = new Map<string, { sent: number; resolve: () => void }>();
    const latencies: number[] = [];
    const activities: TicketActivities = {
      recordTicket: async ({ state, events }) => {
        const key = `${state.id}:${events.at(-1)?.type}`;
        const w = waiting.get(key);
        if (w) {
          latencies.push(performance.now() - w.sent);
          waiting.delete(key);
          w.resolve();
        }
      },
      sendMail: async (mail) => ({ status: 'stored', messageId: `<${mail.key}@bench>` }),
    };
    const taskQueue = `bench-${Date.now()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      ...workerBundleOptions,
      activities,
      maxCachedWorkflows: TICKETS + 100,
    });
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const signalAndWait = (id: string, event: string, send: () => Promise<void>): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        waiting.set(`${id}:${event}`, { sent: performance.now(), resolve });
        send().catch(reject);
      });
    const started = performance.now();
    let openRss = baseline;
    await worker.runUntil(async () => {
      const ids = Array.from({ length: TICKETS }, (_, i) => `BENCH${Date.now()}-${i}`);
      await Promise.all(
        ids.map((id) =>
          signalAndWait(id, 'received', () =>
            env.client.workflow
              .start(ticketWorkflow, {
                workflowId: id,
                taskQueue,
                args: [
                  {
                    open: {
                      ticketId: id,
                      regulation: { id: 'primorye', version: '2023-04-20' },
                      channel: 'email',
                      receivedAt: new Date().toISOString(),
                      requestType: 'information',
                      intake: {
                        description: 'Как выгрузить отчёт?',
                        initiator: { fullName: 'Тестов Т. Т.', email: 't@example.ru', organization: 'О' },
                      },
                    },
                  },
                ],
              })
              .then(() => undefined),
          ),
        ),
      );
      openRss = Math.max(peak, process.memoryUsage().rss);
      const handle = (id: string) => env.client.workflow.getHandle(id);
      await Promise.all(
        ids.map((id) =>
          signalAndWait(id, 'registered', () => handle(id).signal(commandSignals.register, { by: operator })),
        ),
      );
      await Promise.all(
        ids.map((id) =>
          signalAndWait(id, 'assigned', () =>
            handle(id).signal(commandSignals.assign, {
              by: operator,
              assignee: { id: 'u', name: 'Исполнитель' },
            }),
          ),
        ),
      );
      await Promise.all(
        ids.map((id) =>
          signalAndWait(id, 'resolved', () =>
            handle(id).signal(commandSignals.resolve, { by: operator, text: 'Готово' }),
          ),
        ),
      );
    });
    clearInterval(sampler);
    const seconds = (performance.now() - started) / 1000;
    const sorted = latencies.sort((a, b) => a - b);
    console.log(
      `tickets: ${TICKETS} through register → assign → resolve in ${seconds.toFixed(1)} s: ${(TICKETS / seconds).toFixed(1)} tickets/s`,
    );
    console.log(
      `signal-to-state latency: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`,
    );
    console.log(
      `worker peak RSS per cached open ticket: ${((openRss - baseline) / TICKETS / 1024).toFixed(1)} KiB (peak ${(peak / 2 ** 20).toFixed(0)} MiB)`,
    );
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
