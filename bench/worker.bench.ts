/**
 * `npm run bench:worker`: the worker alone (activities stubbed), on a real Temporal server
 * (TEMPORAL_ADDRESS or TEMPORAL_TEST_SERVER_PATH): a ticket's first Update against its next ones
 * (BENCH_FIRST_TICKETS, 30), then BENCH_CACHED (300) tickets held in the worker's cache and the
 * memory each one costs: RSS, and with BENCH_HEAP=1 the JavaScript heap (workflows then run on the
 * main thread, where the heap can be read; BENCH_SNAPSHOT=<file> writes heap snapshots before and after
 * the cached tickets, <file>.before and <file>, to compare in Chrome DevTools).
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Actor } from '../domain';
import { ensureSearchAttributes } from '../worker/searchAttributes';
import { workerBundleOptions } from '../worker/workflowBundle';
import { requestConnectionOptions, TemporalGateway } from '../workflows/client';
import type { UpdateCommand } from '../workflows/messages';
import { temporalServer } from './temporal';
import { percentile } from './stats';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const FIRST = Number(process.env.BENCH_FIRST_TICKETS ?? 30);
const CACHED = Number(process.env.BENCH_CACHED ?? 300);
const HEAP = process.env.BENCH_HEAP === '1';
const operator: Actor = { kind: 'operator', id: 'bench', name: 'Оператор', role: 'first_line' };

const summary = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms`;
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await temporalServer('bench:worker');
  const connection = await Connection.connect(requestConnectionOptions(temporal.address));
  const native = await NativeConnection.connect({ address: temporal.address });
  try {
    await ensureSearchAttributes(connection, 'default');
    const taskQueue = `bench-worker-${Date.now()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      ...workerBundleOptions,
      maxCachedWorkflows: FIRST + CACHED + 100,
      debugMode: HEAP,
      activities: {
        recordTicket: async () => undefined,
        sendMail: async (mail: { key: string }) => ({ status: 'stored', messageId: `<${mail.key}@bench>` }),
      },
    });
    const gateway = new TemporalGateway(new Client({ connection }), {
      taskQueue,
      namespace: 'default',
      timeoutMs: 60_000,
    });
    const open = (id: string) =>
      gateway.open({
        open: {
          ticketId: id,
          regulation: { id: 'primorye', version: '2023-04-20' },
          channel: 'phone',
          receivedAt: new Date().toISOString(),
          requestType: 'information',
          intake: {
            description: 'Как выгрузить отчёт?',
            initiator: { fullName: 'Тестов Т. Т.', email: 't@example.ru', organization: 'О' },
          },
        },
        initialCommands: [{ type: 'register', by: operator, commandId: `register:${id}` }],
        openedAt: new Date().toISOString(),
      });
    const assign = (id: string, k: number) =>
      gateway.execute(id, {
        type: 'assign',
        by: operator,
        assignee: { id: `a${k}`, name: 'Исполнитель' },
        commandId: `assign:${id}:${k}`,
      } as UpdateCommand);
    await worker.runUntil(async () => {
      const first: number[] = [];
      const next: number[] = [];
      // The very first workflow of the process loads the bundle: not a ticket's first command.
      await open(`W${Date.now()}`);
      for (let i = 0; i < FIRST; i++) {
        const id = `F${Date.now()}-${i}`;
        await open(id);
        for (let k = 0; k < 3; k++) {
          const sent = performance.now();
          await assign(id, k);
          (k ? next : first).push(performance.now() - sent);
        }
      }
      console.log(`a ticket's first Update (${FIRST} tickets): ${summary(first)}`);
      console.log(`its next Updates:                    ${summary(next)}`);
      gc();
      gc();
      const rss0 = process.memoryUsage().rss;
      const heap0 = v8.getHeapStatistics().used_heap_size;
      if (process.env.BENCH_SNAPSHOT)
        console.log(`heap snapshot before: ${v8.writeHeapSnapshot(`${process.env.BENCH_SNAPSHOT}.before`)}`);
      const ids = Array.from({ length: CACHED }, (_, i) => `C${Date.now()}-${i}`);
      for (let i = 0; i < CACHED; i += 50)
        await Promise.all(
          ids.slice(i, i + 50).map(async (id) => {
            await open(id);
            await assign(id, 0);
          }),
        );
      gc();
      gc();
      const perTicket = (bytes: number): string => `${(bytes / CACHED / 1024).toFixed(0)} KiB`;
      console.log(
        `${CACHED} more tickets cached: RSS ${perTicket(process.memoryUsage().rss - rss0)} per ticket` +
          (HEAP
            ? `, JavaScript heap ${perTicket(v8.getHeapStatistics().used_heap_size - heap0)} per ticket`
            : // The workflows' heap is in the workflow thread; this one holds the SDK's per-run pipeline.
              `, of which the main thread's JavaScript heap ${perTicket(v8.getHeapStatistics().used_heap_size - heap0)}`),
      );
      if (process.env.BENCH_SNAPSHOT)
        console.log(`heap snapshot: ${v8.writeHeapSnapshot(process.env.BENCH_SNAPSHOT)}`);
    });
  } finally {
    await native.close();
    await connection.close();
    temporal.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
