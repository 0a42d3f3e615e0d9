//! Tallying byte answers fast: compare-and-count instead of a histogram.
//!
//! A histogram loop (`counts[answer] += 1`) on 11 bins runs at ≈ 1.5 GB/s on the reference machine:
//! repeated answers hit the same counter and serialise on store-to-load forwarding. Here every vector
//! lane keeps a byte-wide counter per scale point; a chunk of bytes is compared with each point and the
//! matches added, with no dependency between chunks. Counters are flushed every 255 chunks, before a
//! byte counter could overflow. On x86_64 the portable body is compiled twice, for SSE2 and for AVX2,
//! chosen at run time, and the compiler vectorises it. On wasm32 it did not (≈ 3× slower than the
//! histogram loop there), so wasm32 with 128-bit SIMD has the same algorithm written with
//! `core::arch::wasm32` intrinsics. Other targets keep the histogram loop: `count_bytes` returns `None`.
//!
//! Validation comes free: a byte off the scale matches no point, so the counts then sum to less than
//! the number of bytes, and the caller falls back to the checked loop to name the offending answer.

// The portable body (all targets but wasm32 with SIMD, which has its own).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
const LANES: usize = 32;
/// Chunks per flush: 255 matches is the most a byte counter holds.
const FLUSH: usize = 255;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
pub(crate) fn count_body<const P: usize>(bytes: &[u8], min: u8, counts: &mut [u64; P]) {
    for block in bytes.chunks(LANES * FLUSH) {
        let mut acc = [[0u8; LANES]; P];
        let mut chunks = block.chunks_exact(LANES);
        for chunk in &mut chunks {
            let Ok(chunk) = <&[u8; LANES]>::try_from(chunk) else { continue };
            for (v, lanes) in acc.iter_mut().enumerate() {
                let point = min.wrapping_add(v as u8);
                for (lane, &b) in lanes.iter_mut().zip(chunk) {
                    *lane = lane.wrapping_add((b == point) as u8);
                }
            }
        }
        for (c, lanes) in counts.iter_mut().zip(&acc) {
            *c += lanes.iter().map(|&n| n as u64).sum::<u64>();
        }
        for &b in chunks.remainder() {
            let k = b.wrapping_sub(min) as usize;
            if k < P {
                counts[k] += 1;
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
pub(crate) fn count_avx2<const P: usize>(bytes: &[u8], min: u8, counts: &mut [u64; P]) {
    count_body::<P>(bytes, min, counts)
}

/// The same algorithm on wasm32's 128-bit vectors: 16 byte lanes per point, four vectors (64 bytes) per
/// step, flushed every 63 steps (4,032 bytes) through pairwise widening adds. In V8 (Node 20, AMD EPYC)
/// four vectors a step measured 0.92 ms on 10 M answers, two 1.19 ms, one 1.9 ms, eight 1.0 ms.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn count_simd128<const P: usize>(bytes: &[u8], min: u8, counts: &mut [u64; P]) {
    use core::arch::wasm32::*;
    const V: usize = 16;
    // Eleven of each, the most points handled (arrays indexed by constants below stay in registers).
    let points: [v128; 11] = std::array::from_fn(|v| u8x16_splat(min.wrapping_add(v as u8)));
    for block in bytes.chunks(4 * V * (FLUSH / 4)) {
        let mut acc = [u8x16_splat(0); 11];
        let mut chunks = block.chunks_exact(4 * V);
        for chunk in &mut chunks {
            // SAFETY: `chunk` is exactly 64 readable bytes; wasm's `v128.load` has no alignment
            // requirement. The Node tests compare this kernel with a plain count around every block
            // boundary and with off-scale bytes anywhere (bindings-wasm/tests/api.test.mjs).
            #[allow(unsafe_code)]
            let (x, y, z, w) = unsafe {
                let p = chunk.as_ptr().cast::<v128>();
                (v128_load(p), v128_load(p.add(1)), v128_load(p.add(2)), v128_load(p.add(3)))
            };
            // Unrolled by hand, with constant indexes: the size-optimised build (`opt-level = "z"`) does
            // not unroll a loop over the points and then keeps every counter in memory, loaded and
            // stored at each step (1.8 ms on 10 M answers in V8, against 1.19 ms unrolled, two vectors
            // a step). Points past `P` are skipped at compile time.
            macro_rules! each_point {
                ($($v:literal)*) => {$(
                    if $v < P {
                        let (p, a) = (points[$v], acc[$v]);
                        // A match is all ones (−1): subtracting adds 1.
                        let a = u8x16_sub(u8x16_sub(a, u8x16_eq(x, p)), u8x16_eq(y, p));
                        acc[$v] = u8x16_sub(u8x16_sub(a, u8x16_eq(z, p)), u8x16_eq(w, p));
                    }
                )*};
            }
            each_point!(0 1 2 3 4 5 6 7 8 9 10);
        }
        for (c, &a) in counts.iter_mut().zip(&acc) {
            let sums = u32x4_extadd_pairwise_u16x8(u16x8_extadd_pairwise_u8x16(a));
            *c += u32_lanes(sums).iter().map(|&n| n as u64).sum::<u64>();
        }
        for &b in chunks.remainder() {
            let k = b.wrapping_sub(min) as usize;
            if k < P {
                counts[k] += 1;
            }
        }
    }
}

/// A vector's four u32 lanes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn u32_lanes(v: core::arch::wasm32::v128) -> [u32; 4] {
    use core::arch::wasm32::u32x4_extract_lane as lane;
    [lane::<0>(v), lane::<1>(v), lane::<2>(v), lane::<3>(v)]
}

fn count_points<const P: usize>(bytes: &[u8], min: u8, counts: &mut [u64]) -> bool {
    let mut local = [0u64; P];
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: `count_avx2` requires only that the CPU supports AVX2, checked just above; it reads
            // `bytes` and writes `local` through ordinary safe slices. The tests below check it against
            // the plain loop on random and adversarial inputs, at and around every block boundary.
            #[allow(unsafe_code)]
            unsafe {
                count_avx2::<P>(bytes, min, &mut local)
            };
        } else {
            count_body::<P>(bytes, min, &mut local);
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    count_simd128::<P>(bytes, min, &mut local);
    #[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
    count_body::<P>(bytes, min, &mut local); // not reached: `count_bytes` declines other targets
    for (c, l) in counts.iter_mut().zip(local) {
        *c += l;
    }
    local.iter().sum::<u64>() == bytes.len() as u64
}

/// Counts `bytes` into `counts[b − min]` for the common scales (5, 7 and 11 points: CSAT, CES, NPS).
/// `None`: this scale is not handled here (nothing counted). `Some(false)`: some byte lies off the scale
/// (the counts are then partial and must be discarded). `Some(true)`: all counted.
pub(crate) fn count_bytes(bytes: &[u8], min: i32, counts: &mut [u64]) -> Option<bool> {
    if !cfg!(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))) {
        return None;
    }
    let min = u8::try_from(min).ok()?;
    match counts.len() {
        5 => Some(count_points::<5>(bytes, min, counts)),
        7 => Some(count_points::<7>(bytes, min, counts)),
        11 => Some(count_points::<11>(bytes, min, counts)),
        _ => None,
    }
}

/// The smallest and largest byte (`None` for no bytes): how a segment tally validates byte answers
/// before its unchecked scatter. Written with wasm32 SIMD there, since the .wasm is built for size
/// (`opt-level = "z"`), which leaves the plain fold unvectorised (0.5 GB/s, half of `benchmark`'s time).
pub(crate) fn byte_bounds(bytes: &[u8]) -> Option<(u8, u8)> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let &first = bytes.first()?;
        let (mut lo, mut hi) = (u8x16_splat(first), u8x16_splat(first));
        let mut chunks = bytes.chunks_exact(16);
        for chunk in &mut chunks {
            // SAFETY: `chunk` is exactly 16 readable bytes; `v128.load` has no alignment requirement.
            #[allow(unsafe_code)]
            let x = unsafe { v128_load(chunk.as_ptr().cast::<v128>()) };
            lo = u8x16_min(lo, x);
            hi = u8x16_max(hi, x);
        }
        let (mut lo_lanes, mut hi_lanes) = ([0u8; 16], [0u8; 16]);
        // SAFETY: each store writes exactly the 16 bytes of a local array.
        #[allow(unsafe_code)]
        unsafe {
            v128_store(lo_lanes.as_mut_ptr().cast::<v128>(), lo);
            v128_store(hi_lanes.as_mut_ptr().cast::<v128>(), hi);
        }
        let rest = chunks.remainder();
        let min = lo_lanes.iter().chain(rest).copied().fold(first, u8::min);
        let max = hi_lanes.iter().chain(rest).copied().fold(first, u8::max);
        Some((min, max))
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let lo = bytes.iter().copied().reduce(u8::min)?;
        let hi = bytes.iter().copied().reduce(u8::max)?;
        Some((lo, hi))
    }
}

/// The largest of `codes` (`None` for none): the number of segments behind a `Uint32Array` of segment
/// codes. SIMD on wasm32 for the same reason as [`byte_bounds`].
pub(crate) fn largest_u32(codes: &[u32]) -> Option<u32> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        let &first = codes.first()?;
        let mut hi = u32x4_splat(first);
        let mut chunks = codes.chunks_exact(4);
        for chunk in &mut chunks {
            // SAFETY: `chunk` is exactly 4 readable u32s (16 bytes); `v128.load` has no alignment requirement.
            #[allow(unsafe_code)]
            let x = unsafe { v128_load(chunk.as_ptr().cast::<v128>()) };
            hi = u32x4_max(hi, x);
        }
        u32_lanes(hi).iter().chain(chunks.remainder()).copied().max()
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    codes.iter().copied().max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(bytes: &[u8], min: u8, points: usize) -> (Vec<u64>, bool) {
        let mut c = vec![0u64; points];
        let mut all = true;
        for &b in bytes {
            match (b.wrapping_sub(min) as usize) < points {
                true => c[(b - min) as usize] += 1,
                false => all = false,
            }
        }
        (c, all)
    }

    fn check(bytes: &[u8], min: u8, points: usize) {
        let mut fast = vec![0u64; points];
        let ok = count_bytes(bytes, min as i32, &mut fast).unwrap();
        let (expected, all) = plain(bytes, min, points);
        assert_eq!(ok, all, "validity, len {}", bytes.len());
        if all {
            assert_eq!(fast, expected, "len {}", bytes.len());
        }
        // The portable body agrees too (on x86_64 `count_bytes` took the AVX2 path).
        if points == 11 {
            let mut portable = [0u64; 11];
            count_body::<11>(bytes, min, &mut portable);
            if all {
                assert_eq!(portable.to_vec(), expected);
            }
        }
    }

    fn pseudo_random(n: usize, seed: u64, modulo: u64) -> Vec<u8> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x % modulo) as u8
            })
            .collect()
    }

    #[test]
    fn fast_and_plain_paths_agree_on_random_bytes_around_every_boundary() {
        let block = LANES * FLUSH;
        for n in [0, 1, 31, 32, 33, 255, block - 1, block, block + 1, 2 * block + 17, 100_000] {
            check(&pseudo_random(n, n as u64 + 1, 11), 0, 11);
            check(&pseudo_random(n, n as u64 + 2, 5).iter().map(|b| b + 1).collect::<Vec<_>>(), 1, 5);
            check(&pseudo_random(n, n as u64 + 3, 7).iter().map(|b| b + 1).collect::<Vec<_>>(), 1, 7);
        }
    }

    #[test]
    fn adversarial_inputs() {
        let block = LANES * FLUSH;
        // All one answer (every byte counter saturates at 255 before a flush), both ends of the scale.
        for v in [0u8, 10] {
            check(&vec![v; 3 * block + 5], 0, 11);
        }
        // An off-scale byte anywhere: in the vector part, in the remainder, as the very last byte.
        for at in [0, 31, 32, block - 1, block, block + 40] {
            let mut b = pseudo_random(block + 41, 9, 11);
            b[at] = 11;
            check(&b, 0, 11);
            b[at] = 255;
            check(&b, 0, 11);
        }
        // Bytes below the scale's minimum wrap around in the kernel and must still count as off-scale.
        check(&[1, 2, 0, 3], 1, 5);
        check(&[0; 64], 1, 5);
    }
}
