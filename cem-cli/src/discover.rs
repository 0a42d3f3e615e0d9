//! `cem discover FILE --answer nps --attributes region,channel,touchpoint [--depth 3]`: data-driven
//! segments, every slice against its rest with false discoveries controlled over the whole search.
//!
//! The rows are read once into columns (attributes as text, the answer as text the core reads as
//! numbers, weights and counts as numbers) and make one `operations::discover` call; the flags become
//! the core's options, so a flag the search does not read is refused by the core, naming it.

use std::io::Read;

use cem_core::{operations, Column, Discovery, Side};
use serde_json::{json, Value};

use crate::render::{align, num, p};
use crate::{Cli, Failure, Format};

/// The options of the run as the core reads them: every flag given.
fn options(cli: &Cli) -> Result<Value, Failure> {
    let mut o = json!({ "answer": cli.answer() });
    let mut put = |key: &str, v: Option<Value>| {
        if let Some(v) = v {
            o[key] = v;
        }
    };
    let list = |s: &Option<String>| s.as_ref().map(|s| json!(s.split(',').map(str::trim).collect::<Vec<_>>()));
    put("attributes", list(&cli.attributes));
    put("metric", cli.classify_metric.clone().map(Value::from));
    put("depth", cli.depth.map(Value::from));
    put("max_values", cli.max_values.map(Value::from));
    put("other", cli.other.then_some(Value::Bool(true)));
    put("show", cli.show.clone().map(Value::from));
    put("limit", cli.limit.map(Value::from));
    put("permutations", cli.permutations.map(Value::from));
    put("seed", cli.seed.map(Value::from));
    put("weight", cli.weight.clone().map(Value::from));
    put("count", cli.count.clone().map(Value::from));
    put("weight_sum", cli.weight_sum.clone().map(Value::from));
    put("weight_sq_sum", cli.weight_sq_sum.clone().map(Value::from));
    put("scale", crate::scale(cli)?.map(|s| json!(s)));
    put("threshold", cli.threshold.map(Value::from));
    put("version", cli.ces_version.map(Value::from));
    put("missing", cli.missing.clone().map(Value::from));
    put("method", cli.method.clone().map(Value::from));
    put("test", cli.test.clone().map(Value::from));
    put("alternative", cli.alternative.clone().map(Value::from));
    put("correction", cli.correction.clone().map(Value::from));
    put("level", cli.level.map(Value::from));
    put("alpha", cli.alpha.map(Value::from));
    put("min_n", cli.min_n.map(Value::from));
    // Flags of other commands: passed on so that the core refuses them by name.
    put("against", cli.against.clone().map(Value::from));
    put("segment", cli.segment.clone().map(Value::from));
    Ok(o)
}

/// Reads the CSV and renders the slices.
pub(crate) fn run(cli: &Cli, name: &str, input: impl Read) -> Result<String, Failure> {
    let options = options(cli)?;
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
    let headers: Vec<String> =
        reader.headers().map_err(|e| Failure(format!("{name}: {e}")))?.iter().map(str::to_string).collect();
    let numeric: Vec<&str> = [&cli.weight, &cli.count, &cli.weight_sum, &cli.weight_sq_sum]
        .into_iter()
        .filter_map(|c| c.as_deref())
        .collect();
    let mut texts: Vec<Vec<Option<String>>> = vec![Vec::new(); headers.len()];
    let mut numbers: Vec<Vec<f64>> = vec![Vec::new(); headers.len()];
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Failure(format!("{name}: {e}")))?;
        for (c, h) in headers.iter().enumerate() {
            let v = record.get(c).unwrap_or("").trim();
            if numeric.contains(&h.as_str()) {
                numbers[c].push(if v.is_empty() {
                    f64::NAN
                } else {
                    v.parse::<f64>().map_err(|_| {
                        Failure(format!(
                            "{name}: row {} (line {}), column {h:?}: {v:?} is not a number",
                            row + 1,
                            row + 2
                        ))
                    })?
                });
            } else {
                texts[c].push((!v.is_empty()).then(|| v.to_string()));
            }
        }
    }
    let borrowed: Vec<Vec<Option<&str>>> = texts.iter().map(|t| t.iter().map(Option::as_deref).collect()).collect();
    let columns: Vec<(&str, Column)> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| {
            let column =
                if numeric.contains(&h.as_str()) { Column::Numbers(&numbers[c]) } else { Column::Texts(&borrowed[c]) };
            (h.as_str(), column)
        })
        .collect();
    let d = operations::discover(&columns, options).map_err(|e| match e.index() {
        Some(i) => Failure(format!("{name}: row {} (line {}): {e} [{}]", i + 1, i + 2, e.code())),
        None => Failure(format!("{name}: {e} [{}]", e.code())),
    })?;
    Ok(match cli.format.unwrap_or(Format::Table) {
        Format::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
        Format::Csv => csv_of(&d),
        Format::Table => table(&d),
    })
}

fn mark(side: Side, significant: bool) -> &'static str {
    match (significant, side) {
        (true, Side::Above) => "▲",
        (true, Side::Below) => "▼",
        _ => "",
    }
}

fn table(d: &Discovery) -> String {
    let o = &d.overall;
    let s = &d.summary;
    let dp = if o.metric.family() == cem_core::Family::Mean { 2 } else { 1 };
    let level = o.interval.level * 100.0;
    let mut out = format!(
        "{} of every slice of {} up to depth {} against its rest ({} over m = {} slices, alpha {}); overall {:.dp$}, n = {}\n",
        o.metric.name().to_uppercase(),
        d.attributes.join(", "),
        s.depth,
        s.correction,
        s.m,
        s.alpha,
        o.value,
        o.n
    );
    // The slice last: a left-aligned column that is never cut (the first column of a table is).
    let header = ["rank", "n", "value", "rest", "difference", &format!("{level:.0}% interval"), "adj. p", "", "slice"];
    let mut cells: Vec<Vec<String>> = vec![header.iter().map(|h| h.to_string()).collect()];
    for r in &d.rows {
        let note = match (&r.explained_by, r.productive) {
            (_, true) => "  (productive)".to_string(),
            (Some(parent), false) => format!("  (explained by {parent})"),
            (None, false) => String::new(),
        };
        cells.push(vec![
            r.rank.to_string(),
            r.n.to_string(),
            num(Some(r.value), false, dp),
            num(Some(r.rest_value), false, dp),
            num(Some(r.difference), true, dp),
            format!("[{}, {}]", num(Some(r.difference_lower), true, dp), num(Some(r.difference_upper), true, dp)),
            p(Some(r.adjusted_p_value)),
            mark(r.side, r.significant).to_string(),
            format!("{}{note}", r.slice),
        ]);
    }
    out.push_str(&align(&cells));
    out.push_str(&format!(
        "{} slices tested: {} significantly higher, {} significantly lower, {} productive.\n",
        s.m, s.significantly_above, s.significantly_below, s.productive
    ));
    if let Some(reason) = &s.reason {
        out.push_str(reason);
        out.push('\n');
    }
    out
}

fn csv_of(d: &Discovery) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "slice",
        "depth",
        "n",
        "effective_n",
        "share",
        "value",
        "lower",
        "upper",
        "rest_value",
        "difference",
        "difference_lower",
        "difference_upper",
        "statistic",
        "p_value",
        "adjusted_p_value",
        "significant",
        "side",
        "impact",
        "productive",
        "explained_by",
        "rank",
    ]);
    for r in &d.rows {
        let f = |x: f64| x.to_string();
        let _ = w.write_record([
            r.slice.clone(),
            r.depth.to_string(),
            r.n.to_string(),
            f(r.effective_n),
            f(r.share),
            f(r.value),
            f(r.lower),
            f(r.upper),
            f(r.rest_value),
            f(r.difference),
            f(r.difference_lower),
            f(r.difference_upper),
            f(r.statistic),
            f(r.p_value),
            f(r.adjusted_p_value),
            r.significant.to_string(),
            r.side.name().to_string(),
            f(r.impact),
            r.productive.to_string(),
            r.explained_by.clone().unwrap_or_default(),
            r.rank.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
