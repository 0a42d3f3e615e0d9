//! `CemError`, the one exception of the package, and the two ways a core error reaches Python: `to_py`
//! (the error's code, index and value as attributes) and `run` (a core call without the GIL, panics
//! caught). The ground of the binding: every other module may use it; it uses none of them.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

create_exception!(
    _cemscore,
    CemError,
    PyValueError,
    "A cem error: a message a person can act on, and what a program needs to handle it.

Attributes
----------
code : str
    The stable error code (``out_of_range``, ``missing_value``, ``invalid_parameter``, …; the book's
    \"Errors\" chapter lists them).
index : int or None
    The offending row, where there is one.
value : float, str or None
    The offending value, where there is one.

Examples
--------
>>> import cemscore
>>> try:
...     cemscore.nps([10, 9, 11])
... except cemscore.CemError as e:
...     print(e.code, e.index, e.value)
out_of_range 2 11.0
"
);

/// Converts a core error into `CemError` with its code, index and value as attributes.
pub(crate) fn to_py(py: Python<'_>, e: cem_core::CemError) -> PyErr {
    let err = CemError::new_err(e.to_string());
    let value = err.value(py);
    let _ = value.setattr("code", e.code());
    let _ = value.setattr("index", e.index());
    // The offending value: a number, or the text of an answer given as text that is not a number.
    let _ = match e.text() {
        Some(text) => value.setattr("value", text),
        None => value.setattr("value", e.value()),
    };
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

pub(crate) fn type_error(msg: impl Into<String>) -> PyErr {
    PyTypeError::new_err(msg.into())
}
