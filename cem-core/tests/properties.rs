//! Property tests: algebra of tallies and the shape of intervals, on random inputs.

use cem_core::*;
use proptest::prelude::*;

fn counts(points: usize) -> impl Strategy<Value = Vec<u64>> {
    prop::collection::vec(0u64..50, points)
}

fn weighted_tally(scale: Scale) -> impl Strategy<Value = Tally> {
    let (lo, hi) = (scale.min(), scale.max());
    prop::collection::vec((lo..=hi, 0.0f64..5.0), 0..40).prop_map(move |pairs| {
        let answers: Vec<i32> = pairs.iter().map(|p| p.0).collect();
        let weights: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        Tally::from_answers(scale, &answers, Some(&weights), Missing::Error).unwrap()
    })
}

fn merged(a: &Tally, b: &Tally) -> Tally {
    let mut m = a.clone();
    m.merge(b).unwrap();
    m
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9 * (1.0 + x.abs()))
}

fn nps_tally(c: &[u64]) -> Tally {
    Tally::from_counts(Scale::NPS, c).unwrap()
}

const NET_METHODS: [Method; 6] =
    [Method::Wald, Method::AdjustedWald, Method::AdjustedWaldZ2, Method::Score, Method::TrinomialT, Method::Bayes];
const PROPORTION_METHODS: [Method; 5] =
    [Method::Wilson, Method::Wald, Method::AgrestiCoull, Method::ClopperPearson, Method::Jeffreys];

fn est(metric: Metric, t: &Tally, method: Method, level: f64) -> Estimate {
    metric.estimate(t, &IntervalOptions { level, method: Some(method), ..Default::default() }).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_commutative_and_associative(a in counts(11), b in counts(11), c in counts(11)) {
        let (a, b, c) = (nps_tally(&a), nps_tally(&b), nps_tally(&c));
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
        prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
    }

    #[test]
    fn weighted_merge_is_commutative_and_associative(
        a in weighted_tally(Scale::CSAT), b in weighted_tally(Scale::CSAT), c in weighted_tally(Scale::CSAT)
    ) {
        let (ab, ba) = (merged(&a, &b), merged(&b, &a));
        prop_assert_eq!(ab.counts(), ba.counts());
        prop_assert!(close(&ab.weight_sums(), &ba.weight_sums()));
        let (l, r) = (merged(&ab, &c), merged(&a, &merged(&b, &c)));
        prop_assert_eq!(l.counts(), r.counts());
        prop_assert!(close(&l.weight_sums(), &r.weight_sums()));
        prop_assert!(close(&l.weight_sq_sums(), &r.weight_sq_sums()));
    }

    #[test]
    fn a_partitioned_tally_equals_one_pass(answers in prop::collection::vec(0u8..=10, 0..200), cut in 0usize..200) {
        let cut = cut.min(answers.len());
        let whole = Tally::from_answers(Scale::NPS, &answers, None, Missing::Error).unwrap();
        let mut part = Tally::from_answers(Scale::NPS, &answers[..cut], None, Missing::Error).unwrap();
        part.merge(&Tally::from_answers(Scale::NPS, &answers[cut..], None, Missing::Error).unwrap()).unwrap();
        prop_assert_eq!(whole, part);
    }

    /// Integer weights act as repetitions for everything a frequency weight determines: the summed
    /// weight per point and hence every share and value. (Intervals differ on purpose: cem's weights are
    /// sampling weights with a Kish effective n; pre-counted repetitions belong in `from_counts`.)
    #[test]
    fn integer_weights_equal_repetition(pairs in prop::collection::vec((0i32..=10, 1u32..5), 1..30)) {
        let answers: Vec<i32> = pairs.iter().map(|p| p.0).collect();
        let weights: Vec<f64> = pairs.iter().map(|p| p.1 as f64).collect();
        let repeated: Vec<i32> = pairs.iter().flat_map(|&(a, w)| std::iter::repeat_n(a, w as usize)).collect();
        let w = Tally::from_answers(Scale::NPS, &answers, Some(&weights), Missing::Error).unwrap();
        let r = Tally::from_answers(Scale::NPS, &repeated, None, Missing::Error).unwrap();
        prop_assert!(close(&w.weight_sums(), &r.weight_sums()));
        let opts = IntervalOptions::default();
        let (ew, er) = (Metric::Nps.estimate(&w, &opts).unwrap(), Metric::Nps.estimate(&r, &opts).unwrap());
        prop_assert!((ew.value - er.value).abs() < 1e-9);
    }

    #[test]
    fn a_failed_update_leaves_the_tally_unchanged(start in counts(11), mut more in prop::collection::vec(0i64..=10, 1..50), bad in 0usize..50) {
        let mut t = nps_tally(&start);
        let before = t.clone();
        let i = bad % more.len();
        more[i] = 11;
        let err = t.update(&more, None, Missing::Error).unwrap_err();
        prop_assert_eq!(err.code(), "out_of_range");
        prop_assert_eq!(err.index(), Some(i));
        prop_assert_eq!(t, before);
    }

    #[test]
    fn net_intervals_are_ordered_finite_and_in_range(c in counts(11), level in 0.01f64..0.999) {
        prop_assume!(c.iter().sum::<u64>() > 0);
        let t = nps_tally(&c);
        for m in NET_METHODS {
            let e = est(Metric::Nps, &t, m, level);
            let (lo, hi) = e.confidence_interval();
            prop_assert!(lo.is_finite() && hi.is_finite(), "{m}: {lo} {hi}");
            prop_assert!((-100.0..=100.0).contains(&lo) && (-100.0..=100.0).contains(&hi) && lo <= hi, "{m}: {lo} {hi}");
        }
    }

    #[test]
    fn intervals_contain_the_estimate_where_the_method_guarantees_it(c in counts(11), level in 0.01f64..0.999) {
        prop_assume!(c.iter().sum::<u64>() > 0);
        let t = nps_tally(&c);
        for m in [Method::Wald, Method::Score, Method::TrinomialT] {
            let e = est(Metric::Nps, &t, m, level);
            prop_assert!(e.interval.lower <= e.value + 1e-9 && e.value <= e.interval.upper + 1e-9, "{m}: {:?} {}", e.interval, e.value);
        }
        let csat = Tally::from_counts(Scale::CSAT, &c[..5]).unwrap();
        prop_assume!(csat.n() > 0);
        for m in [Method::Wilson, Method::Wald, Method::AgrestiCoull, Method::ClopperPearson] {
            let e = est(Metric::csat(Scale::CSAT, None).unwrap(), &csat, m, level);
            prop_assert!(e.interval.lower <= e.value + 1e-9 && e.value <= e.interval.upper + 1e-9, "{m}: {:?} {}", e.interval, e.value);
        }
        let e = est(Metric::Mean, &csat, Method::T, level);
        prop_assert!(e.interval.lower <= e.value + 1e-9 && e.value <= e.interval.upper + 1e-9);
    }

    #[test]
    fn intervals_widen_with_the_level(c in counts(11), l1 in 0.01f64..0.99, l2 in 0.01f64..0.99) {
        prop_assume!(c.iter().sum::<u64>() > 0);
        let (lo_level, hi_level) = if l1 < l2 { (l1, l2) } else { (l2, l1) };
        let t = nps_tally(&c);
        let csat = Tally::from_counts(Scale::CSAT, &c[..5]).unwrap();
        let mut pairs: Vec<(Estimate, Estimate)> = NET_METHODS
            .iter()
            .map(|&m| (est(Metric::Nps, &t, m, lo_level), est(Metric::Nps, &t, m, hi_level)))
            .collect();
        if csat.n() > 0 {
            let metric = Metric::csat(Scale::CSAT, None).unwrap();
            pairs.extend(PROPORTION_METHODS.iter().map(|&m| (est(metric, &csat, m, lo_level), est(metric, &csat, m, hi_level))));
            pairs.push((est(Metric::Mean, &csat, Method::T, lo_level), est(Metric::Mean, &csat, Method::T, hi_level)));
        }
        for (narrow, wide) in pairs {
            let m = narrow.interval.method;
            prop_assert!(wide.interval.lower <= narrow.interval.lower + 1e-6, "{m}: {:?} vs {:?}", wide.interval, narrow.interval);
            prop_assert!(wide.interval.upper >= narrow.interval.upper - 1e-6, "{m}: {:?} vs {:?}", wide.interval, narrow.interval);
        }
    }

    #[test]
    fn serde_round_trips_a_tally(t in weighted_tally(Scale::CES)) {
        let json = serde_json::to_string(&t).unwrap();
        let back: Tally = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.counts(), t.counts());
        prop_assert!(close(&back.weight_sums(), &t.weight_sums()));
    }

    #[test]
    fn adjusted_pvalues_are_at_least_the_raw_ones_and_at_most_one(p in prop::collection::vec(0.0f64..=1.0, 0..30)) {
        for c in [Correction::Holm, Correction::Bonferroni, Correction::Hochberg, Correction::BenjaminiHochberg, Correction::BenjaminiYekutieli] {
            let adj = adjust_pvalues(&p, c).unwrap();
            for (a, raw) in adj.iter().zip(&p) {
                prop_assert!(*a >= *raw - 1e-15 && *a <= 1.0);
            }
        }
    }
}

#[test]
fn deserializing_an_inconsistent_tally_is_an_error_not_a_panic() {
    for bad in [
        r#"{"scale":{"min":0,"max":10},"counts":[1,2]}"#,
        r#"{"scale":{"min":3,"max":1},"counts":[1,2,3]}"#,
        r#"{"scale":{"min":1,"max":2},"counts":[1,1],"weight_sums":[-1.0,1.0],"weight_sq_sums":[1.0,1.0]}"#,
        r#"{"scale":{"min":1,"max":2},"counts":[0,1],"weight_sums":[2.0,1.0],"weight_sq_sums":[4.0,1.0]}"#,
        r#"{"scale":{"min":1,"max":2},"counts":[1,1],"weight_sums":[1.0,1.0]}"#,
    ] {
        assert!(serde_json::from_str::<Tally>(bad).is_err(), "{bad}");
    }
}

#[test]
fn merging_counts_near_the_top_of_u64_is_an_overflow_error() {
    let mut big = vec![0u64; 11];
    big[10] = u64::MAX - 1;
    let mut t = Tally::from_counts(Scale::NPS, &big).unwrap();
    let before = t.clone();
    let err = t.update(&[10u8, 10], None, Missing::Error).unwrap_err();
    assert_eq!(err.code(), "overflow");
    assert_eq!(t, before);
}

#[test]
fn tallies_on_different_scales_do_not_merge() {
    let mut a = Tally::new(Scale::NPS);
    assert_eq!(a.merge(&Tally::new(Scale::CSAT)).unwrap_err().code(), "incompatible");
}

fn segment_rows() -> impl Strategy<Value = (Vec<u32>, Vec<u8>)> {
    prop::collection::vec((0u32..6, 0u8..=10), 0..200).prop_map(|rows| rows.into_iter().unzip())
}

const NAMES: [&str; 6] = ["north", "south", "east", "west", "north", "islands"]; // "north" twice: codes share it

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn segment_tallies_merge_like_one_pass((codes, answers) in segment_rows(), cut in 0usize..200, cut2 in 0usize..200) {
        let (c1, c2) = { let a = cut.min(codes.len()); let b = cut2.min(codes.len()); (a.min(b), a.max(b)) };
        let whole = {
            let mut s = SegmentTally::new(Scale::NPS);
            s.update_codes(&codes, &NAMES, &answers, None, Missing::Error).unwrap();
            s
        };
        let part = |r: std::ops::Range<usize>| {
            let mut s = SegmentTally::new(Scale::NPS);
            s.update_codes(&codes[r.clone()], &NAMES, &answers[r], None, Missing::Error).unwrap();
            s
        };
        let (a, b, c) = (part(0..c1), part(c1..c2), part(c2..codes.len()));
        let mut ab_c = a.clone(); ab_c.merge(&b).unwrap(); ab_c.merge(&c).unwrap();
        let mut bc = b.clone(); bc.merge(&c).unwrap();
        let mut a_bc = a.clone(); a_bc.merge(&bc).unwrap();
        let mut cba = c.clone(); cba.merge(&b).unwrap(); cba.merge(&a).unwrap();
        prop_assert_eq!(&ab_c, &whole);
        prop_assert_eq!(&a_bc, &whole);
        prop_assert_eq!(&cba, &whole);
        // Each segment's tally equals a plain tally of its rows (the fast scatter puts rows in the right bins).
        for key in whole.keys() {
            let rows: Vec<u8> = codes.iter().zip(&answers).filter(|(c, _)| NAMES[**c as usize] == key).map(|(_, a)| *a).collect();
            prop_assert_eq!(whole.segment(key).unwrap(), Tally::from_answers(Scale::NPS, &rows, None, Missing::Error).unwrap());
        }
    }

    #[test]
    fn string_keys_and_codes_give_the_same_segments((codes, answers) in segment_rows()) {
        let keys: Vec<&str> = codes.iter().map(|&c| NAMES[c as usize]).collect();
        let mut by_key = SegmentTally::new(Scale::NPS);
        by_key.update_keys(&keys, &answers, None, Missing::Error).unwrap();
        let mut by_code = SegmentTally::new(Scale::NPS);
        by_code.update_codes(&codes, &NAMES, &answers, None, Missing::Error).unwrap();
        prop_assert_eq!(by_key, by_code);
    }

    #[test]
    fn numbered_segments_are_keyed_by_their_decimal_form(
        (codes, answers) in segment_rows(),
        scale in prop::sample::select(vec![1i64, 1_000, 1_000_000_007]),
        negative in prop::option::of(0usize..200),
    ) {
        // Dense numbers (×1), sparse ones (×10⁹ passes the dense limit) and negative ones all name their
        // segments by their decimal form, as string keys would.
        let mut numbers: Vec<i64> = codes.iter().map(|&c| c as i64 * scale).collect();
        if let Some(i) = negative.filter(|_| !numbers.is_empty()) {
            let i = i % numbers.len();
            numbers[i] = -numbers[i] - 1;
        }
        let keys: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
        let mut by_key = SegmentTally::new(Scale::NPS);
        by_key.update_keys(&keys, &answers, None, Missing::Error).unwrap();
        let mut by_number = SegmentTally::new(Scale::NPS);
        by_number.update_numbered(&numbers, &answers, None, Missing::Error).unwrap();
        prop_assert_eq!(&by_key, &by_number);
        let unsigned: Vec<u32> = numbers.iter().map(|&n| n as u32).collect();
        if unsigned.iter().zip(&numbers).all(|(&u, &n)| u as i64 == n) {
            let mut by_u32 = SegmentTally::new(Scale::NPS);
            by_u32.update_numbered(&unsigned, &answers, None, Missing::Error).unwrap();
            prop_assert_eq!(&by_u32, &by_number);
        }
    }

    #[test]
    fn a_bad_segment_code_is_named_and_nothing_is_added((mut codes, answers) in segment_rows(), at in 0usize..200) {
        prop_assume!(!codes.is_empty());
        let i = at % codes.len();
        codes[i] = 6;
        let mut s = SegmentTally::new(Scale::NPS);
        s.update_keys(&["x"], &[3u8], None, Missing::Error).unwrap();
        let before = s.clone();
        let err = s.update_codes(&codes, &NAMES, &answers, None, Missing::Error).unwrap_err();
        prop_assert_eq!((err.code(), err.index()), ("invalid_segment", Some(i)));
        prop_assert_eq!(s, before);
    }

    /// The split across threads (forced here on small inputs; `update_codes` only splits above the
    /// crossover) counts what one thread counts, and with a bad row — a code past the names, a missing
    /// number, an answer off the scale, placed in any chunk, twice — reports the first one and adds nothing.
    #[test]
    fn rows_split_across_threads_count_as_one_pass(
        (codes, answers) in segment_rows(),
        threads in 2usize..6,
        bad in prop::collection::vec((0usize..200, 0usize..3), 0..3),
        weighted in any::<bool>(),
    ) {
        let (mut codes, mut answers) = (codes, answers);
        let mut numbers: Vec<i64> = codes.iter().map(|&c| c as i64).collect();
        for &(at, kind) in &bad {
            if codes.is_empty() { break; }
            let i = at % codes.len();
            match kind {
                0 => { codes[i] = 6; numbers[i] = -1; }
                1 => { codes[i] = u32::MAX; numbers[i] = -7; }
                _ => answers[i] = 11,
            }
        }
        let weights: Vec<f64> = codes.iter().map(|&c| 0.25 + (c % 7) as f64).collect();
        let w = weighted.then_some(&weights[..]);
        let start = || {
            let mut s = SegmentTally::new(Scale::NPS);
            s.update_keys(&["north"], &[3u8], None, Missing::Error).unwrap();
            s
        };
        let (mut one, mut split) = (start(), start());
        let a = one.update_codes_threads(1, &codes, &NAMES, &answers, w, Missing::Error);
        let b = split.update_codes_threads(threads, &codes, &NAMES, &answers, w, Missing::Error);
        prop_assert_eq!(a.as_ref().map_err(|e| (e.code(), e.index())), b.as_ref().map_err(|e| (e.code(), e.index())));
        prop_assert_eq!(&one, &split);
        let mut auto = start();
        auto.update_codes(&codes, &NAMES, &answers, w, Missing::Error).ok();
        prop_assert_eq!(&one, &auto);
        if a.is_err() { prop_assert_eq!(&one, &start()); }
        let (mut one, mut split) = (start(), start());
        let a = one.update_numbered_threads(1, &numbers, &answers, w, Missing::Error);
        let b = split.update_numbered_threads(threads, &numbers, &answers, w, Missing::Error);
        prop_assert_eq!(a.map_err(|e| (e.code(), e.index())), b.map_err(|e| (e.code(), e.index())));
        prop_assert_eq!(&one, &split);
    }

    #[test]
    fn a_weighted_segment_tally_round_trips_through_json((codes, answers) in segment_rows()) {
        let weights: Vec<f64> = codes.iter().map(|&c| 0.5 + c as f64).collect();
        let mut s = SegmentTally::new(Scale::NPS);
        s.update_codes(&codes, &NAMES, &answers, Some(&weights), Missing::Error).unwrap();
        let back: SegmentTally = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        prop_assert_eq!(back, s);
    }
}

/// Above the crossover `update_codes` and `update_numbered` split the rows themselves (on a machine with
/// more than one core): the counts are one thread's, and the first bad row is still the one reported.
#[test]
fn large_inputs_count_as_on_one_thread() {
    let n = 1 << 20;
    let codes: Vec<u32> = (0..n as u64).map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u32 % 6).collect();
    let answers: Vec<u8> = (0..n as u64).map(|i| (i.wrapping_mul(40_503) >> 5) as u8 % 11).collect();
    let mut auto = SegmentTally::new(Scale::NPS);
    auto.update_codes(&codes, &NAMES, &answers, None, Missing::Error).unwrap();
    let mut one = SegmentTally::new(Scale::NPS);
    one.update_codes_threads(1, &codes, &NAMES, &answers, None, Missing::Error).unwrap();
    assert_eq!(auto, one);
    assert_eq!(auto.total().n(), n as u64);
    let numbers: Vec<i32> = codes.iter().map(|&c| c as i32).collect();
    let mut numbered = SegmentTally::new(Scale::NPS);
    numbered.update_numbered(&numbers, &answers, None, Missing::Error).unwrap();
    assert_eq!(numbered.total(), one.total());
    // Whole-number keys that grow block after block (the counts grow with them), with a few small ones
    // late: as codes into their names.
    let rising: Vec<u32> = (0..n as u32).map(|i| if i % 997 == 0 { i % 13 } else { i / 1000 }).collect();
    let names: Vec<String> = (0..=*rising.iter().max().unwrap()).map(|c| c.to_string()).collect();
    let mut by_code = SegmentTally::new(Scale::NPS);
    by_code.update_codes_threads(1, &rising, &names, &answers, None, Missing::Error).unwrap();
    for threads in [1, 2, 3] {
        let mut by_number = SegmentTally::new(Scale::NPS);
        by_number.update_numbered_threads(threads, &rising, &answers, None, Missing::Error).unwrap();
        assert_eq!(by_number, by_code);
    }
    // Bad rows late and early: the early one (in the first chunk) is reported.
    let mut bad = codes.clone();
    bad[n - 3] = 9;
    bad[n / 3] = 7;
    let err = auto.update_codes(&bad, &NAMES, &answers, None, Missing::Error).unwrap_err();
    assert_eq!((err.code(), err.index()), ("invalid_segment", Some(n / 3)));
    assert_eq!(auto, one);
}

/// Rows of (day number, segment code, answer) over about three years.
fn dated_rows() -> impl Strategy<Value = Vec<(i32, u8, u8)>> {
    prop::collection::vec((19_000i32..20_100, 0u8..4, 0u8..=10), 0..150)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_partitioned_trend_equals_one_pass(rows in dated_rows(), cut in 0usize..150, every in 0usize..5) {
        let every = Every::ALL[every];
        let names = ["a", "b", "c", "d"];
        let add = |t: &mut TrendTally, rows: &[(i32, u8, u8)]| {
            let days: Vec<i32> = rows.iter().map(|r| r.0).collect();
            let codes: Vec<u8> = rows.iter().map(|r| r.1).collect();
            let answers: Vec<u8> = rows.iter().map(|r| r.2).collect();
            t.update_codes(&days, &codes, &names, &answers, None, Missing::Error).unwrap();
        };
        let mut one = TrendTally::by_segment(Scale::NPS, every);
        add(&mut one, &rows);
        let cut = cut.min(rows.len());
        let (mut left, mut right) = (TrendTally::by_segment(Scale::NPS, every), TrendTally::by_segment(Scale::NPS, every));
        add(&mut left, &rows[..cut]);
        add(&mut right, &rows[cut..]);
        left.merge(&right).unwrap();
        prop_assert_eq!(&left, &one);
        // Every row lands in exactly one cell, and each cell's period is the row's.
        prop_assert_eq!(one.n(), rows.len() as u64);
        if !rows.is_empty() {
            let t = trend(&one, Metric::Nps, &BenchmarkOptions { reference: Reference::Previous, ..Default::default() }).unwrap();
            let total: u64 = t.rows.iter().map(|r| r.n).sum();
            prop_assert_eq!(total, rows.len() as u64);
            let first = rows.iter().map(|r| every.period(r.0)).min().unwrap();
            let last = rows.iter().map(|r| every.period(r.0)).max().unwrap();
            prop_assert_eq!(t.periods.len(), (last - first + 1) as usize);
            for r in &t.rows {
                let p = every.parse_label(&r.period).unwrap();
                let n = rows.iter().filter(|row| every.period(row.0) == p && Some(names[row.1 as usize]) == r.segment.as_deref()).count();
                prop_assert_eq!(r.n, n as u64);
            }
        }
    }

    #[test]
    fn day_numbers_and_iso_texts_bin_alike(days in prop::collection::vec(-719_162i32..2_932_896, 1..50), every in 0usize..5) {
        let every = Every::ALL[every];
        let texts: Vec<String> = days.iter().map(|&d| Every::Day.label(d)).collect();
        for (d, text) in days.iter().zip(&texts) {
            prop_assert_eq!(text.as_str().day(0).unwrap(), Some(*d));
            let p = every.period(*d);
            prop_assert_eq!(every.parse_label(&every.label(p)), Some(p));
        }
    }
}

/// A metric with its options (as a classification reads them, and as its estimate reads them) and scale.
fn classified_metric() -> impl Strategy<Value = (MetricKind, serde_json::Value, Scale)> {
    use serde_json::json;
    prop_oneof![
        Just((MetricKind::Nps, json!({}), Scale::NPS)),
        (2i32..=5).prop_map(|t| (MetricKind::Csat, json!({"threshold": t}), Scale::CSAT)),
        Just((MetricKind::Csat, json!({"scale": [0, 10]}), Scale::NPS)),
        Just((MetricKind::Ces, json!({"version": 2}), Scale::CES)),
        Just((MetricKind::Ces, json!({"version": 1}), Scale::CES_V1)),
        (1i32..=7).prop_map(|t| (MetricKind::TopBox, json!({"scale": [1, 7], "threshold": t}), Scale::CES)),
        (1i32..=5).prop_map(|t| (MetricKind::BottomBox, json!({"scale": [1, 5], "threshold": t}), Scale::CSAT)),
        (1i32..7, 1i32..=7)
            .prop_filter("bottom < top", |(b, t)| b < t)
            .prop_map(|(b, t)| { (MetricKind::NetBox, json!({"scale": [1, 7], "top": t, "bottom": b}), Scale::CES) }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn category_counts_equal_the_estimates_breakdown(
        (kind, options, scale) in classified_metric(),
        points in prop::collection::vec(prop::option::weighted(0.9, 0usize..101), 1..80),
    ) {
        let answers: Vec<f64> =
            points.iter().map(|p| p.map_or(f64::NAN, |k| scale.value(k % scale.points()))).collect();
        let mut with_metric = options.clone();
        with_metric["metric"] = kind.name().into();
        with_metric["missing"] = "skip".into();
        let c = operations::classify(&answers, &with_metric).unwrap();
        prop_assert_eq!(c.codes.len(), answers.len());
        let mut skip = options.clone();
        skip["missing"] = "skip".into();
        let e = match operations::estimate(kind, &answers, None, &skip) {
            Ok(e) => e,
            Err(err) => { prop_assert_eq!(err.code(), "empty"); prop_assert!(c.counts().iter().all(|&n| n == 0)); return Ok(()); }
        };
        let counts = c.counts();
        let missing = c.codes.iter().filter(|&&code| code == Categories::MISSING).count() as u64;
        prop_assert_eq!(missing, e.skipped);
        prop_assert_eq!(counts.iter().sum::<u64>(), e.n);
        match e.breakdown {
            Breakdown::Net { detractors, passives, promoters, .. } => {
                prop_assert_eq!(counts, vec![detractors, passives, promoters]);
            }
            Breakdown::Proportion { in_box, out_of_box } => {
                let (inside, outside) = if kind == MetricKind::BottomBox { (0, 1) } else { (1, 0) };
                prop_assert_eq!((counts[inside], counts[outside]), (in_box, out_of_box));
            }
            Breakdown::Mean { easy_share, .. } => {
                let easy = 100.0 * counts[2] as f64 / e.n as f64;
                prop_assert!((easy_share.unwrap() - easy).abs() < 1e-9, "{easy_share:?} vs {easy}");
            }
        }
    }
}

#[test]
fn a_mean_has_no_categories() {
    let e = operations::classify(&[3u8], r#"{"metric": "mean", "scale": [1, 5]}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    assert!(e.to_string().starts_with("invalid metric = mean"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_trend_reports_the_first_bad_row_and_adds_nothing(rows in dated_rows(), bad_date in 0usize..150, bad_answer in 0usize..150) {
        prop_assume!(!rows.is_empty());
        let (bad_date, bad_answer) = (bad_date % rows.len(), bad_answer % rows.len());
        let mut dates: Vec<String> = rows.iter().map(|r| Every::Day.label(r.0)).collect();
        let codes: Vec<u8> = rows.iter().map(|r| r.1).collect();
        let mut answers: Vec<u8> = rows.iter().map(|r| r.2).collect();
        dates[bad_date] = "2025-02-30".into();
        answers[bad_answer] = 11;
        let mut t = TrendTally::by_segment(Scale::NPS, Every::Month);
        let e = t.update_codes(&dates, &codes, &["a", "b", "c", "d"], &answers, None, Missing::Error).unwrap_err();
        prop_assert_eq!(e.index(), Some(bad_date.min(bad_answer)));
        prop_assert_eq!(e.code(), if bad_date <= bad_answer { "invalid_date" } else { "out_of_range" });
        prop_assert_eq!(t.n(), 0);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Unweighted rows on the scale take the one-pass flat count, which grows its table block by block;
    /// weighted rows are grouped by period first. Both must put every row in the same cell, whatever the
    /// order of the dates (ascending, descending or shuffled, over more blocks than one).
    #[test]
    fn the_flat_and_the_grouped_counts_agree(
        rows in prop::collection::vec((19_000i64..20_100, 0u16..300, 0u8..=10, 0u8..20), 1..20_000),
        order in 0usize..3,
        every in 0usize..5,
    ) {
        let mut rows = rows;
        match order {
            0 => rows.sort_by_key(|r| r.0),
            1 => rows.sort_by_key(|r| std::cmp::Reverse(r.0)),
            _ => {}
        }
        let every = Every::ALL[every];
        // One row in twenty has no date (numpy's NaT), skipped.
        let days: Vec<i64> = rows.iter().map(|r| if r.3 == 0 { i64::MIN } else { r.0 }).collect();
        let codes: Vec<u16> = rows.iter().map(|r| r.1).collect();
        let answers: Vec<u8> = rows.iter().map(|r| r.2).collect();
        let names: Vec<String> = (0..300).map(|i| format!("s{i}")).collect();
        let ones = vec![1.0; rows.len()];
        let (mut flat, mut grouped) = (TrendTally::by_segment(Scale::NPS, every), TrendTally::by_segment(Scale::NPS, every));
        flat.update_codes(&days, &codes, &names, &answers, None, Missing::Skip).unwrap();
        grouped.update_codes(&days, &codes, &names, &answers, Some(&ones), Missing::Skip).unwrap();
        let cells = |t: &TrendTally| -> Vec<(String, Vec<String>, Vec<Vec<u64>>)> {
            t.periods().map(|(p, s)| (p, s.keys().to_vec(), s.tallies().iter().map(|t| t.counts().to_vec()).collect())).collect()
        };
        prop_assert_eq!(cells(&flat), cells(&grouped));
        prop_assert_eq!(flat.skipped(), grouped.skipped());
        prop_assert_eq!(flat.n() + flat.skipped(), rows.len() as u64);
    }
}

/// Above the thread crossover (2¹⁹ rows) the flat count splits the rows across threads, each range with
/// its own table over its own periods: the merged counts are the grouped count's, and a bad row in a
/// later range is still the one reported, with nothing added.
#[test]
fn a_trend_split_across_threads_counts_as_one_pass() {
    let n = 700_000usize;
    let mut state = 3u64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state >> 33
    };
    // The first half in 2024, the second in 2025 sorted backwards: the ranges cover different periods.
    let mut days: Vec<i64> = (0..n).map(|i| if i < n / 2 { 19_723 + (next() % 366) as i64 } else { 0 }).collect();
    for (k, d) in days[n / 2..].iter_mut().enumerate() {
        *d = 20_453 - (k * 365 / (n / 2)) as i64;
    }
    let codes: Vec<u16> = (0..n).map(|_| (next() % 40) as u16).collect();
    let answers: Vec<u8> = (0..n).map(|_| (next() % 11) as u8).collect();
    let names: Vec<String> = (0..40).map(|i| format!("s{i:02}")).collect();
    let ones = vec![1.0; n];
    let (mut flat, mut grouped) =
        (TrendTally::by_segment(Scale::NPS, Every::Week), TrendTally::by_segment(Scale::NPS, Every::Week));
    flat.update_codes(&days, &codes, &names, &answers, None, Missing::Error).unwrap();
    grouped.update_codes(&days, &codes, &names, &answers, Some(&ones), Missing::Error).unwrap();
    let cells = |t: &TrendTally| -> Vec<(String, Vec<Vec<u64>>)> {
        t.periods().map(|(p, s)| (p, s.tallies().iter().map(|t| t.counts().to_vec()).collect())).collect()
    };
    assert_eq!(cells(&flat), cells(&grouped));
    assert_eq!(flat.n(), n as u64);
    // Answers all on the scale (so the flat count runs), a code past the names and a date past the
    // years in the last range: the earlier, the code, is reported.
    let mut bad = codes.clone();
    bad[n - 20] = 40;
    days[n - 5] = 10_000_000;
    let mut t = TrendTally::by_segment(Scale::NPS, Every::Week);
    let e = t.update_codes(&days, &bad, &names, &answers, None, Missing::Error).unwrap_err();
    assert_eq!((e.code(), e.index()), ("invalid_segment", Some(n - 20)));
    assert_eq!(t.n(), 0);
}
