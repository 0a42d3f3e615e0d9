//! `cemscore._cemscore`: the compiled half of the Python package. It converts types and errors and
//! nothing else — every formula, default and validation lives in `cem-core`. Options arrive as one JSON
//! object (the pure-Python layer collects keywords), parsed by `cem_core::Options`.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

mod benchmark;
mod compare;
mod input;
mod metric;
mod tally;

create_exception!(_cemscore, CemError, PyValueError, "A cem error: `.code`, `.index`, `.value` and a message.");

/// Converts a core error into `CemError` with its code, index and value as attributes.
pub(crate) fn to_py(py: Python<'_>, e: cem_core::CemError) -> PyErr {
    let err = CemError::new_err(e.to_string());
    let value = err.value(py);
    let _ = value.setattr("code", e.code());
    let _ = value.setattr("index", e.index());
    let _ = value.setattr("value", e.value());
    err
}

/// Runs `f` without the GIL and with panics caught: a panic never reaches Python as `PanicException`
/// (cem-core does not panic on any input; this is the belt to its braces).
pub(crate) fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> cem_core::Result<T> + Send) -> PyResult<T> {
    let result = py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py(py, e)),
        Err(_) => {
            let err = CemError::new_err("internal error in cem (a bug: please report it with the input)");
            let _ = err.value(py).setattr("code", "internal");
            Err(err)
        }
    }
}

/// Parses the options JSON written by the Python layer.
pub(crate) fn options(py: Python<'_>, json: Option<&str>) -> PyResult<cem_core::Options> {
    cem_core::Options::from_json(json.unwrap_or("{}")).map_err(|e| to_py(py, e))
}

pub(crate) fn type_error(msg: impl Into<String>) -> PyErr {
    PyTypeError::new_err(msg.into())
}

#[pymodule]
fn _cemscore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CemError", m.py().get_type::<CemError>())?;
    metric::register(m)?;
    compare::register(m)?;
    tally::register(m)?;
    benchmark::register(m)?;
    Ok(())
}
