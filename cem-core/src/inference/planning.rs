//! Planning a survey: how many responses a margin of error needs, and what difference a sample can detect.
//!
//! NPS uses the adjusted-Wald variance V = p + d − (p − d)² of Sauro & Lewis (*Quantifying the User
//! Experience*, 2nd ed., 2016, ch. 5 & 7), which gives n = z²V/E² − 3; proportions the Wald variance
//! p(1 − p); means σ². Shares and margins are in the metric's unit (percent, points, scale units).
//!
//! Shares are percentages: 40 means 40%. A share given as a fraction (0.4 for 40%) would plan for 0.4%
//! and answer silently wrong (23 responses instead of 2,388 for 40%/20% at ±3), so shares all strictly inside 0
//! and 1 are refused (`invalid_parameter`, naming the share and the percentage it probably meant). The
//! price: planning for shares that really are all below 1% is refused too; round them up to 1.

use crate::error::{CemError, Result, Short};
use crate::inference::dist::{norm_ppf, z_crit};
use crate::inference::interval::check_level;

fn check_share(name: &str, share: f64) -> Result<f64> {
    if !(0.0..=100.0).contains(&share) {
        return Err(CemError::param(name, Short(share), "a share is a percentage in [0, 100]"));
    }
    Ok(share / 100.0)
}

/// The confidence level planning uses when the caller gives none (the bindings' default; as estimates').
///
/// ```
/// let n = cem_core::nps_responses_needed(50.0, 20.0, 5.0, cem_core::PLANNING_LEVEL).unwrap();
/// assert_eq!(n, 935);
/// ```
pub const PLANNING_LEVEL: f64 = 0.95;

/// The significance level of the detectable-difference functions when the caller gives none.
///
/// ```
/// assert_eq!(cem_core::PLANNING_ALPHA, 0.05);
/// ```
pub const PLANNING_ALPHA: f64 = 0.05;

/// The power of the detectable-difference functions when the caller gives none.
///
/// ```
/// assert_eq!(cem_core::PLANNING_POWER, 0.8);
/// ```
pub const PLANNING_POWER: f64 = 0.8;

/// Refuses shares that all lie strictly inside (0, 1): fractions given where percentages are read.
fn check_not_fractions(shares: &[(&str, f64)]) -> Result<()> {
    let fraction = |s: f64| s > 0.0 && s < 1.0;
    let positive: Vec<_> = shares.iter().filter(|(_, s)| *s != 0.0).collect();
    match positive.first() {
        Some((name, share)) if positive.iter().all(|(_, s)| fraction(*s)) => Err(CemError::param(
            name,
            Short(*share),
            &format!(
                "looks like a fraction: shares are percentages in [0, 100] (for {p}% pass {p}); shares all below 1% \
                 are refused as fractions",
                p = Short(share * 100.0)
            ),
        )),
        _ => Ok(()),
    }
}

fn check_positive(name: &str, v: f64) -> Result<f64> {
    if !(v.is_finite() && v > 0.0) {
        return Err(CemError::param(name, Short(v), "must be positive and finite"));
    }
    Ok(v)
}

fn nps_variance(promoter_share: f64, detractor_share: f64) -> Result<f64> {
    let (p, d) = (check_share("promoter_share", promoter_share)?, check_share("detractor_share", detractor_share)?);
    check_not_fractions(&[("promoter_share", promoter_share), ("detractor_share", detractor_share)])?;
    if p + d > 1.0 + 1e-12 {
        return Err(CemError::param(
            "detractor_share",
            Short(detractor_share),
            "promoters and detractors together exceed 100%",
        ));
    }
    Ok(p + d - (p - d) * (p - d))
}

fn whole(n: f64) -> u64 {
    n.ceil().max(1.0) as u64
}

/// Responses needed for an NPS margin of error `margin` (points) at `level`, expecting the given
/// promoter and detractor shares (percent): n = z²V/E² − 3, at least 1.
///
/// # Errors
/// `invalid_parameter` for shares outside [0, 100] or summing above 100, shares that look like fractions
/// (all strictly between 0 and 1), a non-positive margin, a bad level.
///
/// ```
/// // Expecting 50% promoters and 20% detractors, ±5 points at 95%:
/// assert_eq!(cem_core::nps_responses_needed(50.0, 20.0, 5.0, 0.95).unwrap(), 935);
/// // 40% and 20% as fractions are refused, not planned as 0.4% and 0.2%:
/// let e = cem_core::nps_responses_needed(0.4, 0.2, 3.0, 0.95).unwrap_err();
/// assert_eq!((e.code(), e.to_string().contains("pass 40")), ("invalid_parameter", true));
/// ```
pub fn nps_responses_needed(promoter_share: f64, detractor_share: f64, margin: f64, level: f64) -> Result<u64> {
    check_level(level)?;
    let e = check_positive("margin", margin)? / 100.0;
    let v = nps_variance(promoter_share, detractor_share)?;
    Ok(whole(z_crit(level).powi(2) * v / (e * e) - 3.0))
}

/// Responses needed for a proportion (CSAT %, box %) margin of error `margin` (percent) at `level`,
/// expecting `share` (percent): n = z²p(1 − p)/E², at least 1.
///
/// # Errors
/// `invalid_parameter` for a share outside [0, 100] or strictly between 0 and 1 (a fraction, not a
/// percentage), a non-positive margin, a bad level.
///
/// ```
/// assert_eq!(cem_core::proportion_responses_needed(50.0, 5.0, 0.95).unwrap(), 385);
/// assert!(cem_core::proportion_responses_needed(0.5, 5.0, 0.95).is_err()); // 0.5 is 50% as a fraction
/// ```
pub fn proportion_responses_needed(share: f64, margin: f64, level: f64) -> Result<u64> {
    check_level(level)?;
    let e = check_positive("margin", margin)? / 100.0;
    let p = check_share("share", share)?;
    check_not_fractions(&[("share", share)])?;
    Ok(whole(z_crit(level).powi(2) * p * (1.0 - p) / (e * e)))
}

/// Responses needed for a mean's margin of error `margin` (scale units) at `level`, expecting standard
/// deviation `sd`: n = (zσ/E)², at least 1.
///
/// # Errors
/// `invalid_parameter` for a non-positive sd or margin, a bad level.
///
/// ```
/// assert_eq!(cem_core::mean_responses_needed(1.5, 0.1, 0.95).unwrap(), 865);
/// ```
pub fn mean_responses_needed(sd: f64, margin: f64, level: f64) -> Result<u64> {
    check_level(level)?;
    let (s, e) = (check_positive("sd", sd)?, check_positive("margin", margin)?);
    Ok(whole((z_crit(level) * s / e).powi(2)))
}

fn power_z(alpha: f64, power: f64) -> Result<f64> {
    check_level(alpha)
        .map_err(|_| CemError::param("alpha", Short(alpha), "must be strictly between 0 and 1, e.g. 0.05"))?;
    check_level(power)
        .map_err(|_| CemError::param("power", Short(power), "must be strictly between 0 and 1, e.g. 0.8"))?;
    Ok(norm_ppf(1.0 - alpha / 2.0) + norm_ppf(power))
}

/// Smallest NPS difference (points) between two groups of `n` responses each that a two-sided test at
/// `alpha` detects with probability `power`: (z₁₋α/₂ + z_power)·√(2V/n).
///
/// # Errors
/// `invalid_parameter` for a non-positive n, bad shares, alpha or power outside (0, 1).
///
/// ```
/// let d = cem_core::nps_detectable_difference(400.0, 50.0, 20.0, 0.05, 0.8).unwrap();
/// assert!((d - 15.47).abs() < 0.01);
/// ```
pub fn nps_detectable_difference(
    n: f64,
    promoter_share: f64,
    detractor_share: f64,
    alpha: f64,
    power: f64,
) -> Result<f64> {
    let n = check_positive("n", n)?;
    let v = nps_variance(promoter_share, detractor_share)?;
    Ok(100.0 * power_z(alpha, power)? * (2.0 * v / n).sqrt())
}

/// Smallest difference of proportions (percentage points) between two groups of `n` each that a
/// two-sided test at `alpha` detects with probability `power`: (z₁₋α/₂ + z_power)·√(2p(1 − p)/n).
///
/// # Errors
/// `invalid_parameter` for a non-positive n, a share outside [0, 100], alpha or power outside (0, 1).
///
/// ```
/// let d = cem_core::proportion_detectable_difference(400.0, 80.0, 0.05, 0.8).unwrap();
/// assert!((d - 7.92).abs() < 0.01);
/// ```
pub fn proportion_detectable_difference(n: f64, share: f64, alpha: f64, power: f64) -> Result<f64> {
    let n = check_positive("n", n)?;
    let p = check_share("share", share)?;
    check_not_fractions(&[("share", share)])?;
    Ok(100.0 * power_z(alpha, power)? * (2.0 * p * (1.0 - p) / n).sqrt())
}
