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
export type Every = "day" | "week" | "month" | "quarter" | "year";
export type KeynessStatistic = "score" | "chi2" | "lr" | "pmi" | "weighted_log_odds" | "log_odds_z" | "g2";
export type DriverMethod = "lmg" | "relative_weights" | "dominance" | "first" | "last" | "betasq" | "pratt" | "shapley" | "johnson";
export type OutcomeScore = "value" | "nps" | "promoter";
export type Quadrant = "fix_first" | "keep" | "low_priority" | "overkill";
export type Show = "significant" | "productive" | "all";
export type ErrorCode = "out_of_range" | "not_an_integer" | "not_a_number" | "unsupported_answers" | "missing_value" | "invalid_weight" | "length_mismatch" | "empty" | "invalid_parameter" | "incompatible" | "invalid_segment" | "invalid_date" | "too_few" | "overflow" | "degenerate" | "not_text" | "level_without_rows" | "level_without_target" | "invalid_margin" | "margins_disagree" | "zero_target" | "not_converged" | "infeasible_trim";
export type Category = "detractor" | "passive" | "promoter" | "not_satisfied" | "satisfied" | "effortful" | "neutral" | "easy" | "not_top" | "top" | "bottom" | "not_bottom" | "middle";
// </vocabulary>

/** Answers: a TypedArray (read as a block) or a plain array where null/NaN is a missing answer; text such as
 * "9" (a CSV read as text) is its number, blank text is missing, other text throws `not_a_number`. */
export type Answers = ArrayLike<number | string | null> | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

// Options are snake_case, as the results are. Each call has its own options type, listing exactly the keys
// that call reads: the core throws `invalid_parameter` naming any other key (with a did-you-mean), and
// tsc --strict rejects it in an object literal. Omitted means the core's default.

/** `[min, max]` of the answers. */
export type ScaleBounds = [number, number];

/** What a benchmark compares each segment with (text, as on the command line, or a record). */
export type Reference =
  | string
  | { kind: "benchmark"; value: number; se?: number }
  | { kind: "segment"; key: string }
  | { kind: "rest" | "overall" | "previous" };

/** The interval of an estimate. */
export interface IntervalOptions {
  /** Confidence level (default 0.95). */
  level?: number;
  /** Interval method (default: the metric family's). */
  method?: Method;
}

/** Bootstrap intervals (`method: "bootstrap"`). */
export interface ResamplingOptions {
  /** Resamples (default 2000). */
  resamples?: number;
  /** Seed (default 0). */
  seed?: number;
}

/** Bayesian intervals (`method: "bayes"`). */
export interface PriorOptions {
  /** Dirichlet prior (default [1, 1, 1]). */
  prior?: [number, number, number];
}

/** What the calls that read answers take beside their options. */
export interface AnswerOptions {
  /** One weight per answer (an input, not an option: the binding passes it beside the options). */
  weights?: ArrayLike<number> | Float64Array;
  /** `error` (default) or `skip`. */
  missing?: Missing;
}

/** The options of an estimate of each metric from a Tally (which carries its scale). */
export interface MetricOptions {
  nps: IntervalOptions & ResamplingOptions & PriorOptions;
  csat: IntervalOptions & {
    /** Lowest answer counted satisfied (default: the top two points). */
    threshold?: number;
  };
  ces: IntervalOptions & ResamplingOptions & {
    /** CES version, 1 (1–5) or 2 (1–7, default). */
    version?: 1 | 2;
  };
  top_box: IntervalOptions & { threshold: number };
  bottom_box: IntervalOptions & { threshold: number };
  net_box: IntervalOptions & ResamplingOptions & PriorOptions & {
    /** Lowest answer of the top box. */
    top: number;
    /** Highest answer of the bottom box. */
    bottom: number;
  };
  mean: IntervalOptions & ResamplingOptions;
}

/** The options of a metric's estimate from answers: NPS and CES fix their scales; the others read `scale`
 * (CSAT default 1–5; the boxes and the mean need it). */
export type EstimateOptions<K extends MetricKind = MetricKind> = MetricOptions[K] & AnswerOptions &
  (K extends "nps" | "ces" ? {} : K extends "csat" ? { scale?: ScaleBounds } : { scale: ScaleBounds });

/** compare: the test of `a − b`. */
export interface CompareOptions {
  /** The test (default: the metric family's). */
  test?: Test;
  /** Level of the difference's interval (default 0.95). */
  level?: number;
  /** `two-sided` (default), `greater`, `less`. */
  alternative?: Alternative;
}

/** compareTo: as compare, with the benchmark value's own standard error. */
export interface CompareToOptions extends CompareOptions {
  value_se?: number;
}

/** adjustPvalues. */
export interface AdjustOptions {
  /** Multiplicity correction (default `holm`). */
  correction?: Correction;
}

/** benchmarkFromCounts: the metric (NPS by default) and its options, and how segments are tested. */
export interface BenchmarkCountsOptions extends IntervalOptions, ResamplingOptions, PriorOptions {
  /** The metric (default `nps`). */
  metric?: MetricKind;
  /** `[min, max]` of the answers, for the metrics that read it (not NPS or CES). */
  scale?: ScaleBounds;
  /** Box threshold (csat, top_box, bottom_box). */
  threshold?: number;
  /** CES version, 1 or 2 (default 2). */
  version?: 1 | 2;
  /** Net box: lowest answer of the top box. */
  top?: number;
  /** Net box: highest answer of the bottom box. */
  bottom?: number;
  /** The test of each segment (default: the metric family's). */
  test?: Test;
  /** `two-sided` (default), `greater`, `less`. */
  alternative?: Alternative;
  /** `rest` (default), `overall`, `previous`, `benchmark=VALUE[±SE]`, `segment=KEY`, or a record such as
   * `{kind: "benchmark", value: 45, se: 2.5}`. */
  against?: Reference;
  /** Multiplicity correction across segments (default `holm`). */
  correction?: Correction;
  /** Significance level (default 0.05). */
  alpha?: number;
  /** Segments with fewer answers are flagged low n and not tested (default 30). */
  min_n?: number;
  /** Key order (periods for `previous`; default sorted). */
  order?: string[];
}

/** classify: the metric (NPS by default) and the options of its rule; no interval options. */
export interface ClassifyOptions {
  /** The metric (default `nps`); `mean` has no categories. */
  metric?: Exclude<MetricKind, "mean">;
  /** `[min, max]` of the answers, for the metrics that read it (not NPS or CES). */
  scale?: ScaleBounds;
  /** Box threshold (csat, top_box, bottom_box). */
  threshold?: number;
  /** CES version, 1 or 2 (default 2). */
  version?: 1 | 2;
  /** Net box: lowest answer of the top box. */
  top?: number;
  /** Net box: highest answer of the bottom box. */
  bottom?: number;
  /** `error` (default) or `skip` (a missing answer's category is `null`). */
  missing?: Missing;
}

/** benchmark: as benchmarkFromCounts, from answers. */
export interface BenchmarkOptions extends BenchmarkCountsOptions, AnswerOptions {}

export interface Interval {
  lower: number;
  upper: number;
  level: number;
  method: Method;
}

export interface Estimate {
  metric: { kind: MetricKind; threshold?: number; version?: number; top?: number; bottom?: number };
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
  alternative: Alternative;
  /** The test used. */
  method: Test;
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
  correction: Correction;
  alpha: number;
  overall: Estimate;
  rows: BenchmarkRow[];
  summary: { segments: number; tested: number; significantly_above: number; significantly_below: number; low_n: number };
}

/** trend: the metric and its options, the periods, how cells are tested; `segments` and `weights` are
 * inputs, one per answer. */
export interface TrendOptions extends Omit<BenchmarkOptions, "against" | "order"> {
  /** Periods: `day`, `week` (ISO 8601), `month` (default), `quarter`, `year`. */
  every?: Every;
  /** `previous` (default) or `trailing=k` (the k periods before, pooled). */
  against?: "previous" | `trailing=${number}` | { kind: "previous" } | { kind: "trailing"; periods: number };
  /** One segment key per answer: a trend per segment. */
  segments?: ArrayLike<string | number | null> | Uint32Array;
}

/** One cell of a trend: a segment in a period against its reference. */
export interface TrendRow extends Omit<BenchmarkRow, "key" | "rank"> {
  /** The segment (null without segments). */
  segment: string | null;
  /** The period's label: `2025-01-31`, `2025-W05`, `2025-01`, `2025-Q1` or `2025`. */
  period: string;
}

export interface Trend {
  metric: Estimate["metric"];
  every: Every;
  reference: { kind: "previous" } | { kind: "trailing"; periods: number };
  correction: Correction;
  alpha: number;
  /** Every period from the first to the last, in time order (empty ones included, n = 0). */
  periods: string[];
  /** The segments, sorted (empty without segments). */
  segments: string[];
  /** Segments in order, each segment's periods in time order. */
  rows: TrendRow[];
  summary: { cells: number; tested: number; significantly_above: number; significantly_below: number; low_n: number };
  /** What really changed: the last period's significant cells, largest |impact| first. */
  changed: TrendRow[];
}

/** Thrown for bad input: a stable `code`, the offending `index` and `value` where there is one. */
export interface CemError extends Error {
  code: ErrorCode;
  index: number | null;
  value: number | null;
}

export function nps(answers: Answers, options?: EstimateOptions<"nps">): Estimate;
export function npsFromCounts(counts: { detractors: number; passives: number; promoters: number }, options?: MetricOptions["nps"]): Estimate;
export function csat(answers: Answers, options?: EstimateOptions<"csat">): Estimate;
export function ces(answers: Answers, options?: EstimateOptions<"ces">): Estimate;
export function topBox(answers: Answers, options: EstimateOptions<"top_box">): Estimate;
export function bottomBox(answers: Answers, options: EstimateOptions<"bottom_box">): Estimate;
export function netBox(answers: Answers, options: EstimateOptions<"net_box">): Estimate;
export function mean(answers: Answers, options: EstimateOptions<"mean">): Estimate;
export function compare(a: Estimate, b: Estimate, options?: CompareOptions): Comparison;
export function compareTo(estimate: Estimate, value: number, options?: CompareToOptions): Comparison;
export function adjustPvalues(pvalues: ArrayLike<number>, options?: AdjustOptions): Float64Array;
export function benchmark(segments: ArrayLike<string | number> | Uint32Array, answers: Answers, options?: BenchmarkOptions): Benchmark;
/** fromCountsTable: the columns of the rows (an engine's GROUP BY output) and the options of what they score. */
export interface CountsTableColumns {
  /** The column of answers (null: a NULL answer, which follows `missing`). */
  answer: string;
  /** The column of row counts (`COUNT(*)`). */
  count: string;
  /** The column of Σw (`SUM(w)`), with `weight_sq_sum`. */
  weight_sum?: string;
  /** The column of Σw² (`SUM(w * w)`), with `weight_sum`. */
  weight_sq_sum?: string;
}
/** Rows of a counts table: one object per group. */
export type CountsTableRows = ArrayLike<Record<string, string | number | Date | null>>;
/** A benchmark of a counts table grouped by `segment` (and answer). */
export function fromCountsTable(rows: CountsTableRows, options: CountsTableColumns & { segment: string; day?: undefined } & Omit<BenchmarkOptions, "weights">): Benchmark;
/** A trend of a counts table grouped by `day` (ISO text, Date or day number), and by `segment` if named. */
export function fromCountsTable(rows: CountsTableRows, options: CountsTableColumns & { day: string; segment?: string } & Omit<TrendOptions, "weights" | "segments">): Trend;
/** The score `metric` (NPS by default) of a counts table grouped by answer alone. */
export function fromCountsTable(rows: CountsTableRows, options: CountsTableColumns & { segment?: undefined; day?: undefined; metric?: MetricKind; missing?: Missing; scale?: ScaleBounds } & IntervalOptions & ResamplingOptions & PriorOptions & { threshold?: number; version?: 1 | 2; top?: number; bottom?: number }): Estimate;
export function benchmarkFromCounts(counts: Record<string, ArrayLike<number>>, options?: BenchmarkCountsOptions): Benchmark;
/** trend: dates (ISO texts, `Date`s on their UTC date, or day numbers since 1970-01-01) binned `every`
 * period, per segment when `segments` is given, each period against the previous (or `trailing=k`). */
export function trend(dates: ArrayLike<string | null> | ArrayLike<Date | number | null>, answers: Answers, options?: TrendOptions): Trend;
/** Each answer's category by the rule the metric's breakdown counts with; `null` for a skipped missing answer.
 * Names, worst first: NPS detractor/passive/promoter, CSAT not_satisfied/satisfied, CES effortful/neutral/easy,
 * top_box not_top/top, bottom_box bottom/not_bottom, net_box bottom/middle/top. */
export function classify(answers: Answers, options?: ClassifyOptions): (Category | null)[];
/** drivers: key driver analysis of named columns (see the book's "Key drivers" chapter). */
export interface DriversOptions {
  /** The outcome column (required). */
  outcome: string;
  /** The driver columns, in order (default: every other column but `weight`). */
  drivers?: string[];
  /** The column of row weights. */
  weight?: string;
  /** `lmg` (default; ≤ 20 drivers), `relative_weights`, `dominance`, `first`, `last`, `betasq`, `pratt`. */
  method?: DriverMethod;
  /** `value` (default), `nps` (0–10 scored −100/0/+100), `promoter` (100/0). */
  outcome_score?: OutcomeScore;
  /** The drivers' rating scale: answers must lie on it; adds each driver's top-box %. */
  scale?: ScaleBounds;
  /** Lowest answer of the top box (default: the top two points). */
  threshold?: number;
  /** Level of the performance intervals (default 0.95). */
  level?: number;
  /** Incomplete rows: `error` (default) or `skip`. */
  missing?: Missing;
  /** Bootstrap resamples: intervals of importance and share, rank-first probabilities (default: none). */
  resamples?: number;
  /** Bootstrap seed (default 0). */
  seed?: number;
  /** Where the quadrant map splits: [share of R² in %, mean rating] (default: the drivers' means). */
  split?: [number, number];
}

export interface DriverRow {
  driver: string;
  /** R² units; sums to r2 for lmg, relative_weights, dominance. */
  importance: number;
  /** 100 × importance / Σ importance. */
  share: number;
  rank: number;
  sign: -1 | 0 | 1;
  coefficient: number;
  correlation: number;
  mean: number;
  mean_lower: number;
  mean_upper: number;
  top_box: number | null;
  top_box_lower: number | null;
  top_box_upper: number | null;
  quadrant: Quadrant;
  importance_lower?: number;
  importance_upper?: number;
  share_lower?: number;
  share_upper?: number;
  /** Share of bootstrap resamples in which the driver ranks first. */
  first_probability?: number;
}

export interface DriverAnalysis {
  method: DriverMethod;
  outcome: string;
  outcome_score: OutcomeScore;
  outcome_mean: number;
  r2: number;
  n: number;
  effective_n: number;
  skipped: number;
  level: number;
  importance_split: number;
  performance_split: number;
  drivers: DriverRow[];
  dominance?: { conditional: number[][]; complete: number[][] };
  bootstrap?: { resamples: number; seed: number; failed: number };
}

/** One segment's key driver analysis (`drivers` with `segments`). */
export interface SegmentDrivers {
  segment: string;
  analysis: DriverAnalysis;
}

/** With `segments` (one key per row, as `benchmark`'s): each segment's analysis, in key order, from one pass. */
export function drivers(
  columns: Record<string, ArrayLike<number | null>>,
  options: DriversOptions & { segments: ArrayLike<string | number | null> | Uint32Array },
): SegmentDrivers[];
export function drivers(columns: Record<string, ArrayLike<number | null>>, options: DriversOptions): DriverAnalysis;
/** discover: data-driven segments (see the book's "Data-driven segments" chapter). */
export interface DiscoverOptions extends Omit<BenchmarkCountsOptions, "against" | "order"> {
  /** The answer column (required). */
  answer: string;
  /** The attribute columns, in order (default: every other column but the answer, weight and count). */
  attributes?: string[];
  /** A column of row weights. */
  weight?: string;
  /** A counts cube's count column (the columns are then a GROUP BY of the attributes and the answer). */
  count?: string;
  /** The cube's Σw column (with `weight_sq_sum`). */
  weight_sum?: string;
  /** The cube's Σw² column (with `weight_sum`). */
  weight_sq_sum?: string;
  /** Most conditions in a slice (default 2, at most 4). */
  depth?: number;
  /** Most distinct values of an attribute (default 50). */
  max_values?: number;
  /** Fold an attribute's rarest values into "other" rather than refusing it. */
  other?: boolean;
  /** `significant` (default), `productive` or `all`. */
  show?: Show;
  /** At most this many rows, by rank. */
  limit?: number;
  /** The Westfall–Young permutation bound with this many permutations (unweighted data), instead of `correction`. */
  permutations?: number;
  /** `error` (default): a missing answer is an error and a missing attribute value is the value `(missing)`; `skip`: such rows are left out. */
  missing?: Missing;
}

export interface SliceRow {
  /** `region=East & channel=phone`. */
  slice: string;
  conditions: Record<string, string>;
  depth: number;
  n: number;
  effective_n: number;
  share: number;
  value: number;
  lower: number;
  upper: number;
  rest_value: number;
  difference: number;
  difference_lower: number;
  difference_upper: number;
  statistic: number | null;
  p_value: number;
  adjusted_p_value: number;
  significant: boolean;
  side: Side;
  impact: number;
  /** Significant, and different the same way from the rest of each parent. */
  productive: boolean;
  /** The parent that explains a significant slice that is not productive. */
  explained_by: string | null;
  rank: number;
}

export interface Discovery {
  metric: Estimate["metric"];
  attributes: string[];
  overall: Estimate;
  rows: SliceRow[];
  summary: {
    /** The family: slices tested, the number the correction covers. */
    m: number;
    evaluated: number;
    collapsed: number;
    significantly_above: number;
    significantly_below: number;
    productive: number;
    correction: Correction | "westfall_young";
    permutations: number | null;
    alpha: number;
    depth: number;
    min_n: number;
    skipped: number;
    /** Why the table is empty, when no slice reaches min_n. */
    reason: string | null;
  };
}

/** Every slice up to `depth` conditions against its rest, p-values adjusted over the whole search. */
export function discover(
  columns: Record<string, ArrayLike<string | number | null>>,
  options: DiscoverOptions,
): Discovery;
/** keyness: the words and phrases that set one group's comments apart (see the book's keyness chapter). */
export interface KeynessOptions {
  /** The group examined (required with groups; with answers, the metric's worst category by default). */
  target?: string;
  /** The group it is compared with, or `"rest"` (default with groups; with answers, the best category). */
  reference?: string;
  /** [shortest, longest] n-gram (default [1, 2]). */
  ngrams?: [number, number];
  /** `"english"` (default: Snowball's less negations and intensifiers), `"none"`, or a list of words. */
  stop_words?: "english" | "none" | string[];
  /** Fewest mentions (both groups) for a term to be listed and tested (default 5). */
  min_count?: number;
  /** Fewest comments per group for the terms to be tested (default 30). */
  min_n?: number;
  level?: number;
  /** Multiplicity correction across the tested terms (default `benjamini_hochberg`). */
  correction?: Correction;
  /** An extra column on occurrences, as quanteda's textstat_keyness (`chi2`, `lr`, `pmi`) or tidylo. */
  statistic?: KeynessStatistic;
  /** The memory cap, in distinct terms (default 10,000,000). */
  max_terms?: number;
  /** `skip` leaves out rows whose group (or answer) is missing. */
  missing?: Missing;
}

/** Keyness options when the groups are the periods of each row's date (`groups` null). */
export interface KeynessPeriodOptions extends KeynessOptions {
  /** One date per row (ISO texts, `Date`s or day numbers, as `trend`): the groups are its periods, by
   * default the latest against the one before. Target and reference are period labels (`"2025-Q3"`). */
  dates: ArrayLike<string | null> | ArrayLike<Date | number | null>;
  /** How dates are binned (default `month`). */
  every?: Every;
}

/** One table per segment: each row's segment, or several columns of them (crossed, `"North × web"`). */
export interface KeynessSegments {
  segments: KeynessLabels;
}

/** Group labels per row, or several columns of them (crossed, as `"North × web"`). */
export type KeynessLabels = ArrayLike<string | number | null> | ArrayLike<string | number | null>[];

/** Keyness options when the groups are the categories of each row's answer (`groups` null). */
export interface KeynessAnswerOptions extends KeynessOptions, Omit<ClassifyOptions, "missing"> {
  /** One answer per row: the groups are their categories (detractors against promoters by default). */
  answers: Answers;
}

/** One term of a keyness table: mention rates in percent, differences in points. */
export interface KeynessRow {
  term: string;
  target_mentions: number;
  reference_mentions: number;
  target_occurrences: number;
  reference_occurrences: number;
  target_rate: number;
  reference_rate: number;
  difference: number;
  difference_lower: number;
  difference_upper: number;
  /** Display log-odds ratio with an informative Dirichlet prior (never changes p or q). */
  log_odds: number;
  /** The score test's z; null when a group is low n. */
  statistic: number | null;
  p_value: number | null;
  q_value: number | null;
  rank: number;
  side: Side;
  chi2?: number;
  lr?: number;
  pmi?: number;
  weighted_log_odds?: number;
  /** The z of log_odds (Fightin' Words, as scattertext), when asked for. */
  log_odds_z?: number;
}

export interface Keyness {
  target: string;
  reference: string;
  target_texts: number;
  reference_texts: number;
  target_tokens: number;
  reference_tokens: number;
  low_n: boolean;
  tested: number;
  statistic: KeynessStatistic;
  terms: KeynessRow[];
}

/** Comments (`null`/`undefined` none) or token lists (a journey's steps, taken as words). */
export type Texts = ArrayLike<string | null | undefined> | ArrayLike<string[] | null | undefined>;

/** One segment's keyness table (q-values adjusted across every segment's tested terms). */
export interface SegmentKeyness extends Keyness {
  segment: string;
}

/** A keyness table per segment, by segment name; `tested` counts the family the correction covers. */
export interface KeynessBySegment {
  segments: SegmentKeyness[];
  tested: number;
  correction: Correction;
}

/** The terms that set the `target` group's comments apart from the `reference` group's; `groups` gives
 * each row's label (or columns of labels, crossed), or is null with `options.answers` (detractors against
 * promoters by default) or `options.dates` (the latest period against the one before by default).
 * `options.segments` asks for one table per segment. */
export function keyness(texts: Texts, groups: KeynessLabels, options: KeynessOptions & { target: string } & KeynessSegments): KeynessBySegment;
export function keyness(texts: Texts, groups: null, options: (KeynessAnswerOptions | KeynessPeriodOptions) & KeynessSegments): KeynessBySegment;
export function keyness(texts: Texts, groups: KeynessLabels, options: KeynessOptions & { target: string }): Keyness;
export function keyness(texts: Texts, groups: null, options: KeynessAnswerOptions | KeynessPeriodOptions): Keyness;
/** Each comment's terms with their occurrences, `[row, term, occurrences]` by row then term (for an engine). */
export function terms(texts: Texts, options?: { ngrams?: [number, number]; stop_words?: "english" | "none" | string[] }): [number, string, number][];
/** rake: weighting to population margins (see the book's "Weighting to the population" chapter). */
export interface RakeOptions {
  /** The raking variables (default: every variable of the margins). */
  by?: string[];
  /** The largest margin error accepted, max |achieved / target − 1| (default 1e-10). */
  tolerance?: number;
  /** Sweeps allowed before `not_converged` (default 1000). */
  max_sweeps?: number;
  /** Bounds [lower, upper] on each weight, as multiples of the mean weight (null leaves a side open). */
  trim?: [number | null, number | null];
  /** `trim` bounds are weights rather than multiples of the mean weight. */
  trim_absolute?: boolean;
  /** A row with a missing raking value: `error` (default) or `skip` (weight 0). */
  missing?: Missing;
}
/** Population margins: `{variable: {level: value}}` or `{variable, level, value}` records; shares when each
 * variable's values sum to 1, else counts whose totals agree. */
export type Margins = Record<string, Record<string, number>> | { variable: string; level: string | number; value: number }[];
/** One margin: its target (shares scaled to the total) and the weight its rows reach. */
export interface MarginCheck {
  variable: string;
  level: string;
  achieved: number;
  target: number;
}
/** How raking went, named alike in every language. */
export interface RakeDiagnostics {
  sweeps: number;
  converged: boolean;
  max_margin_error: number;
  worst_margin: MarginCheck;
  /** Kish's design effect, n·Σw²/(Σw)² = 1 + CV². */
  design_effect: number;
  effective_n: number;
  weight_min: number;
  weight_max: number;
  weight_ratio: number;
  total_weight: number;
  trimmed_rows: number;
  trim_cycles: number;
  n: number;
  skipped: number;
  cells: number;
  margins: MarginCheck[];
}
/** A raking column: level names, or numbers named as written (3 is the level "3"); null is missing. */
export type RakeLevels = ArrayLike<string | number | null>;
/** Weights (one per row) that make the rows match the margins; `base_weights` are design weights (default 1). */
export function rake(
  columns: Record<string, RakeLevels>,
  margins: Margins,
  options?: RakeOptions & { base_weights?: ArrayLike<number> },
): RakeDiagnostics & { weights: number[] };
/** Raking factors per row of a cells table (a GROUP BY of the raking variables with a count, and Σd, Σd²):
 * a cell's Σw is factor·Σd, its Σw² factor²·Σd². */
export function rakeCells(
  columns: Record<string, RakeLevels>,
  counts: ArrayLike<number>,
  margins: Margins,
  options?: RakeOptions & { sums?: ArrayLike<number>; squares?: ArrayLike<number> },
): RakeDiagnostics & { factors: number[] };
/** A score from raked weights: the estimate with the weights as fixed, and its calibration-aware standard
 * error (the raking variables' part removed; Deville & Särndal 1992, as R survey's calibrate + svymean); for
 * a segment, the segment against the rest (every other segment's rows): the difference with its calibrated
 * standard error (the difference linearised as one score), a Wald z test and the p-value adjusted across
 * the segments (null, and `significant` false, for the whole sample). */
export interface RakedEstimate {
  /** The segment, or null for the whole sample. */
  segment: string | null;
  estimate: Estimate;
  calibrated_standard_error: number | null;
  calibrated_lower: number | null;
  calibrated_upper: number | null;
  /** The rest's value. */
  reference_value: number | null;
  /** Segment − rest. */
  difference: number | null;
  difference_standard_error: number | null;
  difference_lower: number | null;
  difference_upper: number | null;
  /** difference / difference_standard_error. */
  statistic: number | null;
  p_value: number | null;
  adjusted_p_value: number | null;
  /** adjusted_p_value < alpha. */
  significant: boolean;
}
/** Scores of `answers` with raked weights, the whole sample then each `segment` by name, with calibrated
 * standard errors, and each segment against the rest (`correction`, default "holm" as benchmark's; `alpha`,
 * default 0.05); `metric` (default "nps") and its options, `level`. With `raking` — the result of `rake`
 * on the same columns, margins, base weights and options — it scores from those weights without raking
 * again (the core checks they are that raking's). */
export function rakeEstimate(
  columns: Record<string, RakeLevels>,
  margins: Margins,
  answers: ArrayLike<number | null>,
  options?: RakeOptions & {
    raking?: RakeDiagnostics & { weights: ArrayLike<number> };
    base_weights?: ArrayLike<number>;
    segment?: RakeLevels;
    metric?: MetricKind;
    level?: number;
    correction?: Correction;
    alpha?: number;
    scale?: [number, number];
    threshold?: number;
    version?: 1 | 2;
    top?: number;
    bottom?: number;
  },
): RakeDiagnostics & { rows: RakedEstimate[] };
export function npsResponsesNeeded(promoterShare: number, detractorShare: number, margin: number, level: number): number;
export function proportionResponsesNeeded(share: number, margin: number, level: number): number;
export function meanResponsesNeeded(sd: number, margin: number, level: number): number;
export function npsDetectableDifference(n: number, promoterShare: number, detractorShare: number, alpha: number, power: number): number;
export function proportionDetectableDifference(n: number, share: number, alpha: number, power: number): number;

/** Loads the lean WebAssembly module: every call but the analytics (browsers and bundlers: await it once
 * before the first call; in Node @cemscore/wasm loads synchronously on import and @cemscore/node needs no
 * loading, so it resolves at once). `input`: `{ module_or_path }`, the `.wasm`'s URL where a bundler moved it. */
export default function init(input?: unknown): Promise<unknown>;

/** Loads the analytics module — `drivers`, `discover`, `keyness`, `terms`, `rake`, `rakeCells`, `rakeEstimate`,
 * `fromCountsTable` — once, on first use (later calls return the same promise; a failed load can be
 * retried). In browsers and bundlers an analytics call made before it resolves throws; in Node both
 * packages resolve at once and the analytics calls work without it. `input`: `{ module_or_path }`, the URL
 * of `@cemscore/wasm/cemscore_analytics_bg.wasm` where a bundler moved it. */
export function loadAnalytics(input?: unknown): Promise<void>;

/** A view of `n` bytes for answers that every call reading answers counts in place, with no copy: in
 * @cemscore/wasm it lives in WebAssembly memory, in @cemscore/node it is a Uint8Array the addon reads in
 * place. One buffer, reused by every call that fits in it: `const buf = answersBuffer(n); buf.set(data);
 * nps(buf)` (or `nps(buf.subarray(0, k))`). In @cemscore/wasm a view is valid until the module's memory
 * grows (it is then detached: length 0, and a call given it throws a TypeError) or a larger `answersBuffer` call moves the buffer: take a fresh view
 * before each fill. Bytes not written hold what an earlier fill left. */
export function answersBuffer(n: number): Uint8Array;

export class Tally {
  constructor(scale: [number, number]);
  static fromCounts(counts: ArrayLike<number>, scale: [number, number]): Tally;
  static fromJSON(json: unknown): Tally;
  update(answers: Answers, options?: AnswerOptions): void;
  merge(other: Tally): void;
  /** The estimate of `metric` on this tally's scale. */
  estimate<K extends MetricKind>(metric: K, options?: MetricOptions[K]): Estimate;
  readonly n: number;
  readonly counts: Float64Array;
  readonly skipped: number;
  toJSON(): unknown;
}
