//! One function per operation that a binding or the CLI exposes: inputs and the caller's options in, the
//! result or a [`CemError`] out. Each reads its options strictly ([`Options::read`] for its
//! [`Operation`]), assembles the flow (options → metric → tally → estimate → comparison → benchmark)
//! once, and is the single call a binding makes after converting its inputs.
//!
//! Options come as JSON text, a JSON value or an [`Options`] ([`Input`]); serialized values (estimates,
//! tallies, counts objects) are read by [`from_json`] with the same errors everywhere.
//!
//! ```
//! use cem_core::{operations, MetricKind};
//! let e = operations::estimate(MetricKind::Nps, &[10u8, 9, 3, 7], None, r#"{"level": 0.9}"#)?;
//! assert_eq!(e.value, 25.0);
//! let refused = operations::estimate(MetricKind::Nps, &[10u8], None, r#"{"metric": "csat"}"#).unwrap_err();
//! assert_eq!(refused.code(), "invalid_parameter");
//! # Ok::<(), cem_core::CemError>(())
//! ```

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::options::{Input, Operation, Options};
use crate::drivers::analysis::{DriverAnalysis, SegmentDrivers};
use crate::drivers::columns;
use crate::drivers::options::DriverOptions;
use crate::drivers::tally::DriverTally;
use crate::error::{CemError, Result};
use crate::names::find_column;
use crate::score::classify::{Categories, Classifier};
use crate::score::compare::{self, Comparison};
use crate::score::metric::{Estimate, MetricKind};
use crate::score::scale::Scale;
use crate::score::tally::{whole_counts, Answer, Missing, Tally};
use crate::segments::benchmark::{self, Benchmark};
use crate::segments::counts::{CountsTable, CountsTableResult, RowColumns};
use crate::segments::period::Date;
use crate::segments::reference::{check_alpha, BenchmarkOptions};
use crate::segments::segment::{Code, Key, SegmentTally};
use crate::segments::trend::{Trend, TrendTally};
use crate::weighting::{self, CellFactors, Margins, RakeColumn, RakeOptions, RakedEstimates, Raking, RestTests};

mod comments;
pub use comments::{
    comments_from_json, keyness, keyness_by_answer, keyness_by_period, keyness_by_segment, keyness_crossed, terms,
    Comments, KeynessBySegment, KeynessGroups, SegmentKeyness,
};

/// Reads a serialized value (an estimate, a tally, a counts object…) as every binding does.
///
/// # Errors
/// `invalid_parameter` naming `what` (or the field at fault) and what is wrong.
///
/// ```
/// let e = cem_core::operations::from_json::<cem_core::Estimate>("estimate", "{}").unwrap_err();
/// assert_eq!(e.code(), "invalid_parameter");
/// ```
pub fn from_json<T: DeserializeOwned>(what: &str, input: impl Input) -> Result<T> {
    input.read(what)
}

/// A scale from `[min, max]`, as bindings receive it.
///
/// # Errors
/// `invalid_parameter` unless it is two integers with min < max (at most 101 points).
///
/// ```
/// assert_eq!(cem_core::operations::scale(&[1, 5]).unwrap(), cem_core::Scale::CSAT);
/// assert!(cem_core::operations::scale(&[1]).is_err());
/// ```
pub fn scale(bounds: &[i32]) -> Result<Scale> {
    match bounds {
        [lo, hi] => Scale::new(*lo, *hi),
        _ => Err(CemError::param("scale", format!("{bounds:?}"), "a scale is [min, max]")),
    }
}

/// The estimate of metric `kind` from answers.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Estimate`], [`Tally::from_answers`] and
/// [`Metric::estimate`](crate::Metric::estimate).
pub fn estimate<A: Answer>(
    kind: MetricKind,
    answers: &[A],
    weights: Option<&[f64]>,
    options: impl Input,
) -> Result<Estimate> {
    estimate_with(kind, options, |tally, missing| tally.update(answers, weights, missing))
}

/// The estimate of metric `kind` from answers that `fill` adds to an empty tally on the metric's scale
/// (in chunks, as the CLI streams a file). `fill`'s own errors pass through unchanged.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Estimate`], of `fill`, and of
/// [`Metric::estimate`](crate::Metric::estimate).
pub fn estimate_with<E: From<CemError>>(
    kind: MetricKind,
    options: impl Input,
    fill: impl FnOnce(&mut Tally, Missing) -> std::result::Result<(), E>,
) -> std::result::Result<Estimate, E> {
    let o = Options::read(Operation::Estimate(kind), options)?;
    let (metric, scale) = o.metric(kind, None)?;
    let mut tally = Tally::new(scale);
    fill(&mut tally, o.missing())?;
    Ok(metric.estimate(&tally, &o.interval())?)
}

/// The estimate of metric `kind` from a tally, on the tally's scale.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::EstimateTally`] and [`Metric::estimate`](crate::Metric::estimate).
pub fn estimate_tally(kind: MetricKind, tally: &Tally, options: impl Input) -> Result<Estimate> {
    let o = Options::read(Operation::EstimateTally(kind), options)?;
    let (metric, _) = o.metric(kind, Some(tally.scale()))?;
    metric.estimate(tally, &o.interval())
}

/// NPS group counts aggregated elsewhere, as numbers from any language.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NpsCounts {
    /// Answers 0–6.
    pub detractors: f64,
    /// Answers 7–8.
    pub passives: f64,
    /// Answers 9–10.
    pub promoters: f64,
}

/// NPS from group counts (each a whole number ≥ 0).
///
/// # Errors
/// `invalid_parameter` for a count that is not a whole number ≥ 0 (naming it) or an option
/// [`Operation::NpsFromCounts`] does not read; those of [`Metric::estimate`](crate::Metric::estimate).
///
/// ```
/// use cem_core::operations::{nps_from_counts, NpsCounts};
/// let e = nps_from_counts(NpsCounts { detractors: 10.0, passives: 20.0, promoters: 70.0 }, "")?;
/// assert_eq!(e.value, 60.0);
/// let half = NpsCounts { detractors: 2.5, passives: 0.0, promoters: 1.0 };
/// assert_eq!(nps_from_counts(half, "").unwrap_err().code(), "invalid_parameter");
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn nps_from_counts(counts: NpsCounts, options: impl Input) -> Result<Estimate> {
    let o = Options::read(Operation::NpsFromCounts, options)?;
    let named = |name: &str, v: f64| whole_counts(&[v]).map(|c| c[0]).map_err(|_| not_a_count(name, v));
    let t = Tally::from_nps_counts(
        named("detractors", counts.detractors)?,
        named("passives", counts.passives)?,
        named("promoters", counts.promoters)?,
    );
    let (metric, _) = o.metric(MetricKind::Nps, Some(t.scale()))?;
    metric.estimate(&t, &o.interval())
}

fn not_a_count(name: &str, v: f64) -> CemError {
    CemError::param(name, crate::error::Short(v), "a count is a whole number ≥ 0")
}

/// A tally on `scale` from counts per point, lowest first, given as numbers from any language.
///
/// # Errors
/// `invalid_parameter` for a bad scale or a count that is not a whole number ≥ 0 (naming its index);
/// `length_mismatch` for one count too many or too few.
pub fn tally_from_counts(bounds: &[i32], counts: &[f64]) -> Result<Tally> {
    Tally::from_counts(scale(bounds)?, &whole_counts(counts)?)
}

/// Adds answers to a tally; on error it is unchanged.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Update`] and [`Tally::update`].
pub fn update<A: Answer>(tally: &mut Tally, answers: &[A], weights: Option<&[f64]>, options: impl Input) -> Result<()> {
    let o = Options::read(Operation::Update, options)?;
    tally.update(answers, weights, o.missing())
}

/// Adds rows to a segment tally: `fill` adds them (with `update_keys`, `update_codes` or
/// `update_numbered`, whichever fits the caller's keys) under the options' missing policy.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Update`] and of `fill`.
pub fn update_segments<E: From<CemError>>(
    segments: &mut SegmentTally,
    options: impl Input,
    fill: impl FnOnce(&mut SegmentTally, Missing) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    let o = Options::read(Operation::Update, options)?;
    fill(segments, o.missing())
}

/// Each answer's category under `metric` (default `nps`) and its options, by the rule its estimate's
/// breakdown counts with ([`Metric::category`](crate::Metric::category)): one code per answer, and a
/// missing code for each missing answer under `missing="skip"`.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Classify`] and of [`Classifier::classify_into`].
///
/// ```
/// let c = cem_core::operations::classify(&[7.0, 2.0], r#"{"metric": "ces"}"#)?;
/// assert_eq!((c.name(0), c.name(1)), (Some("easy"), Some("effortful")));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn classify<A: Answer>(answers: &[A], options: impl Input) -> Result<Categories> {
    classifier(options)?.classify(answers)
}

/// The rule of [`classify`] for answers that arrive in chunks (the CLI streams a file through it).
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Classify`]; `invalid_parameter` for `metric="mean"`,
/// which has no categories.
pub fn classifier(options: impl Input) -> Result<Classifier> {
    let o = Options::read(Operation::Classify, options)?;
    let (metric, scale) = o.named_metric(None)?;
    Classifier::new(metric, scale, o.missing())
}

/// `a − b`: difference, interval, statistic and p-value.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Compare`] and [`compare`](crate::compare()).
pub fn compare(a: &Estimate, b: &Estimate, options: impl Input) -> Result<Comparison> {
    let o = Options::read(Operation::Compare, options)?;
    compare::compare(a, b, &o.compare())
}

/// An estimate against a benchmark `value` (optionally with its own standard error, `value_se`).
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::CompareTo`] and [`compare_to`](crate::compare_to()).
pub fn compare_to(estimate: &Estimate, value: f64, options: impl Input) -> Result<Comparison> {
    let o = Options::read(Operation::CompareTo, options)?;
    compare::compare_to(estimate, value, o.value_se, &o.compare())
}

/// Multiplicity-adjusted p-values (`correction`, Holm by default).
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::AdjustPvalues`] and [`adjust_pvalues`](crate::adjust_pvalues()).
pub fn adjust_pvalues(pvalues: &[f64], options: impl Input) -> Result<Vec<f64>> {
    let o = Options::read(Operation::AdjustPvalues, options)?;
    crate::inference::adjust::adjust_pvalues(pvalues, o.correction.unwrap_or_default())
}

/// A segment benchmark from rows: `fill` adds the rows to an empty segment tally on the metric's scale
/// (with `update_keys`, `update_codes` or `update_numbered`, whichever fits the caller's keys; in one
/// call or chunk by chunk). `fill`'s own errors pass through unchanged.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Benchmark`], of `fill`, and of [`benchmark`](crate::benchmark()).
///
/// ```
/// use cem_core::operations;
/// let (regions, answers) = (["n", "n", "s", "s"], [10u8, 9, 3, 6]);
/// let table = operations::benchmark(r#"{"min_n": 1}"#, |s, missing| s.update_keys(&regions, &answers, None, missing))?;
/// assert_eq!(table.rows[0].difference, Some(200.0));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn benchmark<E: From<CemError>>(
    options: impl Input,
    fill: impl FnOnce(&mut SegmentTally, Missing) -> std::result::Result<(), E>,
) -> std::result::Result<Benchmark, E> {
    let o = Options::read(Operation::Benchmark, options)?;
    let (metric, scale) = o.named_metric(None)?;
    let mut segments = SegmentTally::new(scale);
    fill(&mut segments, o.missing())?;
    Ok(benchmark::benchmark(&segments, metric, &o.benchmark())?)
}

/// A segment benchmark of a segment tally (on its own scale).
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::BenchmarkTally`] and [`benchmark`](crate::benchmark()).
pub fn benchmark_tally(segments: &SegmentTally, options: impl Input) -> Result<Benchmark> {
    let o = Options::read(Operation::BenchmarkTally, options)?;
    let (metric, _) = o.named_metric(Some(segments.scale()))?;
    benchmark::benchmark(segments, metric, &o.benchmark())
}

/// A segment benchmark from counts per scale point for each key, given as numbers from any language.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::BenchmarkTally`], of [`SegmentTally::from_counts`]
/// (a count that is not a whole number names its segment), and of [`benchmark`](crate::benchmark()).
///
/// ```
/// let table = cem_core::operations::benchmark_counts(
///     &["a", "b"], &[vec![40.0, 0.0, 0.0, 0.0, 60.0], vec![5.0, 0.0, 0.0, 0.0, 95.0]], r#"{"metric": "csat"}"#)?;
/// assert_eq!(table.rows.len(), 2);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn benchmark_counts<K: AsRef<str>>(keys: &[K], counts: &[Vec<f64>], options: impl Input) -> Result<Benchmark> {
    let o = Options::read(Operation::BenchmarkTally, options)?;
    let (metric, scale) = o.named_metric(None)?;
    let rows = keys
        .iter()
        .zip(counts)
        .map(|(k, c)| {
            whole_counts(c).map_err(|e| match e {
                CemError::InvalidParameter { value, reason, .. } => {
                    CemError::param(&format!("counts of segment {}", k.as_ref()), value, &reason)
                }
                other => other,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let segments = SegmentTally::from_counts(scale, keys, &rows)?;
    benchmark::benchmark(&segments, metric, &o.benchmark())
}

/// A trend from dated rows: `fill` adds them to an empty [`TrendTally`] on the metric's scale, binned
/// `every` (month by default) — with segments when `segmented` (`update_codes`, `update_keys` or
/// `update_numbered`), without (`update`) otherwise; in one call or chunk by chunk. Each cell is compared
/// with the previous period (or `against: "trailing=k"`), p-values adjusted across the grid.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Trend`], of `fill`, and of [`trend`](crate::trend()).
///
/// ```
/// use cem_core::operations;
/// let dates = ["2025-01-03", "2025-01-20", "2025-03-02", "2025-03-09"];
/// let t = operations::trend(r#"{"every": "month", "min_n": 1}"#, false, |t, missing| t.update(&dates, &[3u8, 6, 10, 9], None, missing))?;
/// assert_eq!(t.periods, ["2025-01", "2025-02", "2025-03"]);
/// assert_eq!(t.rows[1].n, 0); // February had no answers: present, not skipped
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn trend<E: From<CemError>>(
    options: impl Input,
    segmented: bool,
    fill: impl FnOnce(&mut TrendTally, Missing) -> std::result::Result<(), E>,
) -> std::result::Result<Trend, E> {
    let o = Options::read(Operation::Trend, options)?;
    let (metric, scale) = o.named_metric(None)?;
    let every = o.every.unwrap_or_default();
    let mut t = if segmented { TrendTally::by_segment(scale, every) } else { TrendTally::new(scale, every) };
    fill(&mut t, o.missing())?;
    Ok(crate::segments::trend::trend(&t, metric, &o.trend())?)
}

/// A key driver analysis of named columns: `outcome` (required), `drivers` (default: every other column
/// but the `weight` column), `method` (default `lmg`), `outcome_score`, `scale`, `threshold`, `level`,
/// `missing`, `resamples`, `seed` — see [`DriverOptions`](crate::DriverOptions) and [`analyse_drivers`](crate::analyse_drivers).
///
/// # Errors
/// Those of [`DriverOptions::read`](crate::DriverOptions::read) for [`Operation::Drivers`] (and
/// `invalid_parameter` naming a column that is not there), [`DriverTally::update`](crate::DriverTally::update)
/// and [`analyse_drivers`](crate::analyse_drivers).
///
/// ```
/// let (y, a, b) = ([3.0, 5.0, 4.0, 8.0, 9.0], [1.0, 2.0, 2.0, 4.0, 5.0], [2.0, 1.0, 3.0, 3.0, 4.0]);
/// let cols = [("y", &y[..]), ("a", &a[..]), ("b", &b[..])];
/// let r = cem_core::operations::drivers(&cols, r#"{"outcome": "y", "method": "relative_weights"}"#)?;
/// assert_eq!(r.drivers.len(), 2);
/// let e = cem_core::operations::drivers(&cols, r#"{"outcome": "y", "alpha": 0.1}"#).unwrap_err();
/// assert_eq!(e.code(), "invalid_parameter");
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn drivers<S: AsRef<str>>(columns: &[(S, &[f64])], options: impl Input) -> Result<DriverAnalysis> {
    let o = DriverOptions::read(Operation::Drivers, options)?;
    columns::analyse_columns(columns, &o)
}

/// A driver tally (the weighted moments of outcome and drivers) of named columns, to merge with others
/// and analyse with [`drivers_tally`].
///
/// # Errors
/// Those of [`DriverOptions::read`](crate::DriverOptions::read) for [`Operation::DriverTally`] and
/// [`DriverTally::update`](crate::DriverTally::update).
pub fn driver_tally<S: AsRef<str>>(columns: &[(S, &[f64])], options: impl Input) -> Result<DriverTally> {
    let o = DriverOptions::read(Operation::DriverTally, options)?;
    columns::tally_columns(columns, &o)
}

/// Adds named columns to a driver tally (`missing` is the only option); on error it is unchanged.
///
/// # Errors
/// Those of [`DriverOptions::read`](crate::DriverOptions::read) for [`Operation::Update`] and
/// [`DriverTally::update`](crate::DriverTally::update); `invalid_parameter` naming a missing column.
pub fn update_drivers<S: AsRef<str>>(
    tally: &mut DriverTally,
    columns: &[(S, &[f64])],
    weight: Option<&str>,
    options: impl Input,
) -> Result<()> {
    let o = DriverOptions::read(Operation::Update, options)?;
    tally.update_columns(columns, weight, o.missing.unwrap_or_default())
}

/// A key driver analysis of a driver tally (`method`, `level`).
///
/// # Errors
/// Those of [`DriverOptions::read`](crate::DriverOptions::read) for [`Operation::DriversTally`] and
/// [`analyse_drivers`](crate::analyse_drivers).
pub fn drivers_tally(tally: &DriverTally, options: impl Input) -> Result<DriverAnalysis> {
    let o = DriverOptions::read(Operation::DriversTally, options)?;
    columns::analyse_with(tally, &o)
}

/// A key driver analysis per segment, from one pass over the rows: row i belongs to segment
/// `names[codes[i]]` (a code outside `names`, such as −1 for a missing key, is an `invalid_segment` error
/// naming the row); options as [`drivers`].
///
/// # Errors
/// Those of [`drivers`], naming the segment; `length_mismatch` for codes of another length.
///
/// ```
/// let (y, a) = ([1.0, 2.0, 4.0, 3.0, 5.0, 2.0, 3.0, 1.0], [1.0, 2.0, 3.0, 3.0, 5.0, 1.0, 4.0, 2.0]);
/// let cols = [("y", &y[..]), ("a", &a[..])];
/// let names = ["north".to_string(), "south".to_string()];
/// let per = cem_core::operations::drivers_by_segment(&cols, &[0, 0, 0, 0, 1, 1, 1, 1], &names, r#"{"outcome": "y"}"#)?;
/// assert_eq!(per[1].segment, "south");
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn drivers_by_segment<S: AsRef<str>>(
    columns: &[(S, &[f64])],
    codes: &[i64],
    names: &[String],
    options: impl Input,
) -> Result<Vec<SegmentDrivers>> {
    let o = DriverOptions::read(Operation::Drivers, options)?;
    columns::analyse_segments(columns, codes, names, &o)
}

/// A key driver analysis per segment, each row's segment given by its key (`None` a missing key, an
/// `invalid_segment` error naming the row); segments in key order. Options as [`drivers`].
///
/// # Errors
/// Those of [`drivers_by_segment`].
///
/// ```
/// let (y, a) = ([1.0, 2.0, 4.0, 3.0, 5.0, 2.0, 3.0, 1.0], [1.0, 2.0, 3.0, 3.0, 5.0, 1.0, 4.0, 2.0]);
/// let keys = ["south", "south", "south", "south", "north", "north", "north", "north"];
/// let per = cem_core::operations::drivers_by_segment_keys(&[("y", &y[..]), ("a", &a[..])], &keys, r#"{"outcome": "y"}"#)?;
/// assert_eq!((per[0].segment.as_str(), per[1].segment.as_str()), ("north", "south"));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn drivers_by_segment_keys<S: AsRef<str>, K: Key>(
    columns: &[(S, &[f64])],
    keys: &[K],
    options: impl Input,
) -> Result<Vec<SegmentDrivers>> {
    let (codes, names) = crate::segments::segment::intern_keys(keys)?;
    let names: Vec<String> = names.into_iter().map(str::to_string).collect();
    drivers_interned(columns, &codes, names, options)
}

/// A key driver analysis per segment, each row's segment a whole number named by its decimal form;
/// segments in key (text) order. Options as [`drivers`].
///
/// # Errors
/// Those of [`drivers_by_segment`].
pub fn drivers_by_segment_numbers<S: AsRef<str>, C: Code>(
    columns: &[(S, &[f64])],
    numbers: &[C],
    options: impl Input,
) -> Result<Vec<SegmentDrivers>> {
    let (codes, names) = crate::segments::segment::intern_numbers(numbers)?;
    drivers_interned(columns, &codes, names, options)
}

/// Interned codes renumbered so the segments come in key order, then [`drivers_by_segment`].
fn drivers_interned<S: AsRef<str>>(
    columns: &[(S, &[f64])],
    codes: &[u32],
    names: Vec<String>,
    options: impl Input,
) -> Result<Vec<SegmentDrivers>> {
    let order = crate::order::argsort(names.len(), &|a, b| names[a].cmp(&names[b]));
    let mut rank = vec![0i64; names.len()];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r as i64;
    }
    let codes: Vec<i64> = codes.iter().map(|&c| rank[c as usize]).collect();
    let sorted: Vec<String> = order.iter().map(|&c| names[c].clone()).collect();
    drivers_by_segment(columns, &codes, &sorted, options)
}

/// A segment benchmark of a counts table (an engine's GROUP BY output): one segment key per group; the
/// options are a benchmark's ([`Operation::Benchmark`], `missing` included).
///
/// # Errors
/// Those of [`Options::read`], of [`SegmentTally::update_counts_table`] and of [`benchmark`](crate::benchmark()).
///
/// ```
/// use cem_core::{operations, CountsTable};
/// let table = CountsTable::new(&[10, 9, 3, 6], &[1.0, 1.0, 1.0, 1.0]);
/// let b = operations::benchmark_counts_table(&["n", "n", "s", "s"], &table, r#"{"min_n": 1}"#)?;
/// assert_eq!(b.rows[0].difference, Some(200.0));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn benchmark_counts_table<K: Key, A: Answer>(
    segments: &[K],
    table: &CountsTable<'_, A>,
    options: impl Input,
) -> Result<Benchmark> {
    benchmark(options, |s, missing| s.update_counts_table(segments, table, missing))
}

/// A trend of a counts table grouped by day (and by segment when `segments` are given); the options are a
/// trend's ([`Operation::Trend`]: `every`, `missing`…). The core bins the days.
///
/// # Errors
/// Those of [`Options::read`], of [`TrendTally::update_counts_table`] and of [`trend`](crate::trend()).
///
/// ```
/// use cem_core::{operations, CountsTable};
/// let table = CountsTable::new(&[3, 10, 9], &[2.0, 1.0, 4.0]);
/// let t = operations::trend_counts_table(&["2025-01-03", "2025-03-02", "2025-03-09"], None::<&[&str]>, &table, r#"{"min_n": 1}"#)?;
/// assert_eq!(t.periods, ["2025-01", "2025-02", "2025-03"]);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn trend_counts_table<D: Date, K: Key, A: Answer>(
    days: &[D],
    segments: Option<&[K]>,
    table: &CountsTable<'_, A>,
    options: impl Input,
) -> Result<Trend> {
    trend(options, segments.is_some(), |t, missing| t.update_counts_table(days, segments, table, missing))
}

/// The estimate of metric `kind` from a counts table without segments; the options are the estimate's
/// ([`Operation::Estimate`], `missing` included).
///
/// # Errors
/// Those of [`Options::read`], of [`Tally::update_counts_table`] and of [`Metric::estimate`](crate::Metric::estimate).
///
/// ```
/// use cem_core::{operations, CountsTable, MetricKind};
/// let e = operations::estimate_counts_table(MetricKind::Nps, &CountsTable::new(&[10, 3], &[3.0, 1.0]), "")?;
/// assert_eq!(e.value, 50.0);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn estimate_counts_table<A: Answer>(
    kind: MetricKind,
    table: &CountsTable<'_, A>,
    options: impl Input,
) -> Result<Estimate> {
    estimate_with(kind, options, |t, missing| t.update_counts_table(table, missing))
}

/// A segment tally on `scale` from a counts table (options: `missing`, as [`Operation::Update`]).
///
/// # Errors
/// Those of [`Options::read`] and of [`SegmentTally::update_counts_table`].
///
/// ```
/// use cem_core::{operations, CountsTable, Scale};
/// let s = operations::segments_from_counts_table(Scale::CSAT, &["a", "b"], &CountsTable::new(&[5, 1], &[2.0, 3.0]), "")?;
/// assert_eq!(s.segment("b").unwrap().n(), 3);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn segments_from_counts_table<K: Key, A: Answer>(
    scale: Scale,
    segments: &[K],
    table: &CountsTable<'_, A>,
    options: impl Input,
) -> Result<SegmentTally> {
    let mut s = SegmentTally::new(scale);
    update_segments(&mut s, options, |s, missing| s.update_counts_table(segments, table, missing))?;
    Ok(s)
}

/// A tally on `scale` from a counts table without segments (options: `missing`, as [`Operation::Update`]).
///
/// # Errors
/// Those of [`Options::read`] and of [`Tally::update_counts_table`].
///
/// ```
/// use cem_core::{operations, CountsTable, Scale};
/// let t = operations::tally_from_counts_table(Scale::CSAT, &CountsTable::new(&[5, 1, 5], &[2.0, 3.0, 1.0]), "")?;
/// assert_eq!(t.counts(), &[3, 0, 0, 0, 3]);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn tally_from_counts_table<A: Answer>(
    scale: Scale,
    table: &CountsTable<'_, A>,
    options: impl Input,
) -> Result<Tally> {
    let o = Options::read(Operation::Update, options)?;
    let mut t = Tally::new(scale);
    t.update_counts_table(table, o.missing())?;
    Ok(t)
}

/// A counts table given as rows of objects (JSON: what JavaScript passes, and the CLI reads from a counts
/// file), scored by what its options name: `answer` and `count` columns (required), `weight_sum` and
/// `weight_sq_sum` (both or neither), `segment` (a benchmark), `day` (a trend, by segment if `segment` is
/// named too; days are ISO texts or day numbers), neither (an estimate of `metric`, NPS by default). The
/// other options are those of that benchmark, trend or estimate, read as strictly.
///
/// # Errors
/// `invalid_parameter` for a column not named or missing from a row (naming the row) or holding the wrong
/// type; those of [`benchmark_counts_table`], [`trend_counts_table`] and [`estimate_counts_table`].
///
/// ```
/// use cem_core::{operations, CountsTableResult};
/// let rows = r#"[{"region": "n", "nps": 10, "n": 40}, {"region": "n", "nps": 3, "n": 10}, {"region": "s", "nps": 9, "n": 8}]"#;
/// let CountsTableResult::Benchmark(b) = operations::from_counts_table(rows, r#"{"segment": "region", "answer": "nps", "count": "n", "min_n": 1}"#)? else { panic!() };
/// assert_eq!(b.rows[0].n, 50);
/// let e = operations::from_counts_table(rows, r#"{"answer": "nps", "count": "n", "segmnt": "region"}"#).unwrap_err();
/// assert!(e.to_string().starts_with("invalid segmnt"), "{e}"); // an unknown key, never ignored
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn from_counts_table(rows: impl Input, options: impl Input) -> Result<CountsTableResult> {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = rows.read("rows")?;
    let mut options: serde_json::Map<String, serde_json::Value> =
        options.read::<Option<_>>("options")?.unwrap_or_default();
    let columns = RowColumns::read(&rows, &mut options)?;
    let table = columns.table();
    let segments = columns.segments.as_deref();
    let kind = match (&columns.days, segments, options.remove("metric")) {
        (None, None, Some(serde_json::Value::String(m))) => Some(m.parse::<MetricKind>()?),
        (None, None, Some(m)) if !m.is_null() => {
            return Err(CemError::param("metric", m, "a metric is a name, e.g. \"nps\""))
        }
        (_, _, Some(m)) => {
            options.insert("metric".into(), m);
            None
        }
        _ => None,
    };
    // The other options as JSON text: read as every binding's options are (one deserializer of them).
    let rest = serde_json::to_string(&options).map_err(|e| CemError::param("options", "…", &e.to_string()))?;
    Ok(match (&columns.days, segments) {
        (Some(days), _) => CountsTableResult::Trend(trend_counts_table(days, segments, &table, rest.as_str())?),
        (None, Some(keys)) => CountsTableResult::Benchmark(benchmark_counts_table(keys, &table, rest.as_str())?),
        (None, None) => {
            CountsTableResult::Estimate(estimate_counts_table(kind.unwrap_or(MetricKind::Nps), &table, rest.as_str())?)
        }
    })
}

/// Data-driven segments: every slice (`region=East & channel=phone`) up to `depth` conditions whose
/// slice and rest reach `min_n` — the family, fixed before any score is read — tested against its rest
/// with the benchmark's test, p-values adjusted over the family (Holm by default, or the Westfall–Young
/// permutation bound), each significant slice checked against the rest of its parents (`productive`).
/// The options name the `answer` column and the `attributes` (default: every other column), a `weight`
/// column, or a counts cube's `count` (with `weight_sum`, `weight_sq_sum`) columns. See
/// [`DiscoverOptions`](crate::DiscoverOptions) for every key and the `discover` module documentation for
/// the method and its references (Webb 2007; Holm 1979; Westfall & Young 1993).
///
/// # Errors
/// Those of [`DiscoverOptions::read`](crate::DiscoverOptions::read); `invalid_parameter` naming a column
/// that is not there, `depth` outside 1..=4, a search past [`MAX_CANDIDATES`](crate::MAX_CANDIDATES) slices,
/// an attribute with more than `max_values` values; those of answers, weights and counts as in a benchmark
/// (a missing answer is `missing_value` unless `missing: "skip"`). A missing attribute value is a value of
/// its own, `(missing)`, unless `missing: "skip"` leaves its row out.
///
/// ```
/// use cem_core::{operations, Column};
/// // East on the phone is much worse than East or phone alone.
/// let (mut region, mut channel, mut nps) = (Vec::new(), Vec::new(), Vec::new());
/// for i in 0..800 {
///     let (r, c) = (["East", "West"][i % 2], ["phone", "web"][(i / 2) % 2]);
///     region.push(Some(r));
///     channel.push(Some(c));
///     nps.push(if r == "East" && c == "phone" { [2.0, 5.0, 7.0, 9.0][i % 4 / 2 * 2 + i / 4 % 2] } else { [9.0, 10.0, 7.0, 9.0][i / 4 % 4] });
/// }
/// let columns = [("region", Column::Texts(&region)), ("channel", Column::Texts(&channel)), ("nps", Column::Numbers(&nps))];
/// let d = operations::discover(&columns, r#"{"answer": "nps"}"#)?;
/// assert_eq!(d.rows[0].slice, "region=East & channel=phone");
/// assert!(d.rows[0].productive);
/// assert_eq!(d.summary.m, 8); // 4 slices of one condition, 4 of two
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn discover<S: AsRef<str>>(columns: &[(S, crate::Column<'_>)], options: impl Input) -> Result<crate::Discovery> {
    let o = crate::DiscoverOptions::read(options)?;
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_ref()).collect();
    for (key, name) in o.named_columns() {
        find_column(key, name, &names)?;
    }
    let common = o.common();
    let (metric, scale) = common.named_metric(None)?;
    crate::discover::discover(columns, &o, metric, scale, &common.benchmark())
}

/// Raking (iterative proportional fitting) of rows to population margins: a weight per row such that
/// every margin's weights sum to its target, with the diagnostics ([`Raking`](crate::Raking)).
///
/// `columns` are the raking variables by name (others may be present); `base_weights` the design
/// weights dᵢ (default 1); `margins` are `{variable: {level: value}}` or a list of
/// `{variable, level, value}` records ([`Margins::read`](crate::Margins::read)): shares when each
/// variable's values sum to 1 (the weights keep the base weights' total), else counts, whose totals must
/// agree (the weights sum to it). Options ([`RakeOptions`](crate::RakeOptions)): `by`, `tolerance`
/// (1e-10), `max_sweeps` (1000), `trim`, `trim_absolute`, `missing`.
///
/// Each sweep multiplies, variable after variable, each cell's factor f_c by T_{v,l} / Σ_{i: vᵢ=l} dᵢ·f_{c(i)}
/// (Deming & Stephan 1940); the weights wᵢ = dᵢ·f_{c(i)} at convergence are the raking calibration
/// weights of Deville & Särndal (1992). The fit stops when max |achieved / target − 1| ≤ `tolerance`.
/// Design effect (Kish 1965): n·Σw² / (Σw)² = 1 + CV²; effective n = (Σw)² / Σw².
///
/// # Errors
/// `invalid_parameter` for options, margins of another shape, or a `by` variable with no column;
/// `invalid_weight` for a bad base weight; `length_mismatch`; `missing_value` (under `missing="error"`),
/// `level_without_target`, `level_without_rows`, `zero_target`, `invalid_margin`, `margins_disagree`,
/// `not_converged`, `infeasible_trim` ([`CemError::Raking`]).
///
/// ```
/// use cem_core::{operations, RakeColumn};
/// let region = RakeColumn::from_keys(&["n", "n", "s", "s", "s", "s"]);
/// let channel = RakeColumn::from_keys(&["web", "app", "web", "web", "web", "app"]);
/// let margins = r#"{"region": {"n": 0.5, "s": 0.5}, "channel": {"web": 0.5, "app": 0.5}}"#;
/// let r = operations::rake(&[("region", region), ("channel", channel)], None, margins, "{}")?;
/// assert!(r.diagnostics.max_margin_error <= 1e-10);
/// let north: f64 = r.weights[..2].iter().sum();
/// assert!((north - 3.0).abs() < 1e-9); // half of the six rows' weight
/// assert!(r.diagnostics.design_effect > 1.0);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn rake<S: AsRef<str>>(
    columns: &[(S, RakeColumn)],
    base_weights: Option<&[f64]>,
    margins: impl Input,
    options: impl Input,
) -> Result<Raking> {
    let o = RakeOptions::read(Operation::Rake, options)?;
    let margins = Margins::read(margins)?;
    let picked = raking_columns(columns, &margins, &o)?;
    weighting::rake_rows(&picked, base_weights, &margins, &o)
}

/// Scores from raked weights with their **calibration-aware** (linearised) standard errors, for the whole
/// sample and per segment: scores `answers` (metric `kind`) with the weights of `raking` — the result of
/// [`rake`] on the same `columns`, `base_weights`, `margins` and raking options — or, when `raking` is
/// `None`, rakes as [`rake`] does first. Each row ([`RakedEstimate`](crate::RakedEstimate)) gives the
/// estimate with the weights as fixed and the calibrated standard error with its Wald interval.
///
/// The calibrated variance of a score ȳ_S over a domain S (the sample or a segment) is
/// V = n/(n−1)·Σ(uᵢ − ū)², uᵢ = wᵢ·eᵢ, where eᵢ are the residuals of the base-weighted regression of the
/// score's linearisation zᵢ = 1{i∈S}(yᵢ − ȳ_S)/Σ_S w on the indicators of the raking variables' levels
/// (Deville & Särndal 1992; as R `survey`'s `calibrate(..., calfun = "raking")` then `svymean`). It is
/// smaller than the fixed-weights one when the raking variables explain the score.
///
/// Each segment is also compared with the rest — the rows of every other segment, as [`benchmark`]'s
/// `rest` — on the calibrated scale: the difference D = ȳ_S − ȳ_R is linearised as one score,
/// zᵢ = 1{i∈S}(yᵢ − ȳ_S)/Σ_S w − 1{i∈R}(yᵢ − ȳ_R)/Σ_R w, whose residuals give its calibrated standard error
/// (with the covariance the shared raking gives the two means; R `survey`'s `svycontrast`), then a Wald z
/// test, its two-sided p-value and the p-values adjusted across the segments (`correction`, default `holm`
/// as [`benchmark`]'s), `significant` at `alpha` (default 0.05).
///
/// A raking given is not made again (the same rows, bit for bit): its rows are grouped into their cells
/// again (the calibrated variance regresses on the cells' levels) and each row's weight is checked to be
/// its base weight times its cell's factor.
///
/// Options: those of [`rake`], those of the metric's estimate (`level`, `method` and the metric's own,
/// e.g. `scale`, `threshold`), and `correction` and `alpha`; `missing` applies to the raking values and
/// the answers alike.
///
/// # Errors
/// Those of [`rake`] (but not converging, when `raking` is given) and of [`estimate`]; `invalid_parameter`
/// for `alpha` outside (0, 1); `length_mismatch`
/// for answers, a segment or raking weights of another length; `invalid_parameter` naming the first row
/// whose weight is not of such a raking.
///
/// ```
/// use cem_core::{operations, MetricKind, RakeColumn};
/// let columns = [("region", RakeColumn::from_keys(&["n", "n", "n", "s", "s", "s"]))];
/// let answers = [10.0, 10.0, 9.0, 3.0, 2.0, 8.0];
/// let margins = r#"{"region": {"n": 0.5, "s": 0.5}}"#;
/// let r = operations::rake_estimate(MetricKind::Nps, &columns, None, margins, None, &answers, None, "{}")?;
/// let all = &r.rows[0];
/// assert!((all.estimate.value - 100.0 / 6.0).abs() < 1e-9); // 3 promoters, 2 detractors in 6
/// // The region explains part of the score: the calibrated error is the smaller.
/// assert!(all.calibrated_standard_error.unwrap() < all.estimate.standard_error.unwrap());
/// // From a raking already made: the same rows.
/// let raking = operations::rake(&columns, None, margins, "{}")?;
/// let again = operations::rake_estimate(MetricKind::Nps, &columns, None, margins, Some(&raking), &answers, None, "{}")?;
/// assert_eq!(again, r);
/// // Each plan against the other: the same difference with opposite signs, and one standard error.
/// let plan = RakeColumn::from_keys(&["a", "b", "a", "b", "a", "b"]);
/// let r = operations::rake_estimate(MetricKind::Nps, &columns, None, margins, None, &answers, Some(&plan), "{}")?;
/// let (a, b) = (&r.rows[1], &r.rows[2]);
/// assert!((a.difference.unwrap() + b.difference.unwrap()).abs() < 1e-9);
/// assert_eq!(a.difference_standard_error, b.difference_standard_error);
/// assert!(a.p_value.unwrap() > 0.05 && !a.significant);
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[allow(clippy::too_many_arguments)]
pub fn rake_estimate<S: AsRef<str>, A: crate::score::tally::Answer>(
    kind: MetricKind,
    columns: &[(S, RakeColumn)],
    base_weights: Option<&[f64]>,
    margins: impl Input,
    raking: Option<&Raking>,
    answers: &[A],
    segment: Option<&RakeColumn>,
    options: impl Input,
) -> Result<RakedEstimates> {
    let (o, scoring, tests) = raking_and_scoring(kind, options)?;
    let (metric, scale) = scoring.metric(kind, None)?;
    let margins = Margins::read(margins)?;
    let picked = raking_columns(columns, &margins, &o)?;
    let (raking, rows) = match raking {
        None => {
            let (made, rows) = weighting::fit_rows(&picked, base_weights, &margins, &o)?;
            (std::borrow::Cow::Owned(made), rows)
        }
        Some(r) => (std::borrow::Cow::Borrowed(r), weighting::rows_of_raking(&picked, base_weights, &margins, &o, r)?),
    };
    let (missing, interval) = (scoring.missing(), scoring.interval());
    weighting::estimates(&rows, &raking, base_weights, metric, scale, answers, segment, missing, &interval, tests)
}

/// A [`Raking`] from its weights and its diagnostics as JSON — the fields of [`rake`]'s result but
/// `weights`, as a binding holds them — for [`rake_estimate`].
///
/// # Errors
/// `invalid_parameter` naming the diagnostic that is missing or of the wrong type.
///
/// ```
/// use cem_core::{operations, RakeColumn};
/// let columns = [("region", RakeColumn::from_keys(&["n", "s", "s"]))];
/// let r = operations::rake(&columns, None, r#"{"region": {"n": 0.5, "s": 0.5}}"#, "{}")?;
/// let json = serde_json::to_value(&r.diagnostics).unwrap();
/// assert_eq!(operations::raking_from(r.weights.clone(), json)?, r);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn raking_from(weights: Vec<f64>, diagnostics: impl Input) -> Result<Raking> {
    Ok(Raking { weights, diagnostics: diagnostics.read("raking")? })
}

/// One options object split: raking's keys to the raking, the rest (and `missing`) to the estimate and the
/// tests against the rest, read strictly as [`Operation::RakeEstimate`]'s.
fn raking_and_scoring(kind: MetricKind, options: impl Input) -> Result<(RakeOptions, Options, RestTests)> {
    let op = Operation::RakeEstimate(kind);
    let given: Option<serde_json::Value> = options.read("options")?;
    let mut rake_keys = serde_json::Map::new();
    let mut score_keys = serde_json::Map::new();
    if let Some(serde_json::Value::Object(map)) = given {
        for (k, v) in map {
            if Operation::Rake.keys(None).contains(&k.as_str()) {
                if k == "missing" {
                    score_keys.insert(k.clone(), v.clone());
                }
                rake_keys.insert(k, v);
            } else {
                score_keys.insert(k, v);
            }
        }
    }
    let o = RakeOptions::read(op, serde_json::Value::Object(rake_keys))?;
    let scoring = Options::read(op, serde_json::Value::Object(score_keys))?;
    let benchmark = BenchmarkOptions::default(); // the same defaults as benchmark's
    let alpha = scoring.alpha.unwrap_or(benchmark.alpha);
    check_alpha(alpha)?;
    let tests = RestTests { correction: scoring.correction.unwrap_or(benchmark.correction), alpha };
    Ok((o, scoring, tests))
}

/// The raking variables' columns in raking order: `by` (or every variable of the margins), each found by
/// name among `columns` (or `invalid_parameter` naming it and the columns there are).
fn raking_columns<'a, S: AsRef<str>>(
    columns: &'a [(S, RakeColumn)],
    margins: &Margins,
    o: &RakeOptions,
) -> Result<Vec<(&'a str, &'a RakeColumn)>> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_ref()).collect();
    weighting::pick(margins, o.by.as_deref())?
        .iter()
        .map(|v| {
            let i = find_column("by", v, &names)?;
            Ok((names[i], &columns[i].1))
        })
        .collect()
}

/// Raking of a cells table — a warehouse's `GROUP BY` of the raking variables with `count` and, for base
/// weights, Σd (`sums`) and Σd² (`squares`) — to population margins: a factor per table row. A row's
/// weights are its factor times their base weights, so with the answer and any segment in the same
/// `GROUP BY`, a counts table's Σw is factor·Σd and its Σw² factor²·Σd². Rows of the same cell (a
/// merged table) are added before raking. Margins and options as [`rake`].
///
/// # Errors
/// Those of [`rake`]; `invalid_parameter` for a count that is not a whole number ≥ 0, or trimming of a
/// cell whose rows have unequal base weights; `invalid_weight` for a negative or non-finite sum.
///
/// ```
/// use cem_core::{operations, RakeColumn};
/// let region = RakeColumn::from_keys(&["n", "s"]);
/// let r = operations::rake_cells(&[("region", region)], &[3.0, 1.0], None, r#"{"region": {"n": 2, "s": 2}}"#, "{}")?;
/// assert_eq!(r.factors, vec![2.0 / 3.0, 2.0]);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn rake_cells<S: AsRef<str>>(
    columns: &[(S, RakeColumn)],
    counts: &[f64],
    sums: Option<(&[f64], &[f64])>,
    margins: impl Input,
    options: impl Input,
) -> Result<CellFactors> {
    let o = RakeOptions::read(Operation::RakeCells, options)?;
    let margins = Margins::read(margins)?;
    let picked = raking_columns(columns, &margins, &o)?;
    weighting::rake_table(&picked, counts, sums, &margins, &o)
}

#[cfg(test)]
mod tests {
    use crate::api::operations;
    use crate::api::options::{Operation, Options};
    use crate::score::classify::Categories;
    use crate::score::metric::MetricKind;
    use crate::score::tally::Tally;

    #[test]
    fn the_order_of_the_input_is_kept_and_skipped_answers_keep_their_row() {
        let c = operations::classify(&[f64::NAN, 0.0, 8.0, 10.0], r#"{"missing": "skip"}"#).unwrap();
        assert_eq!(c.codes, [Categories::MISSING, 0, 1, 2]);
        let e = operations::classify(&[1.0, f64::NAN], "").unwrap_err();
        assert_eq!((e.code(), e.index()), ("missing_value", Some(1)));
    }

    #[test]
    fn integer_answers_off_the_scale_are_named_as_the_tally_names_them() {
        let e = operations::classify(&[5i64, 11], "").unwrap_err();
        assert_eq!((e.code(), e.index(), e.value()), ("out_of_range", Some(1), Some(11.0)));
        let e = operations::classify(&[3u8, 0], r#"{"metric": "csat"}"#).unwrap_err();
        assert_eq!((e.code(), e.index(), e.value()), ("out_of_range", Some(1), Some(0.0)));
    }

    fn message<T: std::fmt::Debug>(r: crate::error::Result<T>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_path_to_the_value_at_fault() {
        let op = Operation::BenchmarkTally;
        for (input, named) in [
            (r#"{"scale": [1, "a"]}"#, "invalid scale[1] = "),
            (r#"{"prior": [1, 1, "x"]}"#, "invalid prior[2] = "),
            (r#"{"order": ["a", 3]}"#, "invalid order[1] = "),
            (r#"{"against": {"kind": "benchmark", "value": "x"}}"#, "invalid against.value = "),
            (r#"{"against": {"kind": "benchmark", "valeu": 45}}"#, "invalid against.valeu = "),
            (r#"{"against": {"kind": "benchmark"}}"#, "invalid against = "),
            (r#"{"level": "high"}"#, "invalid level = "),
            (r#"{"level": 0.9, "level": 0.8}"#, "invalid options = "),
            ("[]", "invalid options = "),
        ] {
            let e = message(Options::read(op, input));
            assert!(e.starts_with(named), "{input}: {e}");
            // A JSON value (Python's dicts) is read by the same reader, naming the same key.
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(input) {
                if !input.contains("\"level\": 0.8") {
                    assert!(message(Options::read(op, v)).starts_with(named), "{input}");
                }
            }
        }
        assert!(message(Options::read(op, r#"{"level": 0.9, "level": 0.8}"#)).ends_with("duplicate field `level`"));
        let e =
            message(operations::from_json::<Tally>("tally", r#"{"counts": [1, 2], "scale": [1, "x"], "skipped": 0}"#));
        assert!(e.starts_with("invalid scale[1] = "), "{e}");
        let e = message(operations::estimate(MetricKind::Nps, &[9u8], None, r#"{"levle": 0.9}"#));
        assert!(e.starts_with("invalid levle = 0.9: nps does not read this option (did you mean level?)"), "{e}");
    }
}
