//! The catalogue of every enumerated vocabulary, from which the Python `Literal` aliases and the
//! TypeScript unions are generated (`cem-core/tests/vocabulary.rs`). It lives here, at the top, because it
//! names a vocabulary of every room; each vocabulary itself is declared beside its type by `vocabulary!`.

use crate::discover::Show;
use crate::drivers::options::{DriverMethod, OutcomeScore};
use crate::drivers::quadrant::Quadrant;
use crate::error::CemError;
use crate::inference::adjust::Correction;
use crate::inference::interval::Method;
use crate::score::classify::CATEGORIES;
use crate::score::compare::{Alternative, Test};
use crate::score::metric::{Direction, MetricKind};
use crate::score::tally::Missing;
use crate::segments::period::Every;
use crate::segments::reference::Side;
use crate::text::keyness::KeynessStatistic;
use crate::vocabulary::Vocabulary;

/// Every enumerated vocabulary of cem's options and results.
///
/// ```
/// let v = cem_core::vocabularies();
/// let method = v.iter().find(|v| v.name == "Method").unwrap();
/// assert!(method.names.contains(&"adjusted_wald"));
/// ```
pub fn vocabularies() -> Vec<Vocabulary> {
    vec![
        MetricKind::vocabulary(),
        Method::vocabulary(),
        Test::vocabulary(),
        Alternative::vocabulary(),
        Correction::vocabulary(),
        Missing::vocabulary(),
        Side::vocabulary(),
        Direction::vocabulary(),
        Every::vocabulary(),
        KeynessStatistic::vocabulary(),
        DriverMethod::vocabulary(),
        OutcomeScore::vocabulary(),
        Quadrant::vocabulary(),
        Show::vocabulary(),
        Vocabulary { name: "ErrorCode", names: CemError::CODES.to_vec(), aliases: vec![] },
        Vocabulary { name: "Category", names: CATEGORIES.to_vec(), aliases: vec![] },
    ]
}
