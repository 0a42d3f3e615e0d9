//! Trends over time: wraps `cem_core::operations::trend`.

use cem_core::operations;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::PyDict;

use crate::error::run;
use crate::input::{weight_slice, with_array, with_codes};

/// A trend as the core computes it; the Python layer turns `rows` into a DataFrame.
#[pyclass(frozen, module = "cemscore._cemscore")]
pub struct Trend {
    pub(crate) inner: cem_core::Trend,
}

#[pymethods]
impl Trend {
    /// Rows as dicts: segments in order, each segment's periods in time order.
    #[getter]
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner.rows)
    }
    #[getter]
    fn changed<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner.changed)
    }
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_py_object(py, &self.inner.summary)
    }
    #[getter]
    fn periods(&self) -> Vec<String> {
        self.inner.periods.clone()
    }
    #[getter]
    fn segments(&self) -> Vec<String> {
        self.inner.segments.clone()
    }
    #[getter]
    fn every(&self) -> &'static str {
        self.inner.every.name()
    }
    #[getter]
    fn metric(&self) -> &'static str {
        self.inner.metric.name()
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).unwrap_or_default()
    }
}

/// Dates as the Python layer passes them: day numbers (int64 with NaT missing, or float64 with NaN
/// missing) or ISO texts (None missing).
pub(crate) enum Dates<'py> {
    Days(PyReadonlyArray1<'py, i64>),
    Numbers(PyReadonlyArray1<'py, f64>),
    Text(Vec<Option<PyBackedStr>>),
}

/// `$body` with `$d` bound to the dates as a slice the core reads.
macro_rules! with_dates {
    ($dates:expr, |$d:ident| $body:expr) => {
        match $dates {
            Dates::Days(a) => {
                let $d: &[i64] =
                    a.as_slice().map_err(|_| crate::error::type_error("dates must be a contiguous array"))?;
                $body
            }
            Dates::Numbers(a) => {
                let $d: &[f64] =
                    a.as_slice().map_err(|_| crate::error::type_error("dates must be a contiguous array"))?;
                $body
            }
            Dates::Text(t) => {
                let texts: Vec<Option<&str>> = t.iter().map(|s| s.as_deref()).collect();
                let $d = texts.as_slice();
                $body
            }
        }
    };
}
pub(crate) use with_dates;

/// Dates from Python: day numbers (int64 or float64 arrays) or a list of ISO texts.
pub(crate) fn dates<'py>(dates: &Bound<'py, PyAny>) -> PyResult<Dates<'py>> {
    Ok(if let Ok(days) = dates.extract::<PyReadonlyArray1<i64>>() {
        Dates::Days(days)
    } else if let Ok(numbers) = dates.extract::<PyReadonlyArray1<f64>>() {
        Dates::Numbers(numbers)
    } else {
        Dates::Text(
            dates
                .extract()
                .map_err(|_| crate::error::type_error("dates must be day numbers or a list of ISO texts"))?,
        )
    })
}

/// A trend of rows: `dates` (day numbers or ISO texts), `codes` into `names` (`None`: no segments; names
/// `None`: the codes are the keys, as numbers), answers and optional weights.
#[pyfunction]
#[pyo3(signature = (dates, codes, names, answers, weights=None, options=None))]
fn trend_rows(
    py: Python<'_>,
    dates: &Bound<'_, PyAny>,
    codes: Option<&Bound<'_, PyAny>>,
    names: Option<Vec<String>>,
    answers: &Bound<'_, PyAny>,
    weights: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Trend> {
    let o = crate::convert::options(options)?;
    let w = crate::input::weights(weights)?;
    let w = weight_slice(&w);
    let w = w.as_deref();
    let dates = self::dates(dates)?;
    let Some(codes) = codes else {
        with_array!(answers, a => with_dates!(&dates, |d| run(py, || {
            operations::trend(o, false, |t, missing| t.update(d, a, w, missing))
        }).map(|inner| Trend { inner })))
    };
    with_codes!(codes, c => with_array!(answers, a => with_dates!(&dates, |d| run(py, || {
        operations::trend(o, true, |t, missing| match names.as_deref() {
            Some(names) => t.update_codes(d, c, names, a, w, missing),
            None => t.update_numbered(d, c, a, w, missing),
        })
    }).map(|inner| Trend { inner }))))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Trend>()?;
    m.add_function(wrap_pyfunction!(trend_rows, m)?)?;
    Ok(())
}
