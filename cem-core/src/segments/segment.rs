//! Segment tallies: one tally per segment (region, channel, touchpoint, month…) built in one pass.
//!
//! Counts live in one flat array, segments × scale points, so the pass over the rows is a scatter into
//! `counts[segment · points + answer]` — the only O(rows) work in segment benchmarking; everything after
//! it is closed-form on counts. Segments are named by string keys; rows carry either integer codes into
//! a list of names (the fast path: pandas/Arrow categoricals, warehouse group ids) or the keys
//! themselves, which are interned once. Keys are kept sorted, so two segment tallies holding the same
//! counts are equal however the rows arrived, and merging is associative and commutative.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result};
use crate::order::{argsort, permute};
use crate::parallel;
use crate::score::scale::Scale;
use crate::score::tally::{all_on_scale, check_len, check_weight, point, Answer, Missing, Tally, WeightSums};

/// An integer segment code: an index into the list of segment names; a negative code (pandas' −1 for
/// a missing category) is a missing key.
pub trait Code: Copy + Ord + Sync + std::hash::Hash + std::fmt::Display {
    /// The code as an index; negative codes map past any list.
    fn index(self) -> usize;
    /// Whether the code stands for a missing key.
    fn is_missing(self) -> bool;
    /// The largest code as an index; `None` if there are none or any is missing. One pass, which the
    /// compiler vectorises (two min/max reductions in one loop).
    fn largest(codes: &[Self]) -> Option<usize> {
        let (&first, _) = codes.split_first()?;
        let (lo, hi) = codes.iter().fold((first, first), |(lo, hi), &c| (lo.min(c), hi.max(c)));
        (!lo.is_missing()).then(|| hi.index())
    }
}

macro_rules! code {
    // What every integer type shares (u32 adds its SIMD `largest` below).
    (@common) => {
        #[inline]
        fn index(self) -> usize {
            // Through isize: a negative code becomes a usize past isize::MAX, past any list, by a plain
            // sign extension (no test and select in the counting loop, ≈ 25% of its time for i32 codes).
            isize::try_from(self).map_or(usize::MAX, |i| i as usize)
        }
        #[inline]
        #[allow(unused_comparisons)]
        fn is_missing(self) -> bool {
            self < 0
        }
    };
    ($($t:ty),*) => {$(
        impl Code for $t {
            code!(@common);
        }
    )*};
}
code!(u8, u16, u64, i8, i16, i32, i64);

// The codes JavaScript passes (a Uint32Array): their largest by SIMD on wasm32 (see kernel.rs).
impl Code for u32 {
    code!(@common);
    fn largest(codes: &[u32]) -> Option<usize> {
        crate::score::kernel::largest_u32(codes).map(|m| m.index())
    }
}

/// A segment key as given: a name, or `None` for a missing key (null, None, NaN), which is refused
/// with `invalid_segment` rather than counted under a name like "null".
pub trait Key {
    /// The key's name, or `None` if it is missing.
    fn name(&self) -> Option<&str>;
}

impl Key for str {
    fn name(&self) -> Option<&str> {
        Some(self)
    }
}
impl Key for String {
    fn name(&self) -> Option<&str> {
        Some(self)
    }
}
impl<K: Key + ?Sized> Key for &K {
    fn name(&self) -> Option<&str> {
        (**self).name()
    }
}
impl<K: Key> Key for Option<K> {
    fn name(&self) -> Option<&str> {
        self.as_ref().and_then(Key::name)
    }
}

/// Codes and names of keys given as strings (`None` a missing key, refused naming its row).
pub(crate) fn intern_keys<K: Key>(keys: &[K]) -> Result<(Vec<u32>, Vec<&str>)> {
    intern(keys.iter().enumerate().map(|(i, k)| k.name().ok_or_else(|| missing_key(i))))
}

/// The largest of whole-number keys when they can index a list of names directly: none missing and the
/// largest below n + 1024 (n rows), so a few large ids do not make a name for every number below them.
pub(crate) fn direct_range<C: Code>(numbers: &[C]) -> Option<usize> {
    direct_range_on(numbers, parallel::threads(numbers.len(), 1))
}

/// [`direct_range`] with the largest number found on `threads` threads (a reduction: the same answer).
fn direct_range_on<C: Code>(numbers: &[C], threads: usize) -> Option<usize> {
    let parts = parallel::split(numbers.len(), threads, |r| C::largest(&numbers[r]));
    // `None` from any part (a missing number) is `None` for all.
    let largest = parts.into_iter().try_fold(None, |m: Option<usize>, p| p.map(|p| m.max(Some(p))))?;
    largest.filter(|&m| m < numbers.len().saturating_add(1024))
}

/// Codes and names of keys given as whole numbers, interned, each named by its decimal form (for numbers
/// outside a [`direct_range`], which are read in place).
pub(crate) fn intern_numbers<C: Code>(numbers: &[C]) -> Result<(Vec<u32>, Vec<String>)> {
    let (codes, distinct) = intern(numbers.iter().map(|&c| Ok(c)))?;
    Ok((codes, distinct.iter().map(C::to_string).collect()))
}

/// The error for a row whose segment key is missing.
pub(crate) fn missing_key(index: usize) -> CemError {
    CemError::InvalidSegment {
        index,
        value: "null".into(),
        reason: "the segment key is missing (null, None, NaN or a blank CSV cell); drop those rows or give them a \
                 segment such as \"unknown\""
            .into(),
    }
}

/// Interning: a code per item (its position among the distinct items, in order of first appearance) and
/// the distinct items; the first error stops it.
pub(crate) fn intern<T: Copy + Eq + std::hash::Hash>(
    items: impl Iterator<Item = Result<T>>,
) -> Result<(Vec<u32>, Vec<T>)> {
    let mut distinct = Vec::new();
    let mut index: HashMap<T, u32> = HashMap::new();
    let codes = items
        .map(|item| {
            let item = item?;
            Ok(*index.entry(item).or_insert_with(|| {
                distinct.push(item);
                (distinct.len() - 1) as u32
            }))
        })
        .collect::<Result<_>>()?;
    Ok((codes, distinct))
}

/// Tallies per segment on one scale.
///
/// ```
/// use cem_core::{Missing, Scale, SegmentTally};
/// let mut s = SegmentTally::new(Scale::NPS);
/// s.update_keys(&["north", "south", "north"], &[10u8, 3, 9], None, Missing::Error).unwrap();
/// assert_eq!(s.keys(), &["north", "south"]);
/// assert_eq!(s.segment("north").unwrap().n(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "SegmentData", into = "SegmentData")]
pub struct SegmentTally {
    scale: Scale,
    keys: Vec<String>,
    /// segments × points.
    counts: Vec<u64>,
    /// Summed weights and squared weights, segments × points, when weighted.
    weights: Option<WeightSums>,
    skipped: u64,
}

/// Serialized form: one tally per key.
#[derive(Serialize, Deserialize)]
struct SegmentData {
    scale: Scale,
    segments: Vec<(String, Tally)>,
    #[serde(default)]
    skipped: u64,
}

impl From<SegmentTally> for SegmentData {
    fn from(s: SegmentTally) -> Self {
        let segments = s.keys.iter().enumerate().map(|(i, k)| (k.clone(), s.tally_at(i))).collect();
        SegmentData { scale: s.scale, segments, skipped: s.skipped }
    }
}

impl TryFrom<SegmentData> for SegmentTally {
    type Error = CemError;
    fn try_from(d: SegmentData) -> Result<Self> {
        let mut s = SegmentTally::from_rows(d.scale, d.segments)?;
        s.skipped = d.skipped;
        Ok(s)
    }
}

impl SegmentTally {
    /// An empty segment tally on `scale`.
    ///
    /// ```
    /// assert!(cem_core::SegmentTally::new(cem_core::Scale::NPS).keys().is_empty());
    /// ```
    pub fn new(scale: Scale) -> SegmentTally {
        SegmentTally { scale, keys: Vec::new(), counts: Vec::new(), weights: None, skipped: 0 }
    }

    /// A segment tally from pre-aggregated counts: one key and one row of per-point counts each.
    ///
    /// # Errors
    /// `length_mismatch` if keys and rows differ in number or a row has not one count per point;
    /// `invalid_segment` for a repeated key.
    ///
    /// ```
    /// use cem_core::{Scale, SegmentTally};
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["a", "b"], &[vec![1, 0, 0, 0, 4], vec![2, 2, 0, 0, 1]]).unwrap();
    /// assert_eq!(s.segment("b").unwrap().n(), 5);
    /// ```
    pub fn from_counts<K: AsRef<str>>(scale: Scale, keys: &[K], counts: &[Vec<u64>]) -> Result<SegmentTally> {
        check_len("counts", keys.len(), counts.len())?;
        let mut seen = std::collections::HashSet::new();
        let mut rows = Vec::with_capacity(keys.len());
        for (i, (key, row)) in keys.iter().zip(counts).enumerate() {
            if !seen.insert(key.as_ref()) {
                return Err(CemError::InvalidSegment {
                    index: i,
                    value: key.as_ref().to_string(),
                    reason: "each key may appear once in pre-aggregated counts".into(),
                });
            }
            rows.push((key.as_ref().to_string(), Tally::from_counts(scale, row)?));
        }
        SegmentTally::from_rows(scale, rows)
    }

    /// Adds rows whose segment is given by integer `codes` into `names` (code `c` is segment `names[c]`),
    /// the fast path for categorical columns. On error nothing is added.
    ///
    /// # Errors
    /// Those of [`Tally::update`], plus `invalid_segment` for a code with no name and `length_mismatch`.
    ///
    /// ```
    /// use cem_core::{Missing, Scale, SegmentTally};
    /// let mut s = SegmentTally::new(Scale::CSAT);
    /// s.update_codes(&[0, 1, 1], &["web", "app"], &[5u8, 4, 1], None, Missing::Error).unwrap();
    /// assert_eq!(s.segment("app").unwrap().counts(), &[1, 0, 0, 1, 0]);
    /// ```
    pub fn update_codes<C: Code, K: AsRef<str>, A: Answer>(
        &mut self,
        codes: &[C],
        names: &[K],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        self.update_codes_on(None, codes, names, answers, weights, missing)
    }

    /// [`SegmentTally::update_codes`] on exactly `threads` threads (at most one per row), whatever the
    /// input's size: for benchmarks and tests of the split. Use `update_codes`, which picks the threads.
    #[doc(hidden)]
    pub fn update_codes_threads<C: Code, K: AsRef<str>, A: Answer>(
        &mut self,
        threads: usize,
        codes: &[C],
        names: &[K],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        self.update_codes_on(Some(threads), codes, names, answers, weights, missing)
    }

    /// `update_codes` on `threads` threads, or as many as [`parallel::threads`] picks (`None`).
    fn update_codes_on<C: Code, K: AsRef<str>, A: Answer>(
        &mut self,
        threads: Option<usize>,
        codes: &[C],
        names: &[K],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        check_len("segments", answers.len(), codes.len())?;
        if let Some(w) = weights {
            check_len("weights", answers.len(), w.len())?;
        }
        let points = self.scale.points();
        let segments = names.len();
        let mut sums = weights.map(|_| WeightSums::zeros(segments * points));
        let mut skipped = 0u64;
        // Fast path for integer answers without weights: one pass over blocks of rows, each block's
        // answers validated by their bounds (a vectorised fold) and its codes by the row's bin falling
        // inside the counts, so the scatter has no per-row check; large inputs split across threads.
        // Only if a row was bad does the checked loop below run — on one thread, from the first row — to
        // name the first bad row.
        let threads = threads.unwrap_or_else(|| parallel::threads(answers.len(), segments * points));
        let fast = match weights {
            None if A::INTEGER => count_rows(threads, codes, answers, self.scale, Segments::Fixed(segments)),
            _ => None,
        };
        let counts = match fast {
            Some(counts) => counts,
            None => {
                let mut counts = vec![0u64; segments * points];
                for (i, (&code, &a)) in codes.iter().zip(answers).enumerate() {
                    let c = code.index();
                    if code.is_missing() {
                        return Err(missing_key(i));
                    }
                    if c >= segments {
                        return Err(CemError::InvalidSegment {
                            index: i,
                            value: code.to_string(),
                            reason: format!("there are {segments} segment names, so codes run 0..{segments}"),
                        });
                    }
                    // As in a plain tally: the weight is checked first, even for a skipped answer.
                    if let Some(w) = weights {
                        check_weight(i, w[i])?;
                    }
                    let Some(k) = point(self.scale, i, a, missing)? else {
                        skipped += 1;
                        continue;
                    };
                    counts[c * points + k] += 1;
                    if let (Some(s), Some(w)) = (sums.as_mut(), weights) {
                        s.add(c * points + k, w[i]);
                    }
                }
                counts
            }
        };
        self.add_counts(names, &counts, sums.as_ref(), skipped)
    }

    /// Adds counts (segments × points, segment `c` named `names[c]`) with their weight sums: the rows of
    /// the used segments, in key order, merged into this tally.
    fn add_counts<K: AsRef<str>>(
        &mut self,
        names: &[K],
        counts: &[u64],
        sums: Option<&WeightSums>,
        skipped: u64,
    ) -> Result<()> {
        let points = self.scale.points();
        let segments = counts.len() / points;
        // Used codes in key order; codes sharing a name combine.
        let used: Vec<usize> =
            (0..segments).filter(|&c| counts[c * points..(c + 1) * points].iter().any(|&n| n > 0)).collect();
        let order = argsort(used.len(), &|a, b| names[used[a]].as_ref().cmp(names[used[b]].as_ref()));
        let mut part = SegmentTally::new(self.scale);
        part.weights = sums.map(|_| WeightSums::default());
        for c in order.into_iter().map(|k| used[k]) {
            let row = c * points..(c + 1) * points;
            let w = sums.map(|s| s.slice(row.clone()));
            part.push_row(names[c].as_ref(), &counts[row], w)?;
        }
        part.skipped = skipped;
        if part.keys.is_empty() {
            part.weights = None; // canonical form: no segments, no weights
        }
        if self.keys.is_empty() {
            // Nothing to merge with (the common case of a fresh tally): take the part as it is.
            part.skipped += self.skipped;
            *self = part;
            return Ok(());
        }
        self.merge(&part)
    }

    /// Adds rows whose segment key is a whole number, named by its decimal form (`7` is segment "7",
    /// `-2` is "-2"): store or region numbers without a string per row. Numbers in 0..n + 1024 (n rows)
    /// index the counts directly; otherwise (negative numbers, sparse customer ids) they are interned
    /// first, so a few large numbers do not make a name for every number below them. On error nothing
    /// is added.
    ///
    /// # Errors
    /// As [`SegmentTally::update_codes`].
    ///
    /// ```
    /// use cem_core::{Missing, Scale, SegmentTally};
    /// let mut s = SegmentTally::new(Scale::CSAT);
    /// s.update_numbered(&[3u32, 1, 3], &[5u8, 4, 1], None, Missing::Error).unwrap();
    /// assert_eq!(s.keys(), &["1", "3"]);
    /// s.update_numbered(&[4_000_000_000u32], &[5u8], None, Missing::Error).unwrap();
    /// s.update_numbered(&[-2i64], &[5u8], None, Missing::Error).unwrap();
    /// assert_eq!(s.keys(), &["-2", "1", "3", "4000000000"]);
    /// ```
    pub fn update_numbered<C: Code, A: Answer>(
        &mut self,
        numbers: &[C],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        self.update_numbered_on(None, numbers, answers, weights, missing)
    }

    /// [`SegmentTally::update_numbered`] on exactly `threads` threads, whatever the input's size: for
    /// benchmarks and tests of the split. Use `update_numbered`, which picks the threads.
    #[doc(hidden)]
    pub fn update_numbered_threads<C: Code, A: Answer>(
        &mut self,
        threads: usize,
        numbers: &[C],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        self.update_numbered_on(Some(threads), numbers, answers, weights, missing)
    }

    fn update_numbered_on<C: Code, A: Answer>(
        &mut self,
        threads: Option<usize>,
        numbers: &[C],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        // Dense numbers, unweighted integer answers (the common case): counted in one pass, the counts
        // growing with the largest number seen, without a pass to find it first. Not on wasm32, where
        // the largest is a SIMD pass (kernel.rs) and this path's code would grow the .wasm by ≈ 1 KB.
        if cfg!(not(target_arch = "wasm32")) && weights.is_none() && A::INTEGER {
            check_len("segments", answers.len(), numbers.len())?;
            let threads = threads.unwrap_or_else(|| parallel::threads(answers.len(), self.scale.points()));
            let dense = Segments::Dense { limit: numbers.len().saturating_add(1024) };
            if let Some(counts) = count_rows(threads, numbers, answers, self.scale, dense) {
                let names: Vec<String> = (0..counts.len() / self.scale.points()).map(|c| c.to_string()).collect();
                return self.add_counts(&names, &counts, None, 0);
            }
        }
        // Names as `&str` throughout: one instance of `update_codes` with `update_keys` (a smaller .wasm).
        // (`largest` is `None` with a negative number: a key like any other here, so interned.)
        let range = match threads {
            Some(t) => direct_range_on(numbers, t),
            None => direct_range(numbers),
        };
        if let Some(largest) = range {
            let names: Vec<String> = (0..=largest).map(|c| c.to_string()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            return self.update_codes_on(threads, numbers, &names, answers, weights, missing);
        }
        let (codes, distinct) = intern(numbers.iter().map(|&c| Ok(c)))?;
        let names: Vec<String> = distinct.iter().map(C::to_string).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.update_codes_on(threads, &codes, &names, answers, weights, missing)
    }

    /// Adds rows whose segment is given by its key; keys are interned once. On error nothing is added.
    ///
    /// # Errors
    /// As [`SegmentTally::update_codes`], and `invalid_segment` for a missing key (`None`).
    ///
    /// ```
    /// use cem_core::{Missing, Scale, SegmentTally};
    /// let mut s = SegmentTally::new(Scale::NPS);
    /// let err = s.update_keys(&["a", "b"], &[9, 12], None, Missing::Error).unwrap_err();
    /// assert_eq!((err.code(), err.index()), ("out_of_range", Some(1)));
    /// assert!(s.keys().is_empty());
    /// let err = s.update_keys(&[Some("a"), None], &[9, 10], None, Missing::Error).unwrap_err();
    /// assert_eq!((err.code(), err.index()), ("invalid_segment", Some(1)));
    /// ```
    pub fn update_keys<K: Key, A: Answer>(
        &mut self,
        keys: &[K],
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<()> {
        let (codes, names) = intern_keys(keys)?;
        self.update_codes(&codes, &names, answers, weights, missing)
    }

    /// Counts `n` more rows as skipped (a counts table's missing answers).
    pub(crate) fn add_skipped(&mut self, n: u64) {
        self.skipped = self.skipped.saturating_add(n);
    }

    /// Adds another segment tally, segment by segment. On error this one is unchanged.
    ///
    /// # Errors
    /// `incompatible` for different scales; `overflow`.
    ///
    /// ```
    /// use cem_core::{Scale, SegmentTally};
    /// let mut a = SegmentTally::from_counts(Scale::CSAT, &["x"], &[vec![1, 0, 0, 0, 0]]).unwrap();
    /// a.merge(&SegmentTally::from_counts(Scale::CSAT, &["x", "y"], &[vec![1, 0, 0, 0, 0], vec![0, 0, 0, 0, 3]]).unwrap()).unwrap();
    /// assert_eq!(a.segment("x").unwrap().n(), 2);
    /// ```
    pub fn merge(&mut self, other: &SegmentTally) -> Result<()> {
        if self.scale != other.scale {
            return Err(CemError::Incompatible { reason: "segment tallies on different scales".into() });
        }
        let skipped = self
            .skipped
            .checked_add(other.skipped)
            .ok_or_else(|| CemError::Overflow { what: "the skipped count".into() })?;
        // Both key lists are sorted: one linear merge over the flat rows.
        let mut out = SegmentTally::new(self.scale);
        if self.weights.is_some() || other.weights.is_some() {
            out.weights = Some(WeightSums::default());
        }
        let (mut i, mut j) = (0, 0);
        while i < self.keys.len() || j < other.keys.len() {
            let order = match (self.keys.get(i), other.keys.get(j)) {
                (Some(a), Some(b)) => a.cmp(b),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            if order.is_le() {
                let (counts, w) = self.row(i);
                out.push_row(&self.keys[i], counts, w)?;
                i += 1;
            }
            if order.is_ge() {
                let (counts, w) = other.row(j);
                out.push_row(&other.keys[j], counts, w)?;
                j += 1;
            }
        }
        out.skipped = skipped;
        if out.keys.is_empty() {
            out.weights = None; // canonical form: no segments, no weights
        }
        *self = out;
        Ok(())
    }

    /// Counts of segment `i`, with its weight sums when weighted.
    fn row(&self, i: usize) -> (&[u64], Option<WeightSums<&[f64]>>) {
        let points = self.scale.points();
        let r = i * points..(i + 1) * points;
        (&self.counts[r.clone()], self.weights.as_ref().map(|w| w.slice(r)))
    }

    /// Appends a row for `key` (keys arrive in sorted order), or adds it into the last row if `key` is
    /// the last key. A weighted tally takes an unweighted row as weight one per answer.
    fn push_row(&mut self, key: &str, counts: &[u64], weights: Option<WeightSums<&[f64]>>) -> Result<()> {
        let points = self.scale.points();
        let as_f64 = || counts.iter().map(|&c| c as f64).collect::<Vec<f64>>();
        let row = match (weights, self.weights.is_some()) {
            (Some(w), _) => w.to_vecs(),
            (None, true) => WeightSums { sum: as_f64(), sum_sq: as_f64() },
            (None, false) => WeightSums::default(),
        };
        if self.keys.last().map(String::as_str) == Some(key) {
            let start = self.counts.len() - points;
            for (c, add) in self.counts[start..].iter_mut().zip(counts) {
                *c = c
                    .checked_add(*add)
                    .ok_or_else(|| CemError::Overflow { what: format!("a count of segment {key:?}") })?;
            }
            if let Some(w) = self.weights.as_mut() {
                w.sum[start..].iter_mut().zip(&row.sum).for_each(|(a, b)| *a += b);
                w.sum_sq[start..].iter_mut().zip(&row.sum_sq).for_each(|(a, b)| *a += b);
            }
        } else {
            self.keys.push(key.to_string());
            self.counts.extend_from_slice(counts);
            if let Some(w) = self.weights.as_mut() {
                w.sum.extend(row.sum);
                w.sum_sq.extend(row.sum_sq);
            }
        }
        Ok(())
    }

    /// A segment tally from (key, tally) rows in any order; rows with the same key are merged.
    pub(crate) fn from_rows(scale: Scale, rows: Vec<(String, Tally)>) -> Result<SegmentTally> {
        let order = argsort(rows.len(), &|a, b| rows[a].0.cmp(&rows[b].0));
        let rows = permute(rows, &order);
        let mut combined: Vec<(String, Tally)> = Vec::with_capacity(rows.len());
        for (key, tally) in rows {
            if tally.scale() != scale {
                return Err(CemError::Incompatible { reason: format!("segment {key:?} is on another scale") });
            }
            match combined.last_mut() {
                Some((k, t)) if *k == key => t.merge(&tally)?,
                _ => combined.push((key, tally)),
            }
        }
        let weighted = combined.iter().any(|(_, t)| t.is_weighted());
        let mut s = SegmentTally::new(scale);
        let mut sums: WeightSums = WeightSums::default();
        for (key, t) in combined {
            s.keys.push(key);
            s.counts.extend_from_slice(t.counts());
            if weighted {
                sums.sum.extend(t.weight_sums());
                sums.sum_sq.extend(t.weight_sq_sums());
            }
        }
        s.weights = weighted.then_some(sums);
        Ok(s)
    }

    fn position(&self, key: &str) -> std::result::Result<usize, usize> {
        self.keys.binary_search_by(|k| k.as_str().cmp(key))
    }

    /// The tally of segment number `i` (in key order).
    fn tally_at(&self, i: usize) -> Tally {
        let points = self.scale.points();
        let row = i * points..(i + 1) * points;
        let w = self.weights.as_ref().map(|w| w.slice(row.clone()).to_vecs());
        Tally::from_parts(self.scale, self.counts[row].to_vec(), w)
    }

    /// The scale of the answers.
    ///
    /// ```
    /// assert_eq!(cem_core::SegmentTally::new(cem_core::Scale::CES).scale(), cem_core::Scale::CES);
    /// ```
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Segment keys, sorted.
    ///
    /// ```
    /// use cem_core::{Scale, SegmentTally};
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["b", "a"], &[vec![1; 5], vec![1; 5]]).unwrap();
    /// assert_eq!(s.keys(), &["a", "b"]);
    /// ```
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The tally of one segment.
    ///
    /// ```
    /// use cem_core::{Scale, SegmentTally};
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["a"], &[vec![1; 5]]).unwrap();
    /// assert!(s.segment("z").is_none());
    /// ```
    pub fn segment(&self, key: &str) -> Option<Tally> {
        self.position(key).ok().map(|i| self.tally_at(i))
    }

    /// Every segment's tally, in key order.
    ///
    /// ```
    /// use cem_core::{Scale, SegmentTally};
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["a", "b"], &[vec![1; 5], vec![2; 5]]).unwrap();
    /// assert_eq!(s.tallies().len(), 2);
    /// ```
    pub fn tallies(&self) -> Vec<Tally> {
        (0..self.keys.len()).map(|i| self.tally_at(i)).collect()
    }

    /// All segments together.
    ///
    /// ```
    /// use cem_core::{Scale, SegmentTally};
    /// let s = SegmentTally::from_counts(Scale::CSAT, &["a", "b"], &[vec![1; 5], vec![2; 5]]).unwrap();
    /// assert_eq!(s.total().n(), 15);
    /// ```
    pub fn total(&self) -> Tally {
        let points = self.scale.points();
        let mut counts = vec![0u64; points];
        for row in self.counts.chunks(points) {
            for (c, r) in counts.iter_mut().zip(row) {
                *c = c.saturating_add(*r);
            }
        }
        let w = self
            .weights
            .as_ref()
            .map(|w| WeightSums { sum: column_sums(&w.sum, points), sum_sq: column_sums(&w.sum_sq, points) });
        Tally::from_parts(self.scale, counts, w)
    }

    /// Missing answers skipped under the `skip` policy.
    ///
    /// ```
    /// use cem_core::{Missing, Scale, SegmentTally};
    /// let mut s = SegmentTally::new(Scale::NPS);
    /// s.update_keys(&["a", "a"], &[Some(9u8), None], None, Missing::Skip).unwrap();
    /// assert_eq!(s.skipped(), 1);
    /// ```
    pub fn skipped(&self) -> u64 {
        self.skipped
    }
}

/// How many segments the counts have: `Fixed` (codes into a list of names; a code past it is a bad row)
/// or `Dense` (whole numbers naming themselves: the counts grow to the largest number seen, below
/// `limit`; a negative number or one past the limit leaves the fast path).
#[derive(Clone, Copy)]
enum Segments {
    Fixed(usize),
    Dense { limit: usize },
}

/// Counts unweighted rows with integer answers in one pass, split across `threads` threads (contiguous
/// chunks, each counted into its own counts, added in chunk order: the one-thread counts exactly).
/// `None` — and nothing counted — if any row needs the checked loop (an answer off the scale, a float
/// answer, a missing or bad code), which then names the first bad row.
fn count_rows<C: Code, A: Answer>(
    threads: usize,
    codes: &[C],
    answers: &[A],
    scale: Scale,
    segments: Segments,
) -> Option<Vec<u64>> {
    if !A::INTEGER {
        return None; // float answers are checked one by one (a type's constant: no code for them here)
    }
    let points = scale.points();
    let n = codes.len().min(answers.len());
    let threads = threads.clamp(1, n.max(1));
    let segments = match segments {
        // Each range's counts for dense numbers stay no larger than its share of the rows (up to 4 ranges
        // per thread, `parallel::split`); else the one-thread path, which sizes the counts once.
        Segments::Dense { limit } if threads > 1 => {
            Segments::Dense { limit: limit.min(n / (4 * threads) / points + 1024) }
        }
        s => s,
    };
    let parts = parallel::split(n, threads, |r| count_chunk(&codes[r.clone()], &answers[r], scale, segments));
    let mut counts: Vec<u64> = Vec::new();
    for part in parts {
        let part = part?;
        if part.len() > counts.len() {
            counts.resize(part.len(), 0);
        }
        counts.iter_mut().zip(part).for_each(|(c, p)| *c += p);
    }
    if let Segments::Fixed(s) = segments {
        counts.resize(s * points, 0);
    }
    Some(counts)
}

/// [`count_rows`] on one thread: blocks small enough to stay in L2 between their validation (answers'
/// bounds; dense numbers' largest) and their scatter, so the rows are read from memory once.
fn count_chunk<C: Code, A: Answer>(codes: &[C], answers: &[A], scale: Scale, segments: Segments) -> Option<Vec<u64>> {
    const BLOCK: usize = 1 << 16;
    let points = scale.points();
    let mut counter = Counter::new(
        scale.min() as i64,
        points,
        match segments {
            Segments::Fixed(s) => s * points,
            Segments::Dense { .. } => 0,
        },
    );
    for (cb, ab) in codes.chunks(BLOCK).zip(answers.chunks(BLOCK)) {
        if !all_on_scale(scale, ab) {
            return None;
        }
        if counter.add(cb, ab) == 0 {
            continue;
        }
        let Segments::Dense { limit } = segments else { return None };
        // Some numbers are past the counts (always so in the first block): grow them to the block's
        // largest and count those rows — the others are counted already. A pass for the largest only
        // then, as i32/i64 min–max folds do not vectorise on baseline x86-64. `None`: a negative number,
        // interned by the caller's slower path, or one past the limit.
        let largest = C::largest(cb).filter(|&m| m < limit)?;
        let counted = counter.counts.len() / points;
        counter.grow((largest + 1) * points);
        counter.add_past(cb, ab, counted);
    }
    Some(counter.finish())
}

/// Counts rows into `counts[code · points + answer − min]` through u32 scratch counters.
///
/// Shape measured on the 2-core reference machine (10 M rows, see benches/): u32 scratch counters keep
/// 1,000 segments × 11 points in L1 (≈ +15% over u64); below 4,096 bins two interleaved copies break the
/// store-to-load chains of rows hitting the same bin (≈ +50% at 10 segments).
struct Counter {
    min: i64,
    points: usize,
    counts: Vec<u64>,
    scratch: Vec<u32>,
    /// Rows in the scratch counters since they were last added into `counts` (each fits in a u32).
    pending: usize,
}

impl Counter {
    fn new(min: i64, points: usize, bins: usize) -> Counter {
        let mut c = Counter { min, points, counts: Vec::new(), scratch: Vec::new(), pending: 0 };
        c.grow(bins);
        c
    }

    fn copies(&self) -> usize {
        if self.counts.len() <= 4096 {
            2
        } else {
            1
        }
    }

    /// Makes room for `bins` bins (a larger largest code), keeping what was counted.
    fn grow(&mut self, bins: usize) {
        if bins > self.counts.len() || self.scratch.is_empty() {
            self.flush();
            self.counts.resize(bins.max(self.counts.len()), 0);
            self.scratch = vec![0u32; self.counts.len() * self.copies()];
        }
    }

    /// Adds the scratch counters into the counts and zeroes them.
    fn flush(&mut self) {
        let len = self.counts.len();
        if self.pending > 0 {
            let (first, second) = self.scratch.split_at(len);
            for (k, c) in self.counts.iter_mut().enumerate() {
                *c += first[k] as u64 + second.get(k).map_or(0, |&n| n as u64);
            }
            self.scratch.iter_mut().for_each(|n| *n = 0);
        }
        self.pending = 0;
    }

    /// Counts the rows of a block (answers on the scale) whose code is `from` or more, all of them in
    /// bins now (the rest were counted before the counts grew).
    fn add_past<C: Code, A: Answer>(&mut self, codes: &[C], answers: &[A], from: usize) {
        let (points, min) = (self.points, self.min);
        self.pending += codes.len(); // after a flush (the grow) when there was one
        for (&c, a) in codes.iter().zip(answers) {
            let c = c.index();
            if c >= from {
                if let Some(n) = self.scratch.get_mut(c * points + (a.as_i64() - min) as usize) {
                    *n += 1;
                }
            }
        }
    }

    /// Counts a block of rows whose answers are on the scale; returns how many had a code past the
    /// counts (those are not counted).
    fn add<C: Code, A: Answer>(&mut self, codes: &[C], answers: &[A]) -> u64 {
        if self.pending + codes.len() > u32::MAX as usize {
            self.flush();
        }
        self.pending += codes.len();
        let (len, points, min, copies) = (self.counts.len(), self.points, self.min, self.copies());
        let segments = len / points.max(1);
        let mut bad = 0u64;
        // Answers are on the scale (checked by the caller), so only the code can be bad: a code past the
        // segments (negative codes index past every list) is counted as bad instead of indexed.
        let bin = |c: C, a: &A| {
            let c = c.index();
            if c < segments {
                c * points + (a.as_i64() - min) as usize
            } else {
                usize::MAX
            }
        };
        let (first, second) = self.scratch.split_at_mut(len);
        let tail = if copies == 2 {
            let mut pairs = codes.chunks_exact(2).zip(answers.chunks_exact(2));
            for (c, a) in &mut pairs {
                match first.get_mut(bin(c[0], &a[0])) {
                    Some(n) => *n += 1,
                    None => bad += 1,
                }
                match second.get_mut(bin(c[1], &a[1])) {
                    Some(n) => *n += 1,
                    None => bad += 1,
                }
            }
            codes.len() - codes.len() % 2
        } else {
            0
        };
        for (&c, a) in codes[tail..].iter().zip(&answers[tail..]) {
            match first.get_mut(bin(c, a)) {
                Some(n) => *n += 1,
                None => bad += 1,
            }
        }
        bad
    }

    fn finish(mut self) -> Vec<u64> {
        self.flush();
        self.counts
    }
}

fn column_sums(flat: &[f64], points: usize) -> Vec<f64> {
    let mut out = vec![0.0; points];
    for row in flat.chunks(points) {
        for (o, v) in out.iter_mut().zip(row) {
            *o += v;
        }
    }
    out
}

/// The key of a crossed segment, e.g. `crossed_key(&["North", "web"])` is `"North × web"`.
///
/// ```
/// assert_eq!(cem_core::crossed_key(&["North", "web"]), "North × web");
/// ```
pub fn crossed_key<K: AsRef<str>>(parts: &[K]) -> String {
    parts.iter().map(|p| p.as_ref()).collect::<Vec<_>>().join(" × ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weighted rows, merged with unweighted counts (weight one per answer): the weight sums per
    /// segment, in total and in the JSON, which keeps one tally per key.
    #[test]
    fn weight_sums_per_segment_survive_merges_and_json() {
        let scale = Scale::new(1, 3).unwrap();
        let mut s = SegmentTally::new(scale);
        s.update_keys(&["b", "a", "b"], &[1u8, 3, 3], Some(&[2.0, 0.5, 1.0]), Missing::Error).unwrap();
        s.merge(&SegmentTally::from_counts(scale, &["a", "c"], &[vec![1, 0, 0], vec![0, 1, 0]]).unwrap()).unwrap();
        let a = s.segment("a").unwrap();
        assert_eq!((a.weight_sums(), a.weight_sq_sums()), (vec![1.0, 0.0, 0.5], vec![1.0, 0.0, 0.25]));
        let total = s.total();
        assert_eq!((total.weight_sums(), total.weight_sq_sums()), (vec![3.0, 1.0, 1.5], vec![5.0, 1.0, 1.25]));
        let json = serde_json::to_string(&s).unwrap();
        let tally = |counts: &str, sums: &str, squares: &str| {
            format!(
                r#"{{"scale":{{"min":1,"max":3}},"counts":{counts},"weight_sums":{sums},"weight_sq_sums":{squares},"skipped":0}}"#
            )
        };
        let expected = format!(
            r#"{{"scale":{{"min":1,"max":3}},"segments":[["a",{}],["b",{}],["c",{}]],"skipped":0}}"#,
            tally("[1,0,1]", "[1.0,0.0,0.5]", "[1.0,0.0,0.25]"),
            tally("[1,0,1]", "[2.0,0.0,1.0]", "[4.0,0.0,1.0]"),
            tally("[0,1,0]", "[0.0,1.0,0.0]", "[0.0,1.0,0.0]"),
        );
        assert_eq!(json, expected);
        assert_eq!(serde_json::from_str::<SegmentTally>(&json).unwrap(), s);
    }
}
