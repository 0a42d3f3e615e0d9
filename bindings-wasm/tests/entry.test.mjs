// The browser and bundler entry (index.js) in Node: the lean module from `init`, the analytics module from
// `loadAnalytics` (once; an analytics call before it throws), then every conformance vector through it.
// (Its own file, so its process has loaded neither module before.)
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as cem from "../index.js";
import * as leanModule from "../pkg/cemscore_wasm.js";
import * as analyticsModule from "../pkg/cemscore_analytics.js";
import { testVectors } from "./vectors.mjs";

const bytes = (name) => ({ module_or_path: readFileSync(new URL(`../pkg/${name}_bg.wasm`, import.meta.url)) });
const columns = { nps: [10, 9, 3, 7, 8, 2], ease: [5, 4, 1, 3, 4, 2], speed: [4, 5, 2, 3, 3, 1] };
const options = { outcome: "nps", drivers: ["ease", "speed"] };

await cem.default(bytes("cemscore_wasm"));
const lean = cem.nps([10, 9, 3]);
const before = [() => cem.drivers(columns, options), () => cem.terms(["a b"]), () => cem.fromCountsTable([], {})].map((f) => {
  try {
    return f();
  } catch (e) {
    return e;
  }
});
const first = cem.loadAnalytics(bytes("cemscore_analytics"));
const second = cem.loadAnalytics();
await first;

test("the lean module alone scores; an analytics call before loadAnalytics throws, after it works", () => {
  assert.equal(lean.n, 3);
  for (const e of before) assert.ok(e instanceof Error && /await loadAnalytics\(\)/.test(e.message), String(e));
  assert.equal(second, first, "loaded once");
  assert.equal(cem.drivers(columns, options).n, 6);
});

// An export added to the analytics module must be forwarded by analytics.js, or the package would lack it.
test("every call of either module is the package's, under its name, and declared", () => {
  const calls = (m) => Object.keys(m).filter((k) => k !== "default" && k !== "initSync");
  const declared = readFileSync(new URL("../index.d.ts", import.meta.url), "utf8");
  assert.deepEqual(calls(leanModule).filter((k) => calls(analyticsModule).includes(k)), [], "the modules share no name");
  for (const k of [...calls(leanModule), ...calls(analyticsModule)]) {
    assert.equal(typeof cem[k], "function", k);
    assert.match(declared, new RegExp(`export (function|class) ${k}\\b`), k);
  }
  assert.deepEqual(calls(analyticsModule).sort(), ["discover", "drivers", "fromCountsTable", "keyness", "rake", "rakeCells", "rakeEstimate", "terms"]);
});

testVectors(cem, test);
