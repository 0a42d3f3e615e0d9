// Errors, async variants, and the promise that @cemscore/node and @cemscore/wasm are interchangeable.
import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as node from "../index.js";
import * as wasm from "../../bindings-wasm/node.js";

const rng = (seed) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

test("both packages give identical results on the same inputs", () => {
  const r = rng(7);
  const answers = Uint8Array.from({ length: 5000 }, () => Math.floor(r() * 11));
  const keys = Array.from({ length: 5000 }, () => ["north", "south", "east"][Math.floor(r() * 3)]);
  const weights = Float64Array.from({ length: 5000 }, () => 0.5 + r());
  for (const cem of [node, wasm]) assert.equal(typeof cem.nps, "function");
  assert.deepEqual(node.nps(answers), wasm.nps(answers));
  assert.deepEqual(node.nps(answers, { weights, method: "score" }), wasm.nps(answers, { weights, method: "score" }));
  assert.deepEqual(node.csat([5, 4, null, 2], { missing: "skip" }), wasm.csat([5, 4, null, 2], { missing: "skip" }));
  assert.deepEqual(node.benchmark(keys, answers, { against: "overall" }), wasm.benchmark(keys, answers, { against: "overall" }));
  const a = node.nps(answers.subarray(0, 100)), b = node.nps(answers.subarray(100, 300));
  assert.deepEqual(node.compare(a, b), wasm.compare(a, b));
  assert.deepEqual(node.classify(answers), wasm.classify(answers));
  assert.deepEqual(node.classify([5, null, 1], { metric: "csat", missing: "skip" }), wasm.classify([5, null, 1], { metric: "csat", missing: "skip" }));
  assert.deepEqual(Array.from(node.adjustPvalues([0.01, 0.04, 0.03])), Array.from(wasm.adjustPvalues([0.01, 0.04, 0.03])));
  for (const [f, args] of [["npsFromCounts", [{ detractors: -1, passives: 0, promoters: 2 }]], ["npsFromCounts", [{ detractors: 2.5, passives: 0, promoters: 2 }]], ["nps", [[3, 11]]], ["nps", [[3, 6.5]]], ["nps", [[]]], ["csat", [[5], { threshold: 9 }]], ["classify", [[3, 11]]], ["classify", [[3], { metric: "mean", scale: [1, 5] }]]]) {
    let en, ew;
    try { node[f](...args); } catch (e) { en = e; }
    try { wasm[f](...args); } catch (e) { ew = e; }
    assert.deepEqual([en.code, en.index, en.value, en.message], [ew.code, ew.index, ew.value, ew.message]);
  }
});

// Strict options, and serialized inputs read by the core: the same Error (code, index, value, message)
// from both packages, since both hand the same JSON text to the same core call.
test("refused options and bad JSON throw the same invalid_parameter Error in both packages", () => {
  const e = node.nps([9, 10, 3]);
  const keys = ["a", "a", "b", "b"], answers = [9, 10, 3, 6];
  for (const [name, f] of [
    ["metric in nps", (cem) => cem.nps([9, 10], { metric: "csat" })],
    ["alpha in compare", (cem) => cem.compare(e, e, { alpha: 0.01 })],
    ["method in adjustPvalues", (cem) => cem.adjustPvalues([0.01], { method: "holm" })],
    ["weights in compare", (cem) => cem.compare(e, e, { weights: [1] })],
    ["method in the counts", (cem) => cem.npsFromCounts({ detractors: 1, passives: 2, promoters: 3, method: "score" })],
    ["a count missing", (cem) => cem.npsFromCounts({ detractors: 1, passives: 2 })],
    ["minN", (cem) => cem.benchmark(keys, answers, { minN: 1 })],
    ["valueSe", (cem) => cem.compareTo(e, 20, { valueSe: 1 })],
    ["scale of a tally's estimate", (cem) => new cem.Tally([0, 10]).estimate("nps", { scale: [0, 10] })],
    ["an unknown metric", (cem) => new cem.Tally([0, 10]).estimate("nsp")],
    ["options not an object", (cem) => cem.nps([9], 5)],
    ["Tally.fromJSON of text", (cem) => cem.Tally.fromJSON("{}")],
    ["Tally.fromJSON of {}", (cem) => cem.Tally.fromJSON({})],
    ["compare of {}", (cem) => cem.compare({}, e)],
    ["compareTo of nothing", (cem) => cem.compareTo(undefined, 20)],
    ["a scale of one number", (cem) => new cem.Tally([1])],
  ]) {
    const [en, ew] = [node, wasm].map((cem) => {
      try {
        f(cem);
      } catch (err) {
        return err;
      }
      assert.fail(`${name}: no error`);
    });
    assert.ok(en instanceof Error && ew instanceof Error, name);
    assert.equal(en.code, "invalid_parameter", `${name}: ${en.message}`);
    assert.deepEqual([en.code, en.index, en.value, en.message], [ew.code, ew.index, ew.value, ew.message], name);
  }
});

test("against as a record gives the table of its text form, in both packages", () => {
  const keys = [...Array(40).fill("North"), ...Array(40).fill("South")];
  const answers = keys.map((k, i) => (k === "North" ? [10, 9, 9, 8][i % 4] : [3, 6, 8, 9, 10][i % 5]));
  for (const [text, record] of [
    ["benchmark=45±2.5", { kind: "benchmark", value: 45, se: 2.5 }],
    ["segment=North", { kind: "segment", key: "North" }],
    ["overall", { kind: "overall" }],
  ]) {
    const expected = wasm.benchmark(keys, answers, { against: text });
    assert.deepEqual(node.benchmark(keys, answers, { against: text }), expected, text);
    assert.deepEqual(node.benchmark(keys, answers, { against: record }), expected, text);
  }
});

test("tallies with counts past 2^53 round-trip through JSON alike in both packages", () => {
  const [a, b] = [node, wasm].map((cem) => cem.Tally.fromJSON(cem.Tally.fromCounts([2 ** 62, 0, 3], [0, 2]).toJSON()));
  assert.deepEqual(a.toJSON(), b.toJSON());
  assert.deepEqual(a.toJSON().counts, [2 ** 62, 0, 3]);
  assert.deepEqual(a.estimate("mean"), b.estimate("mean"));
});

test("the shared TypeScript declarations are identical; node only adds the async variants", () => {
  const shared = readFileSync(new URL("../../bindings-wasm/index.d.ts", import.meta.url), "utf8");
  const mine = readFileSync(new URL("../index.d.ts", import.meta.url), "utf8");
  assert.ok(mine.startsWith(shared));
  assert.deepEqual([...mine.slice(shared.length).matchAll(/export function (\w+)/g)].map((m) => m[1]), ["npsAsync", "benchmarkAsync", "classifyAsync"]);
});

test("errors are Errors with code, index and value; no panic reaches JS", () => {
  assert.throws(() => node.nps(Buffer.from([9, 200])), (e) => e instanceof Error && e.code === "out_of_range" && e.index === 1 && e.value === 200);
  assert.throws(() => node.nps([1], { weights: [Infinity] }), (e) => e.code === "invalid_weight");
  assert.throws(() => node.benchmark(["a"], [1, 2]), (e) => e.code === "length_mismatch");
  assert.throws(() => node.compareTo(node.nps([9, 3]), 150), (e) => e.code === "invalid_parameter");
  const t = new node.Tally([0, 10]);
  t.update([9, 10]);
  assert.throws(() => t.update([9, 12]), (e) => e.code === "out_of_range");
  assert.equal(t.n, 2);
});

// A Uint32Array of segment numbers names each segment by its decimal form, as the same numbers in a plain
// array do, whether the numbers are dense (store numbers) or sparse (ids up to 2³² − 1, which must not
// make a name for every number below them).
test("segment numbers in a Uint32Array are keyed like the same numbers as strings, in both packages", () => {
  const answers = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 11);
  for (const ids of [[4, 0, 4, 9], [4_294_967_295, 7, 123_456_789, 7]]) {
    const numbers = Uint32Array.from(answers, (_, i) => ids[i % ids.length]);
    const expected = node.benchmark(Array.from(numbers, String), answers);
    for (const cem of [node, wasm]) {
      assert.deepEqual(cem.benchmark(numbers, answers), expected);
      assert.deepEqual(cem.benchmark(Array.from(numbers), answers), expected);
    }
  }
  // Any other key is named as JavaScript writes it, the same in both packages.
  const keys = [1, 2.5, true, {}, "x", 1e21];
  const names = (cem) => cem.benchmark(keys, [9, 10, 3, 7, 8, 1], { min_n: 1 }).rows.map((r) => r.key);
  assert.deepEqual(names(wasm), ["1", "1e+21", "2.5", "[object Object]", "true", "x"]);
  assert.deepEqual(names(node), names(wasm));
});

test("async variants agree with the sync calls and reject with typed errors", async () => {
  const answers = Uint8Array.from({ length: 2_000_000 }, (_, i) => (i * 7) % 11);
  const keys = Uint32Array.from({ length: 2_000_000 }, (_, i) => i % 100);
  const [e, b] = await Promise.all([node.npsAsync(answers), node.benchmarkAsync(keys, answers)]);
  assert.deepEqual(e, node.nps(answers));
  assert.deepEqual(b, node.benchmark(keys, answers));
  await assert.rejects(node.npsAsync([1, 11]), (err) => err.code === "out_of_range" && err.index === 1);
  assert.deepEqual(await node.classifyAsync(answers), node.classify(answers));
  await assert.rejects(node.classifyAsync([9, 6.5]), (err) => err.code === "not_an_integer" && err.index === 1);
});

test("trend: the same result as @cemscore/wasm for texts, Dates and day numbers", () => {
  const texts = ["2024-12-30", "2025-01-05", "2025-01-06T09:30:00", "2025-03-31", "2025-04-01"];
  const answers = [10, 9, 0, 7, 10];
  const opts = { every: "week", segments: ["a", "a", "b", "b", "a"], min_n: 1 };
  const expected = wasm.trend(texts, answers, opts);
  assert.deepEqual(node.trend(texts, answers, opts), expected);
  assert.deepEqual(node.trend(texts.map((t) => new Date(`${t.slice(0, 10)}T12:00:00Z`)), answers, opts), expected);
  assert.equal(expected.periods.length, 14); // 2025-W01 (from Monday 30 December 2024) … 2025-W14, none skipped
  assert.throws(() => node.trend([null, "2025-01-01"], [9, 3]), (e) => e.code === "invalid_date" && e.index === 0);
});

test("drivers by segment: each segment's analysis is that of its rows alone, keys or numbers, in both packages", () => {
  const r = rng(11);
  const n = 240;
  const ease = Float64Array.from({ length: n }, () => 1 + Math.floor(r() * 5));
  const price = Float64Array.from({ length: n }, () => 1 + Math.floor(r() * 5));
  const nps = Float64Array.from({ length: n }, (_, i) => Math.min(10, Math.round(ease[i] + price[i] / 2 + r() * 3)));
  const codes = Uint32Array.from({ length: n }, () => Math.floor(r() * 3));
  const options = { outcome: "nps", drivers: ["ease", "price"], scale: [1, 5] };
  for (const cem of [node, wasm]) {
    const per = cem.drivers({ nps, ease, price }, { ...options, segments: Array.from(codes, (c) => ["north", "south", "east"][c]) });
    assert.deepEqual(per.map((s) => s.segment), ["east", "north", "south"]);
    for (const { segment, analysis } of per) {
      const c = ["north", "south", "east"].indexOf(segment);
      const rows = (col) => col.filter((_, i) => codes[i] === c);
      assert.deepEqual(analysis, cem.drivers({ nps: rows(nps), ease: rows(ease), price: rows(price) }, options));
    }
    const numbered = cem.drivers({ nps, ease, price }, { ...options, segments: codes });
    assert.deepEqual(numbered.map((s) => s.segment), ["0", "1", "2"]);
    assert.deepEqual(numbered[1].analysis, per.find((s) => s.segment === "south").analysis);
    assert.throws(() => cem.drivers({ nps, ease, price }, { ...options, segments: ["a", null, ...Array(n - 2).fill("a")] }),
      (e) => e.code === "invalid_segment" && e.index === 1);
  }
});

test("rakeEstimate with options.raking scores from rake()'s weights, as raking again does, in both packages", () => {
  const columns = { region: ["n", "n", "n", "s", "s", "n", "s", "n"], channel: ["w", "a", "w", "w", "a", "a", "w", "w"] };
  const margins = { region: { n: 0.5, s: 0.5 }, channel: { w: 0.4, a: 0.6 } };
  const answers = [10, 9, 3, 8, 10, 6, 9, 2];
  const base_weights = [1, 2, 1, 0.5, 1, 3, 1, 1];
  const segment = ["p", "q", "p", "q", "p", "q", "p", "q"];
  for (const cem of [node, wasm]) {
    const raking = cem.rake(columns, margins, { base_weights });
    const once = cem.rakeEstimate(columns, margins, answers, { raking, base_weights, segment });
    const again = cem.rakeEstimate(columns, margins, answers, { base_weights, segment });
    assert.deepEqual(once, again);
    assert.equal(once.rows.length, 3);
    // Weights that are not this raking's are refused by the core, naming the first row that differs from
    // the rows before it in its cell (row 7: n, w, as rows 0 and 2).
    const other = { ...raking, weights: raking.weights.map((w, i) => (i === 7 ? w * 1.5 : w)) };
    assert.throws(() => cem.rakeEstimate(columns, margins, answers, { raking: other, base_weights }),
      (e) => e.code === "invalid_parameter" && e.message.includes("raking.weights[7]"));
  }
});
