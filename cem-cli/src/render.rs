//! Text, CSV renderings of estimates and benchmark tables (JSON is the core's serde form).
//!
//! Tables go to a terminal, and their names (segments, columns, periods) come from the data, typed by
//! customers: every such text passes through [`shown`], so a control character prints as `\x1b` rather than
//! retitling or recolouring the terminal. CSV and JSON keep the value whole, quoted by their format.

use std::borrow::Cow;

use cem_core::{Benchmark, BenchmarkRow, Estimate, Reference, Side, Trend, TrendRow};

/// Text from the data as a terminal should show it: control characters (C0, DEL, C1) escaped as `\t`,
/// `\n`, `\r` or `\xNN`, and the bidirectional overrides and isolates (which reorder what follows them on
/// the line) as `\u{202e}`, as ripgrep and bat show them; any other text unchanged (and not copied).
///
/// ```
/// assert_eq!(cem_cli::shown("\x1b]0;pwned\x07North\tEast"), r"\x1b]0;pwned\x07North\tEast");
/// assert_eq!(cem_cli::shown("Zürich – Nord"), "Zürich – Nord");
/// ```
pub fn shown(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One CSV field as the format writes it: the value whole, quoted (quotes doubled) when it holds a comma, a
/// quote or a line break.
pub fn csv_field(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

fn metric_label(e: &Estimate) -> String {
    e.metric.name().to_uppercase()
}

/// Points and percents read well to one decimal; means on a short scale need two.
fn num(v: Option<f64>, signed: bool, decimals: usize) -> String {
    match v {
        Some(x) if signed => format!("{x:+.decimals$}"),
        Some(x) => format!("{x:.decimals$}"),
        None => "–".into(),
    }
}

fn p(v: Option<f64>) -> String {
    match v {
        Some(x) if x < 0.001 => "<0.001".into(),
        Some(x) => format!("{x:.3}"),
        None => "–".into(),
    }
}

/// One estimate as a short table, aligned as every table is (`align`): at most 74 columns (the widest
/// value, interval, n and method), so it fits an 80-column terminal.
pub fn estimate_table(e: &Estimate) -> String {
    let i = &e.interval;
    let d = 2;
    align(&[
        ["metric", "value", &format!("{:.0}% interval", i.level * 100.0), "n", "effective n", "method"]
            .map(String::from)
            .to_vec(),
        vec![
            metric_label(e),
            format!("{:.d$}", e.value),
            format!("[{:.d$}, {:.d$}]", i.lower, i.upper),
            e.n.to_string(),
            format!("{:.1}", e.effective_n),
            i.method.to_string(),
        ],
    ])
}

pub fn estimate_csv(e: &Estimate) -> String {
    let i = &e.interval;
    format!(
        "metric,value,lower,upper,level,method,n,effective_n,skipped\n{},{},{},{},{},{},{},{},{}\n",
        e.metric.name(),
        e.value,
        i.lower,
        i.upper,
        i.level,
        i.method,
        e.n,
        e.effective_n,
        e.skipped
    )
}

fn reference_label(r: &Reference) -> String {
    match r {
        Reference::Rest => "the rest".into(),
        Reference::Overall => "overall".into(),
        Reference::Benchmark { value, se: None } => format!("benchmark {value}"),
        Reference::Benchmark { value, se: Some(se) } => format!("benchmark {value} ± {se}"),
        Reference::Segment { key } => format!("segment {}", shown(key)),
        Reference::Previous => "the previous period".into(),
        Reference::Trailing { periods } => format!("the {periods} periods before, pooled"),
    }
}

fn mark(r: &BenchmarkRow) -> &'static str {
    match (r.significant, r.side, r.low_n) {
        (true, Some(Side::Above), _) => "▲ higher",
        (true, Some(Side::Below), _) => "▼ lower",
        (_, _, true) => "low n",
        _ => "",
    }
}

/// The benchmark as an aligned table with significance marks.
pub fn benchmark_table(group: &str, b: &Benchmark) -> String {
    let o = &b.overall;
    let level = o.interval.level * 100.0;
    let d = if o.metric.family() == cem_core::Family::Mean { 2 } else { 1 };
    let mut out = format!(
        "{} by {}, each against {} ({} at alpha {}); overall {:.d$} [{:.d$}, {:.d$}], n = {}\n",
        metric_label(o),
        shown(group),
        reference_label(&b.reference),
        b.correction.name(),
        b.alpha,
        o.value,
        o.interval.lower,
        o.interval.upper,
        o.n
    );
    let header = [
        group.to_string(),
        "n".into(),
        "value".into(),
        format!("{level:.0}% interval"),
        "reference".into(),
        "difference".into(),
        format!("{level:.0}% interval"),
        "adj. p".into(),
        "rank".into(),
        String::new(),
    ];
    let mut cells: Vec<Vec<String>> = vec![header.to_vec()];
    for r in &b.rows {
        let interval = |lo: Option<f64>, hi: Option<f64>, signed: bool| match (lo, hi) {
            (Some(_), Some(_)) => format!("[{}, {}]", num(lo, signed, d), num(hi, signed, d)),
            _ => "–".into(),
        };
        cells.push(vec![
            r.key.clone(),
            r.n.to_string(),
            num(r.value, false, d),
            interval(r.lower, r.upper, false),
            num(r.reference_value, false, d),
            num(r.difference, true, d),
            interval(r.difference_lower, r.difference_upper, true),
            p(r.adjusted_p_value),
            r.rank.to_string(),
            mark(r).to_string(),
        ]);
    }
    out.push_str(&align(&cells));
    let s = &b.summary;
    out.push_str(&format!(
        "{} segments: {} significantly higher, {} significantly lower, {} with low n (not tested).\n",
        s.segments, s.significantly_above, s.significantly_below, s.low_n
    ));
    out
}

/// The longest segment name a table shows whole: a longer one is cut to this many characters, its start
/// and its end around a "…" (names that differ at the end, such as numbered ones, stay apart), so a table
/// stays within 200 columns whatever the names (JSON and CSV keep every name whole).
pub const KEY_WIDTH: usize = 40;

/// A segment name cut to `KEY_WIDTH` characters: its first 27, "…", its last 12.
fn key_cell(key: &str) -> String {
    let n = key.chars().count();
    if n <= KEY_WIDTH {
        return key.to_string();
    }
    let tail = 12;
    let head = KEY_WIDTH - 1 - tail;
    key.chars().take(head).chain(['…']).chain(key.chars().skip(n - tail)).collect()
}

/// Rows of cells as aligned columns: the first and last (names, marks) to the left, numbers to the right;
/// every cell [`shown`] (control characters escaped), the first column (segment names) cut to `KEY_WIDTH`.
fn align(cells: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(c, v)| if c == 0 { key_cell(&shown(v)) } else { shown(v).into_owned() })
                .collect()
        })
        .collect();
    let cells = &cells;
    let columns = cells.first().map_or(0, Vec::len);
    let widths: Vec<usize> =
        (0..columns).map(|c| cells.iter().map(|row| row[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in cells {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let pad = " ".repeat(widths[c] - v.chars().count());
                if c == 0 || c + 1 == columns {
                    format!("{v}{pad}")
                } else {
                    format!("{pad}{v}")
                }
            })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

fn trend_mark(r: &TrendRow) -> &'static str {
    match (r.significant, r.side, r.low_n) {
        (true, Some(Side::Above), _) => "▲ up",
        (true, Some(Side::Below), _) => "▼ down",
        (_, _, true) if r.n > 0 => "low n",
        _ => "",
    }
}

/// The trend as one aligned table (segment by segment, periods in time order) and what changed last.
pub fn trend_table(segment: Option<&str>, t: &Trend) -> String {
    let d = if t.metric.family() == cem_core::Family::Mean { 2 } else { 1 };
    let by = segment.map(|s| format!(" per {}", shown(s))).unwrap_or_default();
    let mut out = format!(
        "{} by {}{by}, each against {} ({} across {} tested cells at alpha {})\n",
        t.metric.name().to_uppercase(),
        t.every,
        reference_label(&t.reference),
        t.correction.name(),
        t.summary.tested,
        t.alpha
    );
    let mut cells = vec![];
    let mut header: Vec<String> = segment.map(|s| vec![s.to_string()]).unwrap_or_default();
    header.extend(["period", "n", "value", "interval", "change", "interval", "adj. p", ""].map(String::from));
    cells.push(header);
    for r in &t.rows {
        let interval = |lo: Option<f64>, hi: Option<f64>, signed: bool| match (lo, hi) {
            (Some(_), Some(_)) => format!("[{}, {}]", num(lo, signed, d), num(hi, signed, d)),
            _ => "–".into(),
        };
        let mut row: Vec<String> = r.segment.iter().cloned().collect();
        row.extend([
            r.period.clone(),
            r.n.to_string(),
            num(r.value, false, d),
            interval(r.lower, r.upper, false),
            num(r.difference, true, d),
            interval(r.difference_lower, r.difference_upper, true),
            p(r.adjusted_p_value),
            trend_mark(r).to_string(),
        ]);
        cells.push(row);
    }
    out.push_str(&align(&cells));
    let last = shown(t.periods.last().map_or("", String::as_str));
    if t.changed.is_empty() {
        out.push_str(&format!("No significant change in {last}.\n"));
    } else {
        out.push_str(&format!("What changed in {last} (largest impact first):\n"));
        for r in &t.changed {
            let who = r.segment.as_deref().map(|s| format!("{}: ", shown(s))).unwrap_or_default();
            out.push_str(&format!(
                "  {who}{} → {} ({}, adj. p {})\n",
                num(r.reference_value, false, d),
                num(r.value, false, d),
                num(r.difference, true, d),
                p(r.adjusted_p_value)
            ));
        }
    }
    out
}

/// The trend rows as CSV, one line per cell, columns as in the JSON.
pub fn trend_csv(t: &Trend) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &t.rows {
        let _ = w.serialize(r);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The benchmark rows as CSV.
pub fn benchmark_csv(b: &Benchmark) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "key",
        "n",
        "effective_n",
        "share",
        "value",
        "lower",
        "upper",
        "reference_value",
        "difference",
        "difference_lower",
        "difference_upper",
        "statistic",
        "p_value",
        "adjusted_p_value",
        "significant",
        "side",
        "low_n",
        "rank",
        "impact",
    ]);
    let f = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for r in &b.rows {
        let _ = w.write_record([
            r.key.clone(),
            r.n.to_string(),
            r.effective_n.to_string(),
            r.share.to_string(),
            f(r.value),
            f(r.lower),
            f(r.upper),
            f(r.reference_value),
            f(r.difference),
            f(r.difference_lower),
            f(r.difference_upper),
            f(r.statistic),
            f(r.p_value),
            f(r.adjusted_p_value),
            r.significant.to_string(),
            r.side.map(Side::name).unwrap_or_default().into(),
            r.low_n.to_string(),
            r.rank.to_string(),
            f(r.impact),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
