//! Periods: dates binned into days, ISO weeks, months, quarters or years — the one rule every surface uses.
//!
//! A date is a day number (days since 1970-01-01, what numpy `datetime64[D]`, Arrow `date32` and a
//! JavaScript `Date` divided by 86 400 000 all reduce to) or an ISO 8601 text: `YYYY-MM-DD`, optionally
//! followed by `T` or a space and a time. A date-time counts on its own calendar date: no time-zone
//! conversion is made (`2025-03-31T23:30:00-05:00` is in March). Years run from 1 to 9999.
//!
//! Periods are numbered in time order, so a range of periods is a range of integers and a period with no
//! answers in the middle of a range is present rather than skipped. Their labels:
//!
//! | every | label | rule |
//! |---|---|---|
//! | `day` | `2025-01-31` | the date |
//! | `week` | `2025-W05` | ISO 8601: weeks start on Monday; week 1 holds the year's first Thursday, so 2024-12-30 is in `2025-W01` and 2021-01-03 in `2020-W53` |
//! | `month` | `2025-01` | |
//! | `quarter` | `2025-Q1` | January–March is Q1 |
//! | `year` | `2025` | |
//!
//! ```
//! use cem_core::{Date, Every};
//! let day = "2024-12-30".day(0)?.unwrap();
//! assert_eq!(Every::Week.label(Every::Week.period(day)), "2025-W01");
//! assert_eq!(Every::Quarter.label(Every::Quarter.period(day)), "2024-Q4");
//! assert_eq!("2025-02-30".day(7).unwrap_err().code(), "invalid_date");
//! # Ok::<(), cem_core::CemError>(())
//! ```

use crate::error::{CemError, Result, Short};

crate::vocabulary::vocabulary! {
    /// How dates are binned into periods.
    #[derive(Default)]
    pub enum Every as "every" {
        /// Calendar days.
        Day = "day",
        /// ISO 8601 weeks, Monday to Sunday.
        Week = "week",
        /// Calendar months (the default).
        #[default]
        Month = "month",
        /// Calendar quarters.
        Quarter = "quarter",
        /// Calendar years.
        Year = "year",
    }
}

/// Day numbers of 0001-01-01 and 9999-12-31: the years a four-digit label can name.
const FIRST_DAY: i64 = -719_162;
const LAST_DAY: i64 = 2_932_896;

impl Every {
    /// The period holding day number `day`: consecutive periods have consecutive numbers.
    pub fn period(self, day: i32) -> i32 {
        match self {
            Every::Day => day,
            // 1970-01-01 was a Thursday, so the Monday starting its week is day −3.
            Every::Week => (day + 3).div_euclid(7),
            Every::Month | Every::Quarter | Every::Year => {
                let (y, m, _) = civil(day);
                match self {
                    Every::Month => y * 12 + (m - 1),
                    Every::Quarter => y * 4 + (m - 1) / 3,
                    _ => y,
                }
            }
        }
    }

    /// The label of period number `period` (see the module's table).
    pub fn label(self, period: i32) -> String {
        match self {
            Every::Day => {
                let (y, m, d) = civil(period);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Every::Week => {
                // The week's Thursday decides its ISO year; the week number counts from that year's first.
                let thursday = period * 7; // Monday is period · 7 − 3
                let (y, _, _) = civil(thursday);
                let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
                format!("{y:04}-W{week:02}")
            }
            Every::Month => format!("{:04}-{:02}", period.div_euclid(12), period.rem_euclid(12) + 1),
            Every::Quarter => format!("{:04}-Q{}", period.div_euclid(4), period.rem_euclid(4) + 1),
            Every::Year => format!("{period:04}"),
        }
    }
}

impl Every {
    /// The period number of a label this binning writes, or `None` if it is not one.
    ///
    /// ```
    /// use cem_core::Every;
    /// assert_eq!(Every::Week.parse_label("2020-W53").map(|p| Every::Week.label(p)), Some("2020-W53".into()));
    /// assert_eq!(Every::Week.parse_label("2021-W53"), None); // 2021 has 52 ISO weeks
    /// ```
    pub fn parse_label(self, label: &str) -> Option<i32> {
        let b = label.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i32> {
            let d = b.get(r)?;
            (!d.is_empty() && d.iter().all(u8::is_ascii_digit))
                .then(|| d.iter().fold(0, |n, &c| n * 10 + i32::from(c - b'0')))
        };
        let year = num(0..4).filter(|&y| y >= 1)?;
        let period = match self {
            Every::Day => self.period(label.day(0).ok()??),
            Every::Week => {
                // Week 1 is the week of 4 January.
                let week1 = Every::Week.period(days_from_civil(year, 1, 4));
                week1 + num(6..b.len()).filter(|_| b.get(4..6) == Some(b"-W"))? - 1
            }
            Every::Month => year * 12 + num(5..b.len()).filter(|_| b.get(4) == Some(&b'-'))? - 1,
            Every::Quarter => year * 4 + num(6..b.len()).filter(|_| b.get(4..6) == Some(b"-Q"))? - 1,
            Every::Year => year,
        };
        // Only a label this binning writes reads back (no week 54, month 13 or "2025-1").
        (self.label(period) == label).then_some(period)
    }
}

/// Day numbers binned into periods through a table over the days met so far, so binning a row is one
/// lookup; the table grows (with a year of slack each side) as days outside it appear. Past a range of
/// 2²⁰ days (≈ 2,900 years) days are binned one by one.
pub(crate) struct Bins {
    every: Every,
    first: i32,
    table: Vec<i32>,
}

impl Bins {
    pub(crate) fn new(every: Every) -> Bins {
        Bins { every, first: 0, table: Vec::new() }
    }

    /// Each day number of `days` replaced by its period, `keep` (a missing date) left as it is; returns
    /// the least and the greatest period (`lo > hi` if every entry was `keep`).
    pub(crate) fn bin(&mut self, days: &mut [i32], keep: i32) -> (i32, i32) {
        let (lo, hi) = days.iter().fold((i32::MAX, i32::MIN), |(a, b), &d| {
            let skip = d == keep;
            (a.min(if skip { i32::MAX } else { d }), b.max(if skip { i32::MIN } else { d }))
        });
        if lo > hi {
            return (lo, hi);
        }
        let every = self.every;
        let last = self.first + self.table.len() as i32 - 1;
        if every != Every::Day && (self.table.is_empty() || lo < self.first || hi > last) {
            let (from, to) = if self.table.is_empty() { (lo, hi) } else { (lo.min(self.first), hi.max(last)) };
            let (from, to) = ((from - 366).max(FIRST_DAY as i32), (to + 366).min(LAST_DAY as i32));
            if (to - from) as usize >= 1 << 20 {
                days.iter_mut().filter(|d| **d != keep).for_each(|d| *d = every.period(*d));
                return (every.period(lo), every.period(hi));
            }
            self.first = from;
            self.table = (from..=to).map(|d| every.period(d)).collect();
        }
        if every != Every::Day {
            let (first, table) = (self.first, &self.table);
            // `keep` falls outside the table (it is outside the years 1–9999) and stays.
            days.iter_mut()
                .for_each(|d| *d = table.get(d.wrapping_sub(first) as u32 as usize).copied().unwrap_or(keep));
        }
        (every.period(lo), every.period(hi))
    }
}

/// A date in any form the bindings pass: ISO text or a day number. `index` locates it in errors.
pub trait Date: Sync {
    /// The day number (days since 1970-01-01), or `None` for a missing date (`None`, an empty text, NaN,
    /// numpy's NaT).
    ///
    /// # Errors
    /// `invalid_date` naming the index and the value: text that is not an ISO date, a day that does not
    /// exist (2025-02-30), a day number that is not a whole number or outside the years 1–9999.
    fn day(&self, index: usize) -> Result<Option<i32>>;
}

fn invalid(index: usize, value: impl std::fmt::Display, reason: &str) -> CemError {
    CemError::InvalidDate { index, value: value.to_string(), reason: reason.to_string() }
}

impl Date for str {
    // One copy of the parser, however many places read text dates (the .wasm's size).
    #[inline(never)]
    fn day(&self, index: usize) -> Result<Option<i32>> {
        let b = self.as_bytes();
        if b.is_empty() {
            return Ok(None);
        }
        let digits = |r: std::ops::Range<usize>| -> Option<i32> {
            b.get(r)?.iter().try_fold(0i32, |n, &c| c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0')))
        };
        let shape =
            b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && matches!(b.get(10), None | Some(b'T' | b't' | b' '));
        let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
            return Err(invalid(index, format!("{self:?}"), "dates are ISO 8601 text, YYYY-MM-DD[Thh:mm…]"));
        };
        if !shape {
            return Err(invalid(index, format!("{self:?}"), "dates are ISO 8601 text, YYYY-MM-DD[Thh:mm…]"));
        }
        if y == 0 || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
            return Err(invalid(index, format!("{self:?}"), "no such day in the calendar"));
        }
        Ok(Some(days_from_civil(y, m, d)))
    }
}

impl Date for &str {
    fn day(&self, index: usize) -> Result<Option<i32>> {
        (**self).day(index)
    }
}

impl Date for String {
    fn day(&self, index: usize) -> Result<Option<i32>> {
        self.as_str().day(index)
    }
}

impl<T: Date> Date for Option<T> {
    fn day(&self, index: usize) -> Result<Option<i32>> {
        self.as_ref().map_or(Ok(None), |d| d.day(index))
    }
}

#[inline]
fn day_number(index: usize, v: i64) -> Result<Option<i32>> {
    if (FIRST_DAY..=LAST_DAY).contains(&v) {
        Ok(Some(v as i32))
    } else {
        Err(out_of_years(index, v))
    }
}

#[cold]
fn out_of_years(index: usize, v: i64) -> CemError {
    invalid(index, v, "a day number counts days since 1970-01-01 and must fall in the years 1–9999")
}

impl Date for i32 {
    #[inline]
    fn day(&self, index: usize) -> Result<Option<i32>> {
        day_number(index, i64::from(*self))
    }
}

impl Date for i64 {
    /// `i64::MIN` is numpy's NaT: a missing date.
    #[inline]
    fn day(&self, index: usize) -> Result<Option<i32>> {
        if *self == i64::MIN {
            return Ok(None);
        }
        day_number(index, *self)
    }
}

impl Date for f64 {
    /// JavaScript's numbers: NaN (an invalid `Date`) is missing; a fraction is refused.
    fn day(&self, index: usize) -> Result<Option<i32>> {
        if self.is_nan() {
            return Ok(None);
        }
        if self.fract() != 0.0 || !self.is_finite() {
            return Err(invalid(index, Short(*self), "a day number is a whole number of days since 1970-01-01"));
        }
        day_number(index, *self as i64)
    }
}

fn is_leap(y: i32) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Day number of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) of a day number (Hinnant's `civil_from_days`).
fn civil(z: i32) -> (i32, i32, i32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i32::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_over_the_whole_range() {
        for z in (FIRST_DAY as i32..=LAST_DAY as i32).step_by(97) {
            let (y, m, d) = civil(z);
            assert_eq!(days_from_civil(y, m, d), z);
            assert!((1..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
        }
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(FIRST_DAY as i32), (1, 1, 1));
        assert_eq!(civil(LAST_DAY as i32), (9999, 12, 31));
    }

    #[test]
    fn iso_weeks_at_year_ends() {
        let week = |s: &str| Every::Week.label(Every::Week.period(s.day(0).unwrap().unwrap()));
        assert_eq!(week("2021-01-03"), "2020-W53");
        assert_eq!(week("2021-01-04"), "2021-W01");
        assert_eq!(week("2026-12-31"), "2026-W53");
        assert_eq!(week("2027-01-01"), "2026-W53");
        assert_eq!(week("1969-12-29"), "1970-W01");
        assert_eq!(week("0001-01-01"), "0001-W01");
    }

    #[test]
    fn text_dates() {
        assert_eq!("1970-01-02".day(0).unwrap(), Some(1));
        assert_eq!("2024-02-29T23:59:59+14:00".day(0).unwrap(), "2024-02-29".day(0).unwrap());
        assert_eq!("".day(0).unwrap(), None);
        for bad in ["2023-02-29", "2025-13-01", "2025-1-01", "20250101", "2025-01-01x", "0000-01-01", "2025/01/01"] {
            let e = bad.day(4).unwrap_err();
            assert_eq!((e.code(), e.index()), ("invalid_date", Some(4)), "{bad}");
        }
        assert_eq!(f64::NAN.day(0).unwrap(), None);
        assert_eq!(1.5f64.day(2).unwrap_err().code(), "invalid_date");
        assert_eq!(i64::MIN.day(0).unwrap(), None);
        assert_eq!(3_000_000i32.day(0).unwrap_err().code(), "invalid_date");
    }
}
