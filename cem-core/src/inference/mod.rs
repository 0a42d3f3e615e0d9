//! The statistics on plain numbers: distributions, interval formulas, the Dirichlet posterior, the
//! seeded bootstrap, multiplicity corrections and sample-size planning.
//!
//! Nothing here knows a tally, a metric or a segment: every function takes counts, shares, levels or
//! p-values. May use: the ground (`error`, `vocabulary`, `order`) and its own files. Used by every room
//! above it (`score`, `segments`, `drivers`, `api`).

pub(crate) mod adjust;
pub(crate) mod dirichlet;
pub(crate) mod dist;
pub(crate) mod interval;
pub(crate) mod planning;
pub(crate) mod resample;
