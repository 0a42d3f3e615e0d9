//! Criterion bench of `discover`: 10⁶ rows × 8 attributes × 6 values, depth 3, NPS (the budget: ≤ 1 s on
//! 2 cores), the attributes given as categorical codes (pandas categoricals, Arrow dictionaries) and as
//! texts.

use cem_core::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const ROWS: usize = 1_000_000;
const ATTRIBUTES: usize = 8;
const VALUES: usize = 6;

/// Deterministic pseudo-random integers below `n` (xorshift).
fn draws(rows: usize, n: u64, seed: u64) -> Vec<u64> {
    let mut x = seed | 1;
    (0..rows)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        })
        .collect()
}

fn discover(c: &mut Criterion) {
    let codes: Vec<Vec<i64>> = (0..ATTRIBUTES)
        .map(|a| draws(ROWS, VALUES as u64, 11 + a as u64).iter().map(|&v| v as i64).collect())
        .collect();
    // One interaction: a3=v0 & a5=v1 far worse.
    let noise = draws(ROWS, 11, 3);
    let nps: Vec<f64> = (0..ROWS)
        .map(|i| if codes[3][i] == 0 && codes[5][i] == 1 { (noise[i] / 2) as f64 } else { noise[i] as f64 })
        .collect();
    let values: Vec<String> = (0..VALUES).map(|v| format!("v{v}")).collect();
    let names: Vec<String> = (0..ATTRIBUTES).map(|a| format!("a{a}")).collect();
    let texts: Vec<Vec<Option<&str>>> =
        codes.iter().map(|c| c.iter().map(|&v| Some(values[v as usize].as_str())).collect()).collect();
    let options = r#"{"answer": "nps", "depth": 3}"#;
    let mut g = c.benchmark_group("discover");
    g.sample_size(10);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("1000000x8x6_depth3_codes", |b| {
        b.iter(|| {
            let mut columns: Vec<(&str, Column)> = names
                .iter()
                .zip(&codes)
                .map(|(n, c)| (n.as_str(), Column::Codes { codes: c, names: &values }))
                .collect();
            columns.push(("nps", Column::Numbers(&nps)));
            operations::discover(black_box(&columns), options).unwrap()
        })
    });
    g.bench_function("1000000x8x6_depth3_texts", |b| {
        b.iter(|| {
            let mut columns: Vec<(&str, Column)> =
                names.iter().zip(&texts).map(|(n, t)| (n.as_str(), Column::Texts(t))).collect();
            columns.push(("nps", Column::Numbers(&nps)));
            operations::discover(black_box(&columns), options).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, discover);
criterion_main!(benches);
