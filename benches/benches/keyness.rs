//! Criterion bench of keyness: 10⁶ comments of about 20 words (the budget: tallied in ≤ 2 s on 2 cores),
//! detractors against promoters, unigrams and bigrams, English stop words. The comments are drawn from a
//! Zipf-distributed vocabulary of common English words and 20,000 made-up ones, with punctuation
//! (`cem_benches::corpus`; `benches/python/keyness_peers.py` draws the same vocabulary and distribution
//! with numpy for its side-by-side run against scikit-learn).

use cem_benches::corpus;
use cem_core::*;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const COMMENTS: usize = 1_000_000;

fn keyness(c: &mut Criterion) {
    let (texts, answers) = corpus(COMMENTS);
    let comments: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    let mut g = c.benchmark_group("keyness");
    g.sample_size(10);
    g.throughput(Throughput::Elements(COMMENTS as u64));
    g.bench_function("1000000_comments_by_answer", |b| {
        b.iter(|| operations::keyness_by_answer(black_box(&comments), &answers, "{}").unwrap())
    });
    g.bench_function("1000000_comments_one_tally", |b| {
        b.iter(|| {
            let mut t = TermTally::new(TokenOptions::default()).unwrap();
            t.update(black_box(&comments), None).unwrap();
            t
        })
    });
    g.finish();
}

criterion_group!(benches, keyness);
criterion_main!(benches);
