/**
 * Records replay fixtures from a real Temporal server: runs the scenarios of scenarios.ts on the
 * time-skipping test server (TEMPORAL_TEST_SERVER_PATH, or the SDK's download) with in-process
 * activities, and writes each workflow's history to test/fixtures/histories/recorded-<name>.json.
 *
 *   TEMPORAL_TEST_SERVER_PATH=/path/to/temporal-test-server npx tsx scripts/histories/record.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { TicketActivities } from '../../activities';
import { ticketWorkflow } from '../../workflows';
import { commandSignals } from '../../workflows/messages';
import { ensureSearchAttributes } from '../../worker/searchAttributes';
import { nextOrdinaryMonday, scenarios } from './scenarios';
import { workerBundleOptions } from '../../worker/workflowBundle';

async function main(): Promise<void> {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  const env = await TestWorkflowEnvironment.createTimeSkipping(
    path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
  );
  try {
    await ensureSearchAttributes(env.connection, 'default');
    const monday = Date.parse(`${nextOrdinaryMonday(await env.currentTimeMs())}T00:00:00+10:00`);
    const all = scenarios(monday);
    const activities: TicketActivities = {
      recordTicket: async () => undefined,
      sendMail: async (mail) => ({ status: 'sent', messageId: `<${mail.key}@recorded>` }),
    };
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'reglament',
      ...workerBundleOptions,
      activities,
    });
    await worker.runUntil(async () => {
      // Every start and signal of every scenario, in time order, on the skipping clock.
      const steps = all
        .flatMap((s) => [
          {
            at: Date.parse(s.input.open!.receivedAt),
            run: () =>
              env.client.workflow
                .start(ticketWorkflow, {
                  workflowId: s.input.open!.ticketId,
                  taskQueue: 'reglament',
                  args: [s.input],
                })
                .then(() => undefined),
          },
          ...s.signals.map((sig) => ({
            at: sig.at,
            run: () =>
              env.client.workflow
                .getHandle(s.input.open!.ticketId)
                .signal(
                  commandSignals[sig.name as keyof typeof commandSignals] as never,
                  sig.payload as never,
                ),
          })),
        ])
        .sort((a, b) => a.at - b.at);
      for (const step of steps) {
        const now = await env.currentTimeMs();
        if (step.at > now) await env.sleep(step.at - now);
        await step.run();
      }
      const until = Math.max(...all.map((s) => s.until));
      await env.sleep(until - (await env.currentTimeMs()));
    });
    const dir = join(__dirname, '../../test/fixtures/histories');
    mkdirSync(dir, { recursive: true });
    for (const s of all) {
      const history = await env.client.workflow.getHandle(s.input.open!.ticketId).fetchHistory();
      writeFileSync(join(dir, `recorded-${s.name}.json`), historyToJSON(history) + '\n');
      console.log(`recorded-${s.name}.json: ${history.events?.length ?? 0} events`);
    }
  } finally {
    await env.teardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
