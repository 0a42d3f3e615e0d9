//! Counts tables: the long form of a tally, and the contract with every engine that can GROUP BY.
//!
//! A warehouse, Spark, DuckDB, Dask or Polars counts; cem does the statistics. The engine's output is one
//! row per group — (segment key, answer, count[, Σw, Σw²]), plus the day for a trend — as
//!
//! ```sql
//! SELECT region, nps, COUNT(*) AS n, SUM(w) AS w, SUM(w * w) AS w2 FROM answers GROUP BY region, nps
//! ```
//!
//! produces it. A [`CountsTable`] holds those columns; [`SegmentTally::update_counts_table`],
//! [`Tally::update_counts_table`] and [`TrendTally::update_counts_table`] count them exactly as the rows
//! they summarise would have been counted, so a benchmark, a trend or a score of a counts table is the
//! one of the rows (the conformance vectors check this against the rows expanded).
//!
//! - Repeated groups add up (an engine that groups per partition may emit a group several times).
//! - A missing answer (a NULL group) follows the `missing` policy: an error, or its count skipped.
//! - A trend groups by the *day*; the core bins days into periods ([`Every`](crate::Every)), so the
//!   period rule stays in one place.
//! - Each refusal — an answer off the scale or not whole, a negative or fractional count, weight sums no
//!   set of weights can give — is [`CemError::InCountsTable`]: it names the group and the value (there is
//!   no row index in an engine's output), with the code of the same fault in rows.

use std::collections::HashMap;

use crate::error::{CemError, Result, Short};
use crate::score::scale::Scale;
use crate::score::tally::{check_len, Answer, Missing, Reading, Tally, WeightSums};
use crate::segments::period::{Date, Every};
use crate::segments::segment::{Key, SegmentTally};
use crate::segments::trend::TrendTally;

/// The columns of a counts table: an answer, how many rows gave it, and optionally their summed weights
/// and summed squared weights (both or neither). Segment keys and days are passed beside it.
///
/// ```
/// use cem_core::{CountsTable, Missing, Scale, SegmentTally};
/// let table = CountsTable::new(&[10, 3, 10], &[40.0, 10.0, 5.0]);
/// let mut s = SegmentTally::new(Scale::NPS);
/// s.update_counts_table(&["north", "north", "north"], &table, Missing::Error)?;
/// assert_eq!(s.segment("north").unwrap().counts()[10], 45); // the repeated group adds up
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CountsTable<'a, A> {
    /// The answer of each group (a missing answer is a NULL group).
    pub answers: &'a [A],
    /// How many rows each group holds: a whole number ≥ 0.
    pub counts: &'a [f64],
    /// Σw of each group, when weighted.
    pub weight_sums: Option<&'a [f64]>,
    /// Σw² of each group, when weighted.
    pub weight_sq_sums: Option<&'a [f64]>,
}

impl<'a, A: Answer> CountsTable<'a, A> {
    /// An unweighted counts table.
    ///
    /// ```
    /// let t = cem_core::CountsTable::new(&[5u8, 4], &[3.0, 1.0]);
    /// assert!(t.weight_sums.is_none());
    /// ```
    pub fn new(answers: &'a [A], counts: &'a [f64]) -> Self {
        CountsTable { answers, counts, weight_sums: None, weight_sq_sums: None }
    }

    /// The same table with each group's Σw and Σw².
    ///
    /// ```
    /// let t = cem_core::CountsTable::new(&[5u8], &[2.0]).weighted(&[3.0], &[5.0]);
    /// assert_eq!(t.weight_sums, Some(&[3.0][..]));
    /// ```
    pub fn weighted(self, sums: &'a [f64], squares: &'a [f64]) -> Self {
        CountsTable { weight_sums: Some(sums), weight_sq_sums: Some(squares), ..self }
    }

    fn check(&self, others: &[(&str, usize)]) -> Result<()> {
        let n = self.answers.len();
        check_len("counts", n, self.counts.len())?;
        match (self.weight_sums, self.weight_sq_sums) {
            (Some(s), Some(q)) => {
                check_len("weight sums", n, s.len())?;
                check_len("squared weight sums", n, q.len())?;
            }
            (None, None) => {}
            _ => return Err(CemError::param(
                "weight_sq_sum",
                "one of weight_sum / weight_sq_sum",
                "a weighted counts table needs both the weight sums and the squared weight sums (SUM(w), SUM(w * w))",
            )),
        }
        others.iter().try_for_each(|&(what, len)| check_len(what, n, len))
    }
}

/// One group read: its scale point (`None`: a skipped missing answer), count and weight sums.
struct Group {
    point: Option<usize>,
    count: u64,
    sum: f64,
    sum_sq: f64,
}

fn refuse(
    code: &'static str,
    group: &str,
    what: &'static str,
    value: impl std::fmt::Display,
    reason: &str,
) -> CemError {
    CemError::InCountsTable {
        code,
        group: group.to_string(),
        what,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

/// Reads group `i` (described by `group` in errors): count, weight sums, then the answer — the order
/// of the checks of rows, where a weight is checked before its answer.
fn read<A: Answer>(
    scale: Scale,
    t: &CountsTable<'_, A>,
    i: usize,
    group: &dyn Fn() -> String,
    missing: Missing,
) -> Result<Group> {
    let c = t.counts[i];
    if !(c >= 0.0 && c.fract() == 0.0 && c < 18_446_744_073_709_551_616.0) {
        return Err(refuse(
            "invalid_parameter",
            &group(),
            "count",
            Short(c),
            "is not a count: counts are whole numbers ≥ 0",
        ));
    }
    let count = c as u64;
    let (sum, sum_sq) = match (t.weight_sums, t.weight_sq_sums) {
        (Some(s), Some(q)) => {
            let (s, q) = (s[i], q[i]);
            // What n weights ≥ 0 can sum to: s²/n ≤ q ≤ s² (Cauchy–Schwarz),
            // nothing without rows, and a sum of 0 exactly when every weight (so every square) is 0.
            let valid = s.is_finite()
                && q.is_finite()
                && s >= 0.0
                && q >= 0.0
                && (count > 0 || (s == 0.0 && q == 0.0))
                && (s == 0.0) == (q == 0.0)
                && q <= s * s * (1.0 + 1e-9) + f64::MIN_POSITIVE
                && (count == 0 || s * s / c <= q * (1.0 + 1e-9) + f64::MIN_POSITIVE);
            if !valid {
                let reason = format!(
                    "cannot go with a count of {count} and a squared weight sum of {}: weights are ≥ 0, so \
                     Σw ≥ 0, n·Σw² ≥ (Σw)² ≥ Σw², and a group of no rows weighs 0",
                    Short(q)
                );
                return Err(refuse("invalid_weight", &group(), "weight sum", Short(s), &reason));
            }
            (s, q)
        }
        _ => (c, c),
    };
    let a = t.answers[i];
    let bad = |code, reason: &str| refuse(code, &group(), "answer", Short(a.as_f64()), reason);
    let off =
        || format!("is outside the scale {}..={}; check the column or pass the right scale", scale.min(), scale.max());
    let point = match a.read() {
        Reading::Whole(v) => {
            let k = v.wrapping_sub(scale.min() as i64);
            if !(0..scale.points() as i64).contains(&k) {
                return Err(bad("out_of_range", &off()));
            }
            Some(k as usize)
        }
        Reading::Missing => match missing {
            Missing::Skip => None,
            Missing::Error => {
                return Err(refuse(
                    "missing_value",
                    &group(),
                    "answer",
                    "null",
                    &format!(
                        "is missing (a NULL group of {count} rows); filter it out or use the missing policy \"skip\""
                    ),
                ))
            }
        },
        Reading::Fraction(_) => return Err(bad("not_an_integer", "is not a whole number; scale answers are integers")),
        Reading::Infinite(_) => return Err(bad("out_of_range", &off())),
    };
    Ok(Group { point, count, sum, sum_sq })
}

/// Counts per cell, built group by group: cells in order of first appearance.
struct Cells {
    scale: Scale,
    weighted: bool,
    index: HashMap<String, usize>,
    keys: Vec<String>,
    counts: Vec<u64>,
    sums: WeightSums,
    skipped: u64,
}

impl Cells {
    fn new<A: Answer>(scale: Scale, t: &CountsTable<'_, A>) -> Cells {
        let weighted = t.weight_sums.is_some();
        Cells {
            scale,
            weighted,
            index: HashMap::new(),
            keys: Vec::new(),
            counts: Vec::new(),
            sums: WeightSums::default(),
            skipped: 0,
        }
    }

    fn add(&mut self, key: &str, g: &Group) -> Result<()> {
        let Some(k) = g.point else {
            self.skipped = self.skipped.saturating_add(g.count);
            return Ok(());
        };
        let points = self.scale.points();
        let cell = match self.index.get(key) {
            Some(&c) => c,
            None => {
                self.index.insert(key.to_string(), self.keys.len());
                self.keys.push(key.to_string());
                self.counts.extend(std::iter::repeat_n(0, points));
                if self.weighted {
                    self.sums.sum.extend(std::iter::repeat_n(0.0, points));
                    self.sums.sum_sq.extend(std::iter::repeat_n(0.0, points));
                }
                self.keys.len() - 1
            }
        };
        let at = cell * points + k;
        self.counts[at] = self.counts[at]
            .checked_add(g.count)
            .ok_or_else(|| CemError::Overflow { what: format!("the count of {key:?}") })?;
        if self.weighted {
            self.sums.sum[at] += g.sum;
            self.sums.sum_sq[at] += g.sum_sq;
        }
        Ok(())
    }

    /// The cells holding answers, as a segment tally (empty cells are left out, as rows leave them).
    fn into_segments(self) -> Result<SegmentTally> {
        let points = self.scale.points();
        let mut rows = Vec::with_capacity(self.keys.len());
        for (c, key) in self.keys.into_iter().enumerate() {
            let r = c * points..(c + 1) * points;
            if self.counts[r.clone()].iter().all(|&n| n == 0) {
                continue;
            }
            let w = self.weighted.then(|| self.sums.slice(r.clone()).to_vecs());
            rows.push((key, Tally::from_parts(self.scale, self.counts[r].to_vec(), w)));
        }
        let mut s = SegmentTally::from_rows(self.scale, rows)?;
        s.add_skipped(self.skipped);
        Ok(s)
    }
}

/// The description of a segment key for errors.
fn named(key: Option<&str>) -> String {
    match key {
        Some(k) => format!("segment {k:?}"),
        None => "segment null".into(),
    }
}

impl SegmentTally {
    /// Adds a counts table whose groups are `segments` (one key per group). On error nothing is added.
    ///
    /// # Errors
    /// `length_mismatch`; [`CemError::InCountsTable`] naming the group and value: `invalid_segment` for
    /// a missing key, `invalid_parameter` for a count that is not a whole number ≥ 0, `invalid_weight` for
    /// weight sums no weights can give, `out_of_range`, `not_an_integer`, and `missing_value` for a NULL
    /// answer under [`Missing::Error`] (under `Skip` its count is skipped); `overflow`.
    ///
    /// ```
    /// use cem_core::{CountsTable, Missing, Scale, SegmentTally};
    /// let mut s = SegmentTally::new(Scale::NPS);
    /// let table = CountsTable::new(&[10, 11], &[4.0, 1.0]);
    /// let e = s.update_counts_table(&["north", "south"], &table, Missing::Error).unwrap_err();
    /// assert_eq!((e.code(), e.value()), ("out_of_range", Some(11.0)));
    /// assert!(e.to_string().starts_with("counts table, segment \"south\": answer 11 is outside the scale 0..=10"));
    /// ```
    pub fn update_counts_table<K: Key, A: Answer>(
        &mut self,
        segments: &[K],
        table: &CountsTable<'_, A>,
        missing: Missing,
    ) -> Result<()> {
        table.check(&[("segments", segments.len())])?;
        let mut cells = Cells::new(self.scale(), table);
        for (i, key) in segments.iter().enumerate() {
            let name = key.name();
            let g = read(self.scale(), table, i, &|| named(name), missing)?;
            let Some(name) = name else {
                let reason =
                    "is missing (a NULL segment); filter those rows out or give them a segment such as \"unknown\"";
                return Err(refuse("invalid_segment", "segment null", "segment", "null", reason));
            };
            cells.add(name, &g)?;
        }
        self.merge(&cells.into_segments()?)
    }
}

impl Tally {
    /// Adds a counts table without segments (one group per answer). On error nothing is added.
    ///
    /// # Errors
    /// As [`SegmentTally::update_counts_table`].
    ///
    /// ```
    /// use cem_core::{CountsTable, Missing, Scale, Tally};
    /// let mut t = Tally::new(Scale::CSAT);
    /// t.update_counts_table(&CountsTable::new(&[Some(5.0), None], &[3.0, 2.0]), Missing::Skip)?;
    /// assert_eq!((t.n(), t.skipped()), (3, 2));
    /// # Ok::<(), cem_core::CemError>(())
    /// ```
    pub fn update_counts_table<A: Answer>(&mut self, table: &CountsTable<'_, A>, missing: Missing) -> Result<()> {
        table.check(&[])?;
        let mut cells = Cells::new(self.scale(), table);
        for i in 0..table.answers.len() {
            let g = read(self.scale(), table, i, &|| "the whole table".into(), missing)?;
            cells.add("", &g)?;
        }
        let s = cells.into_segments()?;
        let mut part = if table.weight_sums.is_some() {
            let sums = vec![0.0; self.scale().points()];
            Tally::from_weighted_counts(self.scale(), &vec![0; self.scale().points()], &sums, &sums)?
        } else {
            Tally::new(self.scale())
        };
        if let Some(t) = s.segment("") {
            part.merge(&t)?;
        }
        part.add_skipped(s.skipped());
        self.merge(&part)
    }
}

impl TrendTally {
    /// Adds a counts table grouped by day (`days`: day numbers or ISO texts, one per group) and, for a
    /// trend by segment, by `segments`. The days are binned by this trend's [`Every`], so an engine
    /// groups by the day and the period rule stays in the core. On error nothing is added.
    ///
    /// # Errors
    /// As [`SegmentTally::update_counts_table`]; `invalid_date` for a bad day, or a missing one under
    /// [`Missing::Error`] (under `Skip` its count is skipped); `incompatible` when segments are given to a
    /// trend without them or missing from a trend by segment.
    ///
    /// ```
    /// use cem_core::{CountsTable, Every, Missing, Scale, TrendTally};
    /// let mut t = TrendTally::new(Scale::NPS, Every::Month);
    /// let table = CountsTable::new(&[10, 3, 9], &[5.0, 2.0, 1.0]);
    /// t.update_counts_table(&["2025-01-03", "2025-01-20", "2025-03-02"], None::<&[&str]>, &table, Missing::Error)?;
    /// assert_eq!(t.periods().map(|(p, _)| p).collect::<Vec<_>>(), ["2025-01", "2025-03"]);
    /// # Ok::<(), cem_core::CemError>(())
    /// ```
    pub fn update_counts_table<D: Date, K: Key, A: Answer>(
        &mut self,
        days: &[D],
        segments: Option<&[K]>,
        table: &CountsTable<'_, A>,
        missing: Missing,
    ) -> Result<()> {
        if segments.is_some() != self.segmented() {
            let reason = if self.segmented() {
                "this trend is by segment: give each group's segment"
            } else {
                "this trend has no segments"
            };
            return Err(CemError::Incompatible { reason: reason.into() });
        }
        table.check(&[("days", days.len())])?;
        if let Some(s) = segments {
            check_len("segments", days.len(), s.len())?;
        }
        let every: Every = self.every();
        // One table of cells per period, keyed by segment ("" without segments), as rows are counted.
        let mut periods: std::collections::BTreeMap<i32, Cells> = std::collections::BTreeMap::new();
        let mut undated = 0u64;
        for (i, day) in days.iter().enumerate() {
            let segment = segments.map(|s| s[i].name());
            let day = day.day(i).map_err(|e| match e {
                CemError::InvalidDate { value, reason, .. } => {
                    let group = segment.map_or_else(|| "the whole table".to_string(), named);
                    refuse("invalid_date", &group, "day", value, &format!("is not a day: {reason}"))
                }
                other => other,
            })?;
            let group = || {
                let d = day.map_or_else(|| "null".to_string(), |d| Every::Day.label(d));
                match segment {
                    Some(s) => format!("{}, day {d}", named(s)),
                    None => format!("day {d}"),
                }
            };
            let g = read(self.scale(), table, i, &group, missing)?;
            if let Some(None) = segment {
                let reason =
                    "is missing (a NULL segment); filter those rows out or give them a segment such as \"unknown\"";
                return Err(refuse("invalid_segment", &group(), "segment", "null", reason));
            }
            let Some(day) = day else {
                if missing == Missing::Error {
                    let reason = "is missing (a NULL day); filter those rows out or use the missing policy \"skip\"";
                    return Err(refuse("invalid_date", &group(), "day", "null", reason));
                }
                undated = undated.saturating_add(g.count);
                continue;
            };
            let cells = periods.entry(every.period(day)).or_insert_with(|| Cells::new(self.scale(), table));
            cells.add(segment.flatten().unwrap_or(""), &g)?;
        }
        let parts = periods.into_iter().map(|(p, c)| Ok((p, c.into_segments()?))).collect::<Result<Vec<_>>>()?;
        self.merge_periods(parts, undated)
    }
}

/// What a counts table given as rows of objects scores to: a benchmark (with a `segment` column), a trend
/// (with a `day` column, by segment if `segment` is named too), or an estimate of `metric` (neither).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum CountsTableResult {
    /// Every segment against the reference.
    Benchmark(crate::segments::benchmark::Benchmark),
    /// Periods (and segments) over time.
    Trend(crate::segments::trend::Trend),
    /// One score of the whole table.
    Estimate(crate::score::metric::Estimate),
}

/// The columns of rows given as JSON objects, named by the options `answer`, `count`, `segment`, `day`,
/// `weight_sum` and `weight_sq_sum`.
pub(crate) struct RowColumns {
    pub(crate) answers: Vec<Option<f64>>,
    pub(crate) counts: Vec<f64>,
    pub(crate) sums: Option<(Vec<f64>, Vec<f64>)>,
    pub(crate) segments: Option<Vec<Option<String>>>,
    pub(crate) days: Option<Vec<Option<String>>>,
}

type JsonMap = serde_json::Map<String, serde_json::Value>;

impl RowColumns {
    /// Takes the column names out of `options` and reads them from `rows`.
    pub(crate) fn read(rows: &[JsonMap], options: &mut JsonMap) -> Result<RowColumns> {
        use serde_json::Value;
        let mut name = |key: &str, required: bool| -> Result<Option<String>> {
            match options.remove(key) {
                Some(Value::String(s)) => Ok(Some(s)),
                None | Some(Value::Null) if !required => Ok(None),
                None | Some(Value::Null) => Err(CemError::param(
                    key,
                    "none",
                    &format!("name the column of the {key}s, e.g. {{\"{key}\": \"n\"}}"),
                )),
                Some(other) => Err(CemError::param(key, other, "names a column of the rows (a text)")),
            }
        };
        let (answer, count) = (name("answer", true)?.unwrap_or_default(), name("count", true)?.unwrap_or_default());
        let (segment, day) = (name("segment", false)?, name("day", false)?);
        let (sum, square) = (name("weight_sum", false)?, name("weight_sq_sum", false)?);
        let cell = |i: usize, row: &'_ JsonMap, column: &str| -> Result<Value> {
            row.get(column).cloned().ok_or_else(|| {
                CemError::param(
                    column,
                    format!("row {i}"),
                    "the row has no such column; every row holds every named column",
                )
            })
        };
        let number = |i: usize, row: &JsonMap, column: &str| -> Result<Option<f64>> {
            match cell(i, row, column)? {
                Value::Null => Ok(None),
                Value::Number(n) => Ok(n.as_f64()),
                other => Err(CemError::param(column, format!("{other} in row {i}"), "this column holds numbers")),
            }
        };
        let text = |i: usize, row: &JsonMap, column: &str| -> Result<Option<String>> {
            match cell(i, row, column)? {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s)),
                Value::Number(n) => Ok(Some(n.to_string())),
                other => {
                    Err(CemError::param(column, format!("{other} in row {i}"), "this column holds texts or numbers"))
                }
            }
        };
        let mut c = RowColumns { answers: vec![], counts: vec![], sums: None, segments: None, days: None };
        let nan = |v: Option<f64>| v.unwrap_or(f64::NAN);
        for (i, row) in rows.iter().enumerate() {
            c.answers.push(number(i, row, &answer)?);
            c.counts.push(nan(number(i, row, &count)?));
            if let Some(s) = &segment {
                c.segments.get_or_insert_with(Vec::new).push(text(i, row, s)?);
            }
            if let Some(d) = &day {
                c.days.get_or_insert_with(Vec::new).push(text(i, row, d)?);
            }
            if sum.is_some() || square.is_some() {
                let (s, q) = c.sums.get_or_insert_with(Default::default);
                s.push(sum.as_ref().map_or(Ok(0.0), |k| number(i, row, k).map(nan))?);
                q.push(square.as_ref().map_or(Ok(0.0), |k| number(i, row, k).map(nan))?);
            }
        }
        if sum.is_some() != square.is_some() {
            return Err(CemError::param(
                if sum.is_some() { "weight_sq_sum" } else { "weight_sum" },
                "none",
                "a weighted counts table needs both the weight sums and the squared weight sums (SUM(w), SUM(w * w))",
            ));
        }
        if rows.is_empty() {
            c.segments = segment.map(|_| Vec::new());
            c.days = day.map(|_| Vec::new());
        }
        Ok(c)
    }

    pub(crate) fn table(&self) -> CountsTable<'_, Option<f64>> {
        CountsTable {
            answers: &self.answers,
            counts: &self.counts,
            weight_sums: self.sums.as_ref().map(|s| s.0.as_slice()),
            weight_sq_sums: self.sums.as_ref().map(|s| s.1.as_slice()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counts table of rows equals the rows counted, weights and skipped answers included.
    #[test]
    fn a_counts_table_counts_as_its_rows() {
        let keys = ["b", "a", "b", "a", "b"];
        let answers = [Some(3.0), Some(5.0), None, Some(3.0), Some(3.0)];
        let weights = [0.5, 2.0, 1.0, 1.5, 0.25];
        let mut rows = SegmentTally::new(Scale::CSAT);
        rows.update_keys(&keys, &answers, Some(&weights), Missing::Skip).unwrap();
        // Grouped: (b,3): 2 rows w .5,.25; (a,5): 1 row w 2; (b,null): 1 row w 1; (a,3) split in two groups.
        let table = CountsTable::new(&[Some(3.0), Some(5.0), None, Some(3.0), Some(3.0)], &[2.0, 1.0, 1.0, 1.0, 0.0])
            .weighted(&[0.75, 2.0, 1.0, 1.5, 0.0], &[0.3125, 4.0, 1.0, 2.25, 0.0]);
        let mut grouped = SegmentTally::new(Scale::CSAT);
        grouped.update_counts_table(&["b", "a", "b", "a", "a"], &table, Missing::Skip).unwrap();
        assert_eq!(grouped, rows);
        assert_eq!(grouped.skipped(), 1);
    }

    #[test]
    fn refusals_name_the_group_and_value() {
        let scale = Scale::NPS;
        let one = |answer: f64, count: f64, w: Option<(f64, f64)>, missing| {
            let (a, c, s, q) = ([answer], [count], [w.map_or(0.0, |w| w.0)], [w.map_or(0.0, |w| w.1)]);
            let mut t = CountsTable::new(&a, &c);
            if w.is_some() {
                t = t.weighted(&s, &q);
            }
            SegmentTally::new(scale).update_counts_table(&["x"], &t, missing).unwrap_err()
        };
        let e = one(6.5, 1.0, None, Missing::Error);
        assert_eq!((e.code(), e.value(), e.index()), ("not_an_integer", Some(6.5), None));
        assert!(e.to_string().contains("segment \"x\""), "{e}");
        assert!(e.to_string().contains("no row index"), "{e}");
        assert_eq!(one(f64::NAN, 3.0, None, Missing::Error).code(), "missing_value");
        assert_eq!(one(3.0, -1.0, None, Missing::Error).code(), "invalid_parameter");
        assert_eq!(one(3.0, 1.5, None, Missing::Error).code(), "invalid_parameter");
        assert_eq!(one(3.0, 0.0, Some((1.0, 1.0)), Missing::Error).code(), "invalid_weight"); // weight without rows
        assert_eq!(one(3.0, 2.0, Some((-1.0, 1.0)), Missing::Error).code(), "invalid_weight");
        assert_eq!(one(3.0, 4.0, Some((4.0, 1.0)), Missing::Error).code(), "invalid_weight"); // Σw² < (Σw)²/n
        assert_eq!(one(3.0, 2.0, Some((2.0, 5.0)), Missing::Error).code(), "invalid_weight"); // Σw² > (Σw)²
                                                                                              // The weight is checked before the answer, as in rows, even for a skipped missing answer.
        assert_eq!(one(f64::NAN, 2.0, Some((-1.0, 1.0)), Missing::Skip).code(), "invalid_weight");
        let e = SegmentTally::new(scale)
            .update_counts_table(&[None::<&str>], &CountsTable::new(&[3], &[1.0]), Missing::Error)
            .unwrap_err();
        assert_eq!(e.code(), "invalid_segment");
    }

    #[test]
    fn a_trend_bins_the_days_of_a_counts_table() {
        let days = ["2025-01-03", "2025-01-31", "2025-03-02", "2025-03-02"];
        let segs = ["n", "n", "n", "s"];
        let answers = [10u8, 3, 9, 9];
        let mut rows = TrendTally::by_segment(Scale::NPS, Every::Month);
        rows.update_keys(
            &["2025-01-03", "2025-01-03", "2025-01-31", "2025-03-02", "2025-03-02"],
            &["n", "n", "n", "n", "s"],
            &[10u8, 10, 3, 9, 9],
            None,
            Missing::Error,
        )
        .unwrap();
        let mut grouped = TrendTally::by_segment(Scale::NPS, Every::Month);
        grouped
            .update_counts_table(
                &days,
                Some(&segs[..]),
                &CountsTable::new(&answers, &[2.0, 1.0, 1.0, 1.0]),
                Missing::Error,
            )
            .unwrap();
        assert_eq!(grouped, rows);
        let e = grouped
            .update_counts_table(&["2025-02-30"], Some(&["n"][..]), &CountsTable::new(&[3u8], &[1.0]), Missing::Error)
            .unwrap_err();
        assert_eq!(e.code(), "invalid_date");
        assert!(e.to_string().contains("segment \"n\""), "{e}");
    }
}
