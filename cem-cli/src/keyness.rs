//! `cem keyness FILE --text comment --answer nps` (detractors against promoters), `--segment region
//! --target billing [--reference rest]` (`--segment region,channel` crosses columns: `North × web`) or
//! `--trend date [--every quarter]` (the latest period against the one before): the words and phrases
//! that set one group's comments apart; `--by region` gives one table per segment.
//!
//! The comments are held in memory (a term tally needs every comment's terms once, and the file's
//! comments are what it is made of); the flags become the core's keyness options, read strictly (a flag
//! keyness does not read is refused naming it), and the run is one `operations::keyness…` call.

use std::io::Read;

use cem_core::operations::{self, KeynessBySegment, KeynessGroups};
use cem_core::Keyness;
use serde_json::{json, Value};

use crate::{Cli, Failure, Format};

/// The options of the run as the core reads them: every flag given, so that one keyness does not read
/// is refused by name.
fn options(cli: &Cli) -> Result<Value, Failure> {
    let mut o = json!({});
    let mut put = |key: &str, v: Option<Value>| {
        if let Some(v) = v {
            o[key] = v;
        }
    };
    put("target", cli.target.clone().map(Value::from));
    put("reference", cli.reference.clone().map(Value::from));
    put("statistic", cli.statistic.clone().map(Value::from));
    put("min_count", cli.min_count.map(Value::from));
    put("max_terms", cli.max_terms.map(Value::from));
    put("min_n", cli.min_n.map(Value::from));
    put("level", cli.level.map(Value::from));
    put("correction", cli.correction.clone().map(Value::from));
    put("missing", cli.missing.clone().map(Value::from));
    put("metric", cli.classify_metric.clone().map(Value::from));
    put("scale", crate::scale(cli)?.map(|s| json!(s)));
    put("threshold", cli.threshold.map(Value::from));
    put("version", cli.ces_version.map(Value::from));
    put("every", cli.every.clone().map(Value::from));
    if let Some(n) = &cli.ngrams {
        let parts: Vec<u8> = n
            .split("..")
            .map(|v| v.trim().parse::<u8>())
            .collect::<Result<_, _>>()
            .map_err(|_| Failure(format!("--ngrams {n}: write it as SHORTEST..LONGEST, e.g. 1..2")))?;
        put("ngrams", Some(json!(if parts.len() == 1 { vec![parts[0], parts[0]] } else { parts })));
    }
    if let Some(s) = &cli.stop_words {
        let list = s.split(',').map(|w| w.trim().to_string()).collect::<Vec<_>>();
        put("stop_words", Some(if matches!(s.as_str(), "english" | "none") { json!(s) } else { json!(list) }));
    }
    // Flags of scores, benchmarks and drivers: passed on so that the core refuses them by name.
    for (key, v) in [("against", &cli.against), ("test", &cli.test), ("alternative", &cli.alternative)] {
        put(key, v.clone().map(Value::from));
    }
    put("alpha", cli.alpha.map(Value::from));
    Ok(o)
}

/// Reads the CSV and renders the keyness table.
pub(crate) fn run(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    let options = options(cli)?;
    let text = cli.text.as_deref().ok_or_else(|| Failure("keyness: name the comments' column with --text".into()))?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers = reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.clone();
    let columns: Vec<&str> = headers.iter().collect();
    let text_col = cem_core::find_column("text", text, &columns)?;
    let find = |what: &str, list: &str| -> Result<Vec<usize>, Failure> {
        list.split(',').map(|c| Ok(cem_core::find_column(what, c.trim(), &columns)?)).collect()
    };
    let group_cols = cli.segment.as_deref().map(|s| find("segment", s)).transpose()?;
    let date_col = cli.trend.as_deref().map(|d| cem_core::find_column("trend", d, &columns)).transpose()?;
    let answer_col = cli.answer.as_deref().map(|a| cem_core::find_column("answer", a, &columns)).transpose()?;
    let by_cols = cli.by.as_deref().map(|b| find("by", b)).transpose()?;
    match [group_cols.is_some(), date_col.is_some(), answer_col.is_some()].iter().filter(|g| **g).count() {
        1 => {}
        0 => return Err(Failure("keyness: give --answer (detractors against promoters), --segment or --trend".into())),
        _ => return Err(Failure("keyness: give one of --answer, --segment or --trend".into())),
    }
    let cell_key = |cell: &str| (!cell.trim().is_empty()).then(|| cell.trim().to_string());
    let (mut comments, mut answers, mut dates) = (Vec::new(), Vec::new(), Vec::new());
    let mut groups: Vec<Vec<Option<String>>> = vec![Vec::new(); group_cols.as_ref().map_or(0, Vec::len)];
    let mut segments: Vec<Vec<Option<String>>> = vec![Vec::new(); by_cols.as_ref().map_or(0, Vec::len)];
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| Failure(format!("{name}: {e}")))? {
        let cell = |c: usize| record.get(c).unwrap_or("");
        let comment = cell(text_col);
        comments.push((!comment.trim().is_empty()).then(|| comment.to_string()));
        for (column, &c) in groups.iter_mut().zip(group_cols.iter().flatten()) {
            column.push(cell_key(cell(c)));
        }
        for (column, &c) in segments.iter_mut().zip(by_cols.iter().flatten()) {
            column.push(cell_key(cell(c)));
        }
        if let Some(d) = date_col {
            dates.push(cell_key(cell(d)));
        }
        if let Some(a) = answer_col {
            let row = answers.len();
            answers.push(cem_core::answer_from_text(row, cell(a)).map_err(|e| at_row(name, e))?);
        }
    }
    let groups: Vec<&[Option<String>]> = groups.iter().map(Vec::as_slice).collect();
    let grouping = match (group_cols.is_some(), date_col.is_some()) {
        (true, _) => KeynessGroups::Labels(&groups),
        (_, true) => KeynessGroups::Periods(&dates),
        _ => KeynessGroups::Answers(&answers),
    };
    if by_cols.is_some() {
        let segments: Vec<&[Option<String>]> = segments.iter().map(Vec::as_slice).collect();
        let mut k =
            operations::keyness_by_segment(&comments, &segments, grouping, options).map_err(|e| at_row(name, e))?;
        if let Some(limit) = cli.limit {
            k.segments.iter_mut().for_each(|s| s.keyness.terms.truncate(limit));
        }
        return Ok(render_segments(cli, &k));
    }
    let k = match grouping {
        KeynessGroups::Labels(g) => operations::keyness_crossed(&comments, g, options),
        KeynessGroups::Periods(d) => operations::keyness_by_period(&comments, d, options),
        KeynessGroups::Answers(a) => operations::keyness_by_answer(&comments, a, options),
    }
    .map_err(|e| at_row(name, e))?;
    let mut k = k;
    if let Some(limit) = cli.limit {
        k.terms.truncate(limit);
    }
    Ok(render(cli, &k))
}

/// One table per segment: JSON as the core writes it; CSV with a `segment` column first; tables one
/// after another, each under its segment's name.
fn render_segments(cli: &Cli, k: &KeynessBySegment) -> String {
    match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(k).unwrap_or_default() + "\n",
        Format::Csv => {
            let mut out = String::new();
            for (i, s) in k.segments.iter().enumerate() {
                for (j, line) in csv_table(&s.keyness).lines().enumerate().filter(|(j, _)| i == 0 || *j > 0) {
                    let segment = if j == 0 { "segment".to_string() } else { csv_cell(&s.segment) };
                    out.push_str(&format!("{segment},{line}\n"));
                }
            }
            out
        }
        Format::Table => {
            let mut out = format!(
                "{} segments, {} terms tested in all ({} across every table)\n",
                k.segments.len(),
                k.tested,
                k.correction.name()
            );
            for s in &k.segments {
                out.push_str(&format!("\n{}: {}", s.segment, table(&s.keyness, cli.level.unwrap_or(0.95))));
            }
            out
        }
    }
}

/// A CSV field, quoted when it needs to be.
fn csv_cell(v: &str) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([v]);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default().trim_end().to_string()
}

/// A core error naming the file's row (1-based, as a spreadsheet counts data rows; the line adds the header).
fn at_row(name: &str, e: cem_core::CemError) -> Failure {
    match e.index() {
        Some(i) => Failure(format!("{name}: row {} (line {}): {e} [{}]", i + 1, i + 2, e.code())),
        None => Failure(format!("{name}: {e} [{}]", e.code())),
    }
}

fn pct(v: f64) -> String {
    format!("{v:.1}")
}

fn q(v: Option<f64>) -> String {
    match v {
        Some(x) if x < 0.001 => "<0.001".into(),
        Some(x) => format!("{x:.3}"),
        None => "–".into(),
    }
}

fn render(cli: &Cli, k: &Keyness) -> String {
    match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(k).unwrap_or_default() + "\n",
        Format::Csv => csv_table(k),
        Format::Table => table(k, cli.level.unwrap_or(0.95)),
    }
}

fn table(k: &Keyness, level: f64) -> String {
    let mut out = format!(
        "What sets {} ({} comments) apart from {} ({} comments): mention rates, {} terms tested{}\n",
        k.target,
        k.target_texts,
        k.reference,
        k.reference_texts,
        k.tested,
        if k.low_n { " (a group is under min_n: not tested)" } else { "" }
    );
    let extra = k.statistic.name();
    let mut header: Vec<String> = ["term", "target %", "reference %", "difference"].map(String::from).to_vec();
    header.extend([format!("{:.0}% interval", level * 100.0), "q".into(), "log odds".into(), "rank".into()]);
    if extra != "score" {
        header.push(extra.into());
    }
    let mut cells = vec![header];
    for r in &k.terms {
        let mut row = vec![
            r.term.clone(),
            pct(r.target_rate),
            pct(r.reference_rate),
            format!("{:+.1}", r.difference),
            format!("[{:+.1}, {:+.1}]", r.difference_lower, r.difference_upper),
            q(r.q_value),
            format!("{:+.2}", r.log_odds),
            r.rank.to_string(),
        ];
        if extra != "score" {
            let v = r.chi2.or(r.lr).or(r.pmi).or(r.weighted_log_odds).or(r.log_odds_z);
            row.push(v.map_or_else(|| "–".into(), |v| format!("{v:.2}")));
        }
        cells.push(row);
    }
    out.push_str(&crate::render::align(&cells));
    out
}

fn csv_table(k: &Keyness) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let extra = k.statistic.name();
    let mut header = vec![
        "term",
        "target_mentions",
        "reference_mentions",
        "target_occurrences",
        "reference_occurrences",
        "target_rate",
        "reference_rate",
        "difference",
        "difference_lower",
        "difference_upper",
        "log_odds",
        "statistic",
        "p_value",
        "q_value",
        "rank",
        "side",
    ];
    if extra != "score" {
        header.push(extra);
    }
    let _ = w.write_record(&header);
    // Shortest round-trip digits with an exponent (1e-196, not 196 zeros): serde_json's float writer.
    let num = |v: f64| serde_json::to_string(&v).unwrap_or_default();
    let opt = |v: Option<f64>| v.map(num).unwrap_or_default();
    for r in &k.terms {
        let mut row = vec![
            r.term.clone(),
            r.target_mentions.to_string(),
            r.reference_mentions.to_string(),
            r.target_occurrences.to_string(),
            r.reference_occurrences.to_string(),
            num(r.target_rate),
            num(r.reference_rate),
            num(r.difference),
            num(r.difference_lower),
            num(r.difference_upper),
            num(r.log_odds),
            opt(r.statistic),
            opt(r.p_value),
            opt(r.q_value),
            r.rank.to_string(),
            r.side.name().to_string(),
        ];
        if extra != "score" {
            row.push(opt(r.chi2.or(r.lr).or(r.pmi).or(r.weighted_log_odds).or(r.log_odds_z)));
        }
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
