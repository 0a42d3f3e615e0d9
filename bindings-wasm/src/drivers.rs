//! Key driver analysis: `drivers(columns, options)`, columns an object of name → numbers.

use cem_core::operations;
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::{numbers, split, to_js, type_error, Result, Segments};

/// A key driver analysis of named columns (`{nps: […], ease: […]}`); the options name the outcome,
/// drivers and weight column and are read strictly by the core. Returns the core's result JSON; with
/// `options.segments` (one key per row), a list of `{segment, analysis}` in key order, from one pass.
#[wasm_bindgen]
pub fn drivers(columns: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [segments]) = split(options, ["segments"])?;
    if !columns.is_object() {
        return Err(type_error("columns must be an object of column name → numbers"));
    }
    let entries = Object::entries(columns.unchecked_ref());
    let cols = entries
        .iter()
        .map(|e| {
            let pair: Array = e.unchecked_into();
            Ok((pair.get(0).as_string().unwrap_or_default(), numbers(&pair.get(1))?))
        })
        .collect::<Result<Vec<(String, Vec<f64>)>>>()?;
    let cols: Vec<(&str, &[f64])> = cols.iter().map(|(n, v)| (n.as_str(), &v[..])).collect();
    match segments.as_ref().map(Segments::of).transpose()? {
        None => to_js(&operations::drivers(&cols, o.as_str())?),
        Some(Segments::Keys(k)) => to_js(&operations::drivers_by_segment_keys(&cols, &k, o.as_str())?),
        Some(Segments::Numbers(n)) => to_js(&operations::drivers_by_segment_numbers(&cols, &n, o.as_str())?),
    }
}
