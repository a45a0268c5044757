/**
 * No orphaned tickets: open tickets in the read model are compared, a batch at a time, with their
 * workflows. A ticket whose workflow is missing, failed, or ended while the ticket is open is flagged
 * (`workflow_missing`: queue filter, GET /tickets/:id, /metrics) until an admin restores it. Several
 * replicas can run it: each round claims different tickets.
 */
import type { Database } from '../db/client';
import { claimForReconciliation, markWorkflow } from '../db/repositories/tickets';
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

/** One round: up to `batch` tickets not checked for `intervalMs`. Stops early when Temporal is away. */
export async function reconcileOnce(
  db: Database,
  gateway: TicketGateway,
  { batch = BATCH, intervalMs = 60_000 }: { batch?: number; intervalMs?: number } = {},
): Promise<ReconcileRound> {
  const ids = await claimForReconciliation(db, batch, new Date(Date.now() - intervalMs));
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
  }
  return { checked, missing };
}

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
    try {
      for (;;) {
        const result = await reconcileOnce(db, gateway, { intervalMs });
        if (result.missing.length)
          log(
            `reconciler: no running workflow for ${result.missing.join(', ')} (restore: POST /tickets/:id/restore)`,
          );
        if (stopped || result.checked < BATCH) break;
      }
    } catch (e) {
      log(`reconciler: ${(e as Error).message}`);
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
