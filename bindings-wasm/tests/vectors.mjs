// Runs every conformance vector through a cem JavaScript package (@cemscore/wasm or @cemscore/node):
// the same driver for both, so both are held to the same expected values (statsmodels/scipy or the
// generator's independent implementation, never cem).
import { readFileSync, readdirSync } from "node:fs";
import assert from "node:assert/strict";

const dir = new URL("../../conformance/vectors/", import.meta.url);
export const cases = readdirSync(dir)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .flatMap((f) => JSON.parse(readFileSync(new URL(f, dir), "utf8")).cases);

const num = (v) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v);
const answers = (values) => values.map((v) => (v === null ? null : num(v)));
// NPS and CES fix their scales: `scale` is an option of the other metrics only.
const scaled = (kind) => kind !== "nps" && kind !== "ces";

const DEFAULT_SCALES = { nps: "0,10", csat: "1,5" };
const FUNCTIONS = { nps: "nps", csat: "csat", ces: "ces", top_box: "topBox", bottom_box: "bottomBox", net_box: "netBox", mean: "mean" };

function metricOptions(m) {
  const { kind, ...params } = m;
  return params;
}

function estimate(cem, inp) {
  const m = inp.metric;
  const opts = { ...inp.options, ...metricOptions(m) };
  const defaultScale = m.kind === "ces" ? (m.version === 1 ? "1,5" : "1,7") : DEFAULT_SCALES[m.kind];
  if (!inp.counts && (scaled(m.kind) || defaultScale === inp.scale.join(","))) {
    // The answers path of the metric function itself (given the scale when the metric reads one).
    const extra = { missing: inp.missing, weights: inp.weights?.map(num) };
    return cem[FUNCTIONS[m.kind]](answers(inp.answers), { ...opts, ...extra, ...(scaled(m.kind) ? { scale: inp.scale } : {}) });
  }
  // A tally carries its scale.
  const t = inp.counts ? cem.Tally.fromCounts(inp.counts, inp.scale) : new cem.Tally(inp.scale);
  if (!inp.counts) t.update(answers(inp.answers), { missing: inp.missing, weights: inp.weights?.map(num) });
  return t.estimate(m.kind, opts);
}

const comparison = (c) => ({
  difference: c.difference, lower: c.interval.lower, upper: c.interval.upper,
  statistic: c.statistic, p_value: c.p_value, df: c.df, method: c.method,
});

function run(cem, call, inp) {
  switch (call) {
    case "tally": {
      // A tally from counts and/or answers, then an optional merge; a failure must leave it unchanged.
      const t = inp.counts ? cem.Tally.fromCounts(inp.counts, inp.scale) : new cem.Tally(inp.scale);
      const before = JSON.stringify(t.toJSON());
      try {
        if (inp.answers) t.update(answers(inp.answers), { missing: inp.missing, weights: inp.weights?.map(num) });
        if (inp.merge_counts) t.merge(cem.Tally.fromCounts(inp.merge_counts, inp.scale));
      } catch (e) {
        if (JSON.stringify(t.toJSON()) !== before) throw new Error(`a failed update changed the tally: ${e.message}`);
        throw e;
      }
      const json = t.toJSON();
      return { counts: Array.from(t.counts), skipped: t.skipped, weight_sums: json.weight_sums ?? Array.from(t.counts) };
    }
    case "estimate": {
      const e = estimate(cem, inp);
      return { ...e, lower: e.interval.lower, upper: e.interval.upper, method: e.interval.method };
    }
    case "compare":
      return comparison(cem.compare(estimate(cem, inp.a), estimate(cem, inp.b), inp.options));
    case "compare_to":
      return comparison(cem.compareTo(estimate(cem, inp.a), num(inp.value), { ...inp.options, value_se: inp.value_se ?? undefined }));
    case "adjust":
      return { adjusted: Array.from(cem.adjustPvalues(inp.pvalues.map(num), { ...inp.options, correction: inp.correction })) };
    case "nps_from_counts": {
      const e = cem.npsFromCounts(inp.counts, inp.options);
      return { ...e, lower: e.interval.lower, upper: e.interval.upper, method: e.interval.method };
    }
    case "plan": {
      const a = inp.args;
      const f = {
        nps_responses_needed: () => cem.npsResponsesNeeded(a.promoter_share, a.detractor_share, a.margin, a.level),
        proportion_responses_needed: () => cem.proportionResponsesNeeded(a.share, a.margin, a.level),
        mean_responses_needed: () => cem.meanResponsesNeeded(a.sd, a.margin, a.level),
        nps_detectable_difference: () => cem.npsDetectableDifference(a.n, a.promoter_share, a.detractor_share, a.alpha, a.power),
        proportion_detectable_difference: () => cem.proportionDetectableDifference(a.n, a.share, a.alpha, a.power),
      }[inp.function];
      return { result: f() };
    }
    case "benchmark": {
      const opts = { ...inp.options, metric: inp.metric.kind, ...metricOptions(inp.metric), ...(scaled(inp.metric.kind) ? { scale: inp.scale } : {}) };
      if (inp.segment_counts) return cem.benchmarkFromCounts(inp.segment_counts, opts);
      return cem.benchmark(inp.segments, answers(inp.answers), { ...opts, weights: inp.weights?.map(num) });
    }
    case "trend": {
      const opts = { ...inp.options, metric: inp.metric.kind, ...metricOptions(inp.metric), ...(scaled(inp.metric.kind) ? { scale: inp.scale } : {}) };
      return cem.trend(inp.dates, answers(inp.answers), { ...opts, segments: inp.segments, weights: inp.weights?.map(num) });
    }
    case "classify": {
      // Integers as a TypedArray (the addon's and the wasm's typed paths), anything else as a plain array.
      const a = answers(inp.answers);
      const typed = a.length > 0 && a.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 31) ? Int32Array.from(a) : a;
      return { categories: cem.classify(typed, inp.options) };
    }
    case "drivers": {
      const cols = Object.fromEntries(Object.entries(inp.columns).map(([k, v]) => [k, v.map((x) => (x === null ? NaN : num(x)))]));
      return inp.segments ? { segments: cem.drivers(cols, { ...inp.options, segments: inp.segments }) } : cem.drivers(cols, inp.options);
    }
    case "discover":
      return cem.discover(inp.columns, inp.options);
    case "keyness": {
      // Labels (one column, or columns crossed) as the groups argument; answers or dates (no groups) and
      // segments through the options.
      const extra = { ...(inp.segments ? { segments: inp.segments } : {}), ...(inp.dates ? { dates: inp.dates } : {}),
        ...(inp.answers ? { answers: answers(inp.answers) } : {}) };
      return cem.keyness(inp.comments, inp.groups ?? null, { ...inp.options, ...extra });
    }
    case "terms":
      return { rows: cem.terms(inp.comments, inp.options) };
    case "rake": {
      const base = inp.base_weights ? { base_weights: inp.base_weights } : {};
      return cem.rake(inp.columns, inp.margins, { ...inp.options, ...base });
    }
    case "rake_estimate": {
      const extra = { metric: inp.metric, ...(inp.base_weights ? { base_weights: inp.base_weights } : {}),
        ...(inp.segment ? { segment: inp.segment } : {}) };
      return cem.rakeEstimate(inp.columns, inp.margins, inp.answers, { ...inp.options, ...extra });
    }
    case "rake_cells": {
      const sums = inp.sum ? { sums: inp.sum, squares: inp.sum_sq } : {};
      return cem.rakeCells(inp.columns, inp.count, inp.margins, { ...inp.options, ...sums });
    }
    case "counts_table": {
      // The table as rows of objects, its columns named by the options (each named after itself).
      const t = inp.table;
      const rows = t.answer.map((_, i) => Object.fromEntries(Object.keys(t).map((k) => [k, t[k][i]])));
      const columns = Object.fromEntries(Object.keys(t).map((k) => [k, k]));
      const opts = { ...inp.options, ...columns, metric: inp.metric.kind, ...metricOptions(inp.metric), ...(scaled(inp.metric.kind) ? { scale: inp.scale } : {}) };
      const r = cem.fromCountsTable(rows, opts);
      return r.interval ? { ...r, lower: r.interval.lower, upper: r.interval.upper, method: r.interval.method } : r;
    }
  }
  throw new Error(`unknown call ${call}`);
}

function check(path, actual, expected, tol, failures) {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    for (const [k, v] of Object.entries(expected)) check(`${path}.${k}`, actual?.[k], v, tol, failures);
  } else if (Array.isArray(expected)) {
    const a = actual ? Array.from(actual) : actual;
    if (!Array.isArray(a) || a.length !== expected.length) failures.push(`${path}: ${JSON.stringify(a)} != ${JSON.stringify(expected)}`);
    else expected.forEach((e, i) => check(`${path}[${i}]`, a[i], e, tol, failures));
  } else if (typeof expected === "number" || expected === "inf" || expected === "-inf") {
    const e = num(expected);
    const a = actual === null || actual === undefined ? NaN : num(actual);
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= tol.abs + tol.rel * Math.abs(e) : a === e;
    if (!ok) failures.push(`${path}: got ${a}, expected ${e}`);
  } else if ((actual ?? null) !== expected) {
    failures.push(`${path}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

/** Registers one node:test per vector. */
export function testVectors(cem, test) {
  // Rows of objects cannot hold columns of different lengths (the one counts-table vector that has them).
  // JavaScript gives those as rows, so the case cannot be written: it is left out, and this test says which.
  const uneven = (c) => c.call === "counts_table" && new Set(Object.values(c.input.table).map((v) => v.length)).size > 1;
  test("the vectors left out are the counts tables whose columns differ in length (rows cannot hold them)", () => {
    const left = cases.filter(uneven);
    assert.deepEqual(left.map((c) => c.expected.error), ["length_mismatch"]);
  });
  for (const c of cases.filter((c) => !uneven(c))) {
    test(c.name, () => {
      if (c.expected.error) {
        assert.throws(() => run(cem, c.call, c.input), (e) => {
          assert.ok(e instanceof Error, String(e));
          assert.equal(e.code, c.expected.error, e.message);
          if (c.expected.index !== undefined) assert.equal(e.index, c.expected.index, e.message);
          return true;
        });
        return;
      }
      const failures = [];
      // JavaScript's classify gives each answer's name (no names table): its vectors check the names per answer.
      const expected = c.call === "classify" ? { categories: c.expected.categories } : c.expected;
      check(c.name, run(cem, c.call, c.input), expected, c.tolerance ?? { abs: 1e-9, rel: 1e-9 }, failures);
      assert.deepEqual(failures, []);
    });
  }
}
