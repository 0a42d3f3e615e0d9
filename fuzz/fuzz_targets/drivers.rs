//! Key driver analysis on arbitrary columns, weights and options: every number of an analysis finite, or
//! a typed error naming a row that exists; a failed update leaves the tally unchanged; the tally of two
//! parts merged has the counts and (up to rounding) the means of one pass over all rows.
#![no_main]
use cem_core::{analyse_drivers, DriverMethod, DriverTally, Missing, OutcomeScore, Scale};
use cem_fuzz::{Bytes, WEIGHTS};
use libfuzzer_sys::fuzz_target;

/// Values past the ordinary ratings: off-scale, fractional, missing, infinite, huge, tiny.
const ODD: [f64; 12] = [0.0, 10.0, 11.0, 2.5, -1.0, f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300, -1e300, 1e-300, 1e16];

/// Every number in a result is finite.
fn all_finite(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        serde_json::Value::Array(a) => a.iter().all(all_finite),
        serde_json::Value::Object(m) => m.values().all(all_finite),
        _ => true,
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let p = 1 + (b.byte() % 4) as usize;
    let score = b.pick(&[OutcomeScore::Value, OutcomeScore::Nps, OutcomeScore::Promoter]);
    let scale = b.pick(&[None, Some(Scale::CSAT)]);
    let missing = b.pick(&[Missing::Skip, Missing::Error]);
    let weighted = b.byte() % 2 == 1;
    let method = b.pick(DriverMethod::ALL);
    // Rows of p + 1 value bytes (and a weight byte): mostly ratings 1–5 (answers 0–10 for the outcome).
    let value = |r: &mut Bytes, top: u8| {
        let v = r.byte();
        if v < 224 { (v % top) as f64 + if top == 5 { 1.0 } else { 0.0 } } else { ODD[v as usize % ODD.len()] }
    };
    let rest = b.rest();
    let mut r = Bytes(rest);
    let (mut y, mut xs, mut w) = (Vec::new(), vec![Vec::new(); p], Vec::new());
    while !r.0.is_empty() {
        y.push(value(&mut r, 11));
        for x in xs.iter_mut() {
            x.push(value(&mut r, 5));
        }
        if weighted {
            w.push(r.pick(&WEIGHTS));
        }
    }
    let rows = y.len();
    let names: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
    let cols: Vec<&[f64]> = xs.iter().map(|c| &c[..]).collect();
    let weights = weighted.then_some(&w[..]);
    let mut t = DriverTally::new("y", &names, score, scale, None).expect("a valid tally");
    let before = t.clone();
    if let Err(e) = t.update(&y, &cols, weights, missing) {
        assert_eq!(t, before, "a failed update changed the tally");
        assert!(e.index().is_none_or(|i| i < rows), "{e} names a row past the end");
        return;
    }
    assert_eq!(t.n() + t.skipped(), rows as u64);
    // Two parts merged: the same counts and weights, the same means up to rounding.
    let cut = rows / 3;
    let mut a = DriverTally::new("y", &names, score, scale, None).unwrap();
    let mut c = a.clone();
    let part = |lo: usize, hi: usize| -> Vec<&[f64]> { cols.iter().map(|col| &col[lo..hi]).collect() };
    a.update(&y[..cut], &part(0, cut), weights.map(|w| &w[..cut]), missing).expect("a part of good rows");
    c.update(&y[cut..], &part(cut, rows), weights.map(|w| &w[cut..]), missing).expect("a part of good rows");
    a.merge(&c).unwrap();
    assert_eq!((a.n(), a.skipped()), (t.n(), t.skipped()));
    let big = y.iter().chain(xs.iter().flatten()).filter(|v| v.is_finite()).fold(1.0f64, |m, v| m.max(v.abs()));
    for (m1, m2) in a.means().iter().zip(t.means()) {
        assert!(!m1.is_finite() || !m2.is_finite() || (m1 - m2).abs() <= 1e-9 * big * 100.0, "means {m1} vs {m2}");
    }
    if let Ok(analysis) = analyse_drivers(&t, method, 0.95) {
        let v = serde_json::to_value(&analysis).unwrap();
        assert!(all_finite(&v), "{v}");
    }
});
