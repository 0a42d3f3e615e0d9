//! `cem nps|csat|ces|…`: a score, a segment benchmark (`--segment`) or a trend (`--trend`) of the file's
//! answers — or of a counts file's groups (`--count`) — as one call of the core's operation, fed chunk by
//! chunk, and its table rendered.

use std::io::Read;

use cem_core::{operations, Benchmark, Estimate, Options, Trend};

use crate::rows::{Chunk, Rows};
use crate::{discover, drivers, keyness, metric, options, rake, render, Cli, Failure, Format};

/// Reads the CSV `input` (called `name` in messages) and renders the score or benchmark table.
///
/// # Errors
/// A [`Failure`] naming the file, row, line, column and value of the first bad cell, or the bad option.
pub fn run(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    if cli.metric == "drivers" {
        return drivers::run(cli, name, input);
    }
    if cli.metric == "discover" {
        return discover::run(cli, name, input);
    }
    if cli.metric == "keyness" {
        return keyness::run(cli, name, input);
    }
    if cli.metric == "rake" {
        return rake::run(cli, name, input);
    }
    if cli.answer.is_none() {
        return Err(Failure(format!("cem {} needs --answer COLUMN", cli.metric)));
    }
    if cli.margins.is_some() {
        return rake::score(cli, name, input);
    }
    if cli.classify_metric.is_some() {
        return Err(Failure(format!("--metric is read by cem classify; cem {} names its metric first", cli.metric)));
    }
    if let Some(flag) = crate::keyness_flag(cli) {
        return Err(Failure(format!("{flag} is read by cem keyness, not by cem {}", cli.metric)));
    }
    let opts = options(cli)?;
    let mut rows = Rows::open(cli, name, input)?;
    if cli.count.is_some() {
        return counts_table(cli, opts, &mut rows);
    }
    match (&cli.trend, &cli.segment) {
        (Some(_), segment) => {
            let t = operations::trend(opts, segment.is_some(), |t, missing| {
                rows.each_chunk(|c| match segment {
                    Some(_) => t.update_codes(c.dates, c.codes, c.names, c.answers, c.weights, missing),
                    None => t.update(c.dates, c.answers, c.weights, missing),
                })
            })?;
            Ok(render_trend(cli, &t))
        }
        (None, Some(segment)) => {
            let b = operations::benchmark(opts, |tally, missing| {
                rows.each_chunk(|c| tally.update_codes(c.codes, c.names, c.answers, c.weights, missing))
            })?;
            Ok(render_benchmark(cli, segment, &b))
        }
        (None, None) => {
            let e = operations::estimate_with(metric(cli)?, opts, |tally, missing| {
                rows.each_chunk(|c| tally.update(c.answers, c.weights, missing))
            })?;
            Ok(render_estimate(cli, &e))
        }
    }
}

/// A chunk's counts table.
fn table<'c>(c: &Chunk<'c>) -> cem_core::CountsTable<'c, f64> {
    cem_core::CountsTable { answers: c.answers, counts: c.counts, weight_sums: c.sums, weight_sq_sums: c.squares }
}

/// A counts file (`--count`): each chunk of groups added as a counts table, scored as its rows would be.
fn counts_table<R: Read>(cli: &Cli, opts: Options, rows: &mut Rows<'_, R>) -> Result<String, Failure> {
    let keys = |c: &Chunk| -> Vec<Option<String>> {
        c.codes.iter().map(|&k| usize::try_from(k).ok().map(|k| c.names[k].clone())).collect()
    };
    match (&cli.trend, &cli.segment) {
        (Some(_), segment) => {
            let t = operations::trend(opts, segment.is_some(), |t, missing| {
                rows.each_chunk(|c| {
                    let k = segment.as_ref().map(|_| keys(c));
                    t.update_counts_table(c.dates, k.as_deref(), &table(c), missing)
                })
            })?;
            Ok(render_trend(cli, &t))
        }
        (None, Some(segment)) => {
            let b = operations::benchmark(opts, |s, missing| {
                rows.each_chunk(|c| s.update_counts_table(&keys(c), &table(c), missing))
            })?;
            Ok(render_benchmark(cli, segment, &b))
        }
        (None, None) => {
            let e = operations::estimate_with(metric(cli)?, opts, |t, missing| {
                rows.each_chunk(|c| t.update_counts_table(&table(c), missing))
            })?;
            Ok(render_estimate(cli, &e))
        }
    }
}

fn render_estimate(cli: &Cli, e: &Estimate) -> String {
    match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(e).unwrap_or_default() + "\n",
        Format::Csv => render::estimate_csv(e),
        Format::Table => render::estimate_table(e),
    }
}

fn render_trend(cli: &Cli, t: &Trend) -> String {
    match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(t).unwrap_or_default() + "\n",
        Format::Csv => render::trend_csv(t),
        Format::Table => render::trend_table(cli.segment.as_deref(), t),
    }
}

fn render_benchmark(cli: &Cli, group: &str, b: &Benchmark) -> String {
    match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(b).unwrap_or_default() + "\n",
        Format::Csv => render::benchmark_csv(b),
        Format::Table => render::benchmark_table(group, b),
    }
}
