// Answers in a plain array that are not numbers follow the core's one rule in both packages (as in
// Python): text holding a number is that number, blank text is missing, other text is not_a_number with
// its index and the text; booleans are unsupported_answers. Never a silent missing answer.
import test from "node:test";
import assert from "node:assert/strict";
import * as node from "../index.js";
import * as wasm from "../../bindings-wasm/node.js";

for (const [name, cem] of [["@cemscore/node", node], ["@cemscore/wasm", wasm]]) {
  test(`${name}: text answers by the core's rule`, () => {
    assert.equal(cem.nps(["9", "10", " 3 ", "6"]).value, cem.nps([9, 10, 3, 6]).value);
    assert.equal(cem.nps([9, "10", "", null], { missing: "skip" }).n, 2);
    assert.throws(() => cem.nps(["9", "10", "x"]), (e) => e.code === "not_a_number" && e.index === 2 && e.value === "x");
    assert.throws(() => cem.nps(["9", "6.5"]), (e) => e.code === "not_an_integer" && e.index === 1);
    assert.throws(() => cem.nps([true, false], { missing: "skip" }),
      (e) => e.code === "unsupported_answers" && /boolean/.test(e.message));
    const b = cem.benchmark(["a", "a", "b"], ["10", "9", "3"], { min_n: 1 });
    assert.deepEqual(b.rows.map((r) => [r.key, r.n]).sort(), [["a", 2], ["b", 1]]);
  });
}
