//! Keyness: wraps `cem_core::operations::{keyness, keyness_by_answer, terms}`.
//!
//! Comments arrive as a Python sequence: `str` (a comment), None or NaN (no comment), or a list/tuple of
//! `str` (a token list: a journey's steps). Anything else is the core's `not_text` error naming the row.

use cem_core::{operations, CemError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString, PyTuple};

use crate::convert::{options as read_options, to_py_object};
use crate::error::{run, to_py, type_error};
use crate::input::with_array;

enum Comments {
    Texts(Vec<Option<String>>),
    Lists(Vec<Option<Vec<String>>>),
}

/// How a value is shown in a `not_text` error: its repr, short, and its type.
fn shown(v: &Bound<'_, PyAny>) -> String {
    let repr = v.repr().map(|r| r.to_string()).unwrap_or_default();
    let repr =
        if repr.chars().count() > 40 { format!("{}…", repr.chars().take(40).collect::<String>()) } else { repr };
    let ty = v.get_type().name().map(|n| n.to_string()).unwrap_or_default();
    format!("{repr} (a {ty})")
}

fn is_missing(v: &Bound<'_, PyAny>) -> bool {
    v.is_none() || v.cast::<PyFloat>().is_ok_and(|f| f.value().is_nan())
}

fn comments(py: Python<'_>, values: &Bound<'_, PyAny>) -> PyResult<Comments> {
    let items: Vec<Bound<'_, PyAny>> = values.try_iter()?.collect::<PyResult<_>>()?;
    let is_list = |v: &Bound<'_, PyAny>| v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok();
    let not_text = |i: usize, v: &Bound<'_, PyAny>| to_py(py, CemError::not_text(i, &shown(v)));
    if items.iter().any(&is_list) {
        let mut lists = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            if is_missing(v) {
                lists.push(None);
            } else if is_list(v) {
                let tokens: Vec<Bound<'_, PyAny>> = v.try_iter()?.collect::<PyResult<_>>()?;
                let strings =
                    tokens.iter().map(|t| t.cast::<PyString>().map(|s| s.to_string()).map_err(|_| not_text(i, t)));
                lists.push(Some(strings.collect::<PyResult<Vec<String>>>()?));
            } else {
                return Err(not_text(i, v));
            }
        }
        return Ok(Comments::Lists(lists));
    }
    let mut texts = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        match v.cast::<PyString>() {
            Ok(s) => texts.push(Some(s.extract::<String>()?)),
            Err(_) if is_missing(v) => texts.push(None),
            Err(_) => return Err(not_text(i, v)),
        }
    }
    Ok(Comments::Texts(texts))
}

/// `keyness(comments, groups=None, answers=None, options=None)`: the keyness table as a dict. Groups are
/// labels (str or None), answers a numpy array; exactly one is given.
#[pyfunction]
#[pyo3(signature = (comments, groups=None, answers=None, options=None))]
fn keyness<'py>(
    py: Python<'py>,
    comments: &Bound<'py, PyAny>,
    groups: Option<Vec<Option<String>>>,
    answers: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = read_options(options)?;
    let c = self::comments(py, comments)?;
    let result = match (groups, answers) {
        (Some(g), None) => run(py, || match &c {
            Comments::Texts(t) => operations::keyness(t, &g, o),
            Comments::Lists(l) => operations::keyness(l, &g, o),
        })?,
        (None, Some(a)) => with_array!(a, s => to_py_object(py, &run(py, || match &c {
            Comments::Texts(t) => operations::keyness_by_answer(t, s, o),
            Comments::Lists(l) => operations::keyness_by_answer(l, s, o),
        })?)),
        _ => return Err(type_error("give either groups or answers")),
    };
    to_py_object(py, &result)
}

/// `terms(comments, options=None)`: (row, term, occurrences) for each comment's terms, by row then term.
#[pyfunction]
#[pyo3(signature = (comments, options=None))]
fn terms<'py>(
    py: Python<'py>,
    comments: &Bound<'py, PyAny>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Vec<(usize, String, u64)>> {
    let o = read_options(options)?;
    let c = self::comments(py, comments)?;
    run(py, || match &c {
        Comments::Texts(t) => operations::terms(t, o),
        Comments::Lists(l) => operations::terms(l, o),
    })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(keyness, m)?)?;
    m.add_function(wrap_pyfunction!(terms, m)?)
}
