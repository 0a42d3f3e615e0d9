//! Scores over time: a segment × period grid built in one pass, each segment's series compared period
//! against period, and "what really changed" in the last period.
//!
//! Rows of (date, segment, answer) are counted into a [`TrendTally`]: a [`SegmentTally`] whose keys are
//! the grid's cells (`"north × 2025-W03"`, or the period label alone without segments), so it merges,
//! serializes and validates answers exactly as a segment tally does. Dates are binned by [`Every`] (its
//! documentation has the rules).
//!
//! [`trend`] then reads the grid: every period from the first to the last is present (a period with no
//! answers has n = 0 and no value), each cell is compared with its segment's previous period
//! (`against: "previous"`, the default) or with the pooled `k` previous periods (`"trailing=k"`), cells
//! with fewer than `min_n` answers (or whose reference has fewer) are flagged `low_n` and left untested,
//! and the p-values are adjusted across every tested cell of the grid: the family is the whole table.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::adjust::{adjust_pvalues, Correction};
use crate::benchmark::{BenchmarkOptions, Reference, Side};
use crate::compare::{compare, CompareOptions, Comparison};
use crate::error::{CemError, Result, Short};
use crate::interval::check_level;
use crate::metric::{Estimate, Metric};
use crate::order::argsort;
use crate::period::{Date, Every};
use crate::scale::Scale;
use crate::segment::{Code, Key, SegmentTally};
use crate::tally::{check_len, Answer, Missing, Tally};

/// Separates a segment from its period in a cell's key (as [`crossed_key`](crate::crossed_key) does).
const CROSS: &str = " × ";

/// Counts per (segment, period) cell; mergeable like every tally.
///
/// ```
/// use cem_core::{Every, Missing, Scale, TrendTally};
/// let mut t = TrendTally::by_segment(Scale::NPS, Every::Quarter);
/// t.update_keys(&["2025-01-15", "2025-05-02", "2025-02-01"], &["web", "web", "app"], &[10u8, 3, 9], None, Missing::Error)?;
/// assert_eq!(t.cells().keys(), &["app × 2025-Q1", "web × 2025-Q1", "web × 2025-Q2"]);
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendTally {
    every: Every,
    segmented: bool,
    cells: SegmentTally,
}

impl TrendTally {
    /// An empty trend of the whole data (no segments).
    pub fn new(scale: Scale, every: Every) -> TrendTally {
        TrendTally { every, segmented: false, cells: SegmentTally::new(scale) }
    }

    /// An empty trend per segment.
    pub fn by_segment(scale: Scale, every: Every) -> TrendTally {
        TrendTally { every, segmented: true, cells: SegmentTally::new(scale) }
    }

    /// How dates are binned.
    pub fn every(&self) -> Every {
        self.every
    }

    /// The scale.
    pub fn scale(&self) -> Scale {
        self.cells.scale()
    }

    /// The cells as a segment tally keyed `"segment × period"` (or `"period"` without segments).
    pub fn cells(&self) -> &SegmentTally {
        &self.cells
    }

    /// Adds rows of (date, answer) to a trend without segments. On error nothing is added.
    ///
    /// # Errors
    /// Those of [`Date::day`] (a missing date is `invalid_date` unless `missing` is `skip`, which skips
    /// the row), of [`SegmentTally::update_codes`] for the answers and weights, and `incompatible` on a
    /// trend by segment.
    pub fn update<D: Date, A: Answer>(
        &mut self,
        dates: &[D],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        if self.segmented {
            return Err(CemError::Incompatible { reason: "this trend is by segment: give each row's segment".into() });
        }
        self.add(&|i| dates[i].day(i), dates.len(), 1, &|_| Ok(0), &|_| "", answers, weights, missing)
    }

    /// Adds rows whose segment is an integer code into `names`. On error nothing is added.
    ///
    /// # Errors
    /// As [`TrendTally::update`], plus `invalid_segment` for a code with no name or a missing one.
    pub fn update_codes<D: Date, C: Code, K: AsRef<str>, A: Answer>(
        &mut self,
        dates: &[D],
        codes: &[C],
        names: &[K],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        if !self.segmented {
            return Err(CemError::Incompatible { reason: "this trend has no segments".into() });
        }
        check_len("segments", answers.len(), codes.len())?;
        let segments = names.len();
        let segment = |i: usize| {
            let c = codes[i];
            if c.is_missing() {
                return Err(crate::segment::missing_key(i));
            }
            if c.index() >= segments {
                return Err(CemError::InvalidSegment {
                    index: i,
                    value: c.to_string(),
                    reason: format!("there are {segments} segment names, so codes run 0..{segments}"),
                });
            }
            Ok(c.index() as u32)
        };
        let name = |c: u32| names[c as usize].as_ref();
        self.add(&|i| dates[i].day(i), dates.len(), segments, &segment, &name, answers, weights, missing)
    }

    /// Adds rows whose segment is given by its key; keys are interned once. On error nothing is added.
    ///
    /// # Errors
    /// As [`TrendTally::update_codes`].
    pub fn update_keys<D: Date, K: Key, A: Answer>(
        &mut self,
        dates: &[D],
        keys: &[K],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        let (codes, names) = crate::segment::intern_keys(keys)?;
        self.update_codes(dates, &codes, &names, answers, weights, missing)
    }

    /// Adds rows whose segment key is a whole number, named by its decimal form. On error nothing is added.
    ///
    /// # Errors
    /// As [`TrendTally::update_codes`].
    pub fn update_numbered<D: Date, C: Code, A: Answer>(
        &mut self,
        dates: &[D],
        numbers: &[C],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        let (codes, names) = crate::segment::intern_numbers(numbers)?;
        self.update_codes(dates, &codes, &names, answers, weights, missing)
    }

    /// Whether the trend is by segment (cells keyed `"segment × period"`).
    pub(crate) fn segmented(&self) -> bool {
        self.segmented
    }

    /// Adds cells keyed as this trend keys them (a counts table's); on error nothing is added.
    pub(crate) fn merge_cells(&mut self, cells: &SegmentTally) -> Result<()> {
        self.cells.merge(cells)
    }

    /// Adds another trend tally of the same scale, binning and segmenting. On error this one is unchanged.
    ///
    /// # Errors
    /// `incompatible` for a different binning, segmenting or scale; `overflow`.
    pub fn merge(&mut self, other: &TrendTally) -> Result<()> {
        if (self.every, self.segmented) != (other.every, other.segmented) {
            return Err(CemError::Incompatible { reason: "trends binned or segmented differently".into() });
        }
        self.cells.merge(&other.cells)
    }

    /// The rows' cells, then one count of them all: the first bad row (date, segment, answer or weight)
    /// is the error, and nothing is added unless every row is good. (Dates and segments are read through
    /// `dyn` calls: one copy of this function per answer type keeps the .wasm small.)
    #[allow(clippy::too_many_arguments)]
    fn add<'n, A: Answer>(
        &mut self,
        day: &dyn Fn(usize) -> Result<Option<i32>>,
        rows: usize,
        segments: usize,
        segment: &dyn Fn(usize) -> Result<u32>,
        name: &dyn Fn(u32) -> &'n str,
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        check_len("dates", answers.len(), rows)?;
        if let Some(w) = weights {
            check_len("weights", answers.len(), w.len())?;
        }
        let every = self.every;
        // Each row's period (None: a missing date), up to the first bad date or segment.
        let mut stop: Option<CemError> = None;
        let mut periods: Vec<Option<i32>> = Vec::with_capacity(rows);
        for i in 0..rows {
            match day(i) {
                Ok(Some(day)) => periods.push(Some(every.period(day))),
                Ok(None) if missing == Missing::Skip => periods.push(None),
                Ok(None) => {
                    stop = Some(CemError::InvalidDate {
                        index: i,
                        value: "missing".into(),
                        reason: "the date is missing; remove the row or use the missing policy \"skip\"".into(),
                    });
                    break;
                }
                Err(e) => {
                    stop = Some(e);
                    break;
                }
            }
        }
        let (first, last) = periods.iter().flatten().fold((i32::MAX, i32::MIN), |(a, b), &p| (a.min(p), b.max(p)));
        let span = if first <= last { (last - first) as usize + 1 } else { 0 };
        // Cells numbered in order of first appearance, through a dense table when it is small.
        let mut cells = Cells::new(segments.saturating_mul(span), periods.len());
        let mut ids: Vec<u32> = Vec::with_capacity(periods.len());
        let mut labels: Vec<(u32, i32)> = Vec::new();
        let mut kept: Vec<usize> = Vec::new(); // rows with a date, when some have none
        let some_missing = periods.iter().any(Option::is_none);
        for (i, p) in periods.iter().enumerate() {
            let s = match segment(i) {
                Ok(s) => s,
                Err(e) => {
                    stop = Some(e);
                    break;
                }
            };
            let Some(p) = p else { continue };
            let slot = s as usize * span + (p - first) as usize;
            ids.push(cells.id(slot, || {
                labels.push((s, *p));
                labels.len() as u32 - 1
            }));
            if some_missing {
                kept.push(i);
            }
        }
        let names: Vec<String> = labels
            .iter()
            .map(|&(s, p)| if self.segmented { [name(s), &every.label(p)].join(CROSS) } else { every.label(p) })
            .collect();
        let mut part = SegmentTally::new(self.scale());
        let counted = if some_missing {
            // Rows without a date are skipped: count the others and report errors at their own rows.
            let a: Vec<A> = kept.iter().map(|&i| answers[i]).collect();
            let w: Option<Vec<f64>> = weights.map(|w| kept.iter().map(|&i| w[i]).collect());
            part.update_codes(&ids, &names, &a, w.as_deref(), missing)
                .map_err(|e| e.at(|j| kept.get(j).copied().unwrap_or(j)))
        } else {
            let n = ids.len();
            part.update_codes(&ids, &names, &answers[..n], weights.map(|w| &w[..n]), missing)
        };
        counted?;
        if let Some(e) = stop {
            return Err(e);
        }
        part.add_skipped((periods.len() - ids.len()) as u64);
        self.cells.merge(&part)
    }
}

/// Cell numbers by slot (segment · span + period offset): a dense table while it is at most a few times
/// the rows, a hash map beyond (daily periods over years times many segments).
enum Cells {
    Dense(Vec<u32>),
    Sparse(HashMap<usize, u32>),
}

impl Cells {
    fn new(slots: usize, rows: usize) -> Cells {
        if slots <= rows.saturating_mul(4).max(1 << 16) {
            Cells::Dense(vec![u32::MAX; slots])
        } else {
            Cells::Sparse(HashMap::new())
        }
    }

    #[inline]
    fn id(&mut self, slot: usize, new: impl FnOnce() -> u32) -> u32 {
        match self {
            Cells::Dense(t) => {
                if t[slot] == u32::MAX {
                    t[slot] = new();
                }
                t[slot]
            }
            Cells::Sparse(m) => *m.entry(slot).or_insert_with(new),
        }
    }
}

/// One cell of the trend: a segment in a period, against its reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendRow {
    /// The segment (`None` for a trend without segments).
    pub segment: Option<String>,
    /// The period's label.
    pub period: String,
    /// Answers.
    pub n: u64,
    /// Kish effective n.
    pub effective_n: f64,
    /// Share of the period's answers (of its total weight), in percent.
    pub share: f64,
    /// The cell's estimate (`None` with no answers).
    pub value: Option<f64>,
    /// Lower bound of its interval.
    pub lower: Option<f64>,
    /// Upper bound of its interval.
    pub upper: Option<f64>,
    /// The reference's value: the previous period's, or the pooled trailing periods'.
    pub reference_value: Option<f64>,
    /// Cell − reference.
    pub difference: Option<f64>,
    /// Lower bound of the difference's interval.
    pub difference_lower: Option<f64>,
    /// Upper bound of the difference's interval.
    pub difference_upper: Option<f64>,
    /// Test statistic.
    pub statistic: Option<f64>,
    /// Unadjusted p-value.
    pub p_value: Option<f64>,
    /// p-value adjusted across every tested cell.
    pub adjusted_p_value: Option<f64>,
    /// Adjusted p-value below alpha.
    pub significant: bool,
    /// Which side of the reference the cell lies on.
    pub side: Option<Side>,
    /// The cell or its reference has fewer than `min_n` answers: flagged and not tested.
    pub low_n: bool,
    /// Difference × share of the period: how many points of the period's total score the change is worth.
    pub impact: Option<f64>,
}

/// Counts over the grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendSummary {
    /// Cells in the grid (segments × periods).
    pub cells: usize,
    /// Cells tested.
    pub tested: usize,
    /// Significantly above their reference.
    pub significantly_above: usize,
    /// Significantly below their reference.
    pub significantly_below: usize,
    /// Cells flagged low n.
    pub low_n: usize,
}

/// A trend: the grid's rows, segment by segment, each in time order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The metric.
    pub metric: Metric,
    /// How dates were binned.
    pub every: Every,
    /// What each cell was compared with (`previous` or `trailing`).
    pub reference: Reference,
    /// The correction across the tested cells.
    pub correction: Correction,
    /// Significance level.
    pub alpha: f64,
    /// Every period from the first to the last, in time order.
    pub periods: Vec<String>,
    /// The segments, sorted (empty without segments).
    pub segments: Vec<String>,
    /// One row per segment and period: segments in order, each segment's periods in time order.
    pub rows: Vec<TrendRow>,
    /// Counts.
    pub summary: TrendSummary,
    /// What really changed: the last period's significant cells, largest |impact| first.
    pub changed: Vec<TrendRow>,
}

/// The trend of a [`TrendTally`] on `metric`: see the module documentation. `opts.reference` is
/// `previous` or `trailing`; `opts.order` is not read (periods are in time order).
///
/// # Errors
/// `empty` with no answers; `invalid_parameter` for another reference, a bad alpha or level, or a cell
/// key that is not `segment × period`; those of [`Metric::estimate`] and [`compare`].
///
/// ```
/// use cem_core::{trend, BenchmarkOptions, Every, Metric, Missing, Reference, Scale, TrendTally};
/// let dates: Vec<String> = (0..200).map(|i| format!("2025-{:02}-10", 1 + i / 100)).collect();
/// let answers: Vec<u8> = (0..200).map(|i| if i < 100 { [10, 6, 8, 3][i % 4] } else { [10, 9, 9, 8][i % 4] }).collect();
/// let mut t = TrendTally::new(Scale::NPS, Every::Month);
/// t.update(&dates, &answers, None, Missing::Error)?;
/// let opts = BenchmarkOptions { reference: Reference::Previous, ..Default::default() };
/// let tr = trend(&t, Metric::Nps, &opts)?;
/// assert_eq!(tr.periods, ["2025-01", "2025-02"]);
/// assert_eq!(tr.rows[1].difference, Some(75.0 - (-25.0)));
/// assert!(tr.changed[0].significant);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn trend(t: &TrendTally, metric: Metric, opts: &BenchmarkOptions) -> Result<Trend> {
    check_level(opts.alpha)
        .map_err(|_| CemError::param("alpha", Short(opts.alpha), "must be strictly between 0 and 1"))?;
    let lookback = match opts.reference {
        Reference::Previous => 1,
        Reference::Trailing { periods } => periods as usize,
        ref r => return Err(CemError::param(
            "against",
            serde_json::to_string(r).unwrap_or_default(),
            "a trend compares each period with the previous one (previous) or with the pooled k before it (trailing=k)",
        )),
    };
    metric.check(t.scale())?;
    let grid = Grid::of(t)?;
    let span = grid.periods.len();
    let estimates: Vec<Option<Estimate>> = grid
        .tallies
        .iter()
        .map(|c| match c {
            Some(c) if c.n() > 0 => metric.estimate(c, &opts.interval).map(Some),
            _ => Ok(None),
        })
        .collect::<Result<_>>()?;
    let mut period_weight = vec![0.0; span];
    for (i, c) in grid.tallies.iter().enumerate() {
        period_weight[i % span] += c.as_ref().map_or(0.0, Tally::total_weight);
    }
    let copts = CompareOptions { method: opts.test, level: opts.interval.level, alternative: opts.alternative };
    let empty = Tally::new(t.scale());

    let mut rows = Vec::with_capacity(grid.tallies.len());
    for (s, segment) in grid.segments.iter().enumerate() {
        for (p, period) in grid.periods.iter().enumerate() {
            let i = s * span + p;
            let cell = grid.tallies[i].as_ref().unwrap_or(&empty);
            let est = estimates[i].as_ref();
            // The reference: the previous cell's estimate, or the pooled trailing cells'.
            let reference: Option<(u64, Estimate)> = if lookback == 1 {
                p.checked_sub(1).and_then(|q| estimates[i - p + q].clone().map(|e| (e.n, e)))
            } else {
                let mut pooled = Tally::new(t.scale());
                for c in grid.tallies[s * span + p.saturating_sub(lookback)..i].iter().flatten() {
                    pooled.merge(c)?;
                }
                if pooled.n() == 0 {
                    None
                } else {
                    Some((pooled.n(), metric.estimate(&pooled, &opts.interval)?))
                }
            };
            let low_n = cell.n() < opts.min_n || reference.as_ref().is_some_and(|(n, _)| *n < opts.min_n);
            let comparison: Option<Comparison> = match (est, &reference) {
                (Some(e), Some((_, r))) if !low_n => Some(compare(e, r, &copts)?),
                _ => None,
            };
            let difference = match (&comparison, est, &reference) {
                (Some(c), _, _) => Some(c.difference),
                (None, Some(e), Some((_, r))) => Some(e.value - r.value),
                _ => None,
            };
            let share = if period_weight[p] > 0.0 { 100.0 * cell.total_weight() / period_weight[p] } else { 0.0 };
            rows.push(TrendRow {
                segment: t.segmented.then(|| segment.clone()),
                period: period.clone(),
                n: cell.n(),
                effective_n: cell.effective_n(),
                share,
                value: est.map(|e| e.value),
                lower: est.map(|e| e.interval.lower),
                upper: est.map(|e| e.interval.upper),
                reference_value: reference.as_ref().map(|(_, r)| r.value),
                difference,
                difference_lower: comparison.as_ref().map(|c| c.interval.lower),
                difference_upper: comparison.as_ref().map(|c| c.interval.upper),
                statistic: comparison.as_ref().map(|c| c.statistic),
                p_value: comparison.as_ref().map(|c| c.p_value),
                adjusted_p_value: None,
                significant: false,
                side: difference.map(Side::of),
                low_n,
                impact: difference.map(|d| d * share / 100.0),
            });
        }
    }

    // Multiplicity: the family is every tested cell of the grid.
    let tested: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].p_value.is_some()).collect();
    let raw: Vec<f64> = tested.iter().filter_map(|&i| rows[i].p_value).collect();
    for (&i, adjusted) in tested.iter().zip(adjust_pvalues(&raw, opts.correction)?) {
        rows[i].adjusted_p_value = Some(adjusted);
        rows[i].significant = adjusted < opts.alpha;
    }
    let count = |f: &dyn Fn(&TrendRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let summary = TrendSummary {
        cells: rows.len(),
        tested: tested.len(),
        significantly_above: count(&|r| r.significant && r.side == Some(Side::Above)),
        significantly_below: count(&|r| r.significant && r.side == Some(Side::Below)),
        low_n: count(&|r| r.low_n),
    };
    let last = grid.periods.last().cloned().unwrap_or_default();
    let latest: Vec<&TrendRow> = rows.iter().filter(|r| r.significant && r.period == last).collect();
    let by_impact = argsort(latest.len(), &|a, b| {
        let size = |r: &TrendRow| r.impact.map_or(0.0, f64::abs);
        size(latest[b]).total_cmp(&size(latest[a]))
    });
    let changed = by_impact.into_iter().map(|i| latest[i].clone()).collect();
    Ok(Trend {
        metric,
        every: t.every,
        reference: opts.reference.clone(),
        correction: opts.correction,
        alpha: opts.alpha,
        periods: grid.periods,
        segments: if t.segmented { grid.segments } else { Vec::new() },
        rows,
        summary,
        changed,
    })
}

/// The cells laid out as segments × every period of the range.
struct Grid {
    segments: Vec<String>,
    periods: Vec<String>,
    /// segments × periods; `None` where a cell has no answers.
    tallies: Vec<Option<Tally>>,
}

impl Grid {
    fn of(t: &TrendTally) -> Result<Grid> {
        let keys = t.cells.keys();
        let mut cells: Vec<(&str, i32)> = Vec::with_capacity(keys.len());
        for key in keys {
            let (segment, label) = match (t.segmented, key.rsplit_once(CROSS)) {
                (false, _) => ("", key.as_str()),
                (true, Some(parts)) => parts,
                (true, None) => return Err(CemError::param("trend cell", key, "a cell key is \"segment × period\"")),
            };
            let period = t
                .every
                .parse_label(label)
                .ok_or_else(|| CemError::param("trend cell", key, &format!("not a {} label", t.every)))?;
            cells.push((segment, period));
        }
        let (Some(first), Some(last)) = (cells.iter().map(|c| c.1).min(), cells.iter().map(|c| c.1).max()) else {
            return Err(CemError::Empty { what: "the trend".into() });
        };
        let segments: BTreeMap<&str, usize> = cells.iter().map(|c| (c.0, 0)).collect();
        let segments: BTreeMap<&str, usize> = segments.into_keys().enumerate().map(|(i, s)| (s, i)).collect();
        let span = (last - first) as usize + 1;
        let mut tallies = vec![None; segments.len() * span];
        for ((segment, period), tally) in cells.iter().zip(t.cells.tallies()) {
            tallies[segments[segment] * span + (period - first) as usize] = Some(tally);
        }
        Ok(Grid {
            segments: segments.into_keys().map(str::to_string).collect(),
            periods: (first..=last).map(|p| t.every.label(p)).collect(),
            tallies,
        })
    }
}
