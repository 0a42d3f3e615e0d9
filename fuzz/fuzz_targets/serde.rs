//! Arbitrary JSON into every serde type: a consistent value that round-trips, or an error — never a
//! panic, never a tally whose parts disagree.
#![no_main]
use cem_core::{BenchmarkOptions, Estimate, Options, SegmentTally, Tally};
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
    if let Ok(o) = Options::from_json(text) {
        // Every accessor either resolves or reports a typed error.
        let _ = (o.metric("nps"), o.benchmark_metric(), o.missing(), o.interval(), o.compare(), o.correction(), o.benchmark());
    }
    let _ = serde_json::from_str::<Estimate>(text);
    let _ = serde_json::from_str::<BenchmarkOptions>(text);
});
