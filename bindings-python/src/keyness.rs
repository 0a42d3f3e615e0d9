//! Keyness: wraps `cem_core::operations::{keyness, keyness_by_answer, terms}`.
//!
//! Comments arrive as a Python sequence: `str` (a comment), None or NaN (no comment), or a list/tuple of
//! `str` (a token list: a journey's steps). Anything else is the core's `not_text` error naming the row.

use cem_core::operations::{self, KeynessGroups};
use cem_core::CemError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString, PyTuple};

use crate::convert::{options as read_options, to_py_object};
use crate::error::{run, to_py, type_error};
use crate::input::with_array;
use crate::trend::{dates as dates_of, with_dates, Dates};

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

/// `keyness(comments, groups=None, answers=None, dates=None, segments=None, options=None)`: the keyness
/// table as a dict. Groups are label columns (lists of str or None; several are crossed), answers a numpy
/// array, dates as `trend_rows` takes them; exactly one is given. With `segments` (label columns, crossed),
/// one table per segment: `{"segments": [...], "tested", "correction"}`.
#[pyfunction]
#[pyo3(signature = (comments, groups=None, answers=None, dates=None, segments=None, options=None))]
fn keyness<'py>(
    py: Python<'py>,
    comments: &Bound<'py, PyAny>,
    groups: Option<Vec<Vec<Option<String>>>>,
    answers: Option<&Bound<'py, PyAny>>,
    dates: Option<&Bound<'py, PyAny>>,
    segments: Option<Vec<Vec<Option<String>>>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = read_options(options)?;
    let c = self::comments(py, comments)?;
    let segments: Option<Vec<&[Option<String>]>> = segments.as_ref().map(|s| s.iter().map(Vec::as_slice).collect());
    // One core call: per segment, or one table (the grouping decides which operation).
    macro_rules! call {
        ($grouping:expr, $one:expr) => {
            match &segments {
                Some(s) => to_py_object(
                    py,
                    &run(py, || match &c {
                        Comments::Texts(t) => operations::keyness_by_segment(t, s, $grouping, o),
                        Comments::Lists(l) => operations::keyness_by_segment(l, s, $grouping, o),
                    })?,
                ),
                None => to_py_object(
                    py,
                    &run(py, || match &c {
                        Comments::Texts(t) => $one(t, o),
                        Comments::Lists(l) => $one(l, o),
                    })?,
                ),
            }
        };
    }
    match (groups, answers, dates) {
        (Some(g), None, None) => {
            let g: Vec<&[Option<String>]> = g.iter().map(Vec::as_slice).collect();
            call!(KeynessGroups::<_, u8, i64>::Labels(&g), |t, o| operations::keyness_crossed(t, &g, o))
        }
        (None, Some(a), None) => with_array!(a, s => call!(
            KeynessGroups::<&str, _, i64>::Answers(s), |t, o| operations::keyness_by_answer(t, s, o)
        )),
        (None, None, Some(d)) => {
            let d = dates_of(d)?;
            with_dates!(&d, |d| call!(KeynessGroups::<&str, u8, _>::Periods(d), |t, o| operations::keyness_by_period(
                t, d, o
            )))
        }
        _ => Err(type_error("give one of groups, answers or dates")),
    }
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
