//! Data-driven segments: which combinations of attributes (`region=East & channel=phone`) score really
//! differently from everyone else, with false discoveries controlled over the whole search.
//!
//! A **slice** is a conjunction of `attribute=value` conditions, at most one value per attribute, of at
//! most `depth` conditions (default 2, at most 4). The search is level-wise over every such slice:
//!
//! 1. **The family.** A slice is tested only when it and its rest (every other answer) both hold at least
//!    `min_n` answers (default 30, as a benchmark). That filter reads sizes only, so the family — every
//!    slice that passes it — is fixed before any score is read (Webb 2007); its size is the summary's `m`.
//!    A slice whose cover is its parent's (every answer of the parent is in it: a touchpoint served by one
//!    channel only) is the same hypothesis and is counted once, under the shorter description.
//! 2. **The test.** Each slice against its rest with the test a benchmark uses for the metric (NPS: Wald
//!    z on V₁/n₁ + V₂/n₂; proportions: the score test; means: Welch), weighted shares and Kish n = (Σw)²/Σw²
//!    when weighted. So depth 1 *is* `benchmark` against `rest` (restricted to the slices whose rest
//!    reaches `min_n`), row for row. `impact` = difference × share, as there.
//! 3. **The correction** over the family: Holm (1979) by default — it controls the family-wise error rate
//!    under any dependence, and the slices of one search overlap, so they are dependent — or Bonferroni,
//!    Benjamini–Hochberg, Benjamini–Yekutieli (false discovery rate). For unweighted data,
//!    `permutations: B` replaces it with the Westfall & Young (1993) single-step max-T bound: the answers
//!    are permuted across rows B times (seeded SplitMix64, so every language gets the same table), every
//!    slice retested, and p̃ = (1 + #{b : maxₛ |Tₛ⁽ᵇ⁾| ≥ |t|}) / (B + 1), which uses the dependence
//!    between overlapping slices instead of bounding it.
//! 4. **Redundancy.** A significant slice is `productive` when it also differs, in the same direction and
//!    at `alpha`, from the rest of each parent (the parent minus the slice): `East & phone` is productive
//!    only if it is worse than the rest of the East *and* than the rest of phone. Otherwise `explained_by`
//!    names the parent that explains it (the one it differs from least). A slice of depth 1 has the whole
//!    data as its only parent: significant is productive.
//!
//! The rows are encoded once (a code per attribute per row), one counts table (cells × scale points) is
//! scattered per combination of `depth` attributes, and every smaller combination is marginalised from a
//! larger one: the work is linear in rows, and every tally after that is a sum over a small table. A
//! counts cube (an engine's `GROUP BY attributes…, answer` with count[, Σw, Σw²]) is the same input
//! grouped, and gives the same table.
//!
//! References: G. I. Webb (2007), "Discovering significant patterns", *Machine Learning* 68:1–33; S. Holm
//! (1979), "A simple sequentially rejective multiple test procedure", *Scand. J. Statist.* 6:65–70;
//! P. H. Westfall & S. S. Young (1993), *Resampling-Based Multiple Testing*, Wiley.

mod cube;
mod input;
mod options;
mod search;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use input::Column;
pub use options::{DiscoverOptions, Show, MAX_CANDIDATES, MAX_DEPTH};

use crate::error::Result;
use crate::score::metric::{Estimate, Metric};
use crate::score::scale::Scale;
use crate::segments::reference::BenchmarkOptions;
use crate::segments::reference::{check_alpha, Side};

/// One slice of a discovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceRow {
    /// The slice, readable: `region=East & channel=phone` (attributes in the order given).
    pub slice: String,
    /// Its conditions, attribute → value.
    pub conditions: BTreeMap<String, String>,
    /// How many conditions.
    pub depth: usize,
    /// Answers in the slice.
    pub n: u64,
    /// Kish effective n.
    pub effective_n: f64,
    /// Share of the total weight, in %.
    pub share: f64,
    /// The slice's score.
    pub value: f64,
    /// Lower bound of its interval.
    pub lower: f64,
    /// Upper bound of its interval.
    pub upper: f64,
    /// The score of the rest (every other answer).
    pub rest_value: f64,
    /// value − rest_value.
    pub difference: f64,
    /// Lower bound of the difference's interval.
    pub difference_lower: f64,
    /// Upper bound of the difference's interval.
    pub difference_upper: f64,
    /// Test statistic (z, or Welch t).
    pub statistic: f64,
    /// p-value of slice against rest.
    pub p_value: f64,
    /// p-value adjusted over the family.
    pub adjusted_p_value: f64,
    /// adjusted_p_value < alpha.
    pub significant: bool,
    /// Above or below the rest.
    pub side: Side,
    /// difference × share / 100: how much the overall score moves with the slice.
    pub impact: f64,
    /// Significant, and different the same way from the rest of each parent.
    pub productive: bool,
    /// For a significant slice that is not productive: the parent that explains it.
    pub explained_by: Option<String>,
    /// 1 = most significant (adjusted p, then |impact|).
    pub rank: usize,
}

/// What a discovery looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscoverySummary {
    /// The family: slices tested (they and their rest reach `min_n`), the number the correction covers.
    pub m: usize,
    /// Slices with at least one answer, up to the depth.
    pub evaluated: usize,
    /// Slices left out because a parent has the same cover (counted once, under the parent).
    pub collapsed: usize,
    /// Significant slices above their rest.
    pub significantly_above: usize,
    /// Significant slices below their rest.
    pub significantly_below: usize,
    /// Productive slices.
    pub productive: usize,
    /// The correction's name (`holm`…), or `westfall_young` for the permutation bound.
    pub correction: String,
    /// Permutations of the Westfall–Young bound.
    pub permutations: Option<u32>,
    /// Significance level.
    pub alpha: f64,
    /// The depth searched (at most the number of attributes).
    pub depth: usize,
    /// The size filter.
    pub min_n: u64,
    /// Answers skipped (missing answers or attribute values, under `missing: "skip"`).
    pub skipped: u64,
    /// Why the table is empty when no slice reaches `min_n`.
    pub reason: Option<String>,
}

/// A discovery: the slices, most significant first, and what was searched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Discovery {
    /// The metric.
    pub metric: Metric,
    /// The attributes searched, in order.
    pub attributes: Vec<String>,
    /// The score over every answer.
    pub overall: Estimate,
    /// The slices shown (`show`, `limit`), by rank.
    pub rows: Vec<SliceRow>,
    /// The family and its counts.
    pub summary: DiscoverySummary,
}

/// Finds the slices of `columns` whose score on `metric` differs from the rest: see the [module](self)
/// for the method. The options name the `answer` column (required), the `attributes` (default: every
/// other column), a `weight` column, or a counts cube's `count` (and `weight_sum`, `weight_sq_sum`)
/// columns; `b` holds the keys a benchmark shares (test, correction, alpha, min_n, interval).
///
/// # Errors
/// `invalid_parameter` for a search past [`MAX_CANDIDATES`], an attribute with more than `max_values`
/// values (naming it), the answer column not named; those of the answers, weights and counts as in a
/// benchmark; `empty` without answers. A missing attribute value is the value `(missing)`, or its row is
/// skipped under `missing: "skip"`.
pub(crate) fn discover<S: AsRef<str>>(
    columns: &[(S, Column<'_>)],
    o: &DiscoverOptions,
    metric: Metric,
    scale: Scale,
    b: &BenchmarkOptions,
) -> Result<Discovery> {
    check_alpha(b.alpha)?;
    let read = input::read_columns(columns, o, scale)?;
    let setup = search::Setup {
        metric,
        interval: b.interval,
        compare: crate::score::compare::CompareOptions {
            method: b.test,
            level: b.interval.level,
            alternative: b.alternative,
        },
        correction: b.correction,
        alpha: b.alpha,
        min_n: b.min_n,
        depth: o.depth.unwrap_or(2) as usize,
        show: o.show.unwrap_or_default(),
        limit: o.limit,
        permutations: o.permutations,
        seed: o.seed.unwrap_or(0),
    };
    search::search(&read, &setup)
}
