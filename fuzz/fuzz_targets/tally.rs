//! Tallies from arbitrary bytes read as u8, i64 and f64 answers, with arbitrary weights: each either
//! counts exactly what a plain loop counts or fails with nothing applied.
#![no_main]
use cem_core::{Answer, Missing, Scale, Tally};
use cem_fuzz::{check_tally, Bytes, WEIGHTS};
use libfuzzer_sys::fuzz_target;

/// What a plain loop counts, or `None` if some answer must be refused.
fn plain(scale: Scale, answers: &[f64], missing: Missing) -> Option<(Vec<u64>, u64)> {
    let mut counts = vec![0u64; scale.points()];
    let mut skipped = 0;
    for &a in answers {
        if a.is_nan() {
            if missing == Missing::Skip {
                skipped += 1;
                continue;
            }
            return None;
        }
        if a.fract() != 0.0 || a < scale.min() as f64 || a > scale.max() as f64 {
            return None;
        }
        counts[(a - scale.min() as f64) as usize] += 1;
    }
    Some((counts, skipped))
}

fn check<A: Answer>(scale: Scale, answers: &[A], as_f64: &[f64], weights: Option<&[f64]>, missing: Missing) {
    let weights_ok =
        weights.is_none_or(|w| w.iter().all(|&x| x == 0.0 || (Tally::MIN_WEIGHT..=Tally::MAX_WEIGHT).contains(&x)));
    let expected = plain(scale, as_f64, missing).filter(|_| weights_ok);
    match Tally::from_answers(scale, answers, weights, missing) {
        Ok(t) => {
            check_tally(&t);
            // Weights may still be refused for other reasons (e.g. a zero total); counts never differ.
            let (counts, skipped) = expected.expect("a tally from answers a plain loop refuses");
            assert_eq!(t.counts(), &counts[..]);
            assert_eq!(t.skipped(), skipped);
        }
        Err(e) => {
            assert!(e.index().is_none_or(|i| i < answers.len()), "{e}");
        }
    }
    // Classification refuses what the tally refuses (same code and index) and counts what it counts: a
    // top box at the middle of the scale splits the tally's counts there.
    let threshold = scale.min() + scale.points() as i32 / 2;
    let options = format!(
        r#"{{"metric": "top_box", "scale": [{}, {}], "threshold": {threshold}, "missing": "{}"}}"#,
        scale.min(),
        scale.max(),
        missing.name()
    );
    match (
        cem_core::operations::classify(answers, options.as_str()),
        Tally::from_answers(scale, answers, None, missing),
    ) {
        (Ok(c), Ok(t)) => {
            let split = (threshold - scale.min()) as usize;
            let below: u64 = t.counts()[..split].iter().sum();
            assert_eq!(c.counts(), [below, t.n() - below]);
            assert_eq!(c.codes.len(), answers.len());
        }
        (Err(a), Err(b)) => assert_eq!((a.code(), a.index()), (b.code(), b.index())),
        (a, b) => panic!("classify {a:?} but tally {b:?}"),
    }
    // A failed update leaves the tally as it was; a good one adds exactly the new answers.
    let mut t = Tally::from_counts(scale, &vec![1; scale.points()]).unwrap();
    let before = t.clone();
    match t.update(answers, weights, missing) {
        Ok(()) => assert_eq!(t.n(), before.n() + Tally::from_answers(scale, answers, weights, missing).unwrap().n()),
        Err(_) => assert_eq!(t, before),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let lo = b.byte() as i8 as i32 / 4;
    let Ok(scale) = Scale::new(lo, lo + b.pick(&[10, 4, 6, 0, 1, 100, 3])) else { return };
    let missing = b.pick(&[Missing::Error, Missing::Skip]);
    let weighted = b.byte() % 3 == 0;
    let body = b.rest();
    let bytes: Vec<u8> = body.to_vec();
    let bytes_f64: Vec<f64> = bytes.iter().map(|&x| x as f64).collect();
    let weights: Vec<f64> = body.iter().map(|&x| WEIGHTS[x as usize % WEIGHTS.len()]).collect();
    let w = weighted.then_some(&weights[..]);
    if scale.min() >= 0 {
        check(scale, &bytes, &bytes_f64, w, missing);
    }
    let ints: Vec<i64> = body.chunks_exact(2).map(|c| i16::from_le_bytes([c[0], c[1]]) as i64 / 300).collect();
    let ints_f64: Vec<f64> = ints.iter().map(|&x| x as f64).collect();
    check(scale, &ints, &ints_f64, w.map(|w| &w[..ints.len()]), missing);
    let floats: Vec<f64> = body
        .chunks_exact(8)
        .map(|c| {
            let x = f64::from_le_bytes(c.try_into().unwrap());
            // Mostly small numbers near the scale, sometimes anything (NaN, ±inf, 6.5, 1e300).
            if c[7] & 0x80 == 0 { (c[0] as f64 / 4.0).round() / 2.0 + lo as f64 } else { x }
        })
        .collect();
    check(scale, &floats, &floats, w.map(|w| &w[..floats.len()]), missing);
});
