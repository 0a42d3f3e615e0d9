//! Each answer's category under a metric — promoter, passive or detractor; satisfied or not; easy,
//! neutral or effortful — for closing the loop: routing detractors to a call back, flagging effortful
//! contacts.
//!
//! There is one rule. [`Metric::category`] puts a point of the scale in a category; the estimate's
//! breakdown counts answers by it and scores them by it ([`Metric::estimate`]), and [`Classifier`] reads
//! each answer with the tally's own validation (`tally::point`) and looks its point's category up. So the
//! counts of the categories are always the breakdown's, and an answer the tally refuses (off the scale,
//! 6.5, a missing answer under `missing="error"`) is refused here with the same error.
//!
//! The output is one `u8` code per input row and a table of `&'static str` names, worst first under the
//! metric's direction; a missing answer skipped under `missing="skip"` is [`Categories::MISSING`] (255,
//! which reads as −1 as a signed byte: pandas' code for a missing category). No string is allocated per
//! row; each binding turns the codes into its own strings or categoricals.

use crate::error::{CemError, Result};
use crate::score::metric::Metric;
use crate::score::scale::Scale;
use crate::score::tally::{all_on_scale, point, Answer, Missing};

/// Every category name of every metric, in the order metrics list them (the `Category` type of Python
/// and TypeScript).
pub(crate) const CATEGORIES: &[&str] = &[
    "detractor",
    "passive",
    "promoter",
    "not_satisfied",
    "satisfied",
    "effortful",
    "neutral",
    "easy",
    "not_top",
    "top",
    "bottom",
    "not_bottom",
    "middle",
];

/// One code per answer and the names the codes stand for.
///
/// ```
/// use cem_core::operations;
/// let c = operations::classify(&[Some(10u8), Some(7), Some(3), None], r#"{"missing": "skip"}"#)?;
/// assert_eq!(c.names, ["detractor", "passive", "promoter"]);
/// assert_eq!(c.codes, [2, 1, 0, cem_core::Categories::MISSING]);
/// assert_eq!(c.name(3), None);
/// # Ok::<(), cem_core::CemError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Categories {
    /// The categories' names, worst first (the metric's [`Metric::category_names`]).
    pub names: &'static [&'static str],
    /// One code per answer: an index into `names`, or [`Categories::MISSING`].
    pub codes: Vec<u8>,
}

impl Categories {
    /// The code of a missing answer skipped under `missing="skip"` (−1 as a signed byte).
    pub const MISSING: u8 = u8::MAX;

    /// The name of row `i`'s category; `None` for a missing answer (or a row past the end).
    ///
    /// ```
    /// let c = cem_core::operations::classify(&[4u8, 2], r#"{"metric": "csat"}"#).unwrap();
    /// assert_eq!((c.name(0), c.name(1)), (Some("satisfied"), Some("not_satisfied")));
    /// ```
    pub fn name(&self, i: usize) -> Option<&'static str> {
        self.codes.get(i).and_then(|&c| self.names.get(c as usize)).copied()
    }

    /// Answers per category, in the order of `names` (missing answers are not counted).
    ///
    /// ```
    /// let c = cem_core::operations::classify(&[10u8, 9, 7, 3], "").unwrap();
    /// assert_eq!(c.counts(), [1, 1, 2]);
    /// ```
    pub fn counts(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.names.len()];
        for &c in &self.codes {
            if let Some(n) = counts.get_mut(c as usize) {
                *n += 1;
            }
        }
        counts
    }
}

/// A metric's rule for answers on one scale: the category of each point, read once, and the missing
/// policy. Built by [`operations::classifier`](crate::operations::classifier); classifies any number of
/// chunks (the CLI streams a file through one).
#[derive(Debug, Clone)]
pub struct Classifier {
    names: &'static [&'static str],
    scale: Scale,
    of_point: Vec<u8>,
    missing: Missing,
}

impl Classifier {
    /// The rule of `metric` on `scale` (already checked to fit it, as `Options::metric` does).
    ///
    /// # Errors
    /// `invalid_parameter` naming `metric` for a metric without categories (`mean`).
    pub(crate) fn new(metric: Metric, scale: Scale, missing: Missing) -> Result<Classifier> {
        let of_point: Option<Vec<u8>> = (0..scale.points()).map(|k| metric.category(scale.min() + k as i32)).collect();
        let of_point = of_point.ok_or_else(|| {
            CemError::param(
                "metric",
                metric.name(),
                "a mean has no categories; classify by nps, csat, ces, top_box, bottom_box or net_box",
            )
        })?;
        Ok(Classifier { names: metric.category_names(), scale, of_point, missing })
    }

    /// The categories' names, worst first.
    ///
    /// ```
    /// let c = cem_core::operations::classifier(r#"{"metric": "ces", "version": 1}"#).unwrap();
    /// assert_eq!(c.names(), ["effortful", "neutral", "easy"]);
    /// ```
    pub fn names(&self) -> &'static [&'static str] {
        self.names
    }

    /// Appends one code per answer to `codes`; on error `codes` is as it was.
    ///
    /// # Errors
    /// `out_of_range`, `not_an_integer`, `missing_value` (policy `error`) with the index (in `answers`)
    /// and value of the first offending answer, as [`Tally::update`](crate::Tally::update) gives them.
    ///
    /// ```
    /// let c = cem_core::operations::classifier("").unwrap();
    /// let mut codes = Vec::new();
    /// c.classify_into(&[9.0, 6.0], &mut codes)?;
    /// assert_eq!(codes, [2, 0]);
    /// let e = c.classify_into(&[9.0, 6.5], &mut codes).unwrap_err();
    /// assert_eq!((e.code(), e.index(), codes.len()), ("not_an_integer", Some(1), 2));
    /// # Ok::<(), cem_core::CemError>(())
    /// ```
    pub fn classify_into<A: Answer>(&self, answers: &[A], codes: &mut Vec<u8>) -> Result<()> {
        let start = codes.len();
        codes.reserve(answers.len());
        // Integer answers whose bounds lie on the scale need no check per answer (as the tally's loop).
        if all_on_scale(self.scale, answers) {
            let min = self.scale.min() as i64;
            codes.extend(answers.iter().map(|a| self.of_point[(a.as_i64() - min) as usize]));
            return Ok(());
        }
        for (i, &a) in answers.iter().enumerate() {
            match point(self.scale, i, a, self.missing) {
                Ok(Some(k)) => codes.push(self.of_point[k]),
                Ok(None) => codes.push(Categories::MISSING),
                Err(e) => {
                    codes.truncate(start);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The categories of `answers`.
    ///
    /// # Errors
    /// As [`Classifier::classify_into`].
    pub fn classify<A: Answer>(&self, answers: &[A]) -> Result<Categories> {
        let mut codes = Vec::with_capacity(answers.len());
        self.classify_into(answers, &mut codes)?;
        Ok(Categories { names: self.names, codes })
    }
}

impl Metric {
    /// The category of answer `v` (a point of the metric's scale): an index into
    /// [`Metric::category_names`], worst first; `None` for a mean, which has no categories.
    ///
    /// This is the one bucketing rule: the estimate's breakdown and score count answers by it.
    /// - NPS: detractor 0–6, passive 7–8, promoter 9–10 (Reichheld 2003); a net box: bottom ≤ `bottom`,
    ///   top ≥ `top`, middle between.
    /// - CSAT and a top box: satisfied (top) ≥ `threshold`; a bottom box: bottom ≤ `threshold`.
    /// - CES 2.0 (1–7, "the company made it easy"): easy 5–7 (agree), neutral 4, effortful 1–3; CES 1.0
    ///   (1–5 effort): easy 1–2, neutral 3, effortful 4–5.
    ///
    /// ```
    /// use cem_core::Metric;
    /// assert_eq!((Metric::Nps.category(6), Metric::Nps.category(7), Metric::Nps.category(9)), (Some(0), Some(1), Some(2)));
    /// assert_eq!(Metric::Ces { version: 1 }.category(2), Some(2)); // easy
    /// assert_eq!(Metric::Mean.category(3), None);
    /// ```
    pub fn category(&self, v: i32) -> Option<u8> {
        let three = |bottom: bool, top: bool| {
            if top {
                2
            } else if bottom {
                0
            } else {
                1
            }
        };
        Some(match *self {
            Metric::Nps => three(v <= 6, v >= 9),
            Metric::NetBox { top, bottom } => three(v <= bottom, v >= top),
            Metric::Csat { threshold } | Metric::TopBox { threshold } => u8::from(v >= threshold),
            Metric::BottomBox { threshold } => u8::from(v > threshold),
            Metric::Ces { version: 1 } => three(v >= 4, v <= 2),
            Metric::Ces { .. } => three(v <= 3, v >= 5),
            Metric::Mean => return None,
        })
    }

    /// The names of [`Metric::category`]'s codes, worst first (empty for a mean).
    ///
    /// ```
    /// use cem_core::Metric;
    /// assert_eq!(Metric::Nps.category_names(), ["detractor", "passive", "promoter"]);
    /// assert_eq!(Metric::Csat { threshold: 4 }.category_names(), ["not_satisfied", "satisfied"]);
    /// ```
    pub fn category_names(&self) -> &'static [&'static str] {
        match self {
            Metric::Nps => &["detractor", "passive", "promoter"],
            Metric::NetBox { .. } => &["bottom", "middle", "top"],
            Metric::Csat { .. } => &["not_satisfied", "satisfied"],
            Metric::TopBox { .. } => &["not_top", "top"],
            Metric::BottomBox { .. } => &["bottom", "not_bottom"],
            Metric::Ces { .. } => &["effortful", "neutral", "easy"],
            Metric::Mean => &[],
        }
    }

    /// The category a proportion counts as its box (`in_box`), and CES as easy (`easy_share`).
    pub(crate) fn counted_category(&self) -> u8 {
        match self {
            Metric::BottomBox { .. } => 0,
            Metric::Ces { .. } => 2,
            _ => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metrics_names_are_in_the_category_vocabulary() {
        let metrics = [
            Metric::Nps,
            Metric::Csat { threshold: 4 },
            Metric::Ces { version: 2 },
            Metric::TopBox { threshold: 4 },
            Metric::BottomBox { threshold: 2 },
            Metric::NetBox { top: 4, bottom: 2 },
        ];
        let named: std::collections::BTreeSet<&str> =
            metrics.iter().flat_map(|m| m.category_names().iter().copied()).collect();
        assert_eq!(named, CATEGORIES.iter().copied().collect());
    }
}
