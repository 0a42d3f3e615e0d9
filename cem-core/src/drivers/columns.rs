//! A driver analysis of named columns, as the operations run it: the columns the options name tallied,
//! analysed, bootstrapped when asked, and per segment.

use crate::drivers::analysis::{analyse_split, DriverAnalysis, SegmentDrivers};
use crate::drivers::bootstrap::bootstrap;
use crate::drivers::options::{pick, DriverOptions};
use crate::drivers::tally::DriverTally;
use crate::error::{CemError, Result};
use crate::score::tally::check_len;

/// A driver tally of the named columns (what [`operations::driver_tally`](crate::operations::driver_tally)
/// does).
pub(crate) fn tally_columns<S: AsRef<str>>(columns: &[(S, &[f64])], o: &DriverOptions) -> Result<DriverTally> {
    let (outcome, drivers, weights, names) = pick(columns, o)?;
    let outcome_name = o.outcome.as_deref().unwrap_or_default();
    let mut t = DriverTally::new(outcome_name, &names, o.outcome_score.unwrap_or_default(), o.scale()?, o.threshold)?;
    t.update(outcome, &drivers, weights, o.missing.unwrap_or_default())?;
    Ok(t)
}

/// The analysis of named columns, with the bootstrap when the options ask for it.
pub(crate) fn analyse_columns<S: AsRef<str>>(columns: &[(S, &[f64])], o: &DriverOptions) -> Result<DriverAnalysis> {
    let t = tally_columns(columns, o)?;
    let mut a = analyse_with(&t, o)?;
    if let Some(resamples) = o.resamples {
        let (outcome, drivers, weights, _) = pick(columns, o)?;
        let seed = o.seed.unwrap_or(0);
        bootstrap(&t, &mut a, (outcome, &drivers, weights), resamples, seed)?;
    } else if o.seed.is_some() {
        return Err(CemError::param("seed", o.seed.unwrap_or(0), "a seed needs resamples (the bootstrap)"));
    }
    Ok(a)
}

/// The analysis of each segment: row i belongs to segment `names[codes[i]]`; segments in `names` order,
/// those without rows left out. Errors name the segment (and rows keep their index in the input).
pub(crate) fn analyse_segments<S: AsRef<str>>(
    columns: &[(S, &[f64])],
    codes: &[i64],
    names: &[String],
    o: &DriverOptions,
) -> Result<Vec<SegmentDrivers>> {
    let (outcome, ..) = pick(columns, o)?;
    check_len("segments", outcome.len(), codes.len())?;
    let mut rows: Vec<Vec<usize>> = vec![Vec::new(); names.len()];
    for (i, &c) in codes.iter().enumerate() {
        match usize::try_from(c).ok().filter(|&c| c < names.len()) {
            Some(c) => rows[c].push(i),
            None => {
                return Err(CemError::InvalidSegment {
                    index: i,
                    value: c.to_string(),
                    reason: "the segment key is missing".into(),
                })
            }
        }
    }
    let mut out = Vec::new();
    for (key, rows) in names.iter().zip(&rows).filter(|(_, r)| !r.is_empty()) {
        let owned: Vec<(&str, Vec<f64>)> =
            columns.iter().map(|(n, c)| (n.as_ref(), rows.iter().map(|&i| c[i]).collect())).collect();
        let sub: Vec<(&str, &[f64])> = owned.iter().map(|(n, c)| (*n, &c[..])).collect();
        let analysis = analyse_columns(&sub, o).map_err(|e| match e {
            CemError::MissingValue { index } => CemError::MissingValue { index: rows[index] },
            CemError::InvalidWeight { index, value } => CemError::InvalidWeight { index: rows[index], value },
            CemError::TooFew { what, needed, got } => {
                CemError::TooFew { what: format!("segment {key}: {what}"), needed, got }
            }
            CemError::Degenerate { column, reason } => {
                CemError::Degenerate { column, reason: format!("in segment {key}, {reason}") }
            }
            other => other,
        })?;
        out.push(SegmentDrivers { segment: key.clone(), analysis });
    }
    Ok(out)
}

/// The analysis a set of options asks of a tally.
pub(crate) fn analyse_with(t: &DriverTally, o: &DriverOptions) -> Result<DriverAnalysis> {
    analyse_split(t, o.method.unwrap_or_default(), o.level.unwrap_or(0.95), o.split)
}
