//! Estimates: wraps `cem_core::metric`.

use cem_core::{operations, Estimate as CoreEstimate, MetricKind};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::error::{run, to_py};
use crate::input::{weight_slice, with_array};
use crate::tally::Tally;

/// A confidence interval; unpacks as ``low, high = interval``.
///
/// Attributes
/// ----------
/// low, high : float
///     The bounds, in the metric's unit (NPS points, percent, scale units).
/// level : float
///     The confidence level, e.g. 0.95.
/// method : str
///     How it was computed (``adjusted_wald``, ``wilson``, ``t``, …; see the book's "Intervals").
///
/// Examples
/// --------
/// >>> import cemscore
/// >>> low, high = cemscore.csat([5, 4, 4, 2, 5], scale=(1, 5)).interval
/// >>> bool(low < 60.0 < high)
/// True
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

/// A metric's value with its uncertainty: what ``nps``, ``csat``, ``ces`` and the box scores return.
///
/// Attributes
/// ----------
/// value : float
///     The score (NPS points, percent, or scale units for a mean).
/// n : int
///     Answers counted.
/// effective_n : float
///     Kish effective n (n when unweighted).
/// skipped : int
///     Missing answers skipped under ``missing="skip"``.
/// standard_error : float or None
///     The linearised standard error (``None`` where undefined, e.g. a mean of one answer).
/// interval : Interval
///     The confidence interval.
/// metric : str
///     Which metric (``nps``, ``csat``, …).
/// direction : str
///     Which way is better (``higher`` or ``lower``).
/// breakdown : dict
///     The parts behind the value (promoter, passive and detractor shares for NPS, …).
///
/// Examples
/// --------
/// >>> import cemscore
/// >>> e = cemscore.nps([10, 9, 8, 7, 3, 10])
/// >>> round(e.value, 1), e.n, e.metric
/// (33.3, 6, 'nps')
/// >>> e.breakdown["promoters"]
/// 3
#[pyclass(frozen, module = "cemscore._cemscore")]
#[derive(Clone)]
pub struct Estimate {
    pub(crate) inner: CoreEstimate,
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
        crate::convert::to_py_object(py, &self.inner.direction)
    }
    /// The breakdown (e.g. promoters, passives, detractors and their shares) as a dict.
    #[getter]
    fn breakdown<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner.breakdown)
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
        crate::convert::to_py_object(py, &self.inner)
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
        operations::from_json("estimate", json).map(|inner| Estimate { inner }).map_err(|e| to_py(py, e))
    }
}

/// `estimate(data, kind, weights=None, options=None)`: the estimate of metric `kind` from a numpy array
/// of answers or a `Tally`.
#[pyfunction]
#[pyo3(signature = (data, kind, weights=None, options=None))]
fn estimate(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    kind: &str,
    weights: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Estimate> {
    let kind: MetricKind = kind.parse().map_err(|e| to_py(py, e))?;
    let o = crate::convert::options(options)?;
    if let Ok(t) = data.cast::<Tally>() {
        let t = t.get().snapshot();
        return run(py, || operations::estimate_tally(kind, &t, o)).map(|inner| Estimate { inner });
    }
    let w = crate::input::weights(weights)?;
    let w = weight_slice(&w);
    let w = w.as_deref();
    with_array!(data, s => run(py, || operations::estimate(kind, s, w, o)).map(|inner| Estimate { inner }))
}

/// NPS from the three group counts (a dict), read strictly by the core.
#[pyfunction]
#[pyo3(signature = (counts, options=None))]
fn nps_from_counts(
    py: Python<'_>,
    counts: &Bound<'_, PyDict>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Estimate> {
    let (counts, o) = (crate::convert::to_json(counts.as_any())?, crate::convert::options(options)?);
    run(py, || operations::nps_from_counts(operations::from_json("counts", counts)?, o)).map(|inner| Estimate { inner })
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Interval>()?;
    m.add_class::<Estimate>()?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    m.add_function(wrap_pyfunction!(nps_from_counts, m)?)?;
    Ok(())
}
