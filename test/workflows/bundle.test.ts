/** Runs everywhere, no server needed: the workflow code bundles for Temporal's sandbox. */
import { bundleWorkflowCode } from '@temporalio/worker';
import { quietLogger } from '../support/quietLogger';

describe('workflow bundle', () => {
  it('builds offline: no Node-only or non-deterministic module reaches workflow code', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      logger: quietLogger,
    });
    expect(code).toContain('ticketWorkflow');
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
