//! Options as the bindings and the CLI receive them: one flat, serde-readable set of names with string
//! values, parsed and defaulted here, once, so that Python keywords, JavaScript option objects and
//! command-line flags mean the same thing everywhere.
//!
//! Names are snake_case; JavaScript's camelCase spellings (`minN`, `valueSe`) are accepted as aliases.

use serde::Deserialize;

use crate::adjust::Correction;
use crate::benchmark::{BenchmarkOptions, Reference};
use crate::compare::{CompareOptions, Test};
use crate::error::{CemError, Result};
use crate::interval::IntervalOptions;
use crate::metric::{Metric, KINDS};
use crate::scale::Scale;
use crate::tally::Missing;

/// Every option of every call; each call reads the ones it needs. `None` means the documented default.
///
/// ```
/// use cem_core::{Method, Options};
/// let o = Options::from_json(r#"{"metric": "csat", "level": 0.9, "method": "jeffreys"}"#).unwrap();
/// let (metric, scale) = o.metric("nps").unwrap();
/// assert_eq!(metric.name(), "csat");
/// assert_eq!(scale, cem_core::Scale::CSAT);
/// assert_eq!(o.interval().unwrap().method, Some(Method::Jeffreys));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// `nps`, `csat`, `ces`, `top_box`, `bottom_box`, `net_box`, `mean`.
    pub metric: Option<String>,
    /// `[min, max]` of the answers; defaults: NPS 0–10, CSAT 1–5, CES 2.0 1–7, CES 1.0 1–5.
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
    pub missing: Option<String>,
    /// Confidence level (default 0.95).
    pub level: Option<f64>,
    /// Interval method for estimates; the test for `compare` / `compare_to`; the correction for
    /// `adjust_pvalues`.
    pub method: Option<String>,
    /// Bootstrap resamples (default 2000).
    pub resamples: Option<u32>,
    /// Bootstrap seed (default 0).
    pub seed: Option<u64>,
    /// Dirichlet prior for `bayes` (default [1, 1, 1]).
    pub prior: Option<[f64; 3]>,
    /// Test of each segment in a benchmark.
    pub test: Option<String>,
    /// `two-sided` (default), `greater`, `less`.
    pub alternative: Option<String>,
    /// Benchmark reference: `rest` (default), `overall`, `previous`, `benchmark=VALUE[±SE]`, `segment=KEY`.
    pub against: Option<String>,
    /// Benchmark correction (default `holm`).
    pub correction: Option<String>,
    /// Benchmark significance level (default 0.05).
    pub alpha: Option<f64>,
    /// Benchmark minimum n to test a segment (default 30).
    #[serde(alias = "minN")]
    pub min_n: Option<u64>,
    /// Benchmark key order.
    pub order: Option<Vec<String>>,
    /// Standard error of a benchmark value (`compare_to`).
    #[serde(alias = "valueSe")]
    pub value_se: Option<f64>,
}

impl Options {
    /// Reads options from JSON (`{}` for all defaults).
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown name or a value of the wrong type.
    ///
    /// ```
    /// assert_eq!(cem_core::Options::from_json(r#"{"levle": 0.9}"#).unwrap_err().code(), "invalid_parameter");
    /// ```
    pub fn from_json(json: &str) -> Result<Options> {
        serde_json::from_str(json).map_err(|e| CemError::param("options", json, &e.to_string()))
    }

    /// The metric and its scale, `default_kind` when no metric is named.
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown metric, a missing threshold/scale where the metric has no
    /// default, a threshold off the scale.
    ///
    /// ```
    /// let o = cem_core::Options { version: Some(1), ..Default::default() };
    /// let (m, s) = o.metric("ces").unwrap();
    /// assert_eq!((m, s), (cem_core::Metric::Ces { version: 1 }, cem_core::Scale::CES_V1));
    /// ```
    pub fn metric(&self, default_kind: &str) -> Result<(Metric, Scale)> {
        let kind = self.metric.as_deref().unwrap_or(default_kind);
        if !KINDS.contains(&kind) {
            return Err(CemError::param("metric", kind, &format!("use one of {}", KINDS.join(", "))));
        }
        let version = self.version.unwrap_or(2);
        let given = self.scale.map(|[lo, hi]| Scale::new(lo, hi)).transpose()?;
        let required = |name: &str, v: Option<i32>| {
            v.ok_or_else(|| CemError::param(name, "none", &format!("{kind} needs a {name}")))
        };
        let scale = match (given, kind) {
            (Some(s), _) => s,
            (None, "nps") => Scale::NPS,
            (None, "csat") => Scale::CSAT,
            (None, "ces") if version == 1 => Scale::CES_V1,
            (None, "ces") => Scale::CES,
            (None, _) => return Err(CemError::param("scale", "none", &format!("{kind} needs a scale, e.g. [1, 5]"))),
        };
        let metric = match kind {
            "nps" => Metric::Nps,
            "csat" => Metric::csat(scale, self.threshold)?,
            "ces" => Metric::Ces { version },
            "top_box" => Metric::TopBox { threshold: required("threshold", self.threshold)? },
            "bottom_box" => Metric::BottomBox { threshold: required("threshold", self.threshold)? },
            "net_box" => Metric::NetBox { top: required("top", self.top)?, bottom: required("bottom", self.bottom)? },
            _ => Metric::Mean,
        };
        metric.check(scale)?;
        Ok((metric, scale))
    }

    /// These options for answers already tallied on `scale`: a tally carries its scale, so the options
    /// need not repeat it (a scale they do give still applies).
    ///
    /// ```
    /// use cem_core::{Options, Scale};
    /// let o = Options { metric: Some("csat".into()), ..Default::default() }.on_scale(Scale::new(1, 7).unwrap());
    /// assert_eq!(o.metric("csat").unwrap().1, Scale::new(1, 7).unwrap());
    /// ```
    pub fn on_scale(mut self, scale: Scale) -> Options {
        self.scale = self.scale.or(Some([scale.min(), scale.max()]));
        self
    }

    /// The metric of a segment benchmark: the named one, NPS by default.
    ///
    /// # Errors
    /// As [`Options::metric`].
    ///
    /// ```
    /// assert_eq!(cem_core::Options::default().benchmark_metric().unwrap().0, cem_core::Metric::Nps);
    /// ```
    pub fn benchmark_metric(&self) -> Result<(Metric, Scale)> {
        self.metric("nps")
    }

    /// The missing-answer policy.
    ///
    /// # Errors
    /// `invalid_parameter` for anything but `error` or `skip`.
    ///
    /// ```
    /// assert_eq!(cem_core::Options::default().missing().unwrap(), cem_core::Missing::Error);
    /// ```
    pub fn missing(&self) -> Result<Missing> {
        self.missing.as_deref().map_or(Ok(Missing::default()), str::parse)
    }

    /// Interval options.
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown method.
    ///
    /// ```
    /// assert_eq!(cem_core::Options::default().interval().unwrap(), cem_core::IntervalOptions::default());
    /// ```
    pub fn interval(&self) -> Result<IntervalOptions> {
        let d = IntervalOptions::default();
        Ok(IntervalOptions {
            level: self.level.unwrap_or(d.level),
            method: self.method.as_deref().map(str::parse).transpose()?,
            resamples: self.resamples.unwrap_or(d.resamples),
            seed: self.seed.unwrap_or(d.seed),
            prior: self.prior.unwrap_or(d.prior),
        })
    }

    /// Comparison options (`method` names the test).
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown test or alternative.
    ///
    /// ```
    /// let o = cem_core::Options { alternative: Some("greater".into()), ..Default::default() };
    /// assert_eq!(o.compare().unwrap().alternative, cem_core::Alternative::Greater);
    /// ```
    pub fn compare(&self) -> Result<CompareOptions> {
        let d = CompareOptions::default();
        Ok(CompareOptions {
            method: self.method.as_deref().map(str::parse::<Test>).transpose()?,
            level: self.level.unwrap_or(d.level),
            alternative: self.alternative.as_deref().map_or(Ok(d.alternative), str::parse)?,
        })
    }

    /// The p-value correction (`method`, as in `adjust_pvalues(pvalues, method="holm")`).
    ///
    /// # Errors
    /// `invalid_parameter` for an unknown correction.
    ///
    /// ```
    /// assert_eq!(cem_core::Options::default().correction().unwrap(), cem_core::Correction::Holm);
    /// ```
    pub fn correction(&self) -> Result<Correction> {
        self.method.as_deref().or(self.correction.as_deref()).map_or(Ok(Correction::default()), str::parse)
    }

    /// Segment benchmark options (`method` is the interval method, `test` the comparison).
    ///
    /// # Errors
    /// `invalid_parameter` for any unknown name among them.
    ///
    /// ```
    /// let o = cem_core::Options { against: Some("benchmark=30".into()), min_n: Some(50), ..Default::default() };
    /// let b = o.benchmark().unwrap();
    /// assert_eq!((b.min_n, b.reference), (50, cem_core::Reference::Benchmark { value: 30.0, se: None }));
    /// ```
    pub fn benchmark(&self) -> Result<BenchmarkOptions> {
        let d = BenchmarkOptions::default();
        let c = self.compare_for_benchmark()?;
        Ok(BenchmarkOptions {
            reference: self.against.as_deref().map_or(Ok(Reference::default()), str::parse)?,
            interval: self.interval()?,
            test: c.0,
            alternative: c.1,
            correction: self.correction.as_deref().map_or(Ok(d.correction), str::parse)?,
            alpha: self.alpha.unwrap_or(d.alpha),
            min_n: self.min_n.unwrap_or(d.min_n),
            order: self.order.clone(),
        })
    }

    fn compare_for_benchmark(&self) -> Result<(Option<Test>, crate::compare::Alternative)> {
        let test = self.test.as_deref().map(str::parse::<Test>).transpose()?;
        let alternative = self.alternative.as_deref().map_or(Ok(Default::default()), str::parse)?;
        Ok((test, alternative))
    }
}
