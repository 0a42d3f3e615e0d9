//! The result of a key driver analysis, and the analysis of a tally: correlations from the moments, the
//! importances by the chosen method, each driver's performance with its interval, and its quadrant.

use serde::{Deserialize, Serialize};

use crate::drivers::methods::{complete_dominance, inverse_checked, relative_weights, shapley, subset_r2};
use crate::drivers::options::{DriverMethod, OutcomeScore};
use crate::drivers::quadrant::Quadrant;
use crate::drivers::tally::DriverTally;
use crate::error::{CemError, Result, Short};
use crate::inference::interval::{self, Method};

/// Most drivers `lmg` and `dominance` accept: they enumerate 2^p subsets (2^20 ≈ 10⁶ R² values in well
/// under a second, 8 MB). Use `relative_weights`, which approximates `lmg` closely, for more.
pub const MAX_SUBSET_DRIVERS: usize = 20;
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

/// One segment's key driver analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentDrivers {
    /// The segment's key.
    pub segment: String,
    /// Its analysis.
    pub analysis: DriverAnalysis,
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
pub(super) fn analyse_split(
    t: &DriverTally,
    method: DriverMethod,
    level: f64,
    split: Option<[f64; 2]>,
) -> Result<DriverAnalysis> {
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
                quadrant: Quadrant::of(important, strong),
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
