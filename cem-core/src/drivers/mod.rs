//! Key driver analysis: which attribute ratings (ease, speed, price…) move an outcome (NPS, CSAT, effort),
//! and which of them perform badly where they matter most.
//!
//! Every method here is a function of the correlation matrix of z = (outcome, driver₁ … driver_p) alone,
//! so the sufficient statistic is a [`DriverTally`](tally::DriverTally): the weighted moments of z over complete rows — Σw,
//! Σw², the weighted means z̄ and the centred co-moments C = Σw (z − z̄)(z − z̄)ᵀ — built in one pass and
//! merged exactly as [`Tally`](crate::Tally) is (Chan, Golub & LeVeque 1979: z̄ = z̄_a + δ·W_b/W,
//! C = C_a + C_b + δδᵀ·W_a W_b / W with δ = z̄_b − z̄_a), serialized to the same JSON in every language.
//! [`analyse`](analysis::analyse) turns a tally into a [`DriverAnalysis`](analysis::DriverAnalysis). With R the correlation matrix, R_xx the drivers'
//! block, r_xy their correlations with the outcome and R²(S) = r_Sᵀ R_SS⁻¹ r_S the R² of the OLS model
//! on the drivers in S:
//!
//! - `lmg` (Lindeman, Merenda & Gold 1980; Grömping 2006): the Shapley value of R², the average over
//!   every order of entry of the R² a driver adds, exact over all 2^p subsets (one Schur-complement step
//!   per subset, depth first); sums to R². At most [`MAX_SUBSET_DRIVERS`](analysis::MAX_SUBSET_DRIVERS) drivers.
//! - `relative_weights` (Johnson 2000): R_xx = VΛVᵀ, Λ* = VΛ^½Vᵀ, β* = Λ*⁻¹ r_xy, ε_j = Σ_k Λ*²_jk β*²_k;
//!   sums to R²; any number of drivers.
//! - `dominance` (Budescu 1993; Azen & Budescu 2003): general dominance (= `lmg`) as the importance,
//!   plus the conditional dominance (mean R² increment at each model size) and the complete dominance
//!   matrix (1: the row driver adds more R² than the column driver to every subset of the others, 0: less,
//!   0.5: neither).
//! - `first` (r²_j), `last` (R² − R²(all but j), "usefulness"), `betasq` (β²_j, standardized),
//!   `pratt` (β_j r_j; Pratt 1987) — relaimpo's names and meanings (Grömping 2006).
//!
//! ```
//! use cem_core::operations;
//! let ease = [1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 2.0, 4.0];
//! let price = [2.0, 2.0, 3.0, 3.0, 4.0, 5.0, 1.0, 1.0];
//! let overall = [1.0, 3.0, 4.0, 6.0, 8.0, 5.0, 2.0, 5.0];
//! let columns = [("overall", &overall[..]), ("ease", &ease[..]), ("price", &price[..])];
//! let a = operations::drivers(&columns, r#"{"outcome": "overall"}"#)?;
//! let total: f64 = a.drivers.iter().map(|d| d.importance).sum();
//! assert!((total - a.r2).abs() < 1e-12); // lmg shares R² out among the drivers
//! assert_eq!(a.drivers[0].driver, "ease");
//! # Ok::<(), cem_core::CemError>(())
//! ```
//!
//! The files: [`options`] (what the caller asks: method, outcome scoring, columns), [`tally`] (the
//! moments, the data structure) with its kernels in [`gram`], the numerical kernels of the methods in
//! [`methods`] and [`eigen`], the result and the analysis of a tally in [`analysis`], the map in
//! [`quadrant`], the case bootstrap in [`bootstrap`], and the run from named columns in [`columns`].
//!
//! May use: the ground (`error`, `vocabulary`), `inference` and `score`. Not `segments` (a
//! sibling: the operations intern segment keys before calling [`columns`]) nor `api`.

// Matrix code reads best with explicit indices.
#![allow(clippy::needless_range_loop)]

pub(crate) mod analysis;
pub(crate) mod bootstrap;
pub(crate) mod columns;
pub(crate) mod eigen;
pub(crate) mod gram;
pub(crate) mod methods;
pub(crate) mod options;
pub(crate) mod quadrant;
pub(crate) mod tally;
