//! Comparisons: is one score really different from another, or from a benchmark value?
//!
//! Two estimates (two segments, two periods, two touchpoints) are compared by [`compare`]; one estimate
//! against an external value — an industry or competitor benchmark, optionally with its own standard
//! error — by [`compare_to`]. Differences are in the metric's unit (points, percent, scale units).

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result, Short};
use crate::inference::dist::{norm_sf, t_ppf, t_sf, z_crit};
use crate::inference::interval::{self, check_level, Family, IntervalOptions, Method};
use crate::score::metric::{Breakdown, Estimate};

crate::vocabulary::vocabulary! {
    /// The alternative hypothesis about `a − b` (or `estimate − value`); scipy's (`two-sided`, `greater`,
    /// `less`) and statsmodels' (`larger`, `smaller`) spellings.
    #[derive(Default)]
    pub enum Alternative as "alternative" {
        /// a ≠ b.
        #[default]
        TwoSided = "two-sided" | "two_sided",
        /// a > b.
        Greater = "greater" | "larger",
        /// a < b.
        Less = "less" | "smaller",
    }
}

impl Alternative {
    /// The p-value of a statistic whose survival function is `sf`.
    pub(crate) fn p_value(self, statistic: f64, sf: impl Fn(f64) -> f64) -> f64 {
        let p = match self {
            Alternative::TwoSided => 2.0 * sf(statistic.abs()),
            Alternative::Greater => sf(statistic),
            Alternative::Less => sf(-statistic),
        };
        p.clamp(0.0, 1.0)
    }
}

crate::vocabulary::vocabulary! {
    /// How a difference is tested (and its interval computed).
    ///
    /// ```
    /// assert_eq!(cem_core::Test::AgrestiCaffo.name(), "agresti_caffo");
    /// ```
    pub enum Test as "test" {
        /// z on the plain standard errors (nets, proportions).
        Wald = "wald",
        /// Nets: each group adjusted (+¾, +1½, +¾) before the z test.
        AdjustedWald = "adjusted_wald",
        /// Score methods. Two proportions: Miettinen–Nurminen score test with the Newcombe hybrid score
        /// interval. Two nets: Wald z with the MOVER interval from Tango score intervals. One sample: the
        /// score test under the null value (Tango for nets, binomial score for proportions).
        Score = "score" | "newcombe" | "newcomb",
        /// Two proportions: Agresti–Caffo (add one success and one failure to each group).
        AgrestiCaffo = "agresti_caffo" | "agresti-caffo",
        /// Two means: Welch's unequal-variance t test.
        Welch = "welch",
        /// One mean against a value: Student t.
        T = "t",
    }
}

impl Test {
    fn two_sample(family: Family) -> &'static [Test] {
        match family {
            Family::Net => &[Test::Wald, Test::AdjustedWald, Test::Score],
            Family::Proportion => &[Test::Score, Test::AgrestiCaffo, Test::Wald],
            Family::Mean => &[Test::Welch],
        }
    }

    fn one_sample(family: Family) -> &'static [Test] {
        match family {
            Family::Net => &[Test::AdjustedWald, Test::Wald, Test::Score],
            Family::Proportion => &[Test::Score, Test::Wald],
            Family::Mean => &[Test::T],
        }
    }

    /// Picks `wanted` (or the first, default, one) from `allowed`.
    fn choose(wanted: Option<Test>, allowed: &[Test]) -> Result<Test> {
        match wanted {
            None => Ok(allowed[0]),
            Some(t) if allowed.contains(&t) => Ok(t),
            Some(t) => {
                let names: Vec<&str> = allowed.iter().map(|t| t.name()).collect();
                Err(CemError::param(
                    "method",
                    t.name(),
                    &format!("does not apply to this metric; use one of {}", names.join(", ")),
                ))
            }
        }
    }
}

crate::vocabulary::vocabulary! {
    /// Which side of its reference a value lies on (a segment, a period, a term's target rate).
    pub enum Side as "side" {
        /// Above the reference.
        Above = "above",
        /// Below the reference.
        Below = "below",
        /// Exactly at it.
        Level = "level",
    }
}

impl Side {
    /// The side a difference (value − reference) puts a value on.
    pub(crate) fn of(difference: f64) -> Side {
        if difference > 0.0 {
            Side::Above
        } else if difference < 0.0 {
            Side::Below
        } else {
            Side::Level
        }
    }
}

/// Options of a comparison; `Default`: the family's default test, 95%, two-sided.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompareOptions {
    /// The test; `None` for the default (two samples: Wald for nets, score for proportions, Welch for
    /// means; one sample: adjusted Wald, score, t).
    pub method: Option<Test>,
    /// Confidence level of the interval of the difference.
    pub level: f64,
    /// Alternative hypothesis.
    pub alternative: Alternative,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { method: None, level: 0.95, alternative: Alternative::TwoSided }
    }
}

/// An interval of a difference.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DifferenceInterval {
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Confidence level.
    pub level: f64,
}

/// The result of comparing an estimate with another or with a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// `a − b` (or `estimate − value`), in the metric's unit.
    pub difference: f64,
    /// Two-sided interval of the difference.
    pub interval: DifferenceInterval,
    /// Test statistic (z, or t when `df` is set). Infinite when the difference is certain under the
    /// test's variance (e.g. Wald with two groups of identical answers).
    pub statistic: f64,
    /// Degrees of freedom of a t statistic; `None` for z.
    pub df: Option<f64>,
    /// p-value under the alternative.
    pub p_value: f64,
    /// The alternative hypothesis.
    pub alternative: Alternative,
    /// The test used.
    pub method: Test,
}

/// `diff / se` that never yields NaN: 0 when both are 0, ±∞ when only the standard error is.
fn ratio(diff: f64, se: f64) -> f64 {
    if diff == 0.0 {
        0.0
    } else if se > 0.0 {
        diff / se
    } else {
        diff.signum() * f64::INFINITY
    }
}

/// Unit factor from fractions to the metric's unit.
fn unit(family: Family) -> f64 {
    match family {
        Family::Mean => 1.0,
        _ => 100.0,
    }
}

/// Effective (successes, n) of a proportion estimate.
fn proportion_counts(e: &Estimate) -> (f64, f64) {
    (e.value / 100.0 * e.effective_n, e.effective_n)
}

/// Mean, squared standard error of the mean (sd²/n), effective n.
fn mean_parts(e: &Estimate) -> Result<(f64, f64, f64)> {
    match (&e.breakdown, e.effective_n > 1.0) {
        (Breakdown::Mean { standard_deviation: Some(sd), .. }, true) => {
            Ok((e.value, sd * sd / e.effective_n, e.effective_n))
        }
        _ => Err(CemError::TooFew { what: "a test of a mean".into(), needed: 2.0, got: e.effective_n }),
    }
}

/// Net score and V/n after adding `extra` to (detractors, passives, promoters).
fn adjusted_net(c: [f64; 3], extra: [f64; 3]) -> (f64, f64) {
    let n = c.iter().sum::<f64>() + extra.iter().sum::<f64>();
    let (d, p) = ((c[0] + extra[0]) / n, (c[2] + extra[2]) / n);
    (p - d, (p + d - (p - d) * (p - d)).max(0.0) / n)
}

const ROCKS: [f64; 3] = [0.75, 1.5, 0.75];

/// Two proportions x₁/n₁ and x₂/n₂ (n ≥ 1): Newcombe's hybrid score interval of p₁ − p₂ (Newcombe 1998,
/// method 10, from Wilson intervals) and the Miettinen–Nurminen score z under H₀: p₁ = p₂ — as statsmodels
/// `confint_proportions_2indep(method="newcomb")` and `test_proportions_2indep(method="score")`.
/// Returns (lower, upper, z) as fractions; shared by [`compare`] and keyness (`text::keyness`).
pub(crate) fn two_proportions_score(x1: f64, n1: f64, x2: f64, n2: f64, level: f64) -> (f64, f64, f64) {
    let (p1, p2) = (x1 / n1, x2 / n2);
    let (l1, u1) = interval::proportion(x1, n1, level, Method::Wilson);
    let (l2, u2) = interval::proportion(x2, n2, level, Method::Wilson);
    let d = p1 - p2;
    let lo = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let hi = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    // Miettinen–Nurminen: pooled variance under H0 (difference 0), times N/(N−1).
    let (nn, pooled) = (n1 + n2, (x1 + x2) / (n1 + n2));
    let var = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2) * nn / (nn - 1.0);
    (lo, hi, ratio(d, var.max(0.0).sqrt()))
}

/// Compares two estimates of the same metric: the difference `a − b`, its interval, a test.
///
/// - Nets (NPS): `wald` (default): z = (NPS₁ − NPS₂)/√(V₁/n₁ + V₂/n₂); `adjusted_wald`: each group
///   adjusted by +¾, +1½, +¾ first; `score`: MOVER interval from Tango score intervals
///   (L = d − √((θ₁−l₁)² + (u₂−θ₂)²), U = d + √((u₁−θ₁)² + (θ₂−l₂)²)) with the Wald z test.
/// - Proportions: `score` (default): Miettinen–Nurminen score test and Newcombe's hybrid score interval
///   (Newcombe 1998, method 10); `agresti_caffo`; `wald` — as statsmodels `test_proportions_2indep` /
///   `confint_proportions_2indep`.
/// - Means: `welch`: Welch's t with Satterthwaite degrees of freedom (as scipy `ttest_ind(equal_var=False)`).
///
/// # Errors
/// `incompatible` for different metrics or scales; `invalid_parameter` for a test that does not apply
/// or a bad level; `too_few` for a mean of a single answer.
///
/// ```
/// use cem_core::{compare, CompareOptions, IntervalOptions, Metric, Scale, Tally};
/// let est = |c: [u64; 5]| Metric::csat(Scale::CSAT, None).unwrap()
///     .estimate(&Tally::from_counts(Scale::CSAT, &c).unwrap(), &IntervalOptions::default()).unwrap();
/// let c = compare(&est([5, 5, 10, 40, 40]), &est([10, 10, 20, 30, 30]), &CompareOptions::default()).unwrap();
/// assert!((c.difference - 20.0).abs() < 1e-9);
/// assert!(c.p_value < 0.01);
/// ```
pub fn compare(a: &Estimate, b: &Estimate, opts: &CompareOptions) -> Result<Comparison> {
    if a.metric != b.metric || a.scale != b.scale {
        return Err(CemError::Incompatible {
            reason: format!("a {} estimate and a {} estimate on different terms", a.metric.name(), b.metric.name()),
        });
    }
    check_level(opts.level)?;
    let family = a.metric.family();
    let method = Test::choose(opts.method, Test::two_sample(family))?;
    let z = z_crit(opts.level);
    let u = unit(family);
    let difference = a.value - b.value;
    let normal = |centre: f64, se: f64, stat: f64| (centre - z * se, centre + z * se, stat, None);
    let (lower, upper, statistic, df) = match (family, method) {
        (Family::Net, Test::AdjustedWald) => {
            let (ta, va) = adjusted_net(a.net_counts().unwrap_or_default(), ROCKS);
            let (tb, vb) = adjusted_net(b.net_counts().unwrap_or_default(), ROCKS);
            let se = (va + vb).sqrt();
            let (lo, hi, s, df) = normal(ta - tb, se, ratio(ta - tb, se));
            (u * lo, u * hi, s, df)
        }
        (Family::Net, _) => {
            let se = (a.standard_error.unwrap_or(0.0).powi(2) + b.standard_error.unwrap_or(0.0).powi(2)).sqrt() / u;
            let d = difference / u;
            let stat = ratio(d, se);
            if method == Test::Score {
                let ia = IntervalOptions { level: opts.level, method: Some(Method::Score), ..Default::default() };
                let (la, ua) = interval::net(a.net_counts().unwrap_or_default(), &ia, Method::Score);
                let (lb, ub) = interval::net(b.net_counts().unwrap_or_default(), &ia, Method::Score);
                let (ta, tb) = (a.value / u, b.value / u);
                let lo = d - ((ta - la).powi(2) + (ub - tb).powi(2)).sqrt();
                let hi = d + ((ua - ta).powi(2) + (tb - lb).powi(2)).sqrt();
                (u * lo, u * hi, stat, None)
            } else {
                let (lo, hi, s, df) = normal(d, se, stat);
                (u * lo, u * hi, s, df)
            }
        }
        (Family::Proportion, _) => {
            let ((x1, n1), (x2, n2)) = (proportion_counts(a), proportion_counts(b));
            let (lo, hi, stat) = match method {
                Test::Wald | Test::AgrestiCaffo => {
                    let add = if method == Test::AgrestiCaffo { 1.0 } else { 0.0 };
                    let (q1, m1, q2, m2) =
                        ((x1 + add) / (n1 + 2.0 * add), n1 + 2.0 * add, (x2 + add) / (n2 + 2.0 * add), n2 + 2.0 * add);
                    let se = (q1 * (1.0 - q1) / m1 + q2 * (1.0 - q2) / m2).sqrt();
                    (q1 - q2 - z * se, q1 - q2 + z * se, ratio(q1 - q2, se))
                }
                _ => two_proportions_score(x1, n1, x2, n2, opts.level),
            };
            (u * lo.max(-1.0), u * hi.min(1.0), stat, None)
        }
        (Family::Mean, _) => {
            let ((ma, va, na), (mb, vb, nb)) = (mean_parts(a)?, mean_parts(b)?);
            let se = (va + vb).sqrt();
            let d = ma - mb;
            if se > 0.0 {
                let df = (va + vb).powi(2) / (va * va / (na - 1.0) + vb * vb / (nb - 1.0));
                let tc = t_ppf(0.5 + opts.level / 2.0, df);
                (d - tc * se, d + tc * se, d / se, Some(df))
            } else {
                (d, d, ratio(d, 0.0), None)
            }
        }
    };
    let sf = |x: f64| match df {
        Some(df) => t_sf(x, df),
        None => norm_sf(x),
    };
    Ok(Comparison {
        difference,
        interval: DifferenceInterval { lower, upper, level: opts.level },
        statistic,
        df,
        p_value: opts.alternative.p_value(statistic, sf),
        alternative: opts.alternative,
        method,
    })
}

/// Compares an estimate with a benchmark `value` (in the metric's unit), optionally known only up to its
/// own standard error `value_se` (e.g. a published industry NPS with its margin of error).
///
/// - Nets: `adjusted_wald` (default): z = (NPS' − B)/√(V'/n' + SE_B²) with the +¾/+1½/+¾ adjustment;
///   `wald`: the same unadjusted; `score`: Tango's score test, z = (NPS − B)/√(Ṽ(B)/n + SE_B²) with the
///   variance at the restricted maximum-likelihood shares under NPS = B (Tango 1998).
/// - Proportions: `score` (default): z = (p̂ − B)/√(B(1−B)/n + SE_B²), statsmodels
///   `proportions_ztest(prop_var=value)`; `wald`: the variance at p̂.
/// - Means: `t`: t = (x̄ − B)/(s/√n) with n − 1 df; with `value_se`, z = (x̄ − B)/√(s²/n + SE_B²).
///
/// The interval of the difference is symmetric about the (adjusted) difference for Wald-type tests and
/// t; for `score` it is the estimate's score (Tango / Wilson) interval shifted by −B and, with `value_se`,
/// widened by MOVER with B ± z·SE_B.
///
/// # Errors
/// `invalid_parameter` for a value outside the metric's range, a negative or non-finite `value_se`, a bad
/// level or a test that does not apply; `too_few` for a mean of a single answer.
///
/// ```
/// use cem_core::{compare_to, CompareOptions, IntervalOptions, Metric, Scale, Tally};
/// let mut counts = [0u64; 11];
/// counts[10] = 60; counts[7] = 20; counts[3] = 20; // NPS 40
/// let e = Metric::Nps.estimate(&Tally::from_counts(Scale::NPS, &counts).unwrap(), &IntervalOptions::default()).unwrap();
/// let c = compare_to(&e, 20.0, None, &CompareOptions::default()).unwrap();
/// assert!((c.difference - 20.0).abs() < 1e-9);
/// assert!(c.p_value < 0.05); // adjusted Wald: z ≈ 2.39
/// ```
pub fn compare_to(estimate: &Estimate, value: f64, value_se: Option<f64>, opts: &CompareOptions) -> Result<Comparison> {
    check_level(opts.level)?;
    let family = estimate.metric.family();
    let method = Test::choose(opts.method, Test::one_sample(family))?;
    let (min, max) = match family {
        Family::Net => (-100.0, 100.0),
        Family::Proportion => (0.0, 100.0),
        Family::Mean => (estimate.scale.min() as f64, estimate.scale.max() as f64),
    };
    if !(value.is_finite() && value >= min && value <= max) {
        return Err(CemError::param(
            "value",
            Short(value),
            &format!("a benchmark for this metric lies in {}..={}", Short(min), Short(max)),
        ));
    }
    let se_b = value_se.unwrap_or(0.0);
    if !(se_b.is_finite() && se_b >= 0.0) {
        return Err(CemError::param("value_se", Short(se_b), "must be finite and not negative"));
    }
    let z = z_crit(opts.level);
    let u = unit(family);
    let (b, sb) = (value / u, se_b / u);
    let difference = estimate.value - value;
    // Symmetric interval around `centre` with standard error `se`.
    let symmetric = |centre: f64, se: f64| (u * (centre - z * se), u * (centre + z * se), ratio(centre, se), None);
    // MOVER: the estimate's own interval (in fractions) combined with B ± z·SE_B.
    let mover = |theta: f64, lo: f64, hi: f64| {
        let d = theta - b;
        (
            u * (d - ((theta - lo).powi(2) + (z * sb).powi(2)).sqrt()),
            u * (d + ((hi - theta).powi(2) + (z * sb).powi(2)).sqrt()),
        )
    };
    let (lower, upper, statistic, df) = match (family, method) {
        (Family::Net, Test::Score) => {
            let [d, m, p] = estimate.net_counts().unwrap_or_default();
            let n = d + m + p;
            let theta = (p - d) / n;
            let io = IntervalOptions { level: opts.level, ..Default::default() };
            let (lo, hi) = interval::net([d, m, p], &io, Method::Score);
            let (l, h) = mover(theta, lo, hi);
            // Tango's z, with the benchmark's own variance added to the restricted one.
            let var0 = interval::tango_null_variance(d, m, p, b);
            (l, h, ratio(theta - b, (var0 + sb * sb).sqrt()), None)
        }
        (Family::Net, _) => {
            let extra = if method == Test::AdjustedWald { ROCKS } else { [0.0; 3] };
            let (theta, var) = adjusted_net(estimate.net_counts().unwrap_or_default(), extra);
            let var = if method == Test::Wald { (estimate.standard_error.unwrap_or(0.0) / u).powi(2) } else { var };
            symmetric(theta - b, (var + sb * sb).sqrt())
        }
        (Family::Proportion, _) => {
            let (x, n) = proportion_counts(estimate);
            let p = x / n;
            if method == Test::Wald {
                symmetric(p - b, (p * (1.0 - p) / n + sb * sb).sqrt())
            } else {
                let (lo, hi) = interval::proportion(x, n, opts.level, Method::Wilson);
                let (l, h) = mover(p, lo, hi);
                (l, h, ratio(p - b, (b * (1.0 - b) / n + sb * sb).sqrt()), None)
            }
        }
        (Family::Mean, _) => {
            let (m, v, n) = mean_parts(estimate)?;
            let se = (v + sb * sb).sqrt();
            if value_se.is_some() {
                symmetric(m - b, se)
            } else {
                let tc = t_ppf(0.5 + opts.level / 2.0, n - 1.0);
                (m - b - tc * se, m - b + tc * se, ratio(m - b, se), Some(n - 1.0))
            }
        }
    };
    let sf = |x: f64| match df {
        Some(df) => t_sf(x, df),
        None => norm_sf(x),
    };
    Ok(Comparison {
        difference,
        interval: DifferenceInterval { lower, upper, level: opts.level },
        statistic,
        df,
        p_value: opts.alternative.p_value(statistic, sf),
        alternative: opts.alternative,
        method,
    })
}
