//! Python values to and from the core's JSON values: options dicts in (numpy scalars included, without a
//! text hop), results out as Python objects in the JSON's key order; counts as whole numbers by the core's
//! rule. Uses only `error`.

use pyo3::prelude::*;

use crate::error::{to_py, type_error};

/// A Python value as JSON: dicts, lists, tuples, strings, bools, None, ints and floats, numpy scalars
/// and arrays (by `tolist`/`item`). What the core then makes of it is the core's to decide.
pub(crate) fn to_json(v: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    use pyo3::types::{PyBool, PyDict, PyInt, PyList, PyString, PyTuple};
    use serde_json::Value;
    if v.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Value::String(s.extract::<String>()?));
    }
    if let Ok(d) = v.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, item) in d.iter() {
            map.insert(k.str()?.extract::<String>()?, to_json(&item)?);
        }
        return Ok(Value::Object(map));
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        return v.try_iter()?.map(|item| to_json(&item?)).collect::<PyResult<Vec<_>>>().map(Value::Array);
    }
    if v.cast::<PyInt>().is_ok() {
        if let Ok(i) = v.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = v.extract::<u64>() {
            return Ok(Value::from(u));
        }
    }
    if v.hasattr("tolist")? && v.hasattr("shape")? {
        return to_json(&v.call_method0("tolist")?); // a numpy array or scalar, as Python values
    }
    if let Ok(f) = v.extract::<f64>() {
        // JSON has no NaN: a NaN option is passed as text, which the core refuses naming the key.
        return Ok(serde_json::Number::from_f64(f).map_or_else(|| Value::String(f.to_string()), Value::Number));
    }
    Err(type_error(format!("cannot pass a {} as an option", v.get_type().name()?)))
}

/// The options dict as the core's input (`None`: every default).
pub(crate) fn options(options: Option<&Bound<'_, pyo3::types::PyDict>>) -> PyResult<serde_json::Value> {
    options.map_or(Ok(serde_json::Value::Null), |d| to_json(d.as_any()))
}

/// A result as Python objects (dicts, lists, floats…) that read as its JSON does: each dict's keys in the
/// core's field order (the order of the TypedDicts and of `to_json()`, so DataFrames built from the rows
/// have their columns in reading order), a non-finite float as `None`. Serialized by serde_json (field
/// order kept, floats written shortest-exact) and read by Python's `json` (floats parsed exactly); a
/// `serde_json::Value` would sort the keys.
pub(crate) fn to_py_object<'py>(py: Python<'py>, v: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: pyo3::sync::PyOnceLock<Py<PyAny>> = pyo3::sync::PyOnceLock::new();
    let text = serde_json::to_string(v).map_err(|e| type_error(e.to_string()))?;
    let loads = LOADS.get_or_try_init(py, || py.import("json")?.getattr("loads").map(Bound::unbind))?;
    loads.bind(py).call1((text,))
}

/// Counts from Python: ints (and numpy integers) as they are, anything else through the core's
/// `whole_counts`, which refuses a negative or fractional count naming its index.
pub(crate) fn whole_counts(py: Python<'_>, values: &[Bound<'_, PyAny>]) -> PyResult<Vec<u64>> {
    if let Ok(exact) = values.iter().map(|v| v.extract::<u64>()).collect::<PyResult<Vec<u64>>>() {
        return Ok(exact);
    }
    let floats = values.iter().map(|v| v.extract::<f64>()).collect::<PyResult<Vec<f64>>>()?;
    cem_core::whole_counts(&floats).map_err(|e| to_py(py, e))
}
