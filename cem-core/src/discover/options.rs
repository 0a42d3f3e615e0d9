//! A discovery's options, read strictly: the columns it reads, the search, and the benchmark's own keys
//! (metric, test, correction, alpha, min_n, level, method, missing), which mean what they mean there.

use serde::Deserialize;

use crate::inference::adjust::Correction;
use crate::inference::interval::Method;
use crate::score::compare::{Alternative, Test};
use crate::score::metric::MetricKind;
use crate::score::tally::Missing;

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
    /// `error` (default): a missing answer is an error, a missing attribute value the value `(missing)`;
    /// `skip`: a row missing either is left out.
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
    /// The columns the options name, with the key naming each (`answer`, `weight`, `count`,
    /// `weight_sum`, `weight_sq_sum`, `attributes`): each must be a column of the table.
    pub(crate) fn named_columns(&self) -> Vec<(&'static str, &str)> {
        let single = [
            ("answer", &self.answer),
            ("weight", &self.weight),
            ("count", &self.count),
            ("weight_sum", &self.weight_sum),
            ("weight_sq_sum", &self.weight_sq_sum),
        ];
        let mut out: Vec<(&'static str, &str)> =
            single.into_iter().filter_map(|(k, v)| v.as_deref().map(|v| (k, v))).collect();
        out.extend(self.attributes.iter().flatten().map(|a| ("attributes", a.as_str())));
        out
    }
}
