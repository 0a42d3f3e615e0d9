//! Comparisons, p-value adjustment and planning: wraps `cem_core::compare`, `adjust`, `planning`.

use cem_core::{operations, Comparison as CoreComparison};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::run;
use crate::metric::{Estimate, Interval};

/// The result of a comparison of two estimates: what ``compare`` and ``compare_to`` return.
///
/// Attributes
/// ----------
/// difference : float
///     First minus second, in the metric's unit.
/// interval : Interval
///     The interval of the difference.
/// statistic : float
///     The test statistic (z, or t for Welch's test).
/// pvalue : float
///     Its p-value under ``alternative``.
/// df : float or None
///     Degrees of freedom (Welch's test), else ``None``.
/// alternative : str
///     ``two-sided``, ``greater`` or ``less``.
///
/// Examples
/// --------
/// >>> import cemscore
/// >>> c = cemscore.compare(cemscore.nps([10] * 60 + [3] * 40), cemscore.nps([10] * 40 + [3] * 60))
/// >>> round(c.difference, 1), c.pvalue < 0.05
/// (40.0, True)
#[pyclass(frozen, module = "cemscore._cemscore")]
#[derive(Clone)]
pub struct Comparison {
    inner: CoreComparison,
}

#[pymethods]
impl Comparison {
    #[getter]
    fn difference(&self) -> f64 {
        self.inner.difference
    }
    #[getter]
    fn interval(&self) -> Interval {
        let i = &self.inner.interval;
        Interval::new(i.lower, i.upper, i.level, self.inner.method.name())
    }
    #[getter]
    fn statistic(&self) -> f64 {
        self.inner.statistic
    }
    #[getter]
    fn pvalue(&self) -> f64 {
        self.inner.p_value
    }
    #[getter]
    fn df(&self) -> Option<f64> {
        self.inner.df
    }
    #[getter]
    fn alternative(&self) -> String {
        self.inner.alternative.name().to_string()
    }
    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method.name()
    }
    /// `(low, high)` of the difference.
    fn confidence_interval(&self) -> (f64, f64) {
        (self.inner.interval.lower, self.inner.interval.upper)
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner)
    }
    fn __repr__(&self) -> String {
        let c = &self.inner;
        format!(
            "Comparison(difference={:.2}, {:.0}% CI [{:.2}, {:.2}], statistic={:.3}, pvalue={:.4e}, method='{}')",
            c.difference,
            c.interval.level * 100.0,
            c.interval.lower,
            c.interval.upper,
            c.statistic,
            c.p_value,
            c.method.name()
        )
    }
}

#[pyfunction]
#[pyo3(signature = (a, b, options=None))]
fn compare(py: Python<'_>, a: &Estimate, b: &Estimate, options: Option<&Bound<'_, PyDict>>) -> PyResult<Comparison> {
    let o = crate::convert::options(options)?;
    run(py, || operations::compare(&a.inner, &b.inner, o)).map(|inner| Comparison { inner })
}

#[pyfunction]
#[pyo3(signature = (estimate, value, options=None))]
fn compare_to(
    py: Python<'_>,
    estimate: &Estimate,
    value: f64,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Comparison> {
    let o = crate::convert::options(options)?;
    run(py, || operations::compare_to(&estimate.inner, value, o)).map(|inner| Comparison { inner })
}

#[pyfunction]
#[pyo3(signature = (pvalues, options=None))]
fn adjust_pvalues(py: Python<'_>, pvalues: Vec<f64>, options: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<f64>> {
    let o = crate::convert::options(options)?;
    run(py, || operations::adjust_pvalues(&pvalues, o))
}

// Planning: keyword-friendly; a level, alpha or power left out is the core's (cem_core::PLANNING_*).
// The numpydoc docstrings are on the Python wrappers in cemscore/__init__.py.
#[pyfunction]
#[pyo3(signature = (promoter_share, detractor_share, margin, level=None))]
fn nps_responses_needed(
    py: Python<'_>,
    promoter_share: f64,
    detractor_share: f64,
    margin: f64,
    level: Option<f64>,
) -> PyResult<u64> {
    let level = level.unwrap_or(cem_core::PLANNING_LEVEL);
    run(py, || cem_core::nps_responses_needed(promoter_share, detractor_share, margin, level))
}

#[pyfunction]
#[pyo3(signature = (share, margin, level=None))]
fn proportion_responses_needed(py: Python<'_>, share: f64, margin: f64, level: Option<f64>) -> PyResult<u64> {
    let level = level.unwrap_or(cem_core::PLANNING_LEVEL);
    run(py, || cem_core::proportion_responses_needed(share, margin, level))
}

#[pyfunction]
#[pyo3(signature = (sd, margin, level=None))]
fn mean_responses_needed(py: Python<'_>, sd: f64, margin: f64, level: Option<f64>) -> PyResult<u64> {
    let level = level.unwrap_or(cem_core::PLANNING_LEVEL);
    run(py, || cem_core::mean_responses_needed(sd, margin, level))
}

#[pyfunction]
#[pyo3(signature = (n, promoter_share, detractor_share, alpha=None, power=None))]
fn nps_detectable_difference(
    py: Python<'_>,
    n: f64,
    promoter_share: f64,
    detractor_share: f64,
    alpha: Option<f64>,
    power: Option<f64>,
) -> PyResult<f64> {
    let (alpha, power) = (alpha.unwrap_or(cem_core::PLANNING_ALPHA), power.unwrap_or(cem_core::PLANNING_POWER));
    run(py, || cem_core::nps_detectable_difference(n, promoter_share, detractor_share, alpha, power))
}

#[pyfunction]
#[pyo3(signature = (n, share, alpha=None, power=None))]
fn proportion_detectable_difference(
    py: Python<'_>,
    n: f64,
    share: f64,
    alpha: Option<f64>,
    power: Option<f64>,
) -> PyResult<f64> {
    let (alpha, power) = (alpha.unwrap_or(cem_core::PLANNING_ALPHA), power.unwrap_or(cem_core::PLANNING_POWER));
    run(py, || cem_core::proportion_detectable_difference(n, share, alpha, power))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Comparison>()?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(compare_to, m)?)?;
    m.add_function(wrap_pyfunction!(adjust_pvalues, m)?)?;
    m.add_function(wrap_pyfunction!(nps_responses_needed, m)?)?;
    m.add_function(wrap_pyfunction!(proportion_responses_needed, m)?)?;
    m.add_function(wrap_pyfunction!(mean_responses_needed, m)?)?;
    m.add_function(wrap_pyfunction!(nps_detectable_difference, m)?)?;
    m.add_function(wrap_pyfunction!(proportion_detectable_difference, m)?)?;
    Ok(())
}
