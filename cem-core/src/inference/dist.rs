//! Distribution functions, wrapped so that no argument can reach a panicking path in `statrs`.
//!
//! Callers validate their parameters (levels in (0, 1), positive shapes); these wrappers clamp the
//! probabilities they pass on, so a rounding slip can never become a panic.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};
use statrs::function::beta::beta_reg as statrs_beta_reg;

fn clamp01(p: f64) -> f64 {
    if p.is_nan() {
        0.5
    } else {
        p.clamp(0.0, 1.0)
    }
}

/// Standard normal quantile.
pub(crate) fn norm_ppf(p: f64) -> f64 {
    Normal::standard().inverse_cdf(clamp01(p))
}

/// Standard normal survival function, accurate in the far tail.
pub(crate) fn norm_sf(x: f64) -> f64 {
    Normal::standard().sf(x)
}

/// Two-sided critical value z_{1-(1-level)/2}.
pub(crate) fn z_crit(level: f64) -> f64 {
    norm_ppf(0.5 + level / 2.0)
}

/// Student t quantile with `df` degrees of freedom (df > 0).
pub(crate) fn t_ppf(p: f64, df: f64) -> f64 {
    // Beyond 1e7 degrees of freedom t and the normal agree to ~1e-8, and statrs' inversion loses digits.
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) if df < 1e7 => t.inverse_cdf(clamp01(p)),
        _ => norm_ppf(p),
    }
}

/// Student t survival function.
pub(crate) fn t_sf(x: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) if df < 1e7 => t.sf(x),
        _ => norm_sf(x),
    }
}

/// Beta quantile, by bisection on the regularised incomplete beta function (bounded work for any
/// shapes: statrs' own inversion never returns for some, e.g. Beta(60171.5, 0.5), found by fuzzing).
pub(crate) fn beta_ppf(p: f64, a: f64, b: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite()) {
        return f64::NAN;
    }
    let p = clamp01(p);
    bisect(0.0, 1.0, |x| beta_reg(a, b, x) - p)
}

/// Regularised incomplete beta I_x(a, b).
pub(crate) fn beta_reg(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if x >= 1.0 {
        1.0
    } else {
        statrs_beta_reg(a, b, x)
    }
}

/// Finds x in [lo, hi] with f(x) = 0 by bisection, for f increasing (f(lo) ≤ 0 ≤ f(hi)).
/// Bisection rather than Newton: the functions here are monotone but not always smooth at the ends.
pub(crate) fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) <= 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}
