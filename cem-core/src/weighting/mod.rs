//! Weighting to the population: raking (iterative proportional fitting) and post-stratification to known
//! margins, from rows or from a cells table (a `GROUP BY` of the raking variables).
//!
//! Respondents are not the customer base: some regions or channels answer more. Raking finds weights
//! wᵢ = dᵢ·f_c — the base weight dᵢ (default 1) times a factor per cell c of the raking variables' levels —
//! such that for every variable v and level l the weights at that level sum to its target:
//! Σ_{i: vᵢ = l} wᵢ = T_{v,l}. Iterative proportional fitting (Deming & Stephan 1940) reaches them by
//! sweeps: for each variable in turn, every cell's factor is multiplied by T_{v,l} / Σ_{i: vᵢ=l} wᵢ of its
//! level l. The fixed point is the calibration estimator of Deville & Särndal (1992) with the raking
//! distance. Raking on one (crossed) variable is post-stratification: one sweep.
//!
//! Raking only needs, per observed cell, the rows' count, Σd and Σd² — so a sweep costs cells ×
//! variables, not rows, and a warehouse's `GROUP BY` of the raking variables is enough: the result is a
//! factor per cell ([`rake_cells`](crate::operations::rake_cells)).
//!
//! Never quiet: the fit stops on the **margin error** max |achieved / target − 1| ≤ `tolerance` (default
//! 1e-10), never on a small change between sweeps (which a table that can never converge also shows);
//! not meeting it in `max_sweeps` (default 1000) is a `not_converged` error naming the worst margin and
//! the empty cells that can make it unreachable. Margins that disagree on the population total, levels
//! with a target but no rows (or rows but no target) are errors, each with its own code.
//!
//! Diagnostics: Kish's (1965) design effect of unequal weights deff = n·Σw² / (Σw)² = 1 + CV² (CV the
//! weights' coefficient of variation, population form) and effective n = (Σw)² / Σw² = n / deff.
//!
//! ```
//! use cem_core::{operations, RakeColumn};
//! let region = RakeColumn::from_keys(&["north", "north", "north", "south"]);
//! let r = operations::rake(&[("region", region)], None, r#"{"region": {"north": 0.5, "south": 0.5}}"#, "{}")?;
//! assert_eq!(r.weights, vec![2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 2.0]); // three northern rows weigh as many as one southern
//! assert_eq!(r.diagnostics.sweeps, 1);
//! # Ok::<(), cem_core::CemError>(())
//! ```

mod ipf;
mod margins;
mod variance;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result, Short};
use crate::score::tally::{check_len, check_weight, whole_counts, Missing};
use crate::segments::segment::Key;

pub use margins::Margins;

use ipf::{Settings, Units};
use margins::Targets;

pub(crate) use margins::pick;
pub(crate) use variance::{estimates, RestTests};
pub use variance::{RakedEstimate, RakedEstimates};

/// The code of a missing level in a [`RakeColumn`].
const MISSING: u32 = u32::MAX;

/// One raking variable's column: each row's level as a code into a list of level names. Build it from
/// text keys, numbers or codes with names (a categorical column); a missing value (None, NaN, a negative
/// code) follows the `missing` option.
///
/// ```
/// use cem_core::RakeColumn;
/// let c = RakeColumn::from_numbers(&[1.0, 2.0, f64::NAN, 1.0]);
/// assert_eq!(c.levels(), &["1", "2"]);
/// assert_eq!(c.len(), 4);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RakeColumn {
    codes: Vec<u32>,
    levels: Vec<String>,
}

impl RakeColumn {
    /// A column of text keys (`None` is missing).
    pub fn from_keys<K: Key>(keys: &[K]) -> RakeColumn {
        let mut levels: Vec<String> = Vec::new();
        let mut index: HashMap<&str, u32> = HashMap::new();
        let codes = keys
            .iter()
            .map(|k| match k.name() {
                None => MISSING,
                Some(name) => *index.entry(name).or_insert_with(|| {
                    levels.push(name.to_string());
                    (levels.len() - 1) as u32
                }),
            })
            .collect();
        RakeColumn { codes, levels }
    }

    /// A column of numbers, each level named as the number is written (`3.0` is the level `"3"`; NaN is
    /// missing).
    pub fn from_numbers(values: &[f64]) -> RakeColumn {
        let mut levels: Vec<String> = Vec::new();
        let mut index: HashMap<u64, u32> = HashMap::new();
        let codes = values
            .iter()
            .map(|&v| match v.is_nan() {
                true => MISSING,
                // -0.0 is the level 0.
                false => *index.entry((v + 0.0).to_bits()).or_insert_with(|| {
                    levels.push(Short(v + 0.0).to_string());
                    (levels.len() - 1) as u32
                }),
            })
            .collect();
        RakeColumn { codes, levels }
    }

    /// A column of whole numbers, each level named by its decimal form (`3` is the level `"3"`).
    pub fn from_integers(values: &[i64]) -> RakeColumn {
        let mut levels: Vec<String> = Vec::new();
        let mut index: HashMap<i64, u32> = HashMap::new();
        let codes = values
            .iter()
            .map(|&v| {
                *index.entry(v).or_insert_with(|| {
                    levels.push(v.to_string());
                    (levels.len() - 1) as u32
                })
            })
            .collect();
        RakeColumn { codes, levels }
    }

    /// A categorical column: codes into `levels` (a negative code is missing, as pandas writes it).
    ///
    /// # Errors
    /// `invalid_segment` naming the first row whose code has no level.
    pub fn from_codes(codes: &[i64], levels: Vec<String>) -> Result<RakeColumn> {
        let n = levels.len() as i64;
        // One pass converting and noting the largest code; the bad code's position only on failure.
        let mut largest = -1;
        let converted = codes
            .iter()
            .map(|&c| {
                largest = largest.max(c);
                if c < 0 {
                    MISSING
                } else {
                    c as u32
                }
            })
            .collect();
        if let Some(i) = (largest >= n).then(|| codes.iter().position(|&c| c >= n)).flatten() {
            return Err(CemError::InvalidSegment {
                index: i,
                value: codes[i].to_string(),
                reason: format!("a code must index the {n} level names"),
            });
        }
        let codes = converted;
        Ok(RakeColumn { codes, levels })
    }

    /// Rows in the column.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The level names, in order of first appearance (or as given with codes).
    pub fn levels(&self) -> &[String] {
        &self.levels
    }
}

/// The options of [`rake`](crate::operations::rake) and [`rake_cells`](crate::operations::rake_cells).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RakeOptions {
    /// The raking variables (default: every variable of the margins); margins of other variables are not
    /// used.
    pub by: Option<Vec<String>>,
    /// The largest margin error accepted, max |achieved / target − 1| (default 1e-10).
    pub tolerance: Option<f64>,
    /// Sweeps allowed per fit before `not_converged` (default 1000).
    pub max_sweeps: Option<u32>,
    /// Bounds `[lower, upper]` on each row's weight, relative to the mean weight (or in weights with
    /// `trim_absolute`); `null` leaves a side open. Trimming happens inside the loop: each step holds
    /// the weights that would pass a bound at it and rakes the others, so every weight ends within them.
    pub trim: Option<[Option<f64>; 2]>,
    /// Whether `trim` bounds are weights rather than multiples of the mean weight (default false).
    pub trim_absolute: Option<bool>,
    /// A row (or cells-table row) whose raking value is missing: `error` (default) or `skip` (weight 0).
    pub missing: Option<Missing>,
}

impl RakeOptions {
    /// Refuses option values out of range (the keys were read by `api`).
    ///
    /// # Errors
    /// `invalid_parameter` naming the option.
    pub(crate) fn check(&self) -> Result<()> {
        let o = self;
        if let Some(t) = o.tolerance {
            if !(t > 0.0 && t < 1.0) {
                return Err(CemError::param("tolerance", Short(t), "the margin error accepted lies in (0, 1)"));
            }
        }
        if o.max_sweeps == Some(0) {
            return Err(CemError::param("max_sweeps", 0, "allow at least one sweep"));
        }
        if let Some([lo, hi]) = o.trim {
            let (l, h) = (lo.unwrap_or(0.0), hi.unwrap_or(f64::INFINITY));
            if !(l >= 0.0) || !(h > 0.0) || l > h || l.is_infinite() || (lo.is_none() && hi.is_none()) {
                return Err(CemError::param(
                    "trim",
                    format!(
                        "[{}, {}]",
                        lo.map_or("null".into(), |v| Short(v).to_string()),
                        hi.map_or("null".into(), |v| Short(v).to_string())
                    ),
                    "bounds are [lower, upper] with 0 ≤ lower ≤ upper (null leaves a side open)",
                ));
            }
        }
        Ok(())
    }

    fn settings(&self, rows: f64, total: f64) -> Result<Settings> {
        let trim = match self.trim {
            None => None,
            Some([lo, hi]) => {
                let mean = total / rows;
                let scale = if self.trim_absolute.unwrap_or(false) { 1.0 } else { mean };
                let (lo, hi) = (lo.unwrap_or(0.0) * scale, hi.map_or(f64::INFINITY, |h| h * scale));
                // The weights average `mean`: bounds that exclude it cannot hold every weight.
                if lo > mean * (1.0 + 1e-12) || hi < mean * (1.0 - 1e-12) {
                    return Err(CemError::Raking {
                        code: "infeasible_trim",
                        index: None,
                        value: Some(mean),
                        reason: format!(
                            "trimming bounds [{}, {}] exclude the mean weight {} (total {} over {} rows): no weights \
                             within them can meet the margins",
                            Short(lo),
                            Short(hi),
                            Short(mean),
                            Short(total),
                            Short(rows)
                        ),
                    });
                }
                Some((lo, hi))
            }
        };
        Ok(Settings { tolerance: self.tolerance.unwrap_or(1e-10), max_sweeps: self.max_sweeps.unwrap_or(1000), trim })
    }
}

/// One margin's target and what the weights give it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarginCheck {
    /// The raking variable.
    pub variable: String,
    /// The level.
    pub level: String,
    /// Σw at the level.
    pub achieved: f64,
    /// The target (a count; shares are scaled to the total).
    pub target: f64,
}

/// How raking went, named alike in every language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RakeDiagnostics {
    /// Sweeps over the variables, over every trimming cycle.
    pub sweeps: u32,
    /// Always true in a result: not converging is the `not_converged` error.
    pub converged: bool,
    /// max |achieved / target − 1| over the margins.
    pub max_margin_error: f64,
    /// The margin of that largest error.
    pub worst_margin: MarginCheck,
    /// Kish's design effect of the weights, n·Σw² / (Σw)² = 1 + CV².
    pub design_effect: f64,
    /// Kish's effective n, (Σw)² / Σw².
    pub effective_n: f64,
    /// The smallest weight of a row of positive base weight.
    pub weight_min: f64,
    /// The largest weight.
    pub weight_max: f64,
    /// weight_max / weight_min.
    pub weight_ratio: f64,
    /// Σw.
    pub total_weight: f64,
    /// Rows whose weight ends at a trimming bound.
    pub trimmed_rows: u64,
    /// Sweeps in which trimming held a weight at a bound.
    pub trim_cycles: u32,
    /// Rows (of positive base weight) raked.
    pub n: u64,
    /// Rows skipped for a missing raking value (`missing="skip"`), which get weight 0.
    pub skipped: u64,
    /// Observed cells of the raking variables' levels.
    pub cells: u64,
    /// Achieved against target per (variable, level), variables in raking order, levels in name order.
    pub margins: Vec<MarginCheck>,
}

/// Raked weights per row, with the diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raking {
    /// The weight of each row, in row order (0 for a row skipped for a missing raking value).
    pub weights: Vec<f64>,
    /// How raking went.
    #[serde(flatten)]
    pub diagnostics: RakeDiagnostics,
}

/// Raking factors per row of a cells table, with the diagnostics: a row's weights are its cell's factor
/// times their base weights, so its Σw is factor·Σd and its Σw² factor²·Σd².
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellFactors {
    /// The factor of each cells-table row, in row order (0 for a row skipped for a missing level).
    pub factors: Vec<f64>,
    /// How raking went.
    #[serde(flatten)]
    pub diagnostics: RakeDiagnostics,
}

/// One raking variable: its column's codes, each code's target level (a `MISSING` code stays
/// `MISSING`: its rows are left out under `skip`), and the target levels.
struct Coded<'a> {
    codes: &'a [u32],
    map: Vec<u32>,
    levels: Vec<String>,
}

impl Coded<'_> {
    /// Row `row`'s target level, or `MISSING`.
    #[inline]
    fn level(&self, row: usize) -> u32 {
        match self.codes[row] {
            MISSING => MISSING,
            c => self.map[c as usize],
        }
    }
}

/// The raking variables' columns with each code's target level, checked: a missing value under
/// `missing="error"` and a level the margins do not list are errors naming the first such row. The
/// codes are read in place (10⁷ rows × 4 variables: no copy).
fn target_codes<'a>(columns: &[(&str, &'a RakeColumn)], targets: &Margins, missing: Missing) -> Result<Vec<Coded<'a>>> {
    let rows = columns.first().map_or(0, |(_, c)| c.len());
    let mut coded = Vec::new();
    for &(name, column) in columns {
        check_len(name, rows, column.len())?;
        let wanted: Vec<String> = targets.variables[name].keys().cloned().collect();
        // Each of the column's levels as a target level; `None` for a level the margins do not list.
        let map: Vec<Option<u32>> =
            column.levels.iter().map(|l| wanted.binary_search(l).ok().map(|k| k as u32)).collect();
        let all_listed = map.iter().all(Option::is_some);
        // One read-only pass, skipped when every level is listed and no value is missing.
        let check = !all_listed || missing == Missing::Error && column.codes.contains(&MISSING);
        let bad = |&c: &u32| {
            c == MISSING && missing == Missing::Error || c != MISSING && !all_listed && map[c as usize].is_none()
        };
        let first_bad = if check { column.codes.iter().position(bad) } else { None };
        if let Some(row) = first_bad {
            let c = column.codes[row];
            if c == MISSING {
                return Err(CemError::Raking {
                    code: "missing_value",
                    index: Some(row),
                    value: None,
                    reason: format!(
                        "row {row} has no {name} (a missing value); drop such rows, give them a level, or use \
                             missing=\"skip\" (they get weight 0)"
                    ),
                });
            }
            let level = &column.levels[c as usize];
            return Err(CemError::Raking {
                code: "level_without_target",
                index: Some(row),
                value: crate::error::parse_number(level),
                reason: format!(
                    "row {row} has {name}={level}, which the margins do not list (they list {}); add its \
                             target to the margins, or merge it into a listed level",
                    wanted.join(", ")
                ),
            });
        }
        let map = map.into_iter().map(|m| m.unwrap_or(MISSING)).collect();
        coded.push(Coded { codes: &column.codes, map, levels: wanted });
    }
    Ok(coded)
}

/// Each row's unit: rows with the same levels (and, when `base` is given, the same base weight) share
/// one. Returns the units (without sums) in level order and each row's unit (`MISSING` for a skipped row).
fn assign_units(coded: &[Coded], rows: usize, base: Option<&[f64]>) -> (Units, Vec<u32>) {
    // A cell's number in mixed radix over the variables' level counts: its order is the levels' order.
    let radix: Vec<u64> = coded.iter().map(|c| c.levels.len() as u64).collect();
    match radix.iter().try_fold(1u64, |acc, &r| acc.checked_mul(r)) {
        Some(cells) if cells <= 1 << 22 && base.is_none() => dense_units(coded, rows, cells as usize),
        _ => hashed_units(coded, rows, base),
    }
}

/// [`assign_units`] through a table of every possible cell: each row's cell number is built column by
/// column (one tight pass per variable, no per-row key), the observed cells numbered in cell order.
fn dense_units(coded: &[Coded], rows: usize, cells: usize) -> (Units, Vec<u32>) {
    let mut cell = vec![0u32; rows];
    for c in coded {
        let radix = c.levels.len() as u32;
        for (x, &code) in cell.iter_mut().zip(c.codes) {
            // A MISSING code (u32::MAX) is past the map's end.
            let l = c.map.get(code as usize).copied().unwrap_or(MISSING);
            let skipped = *x == MISSING || l == MISSING;
            *x = if skipped { MISSING } else { *x * radix + l };
        }
    }
    let mut seen = vec![false; cells];
    for &x in &cell {
        if x != MISSING {
            seen[x as usize] = true;
        }
    }
    let vars = coded.len();
    let mut units = Units { vars, ..Default::default() };
    let mut unit_of = vec![MISSING; cells];
    for (number, _) in seen.iter().enumerate().filter(|(_, s)| **s) {
        unit_of[number] = units.count.len() as u32;
        units.count.push(0.0);
        // The cell number's digits, last variable first.
        let at = units.levels.len();
        units.levels.resize(at + vars, 0);
        let mut rest = number;
        for v in (0..vars).rev() {
            let r = coded[v].levels.len();
            units.levels[at + v] = (rest % r) as u32;
            rest /= r;
        }
    }
    for x in cell.iter_mut().filter(|x| **x != MISSING) {
        *x = unit_of[*x as usize];
    }
    let n = units.count.len();
    (units.sum, units.sum_sq) = (vec![0.0; n], vec![0.0; n]);
    (units, cell)
}

/// [`assign_units`] through a hash map of (levels, base weight): for more possible cells than a table
/// holds, or units split by base weight.
fn hashed_units(coded: &[Coded], rows: usize, base: Option<&[f64]>) -> (Units, Vec<u32>) {
    let vars = coded.len();
    let mut units = Units { vars, ..Default::default() };
    let mut row_unit = vec![MISSING; rows];
    let mut index: HashMap<(Vec<u32>, u64), u32> = HashMap::new();
    let mut key = vec![0u32; vars];
    for (row, unit) in row_unit.iter_mut().enumerate() {
        let mut skipped = false;
        for v in 0..vars {
            let c = coded[v].level(row);
            skipped |= c == MISSING;
            key[v] = c;
        }
        if skipped {
            continue;
        }
        let d = base.map_or(0, |b| (b[row] + 0.0).to_bits());
        *unit = match index.get(&(key.clone(), d)) {
            Some(&u) => u,
            None => {
                units.levels.extend_from_slice(&key);
                units.count.push(0.0);
                let u = (units.count.len() - 1) as u32;
                index.insert((key.clone(), d), u);
                u
            }
        };
    }
    // Units in level order, whatever the order of the rows: rows and a cells table then fit with the
    // same arithmetic, so they give identical factors.
    let n = units.count.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| units.levels[a * vars..(a + 1) * vars].cmp(&units.levels[b * vars..(b + 1) * vars]));
    let mut rank = vec![0u32; n];
    for (new, &old) in order.iter().enumerate() {
        rank[old] = new as u32;
    }
    units.levels = order.iter().flat_map(|&u| units.levels[u * vars..(u + 1) * vars].to_vec()).collect();
    for u in row_unit.iter_mut().filter(|u| **u != MISSING) {
        *u = rank[*u as usize];
    }
    units.sum = vec![0.0; n];
    units.sum_sq = vec![0.0; n];
    (units, row_unit)
}

/// Rakes rows (what [`operations::rake`](crate::operations::rake) does after reading its options):
/// `columns` are the raking variables' columns, in raking order (see [`pick`]).
pub(crate) fn rake_rows(
    columns: &[(&str, &RakeColumn)],
    base_weights: Option<&[f64]>,
    margins: &Margins,
    o: &RakeOptions,
) -> Result<Raking> {
    Ok(fit_rows(columns, base_weights, margins, o)?.0)
}

/// The rows as raking sees them, which the calibrated variance needs beside the weights: each row's unit
/// and the units (their levels and base-weight sums).
pub(crate) struct RowUnits {
    pub(crate) row_unit: Vec<u32>,
    pub(crate) units: Units,
    /// Per raking variable, its number of target levels.
    pub(crate) level_counts: Vec<usize>,
    /// Rows skipped for a missing raking value.
    skipped: u64,
}

/// Each row's unit with the units' count, Σd and Σd² (checking the columns and base weights).
fn row_units(
    columns: &[(&str, &RakeColumn)],
    base_weights: Option<&[f64]>,
    margins: &Margins,
    o: &RakeOptions,
) -> Result<RowUnits> {
    let coded = target_codes(columns, margins, o.missing.unwrap_or_default())?;
    let rows = coded[0].codes.len();
    if let Some(b) = base_weights {
        check_len("base weights", rows, b.len())?;
        for (i, &w) in b.iter().enumerate() {
            check_weight(i, w)?;
        }
    }
    // Units by base weight too only when trimming needs each row's weight and the weights differ.
    let by_weight = o.trim.is_some() && base_weights.is_some_and(|b| b.windows(2).any(|p| p[0] != p[1]));
    let (mut units, row_unit) = assign_units(&coded, rows, base_weights.filter(|_| by_weight));
    let skipped = row_unit.iter().filter(|&&u| u == MISSING).count() as u64;
    match base_weights {
        // Every row weighs 1: a unit's count, Σd and Σd² are its rows.
        None => {
            let mut count = vec![0u64; units.len()];
            for &u in row_unit.iter().filter(|&&u| u != MISSING) {
                count[u as usize] += 1;
            }
            units.count = count.iter().map(|&c| c as f64).collect();
            units.sum.clone_from(&units.count);
            units.sum_sq.clone_from(&units.count);
        }
        Some(b) => {
            for (&u, &d) in row_unit.iter().zip(b).filter(|(&u, _)| u != MISSING) {
                let u = u as usize;
                units.count[u] += f64::from(u8::from(d > 0.0));
                units.sum[u] += d;
                units.sum_sq[u] += d * d;
            }
        }
    }
    let level_counts = coded.iter().map(|c| c.levels.len()).collect();
    Ok(RowUnits { row_unit, units, level_counts, skipped })
}

/// Rakes rows, keeping their units (see [`RowUnits`]).
pub(crate) fn fit_rows(
    columns: &[(&str, &RakeColumn)],
    base_weights: Option<&[f64]>,
    margins: &Margins,
    o: &RakeOptions,
) -> Result<(Raking, RowUnits)> {
    let names: Vec<String> = columns.iter().map(|(n, _)| n.to_string()).collect();
    let rows = row_units(columns, base_weights, margins, o)?;
    let (factors, mut diagnostics) = fit_units(&rows.units, margins, &names, o)?;
    let factor = |u: u32| if u == MISSING { 0.0 } else { factors[u as usize] };
    let weights: Vec<f64> = match base_weights {
        None => rows.row_unit.iter().map(|&u| factor(u)).collect(),
        Some(b) => rows.row_unit.iter().zip(b).map(|(&u, &d)| d * factor(u)).collect(),
    };
    diagnostics.skipped = rows.skipped;
    if base_weights.is_some() {
        // Without base weights a unit's rows share its weight, which `fit_units` bounds already.
        let positive = weights.iter().copied().filter(|&w| w > 0.0);
        let (lo, hi) = positive.fold((f64::INFINITY, 0.0f64), |(lo, hi), w| (lo.min(w), hi.max(w)));
        (diagnostics.weight_min, diagnostics.weight_max, diagnostics.weight_ratio) = (lo, hi, hi / lo);
    }
    Ok((Raking { weights, diagnostics }, rows))
}

/// The units of rows raked before, checked against that raking's weights: each row's weight is its base
/// weight times its unit's factor (to 1e-9), and 0 for a row left out.
///
/// # Errors
/// Those of [`rake_rows`] for the columns; `length_mismatch`; `invalid_parameter` naming the first row
/// whose weight does not fit its cell's earlier rows (weights from other rows, margins or options).
pub(crate) fn rows_of_raking(
    columns: &[(&str, &RakeColumn)],
    base_weights: Option<&[f64]>,
    margins: &Margins,
    o: &RakeOptions,
    raking: &Raking,
) -> Result<RowUnits> {
    let rows = row_units(columns, base_weights, margins, o)?;
    check_len("raking weights", rows.row_unit.len(), raking.weights.len())?;
    let mut factor = vec![f64::NAN; rows.units.len()];
    for (i, (&u, &w)) in rows.row_unit.iter().zip(&raking.weights).enumerate() {
        let d = base_weights.map_or(1.0, |b| b[i]);
        let fits = match u {
            MISSING => w == 0.0,
            _ if d == 0.0 => w == 0.0,
            u => {
                let f = &mut factor[u as usize];
                if f.is_nan() {
                    *f = w / d;
                }
                w.is_finite() && (w - *f * d).abs() <= 1e-9 * w.abs().max(*f * d)
            }
        };
        if !fits {
            return Err(CemError::param(
                &format!("raking.weights[{i}]"),
                Short(w),
                "the weights are not a raking of these rows (each row's weight is its base weight times its cell's \
                 factor): pass the result of rake on the same rows, base weights, margins and options",
            ));
        }
    }
    Ok(rows)
}

/// Rakes a cells table (what [`operations::rake_cells`](crate::operations::rake_cells) does after reading
/// its options): `columns` as for [`rake_rows`].
pub(crate) fn rake_table(
    columns: &[(&str, &RakeColumn)],
    counts: &[f64],
    sums: Option<(&[f64], &[f64])>,
    margins: &Margins,
    o: &RakeOptions,
) -> Result<CellFactors> {
    let names: Vec<String> = columns.iter().map(|(n, _)| n.to_string()).collect();
    let coded = target_codes(columns, margins, o.missing.unwrap_or_default())?;
    let rows = coded[0].codes.len();
    check_len("counts", rows, counts.len())?;
    let counts = whole_counts(counts)?;
    if let Some((s, q)) = sums {
        check_len("sums", rows, s.len())?;
        check_len("squares", rows, q.len())?;
        for (i, (&s, &q)) in s.iter().zip(q).enumerate() {
            if !(s >= 0.0 && s.is_finite() && q >= 0.0 && q.is_finite()) {
                return Err(CemError::InvalidWeight { index: i, value: if s >= 0.0 { q } else { s } });
            }
        }
    }
    let (mut units, row_unit) = assign_units(&coded, rows, None);
    let mut skipped = 0;
    for (row, &u) in row_unit.iter().enumerate() {
        if u == MISSING {
            skipped += counts[row];
            continue;
        }
        let n = counts[row] as f64;
        let (s, q) = sums.map_or((n, n), |(s, q)| (s[row], q[row]));
        let u = u as usize;
        units.count[u] += n;
        units.sum[u] += s;
        units.sum_sq[u] += q;
    }
    if o.trim.is_some() {
        // Trimming clips each row's weight, which a cell's sums give only when its rows share one.
        for u in 0..units.len() {
            let (n, s, q) = (units.count[u], units.sum[u], units.sum_sq[u]);
            if (n * q - s * s).abs() > 1e-9 * n * q {
                return Err(CemError::param(
                    "trim",
                    "…",
                    "trimming from a cells table needs one base weight for all rows of a cell (Σd² = (Σd)² / count); \
                     trim from the rows instead",
                ));
            }
        }
    }
    let (factors, mut diagnostics) = fit_units(&units, margins, &names, o)?;
    let factors: Vec<f64> = row_unit.iter().map(|&u| if u == MISSING { 0.0 } else { factors[u as usize] }).collect();
    diagnostics.skipped = skipped;
    Ok(CellFactors { factors, diagnostics })
}

/// Fits the units to the margins: the factor per unit and the diagnostics (weight bounds from each unit's
/// mean base weight).
fn fit_units(
    units: &Units,
    margins: &Margins,
    names: &[String],
    o: &RakeOptions,
) -> Result<(Vec<f64>, RakeDiagnostics)> {
    let base_total: f64 = units.sum.iter().sum();
    let n: f64 = units.count.iter().sum();
    if !(base_total > 0.0) {
        return Err(CemError::Empty { what: "the sample to rake (no row has a positive base weight)".into() });
    }
    let targets = Targets::new(margins, names, base_total)?;
    ipf::check_levels(units, &targets)?;
    let settings = o.settings(n, targets.total)?;
    let fit = ipf::fit(units, &targets, &settings)?;
    let f = &fit.factors;
    let total: f64 = (0..units.len()).map(|u| f[u] * units.sum[u]).sum();
    let squares: f64 = (0..units.len()).map(|u| f[u] * f[u] * units.sum_sq[u]).sum();
    let check = |v: usize, l: usize| MarginCheck {
        variable: targets.names[v].clone(),
        level: targets.levels[v][l].clone(),
        achieved: fit.achieved[v][l],
        target: targets.values[v][l],
    };
    let margins: Vec<MarginCheck> = (0..targets.names.len())
        .flat_map(|v| (0..targets.levels[v].len()).map(move |l| (v, l)))
        .map(|(v, l)| check(v, l))
        .collect();
    let weights = (0..units.len()).filter(|&u| units.count[u] > 0.0).map(|u| f[u] * units.row_weight(u));
    let (lo, hi) = weights.fold((f64::INFINITY, 0.0f64), |(lo, hi), w| (lo.min(w), hi.max(w)));
    let trimmed: f64 = (0..units.len()).filter(|&u| fit.trimmed[u]).map(|u| units.count[u]).sum();
    let diagnostics = RakeDiagnostics {
        sweeps: fit.sweeps,
        converged: true,
        max_margin_error: fit.max_error,
        worst_margin: check(fit.worst.0, fit.worst.1),
        design_effect: n * squares / (total * total),
        effective_n: total * total / squares,
        weight_min: lo,
        weight_max: hi,
        weight_ratio: hi / lo,
        total_weight: total,
        trimmed_rows: trimmed as u64,
        trim_cycles: fit.trim_cycles,
        n: n as u64,
        skipped: 0,
        cells: units.len() as u64,
        margins,
    };
    Ok((fit.factors, diagnostics))
}
