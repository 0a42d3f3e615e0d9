//! Many scores at once: a tally per segment, every segment benchmarked against a reference, dates
//! binned into periods, the segment × period trend, and counts tables (the long form of a tally that an
//! engine's GROUP BY produces).
//!
//! SegmentTally → benchmark → Benchmark; TrendTally (a segment tally per period) → trend → Trend. What
//! both test against, and how their p-values are adjusted, is in `reference`: benchmark and trend do not
//! import each other.
//!
//! May use: the ground (`error`, `vocabulary`, `order`, `parallel`), `inference` and `score`.
//! Not `drivers` (a sibling) nor `api`.

pub(crate) mod benchmark;
pub(crate) mod counts;
pub(crate) mod period;
pub(crate) mod reference;
pub(crate) mod segment;
pub(crate) mod trend;
