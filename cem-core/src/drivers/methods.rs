//! The importance methods' numerical kernels, on correlation matrices: the checked inverse, Johnson's
//! relative weights, the R² of every subset of drivers, Shapley values and complete dominance.

use crate::drivers::eigen::symmetric_eigen;
use crate::error::{CemError, Result, Short};

/// Smallest residual variance (1 − R² of a driver on the drivers before it) accepted: below it the
/// driver is treated as a linear combination of the others.
const COLLINEAR: f64 = 1e-10;

/// The inverse of the drivers' correlation matrix by Gauss–Jordan elimination in the drivers' order;
/// a pivot below [`COLLINEAR`] names the driver and the earlier drivers it is a combination of.
pub(super) fn inverse_checked(rxx: &[f64], p: usize, names: &[String]) -> Result<Vec<f64>> {
    // Sweep operator (Goodnight 1979) on a copy: after sweeping 0..j, a[j][j] is driver j's residual
    // variance given drivers 0..j and a[i][j] (i < j) its regression coefficients on them.
    let mut a = rxx.to_vec();
    for j in 0..p {
        let pivot = a[j * p + j];
        if !(pivot > COLLINEAR) {
            let coefs: Vec<&str> = (0..j).filter(|&i| a[i * p + j].abs() > 1e-6).map(|i| names[i].as_str()).collect();
            return Err(CemError::Degenerate {
                column: names[j].clone(),
                reason: format!(
                    "driver is a linear combination of {} (R² = {}), so their importances cannot be told apart; drop one of them",
                    if coefs.is_empty() { "the drivers before it".to_string() } else { coefs.join(", ") },
                    Short(1.0 - pivot.max(0.0))
                ),
            });
        }
        sweep(&mut a, p, j);
    }
    // After sweeping every index the matrix holds −R_xx⁻¹.
    Ok(a.iter().map(|v| -v).collect())
}

/// The sweep operator on index `j` of a symmetric n×n matrix.
fn sweep(a: &mut [f64], n: usize, j: usize) {
    let d = a[j * n + j];
    for r in 0..n {
        if r == j {
            continue;
        }
        let f = a[r * n + j] / d;
        for c in 0..n {
            if c != j {
                a[r * n + c] -= f * a[j * n + c];
            }
        }
    }
    for i in 0..n {
        if i != j {
            a[i * n + j] /= d;
            a[j * n + i] /= d;
        }
    }
    a[j * n + j] = -1.0 / d;
}

/// Johnson's relative weights from the drivers' correlations.
pub(super) fn relative_weights(rxx: &[f64], rxy: &[f64], p: usize) -> Vec<f64> {
    let (values, vectors) = symmetric_eigen(rxx, p);
    let roots: Vec<f64> = values.iter().map(|v| v.max(0.0).sqrt()).collect();
    // β* = Λ*⁻¹ r_xy = V Λ^−½ Vᵀ r_xy, in O(p²).
    let vt_r: Vec<f64> = (0..p).map(|e| (0..p).map(|i| vectors[i * p + e] * rxy[i]).sum::<f64>() / roots[e]).collect();
    let beta: Vec<f64> = (0..p).map(|i| (0..p).map(|e| vectors[i * p + e] * vt_r[e]).sum()).collect();
    // Λ* = V Λ^½ Vᵀ (rows of V scaled once, then one product), and ε_j = Σ_k Λ*²_jk β*²_k.
    let scaled: Vec<f64> = (0..p * p).map(|ie| vectors[ie] * roots[ie % p]).collect();
    let beta_sq: Vec<f64> = beta.iter().map(|b| b * b).collect();
    (0..p)
        .map(|j| {
            let row = &scaled[j * p..j * p + p];
            (0..p)
                .map(|k| {
                    let lambda = dot(row, &vectors[k * p..k * p + p]);
                    lambda * lambda * beta_sq[k]
                })
                .sum()
        })
        .collect()
}

/// R² of every subset of drivers (bit j = driver j), from the full correlation matrix `r` (outcome
/// first), depth first: a child's residual matrix is its parent's after one Schur-complement step
/// (eliminating the added driver), over the outcome and the drivers after it, so each subset costs
/// O(p²) and no step is ever undone.
pub(super) fn subset_r2(r: &[f64], p: usize) -> Vec<f64> {
    let k = p + 1;
    let mut out = vec![0.0; 1usize << p];
    let mut stack: Vec<Vec<f64>> = vec![vec![0.0; k * k]; p + 1];
    stack[0].copy_from_slice(r);
    fn visit(out: &mut [f64], stack: &mut [Vec<f64>], k: usize, mask: usize, start: usize, depth: usize) {
        let p = k - 1;
        for j in start..p {
            let (lower, upper) = stack.split_at_mut(depth + 1);
            let (cur, next) = (&lower[depth], &mut upper[0]);
            let jj = j + 1;
            let piv = cur[jj * k + jj];
            // The rows that stay: the outcome (0) and the drivers after j.
            let keep = std::iter::once(0).chain(jj + 1..k);
            for a in keep {
                let f = cur[a * k + jj] / piv;
                next[a * k] = cur[a * k] - f * cur[jj * k];
                for c in (jj + 1).max(a)..k {
                    next[a * k + c] = cur[a * k + c] - f * cur[jj * k + c];
                    next[c * k + a] = next[a * k + c];
                }
            }
            let m = mask | (1 << j);
            out[m] = 1.0 - next[0];
            if j + 1 < p {
                visit(out, stack, k, m, j + 1, depth + 1);
            }
        }
    }
    visit(&mut out, &mut stack, k, 0, 0, 0);
    out
}

/// Shapley values (general dominance) and conditional dominance from the R² of every subset.
pub(super) fn shapley(r2: &[f64], p: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut sums = vec![vec![0.0; p]; p]; // sums[j][s]: increments of j over subsets of size s
    for (mask, &base) in r2.iter().enumerate() {
        let s = mask.count_ones() as usize;
        for (j, row) in sums.iter_mut().enumerate() {
            if mask & (1 << j) == 0 {
                row[s] += r2[mask | (1 << j)] - base;
            }
        }
    }
    // Subsets of size s among the other p − 1 drivers: C(p − 1, s).
    let mut choose = vec![1.0f64; p];
    for s in 1..p {
        choose[s] = choose[s - 1] * (p - s) as f64 / s as f64;
    }
    let conditional: Vec<Vec<f64>> =
        sums.iter().map(|row| row.iter().zip(&choose).map(|(v, c)| v / c).collect()).collect();
    let general = conditional.iter().map(|row| row.iter().sum::<f64>() / p as f64).collect();
    (general, conditional)
}

/// Complete dominance: 1 where driver i adds more R² than j to every subset of the other drivers.
pub(super) fn complete_dominance(r2: &[f64], p: usize) -> Vec<Vec<f64>> {
    let mut out = vec![vec![0.5; p]; p];
    for i in 0..p {
        for j in i + 1..p {
            let (bi, bj) = (1usize << i, 1usize << j);
            let (mut more, mut less) = (true, true);
            for (mask, _) in r2.iter().enumerate().filter(|(m, _)| m & (bi | bj) == 0) {
                let (a, b) = (r2[mask | bi], r2[mask | bj]);
                more &= a > b;
                less &= a < b;
            }
            let v = if more {
                1.0
            } else if less {
                0.0
            } else {
                0.5
            };
            out[i][j] = v;
            out[j][i] = 1.0 - v;
        }
    }
    out
}

/// Σ x·y with eight partial sums (so the loop vectorises).
fn dot(x: &[f64], y: &[f64]) -> f64 {
    let mut acc = [0.0; 8];
    let whole = x.len() / 8 * 8;
    for (a, b) in x[..whole].chunks_exact(8).zip(y[..whole].chunks_exact(8)) {
        for l in 0..8 {
            acc[l] += a[l] * b[l];
        }
    }
    let tail: f64 = x[whole..].iter().zip(&y[whole..]).map(|(a, b)| a * b).sum();
    acc.iter().sum::<f64>() + tail
}
