//! Keyness: `keyness(texts, groups, options)` and `terms(texts, options)`.
//!
//! Texts are an array of strings (`null`, `undefined` and `NaN` are no comment) or of token lists
//! (arrays of strings: a journey's steps). Anything else is the core's `not_text` error naming the row.

use cem_core::operations::{self, KeynessGroups};
use cem_core::CemError;
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{answer_numbers, keys, split, text, to_js, type_error, Dates, Result};

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

/// Label columns: an array of labels, or an array of such arrays (columns, crossed).
fn columns(v: &JsValue) -> Result<Vec<Vec<Option<String>>>> {
    match v.dyn_ref::<Array>() {
        Some(a) if a.length() > 0 && a.iter().all(|c| c.is_array()) => a.iter().map(|c| keys(&c)).collect(),
        _ => Ok(vec![keys(v)?]),
    }
}

/// The words and phrases that set the `target` group's comments apart from the `reference` group's
/// (`rest` by default): `groups` gives each row's group (a label; `null` missing), or several columns of
/// labels, crossed. Without groups (`null`), `options.answers` gives each row's answer and the groups are
/// its categories (detractors against promoters by default), or `options.dates` each row's date and the
/// groups are its periods (`every`; the latest against the one before by default). `options.segments`
/// (labels, or columns crossed) asks for one table per segment. The options are read strictly by the core.
#[wasm_bindgen]
pub fn keyness(texts: &JsValue, groups: &JsValue, options: &JsValue) -> Result<JsValue> {
    let (o, [answers, dates, segments]) = split(options, ["answers", "dates", "segments"])?;
    let t = self::texts(texts)?;
    let segments = segments.as_ref().map(columns).transpose()?;
    let segments: Option<Vec<&[Option<String>]>> = segments.as_ref().map(|s| s.iter().map(Vec::as_slice).collect());
    let o = o.as_str();
    // One core call: per segment, or one table (the grouping decides which operation).
    macro_rules! call {
        ($grouping:expr, $one:expr) => {
            match &segments {
                Some(s) => to_js(&match &t {
                    Texts::Comments(c) => operations::keyness_by_segment(c, s, $grouping, o)?,
                    Texts::Lists(l) => operations::keyness_by_segment(l, s, $grouping, o)?,
                }),
                None => to_js(&match &t {
                    Texts::Comments(c) => $one(c, o)?,
                    Texts::Lists(l) => $one(l, o)?,
                }),
            }
        };
    }
    match (groups.is_null() || groups.is_undefined(), answers, dates) {
        (false, None, None) => {
            let g = columns(groups)?;
            let g: Vec<&[Option<String>]> = g.iter().map(Vec::as_slice).collect();
            call!(KeynessGroups::<_, f64, f64>::Labels(&g), |c, o| operations::keyness_crossed(c, &g, o))
        }
        (true, Some(a), None) => {
            let a = answer_numbers(&a)?;
            call!(KeynessGroups::<&str, _, f64>::Answers(&a), |c, o| operations::keyness_by_answer(c, &a, o))
        }
        (true, None, Some(d)) => match Dates::of(&d)? {
            Dates::Text(d) => {
                call!(KeynessGroups::<&str, f64, _>::Periods(&d), |c, o| operations::keyness_by_period(c, &d, o))
            }
            Dates::Days(d) => {
                call!(KeynessGroups::<&str, f64, _>::Periods(&d), |c, o| operations::keyness_by_period(c, &d, o))
            }
        },
        _ => Err(type_error("give one of groups, options.answers or options.dates")),
    }
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
