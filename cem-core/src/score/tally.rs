//! Tallies: counts per scale point, the sufficient statistic for every metric in cem.
//!
//! A tally is built in one pass over the answers, or from counts aggregated elsewhere (a warehouse, Spark,
//! Dask), and tallies merge exactly (merge is associative and commutative), so partitions counted apart
//! combine into the same numbers as one pass over everything. Weighted tallies keep, per point, the sum of
//! weights and the sum of squared weights, which is all that weighted shares, the Kish effective n and
//! linearised standard errors need.
//!
//! Every call validates its whole input before touching the tally, so a failed `update` leaves it as it was.

use serde::{Deserialize, Serialize};

use crate::error::{CemError, Result, Short};
use crate::score::scale::Scale;

crate::vocabulary::vocabulary! {
    /// What to do with missing answers (NaN, None, null).
    #[derive(Default)]
    pub enum Missing as "missing" {
        /// A missing answer is a `missing_value` error (the default: a gap in the data should be seen).
        #[default]
        Error = "error",
        /// Missing answers are left out and counted in [`Tally::skipped`].
        Skip = "skip",
    }
}

/// How one raw answer reads as a scale point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// A whole number.
    Whole(i64),
    /// NaN, None or null.
    Missing,
    /// A finite float with a fractional part, such as 6.5.
    Fraction(f64),
    /// Plus or minus infinity.
    Infinite(f64),
}

/// A raw answer of any integer width, a float holding an integer, or an optional one.
pub trait Answer: Copy + Sync {
    /// True for integer types, whose every value is a whole number: a slice of them is valid when its
    /// minimum and maximum lie on the scale, which lets the counting loop run without a check per answer.
    const INTEGER: bool = false;
    /// Reads the answer.
    fn read(self) -> Reading;
    /// The answer as a float, for error messages.
    fn as_f64(self) -> f64;
    /// The answer as an integer; meaningful only when `INTEGER`.
    fn as_i64(self) -> i64 {
        0
    }
    /// Smallest and largest answer, for integer types (`None` for floats or an empty slice). Folding
    /// min and max in the native type vectorises, so validating a slice this way costs a fraction of a
    /// check per answer inside the counting loop.
    fn bounds(answers: &[Self]) -> Option<(i64, i64)> {
        let _ = answers;
        None
    }
    /// The answers as bytes, for the vectorised byte kernel (`u8` only).
    fn as_bytes(answers: &[Self]) -> Option<&[u8]> {
        let _ = answers;
        None
    }
}

/// Whether every answer is known to be on the scale from the slice's bounds (integer types).
pub(crate) fn all_on_scale<A: Answer>(scale: Scale, answers: &[A]) -> bool {
    match A::bounds(answers) {
        Some((lo, hi)) => lo >= scale.min() as i64 && hi <= scale.max() as i64,
        None => false,
    }
}

macro_rules! int_answer {
    // What every integer type shares (u8 adds the byte kernel below).
    (@common) => {
        const INTEGER: bool = true;
        #[inline]
        fn read(self) -> Reading {
            Reading::Whole(self.as_i64())
        }
        fn as_f64(self) -> f64 {
            self as f64
        }
        #[inline]
        fn as_i64(self) -> i64 {
            // Values beyond i64 are out of every scale; saturating keeps them out of range.
            i64::try_from(self).unwrap_or(i64::MAX)
        }
    };
    ($($t:ty),*) => {$(
        impl Answer for $t {
            int_answer!(@common);
            fn bounds(answers: &[Self]) -> Option<(i64, i64)> {
                let lo = answers.iter().copied().reduce(<$t>::min)?;
                let hi = answers.iter().copied().reduce(<$t>::max)?;
                Some((lo.as_i64(), hi.as_i64()))
            }
        }
    )*};
}
int_answer!(u16, u32, u64, i8, i16, i32, i64);

impl Answer for u8 {
    int_answer!(@common);
    fn bounds(answers: &[Self]) -> Option<(i64, i64)> {
        crate::score::kernel::byte_bounds(answers).map(|(lo, hi)| (lo as i64, hi as i64))
    }
    fn as_bytes(answers: &[Self]) -> Option<&[u8]> {
        Some(answers)
    }
}

macro_rules! float_answer {
    ($($t:ty),*) => {$(
        impl Answer for $t {
            #[inline]
            fn read(self) -> Reading {
                let v = self as f64;
                if v.is_nan() {
                    Reading::Missing
                } else if v.is_infinite() {
                    Reading::Infinite(v)
                } else if v.fract() != 0.0 {
                    Reading::Fraction(v)
                } else if v.abs() < 9.0e18 {
                    Reading::Whole(v as i64)
                } else {
                    Reading::Infinite(v)
                }
            }
            fn as_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
float_answer!(f32, f64);

impl<T: Answer> Answer for Option<T> {
    #[inline]
    fn read(self) -> Reading {
        match self {
            Some(v) => v.read(),
            None => Reading::Missing,
        }
    }
    fn as_f64(self) -> f64 {
        self.map_or(f64::NAN, Answer::as_f64)
    }
}

/// Reads one answer given as text (a CSV read as text, a column of strings): the text trimmed; blank is a
/// missing answer (NaN); otherwise a number written in JSON's grammar (`9`, `10.0`, `-1`, `1e1`), which then
/// meets every rule a numeric answer meets (whole, on the scale). Anything else is `not_a_number` with
/// `index` and the text. This is the one rule every binding applies to text answers.
///
/// # Errors
/// `not_a_number` for text that is neither blank nor a number.
///
/// ```
/// use cem_core::answer_from_text;
/// assert_eq!(answer_from_text(0, " 10 ").unwrap(), 10.0);
/// assert!(answer_from_text(1, "").unwrap().is_nan()); // missing
/// let err = answer_from_text(2, "x").unwrap_err();
/// assert_eq!((err.code(), err.index()), ("not_a_number", Some(2)));
/// ```
pub fn answer_from_text(index: usize, text: &str) -> Result<f64> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(f64::NAN);
    }
    crate::error::parse_number(t).ok_or_else(|| CemError::NotANumber { index, value: t.to_string() })
}

/// Per-point sums of weights and of squared weights: a tally's, or a segment tally's (one row of points
/// per segment, flat). `V` is the storage: owned vectors, or slices borrowing one segment's row.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct WeightSums<V = Vec<f64>> {
    /// Σw per point.
    pub(crate) sum: V,
    /// Σw² per point.
    pub(crate) sum_sq: V,
}

impl WeightSums {
    /// Zero sums for `len` points.
    pub(crate) fn zeros(len: usize) -> WeightSums {
        WeightSums { sum: vec![0.0; len], sum_sq: vec![0.0; len] }
    }

    /// Adds one answer of weight `w` at point `k`.
    #[inline]
    pub(crate) fn add(&mut self, k: usize, w: f64) {
        self.sum[k] += w;
        self.sum_sq[k] += w * w;
    }

    /// The sums at points `range`, borrowed.
    pub(crate) fn slice(&self, range: std::ops::Range<usize>) -> WeightSums<&[f64]> {
        WeightSums { sum: &self.sum[range.clone()], sum_sq: &self.sum_sq[range] }
    }
}

impl WeightSums<&[f64]> {
    /// The borrowed sums, owned.
    pub(crate) fn to_vecs(&self) -> WeightSums {
        WeightSums { sum: self.sum.to_vec(), sum_sq: self.sum_sq.to_vec() }
    }
}

/// Counts per scale point (and, when weighted, summed weights and squared weights).
///
/// ```
/// use cem_core::{Missing, Scale, Tally};
/// let mut t = Tally::from_answers(Scale::NPS, &[10u8, 9, 7, 3], None, Missing::Error).unwrap();
/// t.update(&[Some(10.0), None], None, Missing::Skip).unwrap();
/// assert_eq!(t.n(), 5);
/// assert_eq!(t.skipped(), 1);
/// assert_eq!(t.counts()[10], 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "TallyData", into = "TallyData")]
pub struct Tally {
    scale: Scale,
    counts: Vec<u64>,
    weights: Option<WeightSums>,
    skipped: u64,
}

/// The serialized form of a tally; validated when read back.
#[derive(Serialize, Deserialize)]
struct TallyData {
    scale: Scale,
    counts: Vec<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight_sums: Option<Vec<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    weight_sq_sums: Option<Vec<f64>>,
    #[serde(default)]
    skipped: u64,
}

impl From<Tally> for TallyData {
    fn from(t: Tally) -> Self {
        let (weight_sums, weight_sq_sums) = match t.weights {
            Some(w) => (Some(w.sum), Some(w.sum_sq)),
            None => (None, None),
        };
        TallyData { scale: t.scale, counts: t.counts, weight_sums, weight_sq_sums, skipped: t.skipped }
    }
}

impl TryFrom<TallyData> for Tally {
    type Error = CemError;
    fn try_from(d: TallyData) -> Result<Self> {
        let mut t = match (d.weight_sums, d.weight_sq_sums) {
            (None, None) => Tally::from_counts(d.scale, &d.counts)?,
            (Some(s), Some(q)) => Tally::from_weighted_counts(d.scale, &d.counts, &s, &q)?,
            _ => {
                return Err(CemError::param(
                    "weight_sums",
                    "one of weight_sums / weight_sq_sums",
                    "a weighted tally needs both weight_sums and weight_sq_sums",
                ))
            }
        };
        t.skipped = d.skipped;
        Ok(t)
    }
}

impl Tally {
    /// The smallest positive weight (1e-100): its square is still a normal f64.
    pub const MIN_WEIGHT: f64 = 1e-100;
    /// The largest weight (1e100): sums of 10⁸⁰ squared weights stay finite.
    pub const MAX_WEIGHT: f64 = 1e100;

    /// An empty tally on `scale`.
    ///
    /// ```
    /// let t = cem_core::Tally::new(cem_core::Scale::CSAT);
    /// assert_eq!(t.n(), 0);
    /// ```
    pub fn new(scale: Scale) -> Tally {
        Tally { scale, counts: vec![0; scale.points()], weights: None, skipped: 0 }
    }

    /// A tally of `answers` (with optional `weights`, one per answer) in one pass.
    ///
    /// # Errors
    /// `out_of_range`, `not_an_integer`, `missing_value` (policy `error`), `invalid_weight`,
    /// `length_mismatch`, each with the index and value of the first offending input.
    ///
    /// ```
    /// use cem_core::{Missing, Scale, Tally};
    /// let t = Tally::from_answers(Scale::CSAT, &[5.0, 4.0, 2.0], Some(&[1.0, 2.0, 1.0]), Missing::Error).unwrap();
    /// assert_eq!(t.total_weight(), 4.0);
    /// ```
    pub fn from_answers<A: Answer>(
        scale: Scale,
        answers: &[A],
        weights: Option<&[f64]>,
        missing: Missing,
    ) -> Result<Tally> {
        let mut t = Tally::new(scale);
        t.update(answers, weights, missing)?;
        Ok(t)
    }

    /// A tally from counts per point, lowest point first (e.g. 11 counts for NPS 0..=10).
    ///
    /// # Errors
    /// `length_mismatch` if there is not one count per point.
    ///
    /// ```
    /// use cem_core::{Scale, Tally};
    /// let t = Tally::from_counts(Scale::CSAT, &[1, 0, 2, 3, 4]).unwrap();
    /// assert_eq!(t.n(), 10);
    /// ```
    pub fn from_counts(scale: Scale, counts: &[u64]) -> Result<Tally> {
        check_len("counts", scale.points(), counts.len())?;
        Ok(Tally { scale, counts: counts.to_vec(), weights: None, skipped: 0 })
    }

    /// An NPS tally from group counts aggregated elsewhere: detractors at 0, passives at 7, promoters at 10
    /// (every NPS method depends only on the three groups).
    ///
    /// ```
    /// let t = cem_core::Tally::from_nps_counts(20, 30, 50);
    /// assert_eq!((t.n(), t.counts()[10]), (100, 50));
    /// ```
    pub fn from_nps_counts(detractors: u64, passives: u64, promoters: u64) -> Tally {
        let mut counts = vec![0; Scale::NPS.points()];
        (counts[0], counts[7], counts[10]) = (detractors, passives, promoters);
        Tally { scale: Scale::NPS, counts, weights: None, skipped: 0 }
    }

    /// A weighted tally from per-point counts, sums of weights and sums of squared weights.
    ///
    /// # Errors
    /// `length_mismatch`; `invalid_weight` for a negative or non-finite sum, or sums that no set of
    /// weights can produce (a positive sum with a zero count, or squares inconsistent with the sum).
    ///
    /// ```
    /// use cem_core::{Scale, Tally};
    /// let t = Tally::from_weighted_counts(Scale::new(0, 1).unwrap(), &[1, 2], &[2.0, 2.0], &[4.0, 2.0]).unwrap();
    /// assert!((t.effective_n() - 16.0 / 6.0).abs() < 1e-12);
    /// ```
    pub fn from_weighted_counts(scale: Scale, counts: &[u64], sums: &[f64], squares: &[f64]) -> Result<Tally> {
        let k = scale.points();
        check_len("counts", k, counts.len())?;
        check_len("weight_sums", k, sums.len())?;
        check_len("weight_sq_sums", k, squares.len())?;
        for i in 0..k {
            let (c, s, q) = (counts[i] as f64, sums[i], squares[i]);
            let valid = s.is_finite() && q.is_finite() && s >= 0.0 && q >= 0.0
                // Cauchy–Schwarz: s²/c ≤ q ≤ s² (with a little slack for rounding).
                && (c > 0.0 || (s == 0.0 && q == 0.0))
                && (s == 0.0) == (q == 0.0)
                && q <= s * s * (1.0 + 1e-9) + f64::MIN_POSITIVE
                && (c == 0.0 || s * s / c <= q * (1.0 + 1e-9) + f64::MIN_POSITIVE);
            if !valid {
                return Err(CemError::InvalidWeight { index: i, value: s });
            }
        }
        Ok(Tally {
            scale,
            counts: counts.to_vec(),
            weights: Some(WeightSums { sum: sums.to_vec(), sum_sq: squares.to_vec() }),
            skipped: 0,
        })
    }

    /// A tally from parts already known to be consistent (used by segment tallies and benchmarks).
    pub(crate) fn from_parts(scale: Scale, counts: Vec<u64>, weights: Option<WeightSums>) -> Tally {
        Tally { scale, counts, weights, skipped: 0 }
    }

    /// Counts `n` more answers as skipped (missing answers of a counts table).
    pub(crate) fn add_skipped(&mut self, n: u64) {
        self.skipped = self.skipped.saturating_add(n);
    }

    /// Adds `answers` (and optional `weights`) to this tally. On error the tally is unchanged.
    ///
    /// # Errors
    /// As [`Tally::from_answers`], plus `overflow` if a count would pass `u64::MAX`.
    ///
    /// ```
    /// use cem_core::{Missing, Scale, Tally};
    /// let mut t = Tally::new(Scale::NPS);
    /// assert!(t.update(&[9, 12], None, Missing::Error).is_err());
    /// assert_eq!(t.n(), 0); // nothing was partly applied
    /// ```
    pub fn update<A: Answer>(&mut self, answers: &[A], weights: Option<&[f64]>, missing: Missing) -> Result<()> {
        let mut part = Tally::new(self.scale);
        match weights {
            None => part.skipped = count_answers(self.scale, answers, missing, &mut part.counts)?,
            Some(w) => {
                check_len("weights", answers.len(), w.len())?;
                let mut sums = WeightSums::zeros(self.scale.points());
                part.skipped = weigh_answers(self.scale, answers, w, missing, &mut part.counts, &mut sums)?;
                part.weights = Some(sums);
            }
        }
        self.merge(&part)
    }

    /// Adds another tally's counts into this one. On error this tally is unchanged.
    ///
    /// # Errors
    /// `incompatible` if the scales differ; `overflow` if a count would pass `u64::MAX`.
    ///
    /// ```
    /// use cem_core::{Scale, Tally};
    /// let mut a = Tally::from_counts(Scale::CSAT, &[1, 0, 0, 0, 1]).unwrap();
    /// a.merge(&Tally::from_counts(Scale::CSAT, &[0, 0, 0, 0, 2]).unwrap()).unwrap();
    /// assert_eq!(a.counts(), &[1, 0, 0, 0, 3]);
    /// ```
    pub fn merge(&mut self, other: &Tally) -> Result<()> {
        if self.scale != other.scale {
            return Err(CemError::Incompatible {
                reason: format!(
                    "tallies on scales {}..={} and {}..={}",
                    self.scale.min(),
                    self.scale.max(),
                    other.scale.min(),
                    other.scale.max()
                ),
            });
        }
        let mut counts = self.counts.clone();
        for (c, o) in counts.iter_mut().zip(&other.counts) {
            *c = c.checked_add(*o).ok_or_else(|| CemError::Overflow { what: "a tally count".into() })?;
        }
        let skipped = self
            .skipped
            .checked_add(other.skipped)
            .ok_or_else(|| CemError::Overflow { what: "the skipped count".into() })?;
        if self.weights.is_some() || other.weights.is_some() {
            let (mut sum, mut sum_sq) = (self.weight_sums(), self.weight_sq_sums());
            for (k, (s, q)) in other.weight_sums().iter().zip(other.weight_sq_sums()).enumerate() {
                sum[k] += s;
                sum_sq[k] += q;
            }
            self.weights = Some(WeightSums { sum, sum_sq });
        }
        self.counts = counts;
        self.skipped = skipped;
        Ok(())
    }

    /// The scale of the answers.
    ///
    /// ```
    /// assert_eq!(cem_core::Tally::new(cem_core::Scale::NPS).scale(), cem_core::Scale::NPS);
    /// ```
    pub fn scale(&self) -> Scale {
        self.scale
    }

    /// Number of answers per point, lowest point first.
    ///
    /// ```
    /// assert_eq!(cem_core::Tally::new(cem_core::Scale::CSAT).counts(), &[0, 0, 0, 0, 0]);
    /// ```
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// Number of answers counted (skipped missing answers are not included).
    ///
    /// ```
    /// let t = cem_core::Tally::from_counts(cem_core::Scale::CSAT, &[1, 1, 1, 1, 1]).unwrap();
    /// assert_eq!(t.n(), 5);
    /// ```
    pub fn n(&self) -> u64 {
        // Saturates rather than overflows: a sum of u64 counts beyond u64::MAX is reported as u64::MAX.
        self.counts.iter().fold(0u64, |a, &c| a.saturating_add(c))
    }

    /// Number of missing answers left out under the `skip` policy.
    ///
    /// ```
    /// use cem_core::{Missing, Scale, Tally};
    /// let t = Tally::from_answers(Scale::NPS, &[Some(3u8), None], None, Missing::Skip).unwrap();
    /// assert_eq!(t.skipped(), 1);
    /// ```
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Whether the tally holds weights.
    ///
    /// ```
    /// assert!(!cem_core::Tally::new(cem_core::Scale::NPS).is_weighted());
    /// ```
    pub fn is_weighted(&self) -> bool {
        self.weights.is_some()
    }

    /// Summed weight per point (the counts, for an unweighted tally).
    ///
    /// ```
    /// let t = cem_core::Tally::from_counts(cem_core::Scale::CSAT, &[1, 0, 0, 0, 2]).unwrap();
    /// assert_eq!(t.weight_sums(), vec![1.0, 0.0, 0.0, 0.0, 2.0]);
    /// ```
    pub fn weight_sums(&self) -> Vec<f64> {
        match &self.weights {
            Some(w) => w.sum.clone(),
            None => self.counts.iter().map(|&c| c as f64).collect(),
        }
    }

    /// Summed squared weight per point (the counts, for an unweighted tally).
    ///
    /// ```
    /// let t = cem_core::Tally::from_counts(cem_core::Scale::CSAT, &[1, 0, 0, 0, 2]).unwrap();
    /// assert_eq!(t.weight_sq_sums(), vec![1.0, 0.0, 0.0, 0.0, 2.0]);
    /// ```
    pub fn weight_sq_sums(&self) -> Vec<f64> {
        match &self.weights {
            Some(w) => w.sum_sq.clone(),
            None => self.counts.iter().map(|&c| c as f64).collect(),
        }
    }

    /// Σw, the total weight (n for an unweighted tally).
    ///
    /// ```
    /// let t = cem_core::Tally::from_counts(cem_core::Scale::CSAT, &[1, 0, 0, 0, 2]).unwrap();
    /// assert_eq!(t.total_weight(), 3.0);
    /// ```
    pub fn total_weight(&self) -> f64 {
        self.weight_sums().iter().sum()
    }

    /// Kish effective sample size (Σw)²/Σw² (n for an unweighted tally; 0 when empty).
    ///
    /// Reference: Kish, L. (1965). *Survey Sampling*. Wiley, §11.7.
    ///
    /// ```
    /// use cem_core::{Missing, Scale, Tally};
    /// let t = Tally::from_answers(Scale::CSAT, &[5, 4], Some(&[1.0, 3.0]), Missing::Error).unwrap();
    /// assert_eq!(t.effective_n(), 16.0 / 10.0);
    /// ```
    pub fn effective_n(&self) -> f64 {
        match &self.weights {
            None => self.n() as f64,
            Some(w) => {
                let s: f64 = w.sum.iter().sum();
                let q: f64 = w.sum_sq.iter().sum();
                if q > 0.0 {
                    // Written as (s/√q)² so that huge weights do not overflow s².
                    (s / q.sqrt()).powi(2)
                } else {
                    0.0
                }
            }
        }
    }
}

/// Counts given as floats (JavaScript numbers, JSON) as whole counts.
///
/// # Errors
/// `invalid_parameter` naming the index of a count that is negative, fractional, NaN or beyond 2⁶⁴.
///
/// ```
/// assert_eq!(cem_core::whole_counts(&[3.0, 0.0]).unwrap(), vec![3, 0]);
/// assert_eq!(cem_core::whole_counts(&[3.0, -1.0]).unwrap_err().code(), "invalid_parameter");
/// assert!(cem_core::whole_counts(&[2.5]).is_err());
/// ```
pub fn whole_counts(values: &[f64]) -> Result<Vec<u64>> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if v >= 0.0 && v.fract() == 0.0 && v < 18_446_744_073_709_551_616.0 {
                Ok(v as u64)
            } else {
                Err(CemError::param(&format!("counts[{i}]"), Short(v), "a count is a whole number, not negative"))
            }
        })
        .collect()
}

pub(crate) fn check_len(what: &str, expected: usize, actual: usize) -> Result<()> {
    if expected != actual {
        return Err(CemError::LengthMismatch { what: what.into(), expected, actual });
    }
    Ok(())
}

/// The scale point index of answer `a` at position `i`, `None` for a skipped missing answer.
#[inline]
pub(crate) fn point<A: Answer>(scale: Scale, i: usize, a: A, missing: Missing) -> Result<Option<usize>> {
    match a.read() {
        Reading::Whole(v) => {
            let k = v.wrapping_sub(scale.min() as i64);
            if (0..scale.points() as i64).contains(&k) {
                Ok(Some(k as usize))
            } else {
                Err(CemError::OutOfRange { index: i, value: a.as_f64(), min: scale.min(), max: scale.max() })
            }
        }
        Reading::Missing => match missing {
            Missing::Skip => Ok(None),
            Missing::Error => Err(CemError::MissingValue { index: i }),
        },
        Reading::Fraction(v) => Err(CemError::NotAnInteger { index: i, value: v }),
        Reading::Infinite(v) => Err(CemError::OutOfRange { index: i, value: v, min: scale.min(), max: scale.max() }),
    }
}

fn count_answers<A: Answer>(scale: Scale, answers: &[A], missing: Missing, counts: &mut [u64]) -> Result<u64> {
    if let Some(bytes) = A::as_bytes(answers) {
        match crate::score::kernel::count_bytes(bytes, scale.min(), counts) {
            Some(true) => return Ok(0),
            // Something is off the scale: clear the partial counts; the checked loop names it.
            Some(false) => counts.iter_mut().for_each(|c| *c = 0),
            None => {}
        }
    }
    if all_on_scale(scale, answers) {
        let min = scale.min() as i64;
        for a in answers {
            counts[(a.as_i64() - min) as usize] += 1;
        }
        return Ok(0);
    }
    let mut skipped = 0;
    for (i, &a) in answers.iter().enumerate() {
        match point(scale, i, a, missing)? {
            Some(k) => counts[k] += 1,
            None => skipped += 1,
        }
    }
    Ok(skipped)
}

/// Weights are 0 or within [`Tally::MIN_WEIGHT`, `Tally::MAX_WEIGHT`], so that sums of squared
/// weights neither overflow nor vanish (only ratios of weights matter, so any set can be rescaled).
pub(crate) fn check_weight(index: usize, w: f64) -> Result<()> {
    if w == 0.0 || (Tally::MIN_WEIGHT..=Tally::MAX_WEIGHT).contains(&w) {
        Ok(())
    } else {
        Err(CemError::InvalidWeight { index, value: w })
    }
}

fn weigh_answers<A: Answer>(
    scale: Scale,
    answers: &[A],
    weights: &[f64],
    missing: Missing,
    counts: &mut [u64],
    sums: &mut WeightSums,
) -> Result<u64> {
    let mut skipped = 0;
    for (i, (&a, &w)) in answers.iter().zip(weights).enumerate() {
        check_weight(i, w)?;
        match point(scale, i, a, missing)? {
            Some(k) => {
                counts[k] += 1;
                sums.add(k, w);
            }
            None => skipped += 1,
        }
    }
    Ok(skipped)
}
