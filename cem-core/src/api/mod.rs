//! The surface every binding and the CLI call: one function per operation ([`operations`]), the
//! strict reading of the caller's options ([`Options`](options::Options), [`Operation`](options::Operation)
//! and which keys each reads), the JSON reader that names the path of a bad value, and the catalogue of every vocabulary.
//!
//! May use every room below it: the ground, `inference`, `score`, `segments`, `drivers`. Nothing below
//! imports from here.

pub(crate) mod json;
pub mod operations;
pub(crate) mod options;
pub(crate) mod vocabularies;
