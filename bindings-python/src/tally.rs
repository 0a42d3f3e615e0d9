//! Tallies and segment tallies: wraps `cem_core::tally` and `cem_core::segment`.
//!
//! The core types sit behind a mutex so that Python threads may share a tally: counting runs without
//! the GIL on the thread's own partial tally, and only the merge takes the lock.

use std::sync::Mutex;

use cem_core::{operations, Answer, Code, Missing, Scale, SegmentTally as CoreSegments, Tally as CoreTally};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{run, to_py};
use crate::input::{weight_slice, with_array, with_codes};

fn scale_of(py: Python<'_>, scale: (i32, i32)) -> PyResult<Scale> {
    operations::scale(&[scale.0, scale.1]).map_err(|e| to_py(py, e))
}

/// Counts per scale point: mergeable, picklable, buildable from counts aggregated elsewhere.
#[pyclass(frozen, subclass, module = "cemscore._cemscore")]
pub struct Tally {
    inner: Mutex<CoreTally>,
}

impl Tally {
    pub(crate) fn snapshot(&self) -> CoreTally {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    pub(crate) fn wrap(t: CoreTally) -> Tally {
        Tally { inner: Mutex::new(t) }
    }
}

#[pymethods]
impl Tally {
    #[new]
    #[pyo3(signature = (scale))]
    fn new(py: Python<'_>, scale: (i32, i32)) -> PyResult<Self> {
        Ok(Tally::wrap(CoreTally::new(scale_of(py, scale)?)))
    }

    /// A tally from counts per point, lowest first.
    #[staticmethod]
    fn _from_counts(py: Python<'_>, counts: Vec<Bound<'_, PyAny>>, scale: (i32, i32)) -> PyResult<Tally> {
        let (s, counts) = (scale_of(py, scale)?, crate::convert::whole_counts(py, &counts)?);
        CoreTally::from_counts(s, &counts).map(Tally::wrap).map_err(|e| to_py(py, e))
    }

    /// An NPS tally from group counts.
    #[staticmethod]
    fn _from_nps_counts(py: Python<'_>, counts: [Bound<'_, PyAny>; 3]) -> PyResult<Tally> {
        let c = crate::convert::whole_counts(py, &counts)?;
        Ok(Tally::wrap(CoreTally::from_nps_counts(c[0], c[1], c[2])))
    }

    /// Adds answers (a numpy array); on error nothing is added.
    #[pyo3(signature = (answers, weights=None, options=None))]
    fn _update(
        &self,
        py: Python<'_>,
        answers: &Bound<'_, PyAny>,
        weights: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        // Counted without the GIL into a part of its own; only the merge takes the lock.
        let o = crate::convert::options(options)?;
        let w = crate::input::weights(weights)?;
        let w = weight_slice(&w);
        let w = w.as_deref();
        let part = tally_part(py, self.snapshot().scale(), answers, w, o)?;
        run(py, || self.inner.lock().unwrap_or_else(|p| p.into_inner()).merge(&part))
    }

    /// Adds another tally's counts; on error this one is unchanged.
    fn merge(&self, py: Python<'_>, other: &Tally) -> PyResult<()> {
        let other = other.snapshot();
        run(py, || self.inner.lock().unwrap_or_else(|p| p.into_inner()).merge(&other))
    }

    #[getter]
    fn scale(&self) -> (i32, i32) {
        let s = self.snapshot().scale();
        (s.min(), s.max())
    }
    #[getter]
    fn counts(&self) -> Vec<u64> {
        self.snapshot().counts().to_vec()
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
    fn weight_sums(&self) -> Vec<f64> {
        self.snapshot().weight_sums()
    }
    #[getter]
    fn is_weighted(&self) -> bool {
        self.snapshot().is_weighted()
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).unwrap_or_default()
    }
    #[staticmethod]
    fn _from_json(py: Python<'_>, json: &str) -> PyResult<Tally> {
        operations::from_json("tally", json).map(Tally::wrap).map_err(|e| to_py(py, e))
    }
    fn __setstate__(&self, py: Python<'_>, json: &str) -> PyResult<()> {
        let t: CoreTally = operations::from_json("tally", json).map_err(|e| to_py(py, e))?;
        *self.inner.lock().unwrap_or_else(|p| p.into_inner()) = t;
        Ok(())
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyAny>, ((i32, i32),), String) {
        let me = slf.get();
        (slf.get_type().into_any(), (me.scale(),), me.to_json())
    }
    fn __eq__(&self, other: &Tally) -> bool {
        self.snapshot() == other.snapshot()
    }
    fn __repr__(&self) -> String {
        let t = self.snapshot();
        format!("Tally(scale=({}, {}), n={}, counts={:?})", t.scale().min(), t.scale().max(), t.n(), t.counts())
    }
}

/// Tallies per segment.
#[pyclass(frozen, subclass, module = "cemscore._cemscore")]
pub struct SegmentTally {
    inner: Mutex<CoreSegments>,
}

impl SegmentTally {
    pub(crate) fn snapshot(&self) -> CoreSegments {
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    pub(crate) fn wrap(s: CoreSegments) -> Self {
        SegmentTally { inner: Mutex::new(s) }
    }
}

/// Answers counted into a tally of their own, on `scale`.
fn tally_part(
    py: Python<'_>,
    scale: Scale,
    answers: &Bound<'_, PyAny>,
    weights: Option<&[f64]>,
    options: serde_json::Value,
) -> PyResult<CoreTally> {
    let mut part = CoreTally::new(scale);
    with_array!(answers, a => run(py, || operations::update(&mut part, a, weights, options)).map(|()| part))
}

/// Adds rows to `s`: integer `codes` into `names`, or, without names, the codes as the keys (numbers).
pub(crate) fn add_rows<C: Code, A: Answer>(
    s: &mut CoreSegments,
    codes: &[C],
    names: Option<&[String]>,
    answers: &[A],
    weights: Option<&[f64]>,
    missing: Missing,
) -> cem_core::Result<()> {
    match names {
        Some(names) => s.update_codes(codes, names, answers, weights, missing),
        None => s.update_numbered(codes, answers, weights, missing),
    }
}

/// Rows counted into a segment tally of their own, on `scale`.
fn segment_part(
    py: Python<'_>,
    scale: Scale,
    codes: &Bound<'_, PyAny>,
    names: Option<&[String]>,
    answers: &Bound<'_, PyAny>,
    weights: Option<&[f64]>,
    options: serde_json::Value,
) -> PyResult<CoreSegments> {
    let mut part = CoreSegments::new(scale);
    with_codes!(codes, c => with_array!(answers, a => run(py, || {
        operations::update_segments(&mut part, options, |s, missing| add_rows(s, c, names, a, weights, missing))
    }).map(|()| part)))
}

#[pymethods]
impl SegmentTally {
    #[new]
    #[pyo3(signature = (scale))]
    fn new(py: Python<'_>, scale: (i32, i32)) -> PyResult<Self> {
        Ok(SegmentTally::wrap(CoreSegments::new(scale_of(py, scale)?)))
    }

    /// Adds rows: integer `codes` into `names` (`None`: the codes are the keys, as numbers), answers,
    /// optional weights; on error nothing is added.
    #[pyo3(signature = (codes, names, answers, weights=None, options=None))]
    fn _update(
        &self,
        py: Python<'_>,
        codes: &Bound<'_, PyAny>,
        names: Option<Vec<String>>,
        answers: &Bound<'_, PyAny>,
        weights: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let o = crate::convert::options(options)?;
        let w = crate::input::weights(weights)?;
        let w = weight_slice(&w);
        let scale = self.snapshot().scale();
        let part = segment_part(py, scale, codes, names.as_deref(), answers, w.as_deref(), o)?;
        run(py, || self.inner.lock().unwrap_or_else(|p| p.into_inner()).merge(&part))
    }

    /// A segment tally from `{key: counts}`.
    #[staticmethod]
    fn _from_counts(
        py: Python<'_>,
        keys: Vec<String>,
        counts: Vec<Vec<Bound<'_, PyAny>>>,
        scale: (i32, i32),
    ) -> PyResult<Self> {
        let s = scale_of(py, scale)?;
        let counts = counts.iter().map(|c| crate::convert::whole_counts(py, c)).collect::<PyResult<Vec<_>>>()?;
        CoreSegments::from_counts(s, &keys, &counts).map(SegmentTally::wrap).map_err(|e| to_py(py, e))
    }

    fn merge(&self, py: Python<'_>, other: &SegmentTally) -> PyResult<()> {
        let other = other.snapshot();
        run(py, || self.inner.lock().unwrap_or_else(|p| p.into_inner()).merge(&other))
    }
    #[getter]
    fn keys(&self) -> Vec<String> {
        self.snapshot().keys().to_vec()
    }
    #[getter]
    fn scale(&self) -> (i32, i32) {
        let s = self.snapshot().scale();
        (s.min(), s.max())
    }
    #[getter]
    fn skipped(&self) -> u64 {
        self.snapshot().skipped()
    }
    /// One segment's tally, or None.
    fn segment(&self, key: &str) -> Option<Tally> {
        self.snapshot().segment(key).map(Tally::wrap)
    }
    /// All segments together.
    fn total(&self) -> Tally {
        Tally::wrap(self.snapshot().total())
    }
    fn to_json(&self) -> String {
        serde_json::to_string(&self.snapshot()).unwrap_or_default()
    }
    fn __setstate__(&self, py: Python<'_>, json: &str) -> PyResult<()> {
        let s: CoreSegments = operations::from_json("segment tally", json).map_err(|e| to_py(py, e))?;
        *self.inner.lock().unwrap_or_else(|p| p.into_inner()) = s;
        Ok(())
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyAny>, ((i32, i32),), String) {
        let me = slf.get();
        (slf.get_type().into_any(), (me.scale(),), me.to_json())
    }
    fn __eq__(&self, other: &SegmentTally) -> bool {
        self.snapshot() == other.snapshot()
    }
    fn __len__(&self) -> usize {
        self.snapshot().keys().len()
    }
    fn __repr__(&self) -> String {
        let s = self.snapshot();
        format!(
            "SegmentTally(scale=({}, {}), segments={}, n={})",
            s.scale().min(),
            s.scale().max(),
            s.keys().len(),
            s.total().n()
        )
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Tally>()?;
    m.add_class::<SegmentTally>()?;
    Ok(())
}
