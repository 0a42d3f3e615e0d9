//! Segment benchmarks on arbitrary keys (any UTF-8, empty, repeated) and answers, against every
//! reference and correction: one row per key, probabilities in [0, 1], adjusted ≥ raw, a summary that
//! adds up — or a typed error. Whole-number keys give what their decimal strings give.
#![no_main]
use cem_core::{benchmark, BenchmarkOptions, Correction, Metric, Missing, Reference, Scale, SegmentTally};
use cem_fuzz::{check_p, check_tally, Bytes, LEVELS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let (metric, scale) = b.pick(&[(Metric::Nps, Scale::NPS), (Metric::Csat { threshold: 4 }, Scale::CSAT), (Metric::Ces { version: 2 }, Scale::CES)]);
    let reference = match b.byte() % 5 {
        0 => Reference::Rest,
        1 => Reference::Overall,
        2 => Reference::Previous,
        3 => Reference::Benchmark { value: b.byte() as f64 - 100.0, se: b.pick(&[None, Some(0.0), Some(2.5), Some(f64::NAN)]) },
        _ => Reference::Segment { key: String::from_utf8_lossy(&[b.byte() % 4 + b'a']).into() },
    };
    let correction = b.pick(&[Correction::Holm, Correction::Bonferroni, Correction::Hochberg, Correction::BenjaminiHochberg, Correction::BenjaminiYekutieli, Correction::None]);
    let mut opts = BenchmarkOptions { reference, correction, min_n: b.byte() as u64 % 8, ..Default::default() };
    opts.interval.level = b.pick(&LEVELS);
    let spread = b.pick(&[1i64, -3, 1_000_000_007]); // numbered keys: dense, negative or sparse
    // Rows: a key of 0–3 bytes (mostly a few letters, sometimes anything), then an answer byte.
    let (mut keys, mut answers) = (Vec::new(), Vec::new());
    let rest = b.rest();
    let mut r = Bytes(rest);
    while !r.0.is_empty() {
        let len = (r.byte() % 4) as usize;
        let key: Vec<u8> = (0..len).map(|_| { let k = r.byte(); if k < 200 { b'a' + k % 4 } else { k } }).collect();
        keys.push(String::from_utf8_lossy(&key).into_owned());
        answers.push((r.byte() % 12) as f64 + scale.min() as f64 - 1.0);
    }
    // Whole-number keys name their segments as their decimal strings would, errors included.
    let numbers: Vec<i64> = keys.iter().map(|k| k.bytes().map(i64::from).sum::<i64>() * spread).collect();
    let names: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let (mut by_number, mut by_name) = (SegmentTally::new(scale), SegmentTally::new(scale));
    let numbered = by_number.update_numbered(&numbers, &answers, None, Missing::Skip).map(|_| by_number);
    let named = by_name.update_keys(&names, &answers, None, Missing::Skip).map(|_| by_name);
    assert_eq!(numbered, named, "numbered keys disagree with their decimal strings");
    let mut s = SegmentTally::new(scale);
    let before = s.clone();
    if s.update_keys(&keys, &answers, None, Missing::Skip).is_err() {
        assert_eq!(s, before, "a failed update changed the tally");
        return;
    }
    s.tallies().iter().for_each(check_tally);
    let Ok(table) = benchmark(&s, metric, &opts) else { return };
    assert_eq!(table.rows.len(), s.keys().len());
    let mut tested = 0;
    for row in &table.rows {
        if let Some(p) = row.p_value {
            tested += 1;
            check_p(p);
            let adj = row.adjusted_p_value.expect("a tested row has an adjusted p");
            check_p(adj);
            assert!(adj >= p - 1e-12, "adjusted {adj} < raw {p}");
        }
        for v in [row.value, row.lower, row.upper, row.difference, row.statistic, row.impact].into_iter().flatten() {
            assert!(!v.is_nan(), "NaN in {row:?}");
        }
    }
    assert_eq!(table.summary.tested, tested);
    assert!(table.summary.significantly_above + table.summary.significantly_below <= tested);
});
