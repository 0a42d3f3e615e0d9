//! Names a person typed — an option's key, a column of their table — matched against the names there are,
//! with the nearest one suggested when it is close: the one did-you-mean of every surface. At the ground,
//! so every room (a driver analysis's columns, a discovery's attributes) names a missing column alike.

use crate::error::{CemError, Result};

/// The position of the column `column` among a table's `columns` (a DataFrame's, a CSV's header), or
/// `invalid_parameter` naming the `option` that asked for it, the column, the nearest column and every
/// column there is: the one message each binding gives for a column that is not there.
///
/// # Errors
/// `invalid_parameter` when no column is named `column`.
///
/// ```
/// let columns = ["region", "nps", "date"];
/// assert_eq!(cem_core::find_column("answer", "nps", &columns).unwrap(), 1);
/// let e = cem_core::find_column("answer", "npss", &columns).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "invalid answer = npss: there is no column \"npss\" (did you mean nps?); the columns are region, nps, date"
/// );
/// ```
pub fn find_column<S: AsRef<str>>(option: &str, column: &str, columns: &[S]) -> Result<usize> {
    let names: Vec<&str> = columns.iter().map(AsRef::as_ref).collect();
    if let Some(i) = names.iter().position(|c| *c == column) {
        return Ok(i);
    }
    let mut reason = format!("there is no column {column:?}");
    if let Some(near) = nearest(column, &names) {
        reason.push_str(&format!(" (did you mean {near}?)"));
    }
    reason.push_str(&format!("; the columns are {}", names.join(", ")));
    Err(CemError::param(option, column, &reason))
}

/// The allowed key nearest to `key` (camelCase folded to snake_case first), if it is close.
pub(crate) fn nearest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let snake: String = key
        .chars()
        .flat_map(|c| if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] })
        .collect();
    let (best, distance) = allowed.iter().map(|a| (*a, edit_distance(&snake, a))).min_by_key(|p| p.1)?;
    (distance <= 2.max(snake.len() / 3)).then_some(best)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
