//! The counts behind a discovery: rows (or the groups of a counts cube) encoded once as one code per
//! attribute, then one table of counts per attribute combination — cells × scale points — from which
//! every slice's tally is read.
//!
//! Only the combinations of the largest size (the depth) are counted from the rows, one scatter pass
//! each; every smaller combination is the sum of a larger one over an attribute (marginalising), which
//! costs the size of a table, not of the rows. So the work is linear in rows: (attributes choose depth)
//! passes of a few bytes per row.

use std::collections::BTreeMap;

use crate::score::scale::Scale;
use crate::score::tally::{Tally, WeightSums};

/// What a discovery counts: per unit (a row, or a group of a counts cube) a code per attribute, its
/// scale point, and how many answers it holds with their weight sums.
pub(crate) struct Units {
    pub(crate) scale: Scale,
    /// Distinct values per attribute.
    pub(crate) cards: Vec<usize>,
    /// Per attribute, each unit's value code (< its card).
    pub(crate) codes: Vec<Vec<u32>>,
    /// Each unit's scale point (index from the scale's minimum).
    pub(crate) points: Vec<u16>,
    /// Each unit's answers (a counts cube's counts); `None`: one each (rows).
    pub(crate) counts: Option<Vec<u64>>,
    /// Each unit's Σw and Σw², when weighted.
    pub(crate) sums: Option<(Vec<f64>, Vec<f64>)>,
}

impl Units {
    pub(crate) fn len(&self) -> usize {
        self.points.len()
    }

    /// The units as rows of one answer each, in order (a cube's group of c answers becomes c rows):
    /// what a permutation of the answers shuffles. Unweighted units only.
    pub(crate) fn expanded(&self) -> Units {
        let Some(counts) = &self.counts else {
            return Units {
                scale: self.scale,
                cards: self.cards.clone(),
                codes: self.codes.clone(),
                points: self.points.clone(),
                counts: None,
                sums: None,
            };
        };
        let take = |v: &[u32]| -> Vec<u32> {
            v.iter().zip(counts).flat_map(|(&x, &c)| std::iter::repeat_n(x, c as usize)).collect()
        };
        Units {
            scale: self.scale,
            cards: self.cards.clone(),
            codes: self.codes.iter().map(|c| take(c)).collect(),
            points: self.points.iter().zip(counts).flat_map(|(&p, &c)| std::iter::repeat_n(p, c as usize)).collect(),
            counts: None,
            sums: None,
        }
    }
}

/// Counts per (cell, point) of one attribute combination; cell = Σ code·stride, the first attribute
/// varying slowest (so cells come in the order of their value codes).
#[derive(Clone)]
pub(crate) struct Table {
    /// The attributes, ascending.
    pub(crate) attrs: Vec<usize>,
    pub(crate) counts: Vec<u64>,
    pub(crate) sums: Option<WeightSums>,
}

impl Table {
    /// The tally of cell `cell`.
    pub(crate) fn tally(&self, scale: Scale, cell: usize) -> Tally {
        let p = scale.points();
        let range = cell * p..(cell + 1) * p;
        let weights = self.sums.as_ref().map(|s| s.slice(range.clone()).to_vecs());
        Tally::from_parts(scale, self.counts[range].to_vec(), weights)
    }

    /// Answers in cell `cell`.
    pub(crate) fn n(&self, points: usize, cell: usize) -> u64 {
        self.counts[cell * points..(cell + 1) * points].iter().sum()
    }

    /// Σw of cell `cell` (its answers when unweighted).
    pub(crate) fn weight(&self, points: usize, cell: usize) -> f64 {
        match &self.sums {
            Some(s) => s.sum[cell * points..(cell + 1) * points].iter().sum(),
            None => self.n(points, cell) as f64,
        }
    }
}

/// The number of cells of a combination.
pub(crate) fn cells(cards: &[usize], attrs: &[usize]) -> usize {
    attrs.iter().map(|&a| cards[a]).product()
}

/// The codes of a cell of `attrs` (one per attribute, in `attrs` order).
pub(crate) fn decode(cards: &[usize], attrs: &[usize], mut cell: usize) -> Vec<u32> {
    let mut codes = vec![0u32; attrs.len()];
    for (j, &a) in attrs.iter().enumerate().rev() {
        codes[j] = (cell % cards[a]) as u32;
        cell /= cards[a];
    }
    codes
}

/// The cell of `codes` (one per attribute of `attrs`).
pub(crate) fn encode(cards: &[usize], attrs: &[usize], codes: &[u32]) -> usize {
    attrs.iter().zip(codes).fold(0, |cell, (&a, &c)| cell * cards[a] + c as usize)
}

/// The table of `attrs` counted from the units, with `points` in place of the units' own when given (a
/// permutation of the answers).
pub(crate) fn count(units: &Units, attrs: &[usize], points: Option<&[u16]>) -> Table {
    let p = units.scale.points();
    let n_cells = cells(&units.cards, attrs);
    let mut counts = vec![0u64; n_cells * p];
    let mut strides = vec![0usize; attrs.len()];
    let mut s = p;
    for (j, &a) in attrs.iter().enumerate().rev() {
        strides[j] = s;
        s *= units.cards[a];
    }
    let pts = points.unwrap_or(&units.points);
    let cols: Vec<&[u32]> = attrs.iter().map(|&a| units.codes[a].as_slice()).collect();
    // The bin of unit i: Σ code·stride (stride already × points) + point. Loops by combination size so
    // the inner loop has no loop of its own (the measured hot path: about 1.5 ns a row).
    let bin = |i: usize| -> usize {
        let mut b = pts[i] as usize;
        for (c, s) in cols.iter().zip(&strides) {
            b += c[i] as usize * s;
        }
        b
    };
    let mut sums = units.sums.as_ref().map(|_| WeightSums::zeros(n_cells * p));
    match (&units.counts, &units.sums, &mut sums) {
        (None, None, _) => match cols.as_slice() {
            [a] => pts.iter().zip(*a).for_each(|(&k, &x)| counts[x as usize * strides[0] + k as usize] += 1),
            [a, b] => {
                for ((&k, &x), &y) in pts.iter().zip(*a).zip(*b) {
                    counts[x as usize * strides[0] + y as usize * strides[1] + k as usize] += 1;
                }
            }
            [a, b, c] => {
                for (((&k, &x), &y), &z) in pts.iter().zip(*a).zip(*b).zip(*c) {
                    counts[x as usize * strides[0] + y as usize * strides[1] + z as usize * strides[2] + k as usize] +=
                        1;
                }
            }
            _ => (0..pts.len()).for_each(|i| counts[bin(i)] += 1),
        },
        (c, w, s) => {
            for i in 0..pts.len() {
                let at = bin(i);
                counts[at] += c.as_ref().map_or(1, |c| c[i]);
                if let (Some((sw, sq)), Some(s)) = (w, s.as_mut()) {
                    s.sum[at] += sw[i];
                    s.sum_sq[at] += sq[i];
                }
            }
        }
    }
    Table { attrs: attrs.to_vec(), counts, sums }
}

/// The table of `t`'s attributes but `drop` (one of them): its cells summed over that attribute.
pub(crate) fn marginalise(t: &Table, cards: &[usize], points: usize, drop: usize) -> Table {
    let j = t.attrs.iter().position(|&a| a == drop).unwrap_or(0);
    let attrs: Vec<usize> = t.attrs.iter().copied().filter(|&a| a != drop).collect();
    // Cells as (outer, dropped, inner) with inner × points contiguous.
    let inner: usize = t.attrs[j + 1..].iter().map(|&a| cards[a]).product::<usize>() * points;
    let k = cards[drop];
    let outer = t.counts.len() / (inner * k).max(1);
    let mut counts = vec![0u64; outer * inner];
    let mut sums = t.sums.as_ref().map(|_| WeightSums::zeros(outer * inner));
    for o in 0..outer {
        for d in 0..k {
            let from = (o * k + d) * inner;
            for x in 0..inner {
                counts[o * inner + x] += t.counts[from + x];
            }
            if let (Some(s), Some(ts)) = (sums.as_mut(), t.sums.as_ref()) {
                for x in 0..inner {
                    s.sum[o * inner + x] += ts.sum[from + x];
                    s.sum_sq[o * inner + x] += ts.sum_sq[from + x];
                }
            }
        }
    }
    Table { attrs, counts, sums }
}

/// Every combination of 0..`n` attributes of size `size`, in lexicographic order.
pub(crate) fn combinations(n: usize, size: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut c: Vec<usize> = (0..size).collect();
    if size > n {
        return out;
    }
    loop {
        out.push(c.clone());
        // The rightmost position that can still move right.
        let Some(i) = (0..size).rev().find(|&i| c[i] < n - size + i) else { return out };
        c[i] += 1;
        for j in i + 1..size {
            c[j] = c[j - 1] + 1;
        }
    }
}

/// The tables of every combination of at most `depth` attributes (the empty one is the total): the
/// largest counted from the units (with `points` when given), the others marginalised from one of them.
pub(crate) fn tables(units: &Units, depth: usize, points: Option<&[u16]>) -> BTreeMap<Vec<usize>, Table> {
    let n = units.cards.len();
    let top = depth.min(n);
    let p = units.scale.points();
    let mut out = BTreeMap::new();
    // The largest combinations, each one pass over the units, shared among threads (integer counts, and
    // each table's weight sums added in row order by one thread: the same tables however many threads).
    let combos = combinations(n, top);
    let threads = crate::parallel::threads(units.len().saturating_mul(combos.len()), 0);
    let parts = crate::parallel::split(combos.len(), threads, |range| {
        range.map(|i| count(units, &combos[i], points)).collect::<Vec<Table>>()
    });
    for t in parts.into_iter().flatten() {
        out.insert(t.attrs.clone(), t);
    }
    for size in (0..top).rev() {
        for attrs in combinations(n, size) {
            // A superset one size up: these attributes and the first attribute not among them.
            let extra = (0..n).find(|a| !attrs.contains(a)).unwrap_or(0);
            let mut sup = attrs.clone();
            sup.push(extra);
            sup.sort_unstable();
            let t = marginalise(&out[&sup], &units.cards, p, extra);
            out.insert(attrs, t);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Units {
        Units {
            scale: Scale::CSAT,
            cards: vec![2, 3, 2],
            codes: vec![vec![0, 1, 1, 0, 1], vec![2, 0, 1, 2, 2], vec![1, 1, 0, 0, 1]],
            points: vec![4, 0, 3, 4, 2],
            counts: None,
            sums: None,
        }
    }

    #[test]
    fn combinations_come_in_lexicographic_order() {
        assert_eq!(combinations(4, 2), vec![vec![0, 1], vec![0, 2], vec![0, 3], vec![1, 2], vec![1, 3], vec![2, 3]]);
        assert_eq!(combinations(3, 0), vec![Vec::<usize>::new()]);
        assert!(combinations(2, 3).is_empty());
    }

    #[test]
    fn a_marginalised_table_equals_the_one_counted_from_rows() {
        let u = units();
        let all = tables(&u, 3, None);
        for (attrs, t) in &all {
            let direct = count(&u, attrs, None);
            assert_eq!(t.counts, direct.counts, "{attrs:?}");
        }
        assert_eq!(all[&vec![]].counts, vec![1, 0, 1, 1, 2]);
        // Cell (a=1, c=1): rows 1 and 4, points 0 and 2.
        let t = &all[&vec![0, 2]];
        assert_eq!(t.tally(Scale::CSAT, encode(&u.cards, &[0, 2], &[1, 1])).counts(), &[1, 0, 1, 0, 0]);
        assert_eq!(decode(&u.cards, &[0, 1, 2], encode(&u.cards, &[0, 1, 2], &[1, 2, 0])), vec![1, 2, 0]);
    }

    #[test]
    fn a_cube_expands_to_its_rows() {
        let mut u = units();
        u.counts = Some(vec![2, 0, 1, 1, 3]);
        let e = u.expanded();
        assert_eq!(e.len(), 7);
        assert_eq!(count(&u, &[1], None).counts, count(&e, &[1], None).counts);
    }
}
