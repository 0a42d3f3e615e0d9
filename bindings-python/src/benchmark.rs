//! Segment benchmark tables: wraps `cem_core::benchmark`.

use cem_core::operations;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::run;
use crate::input::{weight_slice, with_array, with_codes};
use crate::metric::Estimate;
use crate::tally::{add_rows, SegmentTally};

/// A benchmark table as the core computes it; the Python layer turns `rows` into a DataFrame.
#[pyclass(frozen, module = "cemscore._cemscore")]
pub struct Benchmark {
    pub(crate) inner: cem_core::Benchmark,
}

#[pymethods]
impl Benchmark {
    /// Rows as dicts, in key order.
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner.rows)
    }
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner.summary)
    }
    #[getter]
    fn overall(&self) -> Estimate {
        Estimate { inner: self.inner.overall.clone() }
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }
}

/// `benchmark(segments, options=None)`: every segment of a segment tally against the reference.
#[pyfunction]
#[pyo3(signature = (segments, options=None))]
fn benchmark(py: Python<'_>, segments: &SegmentTally, options: Option<&Bound<'_, PyDict>>) -> PyResult<Benchmark> {
    let (s, o) = (segments.snapshot(), crate::convert::options(options)?);
    run(py, || operations::benchmark_tally(&s, o)).map(|inner| Benchmark { inner })
}

/// A benchmark of rows: integer `codes` into `names` (`None`: the codes are the keys, as numbers),
/// answers and optional weights, all numpy arrays read in place.
#[pyfunction]
#[pyo3(signature = (codes, names, answers, weights=None, options=None))]
fn benchmark_rows(
    py: Python<'_>,
    codes: &Bound<'_, PyAny>,
    names: Option<Vec<String>>,
    answers: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Benchmark> {
    let o = crate::convert::options(options)?;
    let w = crate::input::weights(weights)?;
    let w = weight_slice(&w);
    let w = w.as_deref();
    with_codes!(codes, c => with_array!(answers, a => run(py, || operations::benchmark(o, |s, missing| add_rows(s, c, names.as_deref(), a, w, missing))).map(|inner| Benchmark { inner })))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Benchmark>()?;
    m.add_function(wrap_pyfunction!(benchmark, m)?)?;
    m.add_function(wrap_pyfunction!(benchmark_rows, m)?)?;
    Ok(())
}
