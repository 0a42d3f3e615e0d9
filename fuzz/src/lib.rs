//! What every fuzz target asserts about cem's results: the properties that hold for any input.

use cem_core::{Estimate, Family, Tally};

/// Reads the fuzzer's bytes front to back; past the end, zeros (so every input is usable).
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    pub fn byte(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }
    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.byte() as usize % from.len()]
    }
    pub fn rest(&mut self) -> &[u8] {
        std::mem::take(&mut self.0)
    }
}

/// Levels and weights at the edges of what f64 holds.
pub const LEVELS: [f64; 9] = [0.95, 0.5, 0.8, 0.99, 0.999999, 1e-6, 0.0, 1.0, f64::NAN];
pub const WEIGHTS: [f64; 12] = [1.0, 0.5, 2.0, 1e-300, 1e300, 0.0, -1.0, f64::NAN, f64::INFINITY, 5e-324, 3.0, 1.0];

/// A tally's parts agree: n is the sum of the counts, one count per point, weights finite.
pub fn check_tally(t: &Tally) {
    assert_eq!(t.counts().len(), t.scale().points());
    let sum = t.counts().iter().try_fold(0u64, |a, &c| a.checked_add(c));
    assert_eq!(sum, Some(t.n()), "n is the sum of the counts");
    if t.is_weighted() {
        assert!(t.weight_sums().iter().all(|w| w.is_finite() && *w >= 0.0));
        assert!(t.weight_sq_sums().iter().all(|w| w.is_finite() && *w >= 0.0));
        assert!(t.total_weight().is_finite());
    }
    let eff = t.effective_n();
    assert!(eff.is_finite() && eff >= 0.0, "effective n {eff}");
}

/// The range a metric's value and interval live in.
pub fn range(e: &Estimate) -> (f64, f64) {
    match e.metric.family() {
        Family::Net => (-100.0, 100.0),
        Family::Proportion => (0.0, 100.0),
        Family::Mean => (e.scale.min() as f64, e.scale.max() as f64),
    }
}

/// An estimate is finite, in range, with an ordered interval in range, at the level asked.
pub fn check_estimate(e: &Estimate, level: f64) {
    let (lo, hi) = range(e);
    let tol = 1e-9 * (hi - lo);
    assert!(e.value.is_finite() && e.value >= lo - tol && e.value <= hi + tol, "value {e:?}");
    let (l, u) = (e.interval.lower, e.interval.upper);
    assert!(l.is_finite() && u.is_finite(), "interval not finite: {e:?}");
    assert!(l <= u + tol, "interval not ordered: {e:?}");
    assert!(l >= lo - tol && u <= hi + tol, "interval out of range: {e:?}");
    assert_eq!(e.interval.level, level);
    if let Some(se) = e.standard_error {
        assert!(se.is_finite() && se >= 0.0, "standard error {e:?}");
    }
    assert!(e.effective_n.is_finite() && e.effective_n <= e.n as f64 * (1.0 + 1e-9) + 1e-9);
}

/// A p-value is a probability.
pub fn check_p(p: f64) {
    assert!((0.0..=1.0).contains(&p), "p-value {p}");
}
