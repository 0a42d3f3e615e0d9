//! `cemscore._cemscore`: the compiled half of the Python package. It converts types and errors and
//! nothing else — every formula, default and validation lives in `cem-core`: each function converts its
//! inputs, makes one `cem_core::operations` call and converts the result or the error. Options arrive as
//! a dict (the pure-Python layer collects keywords), turned into a JSON value here without a text hop
//! (numpy scalars included) and read strictly by the core; results come back as Python objects.
//!
//! The modules, ground first; each uses only modules above it in this list (tests/test_layout.py checks
//! it), and this file only declares them and registers what they define:
//! - `error`: `CemError`, a core error as that exception (`to_py`), a core call without the GIL (`run`);
//! - `convert`: Python values to and from the core's JSON values, whole counts;
//! - `input`: answers, codes and weights read in place from numpy arrays;
//! - one module per core concept: `tally` (tallies and segment tallies), `metric` (estimates),
//!   `compare`, `classify`, `benchmark`, `trend`, `drivers`;
//! - `counts`: counts tables, which build tallies, estimates, benchmarks and trends.

use pyo3::prelude::*;

mod benchmark;
mod classify;
mod compare;
mod convert;
mod counts;
mod discover;
mod drivers;
mod error;
mod input;
mod keyness;
mod metric;
mod rake;
mod tally;
mod trend;

#[pymodule]
fn _cemscore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CemError", m.py().get_type::<error::CemError>())?;
    m.add_function(wrap_pyfunction!(input::read_answers, m)?)?;
    m.add_function(wrap_pyfunction!(input::find_column, m)?)?;
    metric::register(m)?;
    compare::register(m)?;
    tally::register(m)?;
    benchmark::register(m)?;
    trend::register(m)?;
    classify::register(m)?;
    drivers::register(m)?;
    discover::register(m)?;
    counts::register(m)?;
    keyness::register(m)?;
    rake::register(m)?;
    Ok(())
}
