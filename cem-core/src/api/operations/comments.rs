//! What customers say: keyness of comments between groups or answer categories, and each comment's terms
//! for an engine. The statistics live in `text/`; here the groups are read and the tallies filled.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::api::options::{Input, Operation, Options};
use crate::error::{CemError, Result};
use crate::inference::adjust::{adjust_pvalues, Correction};
use crate::score::classify::{Categories, Classifier};
use crate::score::tally::{Answer, Missing};
use crate::segments::period::{Bins, Date};
use crate::segments::segment::Key;
use crate::text::tokens::Comment;

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
    keyness_crossed(comments, &[groups], options)
}

/// Keyness of comments between crossed groups: each row's group is its values in `columns` crossed, as
/// benchmark and discover spell a crossed segment (`North × web`, see [`crossed_key`](crate::crossed_key));
/// a row missing any of them has a missing group. `target` and `reference` name crossed groups. One column
/// is [`keyness`]; the options are its options.
///
/// # Errors
/// Those of [`keyness`]; `invalid_parameter` naming `groups` when no column is given.
///
/// ```
/// use cem_core::operations;
/// let comments = [Some("on hold"), Some("refund"), Some("easy"), Some("so easy")];
/// let (region, channel) = (["North", "North", "South", "North"], ["web", "app", "web", "web"]);
/// let k = operations::keyness_crossed(&comments, &[&region[..], &channel[..]],
///     r#"{"target": "North × web", "min_count": 1, "min_n": 1}"#)?;
/// assert_eq!((k.target_texts, k.reference_texts), (2, 2));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn keyness_crossed<C: Comment + Sync, K: Key>(
    comments: &[Option<C>],
    columns: &[&[K]],
    options: impl Input,
) -> Result<crate::Keyness> {
    let o = Options::read(Operation::Keyness, options)?;
    let sides = label_sides(comments.len(), columns, &o)?;
    table(comments, &sides.rows, &sides, &o, false)
}

/// Keyness of comments between periods: each row's date (an ISO text or a day number, as
/// [`trend`](super::trend) reads them) is binned by `every` (`day`, `week`, `month` — the default —,
/// `quarter`, `year`) by trend's one rule, and `target` and `reference` are period labels (`2025-Q3`,
/// `2025-W05`). By default the target is the latest period with a row and the reference the period
/// before it (this quarter against the last); `reference: "rest"` compares with every other period.
/// A missing date is `invalid_date` naming the row unless `missing: "skip"`. Other options as [`keyness`].
///
/// # Errors
/// Those of [`Date::day`](crate::Date::day) and of [`keyness`] (a target or reference that is no
/// period with rows lists the periods).
///
/// ```
/// use cem_core::operations;
/// let comments = [Some("on hold"), Some("refund"), Some("easy"), Some("on hold again")];
/// let dates = ["2025-02-10", "2025-05-01", "2025-03-31", "2025-06-30"];
/// let k = operations::keyness_by_period(&comments, &dates, r#"{"every": "quarter", "min_count": 1, "min_n": 1}"#)?;
/// assert_eq!((k.target.as_str(), k.reference.as_str(), k.target_texts), ("2025-Q2", "2025-Q1", 2));
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn keyness_by_period<C: Comment + Sync, D: Date>(
    comments: &[Option<C>],
    dates: &[D],
    options: impl Input,
) -> Result<crate::Keyness> {
    let o = Options::read(Operation::KeynessByPeriod, options)?;
    let sides = period_sides(comments.len(), dates, &o)?;
    table(comments, &sides.rows, &sides, &o, false)
}

/// How rows are split into the target and the reference, for [`keyness_by_segment`]: by group labels
/// (one column, or several crossed, as [`keyness_crossed`]), by an answer's categories (as
/// [`keyness_by_answer`]) or by periods of a date (as [`keyness_by_period`]).
#[derive(Debug, Clone, Copy)]
pub enum KeynessGroups<'a, K, A, D> {
    /// Group label columns, crossed when there are several.
    Labels(&'a [&'a [K]]),
    /// Each row's answer, classified by the metric's rule.
    Answers(&'a [A]),
    /// Each row's date, binned by `every`.
    Periods(&'a [D]),
}

/// One keyness table per segment: the rows of each segment (its values in `segments` crossed, sorted by
/// name) split into target and reference by `groups`, each segment's table as [`keyness_crossed`],
/// [`keyness_by_answer`] or [`keyness_by_period`] would give it on the segment's rows alone — except the
/// q-values, adjusted once across the tested terms of every table (the family is the whole search, as
/// discover's and trend's are), and the ranks, within each table by those q-values. Target and reference
/// default as for the whole data (a period default is the latest period overall). A segment where a side
/// has no comment is kept, flagged `low_n`, with no terms. A missing segment is `invalid_segment` naming
/// the row unless `missing: "skip"`. The options are those of the grouping's operation.
///
/// # Errors
/// Those of the grouping's operation; `length_mismatch` for a segment column of another length.
///
/// ```
/// use cem_core::operations::{self, KeynessGroups};
/// let comments = [Some("on hold"), Some("easy"), Some("on hold"), Some("easy"), Some("refund"), Some("easy")];
/// let region = ["North", "North", "South", "South", "South", "South"];
/// let answers = [2u8, 10, 3, 9, 0, 10];
/// let k = operations::keyness_by_segment(&comments, &[&region[..]], KeynessGroups::<&str, u8, i32>::Answers(&answers),
///     r#"{"min_count": 1, "min_n": 1}"#)?;
/// assert_eq!(k.segments.iter().map(|s| s.segment.as_str()).collect::<Vec<_>>(), ["North", "South"]);
/// assert_eq!(k.segments[1].keyness.target_texts, 2);
/// # Ok::<(), cem_core::CemError>(())
/// ```
pub fn keyness_by_segment<C: Comment + Sync, S: Key, K: Key, A: Answer, D: Date>(
    comments: &[Option<C>],
    segments: &[&[S]],
    groups: KeynessGroups<'_, K, A, D>,
    options: impl Input,
) -> Result<KeynessBySegment> {
    let n = comments.len();
    let (sides, o) = match groups {
        KeynessGroups::Labels(columns) => {
            let o = Options::read(Operation::Keyness, options)?;
            (label_sides(n, columns, &o)?, o)
        }
        KeynessGroups::Answers(answers) => {
            let o = Options::read(Operation::KeynessByAnswer, options)?;
            (answer_sides(n, answers, &o)?, o)
        }
        KeynessGroups::Periods(dates) => {
            let o = Options::read(Operation::KeynessByPeriod, options)?;
            (period_sides(n, dates, &o)?, o)
        }
    };
    let labels = row_labels(n, segments, "segments", o.missing() == Missing::Skip)?;
    let names = sorted_names(&labels);
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let rows: Vec<Option<bool>> =
            sides.rows.iter().zip(&labels).map(|(&s, l)| s.filter(|_| l.as_deref() == Some(name))).collect();
        tables.push(SegmentKeyness { segment: name.to_string(), keyness: table(comments, &rows, &sides, &o, true)? });
    }
    let correction = o.keyness().correction;
    Ok(KeynessBySegment { tested: adjust_across(&mut tables, correction)?, correction, segments: tables })
}

/// One segment's keyness table, for [`keyness_by_segment`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentKeyness {
    /// The segment (its values crossed, `North × web`).
    pub segment: String,
    /// Its table (the q-values adjusted across every segment's tested terms).
    #[serde(flatten)]
    pub keyness: crate::Keyness,
}

/// A keyness table per segment: [`keyness_by_segment`]'s result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeynessBySegment {
    /// The segments' tables, by segment name.
    pub segments: Vec<SegmentKeyness>,
    /// Terms tested across every table: the family the correction covers.
    pub tested: usize,
    /// The correction, applied once across the tables.
    pub correction: Correction,
}

/// Each row's side — target `Some(true)`, reference `Some(false)`, left out `None` — and the labels.
struct Sides {
    rows: Vec<Option<bool>>,
    target: String,
    reference: String,
}

/// Each row's label: its values in `columns` crossed (borrowed for one column); `None` when one is missing,
/// an `invalid_segment` error naming the row unless `skip`.
fn row_labels<'a, K: Key>(n: usize, columns: &[&'a [K]], what: &str, skip: bool) -> Result<Vec<Option<Cow<'a, str>>>> {
    if columns.is_empty() {
        return Err(CemError::param(what, "[]", "give at least one column"));
    }
    for c in columns {
        check_length(what, n, c.len())?;
    }
    let mut labels = Vec::with_capacity(n);
    let mut parts: Vec<&str> = Vec::with_capacity(columns.len());
    for i in 0..n {
        parts.clear();
        parts.extend(columns.iter().map_while(|c| c[i].name()));
        labels.push(match (parts.len() == columns.len(), columns.len()) {
            (true, 1) => Some(Cow::Borrowed(parts[0])),
            (true, _) => Some(Cow::Owned(crate::crossed_key(&parts))),
            (false, _) if skip => None,
            (false, _) => return Err(missing_group(i)),
        });
    }
    Ok(labels)
}

/// The distinct labels, sorted.
fn sorted_names<'a>(labels: &'a [Option<Cow<'_, str>>]) -> Vec<&'a str> {
    let names: Vec<&str> = labels.iter().filter_map(|l| l.as_deref()).collect();
    let order = crate::order::argsort(names.len(), &|a, b| names[a].cmp(names[b]));
    let mut names = crate::order::permute(names, &order);
    names.dedup();
    names
}

fn label_sides<K: Key>(n: usize, columns: &[&[K]], o: &Options) -> Result<Sides> {
    let labels = row_labels(n, columns, "groups", o.missing() == Missing::Skip)?;
    let names = sorted_names(&labels);
    let target = match &o.target {
        Some(t) => t.as_str(),
        None => {
            return Err(CemError::param("target", "none", &format!("name the group to examine: {}", listed(&names))))
        }
    };
    let reference = o.reference.as_deref().unwrap_or("rest");
    check_sides(target, reference, &names)?;
    let rows = labels
        .iter()
        .map(|l| match l.as_deref() {
            Some(name) if name == target => Some(true),
            Some(name) => (reference == "rest" || name == reference).then_some(false),
            None => None,
        })
        .collect();
    Ok(Sides { rows, target: target.to_string(), reference: reference.to_string() })
}

fn answer_sides<A: Answer>(n: usize, answers: &[A], o: &Options) -> Result<Sides> {
    check_length("answers", n, answers.len())?;
    let (metric, scale) = o.named_metric(None)?;
    let categories = Classifier::new(metric, scale, o.missing())?.classify(answers)?;
    let names = categories.names;
    let target = o.target.as_deref().unwrap_or(names[0]);
    let reference = o.reference.as_deref().unwrap_or(names[names.len() - 1]);
    check_sides(target, reference, names)?;
    let code = |name: &str| names.iter().position(|n| *n == name).map(|c| c as u8);
    let (t, r) = (code(target), code(reference));
    let rows = categories
        .codes
        .iter()
        .map(|&c| match c {
            Categories::MISSING => None,
            c if Some(c) == t => Some(true),
            c => (r.is_none() || Some(c) == r).then_some(false),
        })
        .collect();
    Ok(Sides { rows, target: target.to_string(), reference: reference.to_string() })
}

fn period_sides<D: Date>(n: usize, dates: &[D], o: &Options) -> Result<Sides> {
    const MISSING: i32 = i32::MIN;
    check_length("dates", n, dates.len())?;
    let skip = o.missing() == Missing::Skip;
    let mut periods = Vec::with_capacity(n);
    for (i, d) in dates.iter().enumerate() {
        match d.day(i)? {
            Some(day) => periods.push(day),
            None if skip => periods.push(MISSING),
            None => {
                return Err(CemError::InvalidDate {
                    index: i,
                    value: "missing".into(),
                    reason: "the date is missing; remove the row or use the missing policy \"skip\"".into(),
                })
            }
        }
    }
    let every = o.every.unwrap_or_default();
    Bins::new(every).bin(&mut periods, MISSING);
    let mut present: Vec<i32> = periods.iter().copied().filter(|&p| p != MISSING).collect();
    present.sort_unstable();
    present.dedup();
    let Some(&latest) = present.last() else {
        return Err(CemError::Empty { what: "the dates (every one is missing)".into() });
    };
    let labels: Vec<String> = present.iter().map(|&p| every.label(p)).collect();
    let names: Vec<&str> = labels.iter().map(String::as_str).collect();
    let period = |label: &str| every.parse_label(label);
    let target = o.target.clone().unwrap_or_else(|| every.label(latest));
    let reference = match &o.reference {
        Some(r) => r.clone(),
        // The period before the target (when the target is a period label; else the check below says so).
        None => period(&target).map_or_else(|| "rest".into(), |t| every.label(t - 1)),
    };
    check_sides(&target, &reference, &names)?;
    let (t, r) = (period(&target), period(&reference));
    let rows = periods
        .iter()
        .map(|&p| match p {
            MISSING => None,
            p if Some(p) == t => Some(true),
            p => (r.is_none() || Some(p) == r).then_some(false),
        })
        .collect();
    Ok(Sides { rows, target, reference })
}

/// The target and the reference (or `rest`) are groups, and differ.
fn check_sides(target: &str, reference: &str, names: &[&str]) -> Result<()> {
    check_group("target", target, names)?;
    if reference != "rest" {
        check_group("reference", reference, names)?;
        if reference == target {
            return Err(CemError::param("reference", reference, "the reference must differ from the target"));
        }
    }
    Ok(())
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
    let sides = answer_sides(comments.len(), answers, &o)?;
    table(comments, &sides.rows, &sides, &o, false)
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

/// The keyness table of the rows whose side is given. In a `segment`'s table a side without comments is
/// flagged `low_n` with no terms (no rate can be computed); in the whole data's it is the `empty` error.
fn table<C: Comment + Sync>(
    comments: &[Option<C>],
    rows: &[Option<bool>],
    sides: &Sides,
    o: &Options,
    segment: bool,
) -> Result<crate::Keyness> {
    let counted = crate::text::count::count(comments, rows, &o.tokens(C::TOKEN_LISTS)?, o.max_terms())?;
    let labels = (sides.target.as_str(), sides.reference.as_str());
    let (texts, tokens) = (counted.texts(), counted.tokens());
    if !segment || (texts[0] > 0 && texts[1] > 0) {
        return crate::text::keyness::keyness_of(&counted, labels, &o.keyness());
    }
    Ok(crate::Keyness {
        target: labels.0.to_string(),
        reference: labels.1.to_string(),
        target_texts: texts[0],
        reference_texts: texts[1],
        target_tokens: tokens[0],
        reference_tokens: tokens[1],
        low_n: true,
        tested: 0,
        statistic: o.keyness().statistic,
        terms: Vec::new(),
    })
}

/// The q-values of every table's tested terms adjusted as one family, and each table re-ranked by them
/// (smallest q, then p, then largest |difference|, then the table's order); returns the family's size.
fn adjust_across(tables: &mut [SegmentKeyness], correction: Correction) -> Result<usize> {
    let p: Vec<f64> = tables.iter().flat_map(|t| &t.keyness.terms).filter_map(|r| r.p_value).collect();
    let mut q = adjust_pvalues(&p, correction)?.into_iter();
    for t in tables.iter_mut() {
        let terms = std::mem::take(&mut t.keyness.terms);
        let mut terms: Vec<crate::KeynessRow> =
            terms.into_iter().map(|r| crate::KeynessRow { q_value: r.p_value.and_then(|_| q.next()), ..r }).collect();
        let key = |r: &crate::KeynessRow| (r.q_value.unwrap_or(2.0), r.p_value.unwrap_or(2.0), -r.difference.abs());
        let order = crate::order::argsort(terms.len(), &|a, b| {
            key(&terms[a]).partial_cmp(&key(&terms[b])).unwrap_or(std::cmp::Ordering::Equal)
        });
        terms = crate::order::permute(terms, &order);
        for (rank, r) in terms.iter_mut().enumerate() {
            r.rank = rank + 1;
        }
        t.keyness.terms = terms;
    }
    Ok(p.len())
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
    use crate::text::tally::TermTally;

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
