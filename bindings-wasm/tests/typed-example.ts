// Compiled with tsc --strict by tests/api.test.mjs: the declarations describe the API as used, and each
// `@ts-expect-error` line must fail to compile (tsc reports an unused one), as the core refuses it at run time.
import init, {
  nps, csat, topBox, classify, compare, compareTo, benchmark, benchmarkFromCounts, adjustPvalues, npsFromCounts, Tally,
  drivers, loadAnalytics, answersBuffer, type DriverAnalysis, type SegmentDrivers, type Estimate, type Category, type CemError, type ErrorCode, type Side, type BenchmarkOptions,
} from "@cemscore/wasm";

await init();
await loadAnalytics({ module_or_path: "cemscore_analytics_bg.wasm" });
const buffer: Uint8Array = answersBuffer(3);
buffer.set([10, 9, 3]);
const inPlace: Estimate = nps(buffer);
// @ts-expect-error: loadAnalytics resolves to nothing
const loaded: number = await loadAnalytics();
const score: Estimate = nps(Uint8Array.from([10, 9, 3, 7]), { level: 0.9, method: "score" });
const low: number = score.interval.lower;
const other = csat([5, 4, null, 2], { missing: "skip", threshold: 4, scale: [1, 5] });
const box = topBox([5, 4, 2], { scale: [1, 5], threshold: 4, weights: [1, 2, 1] });
const diff = compare(score, nps([10, 10, 9]), { test: "score", alternative: "greater" });
const p: number = diff.p_value;
const versus = compareTo(score, 20, { value_se: 2.5 });
const table = benchmark(["a", "b", "a"], [9, 3, 10], { against: "overall", min_n: 1 });
const first: string = table.rows[0].key;
const side: Side | null = table.rows[0].side;
const options: BenchmarkOptions = { against: { kind: "benchmark", value: 45, se: 2.5 }, correction: "fdr_bh" };
const counted = benchmarkFromCounts({ a: [1, 2, 3, 4, 5], b: [5, 4, 3, 2, 1] }, { metric: "csat", scale: [1, 5], against: { kind: "segment", key: "a" } });
const adjusted: Float64Array = adjustPvalues([0.01, 0.2], { correction: "holm" });
const fromCounts = npsFromCounts({ detractors: 1, passives: 2, promoters: 3 }, { method: "bayes", prior: [1, 1, 1] });
const t = new Tally([0, 10]);
t.update([9, 10], { weights: [1, 2] });
const onTally = t.estimate("net_box", { top: 9, bottom: 6 });
try {
  nps([11]);
} catch (e) {
  const code: ErrorCode = (e as CemError).code;
  console.log(code);
}
console.log(low, other.value, box.value, p, versus.p_value, first, side, options, counted.rows.length, adjusted[0], fromCounts.value, t.n, onTally.value);

const groups: (Category | null)[] = classify([10, 6, null], { metric: "nps", missing: "skip" });
console.log(groups, classify([5, 2], { metric: "csat", scale: [1, 5], threshold: 4 }));
// @ts-expect-error
classify([3], { metric: "mean" });
// @ts-expect-error
classify([9], { level: 0.9 });

// A name outside a vocabulary does not compile (the unions are generated from the core's vocabularies).
// @ts-expect-error
nps([9, 10], { method: "wilsn" });
// A key the call does not read does not compile either: each call has its own options type.
// @ts-expect-error
nps([9, 10], { metric: "csat" });
// @ts-expect-error
compare(score, score, { alpha: 0.01 });
// @ts-expect-error
compare(score, score, { method: "wald" });
// @ts-expect-error
adjustPvalues([0.01], { method: "holm" });
// @ts-expect-error
benchmark(["a"], [9], { minN: 1 });
// @ts-expect-error
t.estimate("nps", { scale: [0, 10] });
// @ts-expect-error
topBox([5, 4], { threshold: 4 });

// Key drivers: one analysis, or each segment's with `segments`.
const cols = { nps: [10, 9, 3, 7, 8, 2], ease: [5, 5, 2, 3, 4, 1], price: [3, 4, 2, 4, 3, 2] };
const whole: DriverAnalysis = drivers(cols, { outcome: "nps", drivers: ["ease", "price"] });
const bySegment: SegmentDrivers[] = drivers(cols, { outcome: "nps", drivers: ["ease"], segments: ["a", "a", "a", "b", "b", "b"] });
console.log(whole.r2, bySegment[0].segment, bySegment[0].analysis.drivers[0].share);
// @ts-expect-error
const wrong: DriverAnalysis = drivers(cols, { outcome: "nps", segments: ["a", "a", "a", "b", "b", "b"] });
