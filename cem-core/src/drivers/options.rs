//! The options of a key driver analysis as every language passes them, the vocabularies they name
//! (method, outcome scoring), and the columns they pick from a table.

use serde::Deserialize;

use crate::error::{CemError, Result};
use crate::score::scale::Scale;
use crate::score::tally::Missing;

crate::vocabulary::vocabulary! {
    /// How importance is measured (relaimpo's names).
    #[derive(Default)]
    pub enum DriverMethod as "method" {
        /// Shapley value of R² (Lindeman, Merenda & Gold; Grömping 2006), exact; the default.
        #[default]
        Lmg = "lmg" | "shapley",
        /// Johnson's (2000) relative weights.
        RelativeWeights = "relative_weights" | "johnson",
        /// Dominance analysis (Budescu 1993; Azen & Budescu 2003): general, conditional and complete.
        Dominance = "dominance",
        /// Squared zero-order correlation.
        First = "first",
        /// R² lost when the driver is dropped from the full model (usefulness).
        Last = "last",
        /// Squared standardized coefficient.
        Betasq = "betasq",
        /// Standardized coefficient × correlation (Pratt 1987).
        Pratt = "pratt",
    }
}

crate::vocabulary::vocabulary! {
    /// How each outcome answer is scored before the analysis.
    #[derive(Default)]
    pub enum OutcomeScore as "outcome_score" {
        /// The answer as given (any scale), the default.
        #[default]
        Value = "value",
        /// An NPS answer (0–10) as −100 (0–6), 0 (7–8) or +100 (9–10): its mean is the NPS.
        Nps = "nps",
        /// An NPS answer (0–10) as 100 for a promoter (9–10), 0 otherwise: its mean is the promoter share.
        Promoter = "promoter",
    }
}

/// The options of a key driver analysis, as every language passes them (snake_case keys).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriverOptions {
    /// The outcome column (required).
    pub outcome: Option<String>,
    /// The driver columns, in order (default: every other column but the weight).
    pub drivers: Option<Vec<String>>,
    /// The column of row weights (default: none, every row weighs 1).
    pub weight: Option<String>,
    /// How importance is measured (default `lmg`).
    pub method: Option<DriverMethod>,
    /// How the outcome is scored (default `value`; `nps`: −100/0/+100; `promoter`: 100/0).
    pub outcome_score: Option<OutcomeScore>,
    /// `[min, max]` of the driver ratings: they must lie on it, and their top-box % is reported.
    pub scale: Option<[i32; 2]>,
    /// Lowest answer of a driver's top box (default: the top two points of the scale).
    pub threshold: Option<i32>,
    /// Level of the performance intervals (default 0.95).
    pub level: Option<f64>,
    /// Incomplete rows (NaN/None/null in any used column): `error` (default) or `skip`.
    pub missing: Option<Missing>,
    /// Bootstrap resamples for intervals of importance and share and rank-first probabilities (default:
    /// none; from columns only, since a case bootstrap needs the rows).
    pub resamples: Option<u32>,
    /// Seed of the bootstrap (default 0).
    pub seed: Option<u64>,
    /// Where the quadrant map splits: `[share of R² in %, mean rating]` (default: the drivers' mean
    /// importance and mean performance).
    pub split: Option<[f64; 2]>,
}

impl DriverOptions {
    pub(super) fn scale(&self) -> Result<Option<Scale>> {
        self.scale.map(|[lo, hi]| Scale::new(lo, hi)).transpose()
    }
}

/// The columns a driver analysis reads, by the options' names: (outcome, drivers, weights).
type Picked<'a> = (&'a [f64], Vec<&'a [f64]>, Option<&'a [f64]>, Vec<String>);

pub(super) fn pick<'a, S: AsRef<str>>(columns: &'a [(S, &'a [f64])], o: &DriverOptions) -> Result<Picked<'a>> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_ref()).collect();
    let find =
        |key: &str, name: &str| {
            columns.iter().find(|(n, _)| n.as_ref() == name).map(|(_, c)| *c).ok_or_else(|| {
                CemError::param(key, name, &format!("no such column; the columns are {}", names.join(", ")))
            })
        };
    let outcome_name =
        o.outcome.as_deref().ok_or_else(|| CemError::param("outcome", "none", "name the outcome column"))?;
    let outcome = find("outcome", outcome_name)?;
    let weights = o.weight.as_deref().map(|w| find("weight", w)).transpose()?;
    let driver_names: Vec<String> = match &o.drivers {
        Some(d) => d.clone(),
        None => names
            .iter()
            .filter(|n| **n != outcome_name && Some(**n) != o.weight.as_deref())
            .map(|n| n.to_string())
            .collect(),
    };
    let drivers = driver_names.iter().map(|d| find("drivers", d)).collect::<Result<Vec<_>>>()?;
    Ok((outcome, drivers, weights, driver_names))
}
