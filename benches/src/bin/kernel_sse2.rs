//! The byte-tally kernel natively at both vector widths, on the bytes of a file (or 10 M pseudo-random
//! answers): its portable body compiled for x86_64's baseline SSE2 (128-bit, the width of WebAssembly's
//! simd128, so the fair limit for the .wasm) and for AVX2 (256-bit, what cem picks at run time here),
//! and the whole `Tally::from_answers` as cem runs it. `benches/js/peers.mjs` runs it on the same bytes
//! as the WASM kernel. Prints JSON: the median ms of each.
//!
//! Run: `cargo run --release -p cem-benches --bin kernel_sse2 [FILE]`.

#[allow(dead_code, unsafe_code)]
#[path = "../../../cem-core/src/score/kernel.rs"]
mod kernel;

use std::hint::black_box;
use std::time::Instant;

fn median(mut f: impl FnMut(), runs: usize) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

/// The portable body at the baseline target (x86_64: SSE2).
#[inline(never)]
fn sse2(bytes: &[u8], counts: &mut [u64; 11]) {
    kernel::count_body::<11>(bytes, 0, counts)
}

/// The same at 128 bits with AVX's three-operand encoding (AVX has no 256-bit integer compares): what
/// V8 emits for WebAssembly's simd128 on a CPU with AVX.
#[target_feature(enable = "avx")]
#[inline(never)]
fn avx128(bytes: &[u8], counts: &mut [u64; 11]) {
    kernel::count_body::<11>(bytes, 0, counts)
}

fn main() {
    let bytes = match std::env::args().nth(1) {
        Some(path) => std::fs::read(path).expect("a file of answers"),
        None => {
            let mut x = 7u64;
            (0..10_000_000)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    (x % 11) as u8
                })
                .collect()
        }
    };
    let mut counts = [0u64; 11];
    let sse2 = median(|| sse2(black_box(&bytes), black_box(&mut counts)), 31);
    let avx2 = match std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, checked just above.
        true => Some(median(|| unsafe { kernel::count_avx2::<11>(black_box(&bytes), 0, black_box(&mut counts)) }, 31)),
        false => None,
    };
    let avx128 = match std::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, checked just above.
        true => Some(median(|| unsafe { avx128(black_box(&bytes), black_box(&mut counts)) }, 31)),
        false => None,
    };
    let scale = cem_core::Scale::NPS;
    let missing = cem_core::Missing::Error;
    let tally = median(|| drop(black_box(cem_core::Tally::from_answers(scale, &bytes, None, missing))), 31);
    println!(
        "{{\"bytes\": {}, \"sse2_ms\": {sse2:.4}, \"avx128_ms\": {}, \"avx2_ms\": {}, \"tally_ms\": {tally:.4}}}",
        bytes.len(),
        avx128.map_or("null".into(), |t| format!("{t:.4}")),
        avx2.map_or("null".into(), |t| format!("{t:.4}"))
    );
}
