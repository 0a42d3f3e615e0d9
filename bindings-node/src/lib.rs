//! `@cemscore/node`: cem-core as a native Node addon (napi-rs).
//!
//! A binding converts types and errors and nothing else: each function converts its inputs, makes one
//! `cem_core::operations` call and converts the result or the error once (`json`, `err`).
//! TypedArrays and Buffers are read in place; options arrive as the JSON text of the options object, read
//! strictly by the core (addon.js takes `weights`, an input rather than an option, out of the options of
//! the calls that read answers and passes it as its own array); estimates, tallies and results cross as
//! the core's JSON text both ways, parsed and stringified by addon.js, exactly as in the WASM package (so
//! large counts are plain numbers in both, never BigInts). Errors are thrown as `Error` with `.code`,
//! `.index`, `.value` (set by addon.js from the JSON message). The `…Async` variants run on the libuv
//! thread pool, off the event loop.

use cem_core::{operations, MetricKind, Tally as CoreTally};
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// A core error as a napi error whose message is the core's error JSON; addon.js rethrows it as an
/// `Error` with `.code`, `.index`, `.value` and the human message.
fn err(e: cem_core::CemError) -> Error {
    Error::new(Status::InvalidArg, serde_json::to_string(&e).unwrap_or_default())
}

/// A call's result as the core's JSON text, or its error: the one place both are converted.
fn json<T: serde::Serialize>(result: cem_core::Result<T>) -> Result<String> {
    serde_json::to_string(&result.map_err(err)?).map_err(|e| Error::from_reason(e.to_string()))
}

/// Work run on the libuv thread pool, off the event loop; resolves to the result's JSON text.
pub struct JsonTask(Option<Box<dyn FnOnce() -> Result<String> + Send>>);

impl JsonTask {
    fn new(work: impl FnOnce() -> Result<String> + Send + 'static) -> AsyncTask<JsonTask> {
        AsyncTask::new(JsonTask(Some(Box::new(work))))
    }
}

impl Task for JsonTask {
    type Output = String;
    type JsValue = String;
    fn compute(&mut self) -> Result<String> {
        self.0.take().ok_or_else(|| Error::from_reason("the task ran twice"))?()
    }
    fn resolve(&mut self, _: Env, output: String) -> Result<String> {
        Ok(output)
    }
}

/// The options JSON as the core reads it ("" for every default).
fn options(json: &Option<String>) -> &str {
    json.as_deref().unwrap_or("")
}

fn metric_kind(name: &str) -> Result<MetricKind> {
    name.parse().map_err(err)
}

/// Answers: TypedArrays read in place, or a plain array where null is missing.
pub type Answers = Either6<Uint8Array, Float64Array, Int32Array, Uint32Array, Float32Array, Vec<Option<f64>>>;

/// Answers given as a plain array holding more than numbers and nulls (addon.js sends only those here),
/// each by the core's one rule: text through `cem_core::answer_from_text` ("9" is 9, blank is missing,
/// other text `not_a_number`); booleans and objects `unsupported_answers`.
#[napi]
pub fn read_answers(values: Vec<serde_json::Value>) -> Result<Float64Array> {
    use serde_json::Value;
    let read = |(i, v): (usize, &Value)| match v {
        Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
        Value::Null => Ok(f64::NAN),
        Value::String(t) => cem_core::answer_from_text(i, t),
        Value::Bool(_) => Err(cem_core::CemError::unsupported_answers("boolean")),
        _ => Err(cem_core::CemError::unsupported_answers("object")),
    };
    let numbers = values.iter().enumerate().map(read).collect::<cem_core::Result<Vec<f64>>>().map_err(err)?;
    Ok(Float64Array::new(numbers))
}

/// `$body` with `$a` bound to the answers as a slice of their own type.
macro_rules! each {
    ($answers:expr, |$a:ident| $body:expr) => {
        match $answers {
            Either6::A($a) => $body,
            Either6::B($a) => $body,
            Either6::C($a) => $body,
            Either6::D($a) => $body,
            Either6::E($a) => $body,
            Either6::F($a) => $body,
        }
    };
}

/// The whole of one estimate call, runnable on any thread.
fn run_estimate(
    kind: MetricKind,
    answers: &Answers,
    weights: Option<&[f64]>,
    o: &str,
) -> cem_core::Result<cem_core::Estimate> {
    each!(answers, |a| operations::estimate(kind, &a[..], weights, o))
}

/// The estimate of metric `kind` from answers.
#[napi]
pub fn estimate(
    kind: String,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    json(run_estimate(metric_kind(&kind)?, &answers, weights.as_deref(), options(&options_json)))
}

/// `estimate` on the libuv thread pool.
#[napi]
pub fn estimate_async(
    kind: String,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<AsyncTask<JsonTask>> {
    let kind = metric_kind(&kind)?;
    Ok(JsonTask::new(move || json(run_estimate(kind, &answers, weights.as_deref(), options(&options_json)))))
}

/// Each answer's category: one code per answer (255 for a skipped missing answer) and the names.
#[napi(object)]
pub struct Categories {
    pub codes: Uint8Array,
    pub names: Vec<String>,
}

/// The whole of one classification, runnable on any thread.
fn run_classify(answers: &Answers, o: &str) -> Result<Categories> {
    let c = each!(answers, |a| operations::classify(&a[..], o)).map_err(err)?;
    Ok(Categories { codes: Uint8Array::new(c.codes), names: c.names.iter().map(|n| n.to_string()).collect() })
}

/// Each answer's category under the options' metric; addon.js turns the codes into names.
#[napi]
pub fn classify(answers: Answers, options_json: Option<String>) -> Result<Categories> {
    run_classify(&answers, options(&options_json))
}

/// `classify` on the libuv thread pool.
pub struct ClassifyTask(Answers, Option<String>);

impl Task for ClassifyTask {
    type Output = Categories;
    type JsValue = Categories;
    fn compute(&mut self) -> Result<Categories> {
        run_classify(&self.0, options(&self.1))
    }
    fn resolve(&mut self, _: Env, output: Categories) -> Result<Categories> {
        Ok(output)
    }
}

/// `classify` on the libuv thread pool.
#[napi]
pub fn classify_async(answers: Answers, options_json: Option<String>) -> AsyncTask<ClassifyTask> {
    AsyncTask::new(ClassifyTask(answers, options_json))
}

/// NPS from group counts: the counts object's JSON, read strictly by the core.
#[napi]
pub fn nps_from_counts(counts_json: String, options_json: Option<String>) -> Result<String> {
    let counts = operations::from_json("counts", counts_json.as_str()).map_err(err)?;
    json(operations::nps_from_counts(counts, options(&options_json)))
}

fn estimate_of(text: &str) -> Result<cem_core::Estimate> {
    operations::from_json("estimate", text).map_err(err)
}

#[napi]
pub fn compare(a: String, b: String, options_json: Option<String>) -> Result<String> {
    json(operations::compare(&estimate_of(&a)?, &estimate_of(&b)?, options(&options_json)))
}

#[napi]
pub fn compare_to(estimate: String, value: f64, options_json: Option<String>) -> Result<String> {
    json(operations::compare_to(&estimate_of(&estimate)?, value, options(&options_json)))
}

#[napi]
pub fn adjust_pvalues(pvalues: Vec<f64>, options_json: Option<String>) -> Result<Float64Array> {
    Ok(Float64Array::new(operations::adjust_pvalues(&pvalues, options(&options_json)).map_err(err)?))
}

/// Segments: keys as strings (`null` for a missing key, which the core refuses), or integer codes whose
/// keys are their decimal forms.
pub type Segments = Either<Vec<Option<String>>, Uint32Array>;

fn run_benchmark(
    segments: &Segments,
    answers: &Answers,
    weights: Option<&[f64]>,
    o: &str,
) -> cem_core::Result<cem_core::Benchmark> {
    operations::benchmark(o, |s, missing| match segments {
        Either::A(keys) => each!(answers, |a| s.update_keys(keys, &a[..], weights, missing)),
        Either::B(numbers) => each!(answers, |a| s.update_numbered(numbers, &a[..], weights, missing)),
    })
}

#[napi]
pub fn benchmark(
    segments: Segments,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    json(run_benchmark(&segments, &answers, weights.as_deref(), options(&options_json)))
}

/// `benchmark` on the libuv thread pool.
#[napi]
pub fn benchmark_async(
    segments: Segments,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<AsyncTask<JsonTask>> {
    Ok(JsonTask::new(move || json(run_benchmark(&segments, &answers, weights.as_deref(), options(&options_json)))))
}

/// Dates: ISO texts (`null` missing), or day numbers since 1970-01-01 (addon.js turns `Date`s into
/// their UTC day; NaN missing).
pub type Dates = Either<Vec<Option<String>>, Float64Array>;

#[napi]
pub fn trend(
    dates: Dates,
    segments: Option<Segments>,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    let w = weights.as_deref();
    json(operations::trend(options(&options_json), segments.is_some(), |t, missing| {
        macro_rules! dated {
            (|$d:ident| $body:expr) => {
                match &dates {
                    Either::A(texts) => {
                        let $d = texts.as_slice();
                        $body
                    }
                    Either::B(days) => {
                        let $d = &days[..];
                        $body
                    }
                }
            };
        }
        match &segments {
            None => dated!(|d| each!(&answers, |a| t.update(d, &a[..], w, missing))),
            Some(Either::A(keys)) => dated!(|d| each!(&answers, |a| t.update_keys(d, keys, &a[..], w, missing))),
            Some(Either::B(numbers)) => {
                dated!(|d| each!(&answers, |a| t.update_numbered(d, numbers, &a[..], w, missing)))
            }
        }
    }))
}

#[napi]
pub fn benchmark_from_counts(keys: Vec<String>, counts: Vec<Vec<f64>>, options_json: Option<String>) -> Result<String> {
    json(operations::benchmark_counts(&keys, &counts, options(&options_json)))
}

/// A counts table as rows of objects (their JSON), columns named by the options: as @cemscore/wasm.
#[napi]
pub fn from_counts_table(rows_json: String, options_json: Option<String>) -> Result<String> {
    json(operations::from_counts_table(rows_json.as_str(), options(&options_json)))
}

#[napi]
pub fn nps_responses_needed(promoter_share: f64, detractor_share: f64, margin: f64, level: f64) -> Result<f64> {
    cem_core::nps_responses_needed(promoter_share, detractor_share, margin, level).map(|n| n as f64).map_err(err)
}

#[napi]
pub fn proportion_responses_needed(share: f64, margin: f64, level: f64) -> Result<f64> {
    cem_core::proportion_responses_needed(share, margin, level).map(|n| n as f64).map_err(err)
}

#[napi]
pub fn mean_responses_needed(sd: f64, margin: f64, level: f64) -> Result<f64> {
    cem_core::mean_responses_needed(sd, margin, level).map(|n| n as f64).map_err(err)
}

#[napi]
pub fn nps_detectable_difference(
    n: f64,
    promoter_share: f64,
    detractor_share: f64,
    alpha: f64,
    power: f64,
) -> Result<f64> {
    cem_core::nps_detectable_difference(n, promoter_share, detractor_share, alpha, power).map_err(err)
}

#[napi]
pub fn proportion_detectable_difference(n: f64, share: f64, alpha: f64, power: f64) -> Result<f64> {
    cem_core::proportion_detectable_difference(n, share, alpha, power).map_err(err)
}

/// Counts per scale point: mergeable and serializable.
#[napi]
pub struct Tally {
    inner: CoreTally,
}

fn scale_of(scale: Vec<i32>) -> Result<cem_core::Scale> {
    operations::scale(&scale).map_err(err)
}

#[napi]
impl Tally {
    #[napi(constructor)]
    pub fn new(scale: Vec<i32>) -> Result<Self> {
        Ok(Tally { inner: CoreTally::new(scale_of(scale)?) })
    }
    #[napi(factory)]
    pub fn from_counts(counts: Vec<f64>, scale: Vec<i32>) -> Result<Self> {
        Ok(Tally { inner: operations::tally_from_counts(&scale, &counts).map_err(err)? })
    }
    #[napi(factory, js_name = "fromJSON")]
    pub fn from_json(text: String) -> Result<Self> {
        operations::from_json("tally", text.as_str()).map(|inner| Tally { inner }).map_err(err)
    }
    #[napi]
    pub fn update(
        &mut self,
        answers: Answers,
        weights: Option<Float64Array>,
        options_json: Option<String>,
    ) -> Result<()> {
        let (w, o) = (weights.as_deref(), options(&options_json));
        each!(&answers, |a| operations::update(&mut self.inner, &a[..], w, o)).map_err(err)
    }
    #[napi]
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        self.inner.merge(&other.inner).map_err(err)
    }
    #[napi]
    pub fn estimate(&self, metric: String, options_json: Option<String>) -> Result<String> {
        json(operations::estimate_tally(metric_kind(&metric)?, &self.inner, options(&options_json)))
    }
    #[napi(getter)]
    pub fn n(&self) -> f64 {
        self.inner.n() as f64
    }
    #[napi(getter)]
    pub fn counts(&self) -> Float64Array {
        Float64Array::new(self.inner.counts().iter().map(|&c| c as f64).collect())
    }
    #[napi(getter)]
    pub fn skipped(&self) -> f64 {
        self.inner.skipped() as f64
    }
    #[napi(js_name = "toJSON")]
    pub fn to_json(&self) -> Result<String> {
        json(Ok(&self.inner))
    }
}

/// A key driver analysis of named float64 columns (addon.js converts `{name: numbers}`); the options
/// name the outcome, drivers and weight column. Returns the core's result JSON.
#[napi]
pub fn drivers(names: Vec<String>, columns: Vec<Float64Array>, options_json: Option<String>) -> Result<String> {
    let cols: Vec<(&str, &[f64])> = names.iter().map(|n| n.as_str()).zip(columns.iter().map(|c| &c[..])).collect();
    json(operations::drivers(&cols, options(&options_json)))
}

/// Data-driven segments over named columns: each a Float64Array of numbers (NaN missing) or an array of
/// texts (null missing), as addon.js sorts them; returns the core's result JSON.
#[napi]
pub fn discover(
    names: Vec<String>,
    columns: Vec<Either<Float64Array, Vec<Option<String>>>>,
    options_json: Option<String>,
) -> Result<String> {
    let texts: Vec<Vec<Option<&str>>> = columns
        .iter()
        .map(|c| match c {
            Either::A(_) => Vec::new(),
            Either::B(t) => t.iter().map(Option::as_deref).collect(),
        })
        .collect();
    let cols: Vec<(&str, cem_core::Column)> = names
        .iter()
        .zip(&columns)
        .zip(&texts)
        .map(|((n, c), t)| match c {
            Either::A(x) => (n.as_str(), cem_core::Column::Numbers(x)),
            Either::B(_) => (n.as_str(), cem_core::Column::Texts(t)),
        })
        .collect();
    json(operations::discover(&cols, options(&options_json)))
}

/// Key driver analysis per segment from one pass: `segments` holds one key per row (as `benchmark`'s);
/// returns the core's list of `{segment, analysis}` in key order.
#[napi]
pub fn drivers_by_segment(
    names: Vec<String>,
    columns: Vec<Float64Array>,
    segments: Segments,
    options_json: Option<String>,
) -> Result<String> {
    let cols: Vec<(&str, &[f64])> = names.iter().map(String::as_str).zip(columns.iter().map(|c| &c[..])).collect();
    json(match &segments {
        Either::A(keys) => operations::drivers_by_segment_keys(&cols, keys, options(&options_json)),
        Either::B(numbers) => operations::drivers_by_segment_numbers(&cols, numbers, options(&options_json)),
    })
}

/// Keyness of comments (texts, or token lists; addon.js passes them as JSON values) between groups
/// (label columns, crossed when several), the categories of `answers`, or the periods of `dates`; one
/// table per segment when `segments` (label columns, crossed) is given. Returns the core's JSON.
#[napi]
pub fn keyness(
    texts: Vec<serde_json::Value>,
    groups: Option<Vec<Vec<Option<String>>>>,
    answers: Option<Answers>,
    dates: Option<Dates>,
    segments: Option<Vec<Vec<Option<String>>>>,
    options_json: Option<String>,
) -> Result<String> {
    use operations::{Comments, KeynessGroups};
    let c = operations::comments_from_json(&texts).map_err(err)?;
    let o = options(&options_json);
    let segments: Option<Vec<&[Option<String>]>> = segments.as_ref().map(|s| s.iter().map(Vec::as_slice).collect());
    // One core call: per segment, or one table (the grouping decides which operation).
    macro_rules! call {
        ($grouping:expr, $one:expr) => {
            match &segments {
                Some(s) => json(match &c {
                    Comments::Texts(t) => operations::keyness_by_segment(t, s, $grouping, o),
                    Comments::Lists(l) => operations::keyness_by_segment(l, s, $grouping, o),
                }),
                None => json(match &c {
                    Comments::Texts(t) => $one(t, o),
                    Comments::Lists(l) => $one(l, o),
                }),
            }
        };
    }
    match (groups, answers, dates) {
        (Some(g), None, None) => {
            let g: Vec<&[Option<String>]> = g.iter().map(Vec::as_slice).collect();
            call!(KeynessGroups::<_, f64, f64>::Labels(&g), |t, o| operations::keyness_crossed(t, &g, o))
        }
        (None, Some(a), None) => {
            each!(&a, |s| call!(KeynessGroups::<&str, _, f64>::Answers(s), |t, o| operations::keyness_by_answer(
                t, s, o
            )))
        }
        (None, None, Some(Either::A(d))) => {
            call!(KeynessGroups::<&str, f64, _>::Periods(&d), |t, o| operations::keyness_by_period(t, &d, o))
        }
        (None, None, Some(Either::B(d))) => {
            call!(KeynessGroups::<&str, f64, _>::Periods(&d[..]), |t, o| operations::keyness_by_period(t, &d[..], o))
        }
        _ => Err(Error::from_reason("give one of groups, options.answers or options.dates")),
    }
}

/// Each comment's terms with their occurrences: the core's `[row, term, occurrences]` rows as JSON.
#[napi]
pub fn terms(texts: Vec<serde_json::Value>, options_json: Option<String>) -> Result<String> {
    use operations::Comments;
    json(operations::comments_from_json(&texts).and_then(|c| match &c {
        Comments::Texts(t) => operations::terms(t, options(&options_json)),
        Comments::Lists(l) => operations::terms(l, options(&options_json)),
    }))
}

/// A raking column as addon.js passes it: keys (texts, null missing) or numbers (NaN missing).
pub type RakeLevels = Either<Vec<Option<String>>, Float64Array>;

fn rake_column(c: &RakeLevels) -> cem_core::RakeColumn {
    match c {
        Either::A(keys) => cem_core::RakeColumn::from_keys(keys),
        Either::B(numbers) => cem_core::RakeColumn::from_numbers(numbers),
    }
}

fn rake_columns(names: Vec<String>, columns: &[RakeLevels]) -> Vec<(String, cem_core::RakeColumn)> {
    names.into_iter().zip(columns.iter().map(rake_column)).collect()
}

/// Scores of `answers` (metric `kind`) with raked weights, overall and per `segment`, with calibrated
/// standard errors (index.js takes `metric`, `base_weights`, `segment` and `raking` out of the options). With
/// `raking_weights` and `raking_json` (`options.raking`'s weights and its other fields) it scores from that
/// raking without raking again; without them, it rakes first.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn rake_estimate(
    names: Vec<String>,
    columns: Vec<RakeLevels>,
    margins_json: String,
    kind: String,
    answers: Float64Array,
    base_weights: Option<Float64Array>,
    segment: Option<RakeLevels>,
    options_json: Option<String>,
    raking_weights: Option<Float64Array>,
    raking_json: Option<String>,
) -> Result<String> {
    let cols = rake_columns(names, &columns);
    let segment = segment.as_ref().map(rake_column);
    json(kind.parse::<cem_core::MetricKind>().and_then(|kind| {
        let raking = match (raking_weights, raking_json) {
            (Some(w), Some(d)) => Some(operations::raking_from(w.to_vec(), d.as_str())?),
            _ => None,
        };
        operations::rake_estimate(
            kind,
            &cols,
            base_weights.as_deref(),
            margins_json.as_str(),
            raking.as_ref(),
            &answers,
            segment.as_ref(),
            options(&options_json),
        )
    }))
}

/// Raked weights for rows (addon.js converts `{name: levels}` and takes `base_weights` out of the
/// options); the margins and options as JSON text. Returns the core's result JSON.
#[napi]
pub fn rake(
    names: Vec<String>,
    columns: Vec<RakeLevels>,
    margins_json: String,
    base_weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    let cols = rake_columns(names, &columns);
    json(operations::rake(&cols, base_weights.as_deref(), margins_json.as_str(), options(&options_json)))
}

/// Raking factors for a cells table: levels per cell, counts, and optionally Σd and Σd² per cell.
#[napi]
pub fn rake_cells(
    names: Vec<String>,
    columns: Vec<RakeLevels>,
    counts: Float64Array,
    margins_json: String,
    sums: Option<Float64Array>,
    squares: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    let cols = rake_columns(names, &columns);
    let pair = match (&sums, &squares) {
        (Some(s), Some(q)) => Some((&s[..], &q[..])),
        (None, None) => None,
        _ => return Err(Error::from_reason("give both sums (Σd) and squares (Σd²), or neither")),
    };
    json(operations::rake_cells(&cols, &counts, pair, margins_json.as_str(), options(&options_json)))
}
