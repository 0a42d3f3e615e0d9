//! Criterion benches of cem-core live in `benches/core.rs`; run `make bench`.
