//! Answer scales: an inclusive range of integer answers, such as 0–10 for NPS.

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result};

/// An inclusive integer range of answers with 2 to 101 points.
///
/// ```
/// use cem_core::Scale;
/// let s = Scale::new(1, 7).unwrap();
/// assert_eq!(s.points(), 7);
/// assert_eq!(Scale::NPS, Scale::new(0, 10).unwrap());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawScale")]
pub struct Scale {
    min: i32,
    max: i32,
}

#[derive(Deserialize)]
struct RawScale {
    min: i32,
    max: i32,
}

impl TryFrom<RawScale> for Scale {
    type Error = CemError;
    fn try_from(r: RawScale) -> Result<Self> {
        Scale::new(r.min, r.max)
    }
}

impl Scale {
    /// Net Promoter Score: "How likely are you to recommend us?", 0–10.
    pub const NPS: Scale = Scale { min: 0, max: 10 };
    /// CSAT: 1 (very dissatisfied) – 5 (very satisfied).
    pub const CSAT: Scale = Scale { min: 1, max: 5 };
    /// CES 2.0: 1 (strongly disagree) – 7 (strongly agree) that the company made it easy.
    pub const CES: Scale = Scale { min: 1, max: 7 };
    /// CES 1.0: 1 (very low effort) – 5 (very high effort).
    pub const CES_V1: Scale = Scale { min: 1, max: 5 };

    /// Largest number of points a scale may have.
    pub const MAX_POINTS: usize = 101;

    /// A scale from `min` to `max` inclusive.
    ///
    /// # Errors
    /// `invalid_parameter` unless `max > min` and the scale has at most 101 points.
    ///
    /// ```
    /// use cem_core::Scale;
    /// assert!(Scale::new(1, 5).is_ok());
    /// assert_eq!(Scale::new(5, 5).unwrap_err().code(), "invalid_parameter");
    /// ```
    pub fn new(min: i32, max: i32) -> Result<Scale> {
        let points = max as i64 - min as i64 + 1;
        if points < 2 || points > Self::MAX_POINTS as i64 {
            return Err(CemError::param(
                "scale",
                format!("{min}..={max}"),
                "a scale needs a lowest point below its highest and at most 101 points",
            ));
        }
        Ok(Scale { min, max })
    }

    /// Lowest answer.
    ///
    /// ```
    /// assert_eq!(cem_core::Scale::NPS.min(), 0);
    /// ```
    pub fn min(&self) -> i32 {
        self.min
    }

    /// Highest answer.
    ///
    /// ```
    /// assert_eq!(cem_core::Scale::NPS.max(), 10);
    /// ```
    pub fn max(&self) -> i32 {
        self.max
    }

    /// Number of points (answers) on the scale.
    ///
    /// ```
    /// assert_eq!(cem_core::Scale::NPS.points(), 11);
    /// ```
    pub fn points(&self) -> usize {
        (self.max - self.min) as usize + 1
    }

    /// The answer value at point index `k` (0-based).
    ///
    /// ```
    /// assert_eq!(cem_core::Scale::CSAT.value(0), 1.0);
    /// ```
    pub fn value(&self, k: usize) -> f64 {
        self.min as f64 + k as f64
    }

    /// Checks that `answer` is a point of this scale, naming `name` in the error.
    pub(crate) fn check_point(&self, name: &str, answer: i32) -> Result<usize> {
        if answer < self.min || answer > self.max {
            return Err(CemError::param(
                name,
                answer,
                &format!("must be a point of the scale {}..={}", self.min, self.max),
            ));
        }
        Ok((answer - self.min) as usize)
    }
}
