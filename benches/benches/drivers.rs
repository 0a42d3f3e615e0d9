//! Criterion benches of key driver analysis: the moment tally on 10⁶ rows × 20 drivers, `lmg` at
//! p = 10, 15, 20 (2^p subsets) and `relative_weights` at p = 200.

use cem_core::*;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

/// Deterministic pseudo-random uniforms in [0, 1) (xorshift).
fn uniforms(n: usize, seed: u64) -> Vec<f64> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect()
}

/// p correlated 1–5 ratings and an outcome built from them.
fn survey(rows: usize, p: usize) -> (Vec<f64>, Vec<Vec<f64>>, Vec<String>) {
    let common = uniforms(rows, 99);
    let xs: Vec<Vec<f64>> = (0..p)
        .map(|j| {
            uniforms(rows, 1001 + 2 * j as u64)
                .iter()
                .zip(&common)
                .map(|(u, c)| (1.0 + 2.0 * (u + c)).floor())
                .collect()
        })
        .collect();
    let noise = uniforms(rows, 5);
    let y = (0..rows)
        .map(|i| xs.iter().enumerate().map(|(j, x)| x[i] / (j + 1) as f64).sum::<f64>() + 3.0 * noise[i])
        .collect();
    (y, xs, (0..p).map(|j| format!("d{j}")).collect())
}

fn tally(rows: usize, p: usize) -> DriverTally {
    let (y, xs, names) = survey(rows, p);
    let mut t = DriverTally::new("y", &names, OutcomeScore::Value, None, None).unwrap();
    let cols: Vec<&[f64]> = xs.iter().map(|c| &c[..]).collect();
    t.update(&y, &cols, None, Missing::Error).unwrap();
    t
}

fn moment_tally(c: &mut Criterion) {
    let mut g = c.benchmark_group("driver_tally");
    g.sample_size(10);
    let (rows, p) = (1_000_000, 20);
    let (y, xs, names) = survey(rows, p);
    let cols: Vec<&[f64]> = xs.iter().map(|c| &c[..]).collect();
    g.throughput(Throughput::Elements(rows as u64));
    g.bench_function("1000000x20", |b| {
        b.iter(|| {
            let mut t = DriverTally::new("y", &names, OutcomeScore::Value, None, None).unwrap();
            t.update(black_box(&y), &cols, None, Missing::Error).unwrap();
            t
        })
    });
}

fn methods(c: &mut Criterion) {
    let mut g = c.benchmark_group("drivers");
    g.sample_size(10);
    for p in [10usize, 15, 20] {
        let t = tally(2_000, p);
        g.bench_with_input(BenchmarkId::new("lmg", p), &t, |b, t| {
            b.iter(|| analyse_drivers(black_box(t), DriverMethod::Lmg, 0.95).unwrap())
        });
    }
    let t = tally(5_000, 200);
    g.bench_with_input(BenchmarkId::new("relative_weights", 200), &t, |b, t| {
        b.iter(|| analyse_drivers(black_box(t), DriverMethod::RelativeWeights, 0.95).unwrap())
    });
}

criterion_group!(benches, moment_tally, methods);
criterion_main!(benches);
