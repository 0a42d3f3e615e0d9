//! From answers to a score: the scale, the tally (counts per scale point, and the byte-counting
//! kernels behind it), the metric that turns a tally into an [`Estimate`](metric::Estimate) with its
//! interval, each answer's category under a metric, and the comparison of two estimates.
//!
//! answers → [`Tally`](tally::Tally) → [`Metric::estimate`](metric::Metric::estimate) →
//! [`Estimate`](metric::Estimate) → [`compare`](compare::compare) → [`Comparison`](compare::Comparison).
//!
//! May use: the ground (`error`, `vocabulary`, `order`) and `inference`.

pub(crate) mod classify;
pub(crate) mod compare;
pub(crate) mod kernel;
pub(crate) mod metric;
pub(crate) mod scale;
pub(crate) mod tally;
