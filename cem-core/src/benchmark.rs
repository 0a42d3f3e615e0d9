//! Segment benchmarking: which segments are really better or worse, and where acting pays most.
//!
//! Every segment's estimate is compared with a reference, the p-values are adjusted across segments for
//! multiplicity, and the rows are flagged, directed and ranked. The references:
//!
//! - `rest` (default): the segment against all *other* answers. Testing a part against a total that
//!   contains it understates the difference and double-counts the segment's own noise; against the rest
//!   the two samples are independent and the usual two-sample tests hold.
//! - `overall`: the segment against the overall score, with the part–whole variance. With w the
//!   segment's share of the total weight, θ_all = w·θ_s + (1 − w)·θ_rest, so
//!   θ_s − θ_all = (1 − w)(θ_s − θ_rest): the difference and its interval are the `rest` ones scaled by
//!   (1 − w), and the test statistic and p-value are exactly the `rest` ones.
//! - `benchmark`: an external value (an industry or competitor score), optionally with its own standard
//!   error, by [`compare_to`](crate::compare_to).
//! - `segment`: a named baseline segment.
//! - `previous`: ordered keys (months, quarters, waves): each against the one before it.
//!
//! Segments with fewer than `min_n` answers are flagged `low_n`, kept in the table with their estimate
//! and interval, and not tested: they are left out of the multiplicity family rather than tested as if
//! their large-sample approximations held.

use serde::{Deserialize, Serialize};

use crate::adjust::{adjust_pvalues, Correction};
use crate::compare::{compare, compare_to, Alternative, CompareOptions, Comparison, Test};
use crate::error::{parse_number, CemError, Result, Short};
use crate::interval::{check_level, IntervalOptions};
use crate::metric::{Estimate, Metric};
use crate::order::argsort;
use crate::segment::SegmentTally;
use crate::tally::{Tally, WeightSums};

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

crate::vocabulary::vocabulary! {
    /// Which side of the reference a segment lies on.
    pub enum Side as "side" {
        /// Above the reference.
        Above = "above",
        /// Below the reference.
        Below = "below",
        /// Exactly at it.
        Level = "level",
    }
}

impl Side {
    /// The side a difference (value − reference) puts a value on.
    pub(crate) fn of(difference: f64) -> Side {
        if difference > 0.0 {
            Side::Above
        } else if difference < 0.0 {
            Side::Below
        } else {
            Side::Level
        }
    }
}

/// One segment's line in the benchmark table. Optional fields are `None` where they do not apply
/// (a segment with no answers has no value; an untested segment has no p-value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkRow {
    /// Segment key.
    pub key: String,
    /// Answers.
    pub n: u64,
    /// Kish effective n.
    pub effective_n: f64,
    /// Share of all answers (of the total weight), in percent.
    pub share: f64,
    /// The segment's estimate.
    pub value: Option<f64>,
    /// Lower bound of its interval.
    pub lower: Option<f64>,
    /// Upper bound of its interval.
    pub upper: Option<f64>,
    /// The reference's value (the rest, overall, benchmark, baseline or previous segment).
    pub reference_value: Option<f64>,
    /// Segment − reference.
    pub difference: Option<f64>,
    /// Lower bound of the difference's interval.
    pub difference_lower: Option<f64>,
    /// Upper bound of the difference's interval.
    pub difference_upper: Option<f64>,
    /// Test statistic.
    pub statistic: Option<f64>,
    /// Unadjusted p-value.
    pub p_value: Option<f64>,
    /// p-value adjusted across the tested segments.
    pub adjusted_p_value: Option<f64>,
    /// Adjusted p-value below alpha.
    pub significant: bool,
    /// Which side of the reference (whether that is better follows the estimate's `direction`).
    pub side: Option<Side>,
    /// Fewer than `min_n` answers: flagged and not tested.
    pub low_n: bool,
    /// 1 = most significant (smallest adjusted p, then largest impact); untested rows follow by impact.
    pub rank: usize,
    /// Difference × share of answers: how many points of the total score the gap is worth.
    pub impact: Option<f64>,
}

/// Counts over the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkSummary {
    /// Segments in the table.
    pub segments: usize,
    /// Segments tested.
    pub tested: usize,
    /// Significantly above the reference.
    pub significantly_above: usize,
    /// Significantly below the reference.
    pub significantly_below: usize,
    /// Segments flagged low n.
    pub low_n: usize,
}

/// A segment benchmark table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// The metric.
    pub metric: Metric,
    /// What segments were compared with.
    pub reference: Reference,
    /// The correction.
    pub correction: Correction,
    /// Significance level.
    pub alpha: f64,
    /// The score over all segments.
    pub overall: Estimate,
    /// One row per segment, in key order.
    pub rows: Vec<BenchmarkRow>,
    /// Counts.
    pub summary: BenchmarkSummary,
}

impl Benchmark {
    /// The rows ordered by rank: most significant first ("top movers" by significance).
    ///
    /// ```
    /// # use cem_core::*;
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["a", "b"], &[vec![40, 0, 0, 0, 60], vec![5, 0, 0, 0, 95]]).unwrap();
    /// let b = benchmark(&s, Metric::csat(Scale::CSAT, None).unwrap(), &BenchmarkOptions::default()).unwrap();
    /// assert_eq!(b.by_significance()[0].rank, 1);
    /// ```
    pub fn by_significance(&self) -> Vec<&BenchmarkRow> {
        let order = argsort(self.rows.len(), &|a, b| self.rows[a].rank.cmp(&self.rows[b].rank));
        order.iter().map(|&i| &self.rows[i]).collect()
    }

    /// The rows ordered by |impact|, largest first ("top movers" by where acting pays most).
    ///
    /// ```
    /// # use cem_core::*;
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["a", "b"], &[vec![40, 0, 0, 0, 60], vec![5, 0, 0, 0, 95]]).unwrap();
    /// let b = benchmark(&s, Metric::csat(Scale::CSAT, None).unwrap(), &BenchmarkOptions::default()).unwrap();
    /// assert!(b.by_impact()[0].impact.unwrap().abs() >= b.by_impact()[1].impact.unwrap().abs());
    /// ```
    pub fn by_impact(&self) -> Vec<&BenchmarkRow> {
        let rows = &self.rows;
        let order = argsort(rows.len(), &|a, b| {
            abs_or_neg(rows[b].impact).total_cmp(&abs_or_neg(rows[a].impact)).then(rows[a].rank.cmp(&rows[b].rank))
        });
        order.iter().map(|&i| &rows[i]).collect()
    }
}

fn abs_or_neg(v: Option<f64>) -> f64 {
    v.map_or(-1.0, f64::abs)
}

/// The tally of every answer not in `part`: total − part, per point.
pub(crate) fn rest_of(total: &Tally, part: &Tally) -> Tally {
    let counts: Vec<u64> = total.counts().iter().zip(part.counts()).map(|(t, p)| t - p).collect();
    let weights = (total.is_weighted() || part.is_weighted()).then(|| {
        let sub = |t: Vec<f64>, p: Vec<f64>| -> Vec<f64> {
            // Subtraction can leave rounding dust where the rest has no answers: clear it.
            t.iter().zip(&p).zip(&counts).map(|((t, p), &c)| if c == 0 { 0.0 } else { (t - p).max(0.0) }).collect()
        };
        WeightSums {
            sum: sub(total.weight_sums(), part.weight_sums()),
            sum_sq: sub(total.weight_sq_sums(), part.weight_sq_sums()),
        }
    });
    Tally::from_parts(total.scale(), counts, weights)
}

/// Benchmarks every segment of `segments` on `metric`: estimate, comparison with the reference,
/// multiplicity-adjusted p-values, flags and ranks. See the module documentation for the references.
///
/// # Errors
/// `empty` if there are no answers at all; `invalid_parameter` for a bad alpha, level, method, an
/// unknown baseline segment or an `order` that does not list exactly the keys; those of
/// [`Metric::estimate`], [`compare`] and [`compare_to`].
///
/// ```
/// use cem_core::{benchmark, BenchmarkOptions, Metric, Missing, Scale, SegmentTally, Side};
/// let regions = ["north"; 60].iter().chain(&["south"; 60]).copied().collect::<Vec<_>>();
/// let answers: Vec<u8> = (0..120).map(|i| if i < 60 { [10, 9, 9, 8][i % 4] } else { [3, 6, 8, 9][i % 4] }).collect();
/// let mut s = SegmentTally::new(Scale::NPS);
/// s.update_keys(&regions, &answers, None, Missing::Error)?;
/// let table = benchmark(&s, Metric::Nps, &BenchmarkOptions::default())?;
/// let north = &table.rows[0];
/// assert_eq!(north.key, "north");
/// assert!(north.significant && north.side == Some(Side::Above));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn benchmark(segments: &SegmentTally, metric: Metric, opts: &BenchmarkOptions) -> Result<Benchmark> {
    check_alpha(opts.alpha)?;
    metric.check(segments.scale())?;
    let total = segments.total();
    let overall = metric.estimate(&total, &opts.interval)?;
    let keys = ordered_keys(segments, opts.order.as_deref())?;
    let tallies: Vec<Tally> =
        keys.iter().map(|k| segments.segment(k).unwrap_or_else(|| Tally::new(total.scale()))).collect();
    let estimates: Vec<Option<Estimate>> = tallies
        .iter()
        .map(|t| if t.n() == 0 { Ok(None) } else { metric.estimate(t, &opts.interval).map(Some) })
        .collect::<Result<_>>()?;
    let baseline = match &opts.reference {
        Reference::Segment { key } => Some(keys.iter().position(|k| k == key).ok_or_else(|| {
            CemError::param("against", format!("segment={key}"), "the baseline segment is not among the keys")
        })?),
        _ => None,
    };
    let table =
        Table { metric, opts, total: &total, overall: &overall, tallies: &tallies, estimates: &estimates, baseline };
    let mut rows = keys.iter().enumerate().map(|(i, key)| table.row(i, key)).collect::<Result<Vec<_>>>()?;
    let tested = adjust(&mut rows, opts)?;
    rank(&mut rows);
    let count = |f: &dyn Fn(&BenchmarkRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let summary = BenchmarkSummary {
        segments: rows.len(),
        tested,
        significantly_above: count(&|r| r.significant && r.side == Some(Side::Above)),
        significantly_below: count(&|r| r.significant && r.side == Some(Side::Below)),
        low_n: count(&|r| r.low_n),
    };
    Ok(Benchmark {
        metric,
        reference: opts.reference.clone(),
        correction: opts.correction,
        alpha: opts.alpha,
        overall,
        rows,
        summary,
    })
}

/// A significance level strictly between 0 and 1.
pub(crate) fn check_alpha(alpha: f64) -> Result<()> {
    check_level(alpha).map_err(|_| CemError::param("alpha", Short(alpha), "must be strictly between 0 and 1"))
}

/// The keys in `order`, which must list every key exactly once, or sorted.
fn ordered_keys(segments: &SegmentTally, order: Option<&[String]>) -> Result<Vec<String>> {
    let Some(order) = order else { return Ok(segments.keys().to_vec()) };
    let sorted = argsort(order.len(), &|a, b| order[a].cmp(&order[b]));
    if !sorted.iter().map(|&i| &order[i]).eq(segments.keys()) {
        return Err(CemError::param("order", order.join(", "), "must list every segment key exactly once"));
    }
    Ok(order.to_vec())
}

/// What a row needs to be compared with its reference: the segments in order, their tallies and estimates.
struct Table<'a> {
    metric: Metric,
    opts: &'a BenchmarkOptions,
    total: &'a Tally,
    overall: &'a Estimate,
    tallies: &'a [Tally],
    estimates: &'a [Option<Estimate>],
    /// The baseline segment's position, for `against: segment=KEY`.
    baseline: Option<usize>,
}

impl Table<'_> {
    fn large(&self, i: usize) -> bool {
        self.tallies[i].n() >= self.opts.min_n
    }

    fn compare(&self, a: &Estimate, b: &Estimate) -> Result<Comparison> {
        let o = self.opts;
        compare(a, b, &CompareOptions { method: o.test, level: o.interval.level, alternative: o.alternative })
    }

    /// Segment `i`'s row, untested (adjusted p-values and ranks come after every row is made).
    fn row(&self, i: usize, key: &str) -> Result<BenchmarkRow> {
        let (tally, est) = (&self.tallies[i], self.estimates[i].as_ref());
        let total_weight = self.total.total_weight();
        let share = if total_weight > 0.0 { 100.0 * tally.total_weight() / total_weight } else { 0.0 };
        let (reference_value, comparison) = match est {
            Some(e) => self.reference(i, e, share)?,
            None => (None, None),
        };
        let difference = match (&comparison, est, reference_value) {
            (Some(c), _, _) => Some(c.difference),
            (None, Some(e), Some(r)) if self.baseline != Some(i) => Some(e.value - r),
            _ => None,
        };
        Ok(BenchmarkRow {
            key: key.to_string(),
            n: tally.n(),
            effective_n: tally.effective_n(),
            share,
            value: est.map(|e| e.value),
            lower: est.map(|e| e.interval.lower),
            upper: est.map(|e| e.interval.upper),
            reference_value,
            difference,
            difference_lower: comparison.as_ref().map(|c| c.interval.lower),
            difference_upper: comparison.as_ref().map(|c| c.interval.upper),
            statistic: comparison.as_ref().map(|c| c.statistic),
            p_value: comparison.as_ref().map(|c| c.p_value),
            adjusted_p_value: None,
            significant: false,
            side: difference.map(Side::of),
            low_n: tally.n() < self.opts.min_n,
            rank: 0,
            impact: difference.map(|d| d * share / 100.0),
        })
    }

    /// The reference's value and, where the row is tested, the comparison with it.
    fn reference(&self, i: usize, e: &Estimate, share: f64) -> Result<(Option<f64>, Option<Comparison>)> {
        let (metric, opts) = (self.metric, self.opts);
        Ok(match &opts.reference {
            Reference::Rest | Reference::Overall => {
                let rest = rest_of(self.total, &self.tallies[i]);
                let overall = matches!(opts.reference, Reference::Overall).then_some(self.overall.value);
                if rest.n() == 0 || rest.total_weight() <= 0.0 {
                    // The segment is all of the data: there is nothing to compare it with.
                    return Ok((overall, None));
                }
                let r = metric.estimate(&rest, &opts.interval)?;
                let c = if self.large(i) { Some(self.compare(e, &r)?) } else { None };
                match overall {
                    // Against the overall score: the rest's comparison scaled by the rest's share.
                    Some(value) => {
                        let scale = 1.0 - share / 100.0;
                        let c = c.map(|mut c| {
                            c.difference = e.value - value;
                            c.interval.lower *= scale;
                            c.interval.upper *= scale;
                            c
                        });
                        (Some(value), c)
                    }
                    None => (Some(r.value), c),
                }
            }
            Reference::Benchmark { value, se } => {
                let copts =
                    CompareOptions { method: opts.test, level: opts.interval.level, alternative: opts.alternative };
                let c = if self.large(i) { Some(compare_to(e, *value, *se, &copts)?) } else { None };
                (Some(*value), c)
            }
            Reference::Segment { .. } => {
                let b = self.baseline.unwrap_or(i);
                match self.estimates[b].as_ref() {
                    Some(r) if b != i => {
                        let c = if self.large(i) && self.large(b) { Some(self.compare(e, r)?) } else { None };
                        (Some(r.value), c)
                    }
                    Some(r) => (Some(r.value), None),
                    None => (None, None),
                }
            }
            Reference::Previous => match i.checked_sub(1).and_then(|p| self.estimates[p].as_ref().map(|r| (p, r))) {
                Some((p, r)) => {
                    let c = if self.large(i) && self.large(p) { Some(self.compare(e, r)?) } else { None };
                    (Some(r.value), c)
                }
                None => (None, None),
            },
            Reference::Trailing { periods } => {
                let window = &self.tallies[i.saturating_sub(*periods as usize)..i];
                match trailing(window.iter(), metric, &opts.interval)? {
                    None => (None, None),
                    Some(r) => {
                        let tested = self.large(i) && r.n >= opts.min_n;
                        (Some(r.value), if tested { Some(self.compare(e, &r)?) } else { None })
                    }
                }
            }
        })
    }
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
tested!(BenchmarkRow, crate::trend::TrendRow);

/// Ranks: tested rows by adjusted p, then |impact|; untested rows after them by |impact|.
fn rank(rows: &mut [BenchmarkRow]) {
    let order = argsort(rows.len(), &|a, b| {
        let key = |r: &BenchmarkRow| (r.adjusted_p_value.is_none(), r.adjusted_p_value.unwrap_or(1.0));
        let (ka, kb) = (key(&rows[a]), key(&rows[b]));
        ka.0.cmp(&kb.0)
            .then(ka.1.total_cmp(&kb.1))
            .then(abs_or_neg(rows[b].impact).total_cmp(&abs_or_neg(rows[a].impact)))
    });
    for (rank, &i) in order.iter().enumerate() {
        rows[i].rank = rank + 1;
    }
}
