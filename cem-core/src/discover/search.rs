//! The search: every slice up to the depth, the size filter that fixes the family, each slice against its
//! rest, the correction over the family, and each significant slice against the rest of its parents.

use std::collections::BTreeMap;

use super::cube::{self, combinations, decode, encode, Table, Units};
use super::input::Read;
use super::options::{Show, MAX_CANDIDATES};
use super::{Discovery, DiscoverySummary, SliceRow};
use crate::error::{CemError, Result};
use crate::inference::adjust::{adjust_pvalues, Correction};
use crate::inference::interval::IntervalOptions;
use crate::inference::resample::SplitMix64;
use crate::order::argsort;
use crate::score::compare::{compare, Alternative, CompareOptions};
use crate::score::metric::Metric;
use crate::score::tally::Tally;
use crate::segments::benchmark::rest_of;
use crate::segments::reference::Side;

/// The most rows × permutations × counted combinations one permutation bound may take (a few seconds).
pub(crate) const MAX_PERMUTATION_WORK: u64 = 2_000_000_000;

/// What a search needs beyond the rows.
pub(crate) struct Setup {
    pub(crate) metric: Metric,
    pub(crate) interval: IntervalOptions,
    pub(crate) compare: CompareOptions,
    pub(crate) correction: Correction,
    pub(crate) alpha: f64,
    pub(crate) min_n: u64,
    pub(crate) depth: usize,
    pub(crate) show: Show,
    pub(crate) limit: Option<usize>,
    pub(crate) permutations: Option<u32>,
    pub(crate) seed: u64,
}

/// A slice of the family: its attributes (ascending), their value codes, and its cell in their table.
struct Candidate {
    attrs: Vec<usize>,
    codes: Vec<u32>,
    cell: usize,
}

/// The tables and names a search reads slices from.
struct Space<'a> {
    read: &'a Read,
    tables: BTreeMap<Vec<usize>, Table>,
}

impl Space<'_> {
    fn points(&self) -> usize {
        self.read.units.scale.points()
    }

    fn tally(&self, attrs: &[usize], cell: usize) -> Tally {
        self.tables[attrs].tally(self.read.units.scale, cell)
    }

    /// `region=East & channel=phone`, attributes in the order given.
    fn describe(&self, attrs: &[usize], codes: &[u32]) -> String {
        let parts: Vec<String> = attrs
            .iter()
            .zip(codes)
            .map(|(&a, &c)| format!("{}={}", self.read.names[a], self.read.values[a][c as usize]))
            .collect();
        parts.join(" & ")
    }

    /// The parents of a slice (one condition dropped): their attributes and codes.
    fn parents(attrs: &[usize], codes: &[u32]) -> Vec<(Vec<usize>, Vec<u32>)> {
        (0..attrs.len()).map(|j| (without(attrs, j), without(codes, j))).collect()
    }
}

/// `v` without its element `j`.
fn without<T: Copy>(v: &[T], j: usize) -> Vec<T> {
    v.iter().enumerate().filter(|&(i, _)| i != j).map(|(_, x)| *x).collect()
}

/// Every candidate slice counted: the most cells one search may hold, checked before counting.
fn check_size(cards: &[usize], depth: usize) -> Result<()> {
    let total: usize = (1..=depth)
        .flat_map(|size| combinations(cards.len(), size))
        .map(|attrs| cube::cells(cards, &attrs))
        .fold(0usize, |t, c| t.saturating_add(c));
    if total > MAX_CANDIDATES {
        return Err(CemError::param(
            "depth",
            depth,
            &format!(
                "{} attributes with up to {} values each give {total} candidate slices up to depth {depth}, more than \
                 the {MAX_CANDIDATES} one search counts: lower depth, name fewer attributes, or lower max_values \
                 (bin the columns with many values, or fold their rarest into \"other\")",
                cards.len(),
                cards.iter().max().copied().unwrap_or(0)
            ),
        ));
    }
    Ok(())
}

/// Runs the search on the units read.
pub(crate) fn search(read: &Read, s: &Setup) -> Result<Discovery> {
    let units = &read.units;
    let depth = s.depth.min(units.cards.len());
    check_size(&units.cards, depth)?;
    let space = Space { read, tables: cube::tables(units, depth, None) };
    let p = space.points();
    let total = space.tally(&[], 0);
    let overall = s.metric.estimate(&total, &s.interval)?;
    let (all_n, all_w) = (total.n(), total.total_weight());
    let min_n = s.min_n.max(1);

    // The family: fixed by sizes alone, before any score is read.
    let (mut evaluated, mut collapsed) = (0usize, 0usize);
    let mut family = Vec::new();
    for size in 1..=depth {
        for attrs in combinations(units.cards.len(), size) {
            let t = &space.tables[&attrs];
            for cell in 0..cube::cells(&units.cards, &attrs) {
                let n = t.n(p, cell);
                if n == 0 {
                    continue;
                }
                evaluated += 1;
                let w = t.weight(p, cell);
                if n < min_n || all_n - n < min_n || !(w > 0.0) || !(all_w - w > 0.0) {
                    continue;
                }
                let codes = decode(&units.cards, &attrs, cell);
                // The same cover as a parent (every answer of the parent is in the slice): the shorter
                // description stands for both.
                let same_cover = Space::parents(&attrs, &codes)
                    .iter()
                    .any(|(pa, pc)| !pa.is_empty() && space.tables[pa].n(p, encode(&units.cards, pa, pc)) == n);
                if same_cover {
                    collapsed += 1;
                    continue;
                }
                family.push(Candidate { attrs: attrs.clone(), codes, cell });
            }
        }
    }

    let copts = &s.compare;
    let mut rows = Vec::with_capacity(family.len());
    let mut statistics = Vec::with_capacity(family.len());
    for c in &family {
        let slice = space.tally(&c.attrs, c.cell);
        let rest = rest_of(&total, &slice);
        let (e, r) = (s.metric.estimate(&slice, &s.interval)?, s.metric.estimate(&rest, &s.interval)?);
        let cmp = compare(&e, &r, copts)?;
        statistics.push(cmp.statistic);
        let share = 100.0 * slice.total_weight() / all_w;
        rows.push(SliceRow {
            slice: space.describe(&c.attrs, &c.codes),
            conditions: c
                .attrs
                .iter()
                .zip(&c.codes)
                .map(|(&a, &v)| (read.names[a].clone(), read.values[a][v as usize].clone()))
                .collect(),
            depth: c.attrs.len(),
            n: slice.n(),
            effective_n: slice.effective_n(),
            share,
            value: e.value,
            lower: e.interval.lower,
            upper: e.interval.upper,
            rest_value: r.value,
            difference: cmp.difference,
            difference_lower: cmp.interval.lower,
            difference_upper: cmp.interval.upper,
            statistic: cmp.statistic,
            p_value: cmp.p_value,
            adjusted_p_value: 1.0,
            significant: false,
            side: Side::of(cmp.difference),
            impact: cmp.difference * share / 100.0,
            productive: false,
            explained_by: None,
            rank: 0,
        });
    }

    let raw: Vec<f64> = rows.iter().map(|r| r.p_value).collect();
    let adjusted = match s.permutations {
        Some(b) => westfall_young(&space, &family, &statistics, &total, b, s)?,
        None => adjust_pvalues(&raw, s.correction)?,
    };
    for (r, a) in rows.iter_mut().zip(adjusted) {
        r.adjusted_p_value = a;
        r.significant = a < s.alpha;
    }

    // Redundancy: a significant slice is productive when it also differs, the same way, from the rest of
    // each parent; otherwise the parent that explains it is named.
    for (r, c) in rows.iter_mut().zip(&family) {
        if !r.significant {
            continue;
        }
        let slice = space.tally(&c.attrs, c.cell);
        let e = s.metric.estimate(&slice, &s.interval)?;
        let mut worst: Option<(f64, String)> = None;
        for (pa, pc) in Space::parents(&c.attrs, &c.codes).into_iter().filter(|(pa, _)| !pa.is_empty()) {
            let parent = space.tally(&pa, encode(&units.cards, &pa, &pc));
            let rest = rest_of(&parent, &slice);
            let p_value = if rest.n() < min_n || !(rest.total_weight() > 0.0) {
                1.0
            } else {
                let cmp = compare(&e, &s.metric.estimate(&rest, &s.interval)?, copts)?;
                if Side::of(cmp.difference) == r.side {
                    cmp.p_value
                } else {
                    1.0
                }
            };
            if p_value >= s.alpha && worst.as_ref().is_none_or(|(w, _)| p_value > *w) {
                worst = Some((p_value, space.describe(&pa, &pc)));
            }
        }
        r.productive = worst.is_none();
        r.explained_by = worst.map(|(_, d)| d);
    }

    // Ranks as a benchmark's: adjusted p, then |impact|; then the order of the search.
    let order = argsort(rows.len(), &|a, b| {
        rows[a]
            .adjusted_p_value
            .total_cmp(&rows[b].adjusted_p_value)
            .then(rows[b].impact.abs().total_cmp(&rows[a].impact.abs()))
    });
    for (rank, &i) in order.iter().enumerate() {
        rows[i].rank = rank + 1;
    }
    let count = |f: &dyn Fn(&SliceRow) -> bool| rows.iter().filter(|r| f(r)).count();
    let summary = DiscoverySummary {
        m: rows.len(),
        evaluated,
        collapsed,
        significantly_above: count(&|r| r.significant && r.side == Side::Above),
        significantly_below: count(&|r| r.significant && r.side == Side::Below),
        productive: count(&|r| r.productive),
        correction: match s.permutations {
            Some(_) => "westfall_young".to_string(),
            None => s.correction.name().to_string(),
        },
        permutations: s.permutations,
        alpha: s.alpha,
        depth,
        min_n: s.min_n,
        skipped: read.skipped,
        reason: rows.is_empty().then(|| {
            format!(
                "no slice up to depth {depth} has both it and its rest at min_n = {} answers or more ({all_n} answers \
                 in all): lower min_n or the depth, or add rows",
                s.min_n
            )
        }),
    };
    let shown: Vec<SliceRow> = order
        .into_iter()
        .map(|i| rows[i].clone())
        .filter(|r| match s.show {
            Show::All => true,
            Show::Significant => r.significant,
            Show::Productive => r.productive,
        })
        .take(s.limit.unwrap_or(usize::MAX))
        .collect();
    Ok(Discovery { metric: s.metric, attributes: read.names.clone(), overall, rows: shown, summary })
}

/// A statistic oriented so that larger is more extreme under the alternative.
fn extremity(statistic: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::TwoSided => statistic.abs(),
        Alternative::Greater => statistic,
        Alternative::Less => -statistic,
    }
}

/// Westfall–Young single-step max-T adjusted p-values: the answers are permuted across rows `b` times
/// (seeded), every slice of the family retested each time, and p̃ = (1 + #{b: max_T |T|⁽ᵇ⁾ ≥ |t|}) / (B + 1).
fn westfall_young(
    space: &Space<'_>,
    family: &[Candidate],
    observed: &[f64],
    total: &Tally,
    b: u32,
    s: &Setup,
) -> Result<Vec<f64>> {
    let units: &Units = &space.read.units;
    if units.sums.is_some() {
        return Err(CemError::param(
            "permutations",
            b,
            "the permutation bound holds for unweighted data only; use a correction (holm) with weights",
        ));
    }
    if family.is_empty() {
        return Ok(Vec::new());
    }
    let rows = units.expanded();
    let depth = s.depth.min(units.cards.len());
    let work = (rows.len() as u64)
        .saturating_mul(u64::from(b))
        .saturating_mul(combinations(units.cards.len(), depth).len() as u64);
    if work > MAX_PERMUTATION_WORK {
        return Err(CemError::param(
            "permutations",
            b,
            &format!(
                "{} rows × {b} permutations × the combinations counted is more than one search takes; use fewer \
                 permutations or a correction (holm)",
                rows.len()
            ),
        ));
    }
    let alt = s.compare.alternative;
    let mut points = rows.points.clone();
    let mut rng = SplitMix64::new(s.seed);
    let mut maxima = Vec::with_capacity(b as usize);
    for _ in 0..b {
        // Fisher–Yates, each index drawn by multiply-shift from 64 random bits.
        for i in (1..points.len()).rev() {
            let j = ((u128::from(rng.next_u64()) * (i as u128 + 1)) >> 64) as usize;
            points.swap(i, j);
        }
        let tables = cube::tables(&rows, depth, Some(&points));
        let mut max = f64::NEG_INFINITY;
        for c in family {
            let slice = tables[&c.attrs].tally(units.scale, c.cell);
            let rest = rest_of(total, &slice);
            let e = s.metric.estimate(&slice, &s.interval)?;
            let r = s.metric.estimate(&rest, &s.interval)?;
            max = max.max(extremity(compare(&e, &r, &s.compare)?.statistic, alt));
        }
        maxima.push(max);
    }
    Ok(observed
        .iter()
        .map(|&t| {
            let t = extremity(t, alt);
            let exceed = maxima.iter().filter(|&&m| m >= t).count();
            (1 + exceed) as f64 / (f64::from(b) + 1.0)
        })
        .collect())
}
