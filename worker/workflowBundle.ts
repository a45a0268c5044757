/**
 * How workflow code is bundled for the worker's sandbox, the same for the worker, the prebuilt bundle,
 * the replay tests, the CLI's engine and the benchmarks.
 *
 * The SDK runs every workflow in one reusable V8 context but evaluates the bundle's modules again for
 * each workflow (a module cache per workflow). domain/ is pure and its module state is immutable data
 * and memoised derivations of it (regulations, production calendars, business calendars), so it is
 * preloaded once and shared by all cached tickets (the SDK deep-freezes its exports). Without this,
 * a ticket's first activation re-evaluated the whole domain and rebuilt its calendar (about 100 ms of
 * the first command on a quiet machine, half a second under load) and every cached ticket kept its own
 * copy of the tables (about 120 KiB of heap each).
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Modules shared by every workflow in the worker: pure code whose module state never changes a result. */
export const PRELOADED_MODULES: string[] = [require.resolve('../domain')];

/** For `Worker.create` and `Worker.runReplayHistory`. */
export const workerBundleOptions = {
  workflowsPath: WORKFLOWS_PATH,
  bundlerOptions: { preloadModules: PRELOADED_MODULES },
};

/** For `bundleWorkflowCode`. */
export const bundleOptions = { workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES };
