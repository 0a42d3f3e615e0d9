//! Options as the bindings and the CLI receive them — Python keywords, JavaScript option objects,
//! command-line flags — read strictly, once, for one [`Operation`].
//!
//! As ripgrep turns its flags into a low-level record that only validates and then into the typed
//! configuration that does the work, [`Options`] is the record (every key of every operation, each with
//! one meaning, values already typed: `method="wilsn"` fails here, naming `method`) and its private
//! methods build the typed options ([`IntervalOptions`], [`CompareOptions`], [`BenchmarkOptions`]).
//! Each operation declares the keys it reads ([`Operation::keys`]); any other key is an
//! `invalid_parameter` error naming it, with a did-you-mean, never silently ignored.
//!
//! Keys are snake_case in every language (`min_n`, `value_se`), as in the results' JSON.

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::json;
use crate::drivers::options::DriverOptions;
use crate::error::{CemError, Result, Short};
use crate::inference::adjust::Correction;
use crate::inference::interval::{IntervalOptions, Method};
use crate::names::nearest;
use crate::score::compare::{Alternative, CompareOptions, Test};
use crate::score::metric::{Metric, MetricKind};
use crate::score::scale::Scale;
use crate::score::tally::Missing;
use crate::segments::period::Every;
use crate::segments::reference::{BenchmarkOptions, Reference};
use crate::text::keyness::{KeynessOptions, KeynessStatistic};
use crate::text::tally::MAX_TERMS;
use crate::text::tokens::{StopWords, TokenOptions};
use crate::weighting::{Margins, RakeOptions};

/// Every option of every operation; `None` means the documented default. Read it with
/// [`Options::read`], which refuses the keys the operation does not read.
///
/// ```
/// use cem_core::{MetricKind, Method, Operation, Options};
/// let o = Options::read(Operation::Estimate(MetricKind::Csat), r#"{"level": 0.9, "method": "jeffreys"}"#).unwrap();
/// assert_eq!(o.method, Some(Method::Jeffreys));
/// let e = Options::read(Operation::Compare, r#"{"alpha": 0.01}"#).unwrap_err();
/// assert!(e.to_string().contains("alpha"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The metric of a benchmark (default `nps`); a call that names its metric (`nps`, `csat`…) does
    /// not read it.
    pub metric: Option<MetricKind>,
    /// `[min, max]` of the answers; defaults: CSAT 1–5; NPS and CES fix their own.
    pub scale: Option<[i32; 2]>,
    /// Box threshold (CSAT default: the top two points).
    pub threshold: Option<i32>,
    /// CES version, 1 or 2 (default 2).
    pub version: Option<u8>,
    /// Net box: lowest answer of the top box.
    pub top: Option<i32>,
    /// Net box: highest answer of the bottom box.
    pub bottom: Option<i32>,
    /// Missing answers: `error` (default) or `skip`.
    pub missing: Option<Missing>,
    /// Confidence level of every interval (default 0.95).
    pub level: Option<f64>,
    /// Interval method of an estimate (default: the metric family's).
    pub method: Option<Method>,
    /// Bootstrap resamples (default 2000).
    pub resamples: Option<u32>,
    /// Bootstrap seed (default 0).
    pub seed: Option<u64>,
    /// Dirichlet prior for `bayes` (default [1, 1, 1]).
    pub prior: Option<[f64; 3]>,
    /// The test of a comparison (default: the metric family's).
    pub test: Option<Test>,
    /// `two-sided` (default), `greater`, `less`.
    pub alternative: Option<Alternative>,
    /// What each segment is compared with: `rest` (default), `overall`, `previous`,
    /// `benchmark=VALUE[±SE]`, `segment=KEY`, or the structured form `{kind: "benchmark", value, se}`.
    pub against: Option<Reference>,
    /// Multiplicity correction (default `holm`).
    pub correction: Option<Correction>,
    /// Significance level of a benchmark (default 0.05).
    pub alpha: Option<f64>,
    /// Fewer answers than this: flagged `low_n` and not tested (default 30).
    pub min_n: Option<u64>,
    /// Order of the segment keys (default: sorted).
    pub order: Option<Vec<String>>,
    /// Standard error of the benchmark value of `compare_to`.
    pub value_se: Option<f64>,
    /// How a trend (or keyness by period) bins dates: `day`, `week` (ISO), `month` (default), `quarter`,
    /// `year`.
    pub every: Option<Every>,
    /// Keyness: the group whose comments are examined (default with answers: the metric's worst category,
    /// `detractor` for NPS).
    pub target: Option<String>,
    /// Keyness: the group it is compared with, or `rest` (default with groups; with answers: the metric's
    /// best category, `promoter` for NPS).
    pub reference: Option<String>,
    /// Keyness: `[shortest, longest]` n-gram (default `[1, 2]`).
    pub ngrams: Option<[u8; 2]>,
    /// Keyness: `english` (default), `none`, or a list of words.
    pub stop_words: Option<StopWords>,
    /// Keyness: fewest mentions for a term to be listed and tested (default 5).
    pub min_count: Option<u64>,
    /// Keyness: the extra statistic (`chi2`, `lr`, `pmi`, `weighted_log_odds`, `log_odds_z`; default none: `score`).
    pub statistic: Option<KeynessStatistic>,
    /// Keyness: the memory cap, in distinct terms (default 10,000,000).
    pub max_terms: Option<u64>,
}

/// What a caller asks of cem: each operation a binding or the CLI exposes, with the keys it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A metric's estimate from answers (`nps(answers)`, `csat(answers)`, …).
    Estimate(MetricKind),
    /// A metric's estimate from a tally, which carries its scale.
    EstimateTally(MetricKind),
    /// NPS from the three group counts.
    NpsFromCounts,
    /// Two estimates compared.
    Compare,
    /// An estimate compared with a benchmark value.
    CompareTo,
    /// Multiplicity-adjusted p-values.
    AdjustPvalues,
    /// A segment benchmark from rows of (segment, answer).
    Benchmark,
    /// A segment benchmark from a segment tally or counts per segment.
    BenchmarkTally,
    /// Answers added to a tally.
    Update,
    /// A trend from rows of (date, segment, answer).
    Trend,
    /// Each answer's category under a metric's rule.
    Classify,
    /// A key driver analysis of columns (see [`crate::DriverOptions`]).
    Drivers,
    /// A driver tally of columns.
    DriverTally,
    /// A key driver analysis of a driver tally.
    DriversTally,
    /// Data-driven segments: every slice up to a depth against its rest (see [`crate::DiscoverOptions`]).
    Discover,
    /// Keyness of comments between groups given by a label per row.
    Keyness,
    /// Keyness of comments between the categories of an answer per row (detractors vs promoters).
    KeynessByAnswer,
    /// Keyness of comments between periods of a date per row (this quarter against the last).
    KeynessByPeriod,
    /// The terms of each comment (for an engine's GROUP BY).
    Terms,
    /// Raking rows to population margins (see [`crate::RakeOptions`]).
    Rake,
    /// Raking a cells table (a `GROUP BY` of the raking variables) to population margins.
    RakeCells,
    /// Scores from raked weights with calibrated standard errors, each segment against its rest: raking's
    /// keys, the metric's estimate's, and the test's `correction` and `alpha`.
    RakeEstimate(MetricKind),
}

const DRIVER_TALLY: &[&str] = &["outcome", "drivers", "weight", "outcome_score", "scale", "threshold", "missing"];

const INTERVAL: &[&str] = &["level", "method"];
const TOKENS: &[&str] = &["ngrams", "stop_words"];
const KEYNESS: &[&str] =
    &["target", "reference", "min_count", "min_n", "level", "correction", "statistic", "max_terms", "missing"];
const RESAMPLING: &[&str] = &["resamples", "seed", "prior"];
const BENCHMARK: &[&str] = &["metric", "test", "alternative", "against", "correction", "alpha", "min_n", "order"];
const DISCOVER: &[&str] = &[
    "answer",
    "attributes",
    "weight",
    "count",
    "weight_sum",
    "weight_sq_sum",
    "metric",
    "test",
    "alternative",
    "correction",
    "alpha",
    "min_n",
    "depth",
    "max_values",
    "other",
    "show",
    "limit",
    "permutations",
    "seed",
    "level",
    "method",
    "missing",
];
const RAKE: &[&str] = &["by", "tolerance", "max_sweeps", "trim", "trim_absolute", "missing"];
const TREND: &[&str] = &["metric", "every", "test", "alternative", "against", "correction", "alpha", "min_n"];

impl Operation {
    /// The operation as messages name it.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Estimate(k) | Operation::EstimateTally(k) => k.name(),
            Operation::NpsFromCounts => "nps_from_counts",
            Operation::Compare => "compare",
            Operation::CompareTo => "compare_to",
            Operation::AdjustPvalues => "adjust_pvalues",
            Operation::Benchmark | Operation::BenchmarkTally => "benchmark",
            Operation::Update => "update",
            Operation::Trend => "trend",
            Operation::Classify => "classify",
            Operation::Drivers | Operation::DriversTally => "drivers",
            Operation::DriverTally => "driver_tally",
            Operation::Discover => "discover",
            Operation::Keyness | Operation::KeynessByAnswer | Operation::KeynessByPeriod => "keyness",
            Operation::Terms => "terms",
            Operation::Rake => "rake",
            Operation::RakeCells => "rake_cells",
            Operation::RakeEstimate(_) => "rake_estimate",
        }
    }

    /// The keys this operation reads; `metric` is the benchmark's or classification's metric, which
    /// decides the metric's own keys.
    ///
    /// ```
    /// use cem_core::{MetricKind, Operation};
    /// assert!(Operation::Estimate(MetricKind::Csat).keys(None).contains(&"threshold"));
    /// assert!(!Operation::Estimate(MetricKind::Nps).keys(None).contains(&"threshold"));
    /// ```
    pub fn keys(self, metric: Option<MetricKind>) -> Vec<&'static str> {
        let metric_keys = |k: MetricKind| -> &'static [&'static str] {
            match k {
                MetricKind::Nps => &["resamples", "seed", "prior"],
                MetricKind::Csat | MetricKind::TopBox | MetricKind::BottomBox => &["scale", "threshold"],
                MetricKind::Ces => &["version", "resamples", "seed"],
                MetricKind::NetBox => &["scale", "top", "bottom", "resamples", "seed", "prior"],
                MetricKind::Mean => &["scale", "resamples", "seed"],
            }
        };
        let kind = metric.unwrap_or(MetricKind::Nps);
        match self {
            Operation::Estimate(k) => [INTERVAL, metric_keys(k), &["missing"]].concat(),
            Operation::EstimateTally(k) => {
                [INTERVAL, metric_keys(k)].concat().into_iter().filter(|&key| key != "scale").collect()
            }
            Operation::NpsFromCounts => [INTERVAL, metric_keys(MetricKind::Nps)].concat(),
            Operation::Compare => vec!["test", "level", "alternative"],
            Operation::CompareTo => vec!["test", "level", "alternative", "value_se"],
            Operation::AdjustPvalues => vec!["correction"],
            Operation::Benchmark => [BENCHMARK, INTERVAL, metric_keys(kind), &["missing"]].concat(),
            Operation::BenchmarkTally => [BENCHMARK, INTERVAL, metric_keys(kind)].concat(),
            Operation::Update => vec!["missing"],
            Operation::Trend => [TREND, INTERVAL, metric_keys(kind), &["missing"]].concat(),
            // The rule's keys only: a classification has no interval.
            Operation::Classify => [&["metric", "missing"], metric_keys(kind)]
                .concat()
                .into_iter()
                .filter(|k| !RESAMPLING.contains(k))
                .collect(),
            Operation::Drivers => [DRIVER_TALLY, &["method", "level", "resamples", "seed", "split"]].concat(),
            Operation::DriverTally => DRIVER_TALLY.to_vec(),
            Operation::DriversTally => vec!["method", "level", "split"],
            Operation::Discover => {
                let mut keys = DISCOVER.to_vec();
                keys.extend(metric_keys(kind).iter().filter(|k| !DISCOVER.contains(k)));
                keys
            }
            Operation::Keyness => [TOKENS, KEYNESS].concat(),
            Operation::KeynessByAnswer => {
                let rule = Operation::Classify.keys(metric).into_iter().filter(|k| !KEYNESS.contains(k));
                [TOKENS, KEYNESS].concat().into_iter().chain(rule).collect()
            }
            Operation::KeynessByPeriod => [TOKENS, KEYNESS, &["every"]].concat(),
            Operation::Terms => TOKENS.to_vec(),
            Operation::Rake | Operation::RakeCells => RAKE.to_vec(),
            Operation::RakeEstimate(k) => {
                let estimate = Operation::Estimate(k).keys(None).into_iter().filter(|k| !RAKE.contains(k));
                RAKE.iter().copied().chain(estimate).chain(["correction", "alpha"]).collect()
            }
        }
    }
}

/// Where options (or any serialized input) come from: JSON text (JavaScript, the CLI), a JSON value
/// (Python's dicts, converted by the binding), or an [`Options`] built in Rust.
pub trait Input {
    /// Reads a `T`; `what` names it in errors ("options", "estimate", "tally").
    ///
    /// # Errors
    /// `invalid_parameter` naming the key at fault (or `what`) and what was wrong with it.
    fn read<T: DeserializeOwned>(self, what: &str) -> Result<T>;
}

impl Input for &str {
    fn read<T: DeserializeOwned>(self, what: &str) -> Result<T> {
        let text = if self.trim().is_empty() { "null" } else { self };
        read_from(&parse(text, what)?, what, Some(text))
    }
}

/// JSON text as a value; a syntax error names `what`. Not generic, and not inlined into the generic
/// readers: one copy for every type read (the .wasm's size, docs/src/javascript.md).
#[inline(never)]
fn parse(text: &str, what: &str) -> Result<serde_json::Value> {
    json::parse(text).map_err(|e| {
        let inner = e.to_string();
        CemError::param(what, text, inner.split(" at line ").next().unwrap_or(&inner))
    })
}

impl Input for serde_json::Value {
    fn read<T: DeserializeOwned>(self, what: &str) -> Result<T> {
        read_from(&self, what, None)
    }
}

impl Input for &serde_json::Value {
    fn read<T: DeserializeOwned>(self, what: &str) -> Result<T> {
        read_from(self, what, None)
    }
}

/// The reason of an unknown key's error until the operation's keys are added to it.
const UNKNOWN: &str = "no such key";

/// Reads a `T` from `value`, naming the key at fault in errors, which show the input as the caller gave it
/// (`shown`; else `value` as JSON text, written only for an error).
fn read_from<T: DeserializeOwned>(value: &serde_json::Value, what: &str, shown: Option<&str>) -> Result<T> {
    let path = json::Path::default();
    T::deserialize(json::At { value, path: &path }).map_err(|e| read_error(&e, &path, value, what, shown))
}

/// The error of reading `value`, naming the key at `path`. Not generic, and not inlined into the generic
/// readers: one copy for every type read (the .wasm's size, docs/src/javascript.md).
#[inline(never)]
fn read_error(
    e: &serde_json::Error,
    path: &json::Path<'_>,
    value: &serde_json::Value,
    what: &str,
    shown: Option<&str>,
) -> CemError {
    let reason = e.to_string();
    let at = path.to_string();
    // An unknown top-level key: serde names it between backticks ("unknown field `levle`, expected …").
    let unknown = reason.strip_prefix("unknown field `").and_then(|r| r.split('`').next());
    if let Some(key) = unknown.filter(|k| path.is_root() || at == *k) {
        let given = value.get(key).map_or_else(|| "…".into(), json::text);
        return CemError::param(key, given, UNKNOWN);
    }
    let shown = shown.map_or_else(|| json::text(value), str::to_owned);
    match path.is_root() {
        true => CemError::param(what, shown, &reason),
        false => CemError::param(&at, shown, &reason),
    }
}

impl Options {
    /// Reads the options of `op`: from JSON text (`""`, `"null"` and `"{}"` mean every default), a JSON
    /// value, or an `Options`; `null` values mean the default.
    ///
    /// # Errors
    /// `invalid_parameter` naming the key: a key `op` does not read (with the nearest key it does read),
    /// a value of the wrong type, a name outside its vocabulary ("use one of …").
    ///
    /// ```
    /// use cem_core::{Operation, Options};
    /// let e = Options::read(Operation::BenchmarkTally, r#"{"minN": 5}"#).unwrap_err();
    /// assert_eq!(e.code(), "invalid_parameter");
    /// assert_eq!(e.to_string(), "invalid minN = 5: benchmark does not read this option (did you mean min_n?); \
    ///     it reads metric, test, alternative, against, correction, alpha, min_n, order, level, method, resamples, seed, prior");
    /// ```
    pub fn read(op: Operation, input: impl Input) -> Result<Options> {
        let options: Option<Options> = input.read("options").map_err(|e| e.with_suggestion(op))?;
        let options = options.unwrap_or_default();
        options.check(op)?;
        Ok(options)
    }

    /// Refuses any key given that `op` does not read.
    ///
    /// # Errors
    /// `invalid_parameter` naming the first such key.
    pub fn check(&self, op: Operation) -> Result<()> {
        let allowed = op.keys(self.metric);
        let given = match serde_json::to_value(OptionsRecord(self)) {
            Ok(serde_json::Value::Object(map)) => map,
            _ => return Ok(()),
        };
        match given.into_iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            None => Ok(()),
            Some((key, value)) => Err(unread(op, &key, &json::text(&value), &allowed, self.metric)),
        }
    }

    /// The metric `kind` and its scale: the given one, the tally's (`fixed`), or the metric's default.
    pub(crate) fn metric(&self, kind: MetricKind, fixed: Option<Scale>) -> Result<(Metric, Scale)> {
        let version = self.version.unwrap_or(2);
        let given = match fixed {
            Some(s) => Some(s),
            None => self.scale.map(|[lo, hi]| Scale::new(lo, hi)).transpose()?,
        };
        let required = |name: &str, v: Option<i32>| {
            v.ok_or_else(|| CemError::param(name, "none", &format!("{kind} needs a {name}")))
        };
        let scale = match (given, kind) {
            (Some(s), _) => s,
            (None, MetricKind::Nps) => Scale::NPS,
            (None, MetricKind::Csat) => Scale::CSAT,
            (None, MetricKind::Ces) if version == 1 => Scale::CES_V1,
            (None, MetricKind::Ces) => Scale::CES,
            (None, _) => return Err(CemError::param("scale", "none", &format!("{kind} needs a scale, e.g. [1, 5]"))),
        };
        let metric = match kind {
            MetricKind::Nps => Metric::Nps,
            MetricKind::Csat => Metric::csat(scale, self.threshold)?,
            MetricKind::Ces => Metric::Ces { version },
            MetricKind::TopBox => Metric::TopBox { threshold: required("threshold", self.threshold)? },
            MetricKind::BottomBox => Metric::BottomBox { threshold: required("threshold", self.threshold)? },
            MetricKind::NetBox => {
                Metric::NetBox { top: required("top", self.top)?, bottom: required("bottom", self.bottom)? }
            }
            MetricKind::Mean => Metric::Mean,
        };
        metric.check(scale)?;
        Ok((metric, scale))
    }

    /// The benchmark's or classification's metric: the named one, NPS by default.
    pub(crate) fn named_metric(&self, fixed: Option<Scale>) -> Result<(Metric, Scale)> {
        self.metric(self.metric.unwrap_or(MetricKind::Nps), fixed)
    }

    pub(crate) fn missing(&self) -> Missing {
        self.missing.unwrap_or_default()
    }

    pub(crate) fn interval(&self) -> IntervalOptions {
        let d = IntervalOptions::default();
        IntervalOptions {
            level: self.level.unwrap_or(d.level),
            method: self.method,
            resamples: self.resamples.unwrap_or(d.resamples),
            seed: self.seed.unwrap_or(d.seed),
            prior: self.prior.unwrap_or(d.prior),
        }
    }

    pub(crate) fn compare(&self) -> CompareOptions {
        let d = CompareOptions::default();
        CompareOptions {
            method: self.test,
            level: self.level.unwrap_or(d.level),
            alternative: self.alternative.unwrap_or(d.alternative),
        }
    }

    pub(crate) fn benchmark(&self) -> BenchmarkOptions {
        self.benchmark_against(BenchmarkOptions::default().reference)
    }

    /// A trend's options: against the previous period by default.
    pub(crate) fn trend(&self) -> BenchmarkOptions {
        self.benchmark_against(Reference::Previous)
    }

    /// How comments become terms; `token_lists` when the input is lists of tokens.
    pub(crate) fn tokens(&self, token_lists: bool) -> Result<TokenOptions> {
        let d = TokenOptions::default();
        let t = TokenOptions {
            ngrams: self.ngrams.unwrap_or(d.ngrams),
            stop_words: self.stop_words.clone().unwrap_or(d.stop_words),
            token_lists,
        };
        t.check()?;
        Ok(t)
    }

    pub(crate) fn keyness(&self) -> KeynessOptions {
        let d = KeynessOptions::default();
        KeynessOptions {
            min_count: self.min_count.unwrap_or(d.min_count),
            min_n: self.min_n.unwrap_or(d.min_n),
            level: self.level.unwrap_or(d.level),
            correction: self.correction.unwrap_or(d.correction),
            statistic: self.statistic.unwrap_or(d.statistic),
        }
    }

    pub(crate) fn max_terms(&self) -> u64 {
        self.max_terms.unwrap_or(MAX_TERMS)
    }

    fn benchmark_against(&self, reference: Reference) -> BenchmarkOptions {
        let d = BenchmarkOptions::default();
        BenchmarkOptions {
            reference: self.against.clone().unwrap_or(reference),
            interval: self.interval(),
            test: self.test,
            alternative: self.alternative.unwrap_or(d.alternative),
            correction: self.correction.unwrap_or(d.correction),
            alpha: self.alpha.unwrap_or(d.alpha),
            min_n: self.min_n.unwrap_or(d.min_n),
            order: self.order.clone(),
        }
    }
}

impl Input for Options {
    fn read<T: DeserializeOwned>(self, what: &str) -> Result<T> {
        // An `Options` built in Rust (the CLI's flags): through serde once more, so the same checks apply.
        let value =
            serde_json::to_value(OptionsRecord(&self)).map_err(|e| CemError::param(what, "options", &e.to_string()))?;
        value.read(what)
    }
}

/// `Options` as the JSON record it is read from (only the given keys).
struct OptionsRecord<'a>(&'a Options);

impl serde::Serialize for OptionsRecord<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let o = self.0;
        let mut m = s.serialize_map(None)?;
        macro_rules! put {
            ($($f:ident),*) => {$( if let Some(v) = &o.$f { m.serialize_entry(stringify!($f), v)?; } )*};
        }
        put!(metric, scale, threshold, version, top, bottom, missing, level, method, resamples, seed, prior, test);
        put!(alternative, against, correction, alpha, min_n, order, value_se, every);
        put!(target, reference, ngrams, stop_words, min_count, statistic, max_terms);
        m.end()
    }
}

/// The error for a key `op` does not read: what it reads, and the nearest of those to what was written.
pub(crate) fn unread(op: Operation, key: &str, value: &str, allowed: &[&str], metric: Option<MetricKind>) -> CemError {
    let of = match (op, metric) {
        (
            Operation::Benchmark
            | Operation::BenchmarkTally
            | Operation::Trend
            | Operation::Classify
            | Operation::Discover
            | Operation::KeynessByAnswer,
            Some(m),
        ) => {
            format!("{} of {}", op.name(), m.name())
        }
        _ => op.name().to_string(),
    };
    let mut reason = format!("{of} does not read this option");
    if let Some(near) = nearest(key, allowed) {
        reason.push_str(&format!(" (did you mean {near}?)"));
    }
    reason.push_str(&format!("; it reads {}", allowed.join(", ")));
    CemError::param(key, value, &reason)
}

impl CemError {
    /// An unknown-key error from serde, given the operation's keys and a did-you-mean.
    pub(crate) fn with_suggestion(self, op: Operation) -> CemError {
        match &self {
            CemError::InvalidParameter { name, value, reason } if reason == UNKNOWN => {
                unread(op, name, value, &op.keys(None), None)
            }
            _ => self,
        }
    }
}

// A discovery's options are a record of their own (`DiscoverOptions`, in its room), read here too; the keys a
// benchmark shares are checked against the metric as a benchmark checks them.
impl crate::discover::DiscoverOptions {
    /// Reads a discovery's options strictly: unknown keys, and keys the metric does not read, are
    /// `invalid_parameter` errors naming them (with a did-you-mean); so are a depth outside 1..=4,
    /// `max_values` 0, `permutations` 0 or with a `correction`, a `weight` column with a counts cube, and
    /// weight sums without one.
    ///
    /// # Errors
    /// `invalid_parameter` naming the key.
    pub fn read(input: impl Input) -> Result<crate::discover::DiscoverOptions> {
        use crate::discover::MAX_DEPTH;
        let o: Option<crate::discover::DiscoverOptions> =
            input.read("options").map_err(|e| e.with_suggestion(Operation::Discover))?;
        let o = o.unwrap_or_default();
        o.common().check(Operation::Discover)?;
        if let Some(d) = o.depth {
            if !(1..=MAX_DEPTH).contains(&d) {
                return Err(CemError::param("depth", d, &format!("a slice has 1 to {MAX_DEPTH} conditions")));
            }
        }
        if o.max_values == Some(0) {
            return Err(CemError::param("max_values", 0, "an attribute needs at least one value"));
        }
        if o.permutations == Some(0) {
            return Err(CemError::param("permutations", 0, "the permutation bound needs at least one permutation"));
        }
        if o.permutations.is_some() && o.correction.is_some() {
            return Err(CemError::param(
                "correction",
                o.correction.map_or("", |c| c.name()),
                "permutations replace the correction with the Westfall–Young bound; give one or the other",
            ));
        }
        if o.weight.is_some() && o.count.is_some() {
            return Err(CemError::param(
                "weight",
                o.weight.as_deref().unwrap_or_default(),
                "a counts cube carries its weights as weight_sum and weight_sq_sum, not a weight column",
            ));
        }
        if o.count.is_none() && (o.weight_sum.is_some() || o.weight_sq_sum.is_some()) {
            return Err(CemError::param(
                "weight_sum",
                o.weight_sum.as_deref().or(o.weight_sq_sum.as_deref()).unwrap_or_default(),
                "weight sums belong to a counts cube: name its count column too (count)",
            ));
        }
        Ok(o)
    }

    /// The keys a benchmark shares, as [`Options`] (metric, interval, test, correction…).
    pub(crate) fn common(&self) -> Options {
        Options {
            metric: self.metric,
            scale: self.scale,
            threshold: self.threshold,
            version: self.version,
            top: self.top,
            bottom: self.bottom,
            missing: self.missing,
            level: self.level,
            method: self.method,
            resamples: self.resamples,
            seed: self.seed,
            prior: self.prior,
            test: self.test,
            alternative: self.alternative,
            correction: self.correction,
            alpha: self.alpha,
            min_n: self.min_n,
            ..Options::default()
        }
    }
}

// The driver operations' options are a record of their own (`DriverOptions`, beside the analysis); they are
// read here, with every other operation's, so that nothing below `api` knows an `Operation`.
impl DriverOptions {
    /// Reads the options of `op` (one of the driver operations) strictly: unknown keys and keys `op`
    /// does not read are `invalid_parameter` errors naming them.
    ///
    /// # Errors
    /// `invalid_parameter` naming the key.
    ///
    /// ```
    /// use cem_core::{DriverOptions, Operation};
    /// let o = DriverOptions::read(Operation::Drivers, r#"{"outcome": "nps", "method": "johnson"}"#)?;
    /// assert_eq!(o.method.unwrap().name(), "relative_weights");
    /// let e = DriverOptions::read(Operation::DriversTally, r#"{"outcome": "nps"}"#).unwrap_err();
    /// assert!(e.to_string().starts_with("invalid outcome"), "{e}");
    /// # Ok::<(), cem_core::CemError>(())
    /// ```
    pub fn read(op: Operation, input: impl Input) -> Result<DriverOptions> {
        let o: Option<DriverOptions> = input.read("options").map_err(|e| e.with_suggestion(op))?;
        let o = o.unwrap_or_default();
        let given = [
            ("outcome", o.outcome.as_ref().map(|v| format!("{v:?}"))),
            ("drivers", o.drivers.as_ref().map(|v| format!("{v:?}"))),
            ("weight", o.weight.as_ref().map(|v| format!("{v:?}"))),
            ("method", o.method.map(|v| v.to_string())),
            ("outcome_score", o.outcome_score.map(|v| v.to_string())),
            ("scale", o.scale.map(|v| format!("{v:?}"))),
            ("threshold", o.threshold.map(|v| v.to_string())),
            ("level", o.level.map(|v| Short(v).to_string())),
            ("missing", o.missing.map(|v| v.to_string())),
            ("resamples", o.resamples.map(|v| v.to_string())),
            ("seed", o.seed.map(|v| v.to_string())),
            ("split", o.split.map(|[a, b]| format!("[{}, {}]", Short(a), Short(b)))),
        ];
        let allowed = op.keys(None);
        if let Some((key, Some(value))) = given.iter().find(|(k, v)| v.is_some() && !allowed.contains(k)) {
            return Err(unread(op, key, value, &allowed, None));
        }
        Ok(o)
    }
}

// Raking's options and margins are records of their own (beside the fit, in `weighting/`); read here too.
impl RakeOptions {
    /// Reads the options of `op` ([`Operation::Rake`] or [`Operation::RakeCells`]) strictly.
    ///
    /// # Errors
    /// `invalid_parameter` naming the key: unknown, of the wrong type, not read by `op`, or out of range.
    ///
    /// ```
    /// use cem_core::{Operation, RakeOptions};
    /// let o = RakeOptions::read(Operation::Rake, r#"{"trim": [0.3, 3], "max_sweeps": 50}"#)?;
    /// assert_eq!(o.trim, Some([Some(0.3), Some(3.0)]));
    /// let e = RakeOptions::read(Operation::Rake, r#"{"tolerence": 1e-6}"#).unwrap_err();
    /// assert!(e.to_string().contains("did you mean tolerance?"), "{e}");
    /// # Ok::<(), cem_core::CemError>(())
    /// ```
    pub fn read(op: Operation, input: impl Input) -> Result<RakeOptions> {
        let o: Option<RakeOptions> = input.read("options").map_err(|e| e.with_suggestion(op))?;
        let o = o.unwrap_or_default();
        let given = [
            ("by", o.by.is_some()),
            ("tolerance", o.tolerance.is_some()),
            ("max_sweeps", o.max_sweeps.is_some()),
            ("trim", o.trim.is_some()),
            ("trim_absolute", o.trim_absolute.is_some()),
            ("missing", o.missing.is_some()),
        ];
        let allowed = op.keys(None);
        if let Some((key, _)) = given.iter().find(|(k, given)| *given && !allowed.contains(k)) {
            return Err(unread(op, key, "…", &allowed, None));
        }
        o.check()?;
        Ok(o)
    }
}

impl Margins {
    /// Reads margins from a mapping `{variable: {level: value}}` or a long table (a list of
    /// `{variable, level, value}` records, as a CSV `variable,level,value` reads); a level may be written
    /// as a number (`3` is the level `"3"`).
    ///
    /// # Errors
    /// `invalid_parameter` for another shape, a value that is not a number, a level listed twice, a
    /// variable without levels; `invalid_margin` for a target that is negative, NaN or infinite.
    ///
    /// ```
    /// use cem_core::Margins;
    /// let m = Margins::read(r#"{"region": {"north": 0.4, "south": 0.6}}"#)?;
    /// let long = Margins::read(r#"[{"variable": "region", "level": "north", "value": 0.4},
    ///                               {"variable": "region", "level": "south", "value": 0.6}]"#)?;
    /// assert_eq!(m, long);
    /// assert_eq!(m.variables["region"]["south"], 0.6);
    /// # Ok::<(), cem_core::CemError>(())
    /// ```
    pub fn read(input: impl Input) -> Result<Margins> {
        let value: serde_json::Value = input.read("margins")?;
        Margins::from_value(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_the_call_does_not_read_is_refused_by_name() {
        let e = Options::read(Operation::Estimate(MetricKind::Nps), r#"{"metric": "csat"}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_parameter");
        assert!(e.to_string().starts_with("invalid metric"), "{e}");
        let e = Options::read(Operation::Compare, r#"{"alpha": 0.01}"#).unwrap_err();
        assert!(e.to_string().starts_with("invalid alpha"), "{e}");
        let e = Options::read(Operation::Estimate(MetricKind::Nps), r#"{"levle": 0.9}"#).unwrap_err();
        assert!(e.to_string().contains("(did you mean level?)"), "{e}");
    }

    #[test]
    fn a_bad_name_is_refused_naming_the_key_written() {
        let e = Options::read(Operation::Compare, r#"{"test": "foo"}"#).unwrap_err();
        assert!(e.to_string().starts_with("invalid test"), "{e}");
        assert!(e.to_string().contains("use one of wald"), "{e}");
        let e = Options::read(Operation::Estimate(MetricKind::Nps), r#"{"level": "high"}"#).unwrap_err();
        assert!(e.to_string().starts_with("invalid level"), "{e}");
    }

    #[test]
    fn against_is_a_string_or_a_record() {
        let a = Options::read(Operation::BenchmarkTally, r#"{"against": "benchmark=45±2.5"}"#).unwrap();
        let b =
            Options::read(Operation::BenchmarkTally, r#"{"against": {"kind": "benchmark", "value": 45, "se": 2.5}}"#)
                .unwrap();
        assert_eq!(a.against, Some(Reference::Benchmark { value: 45.0, se: Some(2.5) }));
        assert_eq!(a, b);
        let e =
            Options::read(Operation::BenchmarkTally, r#"{"against": {"kind": "benchmark", "valeu": 45}}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_parameter");
    }

    #[test]
    fn options_built_in_rust_are_checked_too() {
        let o = Options { alpha: Some(0.01), ..Default::default() };
        assert!(Options::read(Operation::Compare, o.clone()).is_err());
        assert_eq!(Options::read(Operation::BenchmarkTally, o.clone()).unwrap(), o);
    }
}
