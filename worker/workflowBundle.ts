/**
 * How workflow code is bundled for the worker's sandbox, the same for the worker, the prebuilt bundle,
 * the replay tests, the CLI's engine and the benchmarks.
 *
 * The SDK runs every workflow in one reusable V8 context but evaluates the bundle's modules again for
 * each workflow (a module cache per workflow) unless they are preloaded. domain/ is pure and its module
 * state is immutable data and memoised derivations of it (regulations, production calendars, business
 * calendars), so it is preloaded once and shared by all cached tickets (the SDK deep-freezes its
 * exports). Without this, a ticket's first activation re-evaluated the whole domain and rebuilt its
 * calendar (about 100 ms of the first command on a quiet machine, half a second under load) and every
 * cached ticket kept its own copy of the tables (about 120 KiB of heap each).
 *
 * The workflow modules are shared too (issue #21: ≈ 24 KiB of heap per cached ticket): they keep
 * nothing at their top level (test/workflows/bundle.test.ts checks it), everything a ticket owns lives
 * in its workflow function, and the SDK's workflow API they import finds the running workflow through
 * the context's globals, which the SDK swaps per workflow (test/workflows/isolation.workflow.test.ts).
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Modules shared by every workflow in the worker: code whose module state never changes a result. */
export const PRELOADED_MODULES: string[] = [require.resolve('../domain'), WORKFLOWS_PATH];

/** For `Worker.create` and `Worker.runReplayHistory`. */
export const workerBundleOptions = {
  workflowsPath: WORKFLOWS_PATH,
  bundlerOptions: { preloadModules: PRELOADED_MODULES },
};

/** For `bundleWorkflowCode`. */
export const bundleOptions = { workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_MODULES };
