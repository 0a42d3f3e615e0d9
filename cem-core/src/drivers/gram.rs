//! The driver tally's inner loops: a block of rows, laid out by variable, is checked as it is copied in,
//! centred at its own weighted means and its Gram matrix Σ w (z − z̄)(z − z̄)ᵀ taken tile by tile.
//!
//! The Gram is load-bound when taken one pair of variables at a time (two loads per multiply-add), so
//! here a tile of `R × C` pairs is accumulated per sweep over the block: each loaded vector of `L` rows is
//! used `C` or `R` times from registers. The block (k × [`BLOCK`] doubles) stays in L1/L2 across sweeps.
//! On x86_64 the portable bodies are compiled twice, for baseline SSE2 and for AVX2 + FMA, chosen at run
//! time ([`Isa::detect`]); the compiler vectorises both. `f64::mul_add` appears only in the FMA build (it
//! is a library call without the instruction).

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

/// Rows per block: 21 variables × 256 rows is 43 kB, in L1 (128 to 1024 measured within noise).
pub(crate) const BLOCK: usize = 256;
/// Rows are zero-padded to a multiple of 4 (one AVX2 vector, two SSE2 ones).
const L: usize = 4;
/// The tiles, R variables × C variables, V rows per accumulator: R·C accumulators plus C vectors held and
/// one streamed must fit the 16 vector registers (3 × 4 spilled). AVX2: 4 × 3 tiles of 4 rows. SSE2 (and
/// wasm32, other targets): 4 × 2 tiles of 2 rows, the fastest the compiler vectorised without shuffles.
#[cfg(target_arch = "x86_64")]
const AVX2_TILE: (usize, usize, usize) = (4, 3, 4);
#[cfg(not(target_arch = "wasm32"))]
const GENERIC_TILE: (usize, usize, usize) = (4, 2, 2);
#[cfg(target_arch = "wasm32")]
const GENERIC_TILE: (usize, usize, usize) = (2, 2, 2);
/// Zero variables past the last, so tiles at the edge read inside the buffer (the largest tile side).
pub(crate) const PAD: usize = 4;
/// Adding and subtracting 1.5·2⁵² rounds a double of magnitude < 2⁵¹ to an integer without `trunc`
/// (a library call on baseline x86-64, which would stop the check from vectorising).
const ROUND: f64 = 6755399441055744.0;

/// Which build of the kernels this CPU runs.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Isa {
    Generic,
    #[cfg(target_arch = "x86_64")]
    Avx2Fma,
}

impl Isa {
    pub(crate) fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            return Isa::Avx2Fma;
        }
        Isa::Generic
    }

    /// Copies `src` into `out`; true if every value lies in [lo, hi] (and is whole, with `whole`).
    /// NaN and infinities fail for any finite bounds.
    pub(crate) fn fill(self, out: &mut [f64], src: &[f64], lo: f64, hi: f64, whole: bool) -> bool {
        match self {
            Isa::Generic => fill_generic(out, src, lo, hi, whole),
            // SAFETY (both arms below): the function needs only AVX2 and FMA, which `detect` checked
            // this CPU has; it reads and writes through safe slices.
            #[cfg(target_arch = "x86_64")]
            #[allow(unsafe_code)]
            Isa::Avx2Fma => unsafe { fill_avx2(out, src, lo, hi, whole) },
        }
    }

    /// Asks for `src` to be brought into cache (the next block's rows of a column: the hardware's prefetchers
    /// do not run far enough ahead on 20-odd streams at once). A no-op in the generic build.
    pub(crate) fn prefetch(self, src: &[f64]) {
        match self {
            Isa::Generic => {
                let _ = src;
            }
            #[cfg(target_arch = "x86_64")]
            #[allow(unsafe_code)]
            Isa::Avx2Fma => unsafe { prefetch_avx2(src) },
        }
    }

    /// Copies the weights into `w` and their square roots into `sw`; true if every weight is valid
    /// (0 or within [`Tally::MIN_WEIGHT`](crate::score::tally::Tally::MIN_WEIGHT), [`Tally::MAX_WEIGHT`](crate::score::tally::Tally::MAX_WEIGHT)).
    pub(crate) fn weights(self, src: &[f64], w: &mut [f64], sw: &mut [f64]) -> bool {
        match self {
            Isa::Generic => weights_generic(src, w, sw),
            #[cfg(target_arch = "x86_64")]
            #[allow(unsafe_code)]
            Isa::Avx2Fma => unsafe { weights_avx2(src, w, sw) },
        }
    }

    /// The moments of the first `m` rows of the block `dev` (variable j at `dev[j·BLOCK..]`, k variables
    /// and [`PAD`] zero ones after them), with weights `w` and their roots `sw`: writes the weighted means
    /// and the upper triangle of the centred co-moments (row-major k × k), returns (Σw, Σw²).
    /// `dev` is overwritten by the weighted deviations.
    pub(crate) fn moments(
        self,
        dev: &mut [f64],
        k: usize,
        m: usize,
        w: Option<(&[f64], &[f64])>,
        means: &mut [f64],
        gram: &mut [f64],
    ) -> (f64, f64) {
        match self {
            Isa::Generic => moments_generic(dev, k, m, w, means, gram),
            #[cfg(target_arch = "x86_64")]
            #[allow(unsafe_code)]
            Isa::Avx2Fma => unsafe { moments_avx2(dev, k, m, w, means, gram) },
        }
    }
}

// The two builds: thin wrappers around one body each (not inlined into the caller: one copy of each).

#[inline(never)]
fn fill_generic(out: &mut [f64], src: &[f64], lo: f64, hi: f64, whole: bool) -> bool {
    fill_body(out, src, lo, hi, whole)
}

#[inline(never)]
fn weights_generic(src: &[f64], w: &mut [f64], sw: &mut [f64]) -> bool {
    weights_body(src, w, sw)
}

#[inline(never)]
fn moments_generic(
    dev: &mut [f64],
    k: usize,
    m: usize,
    w: Option<(&[f64], &[f64])>,
    means: &mut [f64],
    gram: &mut [f64],
) -> (f64, f64) {
    const T: (usize, usize, usize) = GENERIC_TILE;
    moments_body::<false, { T.0 }, { T.1 }, { T.2 }>(dev, k, m, w, means, gram)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fill_avx2(out: &mut [f64], src: &[f64], lo: f64, hi: f64, whole: bool) -> bool {
    fill_body(out, src, lo, hi, whole)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn prefetch_avx2(src: &[f64]) {
    use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
    for line in src.chunks(8) {
        _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast());
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn weights_avx2(src: &[f64], w: &mut [f64], sw: &mut [f64]) -> bool {
    weights_body(src, w, sw)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn moments_avx2(
    dev: &mut [f64],
    k: usize,
    m: usize,
    w: Option<(&[f64], &[f64])>,
    means: &mut [f64],
    gram: &mut [f64],
) -> (f64, f64) {
    const T: (usize, usize, usize) = AVX2_TILE;
    moments_body::<true, { T.0 }, { T.1 }, { T.2 }>(dev, k, m, w, means, gram)
}

#[inline(always)]
fn fill_body(out: &mut [f64], src: &[f64], lo: f64, hi: f64, whole: bool) -> bool {
    let mut ok = true;
    if whole {
        for (o, &v) in out.iter_mut().zip(src) {
            *o = v;
            ok &= (v >= lo) & (v <= hi) & ((v + ROUND) - ROUND == v);
        }
    } else {
        for (o, &v) in out.iter_mut().zip(src) {
            *o = v;
            ok &= (v >= lo) & (v <= hi);
        }
    }
    ok
}

#[inline(always)]
fn weights_body(src: &[f64], w: &mut [f64], sw: &mut [f64]) -> bool {
    let (min, max) = (crate::score::tally::Tally::MIN_WEIGHT, crate::score::tally::Tally::MAX_WEIGHT);
    let mut ok = true;
    for ((&v, w), sw) in src.iter().zip(w).zip(sw) {
        *w = v;
        *sw = v.sqrt();
        ok &= (v == 0.0) | ((v >= min) & (v <= max));
    }
    ok
}

#[inline(always)]
fn madd<const FMA: bool>(a: f64, b: f64, c: f64) -> f64 {
    if FMA {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// Σ x·y (Σ x without `y`) with L partial sums, so the loop vectorises.
#[inline(always)]
fn sum<const FMA: bool>(x: &[f64], y: Option<&[f64]>) -> f64 {
    let mut acc = [0.0; L];
    let (xs, xt) = x.as_chunks::<{ L }>();
    match y {
        Some(y) => {
            let (ys, yt) = y[..x.len()].as_chunks::<{ L }>();
            for (a, b) in xs.iter().zip(ys) {
                for l in 0..L {
                    acc[l] = madd::<FMA>(a[l], b[l], acc[l]);
                }
            }
            acc[0] += xt.iter().zip(yt).map(|(a, b)| a * b).sum::<f64>();
        }
        None => {
            for a in xs {
                for l in 0..L {
                    acc[l] += a[l];
                }
            }
            acc[0] += xt.iter().sum::<f64>();
        }
    }
    acc.iter().sum()
}

#[inline(always)]
fn moments_body<const FMA: bool, const R: usize, const C: usize, const V: usize>(
    dev: &mut [f64],
    k: usize,
    m: usize,
    w: Option<(&[f64], &[f64])>,
    means: &mut [f64],
    gram: &mut [f64],
) -> (f64, f64) {
    let rows = m.div_ceil(L) * L;
    let (total, total_sq) = match w {
        Some((w, _)) => (sum::<FMA>(&w[..m], None), sum::<FMA>(&w[..m], Some(&w[..m]))),
        None => (m as f64, m as f64),
    };
    for j in 0..k {
        let z = &mut dev[j * BLOCK..j * BLOCK + rows];
        let s = sum::<FMA>(&z[..m], w.map(|(w, _)| &w[..m]));
        let mean = if total > 0.0 { s / total } else { 0.0 };
        means[j] = mean;
        match w {
            Some((_, sw)) => z[..m].iter_mut().zip(&sw[..m]).for_each(|(v, s)| *v = (*v - mean) * s),
            None => z[..m].iter_mut().for_each(|v| *v -= mean),
        }
        z[m..].fill(0.0); // rows up to a whole vector: zero deviations
    }
    gram_body::<FMA, R, C, V>(dev, k, rows, gram);
    (total, total_sq)
}

/// The upper triangle of Σ dev_a·dev_c over the first `rows` (a multiple of L) rows, tile by tile.
#[inline(always)]
fn gram_body<const FMA: bool, const R: usize, const C: usize, const V: usize>(
    dev: &[f64],
    k: usize,
    rows: usize,
    gram: &mut [f64],
) {
    let n = rows / V;
    let var = |j: usize| &dev[j * BLOCK..j * BLOCK + rows].as_chunks::<V>().0[..n];
    for a0 in (0..k).step_by(R) {
        // Tiles from the one holding the diagonal element (a0, a0): none wholly below the diagonal.
        for c0 in (a0 / C * C..k).step_by(C) {
            let x: [&[[f64; V]]; R] = std::array::from_fn(|r| var(a0 + r));
            let y: [&[[f64; V]]; C] = std::array::from_fn(|c| var(c0 + c));
            let mut acc = [[[0.0; V]; C]; R];
            for t in 0..n {
                for r in 0..R {
                    let xv = x[r][t];
                    for c in 0..C {
                        let yv = y[c][t];
                        for l in 0..V {
                            acc[r][c][l] = madd::<FMA>(xv[l], yv[l], acc[r][c][l]);
                        }
                    }
                }
            }
            for r in 0..R {
                for c in 0..C {
                    let (a, b) = (a0 + r, c0 + c);
                    if a <= b && b < k {
                        gram[a * k + b] = acc[r][c].iter().sum();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_builds_agree_with_a_plain_loop() {
        for k in [1usize, 2, 3, 5, 8, 13, 21] {
            for m in [0usize, 1, 3, 4, 5, 17, BLOCK - 1, BLOCK] {
                let mut x = 7u64 + k as u64;
                let mut next = || {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x >> 11) as f64 / (1u64 << 53) as f64
                };
                let data: Vec<f64> = (0..(k + PAD) * BLOCK).map(|_| next() * 10.0).collect();
                let w: Vec<f64> = (0..BLOCK).map(|_| (next() * 3.0).floor()).collect();
                let sw: Vec<f64> = w.iter().map(|v| v.sqrt()).collect();
                let at = |j: usize, t: usize| if j < k { data[j * BLOCK + t] } else { 0.0 };
                for weighted in [false, true] {
                    let wt = |t: usize| if weighted { w[t] } else { 1.0 };
                    let total: f64 = (0..m).map(wt).sum();
                    let mean = |j: usize| (0..m).map(|t| wt(t) * at(j, t)).sum::<f64>() / total;
                    for isa in [Isa::Generic, Isa::detect()] {
                        let mut dev = data.clone();
                        dev[k * BLOCK..].fill(0.0);
                        let (mut means, mut gram) = (vec![0.0; k], vec![0.0; k * k]);
                        let ws = weighted.then_some((&w[..], &sw[..]));
                        let (tw, _) = isa.moments(&mut dev, k, m, ws, &mut means, &mut gram);
                        assert_eq!(tw, total);
                        for a in 0..k {
                            if total > 0.0 {
                                assert!((means[a] - mean(a)).abs() < 1e-12);
                            }
                            for c in a..k {
                                let want: f64 =
                                    (0..m).map(|t| wt(t) * (at(a, t) - mean(a)) * (at(c, t) - mean(c))).sum();
                                let got = gram[a * k + c];
                                assert!(total == 0.0 || (got - want).abs() < 1e-10, "{isa:?} {k} {m} {a} {c}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn checks_spot_every_bad_value() {
        for isa in [Isa::Generic, Isa::detect()] {
            let mut out = [0.0; 9];
            assert!(isa.fill(&mut out, &[1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0, 3.0, 4.0], 1.0, 5.0, true));
            assert_eq!(out[4], 5.0);
            for bad in [0.0, 6.0, 2.5, f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300, -0.5] {
                for at in [0, 3, 8] {
                    let mut v = [3.0; 9];
                    v[at] = bad;
                    assert!(!isa.fill(&mut out, &v, 1.0, 5.0, true), "{bad}");
                }
            }
            let (lo, hi) = (-f64::MAX, f64::MAX);
            assert!(isa.fill(&mut out, &[1e300, -1e300, 0.5, 0.0, -0.0, 1e-300, 3.0, 4.0, 5.0], lo, hi, false));
            for bad in [f64::NAN, f64::INFINITY, -f64::INFINITY] {
                assert!(!isa.fill(&mut out, &[1.0, 2.0, 3.0, 4.0, bad, 1.0, 2.0, 3.0, 4.0], lo, hi, false));
            }
            let (mut w, mut sw) = ([0.0; 5], [0.0; 5]);
            assert!(isa.weights(&[0.0, 1.0, 2.5, 1e-100, 1e100], &mut w, &mut sw));
            assert_eq!(sw[1], 1.0);
            for bad in [-1.0, f64::NAN, f64::INFINITY, 1e-101, 1e101] {
                assert!(!isa.weights(&[1.0, 1.0, bad, 1.0, 1.0], &mut w, &mut sw), "{bad}");
            }
        }
    }
}
