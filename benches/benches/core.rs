//! Criterion benches of the core: tallying throughput (bytes/s, rows/s) across sizes, and the
//! closed-form work after the tally (estimates, benchmark tables).

use cem_core::*;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;

/// Deterministic pseudo-random bytes (xorshift), so runs compare.
fn pseudo_random(n: usize, seed: u64) -> impl Iterator<Item = u64> {
    let mut x = seed | 1;
    (0..n).map(move |_| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    })
}

fn answers(n: usize) -> Vec<u8> {
    pseudo_random(n, 7).map(|x| (x % 11) as u8).collect()
}

fn tally_u8(c: &mut Criterion) {
    let mut g = c.benchmark_group("tally_u8");
    g.sample_size(20);
    // 10³…10⁸ answers, so the cost curve shows (benches/report.py charts it).
    for n in [1_000usize, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000] {
        let data = answers(n);
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &data, |b, d| {
            b.iter(|| Tally::from_answers(Scale::NPS, black_box(d), None, Missing::Error).unwrap())
        });
    }
    let data: Vec<f64> = answers(1_000_000).into_iter().map(f64::from).collect();
    g.throughput(Throughput::Elements(data.len() as u64));
    g.bench_function("f64_1000000", |b| {
        b.iter(|| Tally::from_answers(Scale::NPS, black_box(&data), None, Missing::Skip).unwrap())
    });
    let w: Vec<f64> = pseudo_random(1_000_000, 3).map(|x| (x % 1000) as f64 / 500.0).collect();
    let d8 = answers(1_000_000);
    g.bench_function("weighted_1000000", |b| {
        b.iter(|| Tally::from_answers(Scale::NPS, black_box(&d8), Some(&w), Missing::Error).unwrap())
    });
    g.finish();
}

fn segment_tally(c: &mut Criterion) {
    let mut g = c.benchmark_group("segment_tally_u32_u8");
    let n = 10_000_000usize;
    let data = answers(n);
    for segments in [10u32, 1_000, 10_000] {
        let codes: Vec<u32> = pseudo_random(n, 11).map(|x| (x % segments as u64) as u32).collect();
        let names: Vec<String> = (0..segments).map(|i| format!("s{i:05}")).collect();
        g.throughput(Throughput::Elements(n as u64));
        // The ceiling: a plain scatter loop with no validation, no names, no merging.
        g.bench_with_input(BenchmarkId::new("plain_loop", segments), &codes, |b, codes| {
            b.iter(|| {
                let mut counts = vec![0u64; segments as usize * 11];
                for (&c, &a) in black_box(codes).iter().zip(&data) {
                    counts[c as usize * 11 + a as usize] += 1;
                }
                counts
            })
        });
        g.bench_with_input(BenchmarkId::new("cem", segments), &codes, |b, codes| {
            b.iter(|| {
                let mut s = SegmentTally::new(Scale::NPS);
                s.update_codes(black_box(codes), &names, &data, None, Missing::Error).unwrap();
                s
            })
        });
    }
    g.finish();
}

/// The split across threads: 1,000 segments at 1 and 2 threads (`update_codes_threads`, which takes the
/// count as given) from 10⁵ to 10⁷ rows, where two threads start to win (`parallel::CROSSOVER`) and
/// how they scale; `update_codes` itself picks one thread below the crossover.
fn segment_threads(c: &mut Criterion) {
    let mut g = c.benchmark_group("segment_tally_threads_1000_segments");
    let names: Vec<String> = (0..1000).map(|i| format!("s{i:05}")).collect();
    for n in [100_000usize, 250_000, 500_000, 1_000_000, 10_000_000] {
        let data = answers(n);
        let codes: Vec<u32> = pseudo_random(n, 11).map(|x| (x % 1000) as u32).collect();
        g.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            g.sample_size(20);
        }
        for threads in [1usize, 2] {
            g.bench_with_input(BenchmarkId::new(format!("{threads}_threads"), n), &codes, |b, codes| {
                b.iter(|| {
                    let mut s = SegmentTally::new(Scale::NPS);
                    s.update_codes_threads(threads, black_box(codes), &names, &data, None, Missing::Error).unwrap();
                    s
                })
            });
        }
    }
    g.finish();
}

/// A 10⁷-row trend, 1,000 segments × 52 ISO weeks of 2025: where the time goes (binning day numbers or
/// parsing ISO texts, the grid's count, the tests over 52,000 cells).
fn trend_grid(c: &mut Criterion) {
    let mut g = c.benchmark_group("trend_1e7_rows_1000_segments_52_weeks");
    g.sample_size(10);
    let n = 10_000_000usize;
    let data = answers(n);
    let first = 20_089i32; // 2025-01-01
    let days: Vec<i32> = pseudo_random(n, 13).map(|x| first + (x % 364) as i32).collect();
    let codes: Vec<u32> = pseudo_random(n, 11).map(|x| (x % 1_000) as u32).collect();
    let names: Vec<String> = (0..1_000).map(|i| format!("s{i:04}")).collect();
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("binning_only", |b| {
        b.iter(|| black_box(&days).iter().map(|&d| Every::Week.period(d)).fold(0i64, |a, p| a + p as i64))
    });
    let tally = |days: &dyn Fn(&mut TrendTally)| {
        let mut t = TrendTally::by_segment(Scale::NPS, Every::Week);
        days(&mut t);
        t
    };
    g.bench_function("grid_from_day_numbers", |b| {
        b.iter(|| tally(&|t| t.update_codes(black_box(&days), &codes, &names, &data, None, Missing::Error).unwrap()))
    });
    let texts: Vec<String> = days.iter().map(|&d| Every::Day.label(d)).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    g.bench_function("grid_from_iso_texts", |b| {
        b.iter(|| tally(&|t| t.update_codes(black_box(&texts), &codes, &names, &data, None, Missing::Error).unwrap()))
    });
    let grid = tally(&|t| t.update_codes(&days, &codes, &names, &data, None, Missing::Error).unwrap());
    let opts = BenchmarkOptions { reference: Reference::Previous, ..Default::default() };
    g.throughput(Throughput::Elements(52_000));
    g.bench_function("tests_and_holm_over_the_grid", |b| {
        b.iter(|| trend(black_box(&grid), Metric::Nps, &opts).unwrap())
    });
    g.finish();
}

fn after_the_tally(c: &mut Criterion) {
    let mut g = c.benchmark_group("closed_form");
    let t = Tally::from_answers(Scale::NPS, &answers(10_000), None, Missing::Error).unwrap();
    for m in [Method::AdjustedWald, Method::Score, Method::Bayes] {
        let o = IntervalOptions { method: Some(m), ..Default::default() };
        g.bench_function(format!("nps_{m}"), |b| b.iter(|| Metric::Nps.estimate(black_box(&t), &o).unwrap()));
    }
    // A typical segment's size: the Bayes interval's cost per segment of a benchmark.
    let small = Tally::from_answers(Scale::NPS, &answers(100), None, Missing::Error).unwrap();
    let o = IntervalOptions { method: Some(Method::Bayes), ..Default::default() };
    g.bench_function("nps_bayes_n100", |b| b.iter(|| Metric::Nps.estimate(black_box(&small), &o).unwrap()));
    let n = 1_000_000usize;
    let codes: Vec<u32> = pseudo_random(n, 5).map(|x| (x % 1000) as u32).collect();
    let names: Vec<String> = (0..1000).map(|i| format!("s{i:04}")).collect();
    let mut s = SegmentTally::new(Scale::NPS);
    s.update_codes(&codes, &names, &answers(n), None, Missing::Error).unwrap();
    g.bench_function("benchmark_1000_segments_holm", |b| {
        b.iter(|| benchmark(black_box(&s), Metric::Nps, &BenchmarkOptions::default()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, tally_u8, segment_tally, segment_threads, trend_grid, after_the_tally);
criterion_main!(benches);
