//! `cem rake FILE --margins MARGINS.csv`: the CSV back with a `raked_weight` column — weights that make
//! the rows match the population margins (a CSV `variable,level,value`) — and the diagnostics on
//! standard error; and `--margins` on the scores, which rake first and score with those weights.
//!
//! Raking needs every row before any weight is known, so the file is read into memory (unlike the
//! scores, which stream). The margins' variables are columns of the file; a blank cell is a missing
//! value (`--missing`). `--weight` names the base (design) weights.

use std::io::Read;

use cem_core::{operations, Raking};
use serde_json::{json, Value};

use crate::rows::{located, number};
use crate::{Cli, Failure, Format};

/// The name of the column of raked weights appended to the file.
pub(crate) const COLUMN: &str = "raked_weight";

/// The margins file: records `{variable, level, value}` for the core to read.
fn margins(path: &str) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure(format!("{path}: {e}")))?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| Failure(format!("{path}: {e}")))?.clone();
    let column = |name: &str| {
        headers.iter().position(|h| h.trim() == name).ok_or_else(|| {
            Failure(format!("{path}: no column {name:?}; a margins file has the columns variable,level,value"))
        })
    };
    let (v, l, x) = (column("variable")?, column("level")?, column("value")?);
    let mut records = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Failure(format!("{path}: {e}")))?;
        let cell = |c: usize| record.get(c).unwrap_or("").trim();
        let value: f64 = cell(x).parse().map_err(|_| {
            Failure(format!(
                "{path}: row {} (line {}), column \"value\": {:?} is not a number",
                row + 1,
                row + 2,
                cell(x)
            ))
        })?;
        records.push(json!({"variable": cell(v), "level": cell(l), "value": value}));
    }
    Ok(Value::Array(records))
}

/// The file's rows and the raking of them: (header, records, raking).
fn rake_rows(
    cli: &Cli,
    name: &str,
    input: impl Read,
) -> Result<(csv::StringRecord, Vec<csv::StringRecord>, Raking), Failure> {
    let path = cli.margins.as_deref().ok_or_else(|| Failure("cem rake needs --margins MARGINS.csv".into()))?;
    let margins = margins(path)?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let header = reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.clone();
    let records = reader.records().collect::<Result<Vec<_>, _>>().map_err(|e| Failure(format!("{name}: {e}")))?;
    // The variables the margins give (by name, as the core orders them), each a column of the file.
    let mut variables: Vec<&str> =
        margins.as_array().into_iter().flatten().filter_map(|r| r["variable"].as_str()).collect();
    variables.sort_unstable();
    variables.dedup();
    let mut columns = Vec::new();
    for v in variables {
        let Some(c) = header.iter().position(|h| h == v) else {
            continue; // the core names the variable that has no column, with the columns there are
        };
        let keys: Vec<Option<&str>> =
            records.iter().map(|r| Some(r.get(c).unwrap_or("").trim()).filter(|k| !k.is_empty())).collect();
        columns.push((v.to_string(), cem_core::RakeColumn::from_keys(&keys)));
    }
    if columns.is_empty() {
        let all: Vec<&str> = header.iter().collect();
        return Err(Failure(format!(
            "{name}: none of the margins' variables is a column; the columns are {}",
            all.join(", ")
        )));
    }
    let base = match &cli.weight {
        None => None,
        Some(col) => {
            let c = header.iter().position(|h| h == col).ok_or_else(|| {
                let all: Vec<&str> = header.iter().collect();
                Failure(format!("{name}: no column {col:?}; the columns are {}", all.join(", ")))
            })?;
            let cells: Result<Vec<f64>, Failure> =
                records.iter().enumerate().map(|(i, r)| number(name, r, c, col, i)).collect();
            Some(cells?)
        }
    };
    let mut options = serde_json::Map::new();
    let trim = cli.trim.as_deref().map(trim).transpose()?;
    for (key, value) in [
        ("tolerance", cli.tolerance.map(|v| json!(v))),
        ("max_sweeps", cli.max_sweeps.map(|v| json!(v))),
        ("trim", trim),
        ("trim_absolute", cli.trim_absolute.then_some(json!(true))),
        ("missing", cli.missing.as_ref().map(|v| json!(v))),
    ] {
        if let Some(value) = value {
            options.insert(key.into(), value);
        }
    }
    let raking = operations::rake(&columns, base.as_deref(), &margins, Value::Object(options)).map_err(|e| {
        // A row's fault (a missing value, a level without a target, a bad base weight) is located in the file.
        let col = match e.code() {
            "invalid_weight" => cli.weight.clone().unwrap_or_default(),
            _ => "the raking variables".into(),
        };
        located(name, &col, e, 0)
    })?;
    Ok((header, records, raking))
}

/// `--trim LO,HI` (either side may be empty: open).
fn trim(text: &str) -> Result<Value, Failure> {
    let (lo, hi) = text
        .split_once(',')
        .ok_or_else(|| Failure(format!("--trim {text}: write it as LOWER,UPPER, e.g. 0.3,3 (a side may be empty)")))?;
    let side = |v: &str| -> Result<Value, Failure> {
        match v.trim() {
            "" => Ok(Value::Null),
            v => v.parse::<f64>().map(|x| json!(x)).map_err(|_| Failure(format!("--trim {text}: {v} is not a number"))),
        }
    };
    Ok(json!([side(lo)?, side(hi)?]))
}

/// One line of diagnostics, for standard error.
pub(crate) fn summary(r: &Raking) -> String {
    let d = &r.diagnostics;
    format!(
        "cem rake: {} rows, {} sweeps, max margin error {:.1e} ({}={}), design effect {:.3}, effective n {:.1}, \
         weights {:.4}–{:.4} (ratio {:.1}){}",
        d.n,
        d.sweeps,
        d.max_margin_error,
        d.worst_margin.variable,
        d.worst_margin.level,
        d.design_effect,
        d.effective_n,
        d.weight_min,
        d.weight_max,
        d.weight_ratio,
        if d.trimmed_rows > 0 { format!(", {} rows trimmed", d.trimmed_rows) } else { String::new() }
    )
}

/// The rows as CSV with the raked weight appended.
fn weighted_csv(
    header: &csv::StringRecord,
    records: &[csv::StringRecord],
    weights: &[f64],
) -> Result<Vec<u8>, Failure> {
    let written = |e: csv::Error| Failure(format!("writing the output: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut h = header.clone();
    h.push_field(COLUMN);
    writer.write_record(&h).map_err(written)?;
    for (record, w) in records.iter().zip(weights) {
        let mut r = record.clone();
        r.push_field(&w.to_string());
        writer.write_record(&r).map_err(written)?;
    }
    writer.into_inner().map_err(|e| Failure(format!("writing the output: {e}")))
}

/// `cem rake`: the CSV with `raked_weight` (or, with `--format json`, the weights and diagnostics).
pub(crate) fn run(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    let given = [
        ("--answer", cli.answer.is_some()),
        ("--segment", cli.segment.is_some()),
        ("--trend", cli.trend.is_some()),
        ("--method", cli.method.is_some()),
        ("--against", cli.against.is_some()),
    ];
    if let Some((flag, _)) = given.into_iter().find(|f| f.1) {
        return Err(Failure(format!("cem rake does not read {flag}: it writes the CSV back with raked weights")));
    }
    let (header, records, raking) = rake_rows(cli, name, input)?;
    if let Some(Format::Json) = cli.format {
        return Ok(serde_json::to_string_pretty(&raking).unwrap_or_default() + "\n");
    }
    eprintln!("{}", summary(&raking));
    let bytes = weighted_csv(&header, &records, &raking.weights)?;
    String::from_utf8(bytes).map_err(|e| Failure(format!("writing the output: {e}")))
}

/// A score with `--margins`: raked first (the whole file in memory), then scored with the raked weights as
/// any weights, with a line on the raking under the table.
pub(crate) fn score(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    let (header, records, raking) = rake_rows(cli, name, input)?;
    let bytes = weighted_csv(&header, &records, &raking.weights)?;
    let scored = Cli { weight: Some(COLUMN.into()), margins: None, ..cli.clone() };
    let out = crate::run(&scored, name, bytes.as_slice())?;
    let d = &raking.diagnostics;
    Ok(match cli.format.unwrap_or(Format::Table) {
        Format::Table => format!(
            "{out}Weighted to {}: design effect {:.3}, effective n {:.1} of {} rows ({} sweeps, max margin error \
             {:.1e})\n",
            cli.margins.as_deref().unwrap_or_default(),
            d.design_effect,
            d.effective_n,
            d.n,
            d.sweeps,
            d.max_margin_error
        ),
        _ => {
            eprintln!("{}", summary(&raking));
            out
        }
    })
}
