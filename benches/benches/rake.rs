//! Criterion bench of raking end to end on one thread: 10⁷ rows × 4 variables given as codes (a
//! categorical column's codes and level names) → level codes, cells, IPF, a weight per row. Budget
//! (DESIGN.md): ≤ 0.5 s.

use cem_core::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

/// Deterministic codes in 0..levels, skewed towards the low levels (a sample that must be weighted).
fn codes(n: usize, levels: usize, seed: u64) -> Vec<i64> {
    (0..n as u64)
        .map(|i| {
            // splitmix64 of (seed, row): independent columns for different seeds.
            let mut x = i.wrapping_add(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) << 20);
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^= x >> 31;
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            (u * u * levels as f64) as i64
        })
        .collect()
}

fn rake(c: &mut Criterion) {
    const ROWS: usize = 10_000_000;
    let levels = [5usize, 4, 6, 3];
    let data: Vec<Vec<i64>> = levels.iter().enumerate().map(|(v, &k)| codes(ROWS, k, 11 + v as u64)).collect();
    let names: Vec<Vec<String>> = levels.iter().map(|&k| (0..k).map(|l| format!("l{l}")).collect()).collect();
    // Population shares rising with the level, unlike the sample's.
    let margins = serde_json::json!({
        "v0": {"l0": 0.1, "l1": 0.15, "l2": 0.2, "l3": 0.25, "l4": 0.3},
        "v1": {"l0": 0.1, "l1": 0.2, "l2": 0.3, "l3": 0.4},
        "v2": {"l0": 0.1, "l1": 0.1, "l2": 0.15, "l3": 0.15, "l4": 0.2, "l5": 0.3},
        "v3": {"l0": 0.2, "l1": 0.3, "l2": 0.5}
    });
    let mut g = c.benchmark_group("rake");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("1e7_rows_4_variables", |b| {
        b.iter(|| {
            let columns: Vec<(String, RakeColumn)> = (0..4)
                .map(|v| (format!("v{v}"), RakeColumn::from_codes(&data[v], names[v].clone()).unwrap()))
                .collect();
            let r = operations::rake(&columns, None, &margins, "{}").unwrap();
            black_box(r.weights.len())
        })
    });
    g.finish();
}

criterion_group!(benches, rake);
criterion_main!(benches);
