//! The columns of a discovery, read once: the answer, weight or count columns by the options' names, and
//! each attribute encoded as one code per row into its values (sorted by name, as a benchmark's keys).

use std::collections::HashMap;

use super::cube::Units;
use super::options::DiscoverOptions;
use crate::error::{CemError, Result, Short};
use crate::order::argsort;
use crate::score::scale::Scale;
use crate::score::tally::{answer_from_text, check_len, check_weight, point, Missing};
use crate::segments::counts::{read, CountsTable};

/// One column of a table, as a binding or the CLI passes it.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    /// Numbers: answers, weights, counts, or an attribute of numbers (named by their decimal form); NaN
    /// is missing.
    Numbers(&'a [f64]),
    /// Texts: an attribute (or answers written as text); `None` is missing.
    Texts(&'a [Option<&'a str>]),
    /// A categorical column: codes into `names` (pandas categoricals, Arrow dictionaries); a negative
    /// code is missing.
    Codes {
        /// One code per row.
        codes: &'a [i64],
        /// The categories.
        names: &'a [String],
    },
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Numbers(v) => v.len(),
            Column::Texts(v) => v.len(),
            Column::Codes { codes, .. } => codes.len(),
        }
    }
}

/// The marker of a missing attribute value in a code column.
const MISSING: u32 = u32::MAX;

/// An attribute's codes (MISSING for a missing value) and its values.
struct Encoded {
    codes: Vec<u32>,
    values: Vec<String>,
}

/// A number as an attribute value names it: whole numbers without a decimal point.
fn number_name(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        Short(v).to_string()
    }
}

/// The name a blank attribute value takes when rows with blanks are kept (`missing: "error"`, the default).
const MISSING_VALUE: &str = "(missing)";

/// A blank attribute value as the value "(missing)", in its sorted place (joining a value of that name).
fn missing_as_value(e: &mut Encoded) {
    if !e.codes.contains(&MISSING) {
        return;
    }
    let at = match e.values.binary_search_by(|v| v.as_str().cmp(MISSING_VALUE)) {
        Ok(at) => at as u32,
        Err(at) => {
            e.values.insert(at, MISSING_VALUE.to_string());
            let at = at as u32;
            e.codes.iter_mut().filter(|c| **c != MISSING && **c >= at).for_each(|c| *c += 1);
            at
        }
    };
    e.codes.iter_mut().filter(|c| **c == MISSING).for_each(|c| *c = at);
}

/// Codes into names sorted by name (names repeated are one value).
fn sorted(codes: Vec<u32>, names: Vec<String>) -> Encoded {
    let order = argsort(names.len(), &|a, b| names[a].cmp(&names[b]));
    let mut values: Vec<String> = Vec::new();
    let mut recode = vec![0u32; names.len()];
    for &i in &order {
        if values.last() != Some(&names[i]) {
            values.push(names[i].clone());
        }
        recode[i] = (values.len() - 1) as u32;
    }
    let codes = codes.into_iter().map(|c| if c == MISSING { c } else { recode[c as usize] }).collect();
    Encoded { codes, values }
}

fn encode(name: &str, column: &Column<'_>) -> Result<Encoded> {
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut names: Vec<String> = Vec::new();
    let mut intern = |key: String| -> u32 {
        let next = names.len() as u32;
        *index.entry(key).or_insert_with_key(|k| {
            names.push(k.clone());
            next
        })
    };
    Ok(match column {
        Column::Texts(keys) => {
            // Borrowed keys: no string is made per row (the measured cost of a text column).
            let mut index: HashMap<&str, u32> = HashMap::new();
            let mut names: Vec<String> = Vec::new();
            let codes = keys
                .iter()
                .map(|k| match k {
                    None => MISSING,
                    Some(k) => *index.entry(k).or_insert_with(|| {
                        names.push(k.to_string());
                        (names.len() - 1) as u32
                    }),
                })
                .collect();
            sorted(codes, names)
        }
        Column::Numbers(values) => {
            let codes = values
                .iter()
                .map(|&v| if v.is_nan() { MISSING } else { intern(number_name(if v == 0.0 { 0.0 } else { v })) })
                .collect();
            sorted(codes, names)
        }
        Column::Codes { codes, names: categories } => {
            let codes = codes
                .iter()
                .enumerate()
                .map(|(i, &c)| match usize::try_from(c) {
                    Err(_) => Ok(MISSING),
                    Ok(c) if c < categories.len() => Ok(c as u32),
                    Ok(_) => Err(CemError::InvalidSegment {
                        index: i,
                        value: c.to_string(),
                        reason: format!(
                            "attribute {name} has {} categories, so codes run 0..{}",
                            categories.len(),
                            categories.len()
                        ),
                    }),
                })
                .collect::<Result<Vec<u32>>>()?;
            sorted(codes, categories.to_vec())
        }
    })
}

/// The units of a discovery with its attributes' names and values, and the answers skipped.
pub(crate) struct Read {
    pub(crate) units: Units,
    pub(crate) names: Vec<String>,
    pub(crate) values: Vec<Vec<String>>,
    pub(crate) skipped: u64,
}

/// Reads the columns named by the options into units on `scale`.
pub(crate) fn read_columns<S: AsRef<str>>(
    columns: &[(S, Column<'_>)],
    o: &DiscoverOptions,
    scale: Scale,
) -> Result<Read> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_ref()).collect();
    // Every named column is there (the operation checked, with a did-you-mean); this names it otherwise.
    let find = |key: &str, name: &str| {
        names.iter().position(|n| *n == name).map(|i| &columns[i].1).ok_or_else(|| {
            CemError::param(key, name, &format!("there is no column {name:?}; the columns are {}", names.join(", ")))
        })
    };
    let answer_name = o.answer.as_deref().ok_or_else(|| CemError::param("answer", "none", "name the answer column"))?;
    let answer = find("answer", answer_name)?;
    let numbers = |key: &str, name: &str| -> Result<&[f64]> {
        match find(key, name)? {
            Column::Numbers(v) => Ok(*v),
            _ => Err(CemError::param(key, name, "this column must hold numbers")),
        }
    };
    let weight = o.weight.as_deref().map(|w| numbers("weight", w)).transpose()?;
    let count = o.count.as_deref().map(|c| numbers("count", c)).transpose()?;
    let sums = match (&o.weight_sum, &o.weight_sq_sum) {
        (Some(s), Some(q)) => Some((numbers("weight_sum", s)?, numbers("weight_sq_sum", q)?)),
        (None, None) => None,
        (s, q) => {
            return Err(CemError::param(
                if s.is_some() { "weight_sum" } else { "weight_sq_sum" },
                s.as_deref().or(q.as_deref()).unwrap_or_default(),
                "a weighted counts cube needs both weight_sum (SUM(w)) and weight_sq_sum (SUM(w * w))",
            ))
        }
    };
    let used: Vec<&str> = [Some(answer_name), o.weight.as_deref(), o.count.as_deref()]
        .into_iter()
        .chain([o.weight_sum.as_deref(), o.weight_sq_sum.as_deref()])
        .flatten()
        .collect();
    let attr_names: Vec<String> = match &o.attributes {
        Some(a) => a.clone(),
        None => names.iter().filter(|n| !used.contains(n)).map(|n| n.to_string()).collect(),
    };
    if attr_names.is_empty() {
        return Err(CemError::param("attributes", "[]", "name at least one attribute column"));
    }
    for (i, a) in attr_names.iter().enumerate() {
        if attr_names[..i].contains(a) || used.contains(&a.as_str()) {
            return Err(CemError::param(
                "attributes",
                a,
                "an attribute is named once and is not the answer, weight or count",
            ));
        }
    }
    let attrs: Vec<&Column<'_>> = attr_names.iter().map(|a| find("attributes", a)).collect::<Result<_>>()?;
    let rows = answer.len();
    for (name, c) in attr_names.iter().zip(&attrs) {
        check_len(&format!("column {name}"), rows, c.len())?;
    }
    for (what, c) in [("weight", weight), ("count", count)] {
        if let Some(c) = c {
            check_len(what, rows, c.len())?;
        }
    }
    let encoded: Vec<Encoded> = attr_names.iter().zip(&attrs).map(|(n, c)| encode(n, c)).collect::<Result<_>>()?;
    let texts: Vec<f64>;
    let answers: &[f64] = match answer {
        Column::Numbers(v) => v,
        Column::Texts(t) => {
            texts = t
                .iter()
                .enumerate()
                .map(|(i, a)| a.map_or(Ok(f64::NAN), |a| answer_from_text(i, a)))
                .collect::<Result<_>>()?;
            &texts
        }
        Column::Codes { .. } => {
            return Err(CemError::param("answer", answer_name, "the answer column must hold numbers"))
        }
    };
    let missing = o.missing.unwrap_or_default();
    let mut encoded = encoded;
    if missing == Missing::Error {
        encoded.iter_mut().for_each(missing_as_value);
    }
    let mut r = Rows::new(encoded.len());
    match count {
        None => {
            for i in 0..rows {
                if let Some(w) = weight {
                    check_weight(i, w[i])?;
                }
                let Some(k) = point(scale, i, answers[i], missing)? else {
                    r.skipped += 1;
                    continue;
                };
                // Only under `skip` is an attribute still missing here: the row is left out.
                if encoded.iter().any(|e| e.codes[i] == MISSING) {
                    r.skipped += 1;
                    continue;
                }
                r.push(&encoded, i, k, 1, weight.map(|w| (w[i], w[i] * w[i])));
            }
        }
        Some(counts) => {
            let mut table = CountsTable::new(answers, counts);
            if let Some((s, q)) = sums {
                table = table.weighted(s, q);
            }
            table.check(&[])?;
            let group = |i: usize| -> String {
                let parts: Vec<String> = attr_names
                    .iter()
                    .zip(&encoded)
                    .map(|(n, e)| match e.codes[i] {
                        MISSING => format!("{n}=null"),
                        c => format!("{n}={}", e.values[c as usize]),
                    })
                    .collect();
                parts.join(" & ")
            };
            for i in 0..rows {
                let g = read(scale, &table, i, &|| group(i), missing)?;
                let Some(k) = g.point else {
                    r.skipped += g.count;
                    continue;
                };
                if encoded.iter().any(|e| e.codes[i] == MISSING) {
                    r.skipped += g.count;
                    continue;
                }
                if g.count > 0 {
                    r.push(&encoded, i, k, g.count, sums.map(|_| (g.sum, g.sum_sq)));
                }
            }
        }
    }
    let weighted = weight.is_some() || sums.is_some();
    let cubed = count.is_some();
    let mut units = Units {
        scale,
        cards: vec![0; encoded.len()],
        codes: r.codes,
        points: r.points,
        counts: cubed.then_some(r.counts),
        sums: weighted.then_some((r.sums, r.squares)),
    };
    let mut values = Vec::with_capacity(encoded.len());
    for (a, e) in encoded.into_iter().enumerate() {
        let v = fold(&mut units, a, e.values, &attr_names[a], o)?;
        values.push(v);
    }
    Ok(Read { units, names: attr_names, values, skipped: r.skipped })
}

/// The units being read.
struct Rows {
    codes: Vec<Vec<u32>>,
    points: Vec<u16>,
    counts: Vec<u64>,
    sums: Vec<f64>,
    squares: Vec<f64>,
    skipped: u64,
}

impl Rows {
    fn new(attributes: usize) -> Rows {
        Rows {
            codes: vec![Vec::new(); attributes],
            points: Vec::new(),
            counts: Vec::new(),
            sums: Vec::new(),
            squares: Vec::new(),
            skipped: 0,
        }
    }

    fn push(&mut self, encoded: &[Encoded], i: usize, point: usize, count: u64, w: Option<(f64, f64)>) {
        for (c, e) in self.codes.iter_mut().zip(encoded) {
            c.push(e.codes[i]);
        }
        self.points.push(point as u16);
        self.counts.push(count);
        if let Some((s, q)) = w {
            self.sums.push(s);
            self.squares.push(q);
        }
    }
}

/// The values of attribute `a` that hold answers (others dropped), at most `max_values` of them: more is
/// an error naming the column, or (`other`) the rarest folded into "other". Recodes the units.
fn fold(units: &mut Units, a: usize, values: Vec<String>, name: &str, o: &DiscoverOptions) -> Result<Vec<String>> {
    let mut n = vec![0u64; values.len()];
    for (i, &c) in units.codes[a].iter().enumerate() {
        n[c as usize] += units.counts.as_ref().map_or(1, |k| k[i]);
    }
    let present: Vec<usize> = (0..values.len()).filter(|&v| n[v] > 0).collect();
    let max = o.max_values.unwrap_or(50);
    let mut recode = vec![0u32; values.len()];
    let kept: Vec<String> = if present.len() <= max {
        for (k, &v) in present.iter().enumerate() {
            recode[v] = k as u32;
        }
        present.iter().map(|&v| values[v].clone()).collect()
    } else if o.other == Some(true) {
        // The max − 1 most frequent values (ties by name) keep their names, in name order; the rest is "other".
        let by_n = argsort(present.len(), &|x, y| n[present[y]].cmp(&n[present[x]]));
        let mut keep: Vec<usize> = by_n[..max - 1].iter().map(|&k| present[k]).collect();
        keep.sort_unstable();
        recode.iter_mut().for_each(|r| *r = (max - 1) as u32);
        for (k, &v) in keep.iter().enumerate() {
            recode[v] = k as u32;
        }
        keep.iter().map(|&v| values[v].clone()).chain(std::iter::once("other".to_string())).collect()
    } else {
        return Err(CemError::param(
            "attributes",
            name,
            &format!(
                "column {name} has {} distinct values, more than max_values = {max}: bin it (ranges, or a coarser \
                 grouping), raise max_values, or pass other=true to fold its rarest values into \"other\"",
                present.len()
            ),
        ));
    };
    units.codes[a].iter_mut().for_each(|c| *c = recode[*c as usize]);
    units.cards[a] = kept.len();
    Ok(kept)
}
