//! Confidence (and credible) intervals for the three families of metric.
//!
//! Everything here works on *effective counts*: for an unweighted tally they are the counts; for a
//! weighted one they are the weighted shares times the Kish effective n, so that a method built for
//! counts sees a sample exactly as informative as the weighted one. Results are fractions (NPS in
//! [−1, 1], proportions in [0, 1]) or scale units (means); [`crate::metric`] converts to points/percent.

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result, Short};
use crate::inference::dirichlet::dirichlet_credible;
use crate::inference::dist::{beta_ppf, bisect, t_ppf, z_crit};
use crate::inference::resample;

crate::vocabulary::vocabulary! {
    /// An interval method. Which ones apply depends on the metric (see [`Family`]). statsmodels' spellings
    /// (`normal`, `beta`, `jeffrey`) are accepted too.
    ///
    /// ```
    /// use cem_core::Method;
    /// assert_eq!(Method::AdjustedWald.name(), "adjusted_wald");
    /// assert_eq!("beta".parse::<Method>().unwrap(), Method::ClopperPearson);
    /// ```
    pub enum Method as "method" {
        /// Normal approximation, estimate ± z·SE (nets and proportions).
        Wald = "wald" | "normal",
        /// NPS adjusted Wald: add ¾ detractor, 1½ passive, ¾ promoter before Wald (Sauro & Lewis; Rocks 2016).
        AdjustedWald = "adjusted_wald",
        /// Adjusted Wald with z²/3 added to each of the three categories.
        AdjustedWaldZ2 = "adjusted_wald_z2",
        /// Tango's score interval for a difference of trinomial shares, inverted by root finding.
        Score = "score",
        /// Student t interval on the −1/0/+1 scores.
        TrinomialT = "trinomial_t",
        /// Seeded percentile bootstrap (nets and means).
        Bootstrap = "bootstrap",
        /// Dirichlet posterior, equal-tailed credible interval (nets).
        Bayes = "bayes",
        /// Wilson score interval (proportions).
        Wilson = "wilson",
        /// Agresti–Coull "add z²/2 successes and failures" interval (proportions).
        AgrestiCoull = "agresti_coull",
        /// Clopper–Pearson exact interval from beta quantiles (proportions).
        ClopperPearson = "clopper_pearson" | "beta",
        /// Jeffreys interval: Beta(x+½, n−x+½) quantiles (proportions).
        Jeffreys = "jeffreys" | "jeffrey",
        /// Student t interval (means).
        T = "t" | "student_t",
    }
}

impl Method {
    /// Whether the method applies to metrics of `family`.
    ///
    /// ```
    /// use cem_core::{Family, Method};
    /// assert!(Method::Wilson.applies_to(Family::Proportion));
    /// assert!(!Method::Wilson.applies_to(Family::Net));
    /// ```
    pub fn applies_to(self, family: Family) -> bool {
        use Method::*;
        match family {
            Family::Net => {
                matches!(self, Wald | AdjustedWald | AdjustedWaldZ2 | Score | TrinomialT | Bootstrap | Bayes)
            }
            Family::Proportion => matches!(self, Wald | Wilson | AgrestiCoull | ClopperPearson | Jeffreys),
            Family::Mean => matches!(self, T | Bootstrap),
        }
    }
}

/// The three kinds of metric, which share interval methods and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Share of top answers minus share of bottom answers (NPS, net box), in points −100..100.
    Net,
    /// Share of answers in a box (CSAT, top/bottom box), in percent 0..100.
    Proportion,
    /// Mean answer (CES, mean), in scale units.
    Mean,
}

impl Family {
    /// The default interval method of the family: adjusted Wald, Wilson, t.
    ///
    /// ```
    /// use cem_core::{Family, Method};
    /// assert_eq!(Family::Net.default_method(), Method::AdjustedWald);
    /// ```
    pub fn default_method(self) -> Method {
        match self {
            Family::Net => Method::AdjustedWald,
            Family::Proportion => Method::Wilson,
            Family::Mean => Method::T,
        }
    }
}

/// Options for an interval; `Default` gives a 95% interval by the metric's default method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct IntervalOptions {
    /// Confidence level in (0, 1).
    pub level: f64,
    /// The method; `None` means the family's default.
    pub method: Option<Method>,
    /// Bootstrap resamples (1..=1,000,000).
    pub resamples: u32,
    /// Bootstrap seed.
    pub seed: u64,
    /// Dirichlet prior (detractor, passive, promoter) for `bayes`; each positive.
    pub prior: [f64; 3],
}

impl Default for IntervalOptions {
    fn default() -> Self {
        IntervalOptions { level: 0.95, method: None, resamples: 2000, seed: 0, prior: [1.0, 1.0, 1.0] }
    }
}

impl IntervalOptions {
    /// Checks the options and resolves the method for `family`.
    pub(crate) fn resolve(&self, family: Family) -> Result<Method> {
        check_level(self.level)?;
        let method = self.method.unwrap_or(family.default_method());
        if !method.applies_to(family) {
            let names: Vec<&str> = Method::ALL.iter().filter(|m| m.applies_to(family)).map(|m| m.name()).collect();
            return Err(CemError::param(
                "method",
                method,
                &format!("does not apply to this metric; use one of {}", names.join(", ")),
            ));
        }
        if method == Method::Bootstrap && !(1..=1_000_000).contains(&self.resamples) {
            return Err(CemError::param("resamples", self.resamples, "must be between 1 and 1,000,000"));
        }
        if method == Method::Bayes && !self.prior.iter().all(|a| a.is_finite() && *a > 0.0) {
            return Err(CemError::param(
                "prior",
                format!("[{}, {}, {}]", Short(self.prior[0]), Short(self.prior[1]), Short(self.prior[2])),
                "each prior count must be positive and finite",
            ));
        }
        Ok(method)
    }
}

/// Checks a confidence level (or 1 − alpha) lies strictly between 0 and 1.
pub(crate) fn check_level(level: f64) -> Result<()> {
    if !(level > 0.0 && level < 1.0) {
        return Err(CemError::param("level", Short(level), "must be strictly between 0 and 1, e.g. 0.95"));
    }
    Ok(())
}

/// Interval for a proportion with `x` (effective) successes of `n`, in [0, 1], as statsmodels
/// `proportion_confint` computes it, including its boundary behaviour.
pub(crate) fn proportion(x: f64, n: f64, level: f64, method: Method) -> (f64, f64) {
    let q = x / n;
    let z = z_crit(level);
    let alpha = (1.0 - level) / 2.0;
    let (lo, hi) = match method {
        Method::Wald => {
            let d = z * (q * (1.0 - q) / n).sqrt();
            (q - d, q + d)
        }
        Method::AgrestiCoull => {
            let nc = n + z * z;
            let qc = (x + z * z / 2.0) / nc;
            let d = z * (qc * (1.0 - qc) / nc).sqrt();
            (qc - d, qc + d)
        }
        // Beta quantiles at shapes near 10¹⁶ carry a relative error near 1e-7, which can put a bound on
        // the wrong side of the estimate (found by fuzzing): the exact interval contains x/n, so keep it there.
        Method::ClopperPearson => {
            let lo = if x <= 0.0 { 0.0 } else { beta_ppf(alpha, x, n - x + 1.0) };
            let hi = if x >= n { 1.0 } else { beta_ppf(1.0 - alpha, x + 1.0, n - x) };
            (lo.min(q), hi.max(q))
        }
        // Both bounds straddle the posterior median; at such shapes an inverted pair meets at its midpoint.
        Method::Jeffreys => {
            let (lo, hi) = (beta_ppf(alpha, x + 0.5, n - x + 0.5), beta_ppf(1.0 - alpha, x + 0.5, n - x + 0.5));
            if lo <= hi {
                (lo, hi)
            } else {
                ((lo + hi) / 2.0, (lo + hi) / 2.0)
            }
        }
        // Wilson, the default.
        _ => {
            let z2 = z * z;
            let denom = 1.0 + z2 / n;
            let centre = (q + z2 / (2.0 * n)) / denom;
            let d = z * (q * (1.0 - q) / n + z2 / (4.0 * n * n)).sqrt() / denom;
            (centre - d, centre + d)
        }
    };
    (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0))
}

/// Variance term of a net score from shares: V = p + d − (p − d)².
fn net_variance(d: f64, p: f64) -> f64 {
    (p + d - (p - d) * (p - d)).max(0.0)
}

/// Interval for a net score (promoters minus detractors) from effective counts, in [−1, 1].
pub(crate) fn net(counts: [f64; 3], opts: &IntervalOptions, method: Method) -> (f64, f64) {
    let [d, m, p] = counts;
    let n = d + m + p;
    let level = opts.level;
    let z = z_crit(level);
    let adjusted_wald = |extra: [f64; 3]| {
        let n2 = n + extra.iter().sum::<f64>();
        let (d2, p2) = ((d + extra[0]) / n2, (p + extra[2]) / n2);
        let centre = p2 - d2;
        let half = z * (net_variance(d2, p2) / n2).sqrt();
        (centre - half, centre + half)
    };
    let (lo, hi) = match method {
        Method::Wald => adjusted_wald([0.0; 3]),
        Method::AdjustedWaldZ2 => adjusted_wald([z * z / 3.0; 3]),
        Method::Score => tango_score(d, m, p, z),
        Method::TrinomialT => {
            if n <= 1.0 {
                // One answer says nothing about spread: the honest interval is the whole range.
                (-1.0, 1.0)
            } else {
                let half = t_ppf(0.5 + level / 2.0, n - 1.0) * (net_variance(d / n, p / n) / (n - 1.0)).sqrt();
                let centre = (p - d) / n;
                (centre - half, centre + half)
            }
        }
        Method::Bootstrap => resample::percentile_interval(
            &[d, m, p],
            &[-1.0, 0.0, 1.0],
            bootstrap_draws(n),
            opts.resamples,
            opts.seed,
            level,
        ),
        Method::Bayes => dirichlet_credible(d + opts.prior[0], m + opts.prior[1], p + opts.prior[2], level),
        // Adjusted Wald, the default.
        _ => adjusted_wald([0.75, 1.5, 0.75]),
    };
    (lo.clamp(-1.0, 1.0), hi.clamp(-1.0, 1.0))
}

/// Answers drawn per bootstrap resample: the (effective) sample size, at least one.
pub(crate) fn bootstrap_draws(n: f64) -> u64 {
    n.round().max(1.0) as u64
}

/// Checks a bootstrap's cost before running it.
pub(crate) fn check_bootstrap_cost(n: f64, resamples: u32) -> Result<()> {
    if bootstrap_draws(n) as f64 * resamples as f64 > resample::MAX_DRAWS as f64 {
        return Err(CemError::param(
            "method",
            "bootstrap",
            &format!(
                "n × resamples exceeds {} draws; at this sample size use an analytic method (the bootstrap adds nothing there) or fewer resamples",
                resample::MAX_DRAWS
            ),
        ));
    }
    Ok(())
}

/// Restricted maximum-likelihood share of detractors when promoters − detractors = `delta`
/// (Tango 1998): the root in the feasible range of 2n·x² − B·x − d·Δ(1−Δ) = 0.
fn tango_restricted_detractors(d: f64, m: f64, p: f64, delta: f64) -> f64 {
    let n = d + m + p;
    let b = d * (1.0 - 3.0 * delta) - 2.0 * m * delta + p * (1.0 - delta);
    let disc = (b * b + 8.0 * n * d * delta * (1.0 - delta)).max(0.0).sqrt();
    let (lo, hi) = ((-delta).max(0.0), (1.0 - delta) / 2.0);
    let loglik = |x: f64| {
        let term = |c: f64, pi: f64| if c > 0.0 { c * pi.max(1e-300).ln() } else { 0.0 };
        term(d, x) + term(m, 1.0 - 2.0 * x - delta) + term(p, x + delta)
    };
    [(b + disc) / (4.0 * n), (b - disc) / (4.0 * n)]
        .into_iter()
        .map(|x| x.clamp(lo, hi))
        .max_by(|a, b| loglik(*a).total_cmp(&loglik(*b)))
        .unwrap_or(lo)
}

/// Variance of the net score under H0: NPS = `delta`, at the restricted maximum-likelihood shares.
pub(crate) fn tango_null_variance(d: f64, m: f64, p: f64, delta: f64) -> f64 {
    let n = d + m + p;
    let x = tango_restricted_detractors(d, m, p, delta);
    ((2.0 * x + delta - delta * delta) / n).max(0.0)
}

/// Tango's score statistic for H0: NPS = delta (0 when the estimate equals delta, ±∞ when the null
/// variance is zero).
fn tango_z(d: f64, m: f64, p: f64, delta: f64) -> f64 {
    let diff = (p - d) / (d + m + p) - delta;
    let var0 = tango_null_variance(d, m, p, delta);
    if diff == 0.0 {
        0.0
    } else if var0 == 0.0 {
        diff.signum() * f64::INFINITY
    } else {
        diff / var0.sqrt()
    }
}

/// Tango's score interval: every delta whose score test is not rejected at critical value `z`.
fn tango_score(d: f64, m: f64, p: f64, z: f64) -> (f64, f64) {
    let n = d + m + p;
    let est = (p - d) / n;
    let lo = if est <= -1.0 { -1.0 } else { bisect(-1.0, est, |delta| z - tango_z(d, m, p, delta)) };
    let hi = if est >= 1.0 { 1.0 } else { bisect(est, 1.0, |delta| -tango_z(d, m, p, delta) - z) };
    (lo, hi)
}

/// Interval for a mean from its standard deviation and (effective) n, in scale units.
pub(crate) fn mean_t(mean: f64, sd: f64, n: f64, level: f64, range: (f64, f64)) -> (f64, f64) {
    if n <= 1.0 {
        // One answer says nothing about spread: the honest interval is the whole scale.
        return range;
    }
    let half = t_ppf(0.5 + level / 2.0, n - 1.0) * sd / n.sqrt();
    ((mean - half).clamp(range.0, range.1), (mean + half).clamp(range.0, range.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: a bottom box of 9.7e14 in 3.6e16 answers at 99%, whose Clopper–Pearson lower
    /// bound came out above the estimate and the upper bound.
    #[test]
    fn beta_intervals_stay_ordered_at_shapes_near_1e16() {
        let (x, n) = (970_870_063_513_374.0, 36_440_510_860_255_916.0);
        for method in [Method::ClopperPearson, Method::Jeffreys] {
            for level in [0.5, 0.9, 0.95, 0.99, 0.999999] {
                let (lo, hi) = proportion(x, n, level, method);
                assert!(lo <= hi, "{method:?} {level}: {lo} > {hi}");
                if method == Method::ClopperPearson {
                    assert!(lo <= x / n && x / n <= hi, "{level}: {lo} {hi}");
                }
            }
        }
    }
}
