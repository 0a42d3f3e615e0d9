//! What a segment or a period is tested against, and the family's multiplicity: the [`Reference`], the
//! [`BenchmarkOptions`] a benchmark and a trend both read, the [`Side`] a row lies on, the pooled trailing
//! window, and the adjustment of the tested rows' p-values. Shared by `benchmark` and `trend`, which do not
//! import each other.

use serde::{Deserialize, Serialize};

use crate::error::{parse_number, CemError, Result, Short};
use crate::inference::adjust::{adjust_pvalues, Correction};
use crate::inference::interval::{check_level, IntervalOptions};
use crate::score::compare::{Alternative, Test};
use crate::score::metric::{Estimate, Metric};
use crate::score::tally::Tally;

/// What each segment is compared with. Read from its text form (`"benchmark=45±2.5"`, see `from_str`)
/// or its JSON record (`{"kind": "benchmark", "value": 45, "se": 2.5}`), which is how it is written.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reference {
    /// All other answers (default).
    #[default]
    Rest,
    /// The overall score, with the part–whole variance.
    Overall,
    /// An external value, in the metric's unit, optionally with its standard error.
    Benchmark {
        /// The benchmark value.
        value: f64,
        /// Its standard error, if it is itself an estimate.
        #[serde(default)]
        se: Option<f64>,
    },
    /// A named baseline segment.
    Segment {
        /// The baseline's key.
        key: String,
    },
    /// The previous key in order (periods).
    Previous,
    /// The previous `periods` keys in order, pooled: a trailing baseline.
    Trailing {
        /// How many keys before each are pooled (at least 1).
        periods: u32,
    },
}

/// Reference's JSON record: `kind` and whichever fields it has.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFields {
    kind: String,
    value: Option<f64>,
    #[serde(default)]
    se: Option<f64>,
    key: Option<String>,
    periods: Option<u32>,
}

impl<'de> Deserialize<'de> for Reference {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Reference;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a reference: \"rest\", \"benchmark=45\" or {\"kind\": \"benchmark\", \"value\": 45}")
            }
            fn visit_str<E: Error>(self, s: &str) -> std::result::Result<Reference, E> {
                s.parse().map_err(|e: CemError| E::custom(e.to_string()))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, m: M) -> std::result::Result<Reference, M::Error> {
                let f = ReferenceFields::deserialize(serde::de::value::MapAccessDeserializer::new(m))?;
                let need = |v: Option<f64>| v.ok_or_else(|| M::Error::missing_field("value"));
                let text = |s: &str| s.parse::<Reference>().map_err(|e| M::Error::custom(e.to_string()));
                if f.kind == "trailing" {
                    let periods = f.periods.ok_or_else(|| M::Error::missing_field("periods"))?;
                    return text(&format!("trailing={periods}"));
                }
                match (f.kind.as_str(), f.key) {
                    ("benchmark", None) => Ok(Reference::Benchmark { value: need(f.value)?, se: f.se }),
                    ("segment", Some(key)) => Ok(Reference::Segment { key }),
                    ("segment", None) => Err(M::Error::missing_field("key")),
                    (kind, None)
                        if f.value.is_none() && f.se.is_none() && f.periods.is_none() && kind != "benchmark" =>
                    {
                        text(kind)
                    }
                    (kind, _) => Err(M::Error::custom(format!("a reference of kind {kind} has no such fields"))),
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl std::str::FromStr for Reference {
    type Err = CemError;
    /// Parses `rest`, `overall`, `previous`, `trailing=K`, `benchmark=VALUE[±SE]` or `segment=KEY`; VALUE and SE are
    /// numbers as JSON writes them (`45`, `-1.5`, `2e1`), the SE after `±` or `+-`.
    ///
    /// ```
    /// use cem_core::Reference;
    /// let r: Reference = "benchmark=45±2.5".parse().unwrap();
    /// assert_eq!(r, Reference::Benchmark { value: 45.0, se: Some(2.5) });
    /// let r: Reference = "benchmark=-1e1 +- 2".parse().unwrap();
    /// assert_eq!(r, Reference::Benchmark { value: -10.0, se: Some(2.0) });
    /// assert_eq!("benchmark=high".parse::<Reference>().unwrap_err().code(), "invalid_parameter");
    /// assert_eq!("benchmark=45±".parse::<Reference>().unwrap_err().code(), "invalid_parameter");
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let bad = |reason: &str| CemError::param("against", s, reason);
        match s {
            "rest" => Ok(Reference::Rest),
            "overall" => Ok(Reference::Overall),
            "previous" => Ok(Reference::Previous),
            _ => {
                if let Some(v) = s.strip_prefix("benchmark=") {
                    let (value, se) = match v.split_once('±').or_else(|| v.split_once("+-")) {
                        Some((v, se)) => (v, Some(se)),
                        None => (v, None),
                    };
                    let value = parse_number(value).ok_or_else(|| bad("benchmark=VALUE needs a number"))?;
                    let se = se.map(|x| parse_number(x).ok_or_else(|| bad("the ±SE needs a number"))).transpose()?;
                    Ok(Reference::Benchmark { value, se })
                } else if let Some(k) = s.strip_prefix("trailing=") {
                    match k.trim().parse::<u32>() {
                        Ok(periods) if periods >= 1 => Ok(Reference::Trailing { periods }),
                        _ => Err(bad("trailing=K needs a whole number of periods K ≥ 1")),
                    }
                } else if let Some(key) = s.strip_prefix("segment=") {
                    Ok(Reference::Segment { key: key.to_string() })
                } else {
                    Err(bad("use rest, overall, previous, trailing=K, benchmark=VALUE[±SE] or segment=KEY"))
                }
            }
        }
    }
}

/// Options of a segment benchmark; `Default`: against the rest, 95% intervals by the metric's default
/// method, the family's default test, two-sided, Holm at alpha 0.05, `min_n` 30.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BenchmarkOptions {
    /// What each segment is compared with.
    pub reference: Reference,
    /// Interval options for each segment's estimate (and the level of every interval).
    pub interval: IntervalOptions,
    /// The comparison test; `None` for the family's default.
    pub test: Option<Test>,
    /// Alternative hypothesis about segment − reference.
    pub alternative: Alternative,
    /// Multiplicity correction across the tested segments.
    pub correction: Correction,
    /// Significance level for the adjusted p-values.
    pub alpha: f64,
    /// Segments with fewer answers are flagged `low_n` and not tested.
    pub min_n: u64,
    /// Order of the keys (rows, and periods for `previous`); `None` for sorted keys.
    pub order: Option<Vec<String>>,
}

impl Default for BenchmarkOptions {
    fn default() -> Self {
        BenchmarkOptions {
            reference: Reference::Rest,
            interval: IntervalOptions::default(),
            test: None,
            alternative: Alternative::TwoSided,
            correction: Correction::Holm,
            alpha: 0.05,
            min_n: 30,
            order: None,
        }
    }
}

/// The side a row lies on: a comparison's (`score/compare.rs`), shared with keyness, which does not import
/// this room.
pub use crate::score::compare::Side;

/// A significance level strictly between 0 and 1.
pub(crate) fn check_alpha(alpha: f64) -> Result<()> {
    check_level(alpha).map_err(|_| CemError::param("alpha", Short(alpha), "must be strictly between 0 and 1"))
}

/// The estimate of a trailing window's tallies pooled (`None` if they hold no answers): the reference of
/// `trailing=k`, in a benchmark over ordered keys and in a trend.
pub(crate) fn trailing<'a>(
    window: impl Iterator<Item = &'a Tally>,
    metric: Metric,
    interval: &IntervalOptions,
) -> Result<Option<Estimate>> {
    let mut pooled: Option<Tally> = None;
    for t in window {
        match pooled.as_mut() {
            Some(p) => p.merge(t)?,
            None => pooled = Some(t.clone()),
        }
    }
    match pooled {
        Some(p) if p.n() > 0 => Ok(Some(metric.estimate(&p, interval)?)),
        _ => Ok(None),
    }
}

/// Multiplicity: adjusts the p-values of the tested rows (those with one) together and flags the
/// significant ones; returns how many were tested. (Benchmark and trend rows alike.)
pub(crate) fn adjust<R: Tested>(rows: &mut [R], opts: &BenchmarkOptions) -> Result<usize> {
    let tested: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].p_value().is_some()).collect();
    let raw: Vec<f64> = tested.iter().filter_map(|&i| rows[i].p_value()).collect();
    for (&i, adjusted) in tested.iter().zip(adjust_pvalues(&raw, opts.correction)?) {
        rows[i].set_adjusted(adjusted, adjusted < opts.alpha);
    }
    Ok(tested.len())
}

/// A row with a p-value to adjust.
pub(crate) trait Tested {
    fn p_value(&self) -> Option<f64>;
    fn set_adjusted(&mut self, adjusted: f64, significant: bool);
}

/// Benchmark and trend rows name their p-values alike.
macro_rules! tested {
    ($($row:ty),*) => {$(
        impl Tested for $row {
            fn p_value(&self) -> Option<f64> {
                self.p_value
            }
            fn set_adjusted(&mut self, adjusted: f64, significant: bool) {
                self.adjusted_p_value = Some(adjusted);
                self.significant = significant;
            }
        }
    )*};
}
pub(crate) use tested;
