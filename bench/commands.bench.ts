/**
 * `npm run bench:commands`: an operator's command through the real HTTP stack to the ticket's
 * workflow (a Temporal Update) and back with the resulting ticket, and the time until the queue
 * (GET /tickets, the read model) shows it; with 1 and 20 operators at once. Needs a real server:
 * TEMPORAL_ADDRESS, or TEMPORAL_TEST_SERVER_PATH (started here in real time). Goal on the 2-core
 * machine: p95 under 50 ms for the answer and under 100 ms for visibility at 20 operators.
 * Also the first command on a ticket apart from its next ones, and the bare Update under the same load
 * (the API's share). BENCH_COMMANDS (per operator, 50), BENCH_PACE_MS (1000), BENCH_FIRST_TICKETS (30),
 * BENCH_RUNS (which of the three runs, e.g. `3`: the paced one alone).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { createApp } from '../api/app';
import { createMetrics } from '../api/metrics';
import { createApiKey } from '../db/repositories/apiKeys';
import { createUser } from '../db/repositories/users';
import { TemporalGateway } from '../workflows/client';
import type { UpdateCommand } from '../workflows/messages';
import { benchActivities } from './database';
import { benchStack } from './temporal';
import { workerBundleOptions } from '../worker/workflowBundle';
import { percentile } from './stats';

const COMMANDS_PER_OPERATOR = Number(process.env.BENCH_COMMANDS ?? 50);

/**
 * Back to back, 20 operators measure the stack's throughput (latency is then 20 ÷ throughput, by
 * Little's law); at a person's pace (a command a second each, already brisk for a desk) they measure
 * the latency an operator feels with 19 colleagues at work.
 */
const PACE_MS = Number(process.env.BENCH_PACE_MS ?? 1000);
const RUNS = [
  { operators: 1, paceMs: 0, bare: false },
  { operators: 20, paceMs: 0, bare: false },
  // Every other command a bare Update, under the same load: what the API adds (goal ≤ 1.25×).
  { operators: 20, paceMs: PACE_MS, bare: true },
];
/** Tickets whose first command is timed apart from the next ones (BENCH_FIRST_TICKETS, 30). */
const FIRST_TICKETS = Number(process.env.BENCH_FIRST_TICKETS ?? 30);

const summary = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms`;
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stack = await benchStack('bench:commands');
  const { database, connection, native } = stack;
  try {
    const taskQueue = `bench-commands-${Date.now()}`;
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      ...workerBundleOptions,
      activities: benchActivities(database.db),
    });
    // A loaded machine: the bench measures, it does not answer 503 at 5 s.
    const gateway = new TemporalGateway(new Client({ connection }), {
      taskQueue,
      namespace: 'default',
      timeoutMs: 60_000,
    });
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
    // Assignees are people on file (issue #18, finding 9): two a operator, assigned in turn, so each
    // command changes the assignee and the queue's filter by the new one shows when it is visible.
    const people = Array.from({ length: 2 * 21 }, (_, n) => `bench${n}`);
    for (const login of people)
      await createUser(database.db, {
        login,
        name: login,
        role: 'first_line',
        password: 'Пароль-оператора-1',
      });
    const personOf = (op: number, i: number): string => people[2 * op + (i % 2)]!;
    const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
    const post = async (path: string, body: object): Promise<Response> => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res;
    };

    const createTicket = async (): Promise<string> => {
      const res = await post('/tickets', {
        requestType: 'incident',
        description: 'Не списываются баллы при оплате сертификатом',
        expectedResult: 'Покупка оплачена сертификатом.',
        actualResult: 'Ошибка «Недостаточно средств».',
        initiator: { fullName: 'Петров Петр Петрович', email: 'p@example.ru', organization: 'О' },
      });
      return ((await res.json()) as { id: string }).id;
    };
    const assignee = (name: string) => ({ assignee: { id: name, name } });
    /** The bare Temporal Update, without the API around it. */
    const bareUpdate = (id: string, name: string): Promise<unknown> =>
      gateway.execute(id, {
        type: 'assign',
        by: { kind: 'operator', id: 'bench', name: 'bench', role: 'first_line' },
        commandId: `bare:${randomUUID()}`,
        ...assignee(name),
      } as UpdateCommand);

    await worker.runUntil(async () => {
      // A ticket's first command against its next ones (issue #21: the first was ~0.5 s): one operator
      // at a time, the first command right after the ticket was created, as in the console.
      const first: number[] = [];
      const next: number[] = [];
      for (let i = 0; i < FIRST_TICKETS; i++) {
        const id = await createTicket();
        for (let k = 0; k < 3; k++) {
          const sent = performance.now();
          await post(`/tickets/${id}/assign`, assignee(personOf(20, k)));
          (k === 0 ? first : next).push(performance.now() - sent);
        }
      }
      console.log(`first command on a ticket (${FIRST_TICKETS} tickets): ${summary(first)}`);
      console.log(`its next commands:                      ${summary(next)}`);

      const only = process.env.BENCH_RUNS?.split(',').map(Number); // e.g. 3: the paced run alone
      for (const [n, { operators, paceMs, bare }] of RUNS.entries()) {
        if (only && !only.includes(n + 1)) continue;
        const answers: number[] = [];
        const visible: number[] = [];
        const bareAnswers: number[] = [];
        const ids = await Promise.all(Array.from({ length: operators }, createTicket));
        const started = performance.now();
        await Promise.all(
          ids.map(async (id, op) => {
            for (let i = 0; i < COMMANDS_PER_OPERATOR; i++) {
              const viaUpdate = bare && i % 2 === 1;
              const name = personOf(op, i);
              const sent = performance.now();
              if (viaUpdate) await bareUpdate(id, name);
              else await post(`/tickets/${id}/assign`, assignee(name));
              // The first command on each ticket is measured above; here the steady state.
              if (viaUpdate) {
                bareAnswers.push(performance.now() - sent);
                await new Promise((r) => setTimeout(r, paceMs * (0.5 + Math.random())));
                continue;
              }
              if (i > 0) answers.push(performance.now() - sent);
              // The queue, by the new assignee: the read model shows the command's result.
              for (;;) {
                const res = await fetch(`${base}/tickets?assignee=${name}`, { headers });
                const page = (await res.json()) as { items: { id: string }[] };
                if (page.items.some((t) => t.id === id)) break;
                await new Promise((r) => setTimeout(r, 2));
              }
              if (i > 0) visible.push(performance.now() - sent);
              // An operator reads the answer before the next command: 0.5–1.5 × the pace.
              if (paceMs) await new Promise((r) => setTimeout(r, paceMs * (0.5 + Math.random())));
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        console.log(
          `${operators} operator(s)${paceMs ? `, a command every ~${paceMs} ms each` : ', back to back'}${bare ? ', every other one a bare Update' : ''}, ${COMMANDS_PER_OPERATOR * operators} commands in ${seconds.toFixed(1)} s (${((COMMANDS_PER_OPERATOR * operators) / seconds).toFixed(0)}/s)`,
        );
        if (bare) console.log(`  bare Temporal Update (no API):              ${summary(bareAnswers)}`);
        console.log(`  command → answer with the resulting ticket: ${summary(answers)}`);
        console.log(`  command → visible in GET /tickets:          ${summary(visible)}`);
      }
    });
    server.close();
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
