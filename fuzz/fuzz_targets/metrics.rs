//! Every metric × interval method × level on arbitrary counts (up to u64::MAX, totals past 2⁵³):
//! a finite estimate in range with an ordered interval, or a typed error — never a panic or NaN.
#![no_main]
use cem_core::{compare, compare_to, CompareOptions, IntervalOptions, Method, Metric, Scale, Tally, Test};
use cem_fuzz::{check_estimate, check_p, Bytes, LEVELS};
use libfuzzer_sys::fuzz_target;

fn counts(b: &mut Bytes, points: usize, small: bool) -> Vec<u64> {
    (0..points)
        .map(|_| {
            let shift = if small { 54 } else { b.pick(&[0, 8, 32, 44, 54, 60]) };
            let mut x = [0u8; 8];
            x.iter_mut().for_each(|v| *v = b.byte());
            u64::from_le_bytes(x) >> shift
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let scale = b.pick(&[Scale::NPS, Scale::CSAT, Scale::CES, Scale::new(0, 1).unwrap(), Scale::new(-3, 3).unwrap()]);
    let method = b.pick(&Method::ALL);
    let level = b.pick(&LEVELS);
    // Resampling and quadrature cost grows with n; keep those cases small so the fuzzer stays fast.
    let small = matches!(method, Method::Bootstrap | Method::Bayes);
    let t1 = Tally::from_counts(scale, &counts(&mut b, scale.points(), small)).unwrap();
    let t2 = Tally::from_counts(scale, &counts(&mut b, scale.points(), small)).unwrap();
    let (lo, hi) = (scale.min(), scale.max());
    let mid = lo + (b.byte() as i32 % scale.points() as i32);
    let metrics = [
        Metric::Nps,
        Metric::Csat { threshold: mid },
        Metric::Ces { version: 2 },
        Metric::Ces { version: 1 },
        Metric::TopBox { threshold: mid },
        Metric::BottomBox { threshold: mid },
        Metric::NetBox { top: hi, bottom: lo },
        Metric::NetBox { top: mid, bottom: mid },
        Metric::Mean,
    ];
    let opts = IntervalOptions { level, method: Some(method), resamples: 50, seed: b.byte() as u64, ..Default::default() };
    let test = b.pick(&[None, Some(Test::Wald), Some(Test::AdjustedWald), Some(Test::Score), Some(Test::AgrestiCaffo), Some(Test::Welch), Some(Test::T)]);
    let copts = CompareOptions { method: test, level, ..Default::default() };
    for m in metrics {
        let (Ok(e1), Ok(e2)) = (m.estimate(&t1, &opts), m.estimate(&t2, &opts)) else { continue };
        check_estimate(&e1, level);
        check_estimate(&e2, level);
        if let Ok(c) = compare(&e1, &e2, &copts) {
            check_p(c.p_value);
            assert!(c.difference.is_finite());
            assert!(c.interval.lower <= c.interval.upper, "{c:?}");
        }
        if let Ok(c) = compare_to(&e1, e2.value, e2.standard_error, &copts) {
            check_p(c.p_value);
        }
    }
});
