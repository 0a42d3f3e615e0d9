//! A discovery's options, read strictly: the columns it reads, the search, and the benchmark's own keys
//! (metric, test, correction, alpha, min_n, level, method, missing), which mean what they mean there.

use serde::Deserialize;

use crate::adjust::Correction;
use crate::compare::{Alternative, Test};
use crate::error::{CemError, Result};
use crate::interval::Method;
use crate::metric::MetricKind;
use crate::options::{Input, Operation, Options};
use crate::tally::Missing;

crate::vocabulary::vocabulary! {
    /// Which slices a discovery's table holds.
    ///
    /// ```
    /// assert_eq!(cem_core::Show::default().name(), "significant");
    /// ```
    #[derive(Default)]
    pub enum Show as "show" {
        /// Every significant slice, productive or not (flagged).
        #[default]
        Significant = "significant",
        /// The significant slices that are productive.
        Productive = "productive",
        /// Every tested slice (the whole family).
        All = "all",
    }
}

/// The deepest search: conjunctions of at most this many conditions.
pub const MAX_DEPTH: u32 = 4;

/// The most candidate slices (cells of every attribute combination up to the depth) one search counts:
/// with 11 scale points, about 90 MB of counts.
pub const MAX_CANDIDATES: usize = 1_000_000;

/// Every option of a discovery; `None` means the documented default.
///
/// ```
/// use cem_core::DiscoverOptions;
/// let o = DiscoverOptions::read(r#"{"answer": "nps", "attributes": ["region"], "depth": 3}"#)?;
/// assert_eq!(o.depth, Some(3));
/// let e = DiscoverOptions::read(r#"{"answer": "nps", "dept": 3}"#).unwrap_err();
/// assert!(e.to_string().contains("did you mean depth?"), "{e}");
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverOptions {
    /// The answer column (required).
    pub answer: Option<String>,
    /// The attribute columns, in order (default: every column but the answer, weight and count columns).
    pub attributes: Option<Vec<String>>,
    /// The column of row weights (rows only).
    pub weight: Option<String>,
    /// The count column of a counts cube (a GROUP BY of the attributes and the answer): naming it makes
    /// the columns a cube.
    pub count: Option<String>,
    /// The cube's Σw column (with `weight_sq_sum`).
    pub weight_sum: Option<String>,
    /// The cube's Σw² column (with `weight_sum`).
    pub weight_sq_sum: Option<String>,
    /// The metric (default `nps`).
    pub metric: Option<MetricKind>,
    /// `[min, max]` of the answers (as for a benchmark).
    pub scale: Option<[i32; 2]>,
    /// Box threshold.
    pub threshold: Option<i32>,
    /// CES version.
    pub version: Option<u8>,
    /// Net box: lowest answer of the top box.
    pub top: Option<i32>,
    /// Net box: highest answer of the bottom box.
    pub bottom: Option<i32>,
    /// Level of every interval (default 0.95).
    pub level: Option<f64>,
    /// Interval method of each slice's estimate.
    pub method: Option<Method>,
    /// Bootstrap resamples of an interval.
    pub resamples: Option<u32>,
    /// Seed of every random draw: bootstrap intervals and the permutations (default 0).
    pub seed: Option<u64>,
    /// Dirichlet prior of `bayes` intervals.
    pub prior: Option<[f64; 3]>,
    /// The test of slice against rest (default: the metric family's, as a benchmark).
    pub test: Option<Test>,
    /// Alternative hypothesis about slice − rest (default two-sided).
    pub alternative: Option<Alternative>,
    /// Multiplicity correction over the family (default `holm`).
    pub correction: Option<Correction>,
    /// Significance level (default 0.05).
    pub alpha: Option<f64>,
    /// A slice, or its rest, with fewer answers is not tested (default 30).
    pub min_n: Option<u64>,
    /// Missing answers or attribute values: `error` (default) or `skip` (the row is left out).
    pub missing: Option<Missing>,
    /// Most conditions in a slice (default 2, at most 4).
    pub depth: Option<u32>,
    /// Most distinct values of an attribute (default 50).
    pub max_values: Option<usize>,
    /// Fold the rarest values of an attribute with more than `max_values` into "other" (default false:
    /// refuse the column).
    pub other: Option<bool>,
    /// Which slices the table holds (default `significant`).
    pub show: Option<Show>,
    /// At most this many rows, by rank (default: all).
    pub limit: Option<usize>,
    /// Westfall–Young permutation bound with this many permutations instead of `correction` (unweighted
    /// data only).
    pub permutations: Option<u32>,
}

impl DiscoverOptions {
    /// Reads the options strictly: unknown keys, and keys the metric does not read, are
    /// `invalid_parameter` errors naming them (with a did-you-mean).
    ///
    /// # Errors
    /// `invalid_parameter` naming the key.
    pub fn read(input: impl Input) -> Result<DiscoverOptions> {
        let o: Option<DiscoverOptions> = input.read("options").map_err(|e| e.with_suggestion(Operation::Discover))?;
        let o = o.unwrap_or_default();
        // The benchmark's keys, checked against the metric as a benchmark checks them.
        o.common().check(Operation::Discover)?;
        if let Some(d) = o.depth {
            if !(1..=MAX_DEPTH).contains(&d) {
                return Err(CemError::param("depth", d, &format!("a slice has 1 to {MAX_DEPTH} conditions")));
            }
        }
        if o.max_values == Some(0) {
            return Err(CemError::param("max_values", 0, "an attribute needs at least one value"));
        }
        if o.permutations == Some(0) {
            return Err(CemError::param("permutations", 0, "the permutation bound needs at least one permutation"));
        }
        if o.permutations.is_some() && o.correction.is_some() {
            return Err(CemError::param(
                "correction",
                o.correction.map_or("", |c| c.name()),
                "permutations replace the correction with the Westfall–Young bound; give one or the other",
            ));
        }
        if o.weight.is_some() && o.count.is_some() {
            return Err(CemError::param(
                "weight",
                o.weight.as_deref().unwrap_or_default(),
                "a counts cube carries its weights as weight_sum and weight_sq_sum, not a weight column",
            ));
        }
        if o.count.is_none() && (o.weight_sum.is_some() || o.weight_sq_sum.is_some()) {
            return Err(CemError::param(
                "weight_sum",
                o.weight_sum.as_deref().or(o.weight_sq_sum.as_deref()).unwrap_or_default(),
                "weight sums belong to a counts cube: name its count column too (count)",
            ));
        }
        Ok(o)
    }

    /// The keys a benchmark shares, as [`Options`] (metric, interval, test, correction…).
    pub(crate) fn common(&self) -> Options {
        Options {
            metric: self.metric,
            scale: self.scale,
            threshold: self.threshold,
            version: self.version,
            top: self.top,
            bottom: self.bottom,
            missing: self.missing,
            level: self.level,
            method: self.method,
            resamples: self.resamples,
            seed: self.seed,
            prior: self.prior,
            test: self.test,
            alternative: self.alternative,
            correction: self.correction,
            alpha: self.alpha,
            min_n: self.min_n,
            ..Options::default()
        }
    }
}
