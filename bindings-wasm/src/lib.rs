//! `@cemscore/wasm`: cem-core for browsers, bundlers and Node, via wasm-bindgen.
//!
//! A binding converts types and errors and nothing else: each function makes one `cem_core::operations`
//! call, options objects travelling as JSON text the core reads strictly (exactly as from Python and Node,
//! so a key a call does not read is an error everywhere),
//! results are the core's JSON as plain objects, and errors are thrown as `Error` with `.code`, `.index`,
//! `.value`. JSON both ways also keeps the .wasm small: one serializer instead of one per type.

use cem_core::{operations, MetricKind, Tally as CoreTally};
use js_sys::JSON;
use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A JS `Error` carrying the core error's code, index and value.
fn js_error(e: cem_core::CemError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    let _ = Reflect::set(&err, &"index".into(), &e.index().map_or(JsValue::NULL, |i| (i as f64).into()));
    let _ = Reflect::set(&err, &"value".into(), &e.value().map_or(JsValue::NULL, JsValue::from));
    err.into()
}

fn type_error(msg: &str) -> JsValue {
    js_sys::TypeError::new(msg).into()
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    let text = serde_json::to_string(v).map_err(|e| type_error(&e.to_string()))?;
    JSON::parse(&text)
}

/// A JS value as JSON text.
fn stringify(v: &JsValue) -> Result<String, JsValue> {
    JSON::stringify(v)?.as_string().ok_or_else(|| type_error("expected a JSON-serializable value"))
}

/// Splits the options object into the options' JSON text and the `weights` array (an input, not an option).
fn read_options(opts: &JsValue) -> Result<(String, Option<Vec<f64>>), JsValue> {
    if opts.is_undefined() || opts.is_null() {
        return Ok((String::new(), None));
    }
    let copy = Object::assign(&Object::new(), opts.unchecked_ref());
    let weights = Reflect::get(&copy, &"weights".into())?;
    let _ = Reflect::delete_property(&copy, &"weights".into());
    let weights = if weights.is_undefined() || weights.is_null() { None } else { Some(numbers(&weights)?) };
    Ok((stringify(&copy.into())?, weights))
}

/// Answers as numbers: TypedArrays are copied into wasm memory in one block (no per-element JS work);
/// plain arrays are read element by element, `null`/`undefined`/`NaN` becoming missing.
fn numbers(v: &JsValue) -> Result<Vec<f64>, JsValue> {
    macro_rules! typed {
        ($($t:ty),*) => {$(
            if let Some(a) = v.dyn_ref::<$t>() {
                return Ok(a.to_vec().into_iter().map(f64::from).collect());
            }
        )*};
    }
    typed!(
        js_sys::Float64Array,
        js_sys::Float32Array,
        js_sys::Int32Array,
        js_sys::Uint32Array,
        js_sys::Int16Array,
        js_sys::Uint16Array,
        js_sys::Int8Array
    );
    if let Some(a) = v.dyn_ref::<js_sys::Uint8Array>() {
        return Ok(a.to_vec().into_iter().map(f64::from).collect());
    }
    if let Some(a) = v.dyn_ref::<Array>() {
        return Ok(a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect());
    }
    Err(type_error("answers must be an array or a TypedArray of numbers"))
}

fn kind(name: &str) -> Result<MetricKind, JsValue> {
    name.parse().map_err(js_error)
}

/// The estimate of metric `kind` from answers; Uint8Array takes the byte path (validated by bounds,
/// counted without a per-answer check).
fn estimate(kind: MetricKind, answers: &JsValue, opts: &JsValue) -> Result<JsValue, JsValue> {
    let (o, weights) = read_options(opts)?;
    let w = weights.as_deref();
    let e = match answers.dyn_ref::<js_sys::Uint8Array>() {
        Some(bytes) => operations::estimate(kind, &bytes.to_vec(), w, o.as_str()),
        None => operations::estimate(kind, &numbers(answers)?, w, o.as_str()),
    };
    to_js(&e.map_err(js_error)?)
}

/// Net Promoter Score of 0–10 answers (an array, a TypedArray or a `Tally`).
#[wasm_bindgen]
pub fn nps(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::Nps, answers, options)
}

/// CSAT: % of answers at or above the threshold (default top-2-box on 1–5).
#[wasm_bindgen]
pub fn csat(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::Csat, answers, options)
}

/// Customer Effort Score (version 2 by default): the mean answer, with `easy_share`.
#[wasm_bindgen]
pub fn ces(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::Ces, answers, options)
}

/// % of answers at or above `threshold` on `scale`.
#[wasm_bindgen(js_name = topBox)]
pub fn top_box(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::TopBox, answers, options)
}

/// % of answers at or below `threshold` on `scale`.
#[wasm_bindgen(js_name = bottomBox)]
pub fn bottom_box(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::BottomBox, answers, options)
}

/// % at or above `top` minus % at or below `bottom`, on `scale`.
#[wasm_bindgen(js_name = netBox)]
pub fn net_box(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::NetBox, answers, options)
}

/// Mean answer on `scale`.
#[wasm_bindgen]
pub fn mean(answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    estimate(MetricKind::Mean, answers, options)
}

/// NPS from group counts `{detractors, passives, promoters}` (read strictly by the core).
#[wasm_bindgen(js_name = npsFromCounts)]
pub fn nps_from_counts(counts: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let counts = operations::from_json("counts", stringify(counts)?.as_str()).map_err(js_error)?;
    to_js(&operations::nps_from_counts(counts, read_options(options)?.0.as_str()).map_err(js_error)?)
}

fn estimate_of(v: JsValue) -> Result<cem_core::Estimate, JsValue> {
    operations::from_json("estimate", stringify(&v)?.as_str()).map_err(js_error)
}

/// Compares two estimates: `a − b`, its interval, statistic and p-value.
#[wasm_bindgen]
pub fn compare(a: JsValue, b: JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let o = read_options(options)?.0;
    to_js(&operations::compare(&estimate_of(a)?, &estimate_of(b)?, o.as_str()).map_err(js_error)?)
}

/// Compares an estimate with a benchmark value (`value_se` for the benchmark's own standard error).
#[wasm_bindgen(js_name = compareTo)]
pub fn compare_to(estimate: JsValue, value: f64, options: &JsValue) -> Result<JsValue, JsValue> {
    let o = read_options(options)?.0;
    to_js(&operations::compare_to(&estimate_of(estimate)?, value, o.as_str()).map_err(js_error)?)
}

/// Multiplicity-adjusted p-values (`correction`: holm by default).
#[wasm_bindgen(js_name = adjustPvalues)]
pub fn adjust_pvalues(pvalues: &JsValue, options: &JsValue) -> Result<Vec<f64>, JsValue> {
    let o = read_options(options)?.0;
    operations::adjust_pvalues(&numbers(pvalues)?, o.as_str()).map_err(js_error)
}

/// Segment keys from an array or TypedArray, each named as JavaScript writes it (`String(k)`, as in
/// @cemscore/node); `null`, `undefined` and `NaN` are missing keys, which the core refuses. `benchmark`
/// reads a Uint32Array as numbers without this.
fn keys(segments: &JsValue) -> Result<Vec<Option<String>>, JsValue> {
    let array = match segments.dyn_ref::<Array>() {
        Some(a) => a.clone(),
        None if segments.is_object() && Reflect::has(segments, &"length".into())? => Array::from(segments),
        None => return Err(type_error("segments must be an array or a TypedArray of keys")),
    };
    let missing = |k: &JsValue| k.is_null() || k.is_undefined() || k.as_f64().is_some_and(f64::is_nan);
    Ok(array
        .iter()
        .map(|k| match k.as_string() {
            Some(s) => Some(s),
            None if missing(&k) => None,
            None => Some(k.unchecked_ref::<Object>().to_string().into()),
        })
        .collect())
}

/// Benchmarks every segment against the reference (`against`: rest by default), Holm-adjusted.
#[wasm_bindgen]
pub fn benchmark(segments: &JsValue, answers: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let (o, weights) = read_options(options)?;
    let bytes = answers.dyn_ref::<js_sys::Uint8Array>().map(|b| b.to_vec());
    let floats = if bytes.is_none() { Some(numbers(answers)?) } else { None };
    // Segment numbers are named by their decimal forms, with no string made per row.
    let numbered = segments.dyn_ref::<js_sys::Uint32Array>().map(|n| n.to_vec());
    let keys = if numbered.is_none() { Some(keys(segments)?) } else { None };
    let w = weights.as_deref();
    let table = operations::benchmark(o.as_str(), |s, missing| match (&numbered, &keys, &bytes, &floats) {
        (Some(n), _, Some(b), _) => s.update_numbered(n, b, w, missing),
        (Some(n), _, _, Some(f)) => s.update_numbered(n, f, w, missing),
        (_, Some(k), Some(b), _) => s.update_keys(k, b, w, missing),
        (_, Some(k), _, Some(f)) => s.update_keys(k, f, w, missing),
        _ => Ok(()),
    });
    to_js(&table.map_err(js_error)?)
}

/// Benchmarks segments given as pre-aggregated counts: `{key: counts per point}`.
#[wasm_bindgen(js_name = benchmarkFromCounts)]
pub fn benchmark_from_counts(counts: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let o = read_options(options)?.0;
    let object: &Object = counts.dyn_ref().ok_or_else(|| type_error("counts is an object {key: counts}"))?;
    let mut keys = Vec::new();
    let mut rows = Vec::new();
    for entry in Object::entries(object).iter() {
        let pair: Array = entry.unchecked_into();
        keys.push(pair.get(0).as_string().unwrap_or_default());
        rows.push(numbers(&pair.get(1))?);
    }
    to_js(&operations::benchmark_counts(&keys, &rows, o.as_str()).map_err(js_error)?)
}

/// Responses needed for an NPS margin of error (points) at `level`.
#[wasm_bindgen(js_name = npsResponsesNeeded)]
pub fn nps_responses_needed(
    promoter_share: f64,
    detractor_share: f64,
    margin: f64,
    level: f64,
) -> Result<f64, JsValue> {
    cem_core::nps_responses_needed(promoter_share, detractor_share, margin, level).map(|n| n as f64).map_err(js_error)
}

/// Responses needed for a proportion's margin of error (percent) at `level`.
#[wasm_bindgen(js_name = proportionResponsesNeeded)]
pub fn proportion_responses_needed(share: f64, margin: f64, level: f64) -> Result<f64, JsValue> {
    cem_core::proportion_responses_needed(share, margin, level).map(|n| n as f64).map_err(js_error)
}

/// Responses needed for a mean's margin of error at `level`.
#[wasm_bindgen(js_name = meanResponsesNeeded)]
pub fn mean_responses_needed(sd: f64, margin: f64, level: f64) -> Result<f64, JsValue> {
    cem_core::mean_responses_needed(sd, margin, level).map(|n| n as f64).map_err(js_error)
}

/// Smallest NPS difference two groups of `n` detect at `alpha` with `power`.
#[wasm_bindgen(js_name = npsDetectableDifference)]
pub fn nps_detectable_difference(
    n: f64,
    promoter_share: f64,
    detractor_share: f64,
    alpha: f64,
    power: f64,
) -> Result<f64, JsValue> {
    cem_core::nps_detectable_difference(n, promoter_share, detractor_share, alpha, power).map_err(js_error)
}

/// Smallest difference of proportions two groups of `n` detect at `alpha` with `power`.
#[wasm_bindgen(js_name = proportionDetectableDifference)]
pub fn proportion_detectable_difference(n: f64, share: f64, alpha: f64, power: f64) -> Result<f64, JsValue> {
    cem_core::proportion_detectable_difference(n, share, alpha, power).map_err(js_error)
}

/// Counts per scale point: mergeable and serializable (`toJSON` / `Tally.fromJSON`).
#[wasm_bindgen]
pub struct Tally {
    inner: CoreTally,
}

#[wasm_bindgen]
impl Tally {
    /// An empty tally on `scale` (`[min, max]`).
    #[wasm_bindgen(constructor)]
    pub fn new(scale: Vec<i32>) -> Result<Tally, JsValue> {
        Ok(Tally { inner: CoreTally::new(operations::scale(&scale).map_err(js_error)?) })
    }
    /// A tally from counts per point, lowest first.
    #[wasm_bindgen(js_name = fromCounts)]
    pub fn from_counts(counts: Vec<f64>, scale: Vec<i32>) -> Result<Tally, JsValue> {
        Ok(Tally { inner: operations::tally_from_counts(&scale, &counts).map_err(js_error)? })
    }
    /// Adds answers; on error nothing is added.
    pub fn update(&mut self, answers: &JsValue, options: &JsValue) -> Result<(), JsValue> {
        // Counted into a part of its own, so a failure leaves this tally as it was.
        let (o, weights) = read_options(options)?;
        let (mut part, w) = (CoreTally::new(self.inner.scale()), weights.as_deref());
        match answers.dyn_ref::<js_sys::Uint8Array>() {
            Some(bytes) => operations::update(&mut part, &bytes.to_vec(), w, o.as_str()),
            None => operations::update(&mut part, &numbers(answers)?, w, o.as_str()),
        }
        .map_err(js_error)?;
        self.inner.merge(&part).map_err(js_error)
    }
    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) -> Result<(), JsValue> {
        self.inner.merge(&other.inner).map_err(js_error)
    }
    /// The estimate of `metric` (`"nps"`, `"csat"`, …) on this tally.
    pub fn estimate(&self, metric: &str, options: &JsValue) -> Result<JsValue, JsValue> {
        let o = read_options(options)?.0;
        to_js(&operations::estimate_tally(kind(metric)?, &self.inner, o.as_str()).map_err(js_error)?)
    }
    /// Answers counted.
    #[wasm_bindgen(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n() as f64
    }
    /// Counts per point.
    #[wasm_bindgen(getter)]
    pub fn counts(&self) -> Vec<f64> {
        self.inner.counts().iter().map(|&c| c as f64).collect()
    }
    /// Missing answers skipped.
    #[wasm_bindgen(getter)]
    pub fn skipped(&self) -> f64 {
        self.inner.skipped() as f64
    }
    /// The core's JSON form.
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner)
    }
    /// A tally from its JSON form.
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(v: JsValue) -> Result<Tally, JsValue> {
        operations::from_json("tally", stringify(&v)?.as_str()).map(|inner| Tally { inner }).map_err(js_error)
    }
}
