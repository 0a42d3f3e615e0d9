//! `cem rake FILE --margins MARGINS.csv`: the CSV back with a `raked_weight` column — weights that make
//! the rows match the population margins (a CSV `variable,level,value`) — and the diagnostics on
//! standard error; and `--margins` on the scores, which rake first and score with those weights.
//!
//! Raking needs every row before any weight is known, so the file is read into memory (unlike the
//! scores, which stream). The margins' variables are columns of the file; a blank cell is a missing
//! value (`--missing`). `--weight` names the base (design) weights.

use std::io::Read;

use cem_core::{operations, RakeColumn, RakedEstimates, Raking};
use serde_json::{json, Value};

use crate::rows::{located, number};
use crate::{render, Cli, Failure, Format};

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

/// The file's rows, the raking of them and what it was made from.
struct Raked {
    header: csv::StringRecord,
    records: Vec<csv::StringRecord>,
    raking: Raking,
    columns: Vec<(String, RakeColumn)>,
    base: Option<Vec<f64>>,
    margins: Value,
    /// The raking's options (JSON).
    options: serde_json::Map<String, Value>,
}

/// Reads the file and rakes its rows to `--margins`.
fn rake_rows(cli: &Cli, name: &str, input: impl Read) -> Result<Raked, Failure> {
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
        columns.push((v.to_string(), RakeColumn::from_keys(&keys)));
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
    let raking =
        operations::rake(&columns, base.as_deref(), &margins, Value::Object(options.clone())).map_err(|e| {
            // A row's fault (a missing value, a level without a target, a bad base weight) is located in the file.
            let col = match e.code() {
                "invalid_weight" => cli.weight.clone().unwrap_or_default(),
                _ => "the raking variables".into(),
            };
            located(name, &col, e, 0)
        })?;
    Ok(Raked { header, records, raking, columns, base, margins, options })
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
    if let Some(flag) = crate::first_given(&[
        ("--answer", cli.answer.is_some()),
        ("--segment", cli.segment.is_some()),
        ("--trend", cli.trend.is_some()),
        ("--method", cli.method.is_some()),
        ("--against", cli.against.is_some()),
    ]) {
        return Err(Failure(format!("cem rake does not read {flag}: it writes the CSV back with raked weights")));
    }
    let Raked { header, records, raking, .. } = rake_rows(cli, name, input)?;
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
    if cli.calibrated {
        return calibrated(cli, name, input);
    }
    let Raked { header, records, raking, .. } = rake_rows(cli, name, input)?;
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

/// `--margins --calibrated`: the score of the raked rows, overall then per `--segment`, with its
/// calibration-aware standard error and interval (`operations::rake_estimate` from the raking made).
fn calibrated(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    if let Some(flag) = crate::first_given(&[
        ("--trend", cli.trend.is_some()),
        ("--against", cli.against.is_some()),
        ("--test", cli.test.is_some()),
        ("--alternative", cli.alternative.is_some()),
        ("--min-n", cli.min_n.is_some()),
    ]) {
        return Err(Failure(format!(
            "--calibrated gives a score per segment with its calibrated error, and each segment against the rest \
             (a Wald test, --correction, --alpha); it does not read {flag}"
        )));
    }
    let kind = crate::metric(cli)?;
    let r = rake_rows(cli, name, input)?;
    let position = |col: &str| {
        r.header.iter().position(|h| h == col).ok_or_else(|| {
            let all: Vec<&str> = r.header.iter().collect();
            Failure(format!("{name}: no column {col:?}; the columns are {}", all.join(", ")))
        })
    };
    let a = position(cli.answer())?;
    let answers: Vec<f64> =
        r.records.iter().enumerate().map(|(i, rec)| number(name, rec, a, cli.answer(), i)).collect::<Result<_, _>>()?;
    let segment = match &cli.segment {
        None => None,
        Some(col) => {
            let c = position(col)?;
            let keys: Vec<Option<&str>> =
                r.records.iter().map(|rec| Some(rec.get(c).unwrap_or("").trim()).filter(|k| !k.is_empty())).collect();
            Some(RakeColumn::from_keys(&keys))
        }
    };
    // The raking's options and the estimate's, as the core reads them in one object.
    let mut options = r.options.clone();
    let scale = crate::scale(cli)?;
    for (key, value) in [
        ("scale", scale.map(|s| json!(s))),
        ("threshold", cli.threshold.map(|v| json!(v))),
        ("version", cli.ces_version.map(|v| json!(v))),
        ("level", cli.level.map(|v| json!(v))),
        ("method", cli.method.as_ref().map(|v| json!(v))),
        ("correction", cli.correction.as_ref().map(|v| json!(v))),
        ("alpha", cli.alpha.map(|v| json!(v))),
    ] {
        if let Some(value) = value {
            options.insert(key.into(), value);
        }
    }
    let e = operations::rake_estimate(
        kind,
        &r.columns,
        r.base.as_deref(),
        &r.margins,
        Some(&r.raking),
        &answers,
        segment.as_ref(),
        Value::Object(options),
    )
    .map_err(|e| {
        let col = match e.code() {
            "invalid_segment" => cli.segment.clone().unwrap_or_default(),
            _ => cli.answer().to_string(),
        };
        located(name, &col, e, 0)
    })?;
    Ok(match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(&e).unwrap_or_default() + "\n",
        Format::Csv => calibrated_csv(&e),
        Format::Table => {
            let d = &e.diagnostics;
            format!(
                "{}Weighted to {}: design effect {:.3}, effective n {:.1} of {} rows ({} sweeps, max margin error \
                 {:.1e}); calibrated: the raking variables' part of the score has no sampling error\n",
                calibrated_table(cli.segment.as_deref(), &e),
                cli.margins.as_deref().unwrap_or_default(),
                d.design_effect,
                d.effective_n,
                d.n,
                d.sweeps,
                d.max_margin_error
            )
        }
    })
}

/// The rows of `--calibrated` as a table: the segment (or "all"), the value, the standard error with the
/// weights as fixed, the calibrated standard error and its interval, and with segments each one against
/// the rest (the difference, its calibrated standard error, p and adjusted p); n.
fn calibrated_table(segment: Option<&str>, e: &RakedEstimates) -> String {
    let level = e.rows.first().map_or(0.95, |r| r.estimate.interval.level);
    let mut head = vec![
        segment.unwrap_or("").to_string(),
        "value".into(),
        "SE (fixed weights)".into(),
        "calibrated SE".into(),
        format!("{:.0}% calibrated interval", level * 100.0),
    ];
    if segment.is_some() {
        head.extend(["vs rest".into(), "calibrated SE".into(), "p".into(), "adjusted p".into()]);
    }
    head.push("n".into());
    let mut cells = vec![head];
    for r in &e.rows {
        let d = 2;
        let interval = match (r.calibrated_lower, r.calibrated_upper) {
            (Some(lo), Some(hi)) => format!("[{lo:.d$}, {hi:.d$}]"),
            _ => "–".into(),
        };
        let mut row = vec![
            r.segment.clone().unwrap_or_else(|| "all".into()),
            format!("{:.d$}", r.estimate.value),
            render::num(r.estimate.standard_error, false, d),
            render::num(r.calibrated_standard_error, false, d),
            interval,
        ];
        if segment.is_some() {
            let flag = if r.significant { " *" } else { "" };
            row.extend([
                render::num(r.difference, true, d),
                render::num(r.difference_standard_error, false, d),
                render::p(r.p_value),
                render::p(r.adjusted_p_value) + flag,
            ]);
        }
        row.push(r.estimate.n.to_string());
        cells.push(row);
    }
    render::align(&cells)
}

/// The rows of `--calibrated` as CSV (the whole sample's segment empty).
fn calibrated_csv(e: &RakedEstimates) -> String {
    let mut out = String::from(
        "segment,metric,value,standard_error,calibrated_standard_error,calibrated_lower,calibrated_upper,level,n,\
         reference_value,difference,difference_standard_error,difference_lower,difference_upper,statistic,p_value,\
         adjusted_p_value,significant\n",
    );
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    for r in &e.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            render::csv_field(r.segment.as_deref().unwrap_or("")),
            r.estimate.metric.name(),
            r.estimate.value,
            opt(r.estimate.standard_error),
            opt(r.calibrated_standard_error),
            opt(r.calibrated_lower),
            opt(r.calibrated_upper),
            r.estimate.interval.level,
            r.estimate.n,
            opt(r.reference_value),
            opt(r.difference),
            opt(r.difference_standard_error),
            opt(r.difference_lower),
            opt(r.difference_upper),
            opt(r.statistic),
            opt(r.p_value),
            opt(r.adjusted_p_value),
            r.significant
        ));
    }
    out
}
