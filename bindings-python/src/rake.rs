//! Raking to population margins: wraps `cem_core::operations::rake`, `rake_cells` and `rake_estimate`.
//!
//! Each raking column arrives as (name, array, levels): int64 codes with their level names (text,
//! categoricals — the Python layer factorizes them), or, with `levels` None, whole numbers (int64) or
//! floats (float64, NaN missing), which the core names by their written form. Weights and factors come
//! back as a numpy array, the diagnostics as the core's JSON (a dict).

use cem_core::{operations, MetricKind, RakeColumn};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::{to_json, to_py_object};
use crate::error::{run, to_py, type_error};

type Columns<'py> = Vec<(String, Bound<'py, PyAny>, Option<Vec<String>>)>;

fn column(py: Python<'_>, data: &Bound<'_, PyAny>, levels: Option<Vec<String>>) -> PyResult<RakeColumn> {
    fn read<T: numpy::Element + Copy>(a: PyReadonlyArray1<'_, T>) -> Vec<T> {
        a.as_slice().map(<[T]>::to_vec).unwrap_or_else(|_| a.as_array().to_vec())
    }
    match levels {
        Some(levels) => {
            let codes: PyReadonlyArray1<'_, i64> = data.extract()?;
            RakeColumn::from_codes(&read(codes), levels).map_err(|e| to_py(py, e))
        }
        None => {
            if let Ok(a) = data.extract::<PyReadonlyArray1<'_, i64>>() {
                return Ok(RakeColumn::from_integers(&read(a)));
            }
            match data.extract::<PyReadonlyArray1<'_, f64>>() {
                Ok(a) => Ok(RakeColumn::from_numbers(&read(a))),
                Err(_) => Err(type_error("a raking column is int64 codes with levels, int64 or float64")),
            }
        }
    }
}

fn columns(py: Python<'_>, columns: Columns<'_>) -> PyResult<Vec<(String, RakeColumn)>> {
    columns.into_iter().map(|(name, data, levels)| Ok((name, column(py, &data, levels)?))).collect()
}

fn floats(a: &Option<PyReadonlyArray1<'_, f64>>) -> Option<Vec<f64>> {
    a.as_ref().map(|a| a.as_slice().map(<[f64]>::to_vec).unwrap_or_else(|_| a.as_array().to_vec()))
}

/// Rakes rows to `margins`: (weights as a numpy array, diagnostics dict).
#[pyfunction]
#[pyo3(signature = (raking_columns, margins, base_weights=None, options=None))]
fn rake<'py>(
    py: Python<'py>,
    raking_columns: Columns<'py>,
    margins: &Bound<'py, PyAny>,
    base_weights: Option<PyReadonlyArray1<'py, f64>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyAny>)> {
    let o = crate::convert::options(options)?;
    let m = to_json(margins)?;
    let cols = columns(py, raking_columns)?;
    let base = floats(&base_weights);
    let r = run(py, || operations::rake(&cols, base.as_deref(), m, o))?;
    Ok((PyArray1::from_vec(py, r.weights), to_py_object(py, &r.diagnostics)?))
}

/// Rakes a cells table (count, and optionally Σd and Σd² per row): (factors, diagnostics dict).
#[pyfunction]
#[pyo3(signature = (raking_columns, counts, margins, sums=None, squares=None, options=None))]
fn rake_cells<'py>(
    py: Python<'py>,
    raking_columns: Columns<'py>,
    counts: PyReadonlyArray1<'py, f64>,
    margins: &Bound<'py, PyAny>,
    sums: Option<PyReadonlyArray1<'py, f64>>,
    squares: Option<PyReadonlyArray1<'py, f64>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyAny>)> {
    let o = crate::convert::options(options)?;
    let m = to_json(margins)?;
    let cols = columns(py, raking_columns)?;
    let counts = floats(&Some(counts)).unwrap_or_default();
    let (sums, squares) = (floats(&sums), floats(&squares));
    if sums.is_some() != squares.is_some() {
        return Err(type_error("give both sums (Σd) and squares (Σd²), or neither"));
    }
    let pair = sums.as_deref().zip(squares.as_deref());
    let r = run(py, || operations::rake_cells(&cols, &counts, pair, m, o))?;
    Ok((PyArray1::from_vec(py, r.factors), to_py_object(py, &r.diagnostics)?))
}

/// Scores `answers` (metric `kind`, float64 with NaN missing) with raked weights, overall and per `segment` (a
/// column as for raking), with calibrated standard errors: the core's JSON (a dict). With `raking` (the
/// `weights` and `diagnostics` dict `rake` returned on the same columns, margins, base weights and options)
/// it scores from those weights without raking again; without it, it rakes first.
#[pyfunction]
#[pyo3(signature = (raking_columns, margins, kind, answers, base_weights=None, segment=None, options=None, raking=None))]
#[allow(clippy::too_many_arguments)]
fn rake_estimate<'py>(
    py: Python<'py>,
    raking_columns: Columns<'py>,
    margins: &Bound<'py, PyAny>,
    kind: &str,
    answers: PyReadonlyArray1<'py, f64>,
    base_weights: Option<PyReadonlyArray1<'py, f64>>,
    segment: Option<(Bound<'py, PyAny>, Option<Vec<String>>)>,
    options: Option<&Bound<'py, PyDict>>,
    raking: Option<(PyReadonlyArray1<'py, f64>, Bound<'py, PyAny>)>,
) -> PyResult<Bound<'py, PyAny>> {
    let kind: MetricKind = kind.parse().map_err(|e| to_py(py, e))?;
    let o = crate::convert::options(options)?;
    let m = to_json(margins)?;
    let cols = columns(py, raking_columns)?;
    let segment = segment.map(|(data, levels)| column(py, &data, levels)).transpose()?;
    let (base, answers) = (floats(&base_weights), floats(&Some(answers)).unwrap_or_default());
    let raking =
        raking.map(|(w, d)| Ok::<_, PyErr>((floats(&Some(w)).unwrap_or_default(), to_json(&d)?))).transpose()?;
    let r = run(py, || {
        let raking = raking.map(|(w, d)| operations::raking_from(w, d)).transpose()?;
        operations::rake_estimate(kind, &cols, base.as_deref(), m, raking.as_ref(), &answers, segment.as_ref(), o)
    })?;
    to_py_object(py, &r)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rake, m)?)?;
    m.add_function(wrap_pyfunction!(rake_estimate, m)?)?;
    m.add_function(wrap_pyfunction!(rake_cells, m)?)?;
    Ok(())
}
