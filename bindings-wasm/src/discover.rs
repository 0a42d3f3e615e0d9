//! Data-driven segments: `discover(columns, options)`, columns an object of name → values.

use cem_core::{operations, Column};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::{numbers, to_js, type_error, Result};

/// A column as the core reads it: numbers (a TypedArray, or an array of numbers and nulls), or texts
/// (any other array: each value as JavaScript writes it, `null`/`undefined` missing).
enum Values {
    Numbers(Vec<f64>),
    Texts(Vec<Option<String>>),
}

fn values(v: &JsValue) -> Result<Values> {
    let Some(a) = v.dyn_ref::<Array>() else { return Ok(Values::Numbers(numbers(v)?)) };
    let missing = |x: &JsValue| x.is_null() || x.is_undefined();
    if a.iter().all(|x| x.as_f64().is_some() || missing(&x)) {
        return Ok(Values::Numbers(numbers(v)?));
    }
    Ok(Values::Texts(
        a.iter()
            .map(|x| match x.as_string() {
                Some(s) => Some(s),
                None if missing(&x) || x.as_f64().is_some_and(f64::is_nan) => None,
                None => Some(x.unchecked_ref::<Object>().to_string().into()),
            })
            .collect(),
    ))
}

/// Every slice (`region=East & channel=phone`) up to `options.depth` conditions tested against its rest,
/// p-values adjusted over the family; `options.answer` names the answer column, `options.attributes` the
/// attributes (default: every other column). Returns the core's result JSON.
#[wasm_bindgen]
pub fn discover(columns: &JsValue, options: &JsValue) -> Result<JsValue> {
    if !columns.is_object() {
        return Err(type_error("columns must be an object of column name → values"));
    }
    let entries = Object::entries(columns.unchecked_ref());
    let cols = entries
        .iter()
        .map(|e| {
            let pair: Array = e.unchecked_into();
            Ok((pair.get(0).as_string().unwrap_or_default(), values(&pair.get(1))?))
        })
        .collect::<Result<Vec<(String, Values)>>>()?;
    let texts: Vec<Vec<Option<&str>>> = cols
        .iter()
        .map(|(_, v)| match v {
            Values::Texts(t) => t.iter().map(Option::as_deref).collect(),
            Values::Numbers(_) => Vec::new(),
        })
        .collect();
    let columns: Vec<(&str, Column)> = cols
        .iter()
        .zip(&texts)
        .map(|((n, v), t)| match v {
            Values::Numbers(x) => (n.as_str(), Column::Numbers(x)),
            Values::Texts(_) => (n.as_str(), Column::Texts(t)),
        })
        .collect();
    let o = super::text(options)?;
    to_js(&operations::discover(&columns, o.as_str())?)
}
