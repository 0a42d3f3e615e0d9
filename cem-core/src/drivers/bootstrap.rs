//! The case bootstrap of a driver analysis: intervals of the importances and shares, and how often each
//! driver ranks first.

use crate::drivers::analysis::{analyse, DriverAnalysis, DriverBootstrap};
use crate::drivers::tally::DriverTally;
use crate::error::{CemError, Result};
use crate::inference::resample::{SplitMix64, MAX_DRAWS};
use crate::score::tally::Missing;

/// Seeded case bootstrap (percentile, type-7 quantiles) of the importances and shares, and how often
/// each driver ranks first. Each resample draws m complete rows uniformly with replacement — row
/// ⌊u·m⌋ of the complete rows in their order, u from SplitMix64 as in [`crate::resample`] — and
/// analyses them with the same method; a resample that cannot be analysed is left out and counted.
pub(super) fn bootstrap(
    t: &DriverTally,
    a: &mut DriverAnalysis,
    (outcome, drivers, weights): (&[f64], &[&[f64]], Option<&[f64]>),
    resamples: u32,
    seed: u64,
) -> Result<()> {
    let complete: Vec<usize> =
        (0..outcome.len()).filter(|&i| !outcome[i].is_nan() && drivers.iter().all(|d| !d[i].is_nan())).collect();
    let m = complete.len();
    if resamples == 0 || m as f64 * resamples as f64 > MAX_DRAWS as f64 {
        return Err(CemError::param(
            "resamples",
            resamples,
            &format!("between 1 and {} / complete rows ({m})", MAX_DRAWS),
        ));
    }
    let p = drivers.len();
    let mut rng = SplitMix64::new(seed);
    let (mut y, mut w) = (vec![0.0; m], vec![0.0; m]);
    let mut x = vec![vec![0.0; m]; p];
    let (mut imps, mut shares) = (vec![Vec::new(); p], vec![Vec::new(); p]);
    let mut firsts = vec![0u32; p];
    let mut failed = 0u32;
    for _ in 0..resamples {
        for r in 0..m {
            let i = complete[((rng.next_f64() * m as f64) as usize).min(m - 1)];
            y[r] = outcome[i];
            w[r] = weights.map_or(1.0, |w| w[i]);
            for j in 0..p {
                x[j][r] = drivers[j][i];
            }
        }
        let mut b = DriverTally { d: t.empty_like() };
        b.d.skipped = 0;
        let cols: Vec<&[f64]> = x.iter().map(|c| &c[..]).collect();
        b.update(&y, &cols, weights.map(|_| &w[..]), Missing::Error)?;
        match analyse(&b, a.method, a.level) {
            Ok(r) => {
                for (j, row) in r.drivers.iter().enumerate() {
                    imps[j].push(row.importance);
                    shares[j].push(row.share);
                    firsts[j] += u32::from(row.rank == 1);
                }
            }
            Err(_) => failed += 1,
        }
    }
    let ok = resamples - failed;
    if ok == 0 {
        return Err(CemError::param("resamples", resamples, "no bootstrap resample could be analysed"));
    }
    let alpha = 1.0 - a.level;
    let interval = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (quantile7(v, alpha / 2.0), quantile7(v, 1.0 - alpha / 2.0))
    };
    for (j, row) in a.drivers.iter_mut().enumerate() {
        let (lo, hi) = interval(&mut imps[j]);
        let (slo, shi) = interval(&mut shares[j]);
        row.importance_lower = Some(lo);
        row.importance_upper = Some(hi);
        row.share_lower = Some(slo);
        row.share_upper = Some(shi);
        row.first_probability = Some(firsts[j] as f64 / ok as f64);
    }
    a.bootstrap = Some(DriverBootstrap { resamples, seed, failed });
    Ok(())
}

/// Type-7 quantile of sorted data (numpy's default).
fn quantile7(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
