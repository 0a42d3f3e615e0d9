// Compiled with tsc --strict by tests/api.test.mjs: the declarations describe the API as used.
import init, { nps, csat, compare, benchmark, adjustPvalues, Tally, type Estimate, type CemError } from "@cemscore/wasm";

await init();
const score: Estimate = nps(Uint8Array.from([10, 9, 3, 7]), { level: 0.9, method: "score" });
const low: number = score.interval.lower;
const other = csat([5, 4, null, 2], { missing: "skip", threshold: 4 });
const diff = compare(score, nps([10, 10, 9]));
const p: number = diff.p_value;
const table = benchmark(["a", "b", "a"], [9, 3, 10], { against: "overall", min_n: 1 });
const first: string = table.rows[0].key;
const adjusted: Float64Array = adjustPvalues([0.01, 0.2], { correction: "holm" });
const t = new Tally([0, 10]);
t.update([9, 10], { weights: [1, 2] });
try {
  nps([11]);
} catch (e) {
  const code: string = (e as CemError).code;
  console.log(code);
}
console.log(low, other.value, p, first, adjusted[0], t.n);
// A name outside a vocabulary does not compile (the unions are generated from the core's vocabularies).
// @ts-expect-error
nps([9, 10], { method: "wilsn" });
