// Type declarations shared by @cemscore/wasm and @cemscore/node (checked identical by the Node tests):
// a user swaps the import and nothing else changes. Results are the core's JSON (snake_case fields).

// <vocabulary> generated from cem-core's vocabularies by cem-core/tests/vocabulary.rs; do not edit
export type MetricKind = "nps" | "csat" | "ces" | "top_box" | "bottom_box" | "net_box" | "mean";
export type Method = "wald" | "adjusted_wald" | "adjusted_wald_z2" | "score" | "trinomial_t" | "bootstrap" | "bayes" | "wilson" | "agresti_coull" | "clopper_pearson" | "jeffreys" | "t" | "normal" | "beta" | "jeffrey" | "student_t";
export type Test = "wald" | "adjusted_wald" | "score" | "agresti_caffo" | "welch" | "t" | "newcombe" | "newcomb" | "agresti-caffo";
export type Alternative = "two-sided" | "greater" | "less" | "two_sided" | "larger" | "smaller";
export type Correction = "holm" | "bonferroni" | "hochberg" | "benjamini_hochberg" | "benjamini_yekutieli" | "none" | "simes-hochberg" | "fdr_bh" | "fdr_by";
export type Missing = "error" | "skip";
export type Side = "above" | "below" | "level";
export type Direction = "higher_is_better" | "lower_is_better";
export type ErrorCode = "out_of_range" | "not_an_integer" | "missing_value" | "invalid_weight" | "length_mismatch" | "empty" | "invalid_parameter" | "incompatible" | "invalid_segment" | "too_few" | "overflow";
// </vocabulary>

/** Answers: a TypedArray (read as a block) or a plain array where null/NaN is a missing answer. */
export type Answers = ArrayLike<number | null> | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/** Options of every call (snake_case, as the results). Each call reads its own keys and throws
 * `invalid_parameter` for any other, naming it. Omitted means the core's default. */
export interface Options {
  /** `nps`, `csat`, `ces`, `top_box`, `bottom_box`, `net_box`, `mean` (benchmark only; default `nps`). */
  metric?: MetricKind;
  /** `[min, max]` of the answers (defaults: NPS 0–10, CSAT 1–5, CES 2.0 1–7, CES 1.0 1–5). */
  scale?: [number, number];
  /** Box threshold (CSAT default: the top two points). */
  threshold?: number;
  /** CES version, 1 or 2 (default 2). */
  version?: 1 | 2;
  /** Net box: lowest answer of the top box. */
  top?: number;
  /** Net box: highest answer of the bottom box. */
  bottom?: number;
  /** One weight per answer. */
  weights?: ArrayLike<number> | Float64Array;
  /** `error` (default) or `skip`. */
  missing?: Missing;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Interval method of an estimate (default: the metric's). */
  method?: Method;
  /** Bootstrap resamples (default 2000) and seed (default 0). */
  resamples?: number;
  seed?: number;
  /** Dirichlet prior for `bayes` (default [1, 1, 1]). */
  prior?: [number, number, number];
  /** The test of a comparison (compare, compareTo, each benchmark segment). */
  test?: Test;
  /** `two-sided` (default), `greater`, `less`. */
  alternative?: Alternative;
  /** Benchmark reference: `rest` (default), `overall`, `previous`, `benchmark=VALUE[±SE]`, `segment=KEY`,
   * or a record such as `{kind: "benchmark", value: 45, se: 2.5}`. */
  against?: string | { kind: "benchmark"; value: number; se?: number } | { kind: "segment"; key: string } | { kind: "rest" | "overall" | "previous" };
  /** Multiplicity correction (adjustPvalues, benchmark; default `holm`). */
  correction?: Correction;
  /** Benchmark significance level (default 0.05). */
  alpha?: number;
  /** Benchmark: segments with fewer answers are flagged low n and not tested (default 30). */
  min_n?: number;
  /** Benchmark key order (periods for `previous`). */
  order?: string[];
  /** compareTo: the benchmark value's own standard error. */
  value_se?: number;
}

export interface Interval {
  lower: number;
  upper: number;
  level: number;
  method: string;
}

export interface Estimate {
  metric: { kind: string; threshold?: number; version?: number; top?: number; bottom?: number };
  direction: Direction;
  value: number;
  n: number;
  effective_n: number;
  skipped: number;
  standard_error: number | null;
  interval: Interval;
  breakdown: Record<string, number | null>;
  scale: { min: number; max: number };
}

export interface Comparison {
  difference: number;
  interval: { lower: number; upper: number; level: number };
  statistic: number | null;
  df: number | null;
  p_value: number;
  alternative: "two-sided" | "greater" | "less";
  method: string;
}

export interface BenchmarkRow {
  key: string;
  n: number;
  effective_n: number;
  share: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
  reference_value: number | null;
  difference: number | null;
  difference_lower: number | null;
  difference_upper: number | null;
  statistic: number | null;
  p_value: number | null;
  adjusted_p_value: number | null;
  significant: boolean;
  side: Side | null;
  low_n: boolean;
  rank: number;
  impact: number | null;
}

export interface Benchmark {
  metric: Estimate["metric"];
  reference: { kind: string; value?: number; se?: number | null; key?: string };
  correction: string;
  alpha: number;
  overall: Estimate;
  rows: BenchmarkRow[];
  summary: { segments: number; tested: number; significantly_above: number; significantly_below: number; low_n: number };
}

/** Thrown for bad input: a stable `code`, the offending `index` and `value` where there is one. */
export interface CemError extends Error {
  code: ErrorCode;
  index: number | null;
  value: number | null;
}

export function nps(answers: Answers, options?: Options): Estimate;
export function npsFromCounts(counts: { detractors: number; passives: number; promoters: number }, options?: Options): Estimate;
export function csat(answers: Answers, options?: Options): Estimate;
export function ces(answers: Answers, options?: Options): Estimate;
export function topBox(answers: Answers, options: Options & { threshold: number; scale: [number, number] }): Estimate;
export function bottomBox(answers: Answers, options: Options & { threshold: number; scale: [number, number] }): Estimate;
export function netBox(answers: Answers, options: Options & { top: number; bottom: number; scale: [number, number] }): Estimate;
export function mean(answers: Answers, options: Options & { scale: [number, number] }): Estimate;
export function compare(a: Estimate, b: Estimate, options?: Options): Comparison;
export function compareTo(estimate: Estimate, value: number, options?: Options): Comparison;
export function adjustPvalues(pvalues: ArrayLike<number>, options?: Options): Float64Array;
export function benchmark(segments: ArrayLike<string | number> | Uint32Array, answers: Answers, options?: Options): Benchmark;

export function benchmarkFromCounts(counts: Record<string, ArrayLike<number>>, options?: Options): Benchmark;
export function npsResponsesNeeded(promoterShare: number, detractorShare: number, margin: number, level: number): number;
export function proportionResponsesNeeded(share: number, margin: number, level: number): number;
export function meanResponsesNeeded(sd: number, margin: number, level: number): number;
export function npsDetectableDifference(n: number, promoterShare: number, detractorShare: number, alpha: number, power: number): number;
export function proportionDetectableDifference(n: number, share: number, alpha: number, power: number): number;

/** Loads the WebAssembly module (browsers and bundlers: await it once before the first call; in Node
 * @cemscore/wasm loads synchronously on import and @cemscore/node needs no loading, so it resolves at once). */
export default function init(input?: unknown): Promise<unknown>;

export class Tally {
  constructor(scale: [number, number]);
  static fromCounts(counts: ArrayLike<number>, scale: [number, number]): Tally;
  static fromJSON(json: unknown): Tally;
  update(answers: Answers, options?: Options): void;
  merge(other: Tally): void;
  estimate(metric: string, options?: Options): Estimate;
  readonly n: number;
  readonly counts: Float64Array;
  readonly skipped: number;
  toJSON(): unknown;
}
