//! Arbitrary JSON into every serde type: a consistent value that round-trips, or an error — never a
//! panic, never a tally whose parts disagree.
#![no_main]
use cem_core::{operations, BenchmarkOptions, Estimate, MetricKind, Operation, Options, SegmentTally, Tally};
use cem_fuzz::check_tally;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(t) = serde_json::from_str::<Tally>(text) {
        check_tally(&t);
        let again: Tally = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(again, t);
    }
    if let Ok(s) = serde_json::from_str::<SegmentTally>(text) {
        s.tallies().iter().for_each(check_tally);
        let mut keys = s.keys().to_vec();
        keys.dedup();
        assert_eq!(keys.len(), s.keys().len(), "duplicate keys");
        let again: SegmentTally = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }
    // The text as the options of every operation: each is read and used, or refused with a typed error.
    for kind in MetricKind::ALL {
        let _ = Options::read(Operation::Estimate(*kind), text);
        let _ = operations::estimate(*kind, &[1u8, 3, 5], None, text);
    }
    let _ = operations::compare_to(&operations::estimate(MetricKind::Nps, &[9u8, 3], None, "").unwrap(), 10.0, text);
    let _ = operations::adjust_pvalues(&[0.01, 0.5], text);
    let _ = operations::classify(&[1u8, 3, 5], text);
    let _ = operations::benchmark(text, |s, missing| s.update_keys(&["a", "b", "a"], &[1u8, 3, 5], None, missing));
    let _ = serde_json::from_str::<Estimate>(text);
    let _ = serde_json::from_str::<BenchmarkOptions>(text);
});
