//! The calibration-aware (linearised) standard error of a score from raked weights, for the whole
//! sample and per segment.
//!
//! Raked weights are not fixed: they were fitted to margins the population has exactly, so the part of a
//! score that the raking variables explain has no sampling error. A score ȳ_S = Σ_S wᵢyᵢ / Σ_S wᵢ over a
//! domain S (the sample, or a segment) is linearised as zᵢ = 1{i∈S}(yᵢ − ȳ_S) / Σ_S w; the residuals
//! eᵢ = zᵢ − xᵢᵀB of its regression on the indicators xᵢ of the raking variables' levels, weighted by the
//! base weights dᵢ (B = (Σ dᵢxᵢxᵢᵀ)⁻¹ Σ dᵢxᵢzᵢ), replace zᵢ in the variance of uᵢ = wᵢeᵢ:
//! V = n/(n−1) · Σ (uᵢ − ū)² (Deville & Särndal 1992, §4; the estimator of R `survey`'s `calibrate` with
//! `calfun = "raking"` followed by `svymean`, for a design of independent draws).
//!
//! A segment S against the rest R (the rows of every other segment) is the difference ȳ_S − ȳ_R, linearised
//! as one score zᵢ = 1{i∈S}(yᵢ − ȳ_S)/Σ_S w − 1{i∈R}(yᵢ − ȳ_R)/Σ_R w: the same residuals and variance give
//! its calibrated standard error, which counts the covariance of the two means that the shared raking
//! creates (as `svycontrast` of `svyby(..., covmat = TRUE)` in R `survey`); a Wald z test, and p-values
//! adjusted across the segments as `benchmark`'s are.
//!
//! Each row's xᵢ is its unit's (its cell's), so the regression runs on the units: a sweep of the rows
//! builds, per (unit, segment, answer point), the rows' count, Σd, Σw and Σw², and everything after costs
//! units × levels², not rows.

use std::collections::HashMap;

use serde::Serialize;

use super::{RakeColumn, RakeDiagnostics, Raking, RowUnits, MISSING};
use crate::error::Result;
use crate::inference::adjust::{adjust_pvalues, Correction};
use crate::inference::dist::{norm_sf, z_crit};
use crate::inference::interval::{Family, IntervalOptions};
use crate::score::metric::{Estimate, Metric};
use crate::score::scale::Scale;
use crate::score::tally::{check_len, point, Answer, Missing, Tally};

/// A score from raked weights: the estimate with the weights taken as fixed, and its calibration-aware
/// standard error with the Wald interval it gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RakedEstimate {
    /// The segment, or `None` for the whole sample.
    pub segment: Option<String>,
    /// The estimate from the raked weights as case weights (its standard error and interval treat the
    /// weights as fixed).
    pub estimate: Estimate,
    /// The calibration-aware linearised standard error (in the estimate's units); `None` for fewer than two
    /// rows.
    pub calibrated_standard_error: Option<f64>,
    /// value − z·calibrated_standard_error.
    pub calibrated_lower: Option<f64>,
    /// value + z·calibrated_standard_error.
    pub calibrated_upper: Option<f64>,
    /// The rest's value: the score of the rows in every other segment (`None` for the whole sample, or a
    /// segment without a rest).
    pub reference_value: Option<f64>,
    /// value − reference_value, the segment against the rest.
    pub difference: Option<f64>,
    /// The calibration-aware standard error of the difference (the difference linearised as one score).
    pub difference_standard_error: Option<f64>,
    /// difference − z·difference_standard_error.
    pub difference_lower: Option<f64>,
    /// difference + z·difference_standard_error.
    pub difference_upper: Option<f64>,
    /// The Wald statistic difference / difference_standard_error.
    pub statistic: Option<f64>,
    /// Its two-sided normal p-value.
    pub p_value: Option<f64>,
    /// The p-value adjusted across the tested segments (`correction`, default `holm`).
    pub adjusted_p_value: Option<f64>,
    /// adjusted_p_value < `alpha` (default 0.05).
    pub significant: bool,
}

/// Scores from raked weights with calibration-aware standard errors: the whole sample first, then each
/// segment in name order; and how raking went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RakedEstimates {
    /// The whole sample (`segment: null`), then one row per segment.
    pub rows: Vec<RakedEstimate>,
    /// How raking went.
    #[serde(flatten)]
    pub diagnostics: RakeDiagnostics,
}

/// The rows of one (unit, segment, answer point): count, Σd, Σw, Σw².
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    count: u64,
    d: f64,
    w: f64,
    w2: f64,
}

/// Scores of `answers` (with `segment`) under the weights of `raking` of the rows `fit`, with calibrated standard
/// errors, and each segment against its rest (tested as `tests` says).
///
/// # Errors
/// `length_mismatch`; those of answers on the metric's scale (under `missing`); `empty` for a domain
/// without answers.
#[allow(clippy::too_many_arguments)]
pub(crate) fn estimates<A: Answer>(
    fit: &RowUnits,
    raking: &Raking,
    base: Option<&[f64]>,
    metric: Metric,
    scale: Scale,
    answers: &[A],
    segment: Option<&RakeColumn>,
    missing: Missing,
    interval: &IntervalOptions,
    tests: RestTests,
) -> Result<RakedEstimates> {
    check_len("answers", fit.row_unit.len(), answers.len())?;
    if let Some(s) = segment {
        check_len("segment", fit.row_unit.len(), s.len())?;
    }
    // Per (unit, segment code, point) — MISSING for no segment or a skipped answer — the rows' sums.
    let mut index: HashMap<(u32, u32, u32), usize> = HashMap::new();
    let mut keys: Vec<(u32, u32, u32)> = Vec::new();
    let mut sums: Vec<Sums> = Vec::new();
    for (i, &a) in answers.iter().enumerate() {
        let k = point(scale, i, a, missing)?.map_or(MISSING, |k| k as u32);
        let u = fit.row_unit[i];
        if u == MISSING {
            continue; // a row skipped for a missing raking value: weight 0, outside the sample
        }
        let s = segment.map_or(MISSING, |s| s.codes[i]);
        let d = base.map_or(1.0, |b| b[i]);
        let w = raking.weights[i];
        let e = *index.entry((u, s, k)).or_insert_with(|| {
            keys.push((u, s, k));
            sums.push(Sums::default());
            sums.len() - 1
        });
        let e = &mut sums[e];
        e.count += 1;
        e.d += d;
        e.w += w;
        e.w2 += w * w;
    }
    // In key order, whatever the order of the rows.
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&e| keys[e]);
    let entries: Vec<((u32, u32, u32), Sums)> = order.iter().map(|&e| (keys[e], sums[e])).collect();

    let scores: Vec<f64> = (0..scale.points()).map(|k| metric.score(scale.value(k))).collect();
    let design = Design::new(fit);
    let n = raking.diagnostics.n as f64;
    let unit = if metric.family() == Family::Mean { 1.0 } else { 100.0 };
    let z = z_crit(interval.level);
    let points = scale.points();
    // The answered rows of the segment codes `inside`, per answer point: count, Σw, Σw².
    let tally_of = |inside: &dyn Fn(u32) -> bool| {
        let (mut counts, mut w, mut w2) = (vec![0u64; points], vec![0.0; points], vec![0.0; points]);
        for ((_, _, k), e) in entries.iter().filter(|((_, s, k), _)| *k != MISSING && inside(*s)) {
            let k = *k as usize;
            counts[k] += e.count;
            w[k] += e.w;
            w2[k] += e.w2;
        }
        (counts, w, w2)
    };
    // Σw and the weighted mean score of Σw per answer point.
    let mean_of = |w: &[f64]| {
        let total: f64 = w.iter().sum();
        (total, w.iter().zip(&scores).map(|(w, y)| w / total * y).sum::<f64>())
    };
    // The calibrated standard error of a score whose linearisation is `lin` of each (unit, segment, point).
    let calibrated = |lin: &dyn Fn(&(u32, u32, u32)) -> f64| -> Option<f64> {
        // The regression of z on the raking variables' levels, base-weighted, over the units.
        let mut rhs = vec![0.0; design.columns];
        for (key, e) in &entries {
            let zk = lin(key);
            if zk != 0.0 {
                for c in design.columns_of(key.0 as usize) {
                    rhs[c] += e.d * zk;
                }
            }
        }
        let beta = design.solve(&rhs);
        let fitted = |u: u32| design.columns_of(u as usize).map(|c| beta[c]).sum::<f64>();
        // u = w·(z − fitted).
        let (mut s1, mut s2) = (0.0, 0.0);
        for (key, e) in &entries {
            let r = lin(key) - fitted(key.0);
            s1 += e.w * r;
            s2 += e.w2 * r * r;
        }
        (n > 1.0).then(|| unit * (n / (n - 1.0) * (s2 - s1 * s1 / n)).max(0.0).sqrt())
    };
    let domain = |seg: Option<u32>| -> Result<RakedEstimate> {
        let inside = |s: u32| seg.is_none_or(|g| g == s);
        let (counts, w, w2) = tally_of(&inside);
        let estimate = metric.estimate(&Tally::from_weighted_counts(scale, &counts, &w, &w2)?, interval)?;
        let (total, mean) = mean_of(&w);
        // zᵢ = 1{i∈S}(yᵢ − ȳ_S)/Σ_S w.
        let z_of = |s: u32, k: u32| if k != MISSING && inside(s) { (scores[k as usize] - mean) / total } else { 0.0 };
        let se = calibrated(&|&(_, s, k)| z_of(s, k));
        let value = estimate.value;
        let mut row = RakedEstimate {
            segment: seg.map(|g| segment.map(|s| s.levels[g as usize].clone()).unwrap_or_default()),
            estimate,
            calibrated_standard_error: se,
            calibrated_lower: se.map(|se| value - z * se),
            calibrated_upper: se.map(|se| value + z * se),
            reference_value: None,
            difference: None,
            difference_standard_error: None,
            difference_lower: None,
            difference_upper: None,
            statistic: None,
            p_value: None,
            adjusted_p_value: None,
            significant: false,
        };
        // The segment against the rest (the rows of every other segment): ȳ_S − ȳ_R linearised as one
        // score, zᵢ = zᵢ^S − zᵢ^R, so its calibrated variance counts the covariance the shared raking gives.
        let Some(g) = seg else { return Ok(row) };
        let rest = |s: u32| s != MISSING && s != g;
        let (rest_total, rest_mean) = mean_of(&tally_of(&rest).1);
        if !(rest_total > 0.0) {
            return Ok(row);
        }
        let lin = |&(_, s, k): &(u32, u32, u32)| match k {
            MISSING => 0.0,
            _ if rest(s) => -(scores[k as usize] - rest_mean) / rest_total,
            _ => z_of(s, k),
        };
        let difference = unit * (mean - rest_mean);
        let se = calibrated(&lin);
        let statistic = se.filter(|&se| se > 0.0).map(|se| difference / se);
        row.reference_value = Some(unit * rest_mean);
        row.difference = Some(difference);
        row.difference_standard_error = se;
        row.difference_lower = se.map(|se| difference - z * se);
        row.difference_upper = se.map(|se| difference + z * se);
        row.statistic = statistic;
        row.p_value = statistic.map(|t| 2.0 * norm_sf(t.abs()));
        Ok(row)
    };
    let mut out = vec![domain(None)?];
    if let Some(s) = segment {
        // Segments with rows, in name order.
        let mut present: Vec<u32> = entries.iter().map(|((_, g, _), _)| *g).filter(|&g| g != MISSING).collect();
        present.sort_unstable();
        present.dedup();
        present.sort_by(|&a, &b| s.levels[a as usize].cmp(&s.levels[b as usize]));
        for g in present {
            out.push(domain(Some(g))?);
        }
    }
    // The segments tested against their rest are one family.
    let tested: Vec<usize> = (0..out.len()).filter(|&i| out[i].p_value.is_some()).collect();
    let raw: Vec<f64> = tested.iter().filter_map(|&i| out[i].p_value).collect();
    for (&i, adjusted) in tested.iter().zip(adjust_pvalues(&raw, tests.correction)?) {
        out[i].adjusted_p_value = Some(adjusted);
        out[i].significant = adjusted < tests.alpha;
    }
    Ok(RakedEstimates { rows: out, diagnostics: raking.diagnostics.clone() })
}

/// How segments are tested against their rest: the multiplicity correction across them and the level of
/// `significant`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RestTests {
    pub(crate) correction: Correction,
    pub(crate) alpha: f64,
}

/// The raking variables' levels as regression columns: an intercept, then each variable's levels but
/// its first (reference coding), with the base-weighted normal equations Σ_u D_u x_u x_uᵀ factored once.
struct Design<'a> {
    fit: &'a RowUnits,
    /// Each variable's first column (its level 1; level 0 is the reference).
    offsets: Vec<usize>,
    columns: usize,
    /// LDLᵀ of the normal equations, row-major; a zero pivot marks a column the others span.
    lower: Vec<f64>,
    pivots: Vec<f64>,
}

impl<'a> Design<'a> {
    fn new(fit: &'a RowUnits) -> Design<'a> {
        let mut offsets = Vec::new();
        let mut columns = 1;
        for &l in &fit.level_counts {
            offsets.push(columns);
            columns += l.saturating_sub(1);
        }
        let mut d = Design { fit, offsets, columns, lower: vec![0.0; columns * columns], pivots: vec![0.0; columns] };
        let mut a = vec![0.0; columns * columns];
        for u in 0..fit.units.len() {
            let cols: Vec<usize> = d.columns_of(u).collect();
            for &i in &cols {
                for &j in &cols {
                    a[i * columns + j] += fit.units.sum[u];
                }
            }
        }
        d.factor(&a);
        d
    }

    /// The columns of unit `u`'s indicators: the intercept and each variable's level but the first.
    fn columns_of(&self, u: usize) -> impl Iterator<Item = usize> + '_ {
        let vars = self.fit.units.vars;
        let levels = &self.fit.units.levels[u * vars..(u + 1) * vars];
        std::iter::once(0)
            .chain(levels.iter().zip(&self.offsets).filter(|(&l, _)| l > 0).map(|(&l, &o)| o + l as usize - 1))
    }

    /// LDLᵀ without pivoting; a pivot below 1e-10 of its column's diagonal is a column the earlier ones
    /// span (levels that always occur together, or a level without rows): it is dropped, which leaves the
    /// fitted values — all the variance needs — unchanged.
    fn factor(&mut self, a: &[f64]) {
        let p = self.columns;
        for j in 0..p {
            let mut pivot = a[j * p + j];
            for k in 0..j {
                pivot -= self.lower[j * p + k] * self.lower[j * p + k] * self.pivots[k];
            }
            if !(pivot > 1e-10 * a[j * p + j]) {
                continue; // pivot 0, column j of L stays 0
            }
            self.pivots[j] = pivot;
            self.lower[j * p + j] = 1.0;
            for i in j + 1..p {
                let mut v = a[i * p + j];
                for k in 0..j {
                    v -= self.lower[i * p + k] * self.lower[j * p + k] * self.pivots[k];
                }
                self.lower[i * p + j] = v / pivot;
            }
        }
    }

    /// B with (Σ D_u x_u x_uᵀ) B = rhs, 0 for dropped columns.
    fn solve(&self, rhs: &[f64]) -> Vec<f64> {
        let p = self.columns;
        let mut y = rhs.to_vec();
        for i in 0..p {
            for k in 0..i {
                y[i] -= self.lower[i * p + k] * y[k];
            }
        }
        for (yi, &pivot) in y.iter_mut().zip(&self.pivots) {
            *yi = if pivot > 0.0 { *yi / pivot } else { 0.0 };
        }
        for i in (0..p).rev() {
            for k in i + 1..p {
                y[i] -= self.lower[k * p + i] * y[k];
            }
            if self.pivots[i] == 0.0 {
                y[i] = 0.0;
            }
        }
        y
    }
}
