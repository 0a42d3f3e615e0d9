// Inputs, errors, the Tally, types and size of @cemscore/wasm in Node.
import test from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import * as cem from "../node.js";

test("every TypedArray and plain arrays give the same NPS", () => {
  const values = [10, 9, 8, 7, 6, 0, 3, 10, 9, 2];
  const expected = cem.nps(values).value;
  for (const T of [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array]) {
    assert.equal(cem.nps(T.from(values)).value, expected, T.name);
  }
});

test("null and NaN are missing answers", () => {
  assert.throws(() => cem.nps([9, null]), (e) => e.code === "missing_value" && e.index === 1);
  const e = cem.nps([9, null, NaN, 3], { missing: "skip" });
  assert.equal(e.n, 2);
  assert.equal(e.skipped, 2);
});

test("errors are Errors with code, index and value", () => {
  for (const [f, code] of [
    [() => cem.nps([3, 11]), "out_of_range"],
    [() => cem.nps([3, 6.5]), "not_an_integer"],
    [() => cem.nps([3, 4], { weights: [1, -1] }), "invalid_weight"],
    [() => cem.nps([3, 4], { weights: [1] }), "length_mismatch"],
    [() => cem.nps([]), "empty"],
    [() => cem.nps([3], { level: 2 }), "invalid_parameter"],
    [() => cem.nps([3], { levle: 0.9 }), "invalid_parameter"],
    [() => cem.compare(cem.nps([9]), cem.csat([5])), "incompatible"],
  ]) {
    assert.throws(f, (e) => e instanceof Error && e.code === code && e.message.length > 0, code);
  }
  assert.throws(() => cem.nps(Uint8Array.from([9, 200])), (e) => e.index === 1 && e.value === 200);
});

test("a failed update leaves the tally unchanged; tallies merge and round-trip", () => {
  const t = new cem.Tally([0, 10]);
  t.update(Uint8Array.from([9, 10, 3]));
  assert.throws(() => t.update([9, 42]));
  assert.equal(t.n, 3);
  const u = cem.Tally.fromJSON(JSON.parse(JSON.stringify(t.toJSON())));
  u.merge(t);
  assert.equal(u.n, 6);
  assert.equal(u.estimate("nps").value, t.estimate("nps").value);
});

test("benchmark flags low n and ranks segments", () => {
  const keys = [...Array(60).fill("north"), ...Array(60).fill("south"), ...Array(5).fill("tiny")];
  const answers = keys.map((k, i) => (k === "north" ? [10, 9, 9, 8][i % 4] : [3, 6, 8, 9][i % 4]));
  const b = cem.benchmark(keys, answers);
  assert.deepEqual(b.rows.map((r) => r.key), ["north", "south", "tiny"]);
  assert.equal(b.rows[0].direction, "above");
  assert.ok(b.rows[0].significant);
  assert.ok(b.rows[2].low_n && b.rows[2].p_value === null);
});

test("the TypeScript declarations compile a typed example under --strict", () => {
  const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const example = new URL("./typed-example.ts", import.meta.url).pathname;
  execFileSync(process.execPath, [tsc, "--strict", "--noEmit", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", example], { stdio: "pipe" });
});

// DESIGN's budget is 150 KB and it is NOT met yet (271 KB after wasm-opt -Oz, 119 KB gzipped; the
// largest items are serde's deserializers for the result types and the sort monomorphisations — see
// issue 5). This guard keeps the size from growing while that work is open; it is not the target.
test("the optimised .wasm does not grow past its current 280 KB", () => {
  const size = statSync(new URL("../pkg/cemscore_wasm_bg.wasm", import.meta.url)).size;
  assert.ok(size <= 280 * 1024, `${size} bytes`);
});
