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

use crate::error::{CemError, Result};
use crate::inference::adjust::Correction;
use crate::order::argsort;
use crate::score::compare::{compare, compare_to, CompareOptions, Comparison};
use crate::score::metric::{Estimate, Metric};
use crate::score::tally::{Tally, WeightSums};
use crate::segments::reference::{adjust, check_alpha, tested, trailing, BenchmarkOptions, Reference, Side, Tested};
use crate::segments::segment::SegmentTally;

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
fn rest_of(total: &Tally, part: &Tally) -> Tally {
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

tested!(BenchmarkRow);

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
