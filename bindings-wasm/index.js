// Browser and bundler entry of @cemscore/wasm: the lean module (scores, intervals, comparisons, planning,
// benchmark, trend, classify, the Tally, the answers buffer) is loaded by `await init()`; the analytics
// module (key drivers, discover, keyness, raking, counts tables) by `await loadAnalytics()`, which fetches
// it once, on first use — a dynamic import, so bundlers split it into its own chunk. The same names and
// types as one module: an analytics call made before `loadAnalytics()` has resolved throws.
import init from "./pkg/cemscore_wasm.js";
import { analyticsCalls } from "./analytics.js";

export * from "./pkg/cemscore_wasm.js";
export default init;

let analytics = null;
let loading = null;

/**
 * Loads the analytics module (once; later calls return the same promise). `input` is as for `init`:
 * `{ module_or_path }`, the URL of `cemscore_analytics_bg.wasm` where a bundler moved it; by default it is
 * fetched from beside this package's JavaScript. A failed load can be retried.
 */
export function loadAnalytics(input) {
  loading ??= import("./pkg/cemscore_analytics.js")
    .then(async (m) => {
      await m.default(input);
      analytics = m;
    })
    .catch((e) => {
      loading = null;
      throw e;
    });
  return loading;
}

function module(name) {
  if (analytics === null) {
    throw new Error(`${name} is in cem's analytics module, which is not loaded yet: call \`await loadAnalytics()\` first`);
  }
  return analytics;
}

export const { drivers, discover, keyness, terms, rake, rakeCells, rakeEstimate, fromCountsTable } =
  analyticsCalls(module);
