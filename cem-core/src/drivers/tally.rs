//! The driver tally: the weighted moments of (outcome, drivers) over complete rows, built in one pass
//! (blocks checked as they are copied in, centred, their Gram matrices taken by [`gram`](super::gram)),
//! merged by Chan, Golub & LeVeque's update, and serialized to the same JSON in every language.

use serde::{Deserialize, Serialize};

use crate::drivers::options::{pick, DriverOptions, OutcomeScore};
use crate::error::{CemError, Result, Short};
use crate::score::metric::Metric;
use crate::score::scale::Scale;
use crate::score::tally::{check_len, check_weight, point, Missing};

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
    pub(super) d: DriverTallyData,
}

/// The serialized form of a driver tally; validated when read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DriverTallyData {
    pub(super) outcome: String,
    pub(super) drivers: Vec<String>,
    pub(super) outcome_score: OutcomeScore,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) scale: Option<Scale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) threshold: Option<i32>,
    pub(super) n: u64,
    pub(super) skipped: u64,
    pub(super) weight: f64,
    pub(super) weight_sq: f64,
    /// Weighted means of (outcome, drivers…).
    pub(super) means: Vec<f64>,
    /// Σw (z − z̄)(z − z̄)ᵀ, row by row, (p + 1)².
    pub(super) comoments: Vec<f64>,
    /// Σw over rows where each driver is at or above the threshold (empty without a scale).
    #[serde(default)]
    pub(super) top_box: Vec<f64>,
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
            Some(s) => Some(Metric::csat(s, threshold).map(|m| match m {
                Metric::Csat { threshold } => threshold,
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
            check_len(&format!("driver {name}"), rows, col.len())?;
        }
        if let Some(w) = weights {
            check_len("weights", rows, w.len())?;
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
                    point(s, i, v, Missing::Error)?;
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
    pub(super) fn empty_like(&self) -> DriverTallyData {
        let d = &self.d;
        DriverTallyData::empty(d.outcome.clone(), d.drivers.clone(), d.outcome_score, d.scale, d.threshold)
    }

    /// The outcome answer at row `i` as scored.
    fn score(&self, i: usize, y: f64) -> Result<f64> {
        if self.d.outcome_score != OutcomeScore::Value {
            point(Scale::NPS, i, y, Missing::Error)?;
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
