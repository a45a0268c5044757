/**
 * No orphaned tickets: open tickets in the read model are compared with their workflows. A ticket
 * whose workflow is missing, failed, or ended while the ticket is open is flagged (`workflow_missing`:
 * queue filter, GET /tickets/:id, /metrics) until an admin restores it.
 *
 * Issue #21: a pass over every open ticket took 4 minutes at 1M tickets against a one-minute period.
 * Now a pass is incremental: only tickets whose snapshot changed since the last pass's watermark
 * (`tickets.changed_at`, the database's clock; one range of an index), so an unchanged ticket is not
 * even re-checked. A workflow can also vanish without its ticket changing (a lost namespace, a
 * terminated run): a sweep over every open ticket checks each at least once an hour, a share of them
 * per pass, so no pass waits for every open ticket's workflow at once. Checks run a few at a time; a
 * ticket is written only when what was found differs from what is stored. On several replicas one at
 * a time runs a pass (advisory lock); the watermark and the sweep's cursor are shared in PostgreSQL.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  changedBetween,
  markWorkflow,
  unarchivedAfter,
  unarchivedCount,
  type ReconcileRow,
} from '../db/repositories/tickets';
import { TemporalUnavailableError, type TicketGateway, type WorkflowHealth } from '../workflows/client';

export interface ReconcileRound {
  readonly checked: number;
  readonly missing: readonly string[];
}

const BATCH = 200;
/**
 * Workflow descriptions in flight at once (one gRPC round trip each; bench:reconciler on the test
 * server: 530/s one at a time, 1,400/s at 8, 2,100/s at 32).
 */
export const RECONCILE_CONCURRENCY = 32;
const CONCURRENCY = RECONCILE_CONCURRENCY;

const PROBLEMS: Record<Exclude<WorkflowHealth, 'running'>, string> = {
  missing: 'not found',
  failed: 'failed, terminated or timed out',
  completed: 'completed while the ticket is open',
};

/** Where a pass has got to: the last ticket ID checked ('' at the start of a pass). */
export interface ReconcileCursor {
  after: string;
}

/**
 * Checks tickets, `concurrency` at a time, and writes those whose finding changed. Stops at Temporal's
 * absence (which says nothing about the workflows: nothing is flagged); `complete` is then false.
 */
async function check(
  db: Database,
  gateway: TicketGateway,
  rows: readonly ReconcileRow[],
  concurrency: number,
): Promise<ReconcileRound & { complete: boolean }> {
  const missing: string[] = [];
  let checked = 0;
  let next = 0;
  let away = false;
  const worker = async (): Promise<void> => {
    while (!away && next < rows.length) {
      const row = rows[next++]!;
      let health: WorkflowHealth;
      try {
        health = await gateway.health(row.id);
      } catch (e) {
        if (e instanceof TemporalUnavailableError) {
          away = true;
          return;
        }
        throw e;
      }
      checked++;
      const problem = health === 'running' ? null : PROBLEMS[health];
      if (problem) missing.push(row.id);
      if (problem !== row.workflowProblem || (problem !== null) !== row.workflowMissing)
        await markWorkflow(db, row.id, problem);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
  missing.sort();
  return { checked, missing, complete: !away };
}

/** One round of checks over every open ticket: the next `batch` in ID order. Stops early when Temporal is away. */
export async function reconcileOnce(
  db: Database,
  gateway: TicketGateway,
  {
    batch = BATCH,
    cursor = { after: '' },
    concurrency = CONCURRENCY,
  }: { batch?: number; cursor?: ReconcileCursor; concurrency?: number } = {},
): Promise<ReconcileRound> {
  const rows = await unarchivedAfter(db, cursor.after, batch);
  const { checked, missing, complete } = await check(db, gateway, rows, concurrency);
  if (complete) cursor.after = rows.length < batch ? '' : rows[rows.length - 1]!.id;
  return { checked, missing };
}

export interface PassOptions {
  /** Every open ticket is checked at least this often (default an hour), by the sweep. */
  readonly fullEveryMs?: number;
  /** How often passes run (default a minute): the sweep checks its share of the open tickets per pass. */
  readonly periodMs?: number;
  /**
   * The watermark trails the database's clock by this much (default 10 s), so that a write whose
   * transaction began before a pass and committed after it is still seen by the next one.
   */
  readonly lagMs?: number;
  readonly batch?: number;
  readonly concurrency?: number;
  /** Asked between batches: a stopping process ends the pass there (incomplete). */
  readonly stopping?: () => boolean;
}

export interface PassResult extends ReconcileRound {
  /** Tickets checked because they changed since the watermark. */
  readonly changed: number;
  /** Tickets checked by the sweep over every open ticket (0 while none is under way). */
  readonly swept: number;
  /** The sweep reached the last open ticket in this pass: every open ticket was checked since it began. */
  readonly sweepDone: boolean;
  /** False when Temporal went away: the watermark and the sweep stay, the next pass checks the same tickets. */
  readonly complete: boolean;
}

/**
 * How many open tickets one pass sweeps so that a sweep over `open` tickets ends within `fullEveryMs`
 * at one pass per `periodMs`; at least a batch, so a small desk is swept in one pass.
 */
export function sweepShare(open: number, periodMs: number, fullEveryMs: number, batch = BATCH): number {
  const passes = Math.floor(fullEveryMs / periodMs);
  return passes < 1 ? Infinity : Math.max(batch, Math.ceil(open / passes));
}

const PASS = 'workflows';

/**
 * One pass: the tickets changed since the watermark, then the sweep's next share of every open ticket
 * (a workflow can vanish without its ticket changing: a lost namespace, a terminated run). A sweep
 * begins when the last one began `fullEveryMs` ago (or none ever did) and goes on pass by pass, so no
 * pass describes every open ticket's workflow at once (issue #21: 41–100 s at 1M in one go). The
 * caller holds the pass lock (startReconciler) when replicas run it.
 */
export async function reconcilePass(
  db: Database,
  gateway: TicketGateway,
  {
    fullEveryMs = 3_600_000,
    periodMs = 60_000,
    lagMs = 10_000,
    batch = BATCH,
    concurrency = CONCURRENCY,
    stopping = () => false,
  }: PassOptions = {},
): Promise<PassResult> {
  const {
    rows: [state],
  } = await db.execute<{
    cutoff: string;
    watermark: string | null;
    sweep_after: string | null;
    sweep_due: boolean;
  }>(sql`
    select (clock_timestamp() - make_interval(secs => ${lagMs / 1000}))::text as cutoff,
      p.watermark::text as watermark, p.sweep_after,
      p.full_pass_at is null or p.full_pass_at <= clock_timestamp() - make_interval(secs => ${fullEveryMs / 1000}) as sweep_due
    from (select 1) one left join reconciler_passes p on p.name = ${PASS}`);
  const { cutoff, watermark } = state!;
  const missing: string[] = [];
  let checked = 0;
  let complete = true;
  const run = async (rows: readonly ReconcileRow[]): Promise<void> => {
    const round = await check(db, gateway, rows, concurrency);
    checked += round.checked;
    missing.push(...round.missing);
    complete = round.complete && !stopping();
  };

  // No watermark yet: nothing to compare with; the sweep that begins now reaches every open ticket.
  if (watermark !== null) {
    let after = { changedAt: watermark, id: '' };
    for (;;) {
      const rows = await changedBetween(db, watermark, cutoff, after, batch);
      await run(rows);
      if (!complete || rows.length < batch) break;
      const last = rows[rows.length - 1]!;
      after = { changedAt: last.changedAt, id: last.id };
    }
  }
  const changed = checked;

  const beginning = state!.sweep_after === null && state!.sweep_due;
  let sweepAfter = beginning ? '' : state!.sweep_after;
  let sweepDone = false;
  if (complete && sweepAfter !== null) {
    let left = sweepShare(await unarchivedCount(db), periodMs, fullEveryMs, batch);
    while (complete && left > 0) {
      const want = Math.min(batch, left);
      const rows = await unarchivedAfter(db, sweepAfter, want);
      await run(rows);
      left -= rows.length;
      if (rows.length < want) {
        sweepDone = true;
        break;
      }
      sweepAfter = rows[rows.length - 1]!.id;
    }
  }
  if (complete)
    await db.execute(sql`
      insert into reconciler_passes (name, watermark, full_pass_at, sweep_after)
      values (${PASS}, ${cutoff}::timestamptz, ${beginning ? sql`${cutoff}::timestamptz` : sql`null`},
        ${sweepDone ? null : sweepAfter})
      on conflict (name) do update set watermark = excluded.watermark,
        full_pass_at = coalesce(excluded.full_pass_at, reconciler_passes.full_pass_at),
        sweep_after = excluded.sweep_after`);
  return { checked, missing, complete, changed, swept: checked - changed, sweepDone };
}

/** Another replica's pass holds this lock; the key is the issue's number and the reconciler's. */
const PASS_LOCK = 21_0007;

export interface Reconciler {
  stop(): Promise<void>;
}

/** Runs a pass every `intervalMs` until stopped; a pass that fails is reported and retried later. */
export function startReconciler(
  db: Database,
  gateway: TicketGateway,
  log: (line: string) => void,
  intervalMs = 60_000,
  options: PassOptions = {},
): Reconciler {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const round = async (): Promise<void> => {
    const client = await db.$client.connect().catch((e: Error) => {
      log(`reconciler: ${e.message}`);
      return null;
    });
    if (!client) return;
    try {
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
        PASS_LOCK,
      ]);
      if (!rows[0]?.ok) return;
      const result = await reconcilePass(db, gateway, {
        stopping: () => stopped,
        periodMs: intervalMs,
        ...options,
      });
      if (result.missing.length)
        log(
          `reconciler: no running workflow for ${result.missing.join(', ')} (restore: POST /tickets/:id/restore)`,
        );
    } catch (e) {
      log(`reconciler: ${(e as Error).message}`);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [PASS_LOCK]).catch(() => undefined);
      client.release();
    }
  };
  const schedule = (delay: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().then(() => schedule(intervalMs));
    }, delay);
    timer.unref();
  };
  schedule(Math.min(intervalMs, 5_000));
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
