//! Raking to population margins: `rake(columns, margins, options)`, `rakeCells(columns, counts, margins,
//! options)` and `rakeEstimate(columns, margins, answers, options)` (with `options.raking`, from a raking
//! already made), columns an object of name → levels (texts, or numbers named as written).

use cem_core::{operations, MetricKind, RakeColumn};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::{keys, numbers, split, text, to_js, type_error, Result};

/// A raking column: a TypedArray, or an array of numbers (null/undefined/NaN missing), is numbers; any
/// other array is keys (texts; null/undefined/NaN missing).
fn column(v: &JsValue) -> Result<RakeColumn> {
    let all_numbers = match v.dyn_ref::<Array>() {
        Some(a) => {
            a.iter().all(|x| x.as_f64().is_some() || x.is_null() || x.is_undefined())
                && a.iter().any(|x| x.as_f64().is_some())
        }
        None => true,
    };
    Ok(match all_numbers {
        true => RakeColumn::from_numbers(&numbers(v)?),
        false => RakeColumn::from_keys(&keys(v)?),
    })
}

fn columns(columns: &JsValue) -> Result<Vec<(String, RakeColumn)>> {
    if !columns.is_object() {
        return Err(type_error("columns must be an object of column name → levels"));
    }
    Object::entries(columns.unchecked_ref())
        .iter()
        .map(|e| {
            let pair: Array = e.unchecked_into();
            Ok((pair.get(0).as_string().unwrap_or_default(), column(&pair.get(1))?))
        })
        .collect()
}

/// Weights that make the rows match population margins (`{variable: {level: value}}` or a list of
/// `{variable, level, value}`); `options.base_weights` holds design weights, the other options
/// (`by`, `tolerance`, `max_sweeps`, `trim`, `trim_absolute`, `missing`) are read strictly by the core.
/// Returns `{weights, sweeps, converged, max_margin_error, worst_margin, design_effect, …}`.
#[wasm_bindgen]
pub fn rake(columns_: &JsValue, margins: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [base]) = split(options, ["base_weights"])?;
    let base = base.as_ref().map(numbers).transpose()?;
    let cols = columns(columns_)?;
    to_js(&operations::rake(&cols, base.as_deref(), text(margins)?.as_str(), o.as_str())?)
}

/// Raking factors for a cells table (a GROUP BY of the raking variables): `columns` the cells' levels,
/// `counts` rows per cell; `options.sums` and `options.squares` the cells' Σd and Σd² of base weights.
/// Returns `{factors, sweeps, …}`.
#[wasm_bindgen(js_name = rakeCells)]
pub fn rake_cells(columns_: &JsValue, counts: &JsValue, margins: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [sums, squares]) = split(options, ["sums", "squares"])?;
    let (sums, squares) = (sums.as_ref().map(numbers).transpose()?, squares.as_ref().map(numbers).transpose()?);
    if sums.is_some() != squares.is_some() {
        return Err(type_error("give both sums (Σd) and squares (Σd²), or neither"));
    }
    let cols = columns(columns_)?;
    let counts = numbers(counts)?;
    let pair = sums.as_deref().zip(squares.as_deref());
    to_js(&operations::rake_cells(&cols, &counts, pair, text(margins)?.as_str(), o.as_str())?)
}

/// Scores of `answers` with raked weights, for the whole sample then per `options.segment` (levels per row),
/// each with its calibration-aware standard error; `options.metric` names the metric (default `nps`),
/// `options.base_weights` the design weights; `options.raking` the result of `rake` on the same columns,
/// margins, base weights and options, scored without raking again; the other options are raking's and the
/// metric's, read strictly by the core. Returns `{rows: [{segment, estimate, calibrated_standard_error, …}],
/// sweeps, …}`.
#[wasm_bindgen(js_name = rakeEstimate)]
pub fn rake_estimate(columns_: &JsValue, margins: &JsValue, answers: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [base, segment, metric, raking]) = split(options, ["base_weights", "segment", "metric", "raking"])?;
    let base = base.as_ref().map(numbers).transpose()?;
    let segment = segment.as_ref().map(column).transpose()?;
    let kind: MetricKind = match metric {
        Some(m) => m.as_string().ok_or_else(|| type_error("metric is a name such as \"nps\""))?.parse()?,
        None => MetricKind::Nps,
    };
    let cols = columns(columns_)?;
    let answers = numbers(answers)?;
    let margins = text(margins)?;
    let (m, o) = (margins.as_str(), o.as_str());
    let raking = match raking {
        None => None,
        Some(r) => {
            if !r.is_object() {
                return Err(type_error("raking is the result of rake()"));
            }
            // The weights as numbers; the diagnostics (every other field) as JSON for the core.
            let weights = numbers(&Reflect::get(&r, &"weights".into())?)?;
            let rest = Object::assign(&Object::new(), r.unchecked_ref());
            Reflect::delete_property(&rest, &"weights".into())?;
            Some(operations::raking_from(weights, text(&rest)?.as_str())?)
        }
    };
    let r = operations::rake_estimate(kind, &cols, base.as_deref(), m, raking.as_ref(), &answers, segment.as_ref(), o)?;
    to_js(&r)
}
