//! Segment benchmark tables: wraps `cem_core::benchmark`.

use pyo3::prelude::*;

use crate::metric::{json_to_py, Estimate};
use crate::tally::SegmentTally;
use crate::{run, to_py};

/// A benchmark table as the core computes it; the Python layer turns `rows` into a DataFrame.
#[pyclass(frozen, module = "cemscore._cemscore")]
pub struct Benchmark {
    inner: cem_core::Benchmark,
}

#[pymethods]
impl Benchmark {
    /// Rows as dicts, in key order.
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::to_string(&self.inner.rows).unwrap_or_default())
    }
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::to_string(&self.inner.summary).unwrap_or_default())
    }
    #[getter]
    fn overall(&self) -> Estimate {
        Estimate { inner: self.inner.overall.clone() }
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }
}

/// `benchmark(segments, options=None)`: every segment against the reference.
#[pyfunction]
#[pyo3(signature = (segments, options=None))]
fn benchmark(py: Python<'_>, segments: &SegmentTally, options: Option<&str>) -> PyResult<Benchmark> {
    let s = segments.snapshot();
    let o = crate::options(py, options)?.on_scale(s.scale());
    let (metric, _) = o.benchmark_metric().map_err(|e| to_py(py, e))?;
    let b = o.benchmark().map_err(|e| to_py(py, e))?;
    run(py, || cem_core::benchmark(&s, metric, &b)).map(|inner| Benchmark { inner })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Benchmark>()?;
    m.add_function(wrap_pyfunction!(benchmark, m)?)?;
    Ok(())
}
