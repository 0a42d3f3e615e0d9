//! What customers say: comments into terms (`tokens`), terms counted per group of comments (`tally`,
//! mergeable), and the terms that set one group's comments apart from another's (`keyness`).
//!
//! May import the ground, `inference` (intervals, the normal distribution, multiplicity) and `score` (the
//! two-proportion comparison it shares with `compare`, and the `Side` of a difference).

pub(crate) mod count;
pub(crate) mod keyness;
pub(crate) mod tally;
pub(crate) mod tokens;
