//! `@cemscore/wasm`: cem-core for browsers, bundlers and Node, via wasm-bindgen.
//!
//! A binding converts types and errors and nothing else: each exported function converts its inputs,
//! makes one `cem_core::operations` call and converts the result. Options objects travel as their JSON
//! text and are read strictly by the core (as from Python and Node: a key the call does not read is an
//! error everywhere); `weights`, an input rather than an option, is taken out first by the calls that read
//! answers. Results are the core's JSON as plain objects; every core error is thrown as an `Error` with
//! `.code`, `.index`, `.value` ([`Thrown`]). JSON both ways also keeps the .wasm small: one serializer
//! instead of one per type.

// Two modules from this one crate (docs/src/javascript.md, "Two modules"): `scores` exports the calls a
// dashboard needs first (scores, intervals, comparisons, planning, benchmark, trend, classify, the Tally,
// the answers buffer), `analytics` the rest (key drivers, discover, keyness, raking, counts tables). A
// build with one of them leaves the other's helpers unused.
#![cfg_attr(not(all(feature = "scores", feature = "analytics")), allow(dead_code, unused_imports, unused_macros))]

#[cfg(feature = "scores")]
mod buffer;
#[cfg(feature = "analytics")]
mod discover;
#[cfg(feature = "analytics")]
mod drivers;
#[cfg(feature = "analytics")]
mod keyness;
#[cfg(feature = "analytics")]
mod rake;
use cem_core::{operations, CemError, MetricKind, Tally as CoreTally};
use js_sys::{Array, Object, Reflect, Uint32Array, Uint8Array, JSON};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What a call throws: a core error as an `Error` with `.code`, `.index` and `.value` (the one place
/// errors are mapped), or JavaScript's own error for a value no conversion can read (a `TypeError`).
pub struct Thrown(JsValue);

impl From<CemError> for Thrown {
    fn from(e: CemError) -> Thrown {
        let err = js_sys::Error::new(&e.to_string());
        let _ = Reflect::set(&err, &"code".into(), &e.code().into());
        let _ = Reflect::set(&err, &"index".into(), &e.index().map_or(JsValue::NULL, |i| (i as f64).into()));
        // The offending value: a number, or the text of an answer given as text that is not a number.
        let value = match e.text() {
            Some(t) => JsValue::from(t),
            None => e.value().map_or(JsValue::NULL, JsValue::from),
        };
        let _ = Reflect::set(&err, &"value".into(), &value);
        Thrown(err.into())
    }
}

impl From<JsValue> for Thrown {
    fn from(v: JsValue) -> Thrown {
        Thrown(v)
    }
}

impl From<Thrown> for JsValue {
    fn from(t: Thrown) -> JsValue {
        t.0
    }
}

type Result<T> = std::result::Result<T, Thrown>;

fn type_error(msg: &str) -> Thrown {
    Thrown(js_sys::TypeError::new(msg).into())
}

/// A result as a plain object, through the core's JSON.
fn to_js<T: Serialize>(v: &T) -> Result<JsValue> {
    parsed(serde_json::to_string(v))
}

/// JSON text as a plain object. Not generic, and not inlined into `to_js`: one copy for every result type.
#[inline(never)]
fn parsed(text: serde_json::Result<String>) -> Result<JsValue> {
    let text = text.map_err(|e| type_error(&e.to_string()))?;
    Ok(JSON::parse(&text)?)
}

/// A JS value as JSON text for the core to read: `undefined` (nothing to stringify) is `""`, every default.
fn text(v: &JsValue) -> Result<String> {
    Ok(JSON::stringify(v)?.as_string().unwrap_or_default())
}

/// The options of a call that reads answers: their JSON text without the `inputs` it carries
/// (`weights`, a trend's `segments`), and those inputs (`None` where absent or null).
fn split<const N: usize>(opts: &JsValue, inputs: [&str; N]) -> Result<(String, [Option<JsValue>; N])> {
    let mut taken = [(); N].map(|_| None);
    if !opts.is_object() {
        return Ok((text(opts)?, taken));
    }
    let copy = Object::assign(&Object::new(), opts.unchecked_ref());
    for (name, slot) in inputs.iter().zip(taken.iter_mut()) {
        let v = Reflect::get(&copy, &(*name).into())?;
        Reflect::delete_property(&copy, &(*name).into())?;
        *slot = (!v.is_undefined() && !v.is_null()).then_some(v);
    }
    Ok((text(&copy)?, taken))
}

/// The options of a call that reads answers: their JSON text without `weights`, and the weights.
fn with_weights(opts: &JsValue) -> Result<(String, Option<Vec<f64>>)> {
    let (o, [w]) = split(opts, ["weights"])?;
    Ok((o, w.as_ref().map(numbers).transpose()?))
}

/// Numbers: TypedArrays are copied into wasm memory in one block (no per-element JS work; other than
/// Float64Array, converted to one by JavaScript first, exactly, so that one copy loop serves every type);
/// plain arrays are read element by element, `null`/`undefined`/`NaN` becoming missing.
fn numbers(v: &JsValue) -> Result<Vec<f64>> {
    if let Some(a) = v.dyn_ref::<js_sys::Float64Array>() {
        return Ok(a.to_vec());
    }
    macro_rules! typed {
        ($($t:ty),*) => {
            if false $(|| v.has_type::<$t>())* {
                return Ok(js_sys::Float64Array::new(v).to_vec());
            }
        };
    }
    typed!(
        js_sys::Float32Array,
        js_sys::Int32Array,
        Uint32Array,
        js_sys::Int16Array,
        js_sys::Uint16Array,
        js_sys::Int8Array,
        Uint8Array
    );
    match v.dyn_ref::<Array>() {
        Some(a) => Ok(a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()),
        None => Err(type_error("answers must be an array or a TypedArray of numbers")),
    }
}

/// Answers: as `numbers`, except that a plain array's elements follow the core's one rule for answers
/// that are not numbers: text is read by `cem_core::answer_from_text` ("9" is 9, blank is missing, other
/// text `not_a_number`), and booleans or objects are `unsupported_answers` (never a silent missing).
fn answer_numbers(v: &JsValue) -> Result<Vec<f64>> {
    let Some(a) = v.dyn_ref::<Array>() else { return numbers(v) };
    a.iter()
        .enumerate()
        .map(|(i, x)| match (x.as_f64(), x.as_string()) {
            (Some(n), _) => Ok(n),
            _ if x.is_null() || x.is_undefined() => Ok(f64::NAN),
            (None, Some(t)) => Ok(cem_core::answer_from_text(i, &t)?),
            (None, None) => Err(CemError::unsupported_answers(&x.js_typeof().as_string().unwrap_or_default()).into()),
        })
        .collect()
}

/// Answers as the core counts them: a Uint8Array as bytes (the SIMD byte path; a view of the answers
/// buffer read in place, any other copied in one block), anything else as numbers.
enum Answers {
    #[cfg(feature = "scores")]
    InPlace(buffer::Lent),
    Bytes(Vec<u8>),
    Numbers(Vec<f64>),
}

impl Answers {
    fn of(v: &JsValue) -> Result<Answers> {
        let Some(bytes) = v.dyn_ref::<Uint8Array>() else { return Ok(Answers::Numbers(answer_numbers(v)?)) };
        #[cfg(feature = "scores")]
        if let Some(lent) = buffer::Lent::of(bytes) {
            return Ok(Answers::InPlace(lent));
        }
        Ok(Answers::Bytes(bytes.to_vec()))
    }
}

/// `$body` with `$a` bound to the answers as a slice of their own type.
macro_rules! each {
    ($answers:expr, |$a:ident| $body:expr) => {
        match $answers {
            #[cfg(feature = "scores")]
            Answers::InPlace(lent) => {
                let $a = lent.get();
                $body
            }
            Answers::Bytes($a) => $body,
            Answers::Numbers($a) => $body,
        }
    };
}

fn estimate(kind: MetricKind, answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, w) = with_weights(options)?;
    let answers = Answers::of(answers)?;
    to_js(&each!(&answers, |a| operations::estimate(kind, a, w.as_deref(), o.as_str()))?)
}

/// Net Promoter Score of 0–10 answers (an array or a TypedArray).
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn nps(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::Nps, answers, options)
}

/// CSAT: % of answers at or above the threshold (default top-2-box on 1–5).
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn csat(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::Csat, answers, options)
}

/// Customer Effort Score (version 2 by default): the mean answer, with `easy_share`.
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn ces(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::Ces, answers, options)
}

/// % of answers at or above `threshold` on `scale`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = topBox)]
pub fn top_box(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::TopBox, answers, options)
}

/// % of answers at or below `threshold` on `scale`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = bottomBox)]
pub fn bottom_box(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::BottomBox, answers, options)
}

/// % at or above `top` minus % at or below `bottom`, on `scale`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = netBox)]
pub fn net_box(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::NetBox, answers, options)
}

/// Mean answer on `scale`.
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn mean(answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    estimate(MetricKind::Mean, answers, options)
}

/// Each answer's category under `metric` (default `nps`): an array of names, `null` for a missing answer
/// skipped under `missing: "skip"`. Each name is made once as a JS string and shared by its rows.
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn classify(answers: &JsValue, options: &JsValue) -> Result<Array> {
    let answers = Answers::of(answers)?;
    let c = each!(&answers, |a| operations::classify(a, text(options)?.as_str()))?;
    let names: Vec<JsValue> = c.names.iter().map(|&n| JsValue::from_str(n)).collect();
    Ok(c.codes.iter().map(|&code| names.get(code as usize).cloned().unwrap_or(JsValue::NULL)).collect())
}

/// NPS from group counts `{detractors, passives, promoters}` (read strictly by the core).
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = npsFromCounts)]
pub fn nps_from_counts(counts: &JsValue, options: &JsValue) -> Result<JsValue> {
    let counts = operations::from_json("counts", text(counts)?.as_str())?;
    to_js(&operations::nps_from_counts(counts, text(options)?.as_str())?)
}

fn estimate_of(v: &JsValue) -> Result<cem_core::Estimate> {
    Ok(operations::from_json("estimate", text(v)?.as_str())?)
}

/// Compares two estimates: `a − b`, its interval, statistic and p-value.
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn compare(a: &JsValue, b: &JsValue, options: &JsValue) -> Result<JsValue> {
    to_js(&operations::compare(&estimate_of(a)?, &estimate_of(b)?, text(options)?.as_str())?)
}

/// Compares an estimate with a benchmark value (`value_se` for the benchmark's own standard error).
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = compareTo)]
pub fn compare_to(estimate: &JsValue, value: f64, options: &JsValue) -> Result<JsValue> {
    to_js(&operations::compare_to(&estimate_of(estimate)?, value, text(options)?.as_str())?)
}

/// Multiplicity-adjusted p-values (`correction`: holm by default).
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = adjustPvalues)]
pub fn adjust_pvalues(pvalues: &JsValue, options: &JsValue) -> Result<Vec<f64>> {
    Ok(operations::adjust_pvalues(&numbers(pvalues)?, text(options)?.as_str())?)
}

/// Segment keys from an array or TypedArray, each named as JavaScript writes it (`String(k)`, as in
/// @cemscore/node); `null`, `undefined` and `NaN` are missing keys, which the core refuses.
fn keys(segments: &JsValue) -> Result<Vec<Option<String>>> {
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

/// Segments as the core groups them: numbers from a Uint32Array (named by their decimal forms, with no
/// string made per row), or keys.
enum Segments {
    Numbers(Vec<u32>),
    Keys(Vec<Option<String>>),
}

impl Segments {
    fn of(segments: &JsValue) -> Result<Segments> {
        Ok(match segments.dyn_ref::<Uint32Array>() {
            Some(numbers) => Segments::Numbers(numbers.to_vec()),
            None => Segments::Keys(keys(segments)?),
        })
    }
}

/// Benchmarks every segment against the reference (`against`: rest by default), Holm-adjusted.
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn benchmark(segments: &JsValue, answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, w) = with_weights(options)?;
    let (answers, w) = (Answers::of(answers)?, w.as_deref());
    let segments = Segments::of(segments)?;
    let table = operations::benchmark(o.as_str(), |s, missing| match &segments {
        Segments::Numbers(n) => each!(&answers, |a| s.update_numbered(n, a, w, missing)),
        Segments::Keys(k) => each!(&answers, |a| s.update_keys(k, a, w, missing)),
    })?;
    to_js(&table)
}

/// Dates: ISO texts (`null`/`undefined` missing), or `Date`s and day numbers since 1970-01-01 (a `Date`
/// on its UTC calendar date; `null`, `NaN` and invalid Dates missing).
enum Dates {
    Text(Vec<Option<String>>),
    Days(Vec<f64>),
}

impl Dates {
    fn of(v: &JsValue) -> Result<Dates> {
        if v.dyn_ref::<Array>().is_none() {
            return Ok(Dates::Days(
                numbers(v).map_err(|_| type_error("dates must be an array of ISO texts, Dates or day numbers"))?,
            ));
        }
        let array: &Array = v.unchecked_ref();
        if array.iter().all(|d| d.is_string() || d.is_null() || d.is_undefined()) {
            return Ok(Dates::Text(array.iter().map(|d| d.as_string()).collect()));
        }
        array
            .iter()
            .map(|d| match (d.dyn_ref::<js_sys::Date>(), d.as_f64()) {
                (Some(date), _) => Ok((date.get_time() / 86_400_000.0).floor()),
                (None, Some(n)) => Ok(n),
                (None, None) if d.is_null() || d.is_undefined() => Ok(f64::NAN),
                _ => Err(type_error("dates must be all ISO texts, or all Dates and day numbers")),
            })
            .collect::<Result<Vec<f64>>>()
            .map(Dates::Days)
    }
}

/// The trend over periods (`every`: day, week, month (default), quarter, year), per segment when
/// `options.segments` is given, each period against the previous (`against: "trailing=k"`: the k before).
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub fn trend(dates: &JsValue, answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [w, segments]) = split(options, ["weights", "segments"])?;
    let w = w.as_ref().map(numbers).transpose()?;
    let segments = segments.as_ref().map(Segments::of).transpose()?;
    let (dates, answers, w) = (Dates::of(dates)?, Answers::of(answers)?, w.as_deref());
    macro_rules! dated {
        (|$d:ident| $body:expr) => {
            match &dates {
                Dates::Text(t) => {
                    let $d = t.as_slice();
                    $body
                }
                Dates::Days(n) => {
                    let $d = n.as_slice();
                    $body
                }
            }
        };
    }
    let t = operations::trend(o.as_str(), segments.is_some(), |t, missing| match &segments {
        None => dated!(|d| each!(&answers, |a| t.update(d, a, w, missing))),
        Some(Segments::Numbers(n)) => dated!(|d| each!(&answers, |a| t.update_numbered(d, n, a, w, missing))),
        Some(Segments::Keys(k)) => dated!(|d| each!(&answers, |a| t.update_keys(d, k, a, w, missing))),
    })?;
    to_js(&t)
}

/// Benchmarks segments given as pre-aggregated counts: `{key: counts per point}`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = benchmarkFromCounts)]
pub fn benchmark_from_counts(counts: &JsValue, options: &JsValue) -> Result<JsValue> {
    let object: &Object = counts.dyn_ref().ok_or_else(|| type_error("counts is an object {key: counts}"))?;
    let (mut keys, mut rows) = (Vec::new(), Vec::new());
    for entry in Object::entries(object).iter() {
        let pair: Array = entry.unchecked_into();
        keys.push(pair.get(0).as_string().unwrap_or_default());
        rows.push(numbers(&pair.get(1))?);
    }
    to_js(&operations::benchmark_counts(&keys, &rows, text(options)?.as_str())?)
}

/// A counts table as rows of objects (an engine's GROUP BY output), its columns named by the options
/// (`answer`, `count`, `segment`, `day`, `weight_sum`, `weight_sq_sum`): a benchmark, a trend or an estimate.
#[cfg(feature = "analytics")]
#[wasm_bindgen(js_name = fromCountsTable)]
pub fn from_counts_table(rows: &JsValue, options: &JsValue) -> Result<JsValue> {
    to_js(&operations::from_counts_table(text(rows)?.as_str(), text(options)?.as_str())?)
}

/// Responses needed for an NPS margin of error (points) at `level`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = npsResponsesNeeded)]
pub fn nps_responses_needed(promoter_share: f64, detractor_share: f64, margin: f64, level: f64) -> Result<f64> {
    Ok(cem_core::nps_responses_needed(promoter_share, detractor_share, margin, level)? as f64)
}

/// Responses needed for a proportion's margin of error (percent) at `level`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = proportionResponsesNeeded)]
pub fn proportion_responses_needed(share: f64, margin: f64, level: f64) -> Result<f64> {
    Ok(cem_core::proportion_responses_needed(share, margin, level)? as f64)
}

/// Responses needed for a mean's margin of error at `level`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = meanResponsesNeeded)]
pub fn mean_responses_needed(sd: f64, margin: f64, level: f64) -> Result<f64> {
    Ok(cem_core::mean_responses_needed(sd, margin, level)? as f64)
}

/// Smallest NPS difference two groups of `n` detect at `alpha` with `power`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = npsDetectableDifference)]
pub fn nps_detectable_difference(
    n: f64,
    promoter_share: f64,
    detractor_share: f64,
    alpha: f64,
    power: f64,
) -> Result<f64> {
    Ok(cem_core::nps_detectable_difference(n, promoter_share, detractor_share, alpha, power)?)
}

/// Smallest difference of proportions two groups of `n` detect at `alpha` with `power`.
#[cfg(feature = "scores")]
#[wasm_bindgen(js_name = proportionDetectableDifference)]
pub fn proportion_detectable_difference(n: f64, share: f64, alpha: f64, power: f64) -> Result<f64> {
    Ok(cem_core::proportion_detectable_difference(n, share, alpha, power)?)
}

/// Counts per scale point: mergeable and serializable (`toJSON` / `Tally.fromJSON`).
#[cfg(feature = "scores")]
#[wasm_bindgen]
pub struct Tally {
    inner: CoreTally,
}

#[cfg(feature = "scores")]
#[wasm_bindgen]
impl Tally {
    /// An empty tally on `scale` (`[min, max]`).
    #[wasm_bindgen(constructor)]
    pub fn new(scale: Vec<i32>) -> Result<Tally> {
        Ok(Tally { inner: CoreTally::new(operations::scale(&scale)?) })
    }
    /// A tally from counts per point, lowest first.
    #[wasm_bindgen(js_name = fromCounts)]
    pub fn from_counts(counts: Vec<f64>, scale: Vec<i32>) -> Result<Tally> {
        Ok(Tally { inner: operations::tally_from_counts(&scale, &counts)? })
    }
    /// Adds answers; on error nothing is added.
    pub fn update(&mut self, answers: &JsValue, options: &JsValue) -> Result<()> {
        let (o, w) = with_weights(options)?;
        let answers = Answers::of(answers)?;
        Ok(each!(&answers, |a| operations::update(&mut self.inner, a, w.as_deref(), o.as_str()))?)
    }
    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        Ok(self.inner.merge(&other.inner)?)
    }
    /// The estimate of `metric` (`"nps"`, `"csat"`, …) on this tally, on its scale.
    pub fn estimate(&self, metric: &str, options: &JsValue) -> Result<JsValue> {
        to_js(&operations::estimate_tally(metric.parse()?, &self.inner, text(options)?.as_str())?)
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
    pub fn to_json(&self) -> Result<JsValue> {
        to_js(&self.inner)
    }
    /// A tally from its JSON form (read by the core: anything else is `invalid_parameter`).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(v: &JsValue) -> Result<Tally> {
        Ok(Tally { inner: operations::from_json("tally", text(v)?.as_str())? })
    }
}
