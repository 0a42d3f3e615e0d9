//! What customers say: comments into terms ([`tokens`]), terms counted per group of comments ([`tally`],
//! mergeable), and the terms that set one group's comments apart from another's ([`keyness`]).

pub(crate) mod keyness;
pub(crate) mod tally;
pub(crate) mod tokens;
