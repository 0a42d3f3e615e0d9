//! `@cemscore/node`: cem-core as a native Node addon (napi-rs).
//!
//! A binding converts types and errors and nothing else. TypedArrays and Buffers are read in place;
//! options arrive as the JSON of the options object (index.js strips `weights`, passed as its own array)
//! and are read strictly by `cem_core::operations`; estimates, tallies and results cross as the core's JSON text
//! both ways, parsed and stringified by index.js, exactly as in the WASM package (so large counts are
//! plain numbers in both, never BigInts). Errors are thrown as `Error` with
//! `.code`, `.index`, `.value` (set by index.js from the JSON message). The `…Async` variants run on the
//! libuv thread pool, off the event loop.

use cem_core::{operations, MetricKind, Tally as CoreTally};
use napi::bindgen_prelude::*;
use napi_derive::napi;

/// A core error as a napi error whose message is the core's error JSON; index.js rethrows it as an
/// `Error` with `.code`, `.index`, `.value` and the human message.
fn err(e: cem_core::CemError) -> Error {
    Error::new(Status::InvalidArg, serde_json::to_string(&e).unwrap_or_default())
}

/// A result as the core's JSON text.
fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::from_reason(e.to_string()))
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

/// The whole of one estimate call, runnable on any thread.
fn run_estimate(
    kind: MetricKind,
    answers: &Answers,
    weights: Option<&[f64]>,
    o: &str,
) -> cem_core::Result<cem_core::Estimate> {
    match answers {
        Either6::A(a) => operations::estimate(kind, a, weights, o),
        Either6::B(a) => operations::estimate(kind, a, weights, o),
        Either6::C(a) => operations::estimate(kind, a, weights, o),
        Either6::D(a) => operations::estimate(kind, a, weights, o),
        Either6::E(a) => operations::estimate(kind, a, weights, o),
        Either6::F(a) => operations::estimate(kind, a, weights, o),
    }
}

/// The estimate of metric `kind` from answers.
#[napi]
pub fn estimate(
    kind: String,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    json(&run_estimate(metric_kind(&kind)?, &answers, weights.as_deref(), options(&options_json)).map_err(err)?)
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
    Ok(JsonTask::new(move || {
        json(&run_estimate(kind, &answers, weights.as_deref(), options(&options_json)).map_err(err)?)
    }))
}

/// NPS from group counts: the counts object's JSON, read strictly by the core.
#[napi]
pub fn nps_from_counts(counts_json: String, options_json: Option<String>) -> Result<String> {
    let counts = operations::from_json("counts", counts_json.as_str()).map_err(err)?;
    json(&operations::nps_from_counts(counts, options(&options_json)).map_err(err)?)
}

fn estimate_of(text: &str) -> Result<cem_core::Estimate> {
    operations::from_json("estimate", text).map_err(err)
}

#[napi]
pub fn compare(a: String, b: String, options_json: Option<String>) -> Result<String> {
    json(&operations::compare(&estimate_of(&a)?, &estimate_of(&b)?, options(&options_json)).map_err(err)?)
}

#[napi]
pub fn compare_to(estimate: String, value: f64, options_json: Option<String>) -> Result<String> {
    json(&operations::compare_to(&estimate_of(&estimate)?, value, options(&options_json)).map_err(err)?)
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
    operations::benchmark(o, |s, missing| {
        macro_rules! update {
            ($a:expr) => {
                match segments {
                    Either::A(keys) => s.update_keys(keys, $a, weights, missing),
                    Either::B(numbers) => s.update_numbered(numbers, $a, weights, missing),
                }
            };
        }
        match answers {
            Either6::A(a) => update!(&a[..]),
            Either6::B(a) => update!(&a[..]),
            Either6::C(a) => update!(&a[..]),
            Either6::D(a) => update!(&a[..]),
            Either6::E(a) => update!(&a[..]),
            Either6::F(a) => update!(&a[..]),
        }
    })
}

#[napi]
pub fn benchmark(
    segments: Segments,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    json(&run_benchmark(&segments, &answers, weights.as_deref(), options(&options_json)).map_err(err)?)
}

/// `benchmark` on the libuv thread pool.
#[napi]
pub fn benchmark_async(
    segments: Segments,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<AsyncTask<JsonTask>> {
    Ok(JsonTask::new(move || {
        json(&run_benchmark(&segments, &answers, weights.as_deref(), options(&options_json)).map_err(err)?)
    }))
}

#[napi]
pub fn benchmark_from_counts(keys: Vec<String>, counts: Vec<Vec<f64>>, options_json: Option<String>) -> Result<String> {
    json(&operations::benchmark_counts(&keys, &counts, options(&options_json)).map_err(err)?)
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
        match &answers {
            Either6::A(a) => operations::update(&mut self.inner, a, w, o),
            Either6::B(a) => operations::update(&mut self.inner, a, w, o),
            Either6::C(a) => operations::update(&mut self.inner, a, w, o),
            Either6::D(a) => operations::update(&mut self.inner, a, w, o),
            Either6::E(a) => operations::update(&mut self.inner, a, w, o),
            Either6::F(a) => operations::update(&mut self.inner, a, w, o),
        }
        .map_err(err)
    }
    #[napi]
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        self.inner.merge(&other.inner).map_err(err)
    }
    #[napi]
    pub fn estimate(&self, metric: String, options_json: Option<String>) -> Result<String> {
        json(&operations::estimate_tally(metric_kind(&metric)?, &self.inner, options(&options_json)).map_err(err)?)
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
        json(&self.inner)
    }
}
