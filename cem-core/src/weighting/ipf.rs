//! Iterative proportional fitting over units — the observed cells of the raking variables' levels (with
//! trimming of unequal base weights, a cell and a base weight) — each carrying its rows' count, Σd and
//! Σd². Raking never needs the rows: a sweep is O(units × variables), however many rows there are.

use super::margins::Targets;
use crate::error::{CemError, Result, Short};

/// The sample as raking sees it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Units {
    /// Number of raking variables.
    pub(crate) vars: usize,
    /// Each unit's level (an index into the targets' levels) of each variable, unit after unit.
    pub(crate) levels: Vec<u32>,
    /// Rows of positive base weight in each unit.
    pub(crate) count: Vec<f64>,
    /// Σd, the base weights' sum, per unit.
    pub(crate) sum: Vec<f64>,
    /// Σd² per unit.
    pub(crate) sum_sq: Vec<f64>,
}

impl Units {
    pub(crate) fn len(&self) -> usize {
        self.count.len()
    }

    fn level(&self, u: usize, v: usize) -> usize {
        self.levels[u * self.vars + v] as usize
    }

    /// The weight of each row of unit `u` before any factor: its mean base weight (exact when the unit's
    /// rows share one base weight, which trimming requires).
    pub(crate) fn row_weight(&self, u: usize) -> f64 {
        if self.count[u] > 0.0 {
            self.sum[u] / self.count[u]
        } else {
            0.0
        }
    }
}

/// How far to fit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) tolerance: f64,
    pub(crate) max_sweeps: u32,
    /// Bounds on each row's weight (absolute).
    pub(crate) trim: Option<(f64, f64)>,
}

/// The fitted factors and how the fit went.
#[derive(Debug, Clone)]
pub(crate) struct Fit {
    pub(crate) factors: Vec<f64>,
    pub(crate) sweeps: u32,
    /// Sweeps in which a weight was held at a trimming bound.
    pub(crate) trim_cycles: u32,
    /// Units whose weight ends at a trimming bound.
    pub(crate) trimmed: Vec<bool>,
    /// Per variable, the weight per level.
    pub(crate) achieved: Vec<Vec<f64>>,
    pub(crate) max_error: f64,
    /// (variable, level) of the largest margin error.
    pub(crate) worst: (usize, usize),
}

/// Refuses levels that raking cannot fit: a positive target with no weight, or weight at a zero target.
pub(crate) fn check_levels(units: &Units, t: &Targets) -> Result<()> {
    let achieved = achieved(units, t, &vec![1.0; units.len()]);
    for (v, name) in t.names.iter().enumerate() {
        for (l, level) in t.levels[v].iter().enumerate() {
            let (target, have) = (t.values[v][l], achieved[v][l]);
            if target > 0.0 && !(have > 0.0) {
                return Err(CemError::Raking {
                    code: "level_without_rows",
                    index: None,
                    value: Some(t.given[v][l]),
                    reason: format!(
                        "margin {name}={level} has a target of {} but no rows (of positive base weight); no weights can \
                         reach it: collect answers there, merge the level with a neighbour in the margins, or drop it \
                         from the margins and rescale the others",
                        Short(t.given[v][l])
                    ),
                });
            }
            if target == 0.0 && have > 0.0 {
                return Err(CemError::Raking {
                    code: "zero_target",
                    index: None,
                    value: Some(0.0),
                    reason: format!(
                        "margin {name}={level} has a target of 0 but the sample has rows there (base weight {}); drop \
                         those rows first, or give the level its share of the population",
                        Short(have)
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Sweeps until the margin error is within the tolerance: each sweep scales, variable after variable,
/// every unit's factor by its level's target over its level's weight (Deming & Stephan 1940). With
/// trimming bounds, each level's step instead finds the one ratio r for which the level's weights, each
/// clipped to its bounds, meet the target — Σ_u Σd_u·clamp(f_u·r, lo/d̄_u, hi/d̄_u) = T — so trimming
/// happens inside the loop and the weights that are not at a bound are raked again.
pub(crate) fn fit(units: &Units, t: &Targets, s: &Settings) -> Result<Fit> {
    let mut f: Vec<f64> = vec![1.0; units.len()];
    // Each unit's factor bounds: the weight bounds over its rows' base weight.
    let bounds: Option<Vec<(f64, f64)>> = s.trim.map(|(lo, hi)| {
        (0..units.len())
            .map(|u| match units.row_weight(u) {
                d if d > 0.0 => (lo / d, hi / d),
                _ => (0.0, f64::INFINITY),
            })
            .collect()
    });
    if let Some(b) = &bounds {
        for (fu, &(lo, hi)) in f.iter_mut().zip(b) {
            *fu = fu.clamp(lo, hi);
        }
    }
    let mut sweeps = 0;
    let mut trim_cycles = 0;
    let mut members: Vec<Vec<Vec<usize>>> = Vec::new();
    if bounds.is_some() {
        members = t.levels.iter().map(|l| vec![Vec::new(); l.len()]).collect();
        for u in 0..units.len() {
            for (v, m) in members.iter_mut().enumerate() {
                m[units.level(u, v)].push(u);
            }
        }
    }
    loop {
        let achieved = achieved(units, t, &f);
        let (error, worst) = margin_error(t, &achieved);
        if error <= s.tolerance {
            let at_bound = |u: usize| bounds.as_ref().is_some_and(|b| f[u] <= b[u].0 || f[u] >= b[u].1);
            let trimmed = (0..units.len()).map(|u| units.count[u] > 0.0 && at_bound(u)).collect();
            return Ok(Fit { factors: f, sweeps, trim_cycles, trimmed, achieved, max_error: error, worst });
        }
        if sweeps == s.max_sweeps {
            return Err(not_converged(units, t, &achieved, error, worst, sweeps, s.trim));
        }
        match &bounds {
            None => sweep(units, t, &mut f),
            Some(b) => {
                if sweep_bounded(units, t, &members, b, &mut f)? {
                    trim_cycles += 1;
                }
            }
        }
        sweeps += 1;
    }
}

/// One sweep of plain raking.
fn sweep(units: &Units, t: &Targets, f: &mut [f64]) {
    let mut weight: Vec<f64> = Vec::new();
    for v in 0..units.vars {
        weight.clear();
        weight.resize(t.levels[v].len(), 0.0);
        for u in 0..units.len() {
            weight[units.level(u, v)] += f[u] * units.sum[u];
        }
        // A level with no weight has a zero target (checked before): nothing to scale.
        let ratio: Vec<f64> =
            weight.iter().zip(&t.values[v]).map(|(&w, &target)| if w > 0.0 { target / w } else { 1.0 }).collect();
        for (u, fu) in f.iter_mut().enumerate() {
            *fu *= ratio[units.level(u, v)];
        }
    }
}

/// One sweep of raking within bounds; whether a weight was held at a bound.
///
/// # Errors
/// `infeasible_trim` when a level's target lies beyond its weights all at their bounds.
fn sweep_bounded(
    units: &Units,
    t: &Targets,
    members: &[Vec<Vec<usize>>],
    bounds: &[(f64, f64)],
    f: &mut [f64],
) -> Result<bool> {
    let mut held = false;
    for (v, levels) in members.iter().enumerate() {
        for (l, us) in levels.iter().enumerate() {
            let target = t.values[v][l];
            if us.is_empty() || target == 0.0 {
                continue;
            }
            let r = bounded_ratio(us.iter().map(|&u| (units.sum[u], f[u], bounds[u].0, bounds[u].1)), target)
                .ok_or_else(|| {
                    let reach: (f64, f64) = us.iter().fold((0.0, 0.0), |(a, b), &u| {
                        (a + units.sum[u] * bounds[u].0, b + units.sum[u] * bounds[u].1)
                    });
                    CemError::Raking {
                        code: "infeasible_trim",
                        index: None,
                        value: Some(target),
                        reason: format!(
                            "margin {}={} needs weight {} but its rows, each within the trimming bounds, weigh between \
                             {} and {}; widen the bounds",
                            t.names[v],
                            t.levels[v][l],
                            Short(target),
                            Short(reach.0),
                            Short(reach.1)
                        ),
                    }
                })?;
            for &u in us {
                let (lo, hi) = bounds[u];
                let x = f[u] * r;
                held |= units.count[u] > 0.0 && (x < lo || x > hi);
                f[u] = x.clamp(lo, hi);
            }
        }
    }
    Ok(held)
}

/// The ratio r with Σ m·clamp(f·r, lo, hi) = target over a level's units (m, f, lo, hi): g(r) is
/// continuous, non-decreasing and piecewise linear, so walk its breakpoints in order. `None` if no r
/// reaches the target.
fn bounded_ratio(units: impl Iterator<Item = (f64, f64, f64, f64)>, target: f64) -> Option<f64> {
    // Below r = lo/f a unit stays at lo; between, it moves as m·f·r; above r = hi/f it stays at hi.
    let mut constant = 0.0; // Σ m·lo of the units below their first breakpoint, then Σ m·hi of those above
    let mut events: Vec<(f64, f64, f64)> = Vec::new(); // (r, change in slope, change in constant)
    for (m, f, lo, hi) in units {
        if !(m > 0.0) {
            continue;
        }
        if !(f > 0.0) {
            constant += m * lo; // a zero factor stays at its lower bound whatever r
            continue;
        }
        constant += m * lo;
        events.push((lo / f, m * f, -m * lo));
        if hi.is_finite() {
            events.push((hi / f, -m * f, m * hi));
        }
    }
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut slope = 0.0;
    if constant >= target {
        // Every unit at its lower bound already reaches the target: only an exact fit is possible.
        return (constant == target).then_some(events.first().map_or(1.0, |e| e.0));
    }
    for (at, dslope, dconst) in events {
        // On [r, at] the level weighs constant + slope·x.
        if slope > 0.0 && constant + slope * at >= target {
            return Some((target - constant) / slope);
        }
        slope += dslope;
        constant += dconst;
    }
    (slope > 0.0).then(|| (target - constant) / slope)
}

/// Per variable, the weight per level under factors `f`.
fn achieved(units: &Units, t: &Targets, f: &[f64]) -> Vec<Vec<f64>> {
    let mut a: Vec<Vec<f64>> = t.levels.iter().map(|l| vec![0.0; l.len()]).collect();
    for u in 0..units.len() {
        let w = f[u] * units.sum[u];
        for (v, av) in a.iter_mut().enumerate() {
            av[units.level(u, v)] += w;
        }
    }
    a
}

/// max |achieved / target − 1| over the levels with a positive target, and where it is.
fn margin_error(t: &Targets, achieved: &[Vec<f64>]) -> (f64, (usize, usize)) {
    let mut worst = (0.0, (0, 0));
    for (v, (targets, have)) in t.values.iter().zip(achieved).enumerate() {
        for (l, (&target, &a)) in targets.iter().zip(have).enumerate() {
            if target > 0.0 {
                let e = (a / target - 1.0).abs();
                // NaN (an overflow) counts as the worst error, never as converged.
                if !(e <= worst.0) {
                    worst = (e, (v, l));
                }
            }
        }
    }
    worst
}

/// The error for margins not met within `max_sweeps`: the worst margin, and the empty cells (pairs of
/// its level with another variable's levels that no row has) that can make it unreachable.
fn not_converged(
    units: &Units,
    t: &Targets,
    achieved: &[Vec<f64>],
    error: f64,
    (v, l): (usize, usize),
    sweeps: u32,
    trim: Option<(f64, f64)>,
) -> CemError {
    // Every pair of levels (of two variables, both with a positive target) that no row has; those with
    // the worst margin's variable first.
    let mut empty = Vec::new();
    let mut order: Vec<usize> = (0..units.vars).collect();
    order.sort_by_key(|&a| a != v);
    for (i, &a) in order.iter().enumerate() {
        for &b in &order[i + 1..] {
            let mut seen = vec![false; t.levels[a].len() * t.levels[b].len()];
            for u in (0..units.len()).filter(|&u| units.sum[u] > 0.0) {
                seen[units.level(u, a) * t.levels[b].len() + units.level(u, b)] = true;
            }
            for (k, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
                let (la, lb) = (k / t.levels[b].len(), k % t.levels[b].len());
                if t.values[a][la] > 0.0 && t.values[b][lb] > 0.0 {
                    let (na, nb) = (&t.names[a], &t.names[b]);
                    empty.push(format!("{na}={} × {nb}={}", t.levels[a][la], t.levels[b][lb]));
                }
            }
        }
    }
    let cells = match empty.len() {
        0 => "no pair of levels is empty, so the margins may only be slow to meet: raise max_sweeps".into(),
        n => {
            let shown = empty.iter().take(10).cloned().collect::<Vec<_>>().join(", ");
            let more = if n > 10 { format!(" and {} more", n - 10) } else { String::new() };
            format!(
                "these cells have no rows, which can make it unreachable: {shown}{more}; merge levels or drop a \
                 variable"
            )
        }
    };
    let trimming = match trim {
        Some((lo, hi)) => {
            format!("; with trimming bounds [{}, {}] the margins may be out of reach: widen them", Short(lo), Short(hi))
        }
        None => String::new(),
    };
    CemError::Raking {
        // With weights held at trimming bounds, the bounds are what keeps the margins out of reach.
        code: if trim.is_some() { "infeasible_trim" } else { "not_converged" },
        index: None,
        value: Some(error),
        reason: format!(
            "raking did not meet the margins in {sweeps} sweeps: the worst is {}={}, weighted to {} against a target \
             of {} (off by {}); {cells}{trimming}",
            t.names[v],
            t.levels[v][l],
            Short(achieved[v][l]),
            Short(t.values[v][l]),
            Short(error)
        ),
    }
}
