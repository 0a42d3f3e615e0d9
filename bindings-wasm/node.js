// Node entry of @cemscore/wasm: loads the lean module synchronously, so the API is ready on import (as
// with @cemscore/node), and the analytics module synchronously on the first analytics call (a service
// that only scores never compiles it); `await init()` and `await loadAnalytics()` are kept for code
// shared with browsers (loadAnalytics instantiates it at once).
import { readFileSync } from "node:fs";
import { initSync } from "./pkg/cemscore_wasm.js";
import * as analyticsModule from "./pkg/cemscore_analytics.js";
import { analyticsCalls } from "./analytics.js";

const wasm = (name) => ({ module: readFileSync(new URL(`./pkg/${name}_bg.wasm`, import.meta.url)) });
initSync(wasm("cemscore_wasm"));

let loaded = false;
function module() {
  if (!loaded) {
    analyticsModule.initSync(wasm("cemscore_analytics"));
    loaded = true;
  }
  return analyticsModule;
}

export * from "./pkg/cemscore_wasm.js";
export default async function init() {}
export async function loadAnalytics() {
  module();
}
export const { drivers, discover, keyness, terms, rake, rakeCells, rakeEstimate, fromCountsTable } =
  analyticsCalls(module);
