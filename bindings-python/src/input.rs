//! Answers from numpy arrays of any integer or float dtype, read in place when contiguous.
//!
//! The Python layer turns pandas, polars, pyarrow, lists and ranges into numpy arrays first (without a
//! copy wherever those libraries allow one); this module only dispatches on the dtype.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

/// Calls `$body` with `$slice` bound to the array's data as `&[T]`, for the first listed dtype `T` that
/// matches; returns from the enclosing function (with `$fallback`'s error, given the type's name, if none
/// matches).
macro_rules! dispatch {
    ($obj:expr, $slice:ident => $body:expr; $fallback:expr; $($t:ty),*) => {{
        let obj = $obj;
        $(
            if let Ok(arr) = obj.extract::<numpy::PyReadonlyArray1<$t>>() {
                let owned: Vec<$t>;
                // Contiguous arrays are read in place; strided views are gathered once.
                let $slice: &[$t] = match arr.as_slice() {
                    Ok(s) => s,
                    Err(_) => {
                        owned = arr.as_array().to_vec();
                        &owned
                    }
                };
                #[allow(unreachable_code)]
                return $body;
            }
        )*
        return Err($fallback(obj));
    }};
}
pub(crate) use dispatch;

/// Answers: any integer or float dtype.
macro_rules! with_array {
    ($obj:expr, $slice:ident => $body:expr) => {
        $crate::input::dispatch!($obj, $slice => $body; $crate::input::unsupported_answers; u8, i8, u16, i16, u32, i32, u64, i64, f32, f64)
    };
}
pub(crate) use with_array;

/// Segment codes: any integer dtype.
macro_rules! with_codes {
    ($obj:expr, $slice:ident => $body:expr) => {
        $crate::input::dispatch!($obj, $slice => $body; |obj: &Bound<'_, PyAny>| $crate::error::type_error(format!(
            "expected a 1-d numpy array of integer segment codes, got {}",
            obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        )); u8, i8, u16, i16, u32, i32, u64, i64)
    };
}
pub(crate) use with_codes;

/// The core's `unsupported_answers` error for answers the dispatch cannot read, naming the numpy dtype
/// (`bool`, `float16`, `datetime64[ns]`…) or the Python type.
pub(crate) fn unsupported_answers(obj: &Bound<'_, PyAny>) -> PyErr {
    let dtype = obj.getattr("dtype").and_then(|d| d.str()).map(|d| d.to_string());
    let name = dtype.or_else(|_| obj.get_type().name().map(|n| n.to_string())).unwrap_or_default();
    crate::error::to_py(obj.py(), cem_core::CemError::unsupported_answers(&name))
}

/// Answers given as Python objects (text, numbers, None), each read by the core's rule for text
/// (`cem_core::answer_from_text`): the float64 array the other calls read. Booleans and other objects are
/// the core's `unsupported_answers`.
#[pyfunction]
pub(crate) fn read_answers(py: Python<'_>, values: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<f64>> {
    let mut out = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let x = if v.is_none() {
            f64::NAN
        } else if let Ok(text) = v.extract::<String>() {
            cem_core::answer_from_text(i, &text).map_err(|e| crate::error::to_py(py, e))?
        } else if v.is_instance_of::<pyo3::types::PyBool>() {
            return Err(crate::error::to_py(py, cem_core::CemError::unsupported_answers("bool")));
        } else if let Ok(x) = v.extract::<f64>() {
            x
        } else {
            let name = v.get_type().name().map(|n| n.to_string()).unwrap_or_default();
            return Err(crate::error::to_py(py, cem_core::CemError::unsupported_answers(&name)));
        };
        out.push(x);
    }
    Ok(out)
}

/// Optional float64 weights, read in place.
pub(crate) fn weights<'py>(w: Option<&Bound<'py, PyAny>>) -> PyResult<Option<PyReadonlyArray1<'py, f64>>> {
    match w {
        None => Ok(None),
        Some(w) if w.is_none() => Ok(None),
        Some(w) => w
            .extract::<PyReadonlyArray1<f64>>()
            .map(Some)
            .map_err(|_| crate::error::type_error("weights must be a 1-d float64 array")),
    }
}

/// The weights as a contiguous slice (copied only if the array is strided).
pub(crate) fn weight_slice<'a>(w: &'a Option<PyReadonlyArray1<'_, f64>>) -> Option<std::borrow::Cow<'a, [f64]>> {
    w.as_ref().map(|a| match a.as_slice() {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(a.as_array().to_vec()),
    })
}

/// The position of `column` among `columns`, or the core's error naming the option, the column and the
/// columns there are (`cem_core::find_column`).
#[pyfunction]
pub(crate) fn find_column(py: Python<'_>, option: &str, column: &str, columns: Vec<String>) -> PyResult<usize> {
    cem_core::find_column(option, column, &columns).map_err(|e| crate::error::to_py(py, e))
}
