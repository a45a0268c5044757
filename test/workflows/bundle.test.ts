/** Runs everywhere, no server needed: the workflow code bundles for Temporal's sandbox. */
import { bundleWorkflowCode } from '@temporalio/worker';
import { quietLogger } from '../support/quietLogger';
import { bundleOptions } from '../../worker/workflowBundle';

describe('workflow bundle', () => {
  it('builds offline: no Node-only or non-deterministic module reaches workflow code', async () => {
    const { code } = await bundleWorkflowCode({
      ...bundleOptions,
      logger: quietLogger,
    });
    expect(code).toContain('ticketWorkflow');
    // Issue #21 (the first command on a ticket took half a second, each cached ticket ~600 KiB): the
    // pure domain is loaded once into the worker's shared context, not again for every workflow.
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code);
    expect(preload?.[1]).toMatch(/_require__\([^)]*domain\/index/);
    // Neither the database, the mail library, the HTTP server nor luxon is in the sandbox.
    for (const forbidden of [
      'node_modules/pg/',
      'node_modules/nodemailer/',
      'node_modules/express/',
      'node_modules/luxon/',
      'node_modules/drizzle-orm/',
    ]) {
      expect(code).not.toContain(forbidden);
    }
  }, 120_000);
});
