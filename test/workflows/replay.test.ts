/**
 * Determinism guard, offline: the workflow code replays every history in test/fixtures/histories.
 * Recorded histories come from a real server (scripts/record-histories.ts); synthetic ones are
 * written where none was available (scripts/synthesize-histories.ts). A change to the commands the
 * workflow issues fails this suite unless it is behind `patched()`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { workerBundleOptions } from '../../worker/workflowBundle';

// Replay failures come back as errors; the worker's own INFO lines would only be noise.
Runtime.install({ logger: new DefaultLogger('WARN') });

const dir = join(__dirname, '../fixtures/histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded and synthesized histories', () => {
  it('has histories of both regulations to replay', () => {
    expect(files.some((f) => f.includes('primorye'))).toBe(true);
    expect(files.some((f) => f.includes('epgu'))).toBe(true);
  });

  it.each(files)(
    '%s replays without nondeterminism',
    async (file) => {
      const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      await Worker.runReplayHistory({ ...workerBundleOptions, replayName: file }, history);
    },
    120_000,
  );
});
