//! `@cemscore/node`: cem-core as a native Node addon (napi-rs).
//!
//! A binding converts types and errors and nothing else. TypedArrays and Buffers are read in place;
//! options arrive as the JSON of the options object (index.js strips `weights`, passed as its own array)
//! and are parsed by `cem_core::Options`; estimates, tallies and results cross as the core's JSON text
//! both ways, parsed and stringified by index.js, exactly as in the WASM package (so large counts are
//! plain numbers in both, never BigInts). Errors are thrown as `Error` with
//! `.code`, `.index`, `.value` (set by index.js from the JSON message). The `…Async` variants run on the
//! libuv thread pool, off the event loop.

use cem_core::{Options, SegmentTally, Tally as CoreTally};
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

fn options(json: Option<String>) -> Result<Options> {
    Options::from_json(json.as_deref().unwrap_or("{}")).map_err(err)
}

/// Answers: TypedArrays read in place, or a plain array where null is missing.
pub type Answers = Either6<Uint8Array, Float64Array, Int32Array, Uint32Array, Float32Array, Vec<Option<f64>>>;

fn tally(
    answers: &Answers,
    scale: cem_core::Scale,
    weights: Option<&[f64]>,
    missing: cem_core::Missing,
) -> cem_core::Result<CoreTally> {
    match answers {
        Either6::A(a) => CoreTally::from_answers(scale, a, weights, missing),
        Either6::B(a) => CoreTally::from_answers(scale, a, weights, missing),
        Either6::C(a) => CoreTally::from_answers(scale, a, weights, missing),
        Either6::D(a) => CoreTally::from_answers(scale, a, weights, missing),
        Either6::E(a) => CoreTally::from_answers(scale, a, weights, missing),
        Either6::F(a) => CoreTally::from_answers(scale, a, weights, missing),
    }
}

/// The whole of one estimate call, runnable on any thread.
fn run_estimate(
    kind: &str,
    answers: &Answers,
    weights: Option<&[f64]>,
    o: &Options,
) -> cem_core::Result<cem_core::Estimate> {
    let (metric, scale) = o.metric(kind)?;
    let t = tally(answers, scale, weights, o.missing()?)?;
    metric.estimate(&t, &o.interval()?)
}

/// The estimate of metric `kind` from answers.
#[napi]
pub fn estimate(
    kind: String,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    let o = options(options_json)?;
    json(&run_estimate(&kind, &answers, weights.as_deref(), &o).map_err(err)?)
}

/// `estimate` on the libuv thread pool.
#[napi]
pub fn estimate_async(
    kind: String,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<AsyncTask<JsonTask>> {
    let o = options(options_json)?;
    Ok(JsonTask::new(move || json(&run_estimate(&kind, &answers, weights.as_deref(), &o).map_err(err)?)))
}

/// NPS from group counts.
#[napi]
pub fn nps_from_counts(detractors: f64, passives: f64, promoters: f64, options_json: Option<String>) -> Result<String> {
    let c = cem_core::whole_counts(&[detractors, passives, promoters]).map_err(err)?;
    let t = CoreTally::from_nps_counts(c[0], c[1], c[2]);
    estimate_tally("nps", &t, options_json)
}

fn estimate_tally(kind: &str, t: &CoreTally, options_json: Option<String>) -> Result<String> {
    let o = options(options_json)?.on_scale(t.scale());
    let (metric, _) = o.metric(kind).map_err(err)?;
    json(&metric.estimate(t, &o.interval().map_err(err)?).map_err(err)?)
}

fn estimate_of(text: &str) -> Result<cem_core::Estimate> {
    serde_json::from_str(text).map_err(|e| Error::new(Status::InvalidArg, format!("not an estimate: {e}")))
}

#[napi]
pub fn compare(a: String, b: String, options_json: Option<String>) -> Result<String> {
    let c = options(options_json)?.compare().map_err(err)?;
    json(&cem_core::compare(&estimate_of(&a)?, &estimate_of(&b)?, &c).map_err(err)?)
}

#[napi]
pub fn compare_to(estimate: String, value: f64, options_json: Option<String>) -> Result<String> {
    let o = options(options_json)?;
    let c = o.compare().map_err(err)?;
    json(&cem_core::compare_to(&estimate_of(&estimate)?, value, o.value_se, &c).map_err(err)?)
}

#[napi]
pub fn adjust_pvalues(pvalues: Vec<f64>, options_json: Option<String>) -> Result<Float64Array> {
    let c = options(options_json)?.correction().map_err(err)?;
    Ok(Float64Array::new(cem_core::adjust_pvalues(&pvalues, c).map_err(err)?))
}

/// Segments: keys as strings (`null` for a missing key, which the core refuses), or integer codes whose
/// keys are their decimal forms.
pub type Segments = Either<Vec<Option<String>>, Uint32Array>;

fn run_benchmark(
    segments: &Segments,
    answers: &Answers,
    weights: Option<&[f64]>,
    o: &Options,
) -> cem_core::Result<cem_core::Benchmark> {
    let (metric, scale) = o.benchmark_metric()?;
    let missing = o.missing()?;
    let mut s = SegmentTally::new(scale);
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
    }?;
    cem_core::benchmark(&s, metric, &o.benchmark()?)
}

#[napi]
pub fn benchmark(
    segments: Segments,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<String> {
    let o = options(options_json)?;
    json(&run_benchmark(&segments, &answers, weights.as_deref(), &o).map_err(err)?)
}

/// `benchmark` on the libuv thread pool.
#[napi]
pub fn benchmark_async(
    segments: Segments,
    answers: Answers,
    weights: Option<Float64Array>,
    options_json: Option<String>,
) -> Result<AsyncTask<JsonTask>> {
    let o = options(options_json)?;
    Ok(JsonTask::new(move || json(&run_benchmark(&segments, &answers, weights.as_deref(), &o).map_err(err)?)))
}

#[napi]
pub fn benchmark_from_counts(keys: Vec<String>, counts: Vec<Vec<f64>>, options_json: Option<String>) -> Result<String> {
    let o = options(options_json)?;
    let (metric, scale) = o.benchmark_metric().map_err(err)?;
    let rows: Vec<Vec<u64>> =
        counts.iter().map(|r| cem_core::whole_counts(r)).collect::<cem_core::Result<_>>().map_err(err)?;
    let s = SegmentTally::from_counts(scale, &keys, &rows).map_err(err)?;
    json(&cem_core::benchmark(&s, metric, &o.benchmark().map_err(err)?).map_err(err)?)
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
    match scale.as_slice() {
        [lo, hi] => cem_core::Scale::new(*lo, *hi).map_err(err),
        _ => Err(Error::new(Status::InvalidArg, "scale is [min, max]")),
    }
}

#[napi]
impl Tally {
    #[napi(constructor)]
    pub fn new(scale: Vec<i32>) -> Result<Self> {
        Ok(Tally { inner: CoreTally::new(scale_of(scale)?) })
    }
    #[napi(factory)]
    pub fn from_counts(counts: Vec<f64>, scale: Vec<i32>) -> Result<Self> {
        let counts = cem_core::whole_counts(&counts).map_err(err)?;
        Ok(Tally { inner: CoreTally::from_counts(scale_of(scale)?, &counts).map_err(err)? })
    }
    #[napi(factory, js_name = "fromJSON")]
    pub fn from_json(text: String) -> Result<Self> {
        serde_json::from_str(&text)
            .map(|inner| Tally { inner })
            .map_err(|e| Error::new(Status::InvalidArg, e.to_string()))
    }
    #[napi]
    pub fn update(
        &mut self,
        answers: Answers,
        weights: Option<Float64Array>,
        options_json: Option<String>,
    ) -> Result<()> {
        let missing = options(options_json)?.missing().map_err(err)?;
        let part = tally(&answers, self.inner.scale(), weights.as_deref(), missing).map_err(err)?;
        self.inner.merge(&part).map_err(err)
    }
    #[napi]
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        self.inner.merge(&other.inner).map_err(err)
    }
    #[napi]
    pub fn estimate(&self, metric: String, options_json: Option<String>) -> Result<String> {
        estimate_tally(&metric, &self.inner, options_json)
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
