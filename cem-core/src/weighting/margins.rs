//! Population margins as the caller gives them — `{variable: {level: value}}` or a long table of
//! `(variable, level, value)` records — and the targets they mean for one sample: shares (each variable's
//! values sum to 1) scaled to the base weights' total, or counts whose totals must agree.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{CemError, Result, Short};

/// Shares may be written with a few rounded digits (0.333333, 0.333333, 0.333334): a sum within this of 1
/// reads as shares, which are then divided by their sum.
const SHARES_SLACK: f64 = 1e-6;
/// Count totals of two variables agree when they differ by at most this relative amount (floating
/// rounding), not by a person's rounding: that is a disagreement to be told about.
const TOTALS_SLACK: f64 = 1e-9;

/// Known population margins: for each raking variable, a target per level, in name order.
///
/// ```
/// use cem_core::Margins;
/// let m = Margins::read(r#"{"region": {"north": 0.4, "south": 0.6}}"#)?;
/// let long = Margins::read(r#"[{"variable": "region", "level": "north", "value": 0.4},
///                               {"variable": "region", "level": "south", "value": 0.6}]"#)?;
/// assert_eq!(m, long);
/// assert_eq!(m.variables["region"]["south"], 0.6);
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Margins {
    /// Variable → level → target (a share or a count).
    pub variables: BTreeMap<String, BTreeMap<String, f64>>,
}

impl Margins {
    /// Margins from a JSON value: a mapping `{variable: {level: value}}` or a list of
    /// `{variable, level, value}` records (read from the caller's input by `Margins::read`).
    pub(crate) fn from_value(value: &Value) -> Result<Margins> {
        let mut m = Margins::default();
        match value {
            Value::Object(vars) => {
                for (variable, levels) in vars {
                    let Value::Object(levels) = levels else {
                        return Err(shape(&format!("{variable} is {levels}, not a mapping of level to value")));
                    };
                    if levels.is_empty() {
                        return Err(shape(&format!("{variable} lists no levels")));
                    }
                    for (level, v) in levels {
                        m.add(variable, level, v)?;
                    }
                }
            }
            Value::Array(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    let field = |k: &str| row.get(k).ok_or_else(|| shape(&format!("record {i} has no {k:?}")));
                    let variable = field("variable")?
                        .as_str()
                        .ok_or_else(|| shape(&format!("record {i}: variable is not text")))?;
                    let level = match field("level")? {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.as_f64().map(|v| Short(v).to_string()).unwrap_or_default(),
                        other => return Err(shape(&format!("record {i}: level {other} is not text or a number"))),
                    };
                    if let Some(extra) = row
                        .as_object()
                        .and_then(|o| o.keys().find(|k| !["variable", "level", "value"].contains(&k.as_str())))
                    {
                        return Err(shape(&format!(
                            "record {i} has a key {extra:?}; records are {{variable, level, value}}"
                        )));
                    }
                    m.add(variable, &level, field("value")?)?;
                }
            }
            _ => return Err(shape("give {variable: {level: value}} or a list of {variable, level, value} records")),
        }
        if m.variables.is_empty() {
            return Err(shape("no variable is given"));
        }
        Ok(m)
    }

    fn add(&mut self, variable: &str, level: &str, value: &Value) -> Result<()> {
        let v = value.as_f64().ok_or_else(|| shape(&format!("{variable}={level} is {value}, not a number")))?;
        if !(v >= 0.0) || !v.is_finite() {
            return Err(CemError::Raking {
                code: "invalid_margin",
                index: None,
                value: Some(v),
                reason: format!("margin {variable}={level} is {}; a target is a share or a count ≥ 0", Short(v)),
            });
        }
        let levels = self.variables.entry(variable.to_string()).or_default();
        if levels.insert(level.to_string(), v).is_some() {
            return Err(shape(&format!("{variable}={level} is given twice")));
        }
        Ok(())
    }
}

fn shape(reason: &str) -> CemError {
    CemError::param("margins", "…", reason)
}

/// The raking variables: `by` (checked against the margins) or every variable of the margins.
///
/// # Errors
/// `invalid_parameter` for a name in `by` the margins do not give, or given twice, or an empty `by`.
pub(crate) fn pick(margins: &Margins, by: Option<&[String]>) -> Result<Vec<String>> {
    let Some(by) = by else {
        return Ok(margins.variables.keys().cloned().collect());
    };
    let mut names: Vec<String> = Vec::new();
    for name in by {
        if !margins.variables.contains_key(name) {
            let known: Vec<&str> = margins.variables.keys().map(String::as_str).collect();
            return Err(CemError::param(
                "by",
                name,
                &format!("the margins give no {name:?}; they give {}", known.join(", ")),
            ));
        }
        if names.contains(name) {
            return Err(CemError::param("by", name, "a variable is listed twice"));
        }
        names.push(name.clone());
    }
    if names.is_empty() {
        return Err(CemError::param("by", "[]", "name at least one raking variable"));
    }
    Ok(names)
}

/// What the margins mean for one sample: a target per level of each raking variable, and their total.
#[derive(Debug, Clone)]
pub(crate) struct Targets {
    /// The raking variables, in margin (name) order.
    pub(crate) names: Vec<String>,
    /// Per variable, its levels in name order.
    pub(crate) levels: Vec<Vec<String>>,
    /// Per variable, a target per level (counts: as given; shares: times the base total).
    pub(crate) values: Vec<Vec<f64>>,
    /// Per variable, the margins as given (for messages).
    pub(crate) given: Vec<Vec<f64>>,
    /// What the weights sum to.
    pub(crate) total: f64,
}

impl Targets {
    /// The targets of the raking variables `names` (see [`pick`]), for a sample whose base weights sum to
    /// `base_total`.
    ///
    /// # Errors
    /// `invalid_margin` for shares that do not sum to 1; `margins_disagree` for count totals that differ,
    /// or shares mixed with counts.
    pub(crate) fn new(margins: &Margins, names: &[String], base_total: f64) -> Result<Targets> {
        let names = names.to_vec();
        let mut kinds = Vec::new(); // (name, sum, is shares)
        for name in &names {
            let values = &margins.variables[name];
            let sum: f64 = values.values().sum();
            let shares = (sum - 1.0).abs() <= SHARES_SLACK;
            // Values at most 1, not all whole: shares, which must then sum to 1.
            if !shares && values.values().all(|&v| v <= 1.0) && values.values().any(|&v| v.fract() != 0.0) {
                return Err(CemError::Raking {
                    code: "invalid_margin",
                    index: None,
                    value: Some(sum),
                    reason: format!(
                        "the shares of {name} sum to {}, not 1; give shares that sum to 1 (or counts)",
                        Short(sum)
                    ),
                });
            }
            kinds.push((name.as_str(), sum, shares));
        }
        let (first, first_sum, first_shares) = kinds[0];
        for &(name, sum, shares) in &kinds[1..] {
            let agree = match (first_shares, shares) {
                (true, true) => true,
                (false, false) => (sum - first_sum).abs() <= TOTALS_SLACK * sum.max(first_sum),
                _ => false,
            };
            if !agree {
                let what = |shares: bool, sum: f64| match shares {
                    true => "shares (summing to 1)".to_string(),
                    false => format!("counts totalling {}", Short(sum)),
                };
                return Err(CemError::Raking {
                    code: "margins_disagree",
                    index: None,
                    value: Some(sum),
                    reason: format!(
                        "the margins disagree on the population: {first} gives {}, {name} gives {}; the weights \
                         cannot sum to both, so give every variable as shares (each summing to 1, the weights keep \
                         the sample's total) or as counts with one total",
                        what(first_shares, first_sum),
                        what(shares, sum)
                    ),
                });
            }
        }
        let total = if first_shares { base_total } else { first_sum };
        let mut levels = Vec::new();
        let mut values = Vec::new();
        let mut given = Vec::new();
        for (name, &(_, sum, _)) in names.iter().zip(&kinds) {
            let m = &margins.variables[name];
            levels.push(m.keys().cloned().collect());
            given.push(m.values().copied().collect());
            values.push(m.values().map(|&v| if first_shares { v / sum * base_total } else { v }).collect());
        }
        Ok(Targets { names, levels, values, given, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margins(text: &str) -> Margins {
        read(text).unwrap()
    }

    fn read(text: &str) -> Result<Margins> {
        Margins::from_value(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn shares_scale_to_the_base_total_and_counts_keep_theirs() {
        let m = margins(r#"{"a": {"x": 0.25, "y": 0.75}, "b": {"u": 0.5, "v": 0.5}}"#);
        let t = Targets::new(&m, &pick(&m, None).unwrap(), 8.0).unwrap();
        assert_eq!(t.values, vec![vec![2.0, 6.0], vec![4.0, 4.0]]);
        assert_eq!(t.total, 8.0);
        let m = margins(r#"{"a": {"x": 250, "y": 750}, "b": {"u": 500, "v": 500}}"#);
        let t = Targets::new(&m, &pick(&m, None).unwrap(), 8.0).unwrap();
        assert_eq!((t.values[0][1], t.total), (750.0, 1000.0));
    }

    #[test]
    fn disagreeing_totals_are_refused_naming_both() {
        let m = margins(r#"{"a": {"x": 250, "y": 750}, "b": {"u": 500, "v": 501}}"#);
        let e = Targets::new(&m, &pick(&m, None).unwrap(), 8.0).unwrap_err();
        assert_eq!(e.code(), "margins_disagree");
        assert!(e.to_string().contains("a gives counts totalling 1000, b gives counts totalling 1001"), "{e}");
        let m = margins(r#"{"a": {"x": 0.5, "y": 0.5}, "b": {"u": 500, "v": 500}}"#);
        assert_eq!(Targets::new(&m, &pick(&m, None).unwrap(), 8.0).unwrap_err().code(), "margins_disagree");
    }

    #[test]
    fn shares_must_sum_to_one_and_targets_be_numbers() {
        let e = Targets::new(&margins(r#"{"a": {"x": 0.3, "y": 0.6}}"#), &["a".into()], 1.0).unwrap_err();
        assert_eq!((e.code(), e.value()), ("invalid_margin", Some(0.8999999999999999)));
        let e = read(r#"{"a": {"x": -1, "y": 2}}"#).unwrap_err();
        assert_eq!((e.code(), e.value()), ("invalid_margin", Some(-1.0)));
        assert_eq!(read(r#"{"a": {"x": "1"}}"#).unwrap_err().code(), "invalid_parameter");
        assert_eq!(read(r#"{"a": {}}"#).unwrap_err().code(), "invalid_parameter");
        let twice = r#"[{"variable": "a", "level": 1, "value": 2}, {"variable": "a", "level": "1", "value": 3}]"#;
        assert!(read(twice).unwrap_err().to_string().contains("a=1 is given twice"));
    }

    #[test]
    fn by_picks_variables_in_its_order() {
        let m = margins(r#"{"a": {"x": 1}, "b": {"u": 1}, "c": {"z": 1}}"#);
        assert_eq!(pick(&m, Some(&["c".into(), "a".into()])).unwrap(), vec!["c", "a"]);
        let e = pick(&m, Some(&["d".into()])).unwrap_err();
        assert_eq!(e.to_string(), "invalid by = d: the margins give no \"d\"; they give a, b, c");
    }
}
