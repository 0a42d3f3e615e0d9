//! Exact coverage of NPS intervals at small n, by enumerating every possible sample.
//!
//! For n = 10…30 and a grid of true (detractor, passive, promoter) mixes, the coverage of a method is
//! Σ over all outcomes (d, m, p) of the multinomial probability of that outcome times 1[true NPS lies in
//! the interval computed from it]. No simulation noise: these are the exact coverages.
//! Rocks (2016) reports the adjusted Wald and the score ("iterative") intervals near 95% here and the
//! plain Wald below it; this test holds cem to that.

use cem_core::*;

fn ln_factorial(n: u32) -> f64 {
    (1..=n).map(|k| (k as f64).ln()).sum()
}

/// Mean exact coverage of `method` at 95% over n = 10..=30 and the grid of true mixes.
fn mean_coverage(method: Method) -> f64 {
    let grid: Vec<(f64, f64)> = (1..=9)
        .flat_map(|i| (1..=9).map(move |j| (i as f64 * 0.1 - 0.05, j as f64 * 0.1 - 0.05)))
        .filter(|(d, p)| d + p <= 0.95)
        .collect();
    let mut total = 0.0;
    let mut cells = 0;
    for n in 10u32..=30 {
        // Intervals depend only on the outcome, so compute each once.
        let mut outcomes = Vec::new();
        for d in 0..=n {
            for p in 0..=(n - d) {
                let m = n - d - p;
                let mut c = [0u64; 11];
                c[0] = d as u64;
                c[7] = m as u64;
                c[10] = p as u64;
                let t = Tally::from_counts(Scale::NPS, &c).unwrap();
                let e =
                    Metric::Nps.estimate(&t, &IntervalOptions { method: Some(method), ..Default::default() }).unwrap();
                let ln_coef = ln_factorial(n) - ln_factorial(d) - ln_factorial(m) - ln_factorial(p);
                outcomes.push((d as f64, m as f64, p as f64, ln_coef, e.interval.lower, e.interval.upper));
            }
        }
        for &(pd, pp) in &grid {
            let pm = 1.0 - pd - pp;
            let truth = 100.0 * (pp - pd);
            let cov: f64 = outcomes
                .iter()
                .filter(|o| o.4 <= truth + 1e-12 && truth <= o.5 + 1e-12)
                .map(|&(d, m, p, ln_coef, ..)| (ln_coef + d * pd.ln() + m * pm.max(1e-300).ln() + p * pp.ln()).exp())
                .sum();
            total += cov;
            cells += 1;
        }
    }
    total / cells as f64
}

#[test]
fn adjusted_wald_and_score_cover_at_least_94_percent_and_beat_wald_at_small_n() {
    let wald = mean_coverage(Method::Wald);
    let adjusted = mean_coverage(Method::AdjustedWald);
    let score = mean_coverage(Method::Score);
    println!("mean exact coverage at 95%, n = 10..30: wald {wald:.4}, adjusted_wald {adjusted:.4}, score {score:.4}");
    assert!(adjusted >= 0.94, "adjusted Wald covers {adjusted}");
    assert!(score >= 0.94, "score covers {score}");
    assert!(adjusted > wald && score > wald, "wald {wald} should under-cover");
    assert!(wald < 0.94, "wald {wald}: the test would not show the small-n problem");
}
