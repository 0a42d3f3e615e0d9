//! The `cem` command's logic: scores and segment benchmarks from CSV survey answers.
//!
//! The file is streamed (rows are counted into a tally chunk by chunk), so files larger than memory
//! work. Flags become the core's [`cem_core::Options`] and the run is one call of
//! [`cem_core::operations`] (`estimate_with` or `benchmark`) that this file feeds the rows to, so flags
//! mean what the Python and JavaScript options mean and a flag the run does not read is refused. A bad
//! cell stops the run with the file, row, column and value; no partial table is ever printed.

use std::collections::HashMap;
use std::io::{IsTerminal, Read};

use cem_core::{operations, Benchmark, Estimate, MetricKind, Options};
use clap::{Parser, ValueEnum};

mod drivers;
mod render;

#[derive(Parser)]
#[command(
    name = "cem",
    version,
    about = "Customer-experience scores (NPS, CSAT, CES) with honest intervals and segment benchmarks, from CSV"
)]
pub struct Cli {
    /// Metric: nps, csat or ces (also top_box, bottom_box, mean with --scale and --threshold), or
    /// `drivers` for key driver analysis (--outcome, --drivers).
    metric: String,
    /// CSV file with a header row, or `-` for standard input.
    pub file: String,
    /// Column holding the answers.
    #[arg(long, required_unless_present = "outcome")]
    answer: Option<String>,
    /// drivers: the outcome column (e.g. nps).
    #[arg(long)]
    outcome: Option<String>,
    /// drivers: the driver columns, comma-separated (e.g. ease,speed,price).
    #[arg(long)]
    drivers: Option<String>,
    /// drivers: how the outcome is scored: value (default), nps (−100/0/+100), promoter (100/0).
    #[arg(long)]
    outcome_score: Option<String>,
    /// Column holding the segment (region, channel, touchpoint…): benchmark every segment.
    #[arg(long, conflicts_with = "trend")]
    segment: Option<String>,
    /// Column holding ISO dates (YYYY-MM-DD…): the monthly trend, each month against the previous.
    #[arg(long)]
    trend: Option<String>,
    /// Column holding weights.
    #[arg(long)]
    weight: Option<String>,
    /// Reference: rest (default), overall, previous, benchmark=VALUE[±SE], segment=KEY.
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
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
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
    let against = match (&cli.against, &cli.trend) {
        (None, Some(_)) => Some("previous"),
        (a, _) => a.as_deref(),
    };
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
        against: against.map(str::parse).transpose()?,
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
    let opts = options(cli)?;
    let mut rows = Rows::open(cli, name, input)?;
    match rows.group_name() {
        None => {
            let e = operations::estimate_with(metric(cli)?, opts, |tally, missing| {
                rows.each_chunk(|_, _, answers, weights| tally.update(answers, weights, missing))
            })?;
            Ok(render_estimate(cli, &e))
        }
        Some(group) => {
            let label = if cli.trend.is_some() { "month".to_string() } else { group };
            let b = operations::benchmark(opts, |tally, missing| {
                rows.each_chunk(|codes, names, answers, weights| {
                    tally.update_codes(codes, names, answers, weights, missing)
                })
            })?;
            Ok(render_benchmark(cli, &label, &b))
        }
    }
}

/// The CSV's rows as chunks of (segment codes, segment names, answers, weights).
struct Rows<'a, R: Read> {
    cli: &'a Cli,
    name: &'a str,
    reader: csv::Reader<BlankLines<R>>,
    answer_col: usize,
    group_col: Option<usize>,
    weight_col: Option<usize>,
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
        let group = cli.segment.as_ref().or(cli.trend.as_ref());
        Ok(Rows {
            cli,
            name,
            answer_col: column(cli.answer.as_deref().unwrap_or_default())?,
            group_col: group.map(|c| column(c)).transpose()?,
            weight_col: cli.weight.as_ref().map(|c| column(c)).transpose()?,
            reader,
        })
    }

    fn group_name(&self) -> Option<String> {
        self.cli.segment.clone().or(self.cli.trend.clone())
    }

    /// Calls `count` on each chunk of rows; a core error it returns is located in the file.
    fn each_chunk(
        &mut self,
        mut count: impl FnMut(&[i64], &[String], &[f64], Option<&[f64]>) -> cem_core::Result<()>,
    ) -> Result<(), Failure> {
        let (cli, name) = (self.cli, self.name);
        let mut index: HashMap<String, i64> = HashMap::new();
        let mut names: Vec<String> = Vec::new();
        let (mut codes, mut answers, mut weights) = (Vec::with_capacity(CHUNK), Vec::with_capacity(CHUNK), Vec::new());
        let mut rows = 0usize; // data rows read so far
        let mut chunk_start = 0usize;
        let progress = std::io::stderr().is_terminal();
        let mut record = csv::StringRecord::new();
        let group_name = self.group_name();
        // Locates a core error (an index into the chunk) in the file, then reports it.
        let locate = |e: cem_core::CemError, start: usize| {
            let col = match e {
                cem_core::CemError::InvalidWeight { .. } => cli.weight.clone().unwrap_or_default(),
                cem_core::CemError::InvalidSegment { .. } => group_name.clone().unwrap_or_default(),
                _ => cli.answer.clone().unwrap_or_default(),
            };
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
        };
        loop {
            let more = self.reader.read_record(&mut record).map_err(|e| Failure(format!("{name}: {e}")))?;
            if more {
                let at = |col: &str, what: &str| {
                    Failure(format!("{name}: row {} (line {}), column {col:?}: {what}", rows + 1, rows + 2))
                };
                let cell = |c: usize, col: &str| -> Result<f64, Failure> {
                    let v = record.get(c).unwrap_or("").trim();
                    if v.is_empty() {
                        return Ok(f64::NAN); // blank: a missing answer
                    }
                    v.parse::<f64>().map_err(|_| at(col, &format!("{v:?} is not a number")))
                };
                answers.push(cell(self.answer_col, cli.answer.as_deref().unwrap_or_default())?);
                if let (Some(c), Some(col)) = (self.weight_col, &cli.weight) {
                    weights.push(cell(c, col)?);
                }
                let key = match self.group_col {
                    None => Some("all"),
                    Some(c) => {
                        let v = record.get(c).unwrap_or("").trim();
                        if let Some(col) = &cli.trend {
                            let month = v.get(..7).filter(|m| m.as_bytes().get(4) == Some(&b'-'));
                            Some(month.ok_or_else(|| at(col, &format!("{v:?} is not an ISO date (YYYY-MM-DD)")))?)
                        } else {
                            // A blank segment is a missing key, which the core refuses naming the row (as a
                            // null key is in Python and JavaScript).
                            Some(v).filter(|v| !v.is_empty())
                        }
                    }
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
                let w = self.weight_col.map(|_| weights.as_slice());
                count(&codes, &names, &answers, w).map_err(|e| locate(e, chunk_start))?;
                chunk_start = rows;
                codes.clear();
                answers.clear();
                weights.clear();
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

fn render_estimate(cli: &Cli, e: &Estimate) -> String {
    match cli.format {
        Format::Json => serde_json::to_string_pretty(e).unwrap_or_default() + "\n",
        Format::Csv => render::estimate_csv(e),
        Format::Table => render::estimate_table(e),
    }
}

fn render_benchmark(cli: &Cli, group: &str, b: &Benchmark) -> String {
    match cli.format {
        Format::Json => serde_json::to_string_pretty(b).unwrap_or_default() + "\n",
        Format::Csv => render::benchmark_csv(b),
        Format::Table => render::benchmark_table(group, b),
    }
}
