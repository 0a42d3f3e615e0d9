//! The `cem` command's logic: scores and segment benchmarks from CSV survey answers.
//!
//! The file is streamed (rows are counted into a tally chunk by chunk), so files larger than memory
//! work. Flags become the core's [`cem_core::Options`] and the run is one call of
//! [`cem_core::operations`] (`estimate_with` or `benchmark`) that this file feeds the rows to, so flags
//! mean what the Python and JavaScript options mean and a flag the run does not read is refused. A bad
//! cell stops the run with the file, row, column and value; no partial table is ever printed.
//!
//! `cem classify` ([`classify`]) streams the other way: the rows go back out, chunk by chunk, each with
//! its answer's category (`operations::classifier`) appended, so memory stays flat however long the file.
//! A bad cell stops it the same way, after the chunks before the cell's have been written.

use std::collections::HashMap;
use std::io::{IsTerminal, Read, Write};

use cem_core::{operations, Benchmark, Estimate, MetricKind, Options, Trend};
use clap::{Parser, ValueEnum};

mod drivers;
mod rake;
mod render;

#[derive(Parser, Clone)]
#[command(
    name = "cem",
    version,
    about = "Customer-experience scores (NPS, CSAT, CES) with honest intervals and segment benchmarks, from CSV"
)]
pub struct Cli {
    /// Metric: nps, csat or ces (also top_box, bottom_box, mean with --scale and --threshold); or
    /// `classify`: the CSV back with each answer's category appended (the metric by --metric); or
    /// `drivers` for key driver analysis (--outcome, --drivers); or `rake`: the CSV back with a
    /// `raked_weight` column matching the population margins (--margins).
    pub metric: String,
    /// CSV file with a header row, or `-` for standard input.
    pub file: String,
    /// Column holding the answers.
    #[arg(long, required_unless_present_any = ["outcome", "margins"])]
    answer: Option<String>,
    /// Population margins, a CSV with the columns variable,level,value (shares summing to 1 per variable,
    /// or counts with one total): `cem rake` writes the weights; a score rakes to them first (--weight
    /// then names the base weights).
    #[arg(long, conflicts_with = "count")]
    margins: Option<String>,
    /// Raking: the largest margin error accepted, max |achieved / target − 1| (default 1e-10).
    #[arg(long, requires = "margins")]
    tolerance: Option<f64>,
    /// Raking: sweeps allowed before the run fails as not converged (default 1000).
    #[arg(long, requires = "margins")]
    max_sweeps: Option<u32>,
    /// Raking: bounds LOWER,UPPER on each weight as multiples of the mean weight (a side may be empty).
    #[arg(long, requires = "margins")]
    trim: Option<String>,
    /// Raking: --trim bounds are weights, not multiples of the mean weight.
    #[arg(long, requires = "trim")]
    trim_absolute: bool,
    /// drivers: the outcome column (e.g. nps).
    #[arg(long)]
    outcome: Option<String>,
    /// drivers: the driver columns, comma-separated (e.g. ease,speed,price).
    #[arg(long)]
    drivers: Option<String>,
    /// drivers: how the outcome is scored: value (default), nps (−100/0/+100), promoter (100/0).
    #[arg(long)]
    outcome_score: Option<String>,
    /// drivers: where the quadrant map splits, SHARE,MEAN (share of R² in %, mean rating; default the
    /// drivers' mean importance and mean performance).
    #[arg(long)]
    split: Option<String>,
    /// drivers: bootstrap resamples for intervals of importance and share and the probability that each
    /// driver ranks first (the rows are then kept in memory).
    #[arg(long)]
    resamples: Option<u32>,
    /// drivers: the bootstrap's seed (default 0): the same numbers as every language gives for it.
    #[arg(long, requires = "resamples")]
    seed: Option<u64>,
    /// Column holding the segment (region, channel, touchpoint…): benchmark every segment (with
    /// --trend: a trend per segment).
    #[arg(long)]
    segment: Option<String>,
    /// Column holding dates (ISO YYYY-MM-DD, optionally with a time): the trend, each period against the
    /// previous (or --against trailing=K).
    #[arg(long)]
    trend: Option<String>,
    /// Periods of the trend: day, week (ISO), month (default), quarter or year.
    #[arg(long, requires = "trend")]
    every: Option<String>,
    /// Column holding weights.
    #[arg(long, conflicts_with = "count")]
    weight: Option<String>,
    /// The file is a counts table (an engine's GROUP BY output): this column holds each group's row count
    /// (the answer, segment and date columns its group; groups repeated add up).
    #[arg(long)]
    count: Option<String>,
    /// With --count: the column of each group's summed weights, SUM(w).
    #[arg(long, requires_all = ["count", "weight_sq_sum"])]
    weight_sum: Option<String>,
    /// With --count: the column of each group's summed squared weights, SUM(w * w).
    #[arg(long, requires_all = ["count", "weight_sum"])]
    weight_sq_sum: Option<String>,
    /// Reference: rest (default), overall, previous, trailing=K, benchmark=VALUE[±SE], segment=KEY; a
    /// trend: previous (default) or trailing=K.
    #[arg(long)]
    against: Option<String>,
    /// Interval method (e.g. adjusted_wald, score, wilson, t).
    #[arg(long)]
    method: Option<String>,
    /// Comparison test (e.g. wald, adjusted_wald, score, welch).
    #[arg(long)]
    test: Option<String>,
    /// Alternative hypothesis: two-sided (default), greater, less.
    #[arg(long)]
    alternative: Option<String>,
    /// Multiplicity correction (holm, bonferroni, hochberg, benjamini_hochberg, benjamini_yekutieli, none).
    #[arg(long)]
    correction: Option<String>,
    /// Confidence level.
    #[arg(long)]
    level: Option<f64>,
    /// Significance level for adjusted p-values.
    #[arg(long)]
    alpha: Option<f64>,
    /// Segments with fewer answers are flagged low n and not tested.
    #[arg(long)]
    min_n: Option<u64>,
    /// Missing (blank) answers: error or skip.
    #[arg(long)]
    missing: Option<String>,
    /// Box threshold (CSAT default: top two points).
    #[arg(long)]
    threshold: Option<i32>,
    /// CES version, 1 or 2.
    #[arg(long)]
    ces_version: Option<u8>,
    /// Scale as MIN..MAX (default per metric).
    #[arg(long)]
    scale: Option<String>,
    /// Output format (default table).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// `cem classify` only: the metric whose categories are appended (default nps).
    #[arg(long = "metric")]
    classify_metric: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
}

/// A flag's value in one of the core's vocabularies, parsed by the core (its message lists the names).
fn named<T: std::str::FromStr<Err = cem_core::CemError>>(value: &Option<String>) -> Result<Option<T>, Failure> {
    Ok(value.as_deref().map(str::parse).transpose()?)
}

/// A failure to report: what went wrong, where.
#[derive(Debug)]
pub struct Failure(pub String);

impl From<cem_core::CemError> for Failure {
    fn from(e: cem_core::CemError) -> Self {
        Failure(format!("{e} [{}]", e.code()))
    }
}

impl Cli {
    /// The answer column (required, by clap, unless the run is key driver analysis's `--outcome`).
    fn answer(&self) -> &str {
        self.answer.as_deref().unwrap_or_default()
    }
}

/// The metric named on the command line (`top-box` as readily as `top_box`).
fn metric(cli: &Cli) -> Result<MetricKind, Failure> {
    Ok(MetricKind::parse_as("metric", &cli.metric.replace('-', "_"))?)
}

/// `--scale MIN..MAX` as `[min, max]`.
fn scale(cli: &Cli) -> Result<Option<[i32; 2]>, Failure> {
    Ok(match &cli.scale {
        None => None,
        Some(s) => {
            let (lo, hi) =
                s.split_once("..").ok_or_else(|| Failure(format!("--scale {s}: write it as MIN..MAX, e.g. 1..5")))?;
            let parse =
                |v: &str| v.trim().parse::<i32>().map_err(|_| Failure(format!("--scale {s}: {v} is not an integer")));
            Some([parse(lo)?, parse(hi)?])
        }
    })
}

fn options(cli: &Cli) -> Result<Options, Failure> {
    let scale = scale(cli)?;
    let grouped = cli.segment.is_some() || cli.trend.is_some();
    Ok(Options {
        // A benchmark reads its metric from the options; a single score names it by the operation.
        metric: if grouped { Some(metric(cli)?) } else { None },
        scale,
        threshold: cli.threshold,
        version: cli.ces_version,
        missing: named(&cli.missing)?,
        level: cli.level,
        method: named(&cli.method)?,
        test: named(&cli.test)?,
        alternative: named(&cli.alternative)?,
        against: cli.against.as_deref().map(str::parse).transpose()?,
        every: named(&cli.every)?,
        correction: named(&cli.correction)?,
        alpha: cli.alpha,
        min_n: cli.min_n,
        ..Options::default()
    })
}

/// Rows counted per chunk: large enough to amortise the call, small enough to keep memory flat.
const CHUNK: usize = 1 << 16;

/// The input with, in a one-column file, each blank line written as `""`: the csv crate skips blank
/// lines, but in a column of answers a blank line is a missing answer, and skipping it would change n.
struct BlankLines<R> {
    input: std::io::BufReader<R>,
    one_column: Option<bool>,
    line: Vec<u8>,
    at: usize,
}

impl<R: Read> BlankLines<R> {
    fn new(input: R) -> Self {
        BlankLines {
            input: std::io::BufReader::with_capacity(1 << 20, input),
            one_column: None,
            line: Vec::new(),
            at: 0,
        }
    }
}

impl<R: Read> Read for BlankLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use std::io::BufRead;
        if self.one_column == Some(false) {
            return self.input.read(buf); // the csv crate's own reading, untouched
        }
        if self.at == self.line.len() {
            self.line.clear();
            self.at = 0;
            if self.input.read_until(b'\n', &mut self.line)? == 0 {
                return Ok(0);
            }
            match self.one_column {
                None => self.one_column = Some(!self.line.contains(&b',')), // the header line
                Some(_) if self.line.iter().all(|b| matches!(b, b'\r' | b'\n')) => {
                    self.line.splice(0..0, *b"\"\"");
                }
                Some(_) => {}
            }
        }
        let n = buf.len().min(self.line.len() - self.at);
        buf[..n].copy_from_slice(&self.line[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Reads the CSV `input` (called `name` in messages) and renders the score or benchmark table.
///
/// # Errors
/// A [`Failure`] naming the file, row, line, column and value of the first bad cell, or the bad option.
pub fn run(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    if cli.metric == "drivers" {
        return drivers::run(cli, name, input);
    }
    if cli.metric == "rake" {
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
        return rake::run(cli, name, input);
    }
    if cli.answer.is_none() {
        return Err(Failure(format!("cem {} needs --answer COLUMN", cli.metric)));
    }
    if cli.margins.is_some() {
        // Raked first (the whole file in memory), then scored with the raked weights as any weights.
        let (bytes, raking) = rake::weighted(cli, name, input)?;
        let scored = Cli { weight: Some(rake::COLUMN.into()), margins: None, ..cli.clone() };
        let out = run(&scored, name, bytes.as_slice())?;
        let d = &raking.diagnostics;
        return Ok(match cli.format.unwrap_or(Format::Table) {
            Format::Table => format!(
                "{out}Weighted to {}: design effect {:.3}, effective n {:.1} of {} rows ({} sweeps, max margin error {:.1e})\n",
                cli.margins.as_deref().unwrap_or_default(),
                d.design_effect,
                d.effective_n,
                d.n,
                d.sweeps,
                d.max_margin_error
            ),
            _ => {
                eprintln!("{}", rake::summary(&raking));
                out
            }
        });
    }
    if cli.classify_metric.is_some() {
        return Err(Failure(format!("--metric is read by cem classify; cem {} names its metric first", cli.metric)));
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

/// A chunk of rows: segment codes into names, answers, weights and dates (each where the run reads them);
/// in a counts file, each group's count and weight sums.
struct Chunk<'c> {
    counts: &'c [f64],
    sums: Option<&'c [f64]>,
    squares: Option<&'c [f64]>,
    codes: &'c [i64],
    names: &'c [String],
    answers: &'c [f64],
    weights: Option<&'c [f64]>,
    dates: &'c [&'c str],
}

/// The CSV's rows, read as [`Chunk`]s.
struct Rows<'a, R: Read> {
    cli: &'a Cli,
    name: &'a str,
    reader: csv::Reader<BlankLines<R>>,
    answer_col: usize,
    segment_col: Option<usize>,
    weight_col: Option<usize>,
    date_col: Option<usize>,
    /// Counts, weight sums and squared weight sums of a counts file.
    count_cols: [Option<usize>; 3],
}

impl<'a, R: Read> Rows<'a, R> {
    fn open(cli: &'a Cli, name: &'a str, input: R) -> Result<Self, Failure> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(BlankLines::new(input));
        let headers = reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.clone();
        let column = |col: &str| {
            headers.iter().position(|h| h == col).ok_or_else(|| {
                let all: Vec<&str> = headers.iter().collect();
                Failure(format!("{name}: no column {col:?}; the columns are {}", all.join(", ")))
            })
        };
        Ok(Rows {
            cli,
            name,
            answer_col: column(cli.answer())?,
            segment_col: cli.segment.as_ref().map(|c| column(c)).transpose()?,
            weight_col: cli.weight.as_ref().map(|c| column(c)).transpose()?,
            date_col: cli.trend.as_ref().map(|c| column(c)).transpose()?,
            count_cols: [
                cli.count.as_ref().map(|c| column(c)).transpose()?,
                cli.weight_sum.as_ref().map(|c| column(c)).transpose()?,
                cli.weight_sq_sum.as_ref().map(|c| column(c)).transpose()?,
            ],
            reader,
        })
    }

    /// Calls `count` on each chunk of rows; a core error it returns is located in the file.
    fn each_chunk(&mut self, mut count: impl FnMut(&Chunk) -> cem_core::Result<()>) -> Result<(), Failure> {
        let (cli, name) = (self.cli, self.name);
        let mut index: HashMap<String, i64> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let (mut codes, mut answers, mut weights) = (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK), Vec::new());
        let mut counted: [Vec<f64>; 3] = Default::default(); // counts, Σw, Σw² of a counts file
                                                             // The chunk's dates, one text: each row's date is a range of it (no string per row).
        let (mut date_text, mut date_ends) = (String::new(), Vec::new());
        let mut rows = 0usize; // data rows read so far
        let mut chunk_start = 0usize;
        let progress = std::io::stderr().is_terminal();
        let mut record = csv::StringRecord::new();
        // Locates a core error (an index into the chunk) in the file, then reports it.
        let locate = |e: cem_core::CemError, start: usize| {
            let col = match e {
                cem_core::CemError::InvalidWeight { .. } => cli.weight.clone().unwrap_or_default(),
                cem_core::CemError::InvalidSegment { .. } => cli.segment.clone().unwrap_or_default(),
                cem_core::CemError::InvalidDate { .. } => cli.trend.clone().unwrap_or_default(),
                _ => cli.answer().to_string(),
            };
            located(name, &col, e, start)
        };
        loop {
            let more = self.reader.read_record(&mut record).map_err(|e| Failure(format!("{name}: {e}")))?;
            if more {
                let cell = |c: usize, col: &str| number(name, &record, c, col, rows);
                answers.push(cell(self.answer_col, cli.answer())?);
                if let (Some(c), Some(col)) = (self.weight_col, &cli.weight) {
                    weights.push(cell(c, col)?);
                }
                let count_names = [&cli.count, &cli.weight_sum, &cli.weight_sq_sum];
                for ((col, name), out) in self.count_cols.iter().zip(count_names).zip(counted.iter_mut()) {
                    if let (Some(c), Some(name)) = (col, name) {
                        out.push(cell(*c, name)?);
                    }
                }
                if let Some(c) = self.date_col {
                    date_text.push_str(record.get(c).unwrap_or("").trim());
                    date_ends.push(date_text.len());
                }
                let key = match self.segment_col {
                    None => Some("all"),
                    // A blank segment is a missing key, which the core refuses naming the row (as a null
                    // key is in Python and JavaScript).
                    Some(c) => Some(record.get(c).unwrap_or("").trim()).filter(|v| !v.is_empty()),
                };
                let code = match key.map(|k| (k, index.get(k))) {
                    None => -1,
                    Some((_, Some(&c))) => c,
                    Some((k, None)) => {
                        names.push(k.to_string());
                        index.insert(k.to_string(), (names.len() - 1) as i64);
                        (names.len() - 1) as i64
                    }
                };
                codes.push(code);
                rows += 1;
            }
            if answers.len() == CHUNK || (!more && !answers.is_empty()) {
                let dates: Vec<&str> = date_ends
                    .iter()
                    .scan(0, |start, &end| Some(&date_text[std::mem::replace(start, end)..end]))
                    .collect();
                let chunk = Chunk {
                    counts: &counted[0],
                    sums: self.count_cols[1].map(|_| counted[1].as_slice()),
                    squares: self.count_cols[2].map(|_| counted[2].as_slice()),
                    codes: &codes,
                    names: &names,
                    answers: &answers,
                    weights: self.weight_col.map(|_| weights.as_slice()),
                    dates: &dates,
                };
                count(&chunk).map_err(|e| locate(e, chunk_start))?;
                chunk_start = rows;
                codes.clear();
                answers.clear();
                weights.clear();
                counted.iter_mut().for_each(Vec::clear);
                date_text.clear();
                date_ends.clear();
                if progress && rows.is_multiple_of(CHUNK * 16) {
                    eprint!("\rcem: {rows} rows");
                }
            }
            if !more {
                break;
            }
        }
        if progress && rows >= CHUNK * 16 {
            eprintln!("\rcem: {rows} rows");
        }
        Ok(())
    }
}

/// A cell as a number (blank: a missing answer, NaN); text is reported with its row and column.
fn number(name: &str, record: &csv::StringRecord, c: usize, col: &str, row: usize) -> Result<f64, Failure> {
    let v = record.get(c).unwrap_or("").trim();
    if v.is_empty() {
        return Ok(f64::NAN);
    }
    v.parse::<f64>().map_err(|_| {
        Failure(format!("{name}: row {} (line {}), column {col:?}: {v:?} is not a number", row + 1, row + 2))
    })
}

/// A core error located in the file (its index counts from data row `start` of the chunk).
fn located(name: &str, col: &str, e: cem_core::CemError, start: usize) -> Failure {
    match e.index() {
        // The core's stable code closes the message, as `.code` does in Python and JavaScript.
        Some(i) => Failure(format!(
            "{name}: row {} (line {}), column {col:?}: {e} [{}]",
            start + i + 1,
            start + i + 2,
            e.code()
        )),
        None => Failure(format!("{name}: {e} [{}]", e.code())),
    }
}

/// `cem classify`: writes the CSV `input` back to `out` with a column `{answer}_category` appended —
/// each answer's category under `--metric` (default nps), empty for a blank answer under
/// `--missing skip` — chunk by chunk, in memory flat in the file's length. A bad cell stops the run;
/// the chunks before its own (65,536 rows each) have been written by then.
///
/// # Errors
/// A [`Failure`] naming the bad flag, or the file, row, line, column and value of the first bad cell.
pub fn classify(cli: &Cli, name: &str, input: impl Read, out: impl Write) -> Result<(), Failure> {
    let given = [
        ("--segment", cli.segment.is_some()),
        ("--trend", cli.trend.is_some()),
        ("--weight", cli.weight.is_some()),
        ("--format", cli.format.is_some()),
        ("--every", cli.every.is_some()),
    ];
    if let Some((flag, _)) = given.into_iter().find(|f| f.1) {
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
