// @cemscore/node: the native addon for this platform (addon.js over napi-rs's loader, which finds the package
// @cemscore/node-<platform> that npm chose by os, cpu and libc), or, on a platform without a prebuilt addon,
// @cemscore/wasm: the same API and declarations in WebAssembly, slower, with the same results. `backend`
// says which one answers. The async variants run off the event loop natively; over WebAssembly they are
// the synchronous calls, resolved.
import { createRequire } from "node:module";
import * as addon from "./addon.js";

function fromWasm() {
  let wasm;
  try {
    // An ES module required synchronously (no top-level await here, so require() of this package works too).
    wasm = createRequire(import.meta.url)("@cemscore/wasm");
  } catch (e) {
    throw new Error(`@cemscore/node: no native addon for ${process.platform}-${process.arch} (${addon.loadError.message}) `
      + `and its WebAssembly fallback @cemscore/wasm did not load (${e.message})`, { cause: e });
  }
  return {
    ...wasm,
    npsAsync: async (...a) => wasm.nps(...a),
    benchmarkAsync: async (...a) => wasm.benchmark(...a),
    classifyAsync: async (...a) => wasm.classify(...a),
  };
}

const api = addon.loadError === null ? addon : fromWasm();

/** Which implementation answers: "native" (the addon) or "wasm" (the @cemscore/wasm fallback). */
export const backend = addon.loadError === null ? "native" : "wasm";

export const {
  nps, npsAsync, npsFromCounts, csat, ces, topBox, bottomBox, netBox, mean, compare, compareTo, adjustPvalues,
  benchmark, benchmarkAsync, benchmarkFromCounts, fromCountsTable, trend, npsResponsesNeeded, proportionResponsesNeeded,
  meanResponsesNeeded, npsDetectableDifference, proportionDetectableDifference, Tally, classify, classifyAsync,
  drivers, discover, keyness, terms, rake, rakeCells, rakeEstimate, loadAnalytics, answersBuffer,
} = api;

/** Nothing to load (the addon, or the .wasm read synchronously); kept so code written for @cemscore/wasm runs unchanged. */
export default async function init() {}
