//! Key driver analysis: wraps `cem_core::operations::drivers` and the mergeable `DriverTally`.
//!
//! Columns arrive as (name, float64 array) pairs — the Python layer converts pandas, polars, pyarrow and
//! lists — and are read in place when contiguous; the result comes back as the core's JSON (a dict).

use std::borrow::Cow;
use std::sync::Mutex;

use cem_core::{operations, DriverTally as CoreDriverTally};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::to_py_object;
use crate::error::{run, to_py};
use crate::input::with_codes;

type Columns<'py> = Vec<(String, PyReadonlyArray1<'py, f64>)>;

/// The columns as slices (strided arrays gathered once).
fn slices<'a>(columns: &'a Columns<'_>) -> Vec<(&'a str, Cow<'a, [f64]>)> {
    columns
        .iter()
        .map(|(n, a)| {
            let s = match a.as_slice() {
                Ok(s) => Cow::Borrowed(s),
                Err(_) => Cow::Owned(a.as_array().to_vec()),
            };
            (n.as_str(), s)
        })
        .collect()
}

/// A key driver analysis of named float64 columns; the options name the outcome, drivers, weight.
#[pyfunction]
#[pyo3(signature = (columns, options=None))]
fn drivers<'py>(
    py: Python<'py>,
    columns: Columns<'py>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = crate::convert::options(options)?;
    let owned = slices(&columns);
    let cols: Vec<(&str, &[f64])> = owned.iter().map(|(n, s)| (*n, &s[..])).collect();
    let result = run(py, || operations::drivers(&cols, o))?;
    to_py_object(py, &result)
}

/// A key driver analysis per segment: row i belongs to `names[codes[i]]`, or, with `names` None, to the
/// segment named by the whole number `codes[i]` (the core's rule); a list of {segment, analysis}.
#[pyfunction]
#[pyo3(signature = (columns, codes, names, options=None))]
fn drivers_segments<'py>(
    py: Python<'py>,
    columns: Columns<'py>,
    codes: &Bound<'py, PyAny>,
    names: Option<Vec<String>>,
    options: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let o = crate::convert::options(options)?;
    let owned = slices(&columns);
    let cols: Vec<(&str, &[f64])> = owned.iter().map(|(n, s)| (*n, &s[..])).collect();
    match names {
        Some(names) => {
            let codes: PyReadonlyArray1<'py, i64> = codes.extract()?;
            let codes = codes.as_slice().map_err(|_| crate::error::type_error("codes must be a contiguous array"))?;
            to_py_object(py, &run(py, || operations::drivers_by_segment(&cols, codes, &names, o))?)
        }
        None => {
            with_codes!(codes, c => to_py_object(py, &run(py, || operations::drivers_by_segment_numbers(&cols, c, o))?))
        }
    }
}

/// The weighted moments of (outcome, drivers) over complete rows: mergeable, picklable.
#[pyclass(frozen, subclass, module = "cemscore._cemscore")]
pub struct DriverTally {
    inner: Mutex<CoreDriverTally>,
}

impl DriverTally {
    fn snapshot(&self) -> CoreDriverTally {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    fn wrap(t: CoreDriverTally) -> Self {
        DriverTally { inner: Mutex::new(t) }
    }
}

#[pymethods]
impl DriverTally {
    /// An empty tally of `outcome` and `drivers` (options: `outcome_score`, `scale`, `threshold`).
    #[new]
    #[pyo3(signature = (outcome, drivers, options=None))]
    fn new(
        py: Python<'_>,
        outcome: String,
        drivers: Vec<String>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Self> {
        let mut o = crate::convert::options(options)?;
        if o.is_null() {
            o = serde_json::json!({});
        }
        o["outcome"] = outcome.clone().into();
        o["drivers"] = drivers.clone().into();
        let empty: Vec<(&str, &[f64])> =
            std::iter::once(outcome.as_str()).chain(drivers.iter().map(|d| d.as_str())).map(|n| (n, &[][..])).collect();
        run(py, || operations::driver_tally(&empty, o)).map(DriverTally::wrap)
    }

    /// Adds rows from named float64 columns (the weight column named by `weight`); on error nothing is added.
    #[pyo3(signature = (columns, weight=None, options=None))]
    fn _update(
        &self,
        py: Python<'_>,
        columns: Columns<'_>,
        weight: Option<String>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let o = crate::convert::options(options)?;
        let owned = slices(&columns);
        let cols: Vec<(&str, &[f64])> = owned.iter().map(|(n, s)| (*n, &s[..])).collect();
        let mut part = self.snapshot();
        run(py, || operations::update_drivers(&mut part, &cols, weight.as_deref(), o))?;
        *self.inner.lock().unwrap_or_else(|p| p.into_inner()) = part;
        Ok(())
    }

    /// Adds another tally of the same columns; on error this one is unchanged.
    fn merge(&self, py: Python<'_>, other: &DriverTally) -> PyResult<()> {
        let other = other.snapshot();
        run(py, || self.inner.lock().unwrap_or_else(|p| p.into_inner()).merge(&other))
    }

    /// The analysis of this tally (options: `method`, `level`), as the core's JSON.
    #[pyo3(signature = (options=None))]
    fn _analyse<'py>(&self, py: Python<'py>, options: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
        let o = crate::convert::options(options)?;
        let t = self.snapshot();
        let result = run(py, || operations::drivers_tally(&t, o))?;
        to_py_object(py, &result)
    }

    #[getter]
    fn outcome(&self) -> String {
        self.snapshot().outcome().to_string()
    }
    #[getter]
    fn drivers(&self) -> Vec<String> {
        self.snapshot().drivers().to_vec()
    }
    #[getter]
    fn n(&self) -> u64 {
        self.snapshot().n()
    }
    #[getter]
    fn skipped(&self) -> u64 {
        self.snapshot().skipped()
    }
    #[getter]
    fn effective_n(&self) -> f64 {
        self.snapshot().effective_n()
    }
    #[getter]
    fn means(&self) -> Vec<f64> {
        self.snapshot().means().to_vec()
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).unwrap_or_default()
    }
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &str) -> PyResult<DriverTally> {
        operations::from_json("driver tally", json).map(DriverTally::wrap).map_err(|e| to_py(py, e))
    }
    fn __setstate__(&self, py: Python<'_>, json: &str) -> PyResult<()> {
        let t: CoreDriverTally = operations::from_json("driver tally", json).map_err(|e| to_py(py, e))?;
        *self.inner.lock().unwrap_or_else(|p| p.into_inner()) = t;
        Ok(())
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyAny>, (String, Vec<String>), String) {
        let me = slf.get();
        let t = me.snapshot();
        (slf.get_type().into_any(), (t.outcome().to_string(), t.drivers().to_vec()), me.to_json())
    }
    fn __eq__(&self, other: &DriverTally) -> bool {
        self.snapshot() == other.snapshot()
    }
    fn __repr__(&self) -> String {
        let t = self.snapshot();
        format!(
            "DriverTally(outcome={:?}, drivers={:?}, n={}, skipped={})",
            t.outcome(),
            t.drivers(),
            t.n(),
            t.skipped()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(drivers, m)?)?;
    m.add_function(wrap_pyfunction!(drivers_segments, m)?)?;
    m.add_class::<DriverTally>()?;
    Ok(())
}
