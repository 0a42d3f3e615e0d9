//! The one error type of cem.
//!
//! Every variant has a stable [`code`](CemError::code) that bindings expose unchanged (Python's
//! `CemError.code`, JavaScript's `error.code`), carries what the user needs to fix the input (the offending
//! index and value where there is one), and reads as a sentence a person can act on.

use serde::Serialize;

/// A number as a person writes it, for messages: 6.5, 11, 1e300, 5e-101, NaN, inf (f64's `Display` would
/// spell out 300 digits). The shortest digits that read back exactly, by serde_json's float writer: the
/// crate has it anyway, and `core::fmt`'s float code would add ≈ 10 KB to the .wasm.
pub(crate) struct Short(pub(crate) f64);

impl std::fmt::Display for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        if !v.is_finite() {
            return f.write_str(if v.is_nan() {
                "NaN"
            } else if v > 0.0 {
                "inf"
            } else {
                "-inf"
            });
        }
        let text = serde_json::to_string(&v).map_err(|_| std::fmt::Error)?.replace("e+", "e");
        f.write_str(text.strip_suffix(".0").unwrap_or(&text))
    }
}

/// A number written in text (JSON's grammar: `45`, `-1.5`, `2e3`), or `None`. serde_json's parser, which
/// the crate has anyway, rather than `str::parse::<f64>`: that one brings ≈ 13 KB of tables into the .wasm.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    serde_json::from_str(text.trim()).ok()
}

/// Result alias used throughout cem.
pub type Result<T> = std::result::Result<T, CemError>;

/// Everything that can go wrong in cem. No cem function panics on bad data; it returns one of these.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CemError {
    /// An answer lies outside the scale.
    #[error(
        "answer {} at index {index} is outside the scale {min}..={max}; check the column or pass the right scale",
        Short(*.value)
    )]
    OutOfRange {
        /// Position of the answer in the input.
        index: usize,
        /// The answer as given.
        value: f64,
        /// Lowest point of the scale.
        min: i32,
        /// Highest point of the scale.
        max: i32,
    },
    /// A float answer that is not a whole number, such as 6.5.
    #[error("answer {} at index {index} is not a whole number; scale answers must be integers", Short(*.value))]
    NotAnInteger {
        /// Position of the answer in the input.
        index: usize,
        /// The answer as given.
        value: f64,
    },
    /// An answer given as text that is not a number (see [`answer_from_text`](crate::answer_from_text)).
    #[error(
        "answer {value:?} at index {index} is not a number; answers given as text must be numbers such as \"9\" \
         (a blank is a missing answer)"
    )]
    NotANumber {
        /// Position of the answer in the input.
        index: usize,
        /// The text as given.
        value: String,
    },
    /// Answers of a type that is not a number at all (such as booleans): names the type and what to pass.
    #[error("answers of type {type_name} are not read: {reason}")]
    UnsupportedAnswers {
        /// The type given (e.g. a numpy dtype).
        type_name: String,
        /// What to pass instead.
        reason: String,
    },
    /// A missing answer (NaN, None, null) under the `error` missing policy.
    #[error("answer at index {index} is missing; remove it or use the missing policy \"skip\"")]
    MissingValue {
        /// Position of the answer in the input.
        index: usize,
    },
    /// A weight that is negative, NaN, infinite, or outside 0 ∪ [1e-100, 1e100].
    #[error(
        "weight {} at index {index} is invalid; weights must be 0 or between 1e-100 and 1e100 \
         (only their ratios matter, so rescale them if needed)",
        Short(*.value)
    )]
    InvalidWeight {
        /// Position of the weight in the input.
        index: usize,
        /// The weight as given.
        value: f64,
    },
    /// Two inputs that must have the same length do not.
    #[error("{what} has length {actual} but the answers have length {expected}; pass one per answer")]
    LengthMismatch {
        /// Which input is the wrong length (e.g. "weights").
        what: String,
        /// The length of the answers.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A value was asked of an input with no answers (or zero total weight).
    #[error("{what} has no answers; a score needs at least one answer with positive weight")]
    Empty {
        /// What was empty.
        what: String,
    },
    /// An option outside its allowed range, or options that do not fit together.
    #[error("invalid {name} = {value}: {reason}")]
    InvalidParameter {
        /// The option's name as the user wrote it (e.g. "level").
        name: String,
        /// The value given, as text.
        value: String,
        /// What is allowed.
        reason: String,
    },
    /// Two tallies (or estimates) that cannot be combined, e.g. on different scales.
    #[error("cannot combine: {reason}")]
    Incompatible {
        /// Why they do not fit together.
        reason: String,
    },
    /// A segment code with no segment name, or a segment key that is missing.
    #[error("segment {value} at index {index} is not valid: {reason}")]
    InvalidSegment {
        /// Position of the row in the input.
        index: usize,
        /// The code or key as given.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// A date that is missing (under the `error` policy), not an ISO date, or not a day in years 1–9999.
    #[error("date {value} at index {index} is not valid: {reason}")]
    InvalidDate {
        /// Position of the row in the input.
        index: usize,
        /// The date as given.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// Too few answers for the method (e.g. a standard deviation from one answer).
    #[error("{what} needs at least {} answers (effective n), but has {}", Short(*.needed), Short(*.got))]
    TooFew {
        /// What needed them.
        what: String,
        /// How many it needs.
        needed: f64,
        /// How many it has.
        got: f64,
    },
    /// A column that cannot be analysed: a constant outcome or driver, or a driver that is a linear
    /// combination of others (key driver analysis).
    #[error("column {column}: {reason}")]
    Degenerate {
        /// The column at fault.
        column: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A row of a counts table (an engine's GROUP BY output) that cannot be counted. Such a table has no
    /// row index that means anything to its user, so the error names the row's group (its segment, and
    /// its day in a trend) and the value; its code is that of the same fault in rows (`out_of_range`,
    /// `not_an_integer`, `missing_value`, `invalid_weight`, `invalid_segment`, `invalid_date`), or
    /// `invalid_parameter` for a count that is not a whole number ≥ 0.
    #[error(
        "counts table, {group}: {what} {value} {reason}; a counts table (an engine's GROUP BY output) has no \
         row index, so look for this group in the engine's output"
    )]
    InCountsTable {
        /// The stable code, as for the same fault in rows.
        code: &'static str,
        /// The row's group: `segment "north"`, `segment "north", day 2025-01-03`, or `the whole table`.
        group: String,
        /// What is wrong: `answer`, `count`, `weight sum`, `segment`, `day`.
        what: &'static str,
        /// The value as given.
        value: String,
        /// Why it cannot be counted.
        reason: String,
    },
    /// A comment that is not text (a number, a date, a list where a string was expected).
    #[error(
        "comment at index {index} is {value}, not text; comments are strings (None, NaN and a blank are no \
         comment): convert the column to text or fix the row"
    )]
    NotText {
        /// Position of the row in the input.
        index: usize,
        /// The value as given, or its type.
        value: String,
    },
    /// A count so large that adding to it would overflow.
    #[error("count overflow: {what} would exceed {max}", max = u64::MAX)]
    Overflow {
        /// What would overflow.
        what: String,
    },
    /// Raking cannot meet the margins as given (see [`rake`](crate::operations::rake)); `code` says why:
    /// `level_without_rows` (a level with a positive target but no rows of positive weight),
    /// `level_without_target` (rows at a level the margins do not list; `index` is the first such row),
    /// `invalid_margin` (a target that is not a number ≥ 0, or shares that do not sum to 1),
    /// `margins_disagree` (count totals that differ between two variables, naming both),
    /// `zero_target` (a target of 0 on a level that has rows), `not_converged` (the margins were not met
    /// within `max_sweeps`, naming the worst margin and the empty cells that can make it unreachable),
    /// `infeasible_trim` (trimming bounds the weights cannot meet together with the margins).
    #[error("{reason}")]
    Raking {
        /// The stable code (listed above).
        code: &'static str,
        /// The first row at fault, where there is one.
        index: Option<usize>,
        /// The value at fault (a target, a total, a weight), where there is one.
        value: Option<f64>,
        /// What is wrong and what to do, naming the variable and level.
        reason: String,
    },
}

impl CemError {
    /// Every error code, in documentation order (the `ErrorCode` type of Python and TypeScript).
    pub const CODES: &'static [&'static str] = &[
        "out_of_range",
        "not_an_integer",
        "not_a_number",
        "unsupported_answers",
        "missing_value",
        "invalid_weight",
        "length_mismatch",
        "empty",
        "invalid_parameter",
        "incompatible",
        "invalid_segment",
        "invalid_date",
        "too_few",
        "overflow",
        "degenerate",
        "not_text",
        "level_without_rows",
        "level_without_target",
        "invalid_margin",
        "margins_disagree",
        "zero_target",
        "not_converged",
        "infeasible_trim",
    ];

    /// The stable machine-readable code of this error, identical in every language.
    ///
    /// ```
    /// use cem_core::{Scale, Tally};
    /// let err = Tally::from_answers(Scale::NPS, &[3i64, 11], None, Default::default()).unwrap_err();
    /// assert_eq!(err.code(), "out_of_range");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            CemError::OutOfRange { .. } => "out_of_range",
            CemError::NotAnInteger { .. } => "not_an_integer",
            CemError::NotANumber { .. } => "not_a_number",
            CemError::UnsupportedAnswers { .. } => "unsupported_answers",
            CemError::MissingValue { .. } => "missing_value",
            CemError::InvalidWeight { .. } => "invalid_weight",
            CemError::LengthMismatch { .. } => "length_mismatch",
            CemError::Empty { .. } => "empty",
            CemError::InvalidParameter { .. } => "invalid_parameter",
            CemError::Incompatible { .. } => "incompatible",
            CemError::InvalidSegment { .. } => "invalid_segment",
            CemError::InvalidDate { .. } => "invalid_date",
            CemError::TooFew { .. } => "too_few",
            CemError::Overflow { .. } => "overflow",
            CemError::Degenerate { .. } => "degenerate",
            CemError::NotText { .. } => "not_text",
            CemError::InCountsTable { code, .. } | CemError::Raking { code, .. } => code,
        }
    }

    /// The position of the offending input, where there is one.
    ///
    /// ```
    /// use cem_core::{Scale, Tally};
    /// let err = Tally::from_answers(Scale::NPS, &[3.0, 6.5], None, Default::default()).unwrap_err();
    /// assert_eq!(err.index(), Some(1));
    /// ```
    pub fn index(&self) -> Option<usize> {
        match self {
            CemError::OutOfRange { index, .. }
            | CemError::NotAnInteger { index, .. }
            | CemError::NotANumber { index, .. }
            | CemError::MissingValue { index }
            | CemError::InvalidWeight { index, .. }
            | CemError::InvalidSegment { index, .. }
            | CemError::InvalidDate { index, .. }
            | CemError::NotText { index, .. } => Some(*index),
            CemError::Raking { index, .. } => *index,
            _ => None,
        }
    }

    /// The offending value as a number, where there is one.
    ///
    /// ```
    /// use cem_core::{Scale, Tally};
    /// let err = Tally::from_answers(Scale::NPS, &[3.0, 6.5], None, Default::default()).unwrap_err();
    /// assert_eq!(err.value(), Some(6.5));
    /// ```
    pub fn value(&self) -> Option<f64> {
        match self {
            CemError::OutOfRange { value, .. }
            | CemError::NotAnInteger { value, .. }
            | CemError::InvalidWeight { value, .. } => Some(*value),
            CemError::InvalidSegment { value, .. } | CemError::InCountsTable { value, .. } => parse_number(value),
            CemError::Raking { value, .. } => *value,
            _ => None,
        }
    }

    /// The offending text: of an answer given as text that is not a number (`not_a_number`), or a comment
    /// that is not text (`not_text`: the value as the caller's language shows it).
    ///
    /// ```
    /// let err = cem_core::answer_from_text(2, "x").unwrap_err();
    /// assert_eq!((err.code(), err.index(), err.text()), ("not_a_number", Some(2), Some("x")));
    /// ```
    pub fn text(&self) -> Option<&str> {
        match self {
            CemError::NotANumber { value, .. } | CemError::NotText { value, .. } => Some(value),
            _ => None,
        }
    }

    /// The error for a comment that is not text: `value` as the caller's language shows it (`12.5`, a type
    /// name).
    ///
    /// ```
    /// let err = cem_core::CemError::not_text(3, "12.5");
    /// assert_eq!((err.code(), err.index(), err.text()), ("not_text", Some(3), Some("12.5")));
    /// ```
    pub fn not_text(index: usize, value: &str) -> Self {
        CemError::NotText { index, value: value.to_string() }
    }

    /// The error for answers of a type that holds no numbers (booleans, dates, objects): `type_name` as the
    /// caller's language names it.
    ///
    /// ```
    /// let err = cem_core::CemError::unsupported_answers("bool");
    /// assert_eq!(err.code(), "unsupported_answers");
    /// assert!(err.to_string().contains("bool"));
    /// ```
    pub fn unsupported_answers(type_name: &str) -> Self {
        let reason = if type_name.contains("bool") {
            "answers are numbers on a scale; if true/false mean 1/0, convert them to integers first"
        } else {
            "pass integers, floats holding whole numbers, or text holding numbers (None/NaN/blank is missing)"
        };
        CemError::UnsupportedAnswers { type_name: type_name.to_string(), reason: reason.to_string() }
    }

    pub(crate) fn param(name: &str, value: impl std::fmt::Display, reason: &str) -> Self {
        CemError::InvalidParameter { name: name.to_string(), value: value.to_string(), reason: reason.to_string() }
    }
}

/// The JSON form of an error, the same in every language: `{"code", "message", "index", "value"}`
/// (`value` a number, or the text of a `not_a_number` answer, or null).
impl Serialize for CemError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CemError", 4)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.serialize_field("index", &self.index())?;
        match self.text() {
            // The text of an answer given as text that is not a number.
            Some(text) => st.serialize_field("value", text)?,
            None => st.serialize_field("value", &self.value())?,
        }
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_messages_are_short() {
        let cases = [
            (6.5, "6.5"),
            (11.0, "11"),
            (-100.0, "-100"),
            (0.95, "0.95"),
            (1e300, "1e300"),
            (5e-101, "5e-101"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ];
        for (v, text) in cases {
            assert_eq!(Short(v).to_string(), text);
        }
        assert_eq!(parse_number(" 4.2e1 "), Some(42.0));
        assert_eq!(parse_number("25.757575757575758"), Some(25.757575757575758)); // exact, not 1 ulp off
        assert_eq!(parse_number("NaN"), None);
    }
}
