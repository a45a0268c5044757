import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import {
  bundleWorkflowCode,
  Worker,
  type NativeConnection,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { createActivities, type TicketActivities } from '../../activities';
import { createApp } from '../../api/app';
import { seedDeskPeople } from '../support/deskPeople';
import { testApiContext } from '../support/apiContext';
import { createApiKey } from '../../db/repositories/apiKeys';
import { TemporalGateway } from '../../workflows/client';
import { testDatabase } from '../support/database';
import type { OutgoingMail, TicketEvent } from '../../domain';
import type { TemporalProbe } from '../support/temporal.setup';
import { ensureSearchAttributes } from '../../worker/searchAttributes';
import { nextOrdinaryMonday } from '../../scripts/histories/scenarios';
import { bundleOptions } from '../../worker/workflowBundle';

export const probe: TemporalProbe = JSON.parse(
  process.env.REGLAMENT_TEMPORAL_PROBE ??
    '{"mode":"none","reason":"the workflows Jest project did not run its setup"}',
);

/** Suites that need a Temporal server; skipped (loudly, by the setup) when none can be obtained. */
export const describeWithTemporal = probe.mode === 'none' ? describe.skip : describe;
/** Suites whose scenarios span working days: they need the time-skipping test server. */
export const describeWithTimeSkipping = probe.mode === 'time-skipping' ? describe : describe.skip;

export async function createEnvironment(): Promise<TestWorkflowEnvironment> {
  let env: TestWorkflowEnvironment;
  if (probe.mode === 'existing') {
    env = await TestWorkflowEnvironment.createFromExistingServer({
      address: probe.address,
      namespace: process.env.TEMPORAL_NAMESPACE,
    });
  } else {
    const path = process.env.TEMPORAL_TEST_SERVER_PATH;
    env = await TestWorkflowEnvironment.createTimeSkipping(
      path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
    );
  }
  // Every server rejects workflow tasks that upsert an unknown search attribute.
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;

/** One bundle per test file, with the interceptors that turn a failed assertion into a workflow failure. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    ...bundleOptions,
    workflowInterceptorModules: [require.resolve('@temporalio/testing/lib/assert-to-failure-interceptor')],
  });
  return bundle;
}

/** Activities that record what the workflow asked for, typed like the real ones. */
export function recordingActivities() {
  const events: TicketEvent[] = [];
  const mails: OutgoingMail[] = [];
  const activities: TicketActivities = {
    recordTicket: jest.fn(async ({ events: batch }) => {
      events.push(...batch);
    }),
    sendMail: jest.fn(async (mail: OutgoingMail) => {
      mails.push(mail);
      return { status: 'sent' as const, messageId: `<${mail.key}@test>` };
    }),
  };
  return { activities, events, mails };
}

export async function createWorker(
  env: TestWorkflowEnvironment,
  activities: TicketActivities,
): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  return { worker, taskQueue };
}

/** Moves the test server's clock forward to a local instant (ISO with offset). */
export async function travelTo(env: TestWorkflowEnvironment, iso: string): Promise<void> {
  const target = Date.parse(iso);
  const now = await env.currentTimeMs();
  if (target < now) throw new Error(`cannot travel back to ${iso}`);
  if (target > now) await env.sleep(target - now);
}

/** An ordinary Monday ahead of the server's clock (time on a test server only moves forward). */
export async function ordinaryMonday(env: TestWorkflowEnvironment): Promise<string> {
  return nextOrdinaryMonday(await env.currentTimeMs());
}

/** `${monday}` plus `days`, as a date. */
export function plusDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Local time to the minute in a zone with a fixed offset: commands reach the workflow a few
 * milliseconds after the instant the test moved the server's clock to, so deadlines carry them.
 */
export function localMinute(iso: string | null | undefined, offsetHours: number): string | null {
  if (!iso) return null;
  const sign = offsetHours < 0 ? '-' : '+';
  const offset = `${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
  return `${new Date(Date.parse(iso) + offsetHours * 3_600_000).toISOString().slice(0, 16)}${offset}`;
}

/**
 * The API as `npm start` wires it, against a Temporal server: a real worker with the real activities
 * on a fresh database, the Temporal gateway, the app, and a key per role.
 */
export async function startApiStack(
  server: { client: Client; nativeConnection: NativeConnection; namespace?: string },
  options: { timeoutMs?: number; historyBudget?: number } = {},
) {
  const db = await testDatabase();
  const namespace = server.namespace ?? 'default';
  const taskQueue = `stack-${randomUUID()}`;
  const worker = await Worker.create({
    connection: server.nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createActivities({
      db: db.db,
      mail: {
        transport: null,
        settings: {
          from: 'Desk <help@dprim.ru>',
          domain: 'dprim.ru',
          instance: 'r1',
          roles: { managers: ['manager@dprim.ru'], regional: [], federal: [] },
          automaticPerHour: 100,
        },
      },
    }),
  });
  const running = worker.run();
  const gateway = new TemporalGateway(server.client, {
    taskQueue,
    namespace,
    ...(options.timeoutMs && { timeoutMs: options.timeoutMs }),
  });
  const app = createApp(testApiContext(db.db, gateway), { rateLimitPerMinute: 100_000, version: 'test' });
  await seedDeskPeople(db.db);
  // A key per person: two of the first line, to act on one ticket at once.
  const people = {
    first_line: 'first_line',
    first_line_b: 'first_line',
    second_line: 'second_line',
    manager: 'manager',
    admin: 'admin',
  } as const;
  const keys: Record<string, string> = {};
  for (const [person, role] of Object.entries(people))
    keys[person] = (
      await createApiKey(db.db, { name: person, role, personId: `p-${person}`, personName: person })
    ).key;
  return {
    db,
    app,
    gateway,
    taskQueue,
    as: (person: keyof typeof people) => ({ Authorization: `Bearer ${keys[person]}` }),
    async stop(): Promise<void> {
      worker.shutdown();
      await running;
      await db.drop();
    },
  };
}

export type ApiStack = Awaited<ReturnType<typeof startApiStack>>;

/** Reads until the predicate holds (workers act asynchronously); failures count as not yet. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    try {
      const v = await read();
      if (ok(v)) return v;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return read();
}

export const phoneIncident = {
  requestType: 'incident',
  description: 'При оплате сертификатом ошибка «Недостаточно средств».',
  // Seed 000 п. 2.3.1.9: a phone incident carries the expected and the actual result.
  expectedResult: 'Покупка оплачена сертификатом.',
  actualResult: 'Ошибка «Недостаточно средств».',
  initiator: { fullName: 'Петров Петр Петрович', email: 'petrov@bubblegum.ru', organization: '«Бубль-Гум»' },
};
