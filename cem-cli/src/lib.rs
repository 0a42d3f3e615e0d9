//! The `cem` command's logic: scores and segment benchmarks from CSV survey answers.
//!
//! The file is streamed (rows are counted into a tally chunk by chunk), so files larger than memory
//! work. Flags become the core's [`cem_core::Options`] and the run is one call of
//! [`cem_core::operations`] (`estimate_with` or `benchmark`) that this file feeds the rows to, so flags
//! mean what the Python and JavaScript options mean and a flag the run does not read is refused. A bad
//! cell stops the run with the file, row, column and value; no partial table is ever printed.
//!
//! `cem classify` ([`classify()`]) streams the other way: the rows go back out, chunk by chunk, each with
//! its answer's category (`operations::classifier`) appended, so memory stays flat however long the file.
//! A bad cell stops it the same way, after the chunks before the cell's have been written.
//!
//! One module per command — [`score`](run) (a score, benchmark or trend), [`classify()`], `drivers`, `rake` — over
//! the CSV reader they share (`rows`); this file holds the flags and what they mean to the core.

use cem_core::{MetricKind, Options};
use clap::{Parser, ValueEnum};

mod classify;
mod discover;
mod drivers;
mod keyness;
mod rake;
mod render;
mod rows;
mod score;

pub use classify::classify;
pub use score::run;

pub use render::shown;

#[derive(Parser, Clone)]
#[command(group(clap::ArgGroup::new("random").multiple(true).args(["resamples", "permutations"])))]
#[command(
    name = "cem",
    version,
    about = "Customer-experience scores (NPS, CSAT, CES) with honest intervals and segment benchmarks, from CSV"
)]
pub struct Cli {
    /// Metric: nps, csat or ces (also top_box, bottom_box, mean with --scale and --threshold); or
    /// `classify`: the CSV back with each answer's category appended (the metric by --metric); or
    /// `drivers` for key driver analysis (--outcome, --drivers); `discover` for data-driven segments
    /// (--answer, --attributes, --depth); `keyness` for what comments say (--text); or `rake`: the CSV
    /// back with a `raked_weight` column matching the population margins (--margins).
    pub metric: String,
    /// CSV file with a header row, or `-` for standard input.
    pub file: String,
    /// Column holding the answers.
    #[arg(long, required_unless_present_any = ["outcome", "text", "margins"])]
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
    /// With --margins: each score's calibration-aware (linearised) standard error and interval, overall
    /// and per --segment — the raking variables' part of the score has no sampling error — as
    /// `calibrated_standard_error` in Python's `Raking.estimate` and JavaScript's `rakeEstimate`.
    #[arg(long, requires = "margins")]
    calibrated: bool,
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
    /// drivers: the bootstrap's seed; discover: the permutations' (default 0): the same numbers as every
    /// language gives for it.
    #[arg(long, requires = "random")]
    seed: Option<u64>,
    /// discover: the attribute columns, comma-separated (default: every other column).
    #[arg(long)]
    attributes: Option<String>,
    /// discover: most conditions in a slice (default 2, at most 4).
    #[arg(long)]
    depth: Option<u32>,
    /// discover: most distinct values of an attribute (default 50).
    #[arg(long)]
    max_values: Option<usize>,
    /// discover: fold an attribute's rarest values into "other" rather than refusing it.
    #[arg(long)]
    other: bool,
    /// discover: which slices to show: significant (default), productive or all.
    #[arg(long)]
    show: Option<String>,
    /// keyness: one table per segment of this column (comma-separated columns are crossed), q-values
    /// adjusted across every table.
    #[arg(long)]
    by: Option<String>,
    /// discover, keyness: at most this many rows (slices, terms), by rank.
    #[arg(long)]
    limit: Option<usize>,
    /// discover: the Westfall–Young permutation bound with this many permutations (unweighted data).
    #[arg(long)]
    permutations: Option<u32>,
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
    /// `cem classify` and `cem keyness --answer`: the metric whose categories are used (default nps).
    #[arg(long = "metric")]
    classify_metric: Option<String>,
    /// keyness: the column of comments (free text).
    #[arg(long)]
    text: Option<String>,
    /// keyness: the group examined (with --segment; with --answer, default the worst category: detractor).
    #[arg(long)]
    target: Option<String>,
    /// keyness: the group it is compared with, or rest (default with --segment; with --answer, promoter).
    #[arg(long)]
    reference: Option<String>,
    /// keyness: shortest..longest n-gram (default 1..2).
    #[arg(long)]
    ngrams: Option<String>,
    /// keyness: english (default), none, or a comma-separated list of words.
    #[arg(long)]
    stop_words: Option<String>,
    /// keyness: fewest mentions for a term to be listed and tested (default 5).
    #[arg(long)]
    min_count: Option<u64>,
    /// keyness: an extra column: chi2, lr, pmi (as quanteda), weighted_log_odds (as tidylo) or log_odds_z (as scattertext).
    #[arg(long)]
    statistic: Option<String>,
    /// keyness: the memory cap in distinct terms (default 10000000).
    #[arg(long)]
    max_terms: Option<u64>,
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
    // The search's own flags mean nothing to a score, benchmark or trend: refused, never ignored.
    let searched = [
        ("--attributes", cli.attributes.is_some()),
        ("--depth", cli.depth.is_some()),
        ("--max-values", cli.max_values.is_some()),
        ("--other", cli.other),
        ("--show", cli.show.is_some()),
        ("--permutations", cli.permutations.is_some()),
    ];
    if let Some(flag) = first_given(&searched) {
        return Err(Failure(format!("{flag} is read by `cem discover` only")));
    }
    if cli.limit.is_some() {
        return Err(Failure("--limit is read by `cem discover` and `cem keyness` only".into()));
    }
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

/// The first of `flags` given: a command refuses the flags it does not read rather than ignore them.
pub(crate) fn first_given(flags: &[(&'static str, bool)]) -> Option<&'static str> {
    flags.iter().find(|(_, given)| *given).map(|(flag, _)| *flag)
}

/// The first keyness flag given, for a run that is not keyness.
pub(crate) fn keyness_flag(cli: &Cli) -> Option<&'static str> {
    first_given(&[
        ("--text", cli.text.is_some()),
        ("--by", cli.by.is_some()),
        ("--target", cli.target.is_some()),
        ("--reference", cli.reference.is_some()),
        ("--ngrams", cli.ngrams.is_some()),
        ("--stop-words", cli.stop_words.is_some()),
        ("--min-count", cli.min_count.is_some()),
        ("--statistic", cli.statistic.is_some()),
        ("--max-terms", cli.max_terms.is_some()),
    ])
}
