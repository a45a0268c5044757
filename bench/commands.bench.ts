/**
 * `npm run bench:commands`: an operator's command through the real HTTP stack to the ticket's
 * workflow (a Temporal Update) and back with the resulting ticket, and the time until the queue
 * (GET /tickets, the read model) shows it; with 1 and 20 operators at once. Needs a real server:
 * TEMPORAL_ADDRESS, or TEMPORAL_TEST_SERVER_PATH (started here in real time). Goal on the 2-core
 * machine: p95 under 50 ms for the answer and under 100 ms for visibility at 20 operators.
 * BENCH_COMMANDS (per operator, 50) and BENCH_PACE_MS (1000) tune it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { connectDatabase } from '../db/client';
import { freePort } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { createApiKey } from '../db/repositories/apiKeys';
import { ensureSearchAttributes } from '../worker/searchAttributes';
import { requestConnectionOptions, TemporalGateway } from '../workflows/client';
import { benchActivities, benchDatabase } from './database';

const COMMANDS_PER_OPERATOR = Number(process.env.BENCH_COMMANDS ?? 50);

/**
 * Back to back, 20 operators measure the stack's throughput (latency is then 20 ÷ throughput, by
 * Little's law); at a person's pace (a command a second each, already brisk for a desk) they measure
 * the latency an operator feels with 19 colleagues at work.
 */
const RUNS = [
  { operators: 1, paceMs: 0 },
  { operators: 20, paceMs: 0 },
  { operators: 20, paceMs: Number(process.env.BENCH_PACE_MS ?? 1000) },
];

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms`;
};

/** A Temporal server: the one at TEMPORAL_ADDRESS, or the test server binary run standalone. */
async function temporalServer(): Promise<{ address: string; stop: () => void }> {
  if (process.env.TEMPORAL_ADDRESS) return { address: process.env.TEMPORAL_ADDRESS, stop: () => undefined };
  const launcher = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!launcher) {
    console.error(
      'bench:commands needs a Temporal server: set TEMPORAL_ADDRESS, or TEMPORAL_TEST_SERVER_PATH to a test server launcher (DEVELOPERS.md)',
    );
    process.exit(2);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(launcher, [String(port)], { stdio: 'ignore' });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await (await Connection.connect({ address, connectTimeout: 1_000 })).close();
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { address, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const temporal = await temporalServer();
  const pg = await benchDatabase();
  const database = connectDatabase(pg.url, { max: 10 });
  const connection = await Connection.connect(requestConnectionOptions(temporal.address));
  const native = await NativeConnection.connect({ address: temporal.address });
  try {
    await migrateDatabase(database.db);
    await ensureSearchAttributes(connection, 'default');
    const taskQueue = `bench-commands-${Date.now()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: benchActivities(database.db),
    });
    const gateway = new TemporalGateway(new Client({ connection }), { taskQueue, namespace: 'default' });
    const app = createApp(
      {
        db: database.db,
        gateway,
        now: Date.now,
        defaultRegulation: 'primorye',
        regulationSettings: { primorye: {}, epgu: {} },
        temporalLink: () => null,
        metrics: createMetrics(database.db),
        dispatcher: null,
        log: (line) => console.error(line),
      },
      { rateLimitPerMinute: 1_000_000, version: 'bench' },
    );
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { key } = await createApiKey(database.db, { name: 'bench', role: 'first_line' });
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const post = async (path: string, body: object): Promise<Response> => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res;
    };

    await worker.runUntil(async () => {
      for (const { operators, paceMs } of RUNS) {
        const answers: number[] = [];
        const visible: number[] = [];
        const ids = await Promise.all(
          Array.from({ length: operators }, async () => {
            const res = await post('/tickets', {
              requestType: 'incident',
              description: 'Не списываются баллы при оплате сертификатом',
              expectedResult: 'Покупка оплачена сертификатом.',
              actualResult: 'Ошибка «Недостаточно средств».',
              initiator: { fullName: 'Петров Петр Петрович', email: 'p@example.ru', organization: 'О' },
            });
            return ((await res.json()) as { id: string }).id;
          }),
        );
        const started = performance.now();
        await Promise.all(
          ids.map(async (id, op) => {
            for (let i = 0; i < COMMANDS_PER_OPERATOR; i++) {
              const assignee = `op${op}-${i}`;
              const sent = performance.now();
              await post(`/tickets/${id}/assign`, { assignee: { id: assignee, name: assignee } });
              answers.push(performance.now() - sent);
              // The queue, by the new assignee: the read model shows the command's result.
              for (;;) {
                const res = await fetch(`${base}/tickets?assignee=${assignee}`, { headers });
                const page = (await res.json()) as { items: { id: string }[] };
                if (page.items.some((t) => t.id === id)) break;
                await new Promise((r) => setTimeout(r, 2));
              }
              visible.push(performance.now() - sent);
              // An operator reads the answer before the next command: 0.5–1.5 × the pace.
              if (paceMs) await new Promise((r) => setTimeout(r, paceMs * (0.5 + Math.random())));
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `${operators} operator(s)${paceMs ? `, a command every ~${paceMs} ms each` : ', back to back'}, ${answers.length} commands in ${seconds.toFixed(1)} s (${(answers.length / seconds).toFixed(0)}/s)`,
        );
        console.log(`  command → answer with the resulting ticket: ${summary(answers)}`);
        console.log(`  command → visible in GET /tickets:          ${summary(visible)}`);
      }
    });
    server.close();
  } finally {
    await native.close();
    await connection.close();
    await database.close();
    await pg.stop();
    temporal.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
