//! What customers say: keyness of comments between groups or answer categories, and each comment's terms
//! for an engine. The statistics live in `text/`; here the groups are read and the tallies filled.

use crate::api::options::{Input, Operation, Options};
use crate::error::{CemError, Result};
use crate::score::classify::{Categories, Classifier};
use crate::score::tally::{Answer, Missing};
use crate::segments::segment::Key;
use crate::text::tally::{too_many_terms, TermTally};
use crate::text::tokens::{Comment, Scratch};

/// Keyness of comments between groups: `groups` gives each row's group (a region, a touchpoint, a
/// period's label; `None` a missing group, an `invalid_segment` error naming the row unless
/// `missing: "skip"`); `target` names the group examined (required) and `reference` the group it is
/// compared with, or `rest` (default: every other row). Options: `ngrams`, `stop_words`, `min_count`,
/// `min_n`, `level`, `correction`, `statistic`, `max_terms` — see [`keyness`](crate::keyness()).
/// Comments are texts (`&str`, `String`) or token lists (`Vec<&str>`: a journey's steps, taken as words).
///
/// # Errors
/// `length_mismatch` for groups of another length; `invalid_parameter` for a target or reference that is
/// no group (listing the groups) and the options' errors; `invalid_parameter` naming `ngrams` past the
/// memory cap; those of [`keyness`](crate::keyness()).
///
/// ```
/// use cem_core::operations;
/// let comments = [Some("on hold for an hour"), Some("refund please"), None, Some("easy to use"), Some("so easy")];
/// let groups = ["billing", "billing", "billing", "app", "app"];
/// let k = operations::keyness(&comments, &groups, r#"{"target": "billing", "min_count": 1, "min_n": 1}"#)?;
/// assert_eq!((k.target.as_str(), k.reference.as_str(), k.target_texts), ("billing", "rest", 2));
/// let journeys = [Some(vec!["web", "call", "call"]), Some(vec!["app"]), Some(vec!["web", "call"])];
/// let k = operations::keyness(&journeys, &["d", "p", "d"], r#"{"target": "d", "min_count": 1, "min_n": 1}"#)?;
/// assert!(k.terms.iter().any(|t| t.term == "web call" && t.target_mentions == 2));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn keyness<C: Comment + Sync, K: Key>(
    comments: &[Option<C>],
    groups: &[K],
    options: impl Input,
) -> Result<crate::Keyness> {
    let o = Options::read(Operation::Keyness, options)?;
    check_length("groups", comments.len(), groups.len())?;
    let skip = o.missing() == Missing::Skip;
    let mut names: Vec<&str> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        match g.name() {
            Some(name) => names.push(name),
            None if skip => {}
            None => return Err(missing_group(i)),
        }
    }
    let order = crate::order::argsort(names.len(), &|a, b| names[a].cmp(names[b]));
    let mut names = crate::order::permute(names, &order);
    names.dedup();
    let target = match &o.target {
        Some(t) => t.as_str(),
        None => {
            return Err(CemError::param("target", "none", &format!("name the group to examine: {}", listed(&names))))
        }
    };
    let side = |name: &str| if name == target { Some(true) } else { None };
    let reference = o.reference.as_deref().unwrap_or("rest");
    check_group("target", target, &names)?;
    let rows = groups.iter().map(|g| match g.name() {
        Some(name) if reference == "rest" => Some(side(name).unwrap_or(false)),
        Some(name) => side(name).or((name == reference).then_some(false)),
        None => None,
    });
    if reference != "rest" {
        check_group("reference", reference, &names)?;
        if reference == target {
            return Err(CemError::param("reference", reference, "the reference must differ from the target"));
        }
    }
    keyness_rows(comments, rows, (target, reference), &o)
}

/// Keyness of comments between the categories of each row's answer, by the rule of [`classify`](super::classify)
/// (`metric`, NPS by default, and its keys): by default the worst category against the best — detractors
/// against promoters, `not_satisfied` against `satisfied`, `effortful` against `easy`; `target` and
/// `reference` name others (or `rest`). A missing answer is an error unless `missing: "skip"`, which
/// leaves its row out. Other options as [`keyness`].
///
/// # Errors
/// Those of [`classifier`](super::classifier) (naming the answer's row) and of [`keyness`].
///
/// ```
/// use cem_core::operations;
/// let comments = [Some("refund refund"), Some("on hold"), Some("easy app"), Some("easy")];
/// let k = operations::keyness_by_answer(&comments, &[2u8, 4, 10, 9], r#"{"min_count": 1, "min_n": 1}"#)?;
/// assert_eq!((k.target.as_str(), k.reference.as_str()), ("detractor", "promoter"));
/// assert_eq!(k.terms.iter().find(|t| t.term == "easy").unwrap().reference_rate, 100.0);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn keyness_by_answer<C: Comment + Sync, A: Answer>(
    comments: &[Option<C>],
    answers: &[A],
    options: impl Input,
) -> Result<crate::Keyness> {
    let o = Options::read(Operation::KeynessByAnswer, options)?;
    check_length("answers", comments.len(), answers.len())?;
    let (metric, scale) = o.named_metric(None)?;
    let categories = Classifier::new(metric, scale, o.missing())?.classify(answers)?;
    let names = categories.names;
    let target = o.target.as_deref().unwrap_or(names[0]);
    let reference = o.reference.as_deref().unwrap_or(names[names.len() - 1]);
    check_group("target", target, names)?;
    let t = names.iter().position(|n| *n == target).unwrap_or_default() as u8;
    let r = match reference {
        "rest" => None,
        _ => {
            check_group("reference", reference, names)?;
            if reference == target {
                return Err(CemError::param("reference", reference, "the reference must differ from the target"));
            }
            names.iter().position(|n| *n == reference).map(|r| r as u8)
        }
    };
    let rows = categories.codes.iter().map(|&c| match (c, r) {
        (Categories::MISSING, _) => None,
        (c, _) if c == t => Some(true),
        (c, Some(r)) => (c == r).then_some(false),
        (_, None) => Some(false),
    });
    keyness_rows(comments, rows, (target, reference), &o)
}

/// Each comment's terms with their occurrences (`ngrams`, `stop_words`), as rows (row, term, occurrences)
/// sorted by row then term: what an engine (Spark, DuckDB, Dask) groups by, with the row's group joined,
/// to build tallies itself. A missing or blank comment has no rows.
///
/// # Errors
/// Those of [`Options::read`] for [`Operation::Terms`].
///
/// ```
/// let rows = cem_core::operations::terms(&[Some("On hold, on hold!"), None], r#"{"ngrams": [2, 2]}"#)?;
/// assert_eq!(rows, [(0, "hold on".to_string(), 1), (0, "on hold".to_string(), 2)]);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn terms<C: Comment>(comments: &[Option<C>], options: impl Input) -> Result<Vec<(usize, String, u64)>> {
    let o = Options::read(Operation::Terms, options)?;
    let tokens = o.tokens(C::TOKEN_LISTS)?;
    Ok(comments
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.as_ref().map(|c| (i, c)))
        .flat_map(|(i, c)| crate::text::tokens::terms_of(c, &tokens).into_iter().map(move |(t, n)| (i, t, n)))
        .collect())
}

/// The tallies of the target rows (`Some(true)`) and the reference rows (`Some(false)`), then keyness.
/// Large inputs are counted in chunks across threads and merged: the counts are the one pass's.
fn keyness_rows<C: Comment + Sync>(
    comments: &[Option<C>],
    rows: impl Iterator<Item = Option<bool>>,
    labels: (&str, &str),
    o: &Options,
) -> Result<crate::Keyness> {
    let tokens = o.tokens(C::TOKEN_LISTS)?;
    let cap = o.max_terms();
    let sides: Vec<Option<bool>> = rows.collect();
    // Each thread adds the chunks it claims to a pair of tallies of its own (a tally's merge costs about
    // what counting does): one pair per thread, merged at the end. The first error stops a thread.
    let start =
        || -> Result<(TermTally, TermTally)> { Ok((TermTally::new(tokens.clone())?, TermTally::new(tokens.clone())?)) };
    let count = |pair: &mut Result<(TermTally, TermTally)>, range: std::ops::Range<usize>| {
        let Ok((target, reference)) = pair else { return };
        let mut scratch = Scratch::default();
        for (comment, side) in comments[range.clone()].iter().zip(&sides[range]) {
            let (Some(comment), Some(side)) = (comment, side) else { continue };
            let tally = if *side { &mut *target } else { &mut *reference };
            tally.add(comment, &mut scratch);
            if (target.len() + reference.len()) as u64 > cap {
                *pair = Err(too_many_terms(target.options(), cap));
                return;
            }
        }
    };
    // A comment costs about what counting 256 answers does: the threads are picked as for that many rows.
    let threads = crate::parallel::threads(comments.len().saturating_mul(256), 1);
    let parts = crate::parallel::fold(comments.len(), threads, start, count).into_iter().collect::<Result<Vec<_>>>()?;
    let (targets, references): (Vec<TermTally>, Vec<TermTally>) = parts.into_iter().unzip();
    // The targets' and the references' merges are independent: on two threads when there are parts to merge.
    let merged = |tallies: Vec<TermTally>| -> Result<TermTally> {
        let mut tallies = tallies.into_iter();
        let mut all = tallies.next().map_or_else(|| TermTally::new(tokens.clone()), Ok)?;
        for t in tallies {
            all.merge(&t)?;
        }
        Ok(all)
    };
    let (target, reference) = crate::parallel::both(targets.len() > 1, || merged(targets), || merged(references));
    let (target, reference) = (target?, reference?);
    if (target.len() + reference.len()) as u64 > cap {
        return Err(too_many_terms(target.options(), cap));
    }
    crate::text::keyness::keyness(&target, &reference, labels, &o.keyness())
}

fn check_length(what: &str, expected: usize, actual: usize) -> Result<()> {
    match expected == actual {
        true => Ok(()),
        false => Err(CemError::LengthMismatch { what: what.into(), expected, actual }),
    }
}

fn missing_group(index: usize) -> CemError {
    CemError::InvalidSegment {
        index,
        value: "null".into(),
        reason: "the row's group is missing (null, None, NaN or a blank CSV cell); drop those rows or pass \
                 missing=\"skip\""
            .into(),
    }
}

/// The groups for a message: the first 20, and how many more.
fn listed(names: &[&str]) -> String {
    let shown: Vec<&str> = names.iter().take(20).copied().collect();
    let more = names.len().saturating_sub(20);
    let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
    format!("the groups are {}{tail}", shown.join(", "))
}

fn check_group(option: &str, name: &str, names: &[&str]) -> Result<()> {
    match names.contains(&name) {
        true => Ok(()),
        false => Err(CemError::param(option, name, &format!("there is no such group; {}", listed(names)))),
    }
}

/// Comments as JavaScript and JSON give them: texts, or token lists when any row is a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Comments {
    /// One text per row (`None`: no comment).
    Texts(Vec<Option<String>>),
    /// One token list per row (`None`: no comment).
    Lists(Vec<Option<Vec<String>>>),
}

/// Reads comments from JSON values: a string is a comment, `null` none, an array of strings a token list
/// (then every row is one, or `null`); anything else is `not_text` naming its row.
///
/// # Errors
/// `not_text` with the row and the value.
///
/// ```
/// use cem_core::operations::{comments_from_json, Comments};
/// let c = comments_from_json(&serde_json::json!(["fine", null]).as_array().unwrap())?;
/// assert_eq!(c, Comments::Texts(vec![Some("fine".into()), None]));
/// let e = comments_from_json(&serde_json::json!(["fine", 3]).as_array().unwrap()).unwrap_err();
/// assert_eq!((e.code(), e.index()), ("not_text", Some(1)));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn comments_from_json(items: &[serde_json::Value]) -> Result<Comments> {
    use serde_json::Value;
    let not_text = |i: usize, v: &Value| CemError::not_text(i, &v.to_string());
    if items.iter().any(Value::is_array) {
        let list = |(i, v): (usize, &Value)| match v {
            Value::Null => Ok(None),
            Value::Array(tokens) => tokens
                .iter()
                .map(|t| t.as_str().map(str::to_string).ok_or_else(|| not_text(i, t)))
                .collect::<Result<Vec<String>>>()
                .map(Some),
            other => Err(not_text(i, other)),
        };
        return Ok(Comments::Lists(items.iter().enumerate().map(list).collect::<Result<_>>()?));
    }
    let text = |(i, v): (usize, &Value)| match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(not_text(i, other)),
    };
    Ok(Comments::Texts(items.iter().enumerate().map(text).collect::<Result<_>>()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_counted_across_threads_give_the_one_pass_table() {
        // Enough comments for several chunks on a machine with more than one core.
        let words = ["refund", "on", "hold", "easy", "app", "the", "slow", "great", "not", "very"];
        let comments: Vec<Option<String>> = (0..20_000usize)
            .map(|i| match i % 13 {
                0 => None,
                k => Some((0..k).map(|j| words[(i * 7 + j * j) % words.len()]).collect::<Vec<_>>().join(" ")),
            })
            .collect();
        let groups: Vec<&str> = (0..comments.len()).map(|i| if i % 3 == 0 { "a" } else { "b" }).collect();
        let options = r#"{"target": "a", "min_count": 1, "statistic": "weighted_log_odds"}"#;
        let got = keyness(&comments, &groups, options).unwrap();
        let mut a = TermTally::new(Default::default()).unwrap();
        let mut b = TermTally::new(Default::default()).unwrap();
        let side = |want: &str| -> Vec<Option<&str>> {
            comments.iter().zip(&groups).filter(|(_, g)| **g == want).map(|(c, _)| c.as_deref()).collect()
        };
        a.update(&side("a"), None).unwrap();
        b.update(&side("b"), None).unwrap();
        let o = Options::read(Operation::Keyness, options).unwrap();
        let want = crate::text::keyness::keyness(&a, &b, ("a", "rest"), &o.keyness()).unwrap();
        assert_eq!(got, want);
        assert!(got.terms.len() > 50 && got.target_texts > 6000);
    }
}
