//! Answers from numpy arrays of any integer or float dtype, read in place when contiguous.
//!
//! The Python layer turns pandas, polars, pyarrow, lists and ranges into numpy arrays first (without a
//! copy wherever those libraries allow one); this module only dispatches on the dtype.

use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

/// Calls `$body` with `$slice` bound to the array's data as `&[T]`, for the first listed dtype `T` that
/// matches; returns from the enclosing function (with a `TypeError` if none matches).
macro_rules! dispatch {
    ($obj:expr, $slice:ident => $body:expr; $what:literal; $($t:ty),*) => {{
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
        return Err($crate::type_error(format!(
            concat!("expected a 1-d numpy array of ", $what, ", got {}"),
            obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        )));
    }};
}
pub(crate) use dispatch;

/// Answers: any integer or float dtype.
macro_rules! with_array {
    ($obj:expr, $slice:ident => $body:expr) => {
        $crate::input::dispatch!($obj, $slice => $body; "integers or floats"; u8, i8, u16, i16, u32, i32, u64, i64, f32, f64)
    };
}
pub(crate) use with_array;

/// Segment codes: any integer dtype.
macro_rules! with_codes {
    ($obj:expr, $slice:ident => $body:expr) => {
        $crate::input::dispatch!($obj, $slice => $body; "integer segment codes"; u8, i8, u16, i16, u32, i32, u64, i64)
    };
}
pub(crate) use with_codes;

/// Optional float64 weights, read in place.
pub(crate) fn weights<'py>(w: Option<&Bound<'py, PyAny>>) -> PyResult<Option<PyReadonlyArray1<'py, f64>>> {
    match w {
        None => Ok(None),
        Some(w) if w.is_none() => Ok(None),
        Some(w) => w
            .extract::<PyReadonlyArray1<f64>>()
            .map(Some)
            .map_err(|_| crate::type_error("weights must be a 1-d float64 array")),
    }
}

/// The weights as a contiguous slice (copied only if the array is strided).
pub(crate) fn weight_slice<'a>(w: &'a Option<PyReadonlyArray1<'_, f64>>) -> Option<std::borrow::Cow<'a, [f64]>> {
    w.as_ref().map(|a| match a.as_slice() {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(a.as_array().to_vec()),
    })
}
