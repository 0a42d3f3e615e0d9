//! `cem drivers FILE --outcome nps --drivers ease,speed,price [--segment region]`: key driver analysis.
//!
//! Rows are streamed into one driver tally (or one per segment) chunk by chunk, so memory stays flat;
//! the flags become the core's driver options (a flag the analysis does not read is refused by the core,
//! naming it) and each tally is analysed by `operations::drivers_tally`.

use std::collections::BTreeMap;
use std::io::Read;

use cem_core::{operations, DriverAnalysis, DriverTally};
use serde_json::{json, Value};

use crate::render::{csv_field, shown};
use crate::{Cli, Failure, Format};

/// Rows per chunk.
const CHUNK: usize = 1 << 16;

/// A segment's rows: its columns, and the file row of each.
type Rows = (Vec<Vec<f64>>, Vec<usize>);

/// The options of the run as the core reads them: every flag given, so that one the analysis does not
/// read is refused by name.
fn options(cli: &Cli) -> Result<(Value, Value), Failure> {
    let outcome =
        cli.outcome.clone().ok_or_else(|| Failure("drivers: name the outcome column with --outcome".into()))?;
    let mut tally = json!({ "outcome": outcome });
    let mut analysis = json!({});
    if let Some(d) = &cli.drivers {
        tally["drivers"] = d.split(',').map(|s| s.trim().to_string()).collect::<Vec<_>>().into();
    }
    let put = |target: &mut Value, key: &str, v: Option<Value>| {
        if let Some(v) = v {
            target[key] = v;
        }
    };
    put(&mut tally, "weight", cli.weight.clone().map(Value::from));
    put(&mut tally, "outcome_score", cli.outcome_score.clone().map(Value::from));
    put(&mut tally, "scale", crate::scale(cli)?.map(|s| json!(s)));
    put(&mut tally, "threshold", cli.threshold.map(Value::from));
    put(&mut tally, "missing", cli.missing.clone().map(Value::from));
    put(&mut analysis, "method", cli.method.clone().map(Value::from));
    put(&mut analysis, "level", cli.level.map(Value::from));
    if let Some(split) = &cli.split {
        let parts: Vec<f64> =
            split.split(',').map(|v| v.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| {
                Failure(format!("--split {split}: write it as SHARE,MEAN (share of R² in %, mean rating), e.g. 25,3.5"))
            })?;
        analysis["split"] = json!(parts);
    }
    // Flags of scores and benchmarks: passed on so that the core refuses them by name.
    for (key, v) in [
        ("against", cli.against.clone()),
        ("test", cli.test.clone()),
        ("alternative", cli.alternative.clone()),
        ("correction", cli.correction.clone()),
        ("answer", cli.answer.clone()),
    ] {
        put(&mut analysis, key, v.map(Value::from));
    }
    put(&mut analysis, "alpha", cli.alpha.map(Value::from));
    put(&mut analysis, "min_n", cli.min_n.map(Value::from));
    put(&mut analysis, "version", cli.ces_version.map(Value::from));
    Ok((tally, analysis))
}

/// Reads the CSV and renders the driver table (one per segment with `--segment`). With `--resamples`
/// the rows are kept (a case bootstrap resamples them) and each segment is analysed from its columns;
/// otherwise they are streamed into driver tallies.
pub(crate) fn run(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    let (mut tally_opts, analysis_opts) = options(cli)?;
    // The analysis's options are checked before any row is read.
    cem_core::DriverOptions::read(cem_core::Operation::DriversTally, analysis_opts.clone())?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.clone();
    let column = |col: &str| {
        headers.iter().position(|h| h == col).ok_or_else(|| {
            let all: Vec<&str> = headers.iter().collect();
            Failure(format!("{name}: no column {col:?}; the columns are {}", all.join(", ")))
        })
    };
    let outcome = tally_opts["outcome"].as_str().unwrap_or_default().to_string();
    let drivers: Vec<String> = match tally_opts.get("drivers").and_then(|d| d.as_array()) {
        Some(d) => d.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        None => return Err(Failure("drivers: name the driver columns with --drivers a,b,c".into())),
    };
    tally_opts["drivers"] = json!(drivers);
    let names: Vec<String> =
        std::iter::once(outcome.clone()).chain(drivers.iter().cloned()).chain(cli.weight.clone()).collect();
    let cols: Vec<usize> = names.iter().map(|n| column(n)).collect::<Result<_, _>>()?;
    let segment_col = cli.segment.as_ref().map(|s| column(s)).transpose()?;
    // An empty tally with the run's options (checked by the core once, before any row).
    let empty: Vec<(&str, &[f64])> = names.iter().map(|n| (n.as_str(), &[][..])).collect();
    let blank = operations::driver_tally(&empty, tally_opts.clone())?;
    let missing = json!({ "missing": tally_opts.get("missing").cloned().unwrap_or(Value::Null) });
    let mut tallies: BTreeMap<String, DriverTally> = BTreeMap::new();
    // Per segment: the chunk's columns and the file row of each of its rows.
    let mut chunks: BTreeMap<String, Rows> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let flush = |key: &str, data: &mut Rows, tallies: &mut BTreeMap<String, DriverTally>| {
        let t = tallies.entry(key.to_string()).or_insert_with(|| blank.clone());
        let columns: Vec<(&str, &[f64])> =
            names.iter().map(|n| n.as_str()).zip(data.0.iter().map(|c| &c[..])).collect();
        let result = operations::update_drivers(t, &columns, cli.weight.as_deref(), missing.clone());
        data.0.iter_mut().for_each(Vec::clear);
        let rows = std::mem::take(&mut data.1);
        result.map_err(|e| match e.index().and_then(|i| rows.get(i)) {
            Some(r) => Failure(format!("{name}: row {r} (line {}): {e} [{}]", r + 1, e.code())),
            None => Failure(format!("{name}: {e} [{}]", e.code())),
        })
    };
    loop {
        let more = reader.read_record(&mut record).map_err(|e| Failure(format!("{name}: {e}")))?;
        if !more {
            break;
        }
        row += 1;
        let key = segment_col.map_or("all", |c| record.get(c).unwrap_or("").trim()).to_string();
        let data = chunks.entry(key.clone()).or_insert_with(|| (vec![Vec::new(); names.len()], Vec::new()));
        data.1.push(row);
        for (j, &c) in cols.iter().enumerate() {
            let v = record.get(c).unwrap_or("").trim();
            let x = if v.is_empty() {
                f64::NAN
            } else {
                v.parse::<f64>().map_err(|_| {
                    Failure(format!(
                        "{name}: row {row} (line {}), column {:?}: {v:?} is not a number",
                        row + 1,
                        names[j]
                    ))
                })?
            };
            data.0[j].push(x);
        }
        if data.0[0].len() == CHUNK && cli.resamples.is_none() {
            flush(&key, data, &mut tallies)?;
        }
    }
    if let Some(resamples) = cli.resamples {
        return bootstrapped(cli, name, &names, &chunks, [&tally_opts, &analysis_opts], resamples);
    }
    for (key, data) in chunks.iter_mut() {
        if !data.0[0].is_empty() {
            flush(key, data, &mut tallies)?;
        }
    }
    if tallies.is_empty() {
        tallies.insert("all".into(), blank.clone());
    }
    let mut results = Vec::new();
    for (key, t) in &tallies {
        let a = operations::drivers_tally(t, analysis_opts.clone()).map_err(|e| {
            Failure(format!(
                "{name}: {}{e} [{}]",
                if segment_col.is_some() { format!("segment {key:?}: ") } else { String::new() },
                e.code()
            ))
        })?;
        results.push((key.clone(), a));
    }
    Ok(render(cli, &results))
}

/// Each segment analysed from its rows with a seeded case bootstrap: the run's tally and analysis options
/// plus `resamples` and `seed`, read by the core's `drivers`.
fn bootstrapped(
    cli: &Cli,
    name: &str,
    names: &[String],
    rows: &BTreeMap<String, Rows>,
    [tally_opts, analysis_opts]: [&Value; 2],
    resamples: u32,
) -> Result<String, Failure> {
    let mut options = tally_opts.clone();
    for (k, v) in analysis_opts.as_object().into_iter().flatten() {
        options[k] = v.clone();
    }
    options["resamples"] = json!(resamples);
    if let Some(seed) = cli.seed {
        options["seed"] = json!(seed);
    }
    let (whole, empty): (String, Rows) = ("all".to_string(), (vec![Vec::new(); names.len()], Vec::new()));
    let all: Vec<(&String, &Rows)> = if rows.is_empty() { vec![(&whole, &empty)] } else { rows.iter().collect() };
    let mut results = Vec::new();
    for (key, (data, file_rows)) in all {
        let columns: Vec<(&str, &[f64])> = names.iter().map(String::as_str).zip(data.iter().map(|c| &c[..])).collect();
        let a = operations::drivers(&columns, options.clone()).map_err(|e| {
            let segment = if cli.segment.is_some() { format!("segment {key:?}: ") } else { String::new() };
            match e.index().and_then(|i| file_rows.get(i)) {
                Some(r) => Failure(format!("{name}: {segment}row {r} (line {}): {e} [{}]", r + 1, e.code())),
                None => Failure(format!("{name}: {segment}{e} [{}]", e.code())),
            }
        })?;
        results.push((key.clone(), a));
    }
    Ok(render(cli, &results))
}

fn render(cli: &Cli, results: &[(String, DriverAnalysis)]) -> String {
    let segmented = cli.segment.is_some();
    match cli.format.unwrap_or(Format::Table) {
        Format::Json if segmented => {
            let map: serde_json::Map<String, Value> =
                results.iter().map(|(k, a)| (k.clone(), serde_json::to_value(a).unwrap_or_default())).collect();
            serde_json::to_string_pretty(&map).unwrap_or_default() + "\n"
        }
        Format::Json => serde_json::to_string_pretty(&results[0].1).unwrap_or_default() + "\n",
        Format::Csv => {
            let mut out = String::new();
            if segmented {
                out.push_str("segment,");
            }
            let boot = results.iter().any(|(_, a)| a.bootstrap.is_some());
            out.push_str("driver,importance,share,rank,sign,mean,mean_lower,mean_upper,top_box,quadrant,r2,n");
            out.push_str(if boot {
                ",importance_lower,importance_upper,share_lower,share_upper,first_probability\n"
            } else {
                "\n"
            });
            for (key, a) in results {
                for d in &a.drivers {
                    if segmented {
                        out.push_str(&format!("{},", csv_field(key)));
                    }
                    let top = d.top_box.map(|v| v.to_string()).unwrap_or_default();
                    out.push_str(&format!(
                        "{},{},{},{},{},{},{},{},{},{},{},{}\n",
                        csv_field(&d.driver),
                        d.importance,
                        d.share,
                        d.rank,
                        d.sign,
                        d.mean,
                        d.mean_lower,
                        d.mean_upper,
                        top,
                        d.quadrant,
                        a.r2,
                        a.n
                    ));
                    if boot {
                        out.pop();
                        let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
                        let b =
                            [d.importance_lower, d.importance_upper, d.share_lower, d.share_upper, d.first_probability];
                        out.push_str(&format!(",{}\n", b.map(cell).join(",")));
                    }
                }
            }
            out
        }
        Format::Table => {
            let mut out = String::new();
            for (key, a) in results {
                if segmented {
                    out.push_str(&format!("{}: {}\n", shown(cli.segment.as_deref().unwrap_or_default()), shown(key)));
                }
                out.push_str(&format!(
                    "Key drivers of {} ({}, {}): R² = {:.3}, n = {}{}\n",
                    shown(&a.outcome),
                    a.outcome_score,
                    a.method,
                    a.r2,
                    a.n,
                    if a.skipped > 0 { format!(", {} incomplete rows skipped", a.skipped) } else { String::new() }
                ));
                let has_top = a.drivers.iter().any(|d| d.top_box.is_some());
                let boot = a.bootstrap.is_some();
                out.push_str(&format!(
                    "{:<14} {:>10} {:>7} {:>4} {:>4} {:>22}{}{} {}\n",
                    "driver",
                    "importance",
                    "share",
                    "rank",
                    "sign",
                    format!("mean [{:.0}% CI]", a.level * 100.0),
                    if has_top { format!(" {:>8}", "top box") } else { String::new() },
                    if boot {
                        format!(" {:>16} {:>8}", format!("share [{:.0}% CI]", a.level * 100.0), "P(first)")
                    } else {
                        String::new()
                    },
                    "quadrant"
                ));
                for d in &a.drivers {
                    let interval = match (d.share_lower, d.share_upper, d.first_probability) {
                        (Some(lo), Some(hi), Some(p)) => format!(" {:>16} {:>8.2}", format!("[{lo:.1}, {hi:.1}]"), p),
                        _ => String::new(),
                    };
                    out.push_str(&format!(
                        "{:<14} {:>10.4} {:>6.1}% {:>4} {:>4} {:>22}{}{} {}\n",
                        shown(&d.driver),
                        d.importance,
                        d.share,
                        d.rank,
                        if d.sign < 0 { "−" } else { "+" },
                        format!("{:.2} [{:.2}, {:.2}]", d.mean, d.mean_lower, d.mean_upper),
                        d.top_box.map(|t| format!(" {:>7.1}%", t)).unwrap_or_default(),
                        interval,
                        d.quadrant
                    ));
                }
                if let Some(b) = &a.bootstrap {
                    out.push_str(&format!("(case bootstrap: {} resamples, seed {})\n", b.resamples, b.seed));
                }
                out.push('\n');
            }
            out.pop();
            out
        }
    }
}
