//! Each answer's category: wraps `cem_core::classify`.

use cem_core::operations;
use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::run;
use crate::input::with_array;

/// `classify(answers, options=None)`: one code per answer (a uint8 array, 255 for a skipped missing
/// answer: −1 once viewed as int8) and the categories' names, worst first.
#[pyfunction]
#[pyo3(signature = (answers, options=None))]
fn classify<'py>(
    py: Python<'py>,
    answers: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyArray1<u8>>, Vec<&'static str>)> {
    let o = crate::convert::options(options)?;
    with_array!(answers, s => run(py, || operations::classify(s, o)).map(|c| (c.codes.into_pyarray(py), c.names.to_vec())))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(classify, m)?)
}
