//! The null simulation: when answers do not depend on the attributes, a search reports any significant
//! slice in at most alpha of the runs (within simulation error), with Holm and with the Westfall–Young
//! permutation bound. Seeded, so the figures are the same on every run: Holm 0.0505 (2,000 runs), the
//! permutation bound 0.049 (1,000 runs, expected 0.04). With 400 rows (cells of about 44 answers) Holm's
//! rate was 0.063: at the far tail Holm reads (α/29), the NPS z test at small n is anti-conservative —
//! the z approximation, not the correction; the permutation bound does not lean on it.

use cem_core::{operations, Column};
use serde_json::json;

mod common;
use common::Rng;

/// The share of `runs` seeded null searches (1,200 rows; region × 3, channel × 3, plan × 2; depth 2, so m
/// = 8 + 21 = 29 overlapping slices, fewer when a cell misses min_n) with any significant slice.
fn family_wise_rate(runs: u64, options: serde_json::Value) -> f64 {
    let mut any = 0;
    for run in 0..runs {
        let mut rng = Rng(run);
        let (mut region, mut channel, mut plan, mut nps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..1200 {
            region.push(Some(["North", "South", "East"][rng.below(3)]));
            channel.push(Some(["phone", "web", "app"][rng.below(3)]));
            plan.push(Some(["basic", "plus"][rng.below(2)]));
            // The same answer distribution everywhere: 35% promoters, 25% passives, 40% detractors.
            let u = rng.below(100);
            nps.push(if u < 35 {
                9.0 + (u % 2) as f64
            } else if u < 60 {
                7.0 + (u % 2) as f64
            } else {
                (u % 7) as f64
            });
        }
        let columns = [
            ("region", Column::Texts(&region)),
            ("channel", Column::Texts(&channel)),
            ("plan", Column::Texts(&plan)),
            ("nps", Column::Numbers(&nps)),
        ];
        let d = operations::discover(&columns, options.clone()).unwrap();
        assert!(d.summary.m >= 25, "{}", d.summary.m);
        any += usize::from(d.summary.significantly_above + d.summary.significantly_below > 0);
    }
    any as f64 / runs as f64
}

#[test]
fn holm_keeps_the_family_wise_rate_at_alpha() {
    let runs = 2000;
    let rate = family_wise_rate(runs, json!({"answer": "nps"}));
    // alpha + 3 simulation standard errors.
    let bound = 0.05 + 3.0 * (0.05 * 0.95 / runs as f64).sqrt();
    assert!(rate <= bound, "{rate} > {bound}");
    // Holm over overlapping slices is conservative, but not void: some runs do reject.
    assert!(rate > 0.0, "{rate}");
}

#[test]
fn the_permutation_bound_keeps_the_family_wise_rate_at_alpha() {
    let runs = 1000;
    // B = 99: p̃ < 0.05 exactly when at most 3 of the 99 permuted maxima reach the observed one, which
    // under the null happens in 4 runs of 100.
    let rate = family_wise_rate(runs, json!({"answer": "nps", "permutations": 99, "seed": 1}));
    let bound = 0.04 + 3.0 * (0.04 * 0.96 / runs as f64).sqrt();
    assert!(rate <= bound, "{rate} > {bound}");
    assert!(rate > 0.01, "{rate}");
}
