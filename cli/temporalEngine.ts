/**
 * `reglament simulate --engine temporal`: a scenario through the real ticket workflow on a
 * time-skipping Temporal server, with the real activities recording into PostgreSQL and mail kept in
 * the database. Each step is sent at its instant (time skipped to it), every timer fires at its own
 * instant, and the result is read back from the read model: the same JSON as the pure engine.
 *
 * The test server's clock starts at the present and only moves forward, so the workflow runs with a
 * constant clock offset (`options.clockOffsetMs`): the scenario's instants, calendar and deadlines are
 * its own, wherever the server's clock is.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { asc, eq, sql } from 'drizzle-orm';
import { createActivities } from '../activities';
import {
  arrivesByMail,
  calendarCommandOf,
  calendarOf,
  endOfMinute,
  localDeadlines,
  resolveRegulation,
  SIMULATION_MAILBOXES,
  statusLabel,
  timelineOf,
  type Actor,
  type Scenario,
  type SimulatedMail,
  type TicketEvent,
  type TicketState,
  type TimelineEntry,
} from '../domain';
import { connectDatabase, type Database } from '../db/client';
import { startThrowawayPostgres } from '../db/embedded';
import { migrateDatabase } from '../db/migrate';
import { correspondence, tickets } from '../db/schema';
import { ticketEventsOf } from '../db/repositories/tickets';
import { ensureSearchAttributes } from '../worker/searchAttributes';
import { CommandRefusedError, TemporalGateway } from '../workflows/client';
import { effectsQuery, ticketQuery, type QueuedCommand, type UpdateCommand } from '../workflows/messages';
import { UsageError } from './usage';
import { workerBundleOptions } from '../worker/workflowBundle';

/** No time-skipping server could be obtained: the message says how to get one (exit code 2). */
export class NoTemporalServer extends UsageError {}

const HOW_TO_GET_ONE =
  'The temporal engine needs a Temporal time-skipping test server: set TEMPORAL_TEST_SERVER_PATH to its ' +
  'launcher (the `temporal-test-server` of temporalio/sdk-java, started as `<path> <port>`; see ' +
  'DEVELOPERS.md), or TEMPORAL_ADDRESS to one already running (`<launcher> 7233`). Where temporal.download ' +
  'is reachable, the SDK downloads one without either.';

const OPERATOR: Actor = { kind: 'operator', id: 'operator', name: 'Оператор' };
const INITIATOR: Actor = { kind: 'initiator', name: 'Инициатор' };

/** A Temporal server's clock that a tester moves: the test server's TestService. */
interface ServerClock {
  now(): Promise<number>;
  /** Lets the server's clock run (firing timers on the way) until `target`. */
  skipTo(target: number): Promise<void>;
}

export interface TemporalSession {
  readonly db: Database;
  readonly client: Client;
  readonly gateway: TemporalGateway;
  readonly clock: ServerClock;
  readonly taskQueue: string;
  close(): Promise<void>;
}

const UNIMPLEMENTED = 12;

function clockOf(connection: Connection): ServerClock {
  const test = connection.testService;
  if (!test) throw new NoTemporalServer(`the connection has no test service. ${HOW_TO_GET_ONE}`);
  return {
    async now() {
      const { time } = await test.getCurrentTime({});
      return tsToMs(time);
    },
    async skipTo(target) {
      const { time } = await test.getCurrentTime({});
      const wait = target - tsToMs(time);
      if (wait > 0) await test.unlockTimeSkippingWithSleep({ duration: msToTs(wait) });
    },
  };
}

async function connectServer(): Promise<{
  connection: Connection;
  native: NativeConnection;
  stop(): Promise<void>;
}> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    let connection: Connection;
    try {
      connection = await Connection.connect({ address, connectTimeout: 10_000 });
    } catch (e) {
      throw new NoTemporalServer(
        `TEMPORAL_ADDRESS=${address} is not reachable (${(e as Error).message.split('\n')[0]}). ${HOW_TO_GET_ONE}`,
      );
    }
    try {
      if (!connection.testService) throw Object.assign(new Error('no test service'), { code: UNIMPLEMENTED });
      await connection.testService.getCurrentTime({});
    } catch (e) {
      await connection.close();
      if (
        (e as { code?: number }).code === UNIMPLEMENTED ||
        (isGrpcServiceError(e) && e.code === UNIMPLEMENTED)
      )
        throw new NoTemporalServer(
          `TEMPORAL_ADDRESS=${address} is a server that cannot skip time. ${HOW_TO_GET_ONE}`,
        );
      throw e;
    }
    const native = await NativeConnection.connect({ address });
    return {
      connection,
      native,
      stop: async () => {
        await native.close();
        await connection.close();
      },
    };
  }
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  try {
    const env = await TestWorkflowEnvironment.createTimeSkipping(
      path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
    );
    return { connection: env.connection, native: env.nativeConnection, stop: () => env.teardown() };
  } catch (e) {
    const why = (e as Error).message.split('\n')[0]!.replace(/https?:\/\/([^/\s)]+)[^\s)]*/g, '$1');
    throw new NoTemporalServer(
      `${path ? `TEMPORAL_TEST_SERVER_PATH=${path} could not start` : 'the SDK could not download a test server'} (${why}). ${HOW_TO_GET_ONE}`,
    );
  }
}

/**
 * A server, PostgreSQL (DATABASE_URL, or a throwaway embedded one) and a worker with the real
 * activities, for one or many scenarios.
 */
export async function openTemporalSession(
  options: { readonly databaseUrl?: string } = {},
): Promise<TemporalSession> {
  // The output is JSON on stdout: the SDK's own messages go to stderr, errors only.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const server = await connectServer();
  const cleanup: (() => Promise<void>)[] = [server.stop];
  const close = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    let url = options.databaseUrl ?? process.env.DATABASE_URL;
    if (!url) {
      const pg = await startThrowawayPostgres('reglament-simulate-');
      cleanup.push(() => pg.stop());
      url = pg.url;
    }
    const database = connectDatabase(url, { max: 5 });
    cleanup.push(() => database.close());
    await migrateDatabase(database.db);
    await ensureSearchAttributes(server.connection, 'default');
    const taskQueue = `simulate-${randomUUID()}`;
    const worker = await Worker.create({
      connection: server.native,
      namespace: 'default',
      taskQueue,
      ...workerBundleOptions,
      activities: createActivities({
        db: database.db,
        mail: {
          transport: null,
          settings: {
            from: 'Служба технической поддержки <desk@desk.invalid>',
            domain: 'desk.invalid',
            instance: 'sim',
            roles: SIMULATION_MAILBOXES,
            automaticPerHour: 1_000_000,
          },
        },
      }),
    });
    const running = worker.run();
    cleanup.push(async () => {
      worker.shutdown();
      await running;
    });
    const client = new Client({ connection: server.connection });
    return {
      db: database.db,
      client,
      gateway: new TemporalGateway(client, { taskQueue, namespace: 'default', timeoutMs: 60_000 }),
      clock: clockOf(server.connection),
      taskQueue,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await read().catch(() => undefined);
    if (v !== undefined && ok(v)) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the workflow did not ${what} within 15 s`);
}

/** Runs one scenario; the output has the pure engine's shape (without the state document). */
export async function simulateOnTemporal(session: TemporalSession, scenario: Scenario) {
  const regulation = resolveRegulation(scenario.regulation);
  const cal = calendarOf(regulation);
  const local = (iso: string): string => cal.toLocalIso(Date.parse(iso));
  // Each run is a ticket of its own in the session's database.
  const ticketId = `${scenario.ticket.id ?? 'ID1'}-${randomUUID().slice(0, 8)}`;
  const receivedAt = Date.parse(scenario.ticket.receivedAt);
  const offset = receivedAt - (await session.clock.now());
  const handle = await session.client.workflow.start('ticketWorkflow', {
    workflowId: ticketId,
    taskQueue: session.taskQueue,
    args: [
      {
        open: { ...scenario.ticket, ticketId, regulation: scenario.regulation },
        options: { clockOffsetMs: offset },
      },
    ],
  });
  const seqOf = async (): Promise<number> => (await handle.query(ticketQuery)).seq;
  const refused: { before: number; entry: TimelineEntry }[] = [];
  const stepId = randomUUID().slice(0, 8);
  for (const [i, step] of scenario.steps.entries()) {
    await session.clock.skipTo(Date.parse(step.at) - offset);
    if (step.command === 'calendar') {
      // Issue #20: the version as the fan-out delivers it, a signal applied in its turn.
      const before = await until('start', seqOf, () => true);
      await session.gateway.send(ticketId, {
        ...calendarCommandOf(step),
        commandId: `sim:${stepId}:${i}`,
      } as QueuedCommand);
      await until(
        'apply the calendar',
        () => handle.query(ticketQuery),
        (v) => v.seq > before || v.archived,
      );
      continue;
    }
    const by = step.by ?? (step.command === 'reply' ? INITIATOR : OPERATOR);
    const command = { ...step.args, type: step.command, by, commandId: `sim:${stepId}:${i}` };
    const before = await until('start', seqOf, () => true);
    if (arrivesByMail(by)) {
      // The initiator's message, as the mail dispatcher sends it: a signal, applied in its turn.
      await session.gateway.send(ticketId, command as QueuedCommand);
      await until('apply the initiator’s message', seqOf, (seq) => seq > before);
      continue;
    }
    try {
      await session.gateway.execute(ticketId, command as UpdateCommand);
    } catch (e) {
      if (!(e instanceof CommandRefusedError)) throw e;
      const view = await handle.query(ticketQuery);
      refused.push({
        before: view.seq,
        entry: {
          at: local(new Date(Date.parse(step.at)).toISOString()),
          seq: null,
          event: 'commandRefused',
          status: view.status,
          statusLabel: statusLabel(regulation, view.status),
          by: by.kind,
          command: step.command,
          refusal: e.refusal.code,
          message: e.refusal.message,
        },
      });
    }
  }
  if (scenario.until) await session.clock.skipTo(endOfMinute(Date.parse(scenario.until)) - offset);
  // Everything the workflow did is in the read model, and its mail is kept.
  const last = await until('settle', seqOf, () => true);
  await until(
    'settle its effects',
    () => handle.query(effectsQuery),
    (pending) => pending === 0,
  );
  const [row] = await session.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!row || row.seq < last) throw new Error(`the read model of ${ticketId} lags its workflow`);
  const events = await ticketEventsOf(session.db, ticketId);
  const timeline = timelineOf(events, regulation, local);
  // Commands refused as Updates are not in the log: each goes where it happened, in order.
  for (const { before, entry } of refused) {
    const at = timeline.findIndex((t) => t.seq !== null && t.seq > before);
    timeline.splice(at < 0 ? timeline.length : at, 0, entry);
  }
  const state = row.state as TicketState;
  // The run's ticket is named uniquely in the database; the output shows the scenario's own ID.
  const shown = scenario.ticket.id ?? 'ID1';
  const named = <T>(value: T): T => JSON.parse(JSON.stringify(value).split(ticketId).join(shown)) as T;
  return {
    ticket: shown,
    regulation: regulation.id,
    type: state.type,
    status: state.status,
    statusLabel: statusLabel(regulation, state.status),
    reason: state.statusReason,
    line: state.line,
    timeline: named(timeline),
    deadlines: named(localDeadlines(state, local)),
    mail: named(await mailOf(session.db, ticketId, events, local)),
  };
}

/** The mail the activities kept for the ticket, each at the instant of the event that sent it. */
async function mailOf(
  db: Database,
  ticketId: string,
  events: readonly TicketEvent[],
  local: (iso: string) => string,
): Promise<SimulatedMail[]> {
  const rows = await db
    .select()
    .from(correspondence)
    .where(sql`${correspondence.ticketId} = ${ticketId} and ${correspondence.direction} = 'out'`)
    .orderBy(asc(correspondence.id));
  const atOf = new Map(events.map((e) => [e.seq, e.at]));
  return rows
    .map((r) => ({ row: r, seq: Number(r.key.split(':')[1]) }))
    .sort((a, b) => a.seq - b.seq || a.row.id - b.row.id)
    .map(({ row, seq }) => ({
      at: local(atOf.get(seq) ?? row.createdAt.toISOString()),
      template: row.template ?? '',
      to: row.toAddresses,
      subject: row.subject ?? '',
    }));
}
