//! Counts tables (an engine's GROUP BY output): wraps `cem_core::operations::*_counts_table`.
//!
//! The Python layer reads the table's columns (pandas, polars, pyarrow — or the counts table an engine
//! collected for `benchmark`, `trend` and the scores of a lazy frame) and passes them here: segment keys
//! as texts (`None` missing), answers as a numpy array (NaN missing), counts and weight sums as float64
//! arrays, days as for a trend. Every check is the core's.

use cem_core::{operations, CountsTable, MetricKind};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::benchmark::Benchmark;
use crate::error::{run, to_py};
use crate::input::with_array;
use crate::metric::Estimate;
use crate::tally::{SegmentTally, Tally};
use crate::trend::{dates, with_dates, Dates, Trend};

/// The float64 columns: counts, and the weight sums and squared sums if given.
struct Columns<'py> {
    counts: numpy::PyReadonlyArray1<'py, f64>,
    sums: Option<numpy::PyReadonlyArray1<'py, f64>>,
    squares: Option<numpy::PyReadonlyArray1<'py, f64>>,
}

impl<'py> Columns<'py> {
    fn new(
        counts: &Bound<'py, PyAny>,
        sums: Option<&Bound<'py, PyAny>>,
        squares: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let counts = counts.extract().map_err(|_| crate::error::type_error("counts must be a 1-d float64 array"))?;
        Ok(Columns { counts, sums: crate::input::weights(sums)?, squares: crate::input::weights(squares)? })
    }
}

/// `$body` with `$t` bound to the counts table of `$answers` and `$c` (a `Columns`).
macro_rules! with_table {
    ($answers:expr, $c:expr, |$t:ident| $body:expr) => {{
        let counts = $c.counts.as_slice().map_err(|_| crate::error::type_error("counts must be contiguous"))?;
        let sums = $c.sums.as_ref().map(|s| s.as_slice()).transpose().map_err(|_| crate::error::type_error("weight sums must be contiguous"))?;
        let squares = $c.squares.as_ref().map(|s| s.as_slice()).transpose().map_err(|_| crate::error::type_error("weight sums must be contiguous"))?;
        with_array!($answers, a => {
            let $t = CountsTable { answers: a, counts, weight_sums: sums, weight_sq_sums: squares };
            $body
        })
    }};
}

/// A benchmark of a counts table: one segment key per group (`None`: a NULL segment).
#[pyfunction]
#[pyo3(signature = (keys, answers, counts, weight_sums=None, weight_sq_sums=None, options=None))]
fn benchmark_counts_table(
    py: Python<'_>,
    keys: Vec<Option<String>>,
    answers: &Bound<'_, PyAny>,
    counts: &Bound<'_, PyAny>,
    weight_sums: Option<&Bound<'_, PyAny>>,
    weight_sq_sums: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Benchmark> {
    let (o, c) = (crate::convert::options(options)?, Columns::new(counts, weight_sums, weight_sq_sums)?);
    with_table!(answers, c, |t| run(py, || operations::benchmark_counts_table(&keys, &t, o))
        .map(|inner| Benchmark { inner }))
}

/// A trend of a counts table grouped by day (and by segment when `keys` are given).
#[pyfunction]
#[pyo3(signature = (days, keys, answers, counts, weight_sums=None, weight_sq_sums=None, options=None))]
#[allow(clippy::too_many_arguments)]
fn trend_counts_table(
    py: Python<'_>,
    days: &Bound<'_, PyAny>,
    keys: Option<Vec<Option<String>>>,
    answers: &Bound<'_, PyAny>,
    counts: &Bound<'_, PyAny>,
    weight_sums: Option<&Bound<'_, PyAny>>,
    weight_sq_sums: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Trend> {
    let (o, c) = (crate::convert::options(options)?, Columns::new(counts, weight_sums, weight_sq_sums)?);
    let days: Dates<'_> = dates(days)?;
    with_table!(answers, c, |t| with_dates!(&days, |d| run(py, || operations::trend_counts_table(
        d,
        keys.as_deref(),
        &t,
        o
    ))
    .map(|inner| Trend { inner })))
}

/// The estimate of metric `kind` from a counts table without segments.
#[pyfunction]
#[pyo3(signature = (answers, kind, counts, weight_sums=None, weight_sq_sums=None, options=None))]
fn estimate_counts_table(
    py: Python<'_>,
    answers: &Bound<'_, PyAny>,
    kind: &str,
    counts: &Bound<'_, PyAny>,
    weight_sums: Option<&Bound<'_, PyAny>>,
    weight_sq_sums: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Estimate> {
    let kind: MetricKind = kind.parse().map_err(|e| to_py(py, e))?;
    let (o, c) = (crate::convert::options(options)?, Columns::new(counts, weight_sums, weight_sq_sums)?);
    with_table!(answers, c, |t| run(py, || operations::estimate_counts_table(kind, &t, o))
        .map(|inner| Estimate { inner }))
}

/// A segment tally on `scale` from a counts table.
#[pyfunction]
#[pyo3(signature = (keys, answers, counts, scale, weight_sums=None, weight_sq_sums=None, options=None))]
#[allow(clippy::too_many_arguments)]
fn segments_from_counts_table(
    py: Python<'_>,
    keys: Vec<Option<String>>,
    answers: &Bound<'_, PyAny>,
    counts: &Bound<'_, PyAny>,
    scale: (i32, i32),
    weight_sums: Option<&Bound<'_, PyAny>>,
    weight_sq_sums: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<SegmentTally> {
    let s = operations::scale(&[scale.0, scale.1]).map_err(|e| to_py(py, e))?;
    let (o, c) = (crate::convert::options(options)?, Columns::new(counts, weight_sums, weight_sq_sums)?);
    with_table!(answers, c, |t| run(py, || operations::segments_from_counts_table(s, &keys, &t, o))
        .map(SegmentTally::wrap))
}

/// A tally on `scale` from a counts table without segments.
#[pyfunction]
#[pyo3(signature = (answers, counts, scale, weight_sums=None, weight_sq_sums=None, options=None))]
fn tally_from_counts_table(
    py: Python<'_>,
    answers: &Bound<'_, PyAny>,
    counts: &Bound<'_, PyAny>,
    scale: (i32, i32),
    weight_sums: Option<&Bound<'_, PyAny>>,
    weight_sq_sums: Option<&Bound<'_, PyAny>>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Tally> {
    let s = operations::scale(&[scale.0, scale.1]).map_err(|e| to_py(py, e))?;
    let (o, c) = (crate::convert::options(options)?, Columns::new(counts, weight_sums, weight_sq_sums)?);
    with_table!(answers, c, |t| run(py, || operations::tally_from_counts_table(s, &t, o)).map(Tally::wrap))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(benchmark_counts_table, m)?)?;
    m.add_function(wrap_pyfunction!(trend_counts_table, m)?)?;
    m.add_function(wrap_pyfunction!(estimate_counts_table, m)?)?;
    m.add_function(wrap_pyfunction!(segments_from_counts_table, m)?)?;
    m.add_function(wrap_pyfunction!(tally_from_counts_table, m)?)?;
    Ok(())
}
