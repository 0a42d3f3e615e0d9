//! `cem classify`: the CSV back, row by row, with each answer's category appended.

use std::io::{Read, Write};

use cem_core::{operations, MetricKind, Options};

use crate::rows::{located, number, Rows, CHUNK};
use crate::{options, Cli, Failure};

/// `cem classify`: writes the CSV `input` back to `out` with a column `{answer}_category` appended —
/// each answer's category under `--metric` (default nps), empty for a blank answer under
/// `--missing skip` — chunk by chunk, in memory flat in the file's length. A bad cell stops the run;
/// the chunks before its own (65,536 rows each) have been written by then.
///
/// # Errors
/// A [`Failure`] naming the bad flag, or the file, row, line, column and value of the first bad cell.
pub fn classify(cli: &Cli, name: &str, input: impl Read, out: impl Write) -> Result<(), Failure> {
    if let Some(flag) = crate::first_given(&[
        ("--segment", cli.segment.is_some()),
        ("--trend", cli.trend.is_some()),
        ("--weight", cli.weight.is_some()),
        ("--format", cli.format.is_some()),
        ("--every", cli.every.is_some()),
    ]) {
        return Err(Failure(format!(
            "cem classify does not read {flag}: it writes the CSV back with a category column"
        )));
    }
    let metric = cli.classify_metric.as_deref().map(|m| MetricKind::parse_as("metric", &m.replace('-', "_")));
    let classifier = operations::classifier(Options { metric: metric.transpose()?, ..options(cli)? })?;
    let mut rows = Rows::open(cli, name, input)?;
    let written = |e: csv::Error| Failure(format!("writing the output: {e}"));
    let mut writer = csv::WriterBuilder::new().buffer_capacity(1 << 20).from_writer(out);
    let mut header = rows.reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.clone();
    header.push_field(&format!("{}_category", cli.answer()));
    writer.write_record(&header).map_err(written)?;
    // One chunk of records, reused: each read overwrites a record in place.
    let mut records = vec![csv::StringRecord::new(); CHUNK];
    let (mut answers, mut codes) = (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK));
    let mut start = 0usize; // data rows written so far
    loop {
        answers.clear();
        while answers.len() < CHUNK {
            let record = &mut records[answers.len()];
            if !rows.reader.read_record(record).map_err(|e| Failure(format!("{name}: {e}")))? {
                break;
            }
            answers.push(number(name, record, rows.answer_col, cli.answer(), start + answers.len())?);
        }
        codes.clear();
        classifier.classify_into(&answers, &mut codes).map_err(|e| located(name, cli.answer(), e, start))?;
        for (record, &code) in records.iter_mut().zip(&codes) {
            record.push_field(classifier.names().get(code as usize).copied().unwrap_or(""));
            writer.write_record(&*record).map_err(written)?;
        }
        start += answers.len();
        if answers.len() < CHUNK {
            break;
        }
    }
    writer.flush().map_err(|e| Failure(format!("writing the output: {e}")))
}
