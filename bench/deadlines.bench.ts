/**
 * `npm run bench:deadlines`: a burst of deadlines due in the same minute (issue #21: everything
 * received overnight is due at the same hour next morning). Starts BENCH_TICKETS (1,000) tickets on a
 * real Temporal server (TEMPORAL_ADDRESS or TEMPORAL_TEST_SERVER_PATH, run in real time) whose first
 * timer falls in one minute about BENCH_LEAD_S (90) seconds ahead, with the real activities (read
 * model and mail in a throwaway PostgreSQL), and prints how late each ticket's timer was recorded:
 * from the end of its minute (timers fire once their minute is over, seed 000 п. 3.5) to the read
 * model's write. Goal: p95 under 15 s for 5,000.
 * The worker runs with the production worker's capacity: WORKER_MAX_CACHED_WORKFLOWS,
 * WORKER_WORKFLOW_TASKS, WORKER_ACTIVITY_TASKS (config/index.ts; their defaults were chosen here).
 * Where the burst's time goes: the CPU each process used during it (this process with the worker, the
 * Temporal server when started here) and the SDK's own task latencies over the burst (its metrics).
 */
import { loadavg } from 'node:os';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { TicketActivities } from '../activities';
import { loadConfig } from '../config';
import { freePort } from '../db/embedded';
import { openTicket, wakeAt, type OpenTicketInput } from '../domain';
import { workerCapacity } from '../worker/createWorker';
import { workerBundleOptions } from '../worker/workflowBundle';
import { ticketWorkflow } from '../workflows';
import { benchActivities } from './database';
import { benchStack } from './temporal';
import { percentile } from './stats';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 1000);
const LEAD_MS = Number(process.env.BENCH_LEAD_S ?? 90) * 1000;
const MINUTE = 60_000;

/** The tickets' clock: a working Tuesday morning in the regulation's zone, whatever the hour here. */
const TICKET_MORNING = Date.parse('2026-12-08T10:00:00+10:00');

function input(ticketId: string, receivedAt: number): OpenTicketInput {
  return {
    ticketId,
    regulation: { id: 'primorye', version: '2023-04-20' },
    channel: 'email',
    receivedAt: new Date(receivedAt).toISOString(),
    requestType: 'information',
    intake: {
      description: 'Как выгрузить отчёт за квартал?',
      initiator: { fullName: 'Тестов Т. Т.', email: 't@example.ru', organization: 'О' },
    },
  };
}

/** The SDK's task latency histograms (sum and count, milliseconds), as the worker's Prometheus endpoint shows them. */
const LATENCIES = [
  'workflow_task_schedule_to_start_latency',
  'workflow_task_execution_latency',
  'activity_schedule_to_start_latency',
  'activity_execution_latency',
];

async function sdkMetrics(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(url)).text();
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const name = line.slice(0, line.search(/[{ ]/));
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) values.set(name, (values.get(name) ?? 0) + value);
  }
  return values;
}

function latencyDeltas(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, { n: number; ms: number }> {
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const out: Record<string, { n: number; ms: number }> = {};
  for (const name of LATENCIES)
    out[name] = { n: delta(`temporal_${name}_count`), ms: delta(`temporal_${name}_sum`) };
  return out;
}

async function main(): Promise<void> {
  const metricsPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${metricsPort}` } } },
  });
  const scrape = () => sdkMetrics(`http://127.0.0.1:${metricsPort}/metrics`);
  const stack = await benchStack('bench:deadlines');
  const { temporal, database, connection, native } = stack;
  try {
    const client = new Client({ connection });
    const offset = TICKET_MORNING - Date.now();
    const clock = (): number => Date.now() + offset;
    // The first timer of a ticket received at r is due at r + lag (working time, within the morning).
    const probe = Date.parse('2026-12-08T09:30:00+10:00');
    const lag = wakeAt(openTicket(input('probe', probe)).state)! - probe;
    // Every ticket's first timer fires at the end of the same minute, LEAD_MS from now.
    const wake = Math.floor((clock() + LEAD_MS) / MINUTE) * MINUTE;
    const receivedAt = wake - lag;

    const real = benchActivities(database.db);
    const started = new Map<string, number>();
    const lateness: number[] = [];
    // Assigned inside runUntil's callback.
    let burst = null as {
      workerCpu: number;
      serverCpu: number | null;
      latencies: Record<string, { n: number; ms: number }>;
    } | null;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    // Where a fired timer's time goes: the activities' own time, by activity.
    const spent = { recordTicket: { n: 0, ms: 0 }, sendMail: { n: 0, ms: 0 } };
    const timed =
      <A extends unknown[], R>(name: keyof typeof spent, fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        const t = performance.now();
        try {
          return await fn(...args);
        } finally {
          spent[name].n++;
          spent[name].ms += performance.now() - t;
        }
      };
    const record = timed('recordTicket', real.recordTicket);
    const activities: TicketActivities = {
      sendMail: timed('sendMail', real.sendMail),
      recordTicket: async (args) => {
        await record(args);
        // The first write after the ticket's opening that carries a timer's events.
        if (
          started.has(args.state.id) &&
          args.events.some((e) => e.type === 'deadlineWarning' || e.type === 'deadlineBreached')
        ) {
          started.delete(args.state.id);
          lateness.push(clock() - wake);
          if (!started.size) done();
        }
      },
    };
    const taskQueue = `bench-deadlines-${Date.now()}`;
    const capacity = workerCapacity(loadConfig().worker);
    console.log(
      `worker: ${capacity.maxCachedWorkflows} cached workflows, ${capacity.maxConcurrentWorkflowTaskExecutions} workflow tasks, ${capacity.maxConcurrentActivityTaskExecutions} activities at once`,
    );
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      ...workerBundleOptions,
      activities,
      ...capacity,
    });
    await worker.runUntil(async () => {
      const ids = Array.from({ length: TICKETS }, (_, i) => `DL${Date.now()}-${i}`);
      const t0 = performance.now();
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(
          ids.slice(i, i + 50).map(async (id) => {
            started.set(id, 0);
            await client.workflow.start(ticketWorkflow, {
              workflowId: id,
              taskQueue,
              args: [{ open: input(id, receivedAt), options: { clockOffsetMs: offset } }],
            });
          }),
        );
      }
      const ahead = (wake - clock()) / 1000;
      console.log(
        `${TICKETS} tickets started in ${((performance.now() - t0) / 1000).toFixed(1)} s; their first timer fires in ${ahead.toFixed(0)} s`,
      );
      if (ahead < 0) console.log('  (started after the deadline: raise BENCH_LEAD_S)');
      // The burst's window: from its minute's end (the timers' due time) to the last ticket recorded.
      await new Promise((r) => setTimeout(r, Math.max(0, wake - clock())));
      for (const k of Object.keys(spent) as (keyof typeof spent)[]) spent[k] = { n: 0, ms: 0 };
      const before = { metrics: await scrape(), cpu: process.cpuUsage(), server: temporal.cpuSeconds() };
      await all;
      const after = { metrics: await scrape(), cpu: process.cpuUsage(), server: temporal.cpuSeconds() };
      const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
      burst = {
        workerCpu: cpu(after.cpu) - cpu(before.cpu),
        serverCpu: before.server === null || after.server === null ? null : after.server - before.server,
        latencies: latencyDeltas(before.metrics, after.metrics),
      };
    });
    const sorted = lateness.sort((a, b) => a - b);
    const last = sorted.at(-1)! / 1000;
    console.log(
      `${TICKETS} deadlines due in one minute: lateness p50 ${(percentile(sorted, 50) / 1000).toFixed(1)} s, p95 ${(percentile(sorted, 95) / 1000).toFixed(1)} s, last ${last.toFixed(1)} s (${(TICKETS / last).toFixed(0)} tickets/s)`,
    );
    for (const [name, { n, ms }] of Object.entries(spent))
      console.log(`  during the burst: ${n} × ${name}, ${n ? (ms / n).toFixed(1) : 0} ms each`);
    if (burst) {
      console.log(
        `  CPU during the burst (${last.toFixed(1)} s): worker process ${burst.workerCpu.toFixed(1)} s` +
          (burst.serverCpu === null ? '' : `, Temporal server ${burst.serverCpu.toFixed(1)} s`) +
          `; load average ${loadavg()
            .map((l) => l.toFixed(1))
            .join(' ')}`,
      );
      for (const [name, { n, ms }] of Object.entries(burst.latencies))
        console.log(`  ${name}: ${n} × ${n ? (ms / n).toFixed(1) : 0} ms`);
    }
  } finally {
    await stack.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
