//! Key driver analysis: which attribute ratings (ease, speed, price…) move an outcome (NPS, CSAT, effort),
//! and which of them perform badly where they matter most.
//!
//! Every method here is a function of the correlation matrix of z = (outcome, driver₁ … driver_p) alone,
//! so the sufficient statistic is a [`DriverTally`]: the weighted moments of z over complete rows — Σw,
//! Σw², the weighted means z̄ and the centred co-moments C = Σw (z − z̄)(z − z̄)ᵀ — built in one pass and
//! merged exactly as [`Tally`](crate::Tally) is (Chan, Golub & LeVeque 1979: z̄ = z̄_a + δ·W_b/W,
//! C = C_a + C_b + δδᵀ·W_a W_b / W with δ = z̄_b − z̄_a), serialized to the same JSON in every language.
//! [`analyse`] turns a tally into a [`DriverAnalysis`]. With R the correlation matrix, R_xx the drivers'
//! block, r_xy their correlations with the outcome and R²(S) = r_Sᵀ R_SS⁻¹ r_S the R² of the OLS model
//! on the drivers in S:
//!
//! - `lmg` (Lindeman, Merenda & Gold 1980; Grömping 2006): the Shapley value of R², the average over
//!   every order of entry of the R² a driver adds, exact over all 2^p subsets (one Schur-complement step
//!   per subset, depth first); sums to R². At most [`MAX_SUBSET_DRIVERS`] drivers.
//! - `relative_weights` (Johnson 2000): R_xx = VΛVᵀ, Λ* = VΛ^½Vᵀ, β* = Λ*⁻¹ r_xy, ε_j = Σ_k Λ*²_jk β*²_k;
//!   sums to R²; any number of drivers.
//! - `dominance` (Budescu 1993; Azen & Budescu 2003): general dominance (= `lmg`) as the importance,
//!   plus the conditional dominance (mean R² increment at each model size) and the complete dominance
//!   matrix (1: the row driver adds more R² than the column driver to every subset of the others, 0: less,
//!   0.5: neither).
//! - `first` (r²_j), `last` (R² − R²(all but j), "usefulness"), `betasq` (β²_j, standardized),
//!   `pratt` (β_j r_j; Pratt 1987) — relaimpo's names and meanings (Grömping 2006).
//!
//! ```
//! use cem_core::operations;
//! let ease = [1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 2.0, 4.0];
//! let price = [2.0, 2.0, 3.0, 3.0, 4.0, 5.0, 1.0, 1.0];
//! let overall = [1.0, 3.0, 4.0, 6.0, 8.0, 5.0, 2.0, 5.0];
//! let columns = [("overall", &overall[..]), ("ease", &ease[..]), ("price", &price[..])];
//! let a = operations::drivers(&columns, r#"{"outcome": "overall"}"#)?;
//! let total: f64 = a.drivers.iter().map(|d| d.importance).sum();
//! assert!((total - a.r2).abs() < 1e-12); // lmg shares R² out among the drivers
//! assert_eq!(a.drivers[0].driver, "ease");
//! # Ok::<(), cem_core::CemError>(())
//! ```

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

pub(crate) mod gram;

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result, Short};
use crate::inference::interval::{self, Method};
use crate::score::scale::Scale;
use crate::score::tally::{check_weight, Missing};

crate::vocabulary::vocabulary! {
    /// How importance is measured (relaimpo's names).
    #[derive(Default)]
    pub enum DriverMethod as "method" {
        /// Shapley value of R² (Lindeman, Merenda & Gold; Grömping 2006), exact; the default.
        #[default]
        Lmg = "lmg" | "shapley",
        /// Johnson's (2000) relative weights.
        RelativeWeights = "relative_weights" | "johnson",
        /// Dominance analysis (Budescu 1993; Azen & Budescu 2003): general, conditional and complete.
        Dominance = "dominance",
        /// Squared zero-order correlation.
        First = "first",
        /// R² lost when the driver is dropped from the full model (usefulness).
        Last = "last",
        /// Squared standardized coefficient.
        Betasq = "betasq",
        /// Standardized coefficient × correlation (Pratt 1987).
        Pratt = "pratt",
    }
}

crate::vocabulary::vocabulary! {
    /// How each outcome answer is scored before the analysis.
    #[derive(Default)]
    pub enum OutcomeScore as "outcome_score" {
        /// The answer as given (any scale), the default.
        #[default]
        Value = "value",
        /// An NPS answer (0–10) as −100 (0–6), 0 (7–8) or +100 (9–10): its mean is the NPS.
        Nps = "nps",
        /// An NPS answer (0–10) as 100 for a promoter (9–10), 0 otherwise: its mean is the promoter share.
        Promoter = "promoter",
    }
}

crate::vocabulary::vocabulary! {
    /// Where a driver falls on the importance × performance map (split at the mean importance and the
    /// mean performance of the drivers).
    pub enum Quadrant as "quadrant" {
        /// Important and performing below the others: fix first.
        FixFirst = "fix_first",
        /// Important and performing well: keep it so.
        Keep = "keep",
        /// Less important and performing below the others: low priority.
        LowPriority = "low_priority",
        /// Less important and performing well: possible overkill.
        Overkill = "overkill",
    }
}

/// Most drivers `lmg` and `dominance` accept: they enumerate 2^p subsets (2^20 ≈ 10⁶ R² values in well
/// under a second, 8 MB). Use `relative_weights`, which approximates `lmg` closely, for more.
pub const MAX_SUBSET_DRIVERS: usize = 20;

/// The weighted moments of (outcome, drivers) over complete rows: sufficient for every method here,
/// mergeable exactly like a [`Tally`](crate::Tally), serialized to the same JSON in every language.
///
/// ```
/// use cem_core::{DriverTally, Missing, OutcomeScore};
/// let mut a = DriverTally::new("nps", &["ease"], OutcomeScore::Nps, None, None)?;
/// a.update(&[10.0, 3.0, 8.0], &[&[5.0, 1.0, 4.0]], None, Missing::Error)?;
/// let mut b = DriverTally::new("nps", &["ease"], OutcomeScore::Nps, None, None)?;
/// b.update(&[9.0, f64::NAN], &[&[4.0, 2.0]], None, Missing::Skip)?;
/// a.merge(&b)?;
/// assert_eq!((a.n(), a.skipped()), (4, 1));
/// assert!((a.means()[0] - 25.0).abs() < 1e-12); // the NPS of 10, 3, 8, 9
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DriverTallyData", into = "DriverTallyData")]
pub struct DriverTally {
    d: DriverTallyData,
}

/// The serialized form of a driver tally; validated when read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DriverTallyData {
    outcome: String,
    drivers: Vec<String>,
    outcome_score: OutcomeScore,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scale: Option<Scale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    threshold: Option<i32>,
    n: u64,
    skipped: u64,
    weight: f64,
    weight_sq: f64,
    /// Weighted means of (outcome, drivers…).
    means: Vec<f64>,
    /// Σw (z − z̄)(z − z̄)ᵀ, row by row, (p + 1)².
    comoments: Vec<f64>,
    /// Σw over rows where each driver is at or above the threshold (empty without a scale).
    #[serde(default)]
    top_box: Vec<f64>,
}

impl DriverTallyData {
    /// The moments of no rows.
    fn empty(
        outcome: String,
        drivers: Vec<String>,
        outcome_score: OutcomeScore,
        scale: Option<Scale>,
        threshold: Option<i32>,
    ) -> DriverTallyData {
        let k = drivers.len() + 1;
        DriverTallyData {
            outcome,
            top_box: if scale.is_some() { vec![0.0; k - 1] } else { vec![] },
            drivers,
            outcome_score,
            scale,
            threshold,
            n: 0,
            skipped: 0,
            weight: 0.0,
            weight_sq: 0.0,
            means: vec![0.0; k],
            comoments: vec![0.0; k * k],
        }
    }
}

impl TryFrom<DriverTallyData> for DriverTally {
    type Error = CemError;
    fn try_from(d: DriverTallyData) -> Result<Self> {
        let k = d.drivers.len() + 1;
        let bad = |what: &str| Err(CemError::param("driver tally", what, "does not fit the tally's drivers"));
        if d.means.len() != k {
            return bad("means");
        }
        if d.comoments.len() != k * k {
            return bad("comoments");
        }
        if d.top_box.len() != if d.scale.is_some() { k - 1 } else { 0 } {
            return bad("top_box");
        }
        let finite = d.means.iter().chain(&d.comoments).chain(&d.top_box).all(|v| v.is_finite());
        if !finite || !(d.weight >= 0.0) || !(d.weight_sq >= 0.0) || !d.weight.is_finite() {
            return bad("weights or moments are not finite");
        }
        Ok(DriverTally { d })
    }
}

impl From<DriverTally> for DriverTallyData {
    fn from(t: DriverTally) -> Self {
        t.d
    }
}

impl DriverTally {
    /// An empty tally of `outcome` (scored by `score`) and `drivers`; with a driver `scale` the drivers'
    /// answers must lie on it and their top-box share (answers ≥ `threshold`, by default the top two
    /// points) is tallied too.
    ///
    /// # Errors
    /// `invalid_parameter` for no drivers, a repeated name, or a threshold off the scale.
    pub fn new<S: AsRef<str>>(
        outcome: &str,
        drivers: &[S],
        score: OutcomeScore,
        scale: Option<Scale>,
        threshold: Option<i32>,
    ) -> Result<DriverTally> {
        let drivers: Vec<String> = drivers.iter().map(|s| s.as_ref().to_string()).collect();
        if drivers.is_empty() {
            return Err(CemError::param("drivers", "[]", "name at least one driver column"));
        }
        let mut all = vec![outcome];
        for d in &drivers {
            if all.contains(&d.as_str()) {
                return Err(CemError::param("drivers", d, "each column may appear once (outcome and drivers)"));
            }
            all.push(d);
        }
        let threshold = match scale {
            Some(s) => Some(crate::score::metric::Metric::csat(s, threshold).map(|m| match m {
                crate::score::metric::Metric::Csat { threshold } => threshold,
                _ => s.max(),
            })?),
            None if threshold.is_some() => {
                return Err(CemError::param("threshold", "given", "a threshold needs the drivers' scale"))
            }
            None => None,
        };
        Ok(DriverTally { d: DriverTallyData::empty(outcome.to_string(), drivers, score, scale, threshold) })
    }

    /// Adds rows: `outcome[i]` with `drivers[j][i]` (one slice per driver, in the tally's order) and an
    /// optional weight. NaN is missing: an error under [`Missing::Error`], the row skipped (and counted)
    /// under [`Missing::Skip`]. The rows are tallied apart and merged in only when all are good, so on error
    /// the tally is unchanged; the error names the first bad row.
    ///
    /// One pass over the columns: blocks of 256 rows are copied in and checked in the same loop, centred
    /// at their own weighted means (as accurate as two passes: no cancellation at large means) and their
    /// co-moments taken by a register-tiled kernel (AVX2 + FMA when the CPU has them), then merged by
    /// Chan et al.'s update; from 8.4 M values (rows × columns) two threads share the chunks of rows,
    /// merged in order, so the result does not depend on the number of threads. On one core, 10⁶ rows ×
    /// 20 drivers take what numpy's uncentred `X.T @ X` takes on one thread (≈ 27 ms on the reference
    /// machine).
    ///
    /// # Errors
    /// `length_mismatch` naming the column; `invalid_weight`, `missing_value` (naming the row);
    /// `invalid_parameter` naming the column for an infinite value; `out_of_range`/`not_an_integer` for
    /// an NPS outcome off 0–10 or a driver off its scale.
    pub fn update(
        &mut self,
        outcome: &[f64],
        drivers: &[&[f64]],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        let p = self.d.drivers.len();
        if drivers.len() != p {
            return Err(CemError::LengthMismatch {
                what: "the list of driver columns".into(),
                expected: p,
                actual: drivers.len(),
            });
        }
        let rows = outcome.len();
        for (name, col) in self.d.drivers.iter().zip(drivers) {
            crate::score::tally::check_len(&format!("driver {name}"), rows, col.len())?;
        }
        if let Some(w) = weights {
            crate::score::tally::check_len("weights", rows, w.len())?;
        }
        let cols = Columns { outcome, drivers, weights, missing };
        // Rows in chunks, each tallied alone and merged in order (Chan et al.): the result is the same
        // whether one thread takes every chunk or two share them, and the first chunk with an error holds
        // the first bad row.
        let size = rows.div_ceil(MAX_CHUNKS).max(CHUNK_ROWS);
        let chunks = rows.div_ceil(size);
        let chunk = |c: usize| self.tally_rows(&cols, c * size..rows.min((c + 1) * size));
        let mut b = self.empty_like();
        #[cfg(not(target_arch = "wasm32"))]
        if chunks > 1
            && rows * (p + 1) >= PARALLEL_VALUES
            && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1)
        {
            // A second thread takes chunks from the same counter (on a busy machine, a helper that starts
            // late takes fewer). A thread stops at its first error: every earlier chunk was taken, so done.
            let next = std::sync::atomic::AtomicUsize::new(0);
            let work = || {
                let mut done = Vec::new();
                loop {
                    let c = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if c >= chunks {
                        return done;
                    }
                    let part = chunk(c);
                    let failed = part.is_err();
                    done.push((c, part));
                    if failed {
                        return done;
                    }
                }
            };
            let mut parts = std::thread::scope(|s| {
                let helper = s.spawn(work);
                let mut parts = work();
                parts.extend(helper.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
                parts
            });
            parts.sort_by_key(|(c, _)| *c);
            for (_, part) in parts {
                merge_data(&mut b, &part?);
            }
            merge_data(&mut self.d, &b);
            return Ok(());
        }
        for c in 0..chunks {
            merge_data(&mut b, &chunk(c)?);
        }
        merge_data(&mut self.d, &b);
        Ok(())
    }

    /// The moments of `range`'s rows, block by block: each block's columns are copied in and checked,
    /// the block is centred at its own weighted means, its co-moments taken (see `gram`) and merged into
    /// the running total (Chan et al.). One pass over memory; per-block centring keeps the accuracy of
    /// the two-pass algorithm (no cancellation at large means). A block with a bad value is read again
    /// row by row, which reports the first bad row (every earlier block was clean) or leaves out the rows
    /// with a missing value.
    fn tally_rows(&self, cols: &Columns<'_>, range: std::ops::Range<usize>) -> Result<DriverTallyData> {
        use crate::drivers::gram::{Isa, BLOCK, PAD};
        let Columns { outcome, drivers, weights, .. } = *cols;
        let isa = Isa::detect();
        let (p, k) = (drivers.len(), drivers.len() + 1);
        let mut acc = self.empty_like();
        let mut dev = vec![0.0; (k + PAD) * BLOCK];
        let (mut w, mut sw) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        let (mut means, mut gram) = (vec![0.0; k], vec![0.0; k * k]);
        let scale = self.d.scale.map(|s| (s.min() as f64, s.max() as f64));
        let (lo, hi, whole) = match self.d.outcome_score {
            OutcomeScore::Value => (-f64::MAX, f64::MAX, false),
            _ => (0.0, 10.0, true),
        };
        let mut complete = Vec::with_capacity(BLOCK);
        for start in range.clone().step_by(BLOCK) {
            let end = range.end.min(start + BLOCK);
            let len = end - start;
            // Fast path: copy each column and check it in the same loop.
            let mut clean = weights.is_none_or(|wt| isa.weights(&wt[start..end], &mut w[..len], &mut sw[..len]));
            clean &= isa.fill(&mut dev[..len], &outcome[start..end], lo, hi, whole);
            for (j, col) in drivers.iter().enumerate() {
                let out = &mut dev[(j + 1) * BLOCK..(j + 1) * BLOCK + len];
                clean &= match scale {
                    Some((min, max)) => isa.fill(out, &col[start..end], min, max, true),
                    None => isa.fill(out, &col[start..end], -f64::MAX, f64::MAX, false),
                };
            }
            let ahead = end..range.end.min(end + BLOCK);
            for col in std::iter::once(&outcome).chain(drivers).chain(&weights) {
                isa.prefetch(&col[ahead.clone()]);
            }
            let m = if clean {
                if self.d.outcome_score != OutcomeScore::Value {
                    dev[..len].iter_mut().for_each(|y| *y = scored(self.d.outcome_score, *y));
                }
                len
            } else {
                complete.clear();
                for i in start..end {
                    if self.check_row(i, cols)? {
                        complete.push(i);
                    }
                }
                for (t, &i) in complete.iter().enumerate() {
                    dev[t] = scored(self.d.outcome_score, outcome[i]);
                    for j in 0..p {
                        dev[(j + 1) * BLOCK + t] = drivers[j][i];
                    }
                    if let Some(wt) = weights {
                        (w[t], sw[t]) = (wt[i], wt[i].sqrt());
                    }
                }
                complete.len()
            };
            acc.skipped += (len - m) as u64;
            if m == 0 {
                continue;
            }
            if let Some(t) = self.d.threshold {
                for j in 0..p {
                    let x = &dev[(j + 1) * BLOCK..(j + 1) * BLOCK + m];
                    acc.top_box[j] += match weights {
                        Some(_) => x.iter().zip(&w).filter(|(&v, _)| v >= t as f64).map(|(_, w)| w).sum::<f64>(),
                        None => x.iter().filter(|&&v| v >= t as f64).count() as f64,
                    };
                }
            }
            let ws = weights.map(|_| (&w[..m], &sw[..m]));
            let (weight, weight_sq) = isa.moments(&mut dev, k, m, ws, &mut means, &mut gram);
            for a in 0..k {
                for c in 0..a {
                    gram[a * k + c] = gram[c * k + a];
                }
            }
            chan(&mut acc, m as u64, weight, weight_sq, &means, &gram);
        }
        Ok(acc)
    }

    /// Checks row `i` (weight first, then the outcome and each driver in order); false for a row with a
    /// missing value under [`Missing::Skip`].
    fn check_row(&self, i: usize, cols: &Columns<'_>) -> Result<bool> {
        let w = cols.weights.map_or(1.0, |w| w[i]);
        check_weight(i, w)?;
        let mut row_missing = false;
        let y = cols.outcome[i];
        let names = std::iter::once(&self.d.outcome).chain(&self.d.drivers);
        for (j, name) in names.enumerate() {
            let v = if j == 0 { y } else { cols.drivers[j - 1][i] };
            if v.is_nan() {
                row_missing = true;
            } else if v.is_infinite() {
                return Err(CemError::param(name, Short(v), &format!("row {i}: values must be finite")));
            } else if j > 0 {
                if let Some(s) = self.d.scale {
                    crate::score::tally::point(s, i, v, Missing::Error)?;
                }
            }
        }
        if row_missing {
            if cols.missing == Missing::Error {
                return Err(CemError::MissingValue { index: i });
            }
            return Ok(false);
        }
        self.score(i, y)?;
        Ok(true)
    }

    /// Adds rows given as named columns (the tally's outcome and drivers, and an optional weight column).
    ///
    /// # Errors
    /// `invalid_parameter` naming a column that is not there; those of [`DriverTally::update`].
    pub fn update_columns<S: AsRef<str>>(
        &mut self,
        columns: &[(S, &[f64])],
        weight: Option<&str>,
        missing: Missing,
    ) -> Result<()> {
        let o = DriverOptions {
            outcome: Some(self.d.outcome.clone()),
            drivers: Some(self.d.drivers.clone()),
            weight: weight.map(str::to_string),
            ..Default::default()
        };
        let (outcome, drivers, weights, _) = pick(columns, &o)?;
        self.update(outcome, &drivers, weights, missing)
    }

    /// No rows yet, with this tally's outcome, drivers, scoring and scale.
    fn empty_like(&self) -> DriverTallyData {
        let d = &self.d;
        DriverTallyData::empty(d.outcome.clone(), d.drivers.clone(), d.outcome_score, d.scale, d.threshold)
    }

    /// The outcome answer at row `i` as scored.
    fn score(&self, i: usize, y: f64) -> Result<f64> {
        if self.d.outcome_score != OutcomeScore::Value {
            crate::score::tally::point(Scale::NPS, i, y, Missing::Error)?;
        }
        Ok(scored(self.d.outcome_score, y))
    }

    /// Adds another tally of the same columns, scoring and scale (exact up to rounding; associative and
    /// commutative).
    ///
    /// # Errors
    /// `incompatible` if the columns, scoring or scale differ.
    pub fn merge(&mut self, other: &DriverTally) -> Result<()> {
        let (a, b) = (&self.d, &other.d);
        if a.outcome != b.outcome
            || a.drivers != b.drivers
            || a.outcome_score != b.outcome_score
            || a.scale != b.scale
            || a.threshold != b.threshold
        {
            return Err(CemError::Incompatible {
                reason: "driver tallies of different columns, outcome scoring or scale".into(),
            });
        }
        merge_data(&mut self.d, &other.d);
        Ok(())
    }

    /// Complete rows tallied.
    pub fn n(&self) -> u64 {
        self.d.n
    }
    /// Incomplete rows skipped.
    pub fn skipped(&self) -> u64 {
        self.d.skipped
    }
    /// The outcome column's name.
    pub fn outcome(&self) -> &str {
        &self.d.outcome
    }
    /// The drivers' names, in order.
    pub fn drivers(&self) -> &[String] {
        &self.d.drivers
    }
    /// Σw over complete rows.
    pub fn total_weight(&self) -> f64 {
        self.d.weight
    }
    /// Kish effective n, (Σw)² / Σw².
    pub fn effective_n(&self) -> f64 {
        if self.d.weight_sq > 0.0 {
            self.d.weight * self.d.weight / self.d.weight_sq
        } else {
            0.0
        }
    }
    /// Weighted means of (scored outcome, drivers…).
    pub fn means(&self) -> &[f64] {
        &self.d.means
    }
    /// Σw (z − z̄)(z − z̄)ᵀ, row by row, (p + 1)² values.
    pub fn comoments(&self) -> &[f64] {
        &self.d.comoments
    }
}

/// An outcome answer as scored (an NPS answer already checked to be a whole 0–10).
fn scored(score: OutcomeScore, y: f64) -> f64 {
    match score {
        OutcomeScore::Value => y,
        OutcomeScore::Nps if y >= 9.0 => 100.0,
        OutcomeScore::Nps if y >= 7.0 => 0.0,
        OutcomeScore::Nps => -100.0,
        OutcomeScore::Promoter if y >= 9.0 => 100.0,
        OutcomeScore::Promoter => 0.0,
    }
}

/// The columns of one `update`.
#[derive(Clone, Copy)]
struct Columns<'a> {
    outcome: &'a [f64],
    drivers: &'a [&'a [f64]],
    weights: Option<&'a [f64]>,
    missing: Missing,
}

/// Values (rows × variables, 8.4 M: 64 MiB of columns) from which `update` shares its chunks with a second
/// thread. Measured on the 2-core reference machine with the other core busy (other builds running): from
/// here two threads cost at most ≈ 15% more than one (the helper waits for a time slice while holding a
/// chunk), below up to several times more; with the other core free they take ≈ 0.55× the time.
#[cfg(not(target_arch = "wasm32"))]
const PARALLEL_VALUES: usize = 1 << 23;
/// Rows per chunk of an `update` (at least; at most `MAX_CHUNKS` chunks).
const CHUNK_ROWS: usize = 1 << 14;
const MAX_CHUNKS: usize = 64;

/// Σ x·y with eight partial sums (so the loop vectorises).
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let whole = x.len() / 8 * 8;
    for (a, b) in x[..whole].chunks_exact(8).zip(y[..whole].chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += a[l] * b[l];
        }
    }
    let tail: f64 = x[whole..].iter().zip(&y[whole..]).map(|(a, b)| a * b).sum();
    acc.iter().sum::<f64>() + tail
}

/// Chan, Golub & LeVeque's pairwise update of weighted means and co-moments.
fn merge_data(a: &mut DriverTallyData, b: &DriverTallyData) {
    chan(a, b.n, b.weight, b.weight_sq, &b.means, &b.comoments);
    for (t, s) in a.top_box.iter_mut().zip(&b.top_box) {
        *t += s;
    }
    a.skipped += b.skipped;
}

/// Adds `n` rows of total weight `weight` (Σw² `weight_sq`), weighted means `means` and co-moments
/// `comoments` (k × k) to `a`'s (Chan, Golub & LeVeque).
fn chan(a: &mut DriverTallyData, n: u64, weight: f64, weight_sq: f64, means: &[f64], comoments: &[f64]) {
    let k = a.means.len();
    let w = a.weight + weight;
    if weight > 0.0 && !(a.weight > 0.0) {
        // Nothing weighed yet: take the other's moments as they are (no 0 × ∞ from a huge δ).
        for (x, y) in a.comoments.iter_mut().zip(comoments) {
            *x += y;
        }
        a.means.copy_from_slice(means);
    } else if weight > 0.0 {
        let f = weight / w;
        let g = a.weight * weight / w;
        for r in 0..k {
            let dr = means[r] - a.means[r];
            for c in 0..k {
                a.comoments[r * k + c] += comoments[r * k + c] + dr * (means[c] - a.means[c]) * g;
            }
        }
        for r in 0..k {
            a.means[r] += (means[r] - a.means[r]) * f;
        }
    }
    a.weight = w;
    a.weight_sq += weight_sq;
    a.n += n;
}

/// One driver's row of a [`DriverAnalysis`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverRow {
    /// The driver's column name.
    pub driver: String,
    /// Importance in R² units (for `lmg`, `relative_weights` and `dominance` they sum to R²).
    pub importance: f64,
    /// 100 × importance / Σ importance: for `lmg`, `relative_weights`, `dominance` and `pratt` the % of
    /// R² (relaimpo's `rela = TRUE`); 0 when every importance is 0.
    pub share: f64,
    /// 1 for the most important driver.
    pub rank: u32,
    /// Sign of the driver's coefficient in the full model: 1, −1 (or 0).
    pub sign: i8,
    /// Standardized coefficient β_j of the full model.
    pub coefficient: f64,
    /// Correlation with the (scored) outcome.
    pub correlation: f64,
    /// Performance: the driver's weighted mean.
    pub mean: f64,
    /// Lower end of the mean's t interval (Kish effective n).
    pub mean_lower: f64,
    /// Upper end of the mean's t interval.
    pub mean_upper: f64,
    /// % of answers at or above the threshold (with a driver scale).
    pub top_box: Option<f64>,
    /// Lower end of the top box's Wilson interval, %.
    pub top_box_lower: Option<f64>,
    /// Upper end of the top box's Wilson interval, %.
    pub top_box_upper: Option<f64>,
    /// The importance × performance quadrant.
    pub quadrant: Quadrant,
    /// Bootstrap percentile interval of the importance (with `resamples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance_lower: Option<f64>,
    /// Upper end of the importance's bootstrap interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance_upper: Option<f64>,
    /// Bootstrap percentile interval of the share, %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_lower: Option<f64>,
    /// Upper end of the share's bootstrap interval, %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_upper: Option<f64>,
    /// Share of bootstrap resamples in which this driver ranks first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_probability: Option<f64>,
}

/// How the bootstrap intervals were drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverBootstrap {
    /// Resamples drawn.
    pub resamples: u32,
    /// Seed of the SplitMix64 generator.
    pub seed: u64,
    /// Resamples that could not be analysed (a constant or collinear driver in the resample), left out.
    pub failed: u32,
}

/// Conditional and complete dominance (`method: "dominance"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dominance {
    /// `conditional[j][s]`: the mean R² driver j adds to the models of s other drivers, s = 0 … p − 1.
    pub conditional: Vec<Vec<f64>>,
    /// `complete[i][j]`: 1 if driver i adds more R² than driver j to every subset of the others, 0 if
    /// less to every one, 0.5 otherwise (and on the diagonal).
    pub complete: Vec<Vec<f64>>,
}

/// The result of a key driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DriverAnalysis {
    /// The method of the importances.
    pub method: DriverMethod,
    /// The outcome column.
    pub outcome: String,
    /// How the outcome was scored.
    pub outcome_score: OutcomeScore,
    /// The scored outcome's weighted mean (the NPS for `outcome_score: "nps"`).
    pub outcome_mean: f64,
    /// R² of the full model (OLS with intercept, weighted).
    pub r2: f64,
    /// Complete rows.
    pub n: u64,
    /// Kish effective n.
    pub effective_n: f64,
    /// Incomplete rows skipped.
    pub skipped: u64,
    /// Level of the performance intervals.
    pub level: f64,
    /// Importance at which the quadrants split (the drivers' mean importance).
    pub importance_split: f64,
    /// Performance (mean) at which the quadrants split (the drivers' mean performance).
    pub performance_split: f64,
    /// One row per driver, in the order given.
    pub drivers: Vec<DriverRow>,
    /// Conditional and complete dominance, for `method: "dominance"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dominance: Option<Dominance>,
    /// The bootstrap behind the importance intervals (with `resamples`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<DriverBootstrap>,
}

/// The analysis of a tally by `method`, with performance intervals at `level`.
///
/// # Errors
/// `too_few` for fewer complete rows than drivers + 2 (or no weight); `degenerate` naming the column for
/// a constant outcome, a constant driver or a driver that is a linear combination of others;
/// `invalid_parameter` for a bad level, or more than [`MAX_SUBSET_DRIVERS`] drivers for `lmg` or
/// `dominance` (naming `relative_weights`).
///
/// ```
/// use cem_core::{analyse_drivers, DriverMethod, DriverTally, Missing, OutcomeScore};
/// let mut t = DriverTally::new("csat", &["ease", "price"], OutcomeScore::Value, None, None)?;
/// t.update(&[5.0, 4.0, 2.0, 4.0, 1.0, 3.0], &[&[5.0, 4.0, 2.0, 5.0, 1.0, 3.0], &[3.0, 4.0, 1.0, 2.0, 2.0, 4.0]], None, Missing::Error)?;
/// let a = analyse_drivers(&t, DriverMethod::Dominance, 0.95)?;
/// let d = a.dominance.as_ref().unwrap();
/// // General dominance is the mean of the conditional dominance over model sizes, and sums to R².
/// let general = (d.conditional[0][0] + d.conditional[0][1]) / 2.0;
/// assert!((a.drivers[0].importance - general).abs() < 1e-12);
/// assert!((a.drivers.iter().map(|r| r.importance).sum::<f64>() - a.r2).abs() < 1e-12);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn analyse(t: &DriverTally, method: DriverMethod, level: f64) -> Result<DriverAnalysis> {
    analyse_split(t, method, level, None)
}

/// [`analyse`] with the quadrant map split at `split` = [share of R² in %, mean rating] rather than at
/// the drivers' means.
fn analyse_split(t: &DriverTally, method: DriverMethod, level: f64, split: Option<[f64; 2]>) -> Result<DriverAnalysis> {
    interval::check_level(level)?;
    if let Some([share, mean]) = split {
        if !share.is_finite() || !mean.is_finite() {
            return Err(CemError::param(
                "split",
                format!("[{}, {}]", Short(share), Short(mean)),
                "two finite numbers: [share of R² in %, mean rating]",
            ));
        }
    }
    let d = &t.d;
    let p = d.drivers.len();
    let k = p + 1;
    if matches!(method, DriverMethod::Lmg | DriverMethod::Dominance) && p > MAX_SUBSET_DRIVERS {
        return Err(CemError::param(
            "method",
            method,
            &format!(
                "{method} enumerates all 2^p subsets and takes at most {MAX_SUBSET_DRIVERS} drivers ({p} given); \
                 use relative_weights, which approximates lmg closely, for more"
            ),
        ));
    }
    let n_eff = t.effective_n();
    if (d.n as usize) < p + 2 || !(d.weight > 0.0) {
        return Err(CemError::TooFew {
            what: format!("key driver analysis of {p} driver(s) (complete rows)"),
            needed: (p + 2) as f64,
            got: if d.weight > 0.0 { d.n as f64 } else { 0.0 },
        });
    }
    let names: Vec<&str> = std::iter::once(d.outcome.as_str()).chain(d.drivers.iter().map(|s| s.as_str())).collect();
    // (A NaN co-moment stays NaN here, and is refused below, rather than read as 0 by `max`.)
    let sd: Vec<f64> = (0..k)
        .map(|j| if d.comoments[j * k + j] < 0.0 { 0.0 } else { (d.comoments[j * k + j] / d.weight).sqrt() })
        .collect();
    for j in 0..k {
        if !sd[j].is_finite() || !d.means[j].is_finite() {
            return Err(CemError::param(
                names[j],
                "too large",
                "its squared deviations overflow a float; rescale the column (e.g. to thousands)",
            ));
        }
        if sd[j] == 0.0 || sd[j] <= 1e-10 * d.means[j].abs() {
            let what = if j == 0 { "the outcome" } else { "driver" };
            return Err(CemError::Degenerate {
                column: names[j].to_string(),
                reason: format!("{what} is constant over the complete rows, so it explains nothing"),
            });
        }
    }
    let mut r = vec![0.0; k * k];
    for a in 0..k {
        for c in 0..k {
            r[a * k + c] = if a == c { 1.0 } else { d.comoments[a * k + c] / d.weight / (sd[a] * sd[c]) };
        }
    }
    let rxx: Vec<f64> = (1..k).flat_map(|a| (1..k).map(move |c| (a, c))).map(|(a, c)| r[a * k + c]).collect();
    let rxy: Vec<f64> = (1..k).map(|a| r[a * k]).collect();
    let inv = inverse_checked(&rxx, p, &d.drivers)?;
    let beta: Vec<f64> = (0..p).map(|i| (0..p).map(|j| inv[i * p + j] * rxy[j]).sum()).collect();
    let r2 = beta.iter().zip(&rxy).map(|(b, r)| b * r).sum::<f64>().clamp(0.0, 1.0);
    let mut dominance = None;
    let importance: Vec<f64> = match method {
        DriverMethod::First => rxy.iter().map(|r| r * r).collect(),
        DriverMethod::Last => (0..p).map(|j| beta[j] * beta[j] / inv[j * p + j]).collect(),
        DriverMethod::Betasq => beta.iter().map(|b| b * b).collect(),
        DriverMethod::Pratt => beta.iter().zip(&rxy).map(|(b, r)| b * r).collect(),
        DriverMethod::RelativeWeights => relative_weights(&rxx, &rxy, p),
        DriverMethod::Lmg | DriverMethod::Dominance => {
            let all = subset_r2(&r, p);
            let (general, conditional) = shapley(&all, p);
            if method == DriverMethod::Dominance {
                dominance = Some(Dominance { conditional, complete: complete_dominance(&all, p) });
            }
            general
        }
    };
    let total: f64 = importance.iter().sum();
    let mut order: Vec<usize> = (0..p).collect();
    order.sort_by(|&a, &b| importance[b].total_cmp(&importance[a]));
    let mut rank = vec![0u32; p];
    for (pos, &j) in order.iter().enumerate() {
        rank[j] = pos as u32 + 1;
    }
    let importance_split = split.map_or(total / p as f64, |[share, _]| share / 100.0 * total);
    let performance_split = split.map_or(d.means[1..].iter().sum::<f64>() / p as f64, |[_, mean]| mean);
    let range = d.scale.map_or((f64::NEG_INFINITY, f64::INFINITY), |s| (s.min() as f64, s.max() as f64));
    let rows = (0..p)
        .map(|j| {
            let mean = d.means[j + 1];
            let var = if n_eff > 1.0 { sd[j + 1] * sd[j + 1] * n_eff / (n_eff - 1.0) } else { 0.0 };
            let (lo, hi) =
                if n_eff > 1.0 { interval::mean_t(mean, var.sqrt(), n_eff, level, range) } else { (mean, mean) };
            let top = d.scale.map(|_| {
                let share = (d.top_box[j] / d.weight).clamp(0.0, 1.0);
                let (l, h) = interval::proportion(share * n_eff, n_eff, level, Method::Wilson);
                (100.0 * share, 100.0 * l, 100.0 * h)
            });
            let important = importance[j] >= importance_split;
            let strong = mean >= performance_split;
            DriverRow {
                driver: d.drivers[j].clone(),
                importance: importance[j],
                share: if total != 0.0 { 100.0 * importance[j] / total } else { 0.0 },
                rank: rank[j],
                sign: if beta[j] > 0.0 {
                    1
                } else if beta[j] < 0.0 {
                    -1
                } else {
                    0
                },
                coefficient: beta[j],
                correlation: rxy[j],
                mean,
                mean_lower: lo,
                mean_upper: hi,
                top_box: top.map(|t| t.0),
                top_box_lower: top.map(|t| t.1),
                top_box_upper: top.map(|t| t.2),
                quadrant: match (important, strong) {
                    (true, false) => Quadrant::FixFirst,
                    (true, true) => Quadrant::Keep,
                    (false, false) => Quadrant::LowPriority,
                    (false, true) => Quadrant::Overkill,
                },
                importance_lower: None,
                importance_upper: None,
                share_lower: None,
                share_upper: None,
                first_probability: None,
            }
        })
        .collect();
    Ok(DriverAnalysis {
        method,
        outcome: d.outcome.clone(),
        outcome_score: d.outcome_score,
        outcome_mean: d.means[0],
        r2,
        n: d.n,
        effective_n: n_eff,
        skipped: d.skipped,
        level,
        importance_split,
        performance_split,
        drivers: rows,
        dominance,
        bootstrap: None,
    })
}

/// Smallest residual variance (1 − R² of a driver on the drivers before it) accepted: below it the
/// driver is treated as a linear combination of the others.
const COLLINEAR: f64 = 1e-10;

/// The inverse of the drivers' correlation matrix by Gauss–Jordan elimination in the drivers' order;
/// a pivot below [`COLLINEAR`] names the driver and the earlier drivers it is a combination of.
fn inverse_checked(rxx: &[f64], p: usize, names: &[String]) -> Result<Vec<f64>> {
    // Sweep operator (Goodnight 1979) on a copy: after sweeping 0..j, a[j][j] is driver j's residual
    // variance given drivers 0..j and a[i][j] (i < j) its regression coefficients on them.
    let mut a = rxx.to_vec();
    for j in 0..p {
        let pivot = a[j * p + j];
        if !(pivot > COLLINEAR) {
            let coefs: Vec<&str> = (0..j).filter(|&i| a[i * p + j].abs() > 1e-6).map(|i| names[i].as_str()).collect();
            return Err(CemError::Degenerate {
                column: names[j].clone(),
                reason: format!(
                    "driver is a linear combination of {} (R² = {}), so their importances cannot be told apart; drop one of them",
                    if coefs.is_empty() { "the drivers before it".to_string() } else { coefs.join(", ") },
                    Short(1.0 - pivot.max(0.0))
                ),
            });
        }
        sweep(&mut a, p, j);
    }
    // After sweeping every index the matrix holds −R_xx⁻¹.
    Ok(a.iter().map(|v| -v).collect())
}

/// The sweep operator on index `j` of a symmetric n×n matrix.
fn sweep(a: &mut [f64], n: usize, j: usize) {
    let d = a[j * n + j];
    for r in 0..n {
        if r == j {
            continue;
        }
        let f = a[r * n + j] / d;
        for c in 0..n {
            if c != j {
                a[r * n + c] -= f * a[j * n + c];
            }
        }
    }
    for i in 0..n {
        if i != j {
            a[i * n + j] /= d;
            a[j * n + i] /= d;
        }
    }
    a[j * n + j] = -1.0 / d;
}

/// Johnson's relative weights from the drivers' correlations.
fn relative_weights(rxx: &[f64], rxy: &[f64], p: usize) -> Vec<f64> {
    let (values, vectors) = symmetric_eigen(rxx, p);
    let roots: Vec<f64> = values.iter().map(|v| v.max(0.0).sqrt()).collect();
    // β* = Λ*⁻¹ r_xy = V Λ^−½ Vᵀ r_xy, in O(p²).
    let vt_r: Vec<f64> = (0..p).map(|e| (0..p).map(|i| vectors[i * p + e] * rxy[i]).sum::<f64>() / roots[e]).collect();
    let beta: Vec<f64> = (0..p).map(|i| (0..p).map(|e| vectors[i * p + e] * vt_r[e]).sum()).collect();
    // Λ* = V Λ^½ Vᵀ (rows of V scaled once, then one product), and ε_j = Σ_k Λ*²_jk β*²_k.
    let scaled: Vec<f64> = (0..p * p).map(|ie| vectors[ie] * roots[ie % p]).collect();
    let beta_sq: Vec<f64> = beta.iter().map(|b| b * b).collect();
    (0..p)
        .map(|j| {
            let row = &scaled[j * p..j * p + p];
            (0..p)
                .map(|k| {
                    let lambda = dot(row, &vectors[k * p..k * p + p]);
                    lambda * lambda * beta_sq[k]
                })
                .sum()
        })
        .collect()
}

/// Eigenvalues and eigenvectors (columns of the second result, row-major) of a symmetric matrix:
/// Householder reduction to tridiagonal form and the implicit QL algorithm (`tred2`/`tql2` of EISPACK,
/// as in JAMA; Golub & Van Loan § 8.3), O(n³) with a small constant.
fn symmetric_eigen(m: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut v = m.to_vec();
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    if n == 0 {
        return (d, v);
    }
    let at = |r: usize, c: usize| r * n + c;
    // tred2.
    for j in 0..n {
        d[j] = v[at(n - 1, j)];
    }
    for i in (1..n).rev() {
        let scale: f64 = d[..i].iter().map(|x| x.abs()).sum();
        let mut h = 0.0;
        if scale == 0.0 {
            e[i] = d[i - 1];
            for j in 0..i {
                d[j] = v[at(i - 1, j)];
                v[at(i, j)] = 0.0;
                v[at(j, i)] = 0.0;
            }
        } else {
            for x in d[..i].iter_mut() {
                *x /= scale;
                h += *x * *x;
            }
            let mut f = d[i - 1];
            let mut g = h.sqrt();
            if f > 0.0 {
                g = -g;
            }
            e[i] = scale * g;
            h -= f * g;
            d[i - 1] = f - g;
            e[..i].iter_mut().for_each(|x| *x = 0.0);
            for j in 0..i {
                f = d[j];
                v[at(j, i)] = f;
                g = e[j] + v[at(j, j)] * f;
                for k in j + 1..i {
                    g += v[at(k, j)] * d[k];
                    e[k] += v[at(k, j)] * f;
                }
                e[j] = g;
            }
            f = 0.0;
            for j in 0..i {
                e[j] /= h;
                f += e[j] * d[j];
            }
            let hh = f / (h + h);
            for j in 0..i {
                e[j] -= hh * d[j];
            }
            for j in 0..i {
                f = d[j];
                g = e[j];
                for k in j..i {
                    v[at(k, j)] -= f * e[k] + g * d[k];
                }
                d[j] = v[at(i - 1, j)];
                v[at(i, j)] = 0.0;
            }
        }
        d[i] = h;
    }
    for i in 0..n - 1 {
        v[at(n - 1, i)] = v[at(i, i)];
        v[at(i, i)] = 1.0;
        let h = d[i + 1];
        if h != 0.0 {
            for k in 0..=i {
                d[k] = v[at(k, i + 1)] / h;
            }
            for j in 0..=i {
                let g: f64 = (0..=i).map(|k| v[at(k, i + 1)] * v[at(k, j)]).sum();
                for k in 0..=i {
                    v[at(k, j)] -= g * d[k];
                }
            }
        }
        for k in 0..=i {
            v[at(k, i + 1)] = 0.0;
        }
    }
    for j in 0..n {
        d[j] = v[at(n - 1, j)];
        v[at(n - 1, j)] = 0.0;
    }
    v[at(n - 1, n - 1)] = 1.0;
    e[0] = 0.0;
    // tql2.
    for i in 1..n {
        e[i - 1] = e[i];
    }
    e[n - 1] = 0.0;
    let (mut f, mut tst1) = (0.0f64, 0.0f64);
    let eps = f64::EPSILON;
    for l in 0..n {
        tst1 = tst1.max(d[l].abs() + e[l].abs());
        let mut m = l;
        while m < n - 1 && e[m].abs() > eps * tst1 {
            m += 1;
        }
        if m > l {
            for _iteration in 0..64 {
                let mut g = d[l];
                let mut p = (d[l + 1] - g) / (2.0 * e[l]);
                let mut r = p.hypot(1.0);
                if p < 0.0 {
                    r = -r;
                }
                d[l] = e[l] / (p + r);
                d[l + 1] = e[l] * (p + r);
                let dl1 = d[l + 1];
                let mut h = g - d[l];
                for x in d[l + 2..].iter_mut() {
                    *x -= h;
                }
                f += h;
                p = d[m];
                let (mut c, mut c2, mut c3) = (1.0, 1.0, 1.0);
                let el1 = e[l + 1];
                let (mut s, mut s2) = (0.0, 0.0);
                for i in (l..m).rev() {
                    c3 = c2;
                    c2 = c;
                    s2 = s;
                    g = c * e[i];
                    h = c * p;
                    r = p.hypot(e[i]);
                    e[i + 1] = s * r;
                    s = e[i] / r;
                    c = p / r;
                    p = c * d[i] - s * g;
                    d[i + 1] = h + s * (c * g + s * d[i]);
                    for k in 0..n {
                        h = v[at(k, i + 1)];
                        v[at(k, i + 1)] = s * v[at(k, i)] + c * h;
                        v[at(k, i)] = c * v[at(k, i)] - s * h;
                    }
                }
                p = -s * s2 * c3 * el1 * e[l] / dl1;
                e[l] = s * p;
                d[l] = c * p;
                if !(e[l].abs() > eps * tst1) {
                    break;
                }
            }
        }
        d[l] += f;
        e[l] = 0.0;
    }
    (d, v)
}

/// R² of every subset of drivers (bit j = driver j), from the full correlation matrix `r` (outcome
/// first), depth first: a child's residual matrix is its parent's after one Schur-complement step
/// (eliminating the added driver), over the outcome and the drivers after it, so each subset costs
/// O(p²) and no step is ever undone.
fn subset_r2(r: &[f64], p: usize) -> Vec<f64> {
    let k = p + 1;
    let mut out = vec![0.0; 1usize << p];
    let mut stack: Vec<Vec<f64>> = vec![vec![0.0; k * k]; p + 1];
    stack[0].copy_from_slice(r);
    fn visit(out: &mut [f64], stack: &mut [Vec<f64>], k: usize, mask: usize, start: usize, depth: usize) {
        let p = k - 1;
        for j in start..p {
            let (lower, upper) = stack.split_at_mut(depth + 1);
            let (cur, next) = (&lower[depth], &mut upper[0]);
            let jj = j + 1;
            let piv = cur[jj * k + jj];
            // The rows that stay: the outcome (0) and the drivers after j.
            let keep = std::iter::once(0).chain(jj + 1..k);
            for a in keep {
                let f = cur[a * k + jj] / piv;
                next[a * k] = cur[a * k] - f * cur[jj * k];
                for c in (jj + 1).max(a)..k {
                    next[a * k + c] = cur[a * k + c] - f * cur[jj * k + c];
                    next[c * k + a] = next[a * k + c];
                }
            }
            let m = mask | (1 << j);
            out[m] = 1.0 - next[0];
            if j + 1 < p {
                visit(out, stack, k, m, j + 1, depth + 1);
            }
        }
    }
    visit(&mut out, &mut stack, k, 0, 0, 0);
    out
}

/// Shapley values (general dominance) and conditional dominance from the R² of every subset.
fn shapley(r2: &[f64], p: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut sums = vec![vec![0.0; p]; p]; // sums[j][s]: increments of j over subsets of size s
    for (mask, &base) in r2.iter().enumerate() {
        let s = mask.count_ones() as usize;
        for (j, row) in sums.iter_mut().enumerate() {
            if mask & (1 << j) == 0 {
                row[s] += r2[mask | (1 << j)] - base;
            }
        }
    }
    // Subsets of size s among the other p − 1 drivers: C(p − 1, s).
    let mut choose = vec![1.0f64; p];
    for s in 1..p {
        choose[s] = choose[s - 1] * (p - s) as f64 / s as f64;
    }
    let conditional: Vec<Vec<f64>> =
        sums.iter().map(|row| row.iter().zip(&choose).map(|(v, c)| v / c).collect()).collect();
    let general = conditional.iter().map(|row| row.iter().sum::<f64>() / p as f64).collect();
    (general, conditional)
}

/// Complete dominance: 1 where driver i adds more R² than j to every subset of the other drivers.
fn complete_dominance(r2: &[f64], p: usize) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.5; p]; p];
    for i in 0..p {
        for j in i + 1..p {
            let (bi, bj) = (1usize << i, 1usize << j);
            let (mut more, mut less) = (true, true);
            for (mask, _) in r2.iter().enumerate().filter(|(m, _)| m & (bi | bj) == 0) {
                let (a, b) = (r2[mask | bi], r2[mask | bj]);
                more &= a > b;
                less &= a < b;
            }
            let v = if more {
                1.0
            } else if less {
                0.0
            } else {
                0.5
            };
            out[i][j] = v;
            out[j][i] = 1.0 - v;
        }
    }
    out
}

/// The options of a key driver analysis, as every language passes them (snake_case keys).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriverOptions {
    /// The outcome column (required).
    pub outcome: Option<String>,
    /// The driver columns, in order (default: every other column but the weight).
    pub drivers: Option<Vec<String>>,
    /// The column of row weights (default: none, every row weighs 1).
    pub weight: Option<String>,
    /// How importance is measured (default `lmg`).
    pub method: Option<DriverMethod>,
    /// How the outcome is scored (default `value`; `nps`: −100/0/+100; `promoter`: 100/0).
    pub outcome_score: Option<OutcomeScore>,
    /// `[min, max]` of the driver ratings: they must lie on it, and their top-box % is reported.
    pub scale: Option<[i32; 2]>,
    /// Lowest answer of a driver's top box (default: the top two points of the scale).
    pub threshold: Option<i32>,
    /// Level of the performance intervals (default 0.95).
    pub level: Option<f64>,
    /// Incomplete rows (NaN/None/null in any used column): `error` (default) or `skip`.
    pub missing: Option<Missing>,
    /// Bootstrap resamples for intervals of importance and share and rank-first probabilities (default:
    /// none; from columns only, since a case bootstrap needs the rows).
    pub resamples: Option<u32>,
    /// Seed of the bootstrap (default 0).
    pub seed: Option<u64>,
    /// Where the quadrant map splits: `[share of R² in %, mean rating]` (default: the drivers' mean
    /// importance and mean performance).
    pub split: Option<[f64; 2]>,
}

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
    pub fn read(op: crate::api::options::Operation, input: impl crate::api::options::Input) -> Result<DriverOptions> {
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
            return Err(crate::api::options::unread(op, key, value, &allowed, None));
        }
        Ok(o)
    }

    fn scale(&self) -> Result<Option<Scale>> {
        self.scale.map(|[lo, hi]| Scale::new(lo, hi)).transpose()
    }
}

/// The columns a driver analysis reads, by the options' names: (outcome, drivers, weights).
type Picked<'a> = (&'a [f64], Vec<&'a [f64]>, Option<&'a [f64]>, Vec<String>);

fn pick<'a, S: AsRef<str>>(columns: &'a [(S, &'a [f64])], o: &DriverOptions) -> Result<Picked<'a>> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_ref()).collect();
    let find =
        |key: &str, name: &str| {
            columns.iter().find(|(n, _)| n.as_ref() == name).map(|(_, c)| *c).ok_or_else(|| {
                CemError::param(key, name, &format!("no such column; the columns are {}", names.join(", ")))
            })
        };
    let outcome_name =
        o.outcome.as_deref().ok_or_else(|| CemError::param("outcome", "none", "name the outcome column"))?;
    let outcome = find("outcome", outcome_name)?;
    let weights = o.weight.as_deref().map(|w| find("weight", w)).transpose()?;
    let driver_names: Vec<String> = match &o.drivers {
        Some(d) => d.clone(),
        None => names
            .iter()
            .filter(|n| **n != outcome_name && Some(**n) != o.weight.as_deref())
            .map(|n| n.to_string())
            .collect(),
    };
    let drivers = driver_names.iter().map(|d| find("drivers", d)).collect::<Result<Vec<_>>>()?;
    Ok((outcome, drivers, weights, driver_names))
}

/// A driver tally of the named columns (what [`operations::driver_tally`](crate::operations::driver_tally)
/// does).
pub(crate) fn tally_columns<S: AsRef<str>>(columns: &[(S, &[f64])], o: &DriverOptions) -> Result<DriverTally> {
    let (outcome, drivers, weights, names) = pick(columns, o)?;
    let outcome_name = o.outcome.as_deref().unwrap_or_default();
    let mut t = DriverTally::new(outcome_name, &names, o.outcome_score.unwrap_or_default(), o.scale()?, o.threshold)?;
    t.update(outcome, &drivers, weights, o.missing.unwrap_or_default())?;
    Ok(t)
}

/// The analysis of named columns, with the bootstrap when the options ask for it.
pub(crate) fn analyse_columns<S: AsRef<str>>(columns: &[(S, &[f64])], o: &DriverOptions) -> Result<DriverAnalysis> {
    let t = tally_columns(columns, o)?;
    let mut a = analyse_with(&t, o)?;
    if let Some(resamples) = o.resamples {
        let (outcome, drivers, weights, _) = pick(columns, o)?;
        let seed = o.seed.unwrap_or(0);
        bootstrap(&t, &mut a, (outcome, &drivers, weights), resamples, seed)?;
    } else if o.seed.is_some() {
        return Err(CemError::param("seed", o.seed.unwrap_or(0), "a seed needs resamples (the bootstrap)"));
    }
    Ok(a)
}

/// One segment's key driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentDrivers {
    /// The segment's key.
    pub segment: String,
    /// Its analysis.
    pub analysis: DriverAnalysis,
}

/// The analysis of each segment: row i belongs to segment `names[codes[i]]`; segments in `names` order,
/// those without rows left out. Errors name the segment (and rows keep their index in the input).
pub(crate) fn analyse_segments<S: AsRef<str>>(
    columns: &[(S, &[f64])],
    codes: &[i64],
    names: &[String],
    o: &DriverOptions,
) -> Result<Vec<SegmentDrivers>> {
    let (outcome, ..) = pick(columns, o)?;
    crate::score::tally::check_len("segments", outcome.len(), codes.len())?;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, &c) in codes.iter().enumerate() {
        match usize::try_from(c).ok().filter(|&c| c < names.len()) {
            Some(c) => rows[c].push(i),
            None => {
                return Err(CemError::InvalidSegment {
                    index: i,
                    value: c.to_string(),
                    reason: "the segment key is missing".into(),
                })
            }
        }
    }
    let mut out = Vec::new();
    for (key, rows) in names.iter().zip(&rows).filter(|(_, r)| !r.is_empty()) {
        let owned: Vec<(&str, Vec<f64>)> =
            columns.iter().map(|(n, c)| (n.as_ref(), rows.iter().map(|&i| c[i]).collect())).collect();
        let sub: Vec<(&str, &[f64])> = owned.iter().map(|(n, c)| (*n, &c[..])).collect();
        let analysis = analyse_columns(&sub, o).map_err(|e| match e {
            CemError::MissingValue { index } => CemError::MissingValue { index: rows[index] },
            CemError::InvalidWeight { index, value } => CemError::InvalidWeight { index: rows[index], value },
            CemError::TooFew { what, needed, got } => {
                CemError::TooFew { what: format!("segment {key}: {what}"), needed, got }
            }
            CemError::Degenerate { column, reason } => {
                CemError::Degenerate { column, reason: format!("in segment {key}, {reason}") }
            }
            other => other,
        })?;
        out.push(SegmentDrivers { segment: key.clone(), analysis });
    }
    Ok(out)
}

/// Seeded case bootstrap (percentile, type-7 quantiles) of the importances and shares, and how often
/// each driver ranks first. Each resample draws m complete rows uniformly with replacement — row
/// ⌊u·m⌋ of the complete rows in their order, u from SplitMix64 as in [`crate::resample`] — and
/// analyses them with the same method; a resample that cannot be analysed is left out and counted.
fn bootstrap(
    t: &DriverTally,
    a: &mut DriverAnalysis,
    (outcome, drivers, weights): (&[f64], &[&[f64]], Option<&[f64]>),
    resamples: u32,
    seed: u64,
) -> Result<()> {
    let complete: Vec<usize> =
        (0..outcome.len()).filter(|&i| !outcome[i].is_nan() && drivers.iter().all(|d| !d[i].is_nan())).collect();
    let m = complete.len();
    if resamples == 0 || m as f64 * resamples as f64 > crate::inference::resample::MAX_DRAWS as f64 {
        return Err(CemError::param(
            "resamples",
            resamples,
            &format!("between 1 and {} / complete rows ({m})", crate::inference::resample::MAX_DRAWS),
        ));
    }
    let p = drivers.len();
    let mut rng = crate::inference::resample::SplitMix64::new(seed);
    let (mut y, mut w) = (vec![0.0; m], vec![0.0; m]);
    let mut x = vec![vec![0.0; m]; p];
    let (mut imps, mut shares) = (vec![Vec::new(); p], vec![Vec::new(); p]);
    let mut firsts = vec![0u32; p];
    let mut failed = 0u32;
    for _ in 0..resamples {
        for r in 0..m {
            let i = complete[((rng.next_f64() * m as f64) as usize).min(m - 1)];
            y[r] = outcome[i];
            w[r] = weights.map_or(1.0, |w| w[i]);
            for j in 0..p {
                x[j][r] = drivers[j][i];
            }
        }
        let mut b = DriverTally { d: t.empty_like() };
        b.d.skipped = 0;
        let cols: Vec<&[f64]> = x.iter().map(|c| &c[..]).collect();
        b.update(&y, &cols, weights.map(|_| &w[..]), Missing::Error)?;
        match analyse(&b, a.method, a.level) {
            Ok(r) => {
                for (j, row) in r.drivers.iter().enumerate() {
                    imps[j].push(row.importance);
                    shares[j].push(row.share);
                    firsts[j] += u32::from(row.rank == 1);
                }
            }
            Err(_) => failed += 1,
        }
    }
    let ok = resamples - failed;
    if ok == 0 {
        return Err(CemError::param("resamples", resamples, "no bootstrap resample could be analysed"));
    }
    let alpha = 1.0 - a.level;
    let interval = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (quantile7(v, alpha / 2.0), quantile7(v, 1.0 - alpha / 2.0))
    };
    for (j, row) in a.drivers.iter_mut().enumerate() {
        let (lo, hi) = interval(&mut imps[j]);
        let (slo, shi) = interval(&mut shares[j]);
        row.importance_lower = Some(lo);
        row.importance_upper = Some(hi);
        row.share_lower = Some(slo);
        row.share_upper = Some(shi);
        row.first_probability = Some(firsts[j] as f64 / ok as f64);
    }
    a.bootstrap = Some(DriverBootstrap { resamples, seed, failed });
    Ok(())
}

/// Type-7 quantile of sorted data (numpy's default).
fn quantile7(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// The analysis a set of options asks of a tally.
pub(crate) fn analyse_with(t: &DriverTally, o: &DriverOptions) -> Result<DriverAnalysis> {
    analyse_split(t, o.method.unwrap_or_default(), o.level.unwrap_or(0.95), o.split)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_decomposes_symmetric_matrices() {
        let m = [4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 2.0];
        let (vals, vecs) = symmetric_eigen(&m, 3);
        for e in 0..3 {
            for i in 0..3 {
                let mv: f64 = (0..3).map(|j| m[i * 3 + j] * vecs[j * 3 + e]).sum();
                assert!((mv - vals[e] * vecs[i * 3 + e]).abs() < 1e-12);
            }
        }
        assert!((vals.iter().sum::<f64>() - 9.0).abs() < 1e-12);
        // A 60 × 60 symmetric matrix (with a repeated eigenvalue's worth of structure): A·v = λ·v, VᵀV = I.
        let n = 60;
        let mut x = 12345u64;
        let mut a = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..=i {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let v = (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        let (vals, vecs) = symmetric_eigen(&a, n);
        for e in 0..n {
            for i in 0..n {
                let av: f64 = (0..n).map(|j| a[i * n + j] * vecs[j * n + e]).sum();
                assert!((av - vals[e] * vecs[i * n + e]).abs() < 1e-12, "{e} {i}");
            }
            for f in 0..n {
                let dot: f64 = (0..n).map(|i| vecs[i * n + e] * vecs[i * n + f]).sum();
                assert!((dot - if e == f { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        assert_eq!(symmetric_eigen(&[2.5], 1), (vec![2.5], vec![1.0]));
    }
}
