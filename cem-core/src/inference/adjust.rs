//! Multiple-testing corrections: when fifty segments are tested at once, some look significant by chance.
//!
//! Adjusted p-values as statsmodels `multipletests` computes them. The default is Holm (step-down
//! Bonferroni): it controls the family-wise error rate under any dependence and is never less powerful
//! than Bonferroni. Note statsmodels' own default is Holm–Šidák; ours is Holm.

use crate::error::{CemError, Result, Short};
use crate::order::argsort;

crate::vocabulary::vocabulary! {
    /// A p-value adjustment method; statsmodels' spellings (`fdr_bh`, `fdr_by`, `simes-hochberg`) are
    /// accepted too.
    ///
    /// ```
    /// assert_eq!(cem_core::Correction::BenjaminiHochberg.name(), "benjamini_hochberg");
    /// assert_eq!("fdr_bh".parse::<cem_core::Correction>().unwrap(), cem_core::Correction::BenjaminiHochberg);
    /// ```
    #[derive(Default)]
    pub enum Correction as "correction" {
        /// Holm (1979) step-down: p̃₍ᵢ₎ = maxⱼ≤ᵢ min(1, (m − j + 1) p₍ⱼ₎).
        #[default]
        Holm = "holm",
        /// Bonferroni: min(1, m·p).
        Bonferroni = "bonferroni",
        /// Hochberg (1988) step-up: p̃₍ᵢ₎ = minⱼ≥ᵢ min(1, (m − j + 1) p₍ⱼ₎).
        Hochberg = "hochberg" | "simes-hochberg",
        /// Benjamini–Hochberg (1995) false discovery rate: minⱼ≥ᵢ min(1, m p₍ⱼ₎ / j).
        BenjaminiHochberg = "benjamini_hochberg" | "fdr_bh",
        /// Benjamini–Yekutieli (2001) FDR under any dependence: BH times Σ₁ᵐ 1/k.
        BenjaminiYekutieli = "benjamini_yekutieli" | "fdr_by",
        /// No adjustment.
        None = "none",
    }
}

/// Adjusted p-values, in the order given.
///
/// # Errors
/// `invalid_parameter` naming the index of a p-value that is NaN or outside [0, 1].
///
/// ```
/// use cem_core::{adjust_pvalues, Correction};
/// let adj = adjust_pvalues(&[0.01, 0.04, 0.03], Correction::Holm).unwrap();
/// assert_eq!(adj, vec![0.03, 0.06, 0.06]);
/// ```
pub fn adjust_pvalues(pvalues: &[f64], correction: Correction) -> Result<Vec<f64>> {
    for (i, &p) in pvalues.iter().enumerate() {
        if !(0.0..=1.0).contains(&p) {
            return Err(CemError::param(&format!("pvalues[{i}]"), Short(p), "a p-value lies in [0, 1]"));
        }
    }
    let m = pvalues.len();
    let mf = m as f64;
    let order = argsort(m, &|a, b| pvalues[a].total_cmp(&pvalues[b]));
    let sorted: Vec<f64> = order.iter().map(|&i| pvalues[i]).collect();
    let by_factor: f64 = (1..=m).map(|k| 1.0 / k as f64).sum();
    let mut adj: Vec<f64> = match correction {
        Correction::None => sorted.clone(),
        Correction::Bonferroni => sorted.iter().map(|p| p * mf).collect(),
        Correction::Holm => running(sorted.iter().enumerate().map(|(j, p)| (mf - j as f64) * p), f64::max),
        Correction::Hochberg => running_from_top(sorted.iter().enumerate().map(|(j, p)| (mf - j as f64) * p)),
        Correction::BenjaminiHochberg => {
            running_from_top(sorted.iter().enumerate().map(|(j, p)| mf * p / (j + 1) as f64))
        }
        Correction::BenjaminiYekutieli => {
            running_from_top(sorted.iter().enumerate().map(|(j, p)| by_factor * mf * p / (j + 1) as f64))
        }
    };
    adj.iter_mut().for_each(|p| *p = p.min(1.0));
    let mut out = vec![0.0; m];
    for (rank, &i) in order.iter().enumerate() {
        out[i] = adj[rank];
    }
    Ok(out)
}

/// Running accumulation from the smallest p-value up.
fn running(values: impl Iterator<Item = f64>, f: fn(f64, f64) -> f64) -> Vec<f64> {
    let mut acc = f64::NEG_INFINITY;
    values
        .map(|v| {
            acc = f(acc, v);
            acc
        })
        .collect()
}

/// Running minimum from the largest p-value down (the step-up procedures).
fn running_from_top(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    for i in (0..v.len().saturating_sub(1)).rev() {
        v[i] = v[i].min(v[i + 1]);
    }
    v
}
