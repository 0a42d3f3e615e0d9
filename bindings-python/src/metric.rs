//! Estimates: wraps `cem_core::metric`.

use cem_core::{Estimate as CoreEstimate, Tally as CoreTally};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::input::{weight_slice, weights, with_array};
use crate::tally::Tally;
use crate::{run, to_py};

/// An interval: `low`, `high`, `level`, `method`; unpacks as `low, high = interval`.
#[pyclass(frozen, module = "cemscore._cemscore", eq)]
#[derive(Clone, PartialEq)]
pub struct Interval {
    #[pyo3(get)]
    low: f64,
    #[pyo3(get)]
    high: f64,
    #[pyo3(get)]
    level: f64,
    #[pyo3(get)]
    method: String,
}

impl Interval {
    pub(crate) fn new(low: f64, high: f64, level: f64, method: &str) -> Self {
        Interval { low, high, level, method: method.to_string() }
    }
}

#[pymethods]
impl Interval {
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyTuple::new(py, [self.low, self.high])?.try_iter().map(|i| i.into_any())
    }
    fn __len__(&self) -> usize {
        2
    }
    fn __getitem__(&self, i: isize) -> PyResult<f64> {
        match i {
            0 | -2 => Ok(self.low),
            1 | -1 => Ok(self.high),
            _ => Err(pyo3::exceptions::PyIndexError::new_err("an interval has two bounds")),
        }
    }
    fn __repr__(&self) -> String {
        format!("Interval(low={}, high={}, level={}, method='{}')", self.low, self.high, self.level, self.method)
    }
}

/// A metric's value with its uncertainty.
#[pyclass(frozen, module = "cemscore._cemscore")]
#[derive(Clone)]
pub struct Estimate {
    pub(crate) inner: CoreEstimate,
}

pub(crate) fn json_to_py<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (json,))
}

#[pymethods]
impl Estimate {
    #[getter]
    fn value(&self) -> f64 {
        self.inner.value
    }
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n
    }
    #[getter]
    fn effective_n(&self) -> f64 {
        self.inner.effective_n
    }
    #[getter]
    fn skipped(&self) -> u64 {
        self.inner.skipped
    }
    #[getter]
    fn standard_error(&self) -> Option<f64> {
        self.inner.standard_error
    }
    #[getter]
    fn interval(&self) -> Interval {
        let i = &self.inner.interval;
        Interval::new(i.lower, i.upper, i.level, i.method.name())
    }
    #[getter]
    fn metric(&self) -> &'static str {
        self.inner.metric.name()
    }
    #[getter]
    fn direction<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::to_string(&self.inner.direction).unwrap_or_default())
    }
    /// The breakdown (e.g. promoters, passives, detractors and their shares) as a dict.
    #[getter]
    fn breakdown<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &serde_json::to_string(&self.inner.breakdown).unwrap_or_default())
    }
    /// `(low, high)`, as scipy's result objects.
    fn confidence_interval(&self) -> (f64, f64) {
        (self.inner.interval.lower, self.inner.interval.upper)
    }
    /// The estimate as the core's JSON, the same in every language.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }
    /// The estimate as a dict (the core's JSON).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_to_py(py, &self.to_json())
    }
    fn __repr__(&self) -> String {
        let e = &self.inner;
        let i = &e.interval;
        format!(
            "Estimate({}={:.2}, {:.0}% CI [{:.2}, {:.2}] {}, n={})",
            e.metric.name(),
            e.value,
            i.level * 100.0,
            i.lower,
            i.upper,
            i.method,
            e.n
        )
    }
    fn _repr_html_(&self) -> String {
        let e = &self.inner;
        let i = &e.interval;
        format!(
            "<table><tr><th>{}</th><th>{:.0}% interval ({})</th><th>n</th><th>effective n</th><th>SE</th></tr>\
             <tr><td>{:.2}</td><td>[{:.2}, {:.2}]</td><td>{}</td><td>{:.1}</td><td>{}</td></tr></table>",
            e.metric.name(),
            i.level * 100.0,
            i.method,
            e.value,
            i.lower,
            i.upper,
            e.n,
            e.effective_n,
            e.standard_error.map_or("–".into(), |s| format!("{s:.3}"))
        )
    }
    fn __eq__(&self, other: &Estimate) -> bool {
        self.inner == other.inner
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        Ok((slf.get_type().getattr("from_json")?, (slf.get().to_json(),)))
    }
    /// An estimate from its JSON.
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &str) -> PyResult<Estimate> {
        serde_json::from_str(json).map(|inner| Estimate { inner }).map_err(|e| {
            to_py(
                py,
                cem_core::CemError::InvalidParameter { name: "json".into(), value: json.into(), reason: e.to_string() },
            )
        })
    }
}

/// Tallies a numpy array on `scale`.
pub(crate) fn tally_array(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    scale: cem_core::Scale,
    w: Option<&Bound<'_, PyAny>>,
    missing: cem_core::Missing,
) -> PyResult<CoreTally> {
    let w = weights(w)?;
    let w = weight_slice(&w);
    let w = w.as_deref();
    with_array!(data, s => run(py, || CoreTally::from_answers(scale, s, w, missing)))
}

/// `estimate(data, kind, weights=None, options=None)`: the estimate of metric `kind` (unless the options
/// name another) from a numpy array of answers or a `Tally`.
#[pyfunction]
#[pyo3(signature = (data, kind, weights=None, options=None))]
fn estimate(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    kind: &str,
    weights: Option<&Bound<'_, PyAny>>,
    options: Option<&str>,
) -> PyResult<Estimate> {
    let mut o = crate::options(py, options)?;
    let given = data.cast::<Tally>().ok().map(|t| t.get().snapshot());
    if let Some(t) = &given {
        o = o.on_scale(t.scale());
    }
    let (metric, scale) = o.metric(kind).map_err(|e| to_py(py, e))?;
    let interval = o.interval().map_err(|e| to_py(py, e))?;
    let tally = match given {
        Some(t) => t,
        None => tally_array(py, data, scale, weights, o.missing().map_err(|e| to_py(py, e))?)?,
    };
    run(py, || metric.estimate(&tally, &interval)).map(|inner| Estimate { inner })
}

/// The scale a segment benchmark's metric uses under these options (its default unless one is given).
#[pyfunction]
#[pyo3(signature = (options=None))]
fn benchmark_scale(py: Python<'_>, options: Option<&str>) -> PyResult<(i32, i32)> {
    let o = crate::options(py, options)?;
    let (_, scale) = o.benchmark_metric().map_err(|e| to_py(py, e))?;
    Ok((scale.min(), scale.max()))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(benchmark_scale, m)?)?;
    m.add_class::<Interval>()?;
    m.add_class::<Estimate>()?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    Ok(())
}
