/**
 * Obtains a Temporal server the way users would, once for the workflow suites:
 * TEMPORAL_ADDRESS (a running server), else TEMPORAL_TEST_SERVER_PATH (an existing time-skipping
 * test server binary), else the SDK's download of the time-skipping server. When none works the
 * suites that need a server are skipped, and this prints one loud line that says why.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';

export type TemporalProbe =
  | { readonly mode: 'time-skipping'; readonly source: string }
  | { readonly mode: 'existing'; readonly address: string }
  | { readonly mode: 'none'; readonly reason: string };

async function probe(): Promise<TemporalProbe> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    try {
      const env = await TestWorkflowEnvironment.createFromExistingServer({
        address,
        namespace: process.env.TEMPORAL_NAMESPACE,
      });
      await env.teardown();
      return { mode: 'existing', address };
    } catch (e) {
      return {
        mode: 'none',
        reason: `TEMPORAL_ADDRESS=${address} is not reachable (${(e as Error).message})`,
      };
    }
  }
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  try {
    const env = await TestWorkflowEnvironment.createTimeSkipping(
      path ? { server: { executable: { type: 'existing-path', path } } } : undefined,
    );
    await env.teardown();
    return { mode: 'time-skipping', source: path ?? 'SDK download' };
  } catch (e) {
    // One line: the first line of the error, URLs shortened to their host.
    const why = (e as Error).message
      .split('\n')[0]!
      .replace(/https?:\/\/([^/\s)]+)[^\s)]*/g, '$1')
      .slice(0, 240);
    return {
      mode: 'none',
      reason: path
        ? `TEMPORAL_TEST_SERVER_PATH=${path} could not start (${why})`
        : `the SDK could not download the time-skipping test server (${why}); set TEMPORAL_TEST_SERVER_PATH to an existing binary or TEMPORAL_ADDRESS to a running server`,
    };
  }
}

export default async function setup(): Promise<void> {
  const result = await probe();
  process.env.REGLAMENT_TEMPORAL_PROBE = JSON.stringify(result);
  if (result.mode === 'none') {
    process.stderr.write(`\n⚠⚠⚠ TEMPORAL WORKFLOW SUITES SKIPPED: ${result.reason}. See DEVELOPERS.md.\n\n`);
  } else if (result.mode === 'existing') {
    process.stderr.write(
      `\n⚠⚠⚠ TIME-SKIPPING WORKFLOW SUITES SKIPPED: TEMPORAL_ADDRESS=${result.address} is a regular server, which cannot skip time; the other workflow suites run against it. See DEVELOPERS.md.\n\n`,
    );
  }
}
