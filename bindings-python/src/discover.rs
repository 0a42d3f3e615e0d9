//! Data-driven segments: wraps `cem_core::operations::discover`.
//!
//! The Python layer sorts a table's columns into numbers (float64 arrays, read in place when contiguous),
//! texts (lists of str or None) and categoricals (int64 codes and their categories), and says their order;
//! the result comes back as the core's JSON (a dict).

use std::borrow::Cow;

use cem_core::{operations, Column};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{options as read_options, to_py_object};
use crate::error::run;

/// A discovery over named columns (`order` gives their order); the options name the answer, attributes,
/// weight or counts-cube columns.
/// A categorical attribute as the core reads it: its name, its codes (in place when contiguous), its values.
type Categorical<'a> = (&'a str, Cow<'a, [i64]>, &'a [String]);

#[pyfunction]
#[pyo3(signature = (order, numbers, texts, categoricals, options=None))]
fn discover<'py>(
    py: Python<'py>,
    order: Vec<String>,
    numbers: Vec<(String, PyReadonlyArray1<'py, f64>)>,
    texts: Vec<(String, Vec<Option<String>>)>,
    categoricals: Vec<(String, PyReadonlyArray1<'py, i64>, Vec<String>)>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = read_options(options)?;
    let numbers: Vec<(&str, Cow<[f64]>)> = numbers
        .iter()
        .map(|(n, a)| (n.as_str(), a.as_slice().map_or_else(|_| Cow::Owned(a.as_array().to_vec()), Cow::Borrowed)))
        .collect();
    let texts: Vec<(&str, Vec<Option<&str>>)> =
        texts.iter().map(|(n, t)| (n.as_str(), t.iter().map(Option::as_deref).collect())).collect();
    let codes: Vec<Categorical> = categoricals
        .iter()
        .map(|(n, c, names)| {
            let c = c.as_slice().map_or_else(|_| Cow::Owned(c.as_array().to_vec()), Cow::Borrowed);
            (n.as_str(), c, names.as_slice())
        })
        .collect();
    let mut columns: Vec<(&str, Column)> = Vec::with_capacity(order.len());
    for name in &order {
        if let Some((n, v)) = numbers.iter().find(|(n, _)| n == name) {
            columns.push((n, Column::Numbers(v)));
        } else if let Some((n, v)) = texts.iter().find(|(n, _)| n == name) {
            columns.push((n, Column::Texts(v)));
        } else if let Some((n, c, names)) = codes.iter().find(|(n, _, _)| n == name) {
            columns.push((n, Column::Codes { codes: c, names }));
        }
    }
    let result = run(py, || operations::discover(&columns, o))?;
    to_py_object(py, &result)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(discover, m)?)
}
