/**
 * No orphaned tickets: open tickets in the read model are compared, a batch at a time, with their
 * workflows. A ticket whose workflow is missing, failed, or ended while the ticket is open is flagged
 * (`workflow_missing`: queue filter, GET /tickets/:id, /metrics) until an admin restores it. A pass
 * reads the tickets in ID order and writes only what changed (issue #21: it rewrote every ticket each
 * minute); on several replicas one at a time runs a pass, under a PostgreSQL advisory lock.
 */
import type { Database } from '../db/client';
import { markWorkflow, unarchivedAfter } from '../db/repositories/tickets';
import { TemporalUnavailableError, type TicketGateway, type WorkflowHealth } from '../workflows/client';

export interface ReconcileRound {
  readonly checked: number;
  readonly missing: readonly string[];
}

const BATCH = 200;

const PROBLEMS: Record<Exclude<WorkflowHealth, 'running'>, string> = {
  missing: 'not found',
  failed: 'failed, terminated or timed out',
  completed: 'completed while the ticket is open',
};

/** Where a pass has got to: the last ticket ID checked ('' at the start of a pass). */
export interface ReconcileCursor {
  after: string;
}

/** One round: the next `batch` tickets of the pass. Stops early when Temporal is away. */
export async function reconcileOnce(
  db: Database,
  gateway: TicketGateway,
  { batch = BATCH, cursor = { after: '' } }: { batch?: number; cursor?: ReconcileCursor } = {},
): Promise<ReconcileRound> {
  const ids = await unarchivedAfter(db, cursor.after, batch);
  const missing: string[] = [];
  let checked = 0;
  for (const id of ids) {
    let health: WorkflowHealth;
    try {
      health = await gateway.health(id);
    } catch (e) {
      // Temporal away says nothing about the workflows: nothing is flagged.
      if (e instanceof TemporalUnavailableError) break;
      throw e;
    }
    checked++;
    const problem = health === 'running' ? null : PROBLEMS[health];
    if (problem) missing.push(id);
    await markWorkflow(db, id, problem);
    cursor.after = id;
  }
  if (checked === ids.length && ids.length < batch) cursor.after = '';
  return { checked, missing };
}

/** Another replica's pass holds this lock; the key is the number and the reconciler's. */
const PASS_LOCK = 21_0007;

export interface Reconciler {
  stop(): Promise<void>;
}

/** Runs rounds every `intervalMs` until stopped; a round that fails is reported and retried later. */
export function startReconciler(
  db: Database,
  gateway: TicketGateway,
  log: (line: string) => void,
  intervalMs = 60_000,
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
      const cursor: ReconcileCursor = { after: '' };
      for (;;) {
        const result = await reconcileOnce(db, gateway, { cursor });
        if (result.missing.length)
          log(
            `reconciler: no running workflow for ${result.missing.join(', ')} (restore: POST /tickets/:id/restore)`,
          );
        if (stopped || result.checked < BATCH) break;
      }
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
