//! `cemscore._cemscore`: the compiled half of the Python package. It converts types and errors and
//! nothing else — every formula, default and validation lives in `cem-core`: each function converts its
//! inputs, makes one `cem_core::operations` call and converts the result or the error. Options arrive as
//! a dict (the pure-Python layer collects keywords), turned into a JSON value here without a text hop
//! (numpy scalars included) and read strictly by the core; results come back as Python objects.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

mod benchmark;
mod classify;
mod compare;
mod counts;
mod drivers;
mod input;
mod metric;
mod rake;
mod tally;
mod trend;

create_exception!(
    _cemscore,
    CemError,
    PyValueError,
    "A cem error: a message a person can act on, and what a program needs to handle it.

Attributes
----------
code : str
    The stable error code (``out_of_range``, ``missing_value``, ``invalid_parameter``, …; the book's
    \"Errors\" chapter lists them).
index : int or None
    The offending row, where there is one.
value : float, str or None
    The offending value, where there is one.

Examples
--------
>>> import cemscore
>>> try:
...     cemscore.nps([10, 9, 11])
... except cemscore.CemError as e:
...     print(e.code, e.index, e.value)
out_of_range 2 11.0
"
);

/// Converts a core error into `CemError` with its code, index and value as attributes.
pub(crate) fn to_py(py: Python<'_>, e: cem_core::CemError) -> PyErr {
    let err = CemError::new_err(e.to_string());
    let value = err.value(py);
    let _ = value.setattr("code", e.code());
    let _ = value.setattr("index", e.index());
    // The offending value: a number, or the text of an answer given as text that is not a number.
    let _ = match e.text() {
        Some(text) => value.setattr("value", text),
        None => value.setattr("value", e.value()),
    };
    err
}

/// Runs `f` without the GIL and with panics caught: a panic never reaches Python as `PanicException`
/// (cem-core does not panic on any input; this is the belt to its braces).
pub(crate) fn run<T: Send>(py: Python<'_>, f: impl FnOnce() -> cem_core::Result<T> + Send) -> PyResult<T> {
    let result = py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    match result {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_py(py, e)),
        Err(_) => {
            let err = CemError::new_err("internal error in cem (a bug: please report it with the input)");
            let _ = err.value(py).setattr("code", "internal");
            Err(err)
        }
    }
}

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

/// A result as Python objects (dicts, lists, floats…), through serde without a text hop.
pub(crate) fn to_py_object<'py>(py: Python<'py>, v: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::types::{PyDict, PyList};
    use serde_json::Value;
    fn convert<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
        Ok(match v {
            Value::Null => py.None().into_bound(py),
            Value::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => u.into_pyobject(py)?.into_any(),
                (_, Some(i)) => i.into_pyobject(py)?.into_any(),
                _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
            },
            Value::String(s) => s.into_pyobject(py)?.into_any(),
            Value::Array(items) => {
                PyList::new(py, items.iter().map(|i| convert(py, i)).collect::<PyResult<Vec<_>>>()?)?.into_any()
            }
            Value::Object(map) => {
                let d = PyDict::new(py);
                for (k, item) in map {
                    d.set_item(k, convert(py, item)?)?;
                }
                d.into_any()
            }
        })
    }
    let value = serde_json::to_value(v).map_err(|e| type_error(e.to_string()))?;
    convert(py, &value)
}

/// Counts from Python: ints (and numpy integers) as they are, anything else through the core's
/// `whole_counts`, which refuses a negative or fractional count naming its index.
pub(crate) fn counts(py: Python<'_>, values: &[Bound<'_, PyAny>]) -> PyResult<Vec<u64>> {
    if let Ok(exact) = values.iter().map(|v| v.extract::<u64>()).collect::<PyResult<Vec<u64>>>() {
        return Ok(exact);
    }
    let floats = values.iter().map(|v| v.extract::<f64>()).collect::<PyResult<Vec<f64>>>()?;
    cem_core::whole_counts(&floats).map_err(|e| to_py(py, e))
}

pub(crate) fn type_error(msg: impl Into<String>) -> PyErr {
    PyTypeError::new_err(msg.into())
}

#[pymodule]
fn _cemscore(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CemError", m.py().get_type::<CemError>())?;
    m.add_function(wrap_pyfunction!(input::read_answers, m)?)?;
    m.add_function(wrap_pyfunction!(input::find_column, m)?)?;
    metric::register(m)?;
    compare::register(m)?;
    tally::register(m)?;
    benchmark::register(m)?;
    trend::register(m)?;
    classify::register(m)?;
    drivers::register(m)?;
    counts::register(m)?;
    rake::register(m)?;
    Ok(())
}
