//! Keyness: `keyness(texts, groups, options)` and `terms(texts, options)`.
//!
//! Texts are an array of strings (`null`, `undefined` and `NaN` are no comment) or of token lists
//! (arrays of strings: a journey's steps). Anything else is the core's `not_text` error naming the row.

use cem_core::{operations, CemError};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{answer_numbers, keys, split, text, to_js, type_error, Result};

enum Texts {
    Comments(Vec<Option<String>>),
    Lists(Vec<Option<Vec<String>>>),
}

fn missing(v: &JsValue) -> bool {
    v.is_null() || v.is_undefined() || v.as_f64().is_some_and(f64::is_nan)
}

fn not_text(i: usize, v: &JsValue) -> CemError {
    CemError::not_text(i, &shown(v))
}

/// A value as messages show it: its JSON (short) or its type.
fn shown(v: &JsValue) -> String {
    match js_sys::JSON::stringify(v).ok().and_then(|s| s.as_string()) {
        Some(s) if s.chars().count() <= 40 => format!("{s} (a {})", v.js_typeof().as_string().unwrap_or_default()),
        _ => format!("a {}", v.js_typeof().as_string().unwrap_or_default()),
    }
}

fn texts(v: &JsValue) -> Result<Texts> {
    let Some(items) = v.dyn_ref::<Array>() else {
        return Err(type_error("texts must be an array of strings (or of token lists)"));
    };
    if items.iter().any(|x| x.is_array()) {
        let mut lists = Vec::with_capacity(items.length() as usize);
        for (i, x) in items.iter().enumerate() {
            if missing(&x) {
                lists.push(None);
            } else if let Some(l) = x.dyn_ref::<Array>() {
                let tokens = l.iter().map(|t| t.as_string().ok_or_else(|| not_text(i, &t)));
                lists.push(Some(tokens.collect::<std::result::Result<Vec<String>, CemError>>()?));
            } else {
                return Err(not_text(i, &x).into());
            }
        }
        return Ok(Texts::Lists(lists));
    }
    let comments = items.iter().enumerate().map(|(i, x)| match x.as_string() {
        Some(s) => Ok(Some(s)),
        None if missing(&x) => Ok(None),
        None => Err(not_text(i, &x)),
    });
    Ok(Texts::Comments(comments.collect::<std::result::Result<_, CemError>>()?))
}

/// The words and phrases that set the `target` group's comments apart from the `reference` group's
/// (`rest` by default): `groups` gives each row's group (a label; `null` missing). Without groups
/// (`null`), `options.answers` gives each row's answer and the groups are its categories (detractors
/// against promoters by default). The options are read strictly by the core.
#[wasm_bindgen]
pub fn keyness(texts: &JsValue, groups: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [answers]) = split(options, ["answers"])?;
    let t = self::texts(texts)?;
    let result = match (groups.is_null() || groups.is_undefined(), answers) {
        (false, None) => {
            let g = keys(groups)?;
            match &t {
                Texts::Comments(c) => operations::keyness(c, &g, o.as_str())?,
                Texts::Lists(l) => operations::keyness(l, &g, o.as_str())?,
            }
        }
        (true, Some(a)) => {
            let a = answer_numbers(&a)?;
            match &t {
                Texts::Comments(c) => operations::keyness_by_answer(c, &a, o.as_str())?,
                Texts::Lists(l) => operations::keyness_by_answer(l, &a, o.as_str())?,
            }
        }
        _ => return Err(type_error("give either groups or options.answers")),
    };
    to_js(&result)
}

/// Each comment's terms with their occurrences, as `[row, term, occurrences]` by row then term.
#[wasm_bindgen]
pub fn terms(texts: &JsValue, options: &JsValue) -> Result<JsValue> {
    let o = text(options)?;
    let rows = match self::texts(texts)? {
        Texts::Comments(c) => operations::terms(&c, o.as_str())?,
        Texts::Lists(l) => operations::terms(&l, o.as_str())?,
    };
    to_js(&rows)
}
