//! # cem-core
//!
//! Customer-experience scores — Net Promoter Score, CSAT, Customer Effort Score, boxes and means — with
//! intervals that hold at small n, tests that compare like with like, and multiplicity control.
//!
//! The flow is always the same: answers → [`Tally`] (counts per scale point; mergeable, serializable,
//! buildable from counts aggregated elsewhere) → [`Metric::estimate`] → [`Estimate`] (value, n, effective
//! n, standard error, interval, breakdown) → [`compare`] / [`compare_to`] → [`adjust_pvalues`]; and for
//! many segments at once, [`SegmentTally`] → [`benchmark`]; over time, [`TrendTally`] → [`trend`]. The [`operations`] module is
//! that flow behind one function per operation, with strict options: what the bindings and the CLI call.
//!
//! ```
//! use cem_core::{compare, CompareOptions, IntervalOptions, Metric, Missing, Scale, Tally};
//!
//! let before = Tally::from_answers(Scale::NPS, &[10u8, 9, 9, 8, 7, 6, 3, 10, 9, 2], None, Missing::Error)?;
//! let after = Tally::from_answers(Scale::NPS, &[10u8, 10, 9, 9, 9, 8, 7, 10, 9, 6], None, Missing::Error)?;
//! let opts = IntervalOptions::default(); // 95%, adjusted Wald for NPS
//! let (a, b) = (Metric::Nps.estimate(&after, &opts)?, Metric::Nps.estimate(&before, &opts)?);
//! assert_eq!(a.value.round(), 60.0);
//! let change = compare(&a, &b, &CompareOptions::default())?;
//! assert!(change.p_value > 0.05); // ten answers each: not yet a real change
//! # Ok::<(), cem_core::CemError>(())
//! ```
//!
//! No function panics on bad data: every error is a [`CemError`] with a stable [`code`](CemError::code).
#![deny(missing_docs)]
// Unsafe code only in score/kernel.rs and drivers/gram.rs: calls to functions compiled for AVX2 (and FMA) after checking
// the CPU has it, and wasm32 SIMD loads and stores of whole 16-byte chunks.
#![deny(unsafe_code)]
// `!(x > 0.0)` is deliberate throughout: it is true for NaN, which must be rejected too.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

// The ground: what every room uses.
mod error;
mod names;
mod order;
mod parallel;
mod vocabulary;

// The rooms, bottom up: inference, score, segments and drivers (side by side), api. Each imports from the
// ground and the rooms below it only (docs/src/architecture.md).
mod api;
mod discover;
mod drivers;
mod inference;
mod score;
mod segments;
mod text;
mod weighting;

pub use api::operations;
pub use api::options::{Input, Operation, Options};
pub use api::vocabularies::vocabularies;
pub use discover::{Column, DiscoverOptions, Discovery, DiscoverySummary, Show, SliceRow, MAX_CANDIDATES, MAX_DEPTH};
pub use drivers::analysis::{
    analyse as analyse_drivers, Dominance, DriverAnalysis, DriverBootstrap, DriverRow, SegmentDrivers,
    MAX_SUBSET_DRIVERS,
};
pub use drivers::options::{DriverMethod, DriverOptions, OutcomeScore};
pub use drivers::quadrant::Quadrant;
pub use drivers::tally::DriverTally;
pub use error::{CemError, Result};
pub use inference::adjust::{adjust_pvalues, Correction};
pub use inference::interval::{Family, IntervalOptions, Method};
pub use inference::planning::{
    mean_responses_needed, nps_detectable_difference, nps_responses_needed, proportion_detectable_difference,
    proportion_responses_needed, PLANNING_ALPHA, PLANNING_LEVEL, PLANNING_POWER,
};
pub use names::find_column;
pub use score::classify::{Categories, Classifier};
pub use score::compare::{compare, compare_to, Alternative, CompareOptions, Comparison, DifferenceInterval, Test};
pub use score::metric::{Breakdown, Direction, Estimate, Interval, Metric, MetricKind};
pub use score::scale::Scale;
pub use score::tally::{answer_from_text, whole_counts, Answer, Missing, Reading, Tally};
pub use segments::benchmark::{benchmark, Benchmark, BenchmarkRow, BenchmarkSummary};
pub use segments::counts::{CountsTable, CountsTableResult};
pub use segments::period::{Date, Every};
pub use segments::reference::{BenchmarkOptions, Reference, Side};
pub use segments::segment::{crossed_key, Code, Key, SegmentTally};
pub use segments::trend::{trend, Trend, TrendRow, TrendSummary, TrendTally};
pub use text::keyness::{keyness, Keyness, KeynessOptions, KeynessRow, KeynessStatistic};
pub use text::tally::{TermCount, TermTally, MAX_TERMS};
pub use text::tokens::{terms_of, words, Comment, StopWords, TokenOptions, MAX_NGRAM};
pub use vocabulary::Vocabulary;
pub use weighting::{CellFactors, MarginCheck, Margins, RakeColumn, RakeDiagnostics, RakeOptions, Raking};

/// The Rust samples of the book (docs/src/rust.md) run as doctests, so the book cannot drift.
#[cfg(doctest)]
#[doc = include_str!("../../docs/src/rust.md")]
pub struct BookRustGuide;

/// The Rust sample of the book's "Closing the loop" chapter runs as a doctest too.
#[cfg(doctest)]
#[doc = include_str!("../../docs/src/closing-the-loop.md")]
pub struct BookClosingTheLoop;
