// The native addon's side of @cemscore/node (index.js picks it when the addon loads): the API of
// @cemscore/wasm (the same index.d.ts) over the addon, plus `npsAsync` / `benchmarkAsync` / `classifyAsync`,
// which run off the event loop. Glue only: options become the JSON text the core reads strictly, `weights`
// (an input of the calls that read answers) travel as their own Float64Array, and native errors (whose
// message is the core's error JSON) are rethrown as Error with `.code`, `.index`, `.value`.
import { createRequire } from "node:module";

// napi-rs's loader (native.cjs): the .node beside it (a checkout's build), else the package
// @cemscore/node-<platform> that npm installed from the optionalDependencies (os, cpu and libc chosen).
// Used only inside the functions below, so this module loads without it.
let native = null;
/** Why no native addon loaded (null when one did). */
export let loadError = null;
try {
  native = createRequire(import.meta.url)("./native.cjs");
} catch (e) {
  loadError = e;
}

function rethrow(e) {
  let info;
  try {
    info = JSON.parse(e.message);
  } catch {
    throw e;
  }
  const err = new Error(info.message);
  Object.assign(err, { code: info.code, index: info.index, value: info.value });
  throw err;
}

const guard = (f) => {
  try {
    return f();
  } catch (e) {
    return rethrow(e);
  }
};

// Estimates, tallies and results cross as the core's JSON text, as in the WASM package.
const parsed = (f) => JSON.parse(guard(f));
// Any value as JSON text for the core to read ("" when there is nothing to write: the core refuses it
// as it refuses any other text that is not what it reads).
const text = (v) => JSON.stringify(v) ?? "";
// Options as JSON text; none (undefined) is every default.
const opts = (options) => JSON.stringify(options);

const NATIVE_ARRAYS = [Uint8Array, Float64Array, Int32Array, Uint32Array, Float32Array];
// TypedArrays the addon reads in place pass through; other TypedArrays are widened once.
// Plain arrays holding text, booleans or objects go through the core's one rule for such answers
// (native.readAnswers: "9" is 9, blank is missing, other text not_a_number, booleans unsupported_answers).
const notNumber = (x) => typeof x !== "number" && x !== null && x !== undefined;
const answers = (a) => (Array.isArray(a) && a.some(notNumber)
  ? guard(() => native.readAnswers(a.map((x) => x ?? null)))
  : ArrayBuffer.isView(a) && !NATIVE_ARRAYS.some((T) => a instanceof T) ? Float64Array.from(a) : a);

// The options of a call that reads answers: `weights` taken out (as a Float64Array; a non-number is NaN,
// an invalid weight, as in @cemscore/wasm) and the rest as JSON text.
function split(options) {
  if (options === null || typeof options !== "object") return [undefined, opts(options)];
  const { weights, ...rest } = options;
  const w = weights === undefined || weights === null ? undefined
    : weights instanceof Float64Array ? weights : Float64Array.from(weights, (x) => (typeof x === "number" ? x : NaN));
  return [w, JSON.stringify(rest)];
}

const estimator = (kind) => (values, options) => {
  const [w, o] = split(options);
  return parsed(() => native.estimate(kind, answers(values), w, o));
};

const nps = estimator("nps");
const csat = estimator("csat");
const ces = estimator("ces");
const topBox = estimator("top_box");
const bottomBox = estimator("bottom_box");
const netBox = estimator("net_box");
const mean = estimator("mean");

async function npsAsync(values, options) {
  const [w, o] = split(options);
  try {
    return JSON.parse(await native.estimateAsync("nps", answers(values), w, o));
  } catch (e) {
    return rethrow(e);
  }
}

// Each code becomes its name (one string per category, shared by its rows); 255 is a missing answer.
const named = ({ codes, names }) => Array.from(codes, (c) => names[c] ?? null);
const classify = (values, options) => named(guard(() => native.classify(answers(values), opts(options))));

async function classifyAsync(values, options) {
  try {
    return named(await native.classifyAsync(answers(values), opts(options)));
  } catch (e) {
    return rethrow(e);
  }
}

const fromCountsTable = (rows, options) => parsed(() => native.fromCountsTable(text(rows), opts(options)));
const npsFromCounts = (c, options) => parsed(() => native.npsFromCounts(text(c), opts(options)));
const compare = (a, b, options) => parsed(() => native.compare(text(a), text(b), opts(options)));
const compareTo = (e, value, options) => parsed(() => native.compareTo(text(e), value, opts(options)));
const adjustPvalues = (p, options) => guard(() => native.adjustPvalues(Array.from(p), opts(options)));

// Keys as strings; null, undefined and NaN stay null: a missing key, which the core refuses.
const segmentKeys = (s) =>
  s instanceof Uint32Array ? s : Array.from(s, (k) => (k === null || k === undefined || Number.isNaN(k) ? null : String(k)));

function benchmark(segments, values, options) {
  const [w, o] = split(options);
  return parsed(() => native.benchmark(segmentKeys(segments), answers(values), w, o));
}

async function benchmarkAsync(segments, values, options) {
  const [w, o] = split(options);
  try {
    return JSON.parse(await native.benchmarkAsync(segmentKeys(segments), answers(values), w, o));
  } catch (e) {
    return rethrow(e);
  }
}

// Dates as the addon reads them: ISO texts as they are, or Dates (their UTC day) and day numbers as a
// Float64Array (null, undefined and invalid Dates NaN: missing).
function dates(d) {
  const all = Array.from(d);
  if (all.every((x) => typeof x === "string" || x === null || x === undefined)) return all.map((x) => x ?? null);
  return Float64Array.from(all, (x) => {
    if (x instanceof Date) return Math.floor(x.getTime() / 86400000);
    if (typeof x === "number") return x;
    if (x === null || x === undefined) return NaN;
    throw new TypeError("dates must be all ISO texts, or all Dates and day numbers");
  });
}

function trend(when, values, options) {
  const { segments, ...rest } = options ?? {};
  const [w, o] = split(rest);
  return parsed(() => native.trend(dates(when), segments === undefined || segments === null ? undefined : segmentKeys(segments),
    answers(values), w, o));
}

function benchmarkFromCounts(counts, options) {
  const keys = Object.keys(counts);
  return parsed(() => native.benchmarkFromCounts(keys, keys.map((k) => Array.from(counts[k])), opts(options)));
}

const npsResponsesNeeded = (...a) => guard(() => native.npsResponsesNeeded(...a));
const proportionResponsesNeeded = (...a) => guard(() => native.proportionResponsesNeeded(...a));
const meanResponsesNeeded = (...a) => guard(() => native.meanResponsesNeeded(...a));
const npsDetectableDifference = (...a) => guard(() => native.npsDetectableDifference(...a));
const proportionDetectableDifference = (...a) => guard(() => native.proportionDetectableDifference(...a));

// Key driver analysis: columns {name: numbers} as Float64Arrays (null and non-numbers are NaN, missing).
// With options.segments (one key per row): each segment's analysis, from one pass.
function drivers(columns, options) {
  const names = Object.keys(columns ?? {});
  const cols = names.map((k) => (columns[k] instanceof Float64Array ? columns[k]
    : Float64Array.from(columns[k], (x) => (typeof x === "number" ? x : NaN))));
  const { segments, ...rest } = options ?? {};
  if (segments === undefined || segments === null) return parsed(() => native.drivers(names, cols, opts(options)));
  return parsed(() => native.driversBySegment(names, cols, segmentKeys(segments), opts(rest)));
}

// Data-driven segments: columns {name: values}, each read as `column` reads it (below).
function discover(columns, options) {
  const names = Object.keys(columns ?? {});
  return parsed(() => native.discover(names, names.map((k) => column(columns[k])), opts(options)));
}
// Keyness: texts (or token lists) as JSON values (undefined and NaN are no comment); groups one label per
// row, or null with options.answers (detractors against promoters by default).
const comments = (texts) => Array.from(texts ?? [], (t) => (t === undefined || Number.isNaN(t) ? null : t));
// Label columns: an array of labels, or an array of such arrays (columns, crossed).
const labels = (c) => Array.from(c, (k) => (k === null || k === undefined || Number.isNaN(k) ? null : String(k)));
const labelColumns = (g) => (g === null || g === undefined ? undefined
  : Array.from(g).length > 0 && Array.from(g).every(Array.isArray) ? Array.from(g, labels) : [labels(g)]);

function keyness(texts, groups, options) {
  const { answers: a, dates: d, segments: s, ...rest } = options ?? {};
  const values = a === null || a === undefined ? undefined : answers(a);
  const when = d === null || d === undefined ? undefined : dates(d);
  return parsed(() => native.keyness(comments(texts), labelColumns(groups), values, when, labelColumns(s),
    opts(options === undefined ? undefined : rest)));
}
const terms = (texts, options) => parsed(() => native.terms(comments(texts), opts(options)));
// A column of discover or rake: keys (texts; null/undefined/NaN missing) unless it holds only numbers (a
// TypedArray, or numbers with null/undefined as missing), then a Float64Array (NaN missing).
const floats = (a) => (a === undefined || a === null ? undefined
  : a instanceof Float64Array ? a : Float64Array.from(a, (x) => (typeof x === "number" ? x : NaN)));
const isNumbers = (c) => ArrayBuffer.isView(c) || (Array.from(c).every((x) => typeof x === "number" || x == null)
  && Array.from(c).some((x) => typeof x === "number"));
const column = (c) => (isNumbers(c) ? floats(c)
  : Array.from(c, (k) => (k === null || k === undefined || Number.isNaN(k) ? null : String(k))));

// Raking: margins and options as JSON text; `base_weights` (rows) or `sums` and `squares` (a cells table)
// taken out of the options as Float64Arrays.

function rake(columns, margins, options) {
  const names = Object.keys(columns ?? {});
  const { base_weights: base, ...rest } = options ?? {};
  const cols = names.map((k) => column(columns[k]));
  return parsed(() => native.rake(names, cols, text(margins), floats(base), opts(rest)));
}

// With `raking` (rake()'s result on the same rows, margins and options) the core scores from its weights
// without raking again.
function rakeEstimate(columns, margins, answersIn, options) {
  const names = Object.keys(columns ?? {});
  const { base_weights: base, segment, metric, raking, ...rest } = options ?? {};
  const cols = names.map((k) => column(columns[k]));
  const seg = segment === undefined || segment === null ? undefined : column(segment);
  let weights, diagnostics;
  if (raking !== undefined && raking !== null) {
    if (typeof raking !== "object") throw new TypeError("raking is the result of rake()");
    ({ weights, ...diagnostics } = raking);
    weights = floats(weights ?? []);
    diagnostics = text(diagnostics);
  }
  return parsed(() => native.rakeEstimate(names, cols, text(margins), metric ?? "nps", floats(answersIn), floats(base),
    seg, opts(rest), weights, diagnostics));
}

function rakeCells(columns, counts, margins, options) {
  const names = Object.keys(columns ?? {});
  const { sums, squares, ...rest } = options ?? {};
  const cols = names.map((k) => column(columns[k]));
  return parsed(() => native.rakeCells(names, cols, floats(counts), text(margins), floats(sums), floats(squares),
    opts(rest)));
}

class Tally {
  constructor(scale, inner) {
    this._inner = inner ?? guard(() => new native.Tally(scale));
  }
  static fromCounts(counts, scale) {
    return new Tally(scale, guard(() => native.Tally.fromCounts(Array.from(counts), scale)));
  }
  static fromJSON(json) {
    return new Tally(null, guard(() => native.Tally.fromJSON(text(json))));
  }
  update(values, options) {
    const [w, o] = split(options);
    guard(() => this._inner.update(answers(values), w, o));
  }
  merge(other) {
    guard(() => this._inner.merge(other._inner));
  }
  estimate(metric, options) {
    return parsed(() => this._inner.estimate(metric, opts(options)));
  }
  get n() {
    return this._inner.n;
  }
  get counts() {
    return this._inner.counts;
  }
  get skipped() {
    return this._inner.skipped;
  }
  toJSON() {
    return JSON.parse(this._inner.toJSON());
  }
}

/** The analytics are in the addon itself; kept so code written for @cemscore/wasm runs unchanged. */
async function loadAnalytics() {}

// The addon reads TypedArrays in place, so the answers buffer is an ordinary Uint8Array, reused while it
// is large enough (as @cemscore/wasm's, which lives in WebAssembly memory).
let buffer = new Uint8Array(0);
/** A Uint8Array of `n` bytes for answers, reused across calls: `answersBuffer(n).set(data)`. */
function answersBuffer(n) {
  if (buffer.length < n) buffer = new Uint8Array(n);
  return buffer.subarray(0, n);
}

export {
  loadAnalytics, answersBuffer,
  nps, npsAsync, npsFromCounts, csat, ces, topBox, bottomBox, netBox, mean, compare, compareTo, adjustPvalues,
  benchmark, benchmarkAsync, benchmarkFromCounts, fromCountsTable, trend, npsResponsesNeeded, proportionResponsesNeeded,
  meanResponsesNeeded, npsDetectableDifference, proportionDetectableDifference, Tally, classify, classifyAsync,
  drivers, discover, keyness, terms, rake, rakeCells, rakeEstimate,
};
