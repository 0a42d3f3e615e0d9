//! Seeded percentile bootstrap over a discrete distribution, reproducible in every language.
//!
//! The generator is SplitMix64 (Steele, Lea & Flood 2014), chosen because it is a few lines that any
//! language can reproduce bit for bit: the conformance generator re-implements it in Python, so a
//! bootstrap interval for a given seed is the same number everywhere.

use crate::order::sort_floats;

/// SplitMix64: 64-bit state, one multiply-xorshift output function.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Most draws (sample size × resamples) one bootstrap may take: about a second on the reference machine.
pub(crate) const MAX_DRAWS: u64 = 200_000_000;

/// Percentile bootstrap interval of the mean of `values` under category probabilities `probs`.
///
/// Each resample draws `draws` answers by inverse CDF on the cumulative probabilities, counts them per
/// category and takes Σ count·value / draws (summed in category order). The interval is the
/// (1−level)/2 and (1+level)/2 quantiles of the resampled means, interpolated linearly between order
/// statistics (Hyndman & Fan type 7, numpy's default).
pub(crate) fn percentile_interval(
    probs: &[f64],
    values: &[f64],
    draws: u64,
    resamples: u32,
    seed: u64,
    level: f64,
) -> (f64, f64) {
    let total: f64 = probs.iter().sum();
    let mut cumulative = Vec::with_capacity(probs.len());
    let mut acc = 0.0;
    for p in probs {
        acc += p / total;
        cumulative.push(acc);
    }
    if let Some(last) = cumulative.last_mut() {
        *last = f64::INFINITY; // every uniform lands in some category despite rounding
    }
    let mut rng = SplitMix64::new(seed);
    let mut counts = vec![0u64; probs.len()];
    let mut stats = Vec::with_capacity(resamples as usize);
    for _ in 0..resamples {
        counts.iter_mut().for_each(|c| *c = 0);
        for _ in 0..draws {
            let u = rng.next_f64();
            let k = cumulative.iter().position(|&c| u < c).unwrap_or(probs.len() - 1);
            counts[k] += 1;
        }
        let sum: f64 = counts.iter().zip(values).map(|(&c, &v)| c as f64 * v).sum();
        stats.push(sum / draws as f64);
    }
    let stats = sort_floats(stats);
    let alpha = 1.0 - level;
    (quantile_sorted(&stats, alpha / 2.0), quantile_sorted(&stats, 1.0 - alpha / 2.0))
}

/// Type-7 quantile of sorted data.
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_published_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation (Vigna, prng.di.unimi.it).
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        assert_eq!(r.next_u64(), 9817491932198370423);
    }

    #[test]
    fn quantile_interpolates_like_numpy() {
        let d = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&d, 0.5), 2.5);
        assert_eq!(quantile_sorted(&d, 0.0), 1.0);
        assert_eq!(quantile_sorted(&d, 1.0), 4.0);
    }
}
