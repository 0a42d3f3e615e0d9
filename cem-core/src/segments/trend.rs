//! Scores over time: a segment × period grid built in one pass, each segment's series compared period
//! against period, and "what really changed" in the last period.
//!
//! Rows of (date, segment, answer) are counted into a [`TrendTally`]: a [`SegmentTally`] per period, so it
//! merges, serializes and validates answers exactly as a segment tally does. Dates are binned by
//! [`Every`] (its documentation has the rules).
//!
//! [`trend`] then reads the grid: every period from the first to the last is present (a period with no
//! answers has n = 0 and no value), each cell is compared with its segment's previous period
//! (`against: "previous"`, the default) or with the pooled `k` previous periods (`"trailing=k"`), cells
//! with fewer than `min_n` answers (or whose reference has fewer) are flagged `low_n` and left untested,
//! and the p-values are adjusted across every tested cell of the grid: the family is the whole table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result};
use crate::inference::adjust::Correction;
use crate::order::argsort;
use crate::score::compare::{compare, CompareOptions, Comparison};
use crate::score::metric::{Estimate, Metric};
use crate::score::scale::Scale;
use crate::score::tally::{check_len, Answer, Missing, Tally};
use crate::segments::period::{Bins, Date, Every};
use crate::segments::reference::{adjust, check_alpha, tested, trailing, BenchmarkOptions, Reference, Side, Tested};
use crate::segments::segment::{Code, Key, SegmentTally};

/// Counts per (period, segment) cell: a [`SegmentTally`] per period, so each period's rows are counted by
/// the segment tally's own kernel into a table that stays in cache. Mergeable like every tally.
///
/// ```
/// use cem_core::{Every, Missing, Scale, TrendTally};
/// let mut t = TrendTally::by_segment(Scale::NPS, Every::Quarter);
/// t.update_keys(&["2025-01-15", "2025-05-02", "2025-02-01"], &["web", "web", "app"], &[10u8, 3, 9], None, Missing::Error)?;
/// let periods: Vec<(String, Vec<String>)> = t.periods().map(|(p, s)| (p, s.keys().to_vec())).collect();
/// assert_eq!(periods, [("2025-Q1".into(), vec!["app".into(), "web".into()]), ("2025-Q2".into(), vec!["web".into()])]);
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TrendData", into = "TrendData")]
pub struct TrendTally {
    scale: Scale,
    every: Every,
    segmented: bool,
    /// Period number → the period's segment tally (one segment, "", without segments).
    periods: BTreeMap<i32, SegmentTally>,
    /// Rows skipped for a missing date (answers skipped are in each period's tally).
    skipped: u64,
}

/// Serialized form: periods by label, in time order.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrendData {
    scale: Scale,
    every: Every,
    segmented: bool,
    periods: Vec<(String, SegmentTally)>,
    #[serde(default)]
    skipped: u64,
}

impl From<TrendTally> for TrendData {
    fn from(t: TrendTally) -> Self {
        let periods = t.periods.into_iter().map(|(p, s)| (t.every.label(p), s)).collect();
        TrendData { scale: t.scale, every: t.every, segmented: t.segmented, periods, skipped: t.skipped }
    }
}

impl TryFrom<TrendData> for TrendTally {
    type Error = CemError;
    fn try_from(d: TrendData) -> Result<Self> {
        let mut periods = BTreeMap::new();
        for (label, s) in d.periods {
            let p = d
                .every
                .parse_label(&label)
                .ok_or_else(|| CemError::param("trend period", &label, &format!("not a {} label", d.every)))?;
            if s.scale() != d.scale || periods.insert(p, s).is_some() {
                return Err(CemError::param("trend period", &label, "repeated, or on another scale"));
            }
        }
        Ok(TrendTally { scale: d.scale, every: d.every, segmented: d.segmented, periods, skipped: d.skipped })
    }
}

impl TrendTally {
    /// An empty trend of the whole data (no segments).
    pub fn new(scale: Scale, every: Every) -> TrendTally {
        TrendTally { scale, every, segmented: false, periods: BTreeMap::new(), skipped: 0 }
    }

    /// An empty trend per segment.
    pub fn by_segment(scale: Scale, every: Every) -> TrendTally {
        TrendTally { segmented: true, ..TrendTally::new(scale, every) }
    }

    /// How dates are binned.
    pub fn every(&self) -> Every {
        self.every
    }

    /// The scale.
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// The periods with answers, in time order: each label and its segment tally (one segment, `""`,
    /// without segments).
    pub fn periods(&self) -> impl Iterator<Item = (String, &SegmentTally)> {
        self.periods.iter().map(|(&p, s)| (self.every.label(p), s))
    }

    /// Answers counted.
    pub fn n(&self) -> u64 {
        self.periods.values().map(|s| s.total().n()).sum()
    }

    /// Rows skipped: a missing date or a missing answer under `missing: skip`.
    pub fn skipped(&self) -> u64 {
        self.periods.values().fold(self.skipped, |n, s| n.saturating_add(s.skipped()))
    }

    /// Adds rows of (date, answer) to a trend without segments. On error nothing is added.
    ///
    /// # Errors
    /// Those of [`Date::day`] (a missing date is `invalid_date` unless `missing` is `skip`, which skips
    /// the row), of [`SegmentTally::update_codes`] for the answers and weights, and `incompatible` on a
    /// trend by segment. The error is the first bad row's.
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
        check_len("dates", answers.len(), dates.len())?;
        self.add(&|i: usize| day(&dates[i], i), &[""], &|_| Ok(0u32), answers, weights, missing)
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
            if c.is_missing() || c.index() >= segments {
                return Err(bad_code(i, c, segments));
            }
            Ok(c.index() as u32)
        };
        let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        check_len("dates", answers.len(), dates.len())?;
        self.add(&|i: usize| day(&dates[i], i), &names, &segment, answers, weights, missing)
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
        let (codes, names) = crate::segments::segment::intern_keys(keys)?;
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
        // Numbers that index a short list of names are read in place, as the codes; others are interned.
        if let Some(largest) = crate::segments::segment::direct_range(numbers) {
            let names: Vec<String> = (0..=largest).map(|c| c.to_string()).collect();
            return self.update_codes(dates, numbers, &names, answers, weights, missing);
        }
        let (codes, names) = crate::segments::segment::intern_numbers(numbers)?;
        self.update_codes(dates, &codes, &names, answers, weights, missing)
    }

    /// Whether the trend is by segment.
    pub(crate) fn segmented(&self) -> bool {
        self.segmented
    }

    /// Adds periods counted elsewhere (a counts table's) and rows skipped for a missing date; on error
    /// nothing is added.
    pub(crate) fn merge_periods(&mut self, parts: Vec<(i32, SegmentTally)>, skipped: u64) -> Result<()> {
        self.add_parts(parts, skipped)
    }

    /// Adds another trend tally of the same scale, binning and segmenting. On error this one is unchanged.
    ///
    /// # Errors
    /// `incompatible` for a different binning, segmenting or scale; `overflow`.
    pub fn merge(&mut self, other: &TrendTally) -> Result<()> {
        if (self.scale, self.every, self.segmented) != (other.scale, other.every, other.segmented) {
            return Err(CemError::Incompatible {
                reason: "trends on different scales, binned or segmented differently".into(),
            });
        }
        let parts = other.periods.iter().map(|(&p, s)| (p, s.clone())).collect();
        self.add_parts(parts, other.skipped)
    }

    /// Merges counted periods in; nothing changes if one merge fails (an overflow).
    fn add_parts(&mut self, parts: Vec<(i32, SegmentTally)>, skipped: u64) -> Result<()> {
        let mut merged: Vec<(i32, SegmentTally)> = Vec::with_capacity(parts.len());
        for (p, part) in parts {
            match self.periods.get(&p) {
                Some(mine) => {
                    let mut m = mine.clone();
                    m.merge(&part)?;
                    merged.push((p, m));
                }
                None => merged.push((p, part)),
            }
        }
        let skipped =
            self.skipped.checked_add(skipped).ok_or_else(|| CemError::Overflow { what: "the skipped count".into() })?;
        self.periods.extend(merged);
        self.skipped = skipped;
        Ok(())
    }

    /// Counts rows: the common case in one pass ([`TrendTally::count_flat`]), any other by grouping the
    /// rows by period first ([`TrendTally::count_grouped`]). Dates and segments are read a block of rows
    /// per `dyn` call (one copy of this function per answer type keeps the .wasm small). If any row is
    /// bad, [`first_bad_row`] finds the first one, in row order, and nothing is added.
    fn add<A: Answer>(
        &mut self,
        dates: &(dyn Column<i32> + Sync),
        names: &[&str],
        segments: &(dyn Column<u32> + Sync),
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        if let Some(w) = weights {
            check_len("weights", answers.len(), w.len())?;
        }
        let scale = self.scale;
        let bad = || first_bad_row(scale, dates, segments, answers, weights, missing);
        // The flat count reads each row's point a block at a time: answers known to be on the scale (by
        // their bounds), no weights. It is not generic, so it is compiled once, not per answer type.
        let (min, rows) = (scale.min() as i64, answers.len());
        let on_scale = weights.is_none() && scale.points() <= 256 && crate::score::tally::all_on_scale(scale, answers);
        let points = |start: usize, out: &mut [u8]| {
            for (o, a) in out.iter_mut().zip(&answers[start..]) {
                *o = (a.as_i64() - min) as u8;
            }
        };
        let flat = match on_scale {
            true => self.count_flat(dates, names, segments, rows, &points, missing, &bad)?,
            false => None,
        };
        let (parts, undated) = match flat {
            Some(counted) => counted,
            None => self.count_grouped(dates, names, segments, answers, weights, missing, &bad)?,
        };
        self.add_parts(parts, undated)
    }

    /// The common case — no weights, every answer on the scale, a grid of periods × segments × points
    /// of at most two cells per row — counted block by block straight into one flat table of u32
    /// counters that stays in cache: no per-row period array, no grouping. `point(start, out)` writes the
    /// points (answer − scale minimum) of rows `start..`. Large inputs are split across threads (each its
    /// own table, added up: counts do not depend on the split). `None` when the grid would be too large.
    /// Returns each period's segment tally and the rows skipped for no date.
    #[allow(clippy::too_many_arguments)]
    fn count_flat(
        &self,
        dates: &(dyn Column<i32> + Sync),
        names: &[&str],
        segments: &(dyn Column<u32> + Sync),
        rows: usize,
        point: &(dyn Fn(usize, &mut [u8]) + Sync),
        missing: Missing,
        bad: &dyn Fn() -> CemError,
    ) -> Result<Option<Counted>> {
        let scale = self.scale;
        if rows >= u32::MAX as usize {
            return Ok(None);
        }
        let shape = Shape {
            every: self.every,
            segments: names.len(),
            points: scale.points(),
            limit: (2 * rows).max(1 << 20),
            missing,
        };
        let threads = crate::parallel::threads(rows, shape.segments * shape.points);
        let parts = crate::parallel::split(rows, threads, |range| Flat::count(range, &shape, dates, segments, point));
        let mut total = Flat { first: 0, grid: Vec::new(), undated: 0 };
        for part in parts {
            match part {
                Err(Stop::Bad) => return Err(bad()),
                Err(Stop::TooLarge) => return Ok(None),
                Ok(part) if !total.add(&part, &shape) => return Ok(None),
                Ok(_) => {}
            }
        }
        let per_period = (shape.segments * shape.points).max(1);
        let mut parts = Vec::new();
        for (k, period) in total.grid.chunks_exact(per_period).enumerate() {
            let tallies = period
                .chunks_exact(shape.points)
                .zip(names)
                .filter(|(counts, _)| counts.iter().any(|&n| n > 0))
                .map(|(counts, name)| {
                    let counts: Vec<u64> = counts.iter().map(|&n| u64::from(n)).collect();
                    Ok((name.to_string(), Tally::from_counts(scale, &counts)?))
                })
                .collect::<Result<Vec<_>>>()?;
            if !tallies.is_empty() {
                parts.push((total.first + k as i32, SegmentTally::from_rows(scale, tallies)?));
            }
        }
        Ok(Some((parts, total.undated)))
    }

    /// Any case: each row's period, the rows grouped by period (a counting sort), then each period counted
    /// by the segment tally's kernel (weights, missing answers and all its checks).
    #[allow(clippy::too_many_arguments)]
    fn count_grouped<A: Answer>(
        &self,
        dates: &dyn Column<i32>,
        names: &[&str],
        segments: &dyn Column<u32>,
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
        bad: &dyn Fn() -> CemError,
    ) -> Result<Counted> {
        let (scale, rows) = (self.scale, answers.len());
        // Each row's period; MISSING for a missing date (skipped under `skip`).
        let mut periods = vec![0i32; rows];
        dates.fill(0, &mut periods, INVALID);
        if periods.iter().any(|&d| d == INVALID || (d == MISSING && missing != Missing::Skip)) {
            return Err(bad());
        }
        let (first, last) = Bins::new(self.every).bin(&mut periods, MISSING);
        let span = if first <= last { (last - first) as usize + 1 } else { 0 };
        // Where each period's rows start once grouped.
        let mut starts = vec![0usize; span + 1];
        for &p in periods.iter().filter(|&&p| p != MISSING) {
            starts[(p - first) as usize + 1] += 1;
        }
        for k in 0..span {
            starts[k + 1] += starts[k];
        }
        let dated = starts[span];
        let mut at = starts.clone();
        let (mut codes, mut grouped_codes, mut grouped) =
            (vec![0u32; BLOCK.min(rows)], vec![0u32; dated], Vec::with_capacity(dated));
        if let Some(&any) = answers.first() {
            grouped.resize(dated, any); // every slot is written below
        }
        let mut grouped_weights = weights.map(|_| vec![0.0; dated]);
        for start in (0..rows).step_by(BLOCK) {
            let end = rows.min(start + BLOCK);
            let codes = &mut codes[..end - start];
            segments.fill(start, codes, u32::MAX);
            for (i, (&p, &c)) in (start..end).zip(periods[start..end].iter().zip(&*codes)) {
                if p == MISSING {
                    continue;
                }
                if c as usize >= names.len() {
                    return Err(bad());
                }
                let slot = &mut at[(p - first) as usize];
                grouped_codes[*slot] = c;
                grouped[*slot] = answers[i];
                if let (Some(g), Some(w)) = (grouped_weights.as_mut(), weights) {
                    g[*slot] = w[i];
                }
                *slot += 1;
            }
        }
        let mut parts = Vec::new();
        for k in 0..span {
            let rows = starts[k]..starts[k + 1];
            if rows.is_empty() {
                continue;
            }
            let w = grouped_weights.as_ref().map(|g| &g[rows.clone()]);
            match count_period(scale, &grouped_codes[rows.clone()], names, &grouped[rows], w, missing) {
                Ok(part) => parts.push((first + k as i32, part)),
                Err(_) => return Err(bad()),
            }
        }
        Ok((parts, (rows - dated) as u64))
    }
}

/// Each period's segment tally, and the rows skipped for no date.
type Counted = (Vec<(i32, SegmentTally)>, u64);

/// What a flat count needs to know of the trend and the input.
struct Shape {
    every: Every,
    segments: usize,
    points: usize,
    /// The most cells a table may have before the grouped count is used instead.
    limit: usize,
    missing: Missing,
}

/// Why a range's flat count stopped: a bad row (the caller finds the first), or a table past the limit.
enum Stop {
    Bad,
    TooLarge,
}

/// The flat count of a range of rows: periods `first..` × segments × points, u32 counters.
struct Flat {
    first: i32,
    grid: Vec<u32>,
    undated: u64,
}

impl Flat {
    /// Counts rows `range` block by block; the table grows (with slack, so rows sorted by date grow it
    /// a few times only) as periods appear.
    fn count(
        range: std::ops::Range<usize>,
        shape: &Shape,
        dates: &dyn Column<i32>,
        segments: &dyn Column<u32>,
        point: &dyn Fn(usize, &mut [u8]),
    ) -> std::result::Result<Flat, Stop> {
        let block = BLOCK.min(range.len());
        let mut flat = Flat { first: 0, grid: Vec::new(), undated: 0 };
        let (mut days, mut codes, mut at) = (vec![0i32; block], vec![0u32; block], vec![0u8; block]);
        let mut bins = Bins::new(shape.every);
        for start in range.clone().step_by(BLOCK) {
            let end = range.end.min(start + BLOCK);
            let (days, codes, at) = (&mut days[..end - start], &mut codes[..end - start], &mut at[..end - start]);
            dates.fill(start, days, INVALID);
            if days.iter().any(|&d| d == INVALID || (d == MISSING && shape.missing != Missing::Skip)) {
                return Err(Stop::Bad);
            }
            let (lo, hi) = bins.bin(days, MISSING);
            if lo <= hi && !flat.grow(lo, hi, shape) {
                return Err(Stop::TooLarge);
            }
            segments.fill(start, codes, u32::MAX);
            point(start, at);
            for ((&p, &c), &k) in days.iter().zip(&*codes).zip(&*at) {
                if p == MISSING {
                    flat.undated += 1;
                    continue;
                }
                if c as usize >= shape.segments {
                    return Err(Stop::Bad);
                }
                let row = (p - flat.first) as usize * shape.segments + c as usize;
                flat.grid[row * shape.points + k as usize] += 1;
            }
        }
        Ok(flat)
    }

    /// The periods held.
    fn span(&self, shape: &Shape) -> i32 {
        (self.grid.len() / (shape.segments * shape.points).max(1)) as i32
    }

    /// Makes the table hold periods `lo..=hi` too, with half the span held as slack on a side that grows;
    /// false if that would pass the limit.
    fn grow(&mut self, lo: i32, hi: i32, shape: &Shape) -> bool {
        let span = self.span(shape);
        if !self.grid.is_empty() && lo >= self.first && hi < self.first + span {
            return true;
        }
        let per_period = shape.segments * shape.points;
        let cells = |(f, l): (i32, i32)| ((l - f) as usize + 1).saturating_mul(per_period);
        let (exact, slacked) = if self.grid.is_empty() {
            ((lo, hi), (lo, hi))
        } else {
            let (first, last, slack) = (self.first, self.first + span - 1, span / 2);
            let grown = (
                if lo < first { lo.min(first - slack) } else { first },
                if hi > last { hi.max(last + slack) } else { last },
            );
            ((lo.min(first), hi.max(last)), grown)
        };
        let (first, last) = if cells(slacked) <= shape.limit { slacked } else { exact };
        if cells((first, last)) > shape.limit {
            return false;
        }
        let mut grown = vec![0u32; cells((first, last))];
        if !self.grid.is_empty() {
            let at = (self.first - first) as usize * per_period;
            grown[at..at + self.grid.len()].copy_from_slice(&self.grid);
        }
        (self.first, self.grid) = (first, grown);
        true
    }

    /// Adds another range's counts; false if the table would pass the limit.
    fn add(&mut self, other: &Flat, shape: &Shape) -> bool {
        self.undated += other.undated;
        if other.grid.is_empty() {
            return true;
        }
        if !self.grow(other.first, other.first + other.span(shape) - 1, shape) {
            return false;
        }
        let at = (other.first - self.first) as usize * shape.segments * shape.points;
        self.grid[at..at + other.grid.len()].iter_mut().zip(&other.grid).for_each(|(a, b)| *a += b);
        true
    }
}

/// Rows read a block at a time.
const BLOCK: usize = 4096;
/// A missing date, and a date that is not one, among day numbers (both outside the years 1–9999).
const MISSING: i32 = i32::MIN;
const INVALID: i32 = i32::MAX;

#[cold]
fn bad_code<C: Code>(index: usize, c: C, segments: usize) -> CemError {
    if c.is_missing() {
        return crate::segments::segment::missing_key(index);
    }
    CemError::InvalidSegment {
        index,
        value: c.to_string(),
        reason: format!("there are {segments} segment names, so codes run 0..{segments}"),
    }
}

/// A date's day number, MISSING for a missing date.
#[inline]
fn day<D: Date>(date: &D, index: usize) -> Result<i32> {
    Ok(date.day(index)?.unwrap_or(MISSING))
}

/// A column of the rows (dates as day numbers, segments as codes), read two ways: a block of rows at a
/// time, each bad row marked (one `dyn` call per block, the loop inside compiled for the column's type),
/// and one row with its error, to report the first bad row.
trait Column<T> {
    /// Rows `start..start + out.len()` into `out`, `bad` for a row in error.
    fn fill(&self, start: usize, out: &mut [T], bad: T);
    /// Row `i`, or its error.
    fn row(&self, i: usize) -> Result<T>;
}

impl<T: Copy, F: Fn(usize) -> Result<T>> Column<T> for F {
    fn fill(&self, start: usize, out: &mut [T], bad: T) {
        for (i, o) in (start..).zip(out) {
            *o = self(i).unwrap_or(bad);
        }
    }
    fn row(&self, i: usize) -> Result<T> {
        self(i)
    }
}

/// One period's rows counted; with fewer rows than segments, the codes are renumbered first, so a
/// sparse period does not allocate a row of counts for every segment.
fn count_period<A: Answer>(
    scale: Scale,
    codes: &[u32],
    names: &[&str],
    answers: &[A],
    weights: Option<&[f64]>,
    missing: Missing,
) -> Result<SegmentTally> {
    let mut part = SegmentTally::new(scale);
    if codes.len() < names.len() {
        let (local, used) = crate::segments::segment::intern(codes.iter().map(|&c| Ok(c)))?;
        let used: Vec<&str> = used.iter().map(|&c| names[c as usize]).collect();
        part.update_codes(&local, &used, answers, weights, missing)?;
    } else {
        part.update_codes(codes, names, answers, weights, missing)?;
    }
    Ok(part)
}

/// The first bad row, in row order (its date, then segment, weight and answer, as a tally checks them):
/// the error every language reports, found only once something failed.
fn first_bad_row<A: Answer>(
    scale: Scale,
    dates: &dyn Column<i32>,
    segments: &dyn Column<u32>,
    answers: &[A],
    weights: Option<&[f64]>,
    missing: Missing,
) -> CemError {
    for (i, &a) in answers.iter().enumerate() {
        let day = match dates.row(i) {
            Ok(d) => d,
            Err(e) => return e,
        };
        if day == MISSING && missing != Missing::Skip {
            return CemError::InvalidDate {
                index: i,
                value: "missing".into(),
                reason: "the date is missing; remove the row or use the missing policy \"skip\"".into(),
            };
        }
        if day == MISSING {
            continue;
        }
        if let Err(e) = segments.row(i) {
            return e;
        }
        if let Some(w) = weights {
            if let Err(e) = crate::score::tally::check_weight(i, w[i]) {
                return e;
            }
        }
        if let Err(e) = crate::score::tally::point(scale, i, a, missing) {
            return e;
        }
    }
    CemError::Overflow { what: "a trend cell's count".into() }
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

tested!(TrendRow);

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
    check_alpha(opts.alpha)?;
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
    let mut period_weight = vec![0.0; span];
    for (i, c) in grid.tallies.iter().enumerate() {
        period_weight[i % span] += c.as_ref().map_or(0.0, Tally::total_weight);
    }
    let copts = CompareOptions { method: opts.test, level: opts.interval.level, alternative: opts.alternative };
    let empty = Tally::new(t.scale());

    let mut rows = Vec::with_capacity(grid.tallies.len());
    for (s, segment) in grid.segments.iter().enumerate() {
        // Each segment's series in time order: the previous cell's estimate is the reference by default.
        let mut previous: Option<Estimate> = None;
        for (p, period) in grid.periods.iter().enumerate() {
            let i = s * span + p;
            let cell = grid.tallies[i].as_ref().unwrap_or(&empty);
            let estimate = match cell.n() {
                0 => None,
                _ => Some(metric.estimate(cell, &opts.interval)?),
            };
            let est = estimate.as_ref();
            // The reference: the previous cell's estimate, or the pooled trailing cells'.
            let reference: Option<Estimate> = if lookback == 1 {
                previous.take()
            } else {
                let window = &grid.tallies[s * span + p.saturating_sub(lookback)..i];
                trailing(window.iter().flatten(), metric, &opts.interval)?
            };
            let low_n = cell.n() < opts.min_n || reference.as_ref().is_some_and(|r| r.n < opts.min_n);
            let comparison: Option<Comparison> = match (est, &reference) {
                (Some(e), Some(r)) if !low_n => Some(compare(e, r, &copts)?),
                _ => None,
            };
            let difference = match (&comparison, est, &reference) {
                (Some(c), _, _) => Some(c.difference),
                (None, Some(e), Some(r)) => Some(e.value - r.value),
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
                reference_value: reference.as_ref().map(|r| r.value),
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
            previous = estimate;
        }
    }

    // Multiplicity: the family is every tested cell of the grid.
    let tested = adjust(&mut rows, opts)?;
    let count = |f: &dyn Fn(&TrendRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let summary = TrendSummary {
        cells: rows.len(),
        tested,
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
        let (Some(&first), Some(&last)) = (t.periods.keys().next(), t.periods.keys().next_back()) else {
            return Err(CemError::Empty { what: "the trend".into() });
        };
        let segments: BTreeMap<&str, usize> =
            t.periods.values().flat_map(|s| s.keys().iter().map(String::as_str)).map(|k| (k, 0)).collect();
        let segments: BTreeMap<&str, usize> = segments.into_keys().enumerate().map(|(i, s)| (s, i)).collect();
        let span = (last - first) as usize + 1;
        let mut tallies = vec![None; segments.len() * span];
        for (&p, s) in &t.periods {
            for (key, tally) in s.keys().iter().zip(s.tallies()) {
                tallies[segments[key.as_str()] * span + (p - first) as usize] = Some(tally);
            }
        }
        Ok(Grid {
            segments: segments.into_keys().map(str::to_string).collect(),
            periods: (first..=last).map(|p| t.every.label(p)).collect(),
            tallies,
        })
    }
}
