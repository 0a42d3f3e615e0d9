//! Runs every conformance vector in conformance/vectors through the Rust API.
//!
//! The expected values come from statsmodels/scipy or an independent implementation in
//! conformance/generate.py, never from cem.

use std::path::PathBuf;

use cem_core::*;
use serde_json::{json, Value};

fn num(v: &Value) -> f64 {
    match v {
        Value::Number(n) => n.as_f64().unwrap(),
        Value::String(s) if s == "nan" => f64::NAN,
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Value::Null => f64::NAN,
        other => panic!("not a number: {other}"),
    }
}

fn counts_of(v: &Value) -> Vec<u64> {
    v.as_array().unwrap().iter().map(|c| c.as_u64().unwrap()).collect()
}

/// A tally from counts and/or answers, then an optional merge; a failure must leave it unchanged.
fn tally(inp: &Value) -> Result<Tally> {
    let s = &inp["scale"];
    let scale = Scale::new(s[0].as_i64().unwrap() as i32, s[1].as_i64().unwrap() as i32)?;
    let mut t = match inp.get("counts") {
        Some(c) => Tally::from_counts(scale, &counts_of(c))?,
        None => Tally::new(scale),
    };
    let before = t.clone();
    let result = update(&mut t, inp).and_then(|()| match inp.get("merge_counts") {
        Some(m) => t.merge(&Tally::from_counts(scale, &counts_of(m))?),
        None => Ok(()),
    });
    if result.is_err() {
        assert_eq!(t, before, "a failed update changed the tally");
    }
    result.map(|()| t)
}

fn update(t: &mut Tally, inp: &Value) -> Result<()> {
    let Some(answers) = inp.get("answers").and_then(|a| a.as_array()) else { return Ok(()) };
    let weights: Option<Vec<f64>> = inp.get("weights").map(|w| w.as_array().unwrap().iter().map(num).collect());
    let missing: Missing = match inp.get("missing") {
        Some(m) => m.as_str().unwrap().parse()?,
        None => Missing::default(),
    };
    // Integers go through the integer path, anything else through floats (null and "nan" are missing).
    if answers.iter().all(|a| a.is_i64()) {
        let ints: Vec<i64> = answers.iter().map(|a| a.as_i64().unwrap()).collect();
        t.update(&ints, weights.as_deref(), missing)
    } else {
        let floats: Vec<f64> = answers.iter().map(num).collect();
        t.update(&floats, weights.as_deref(), missing)
    }
}

/// The metric's own parameters (threshold, version, top, bottom) joined to the case's options: the
/// options a user passes to `csat(…)`, `ces(…)`, read strictly by `operations`.
fn estimate(inp: &Value) -> Result<Estimate> {
    let t = tally(inp)?;
    let mut options = inp.get("options").cloned().unwrap_or(json!({}));
    let metric = inp["metric"].as_object().unwrap();
    for (k, v) in metric.iter().filter(|(k, _)| *k != "kind") {
        options[k] = v.clone();
    }
    let kind: MetricKind = metric["kind"].as_str().unwrap().parse()?;
    operations::estimate_tally(kind, &t, options)
}

fn options_of(inp: &Value) -> Value {
    inp.get("options").cloned().unwrap_or(Value::Null)
}

/// Runs one case and returns its outputs as JSON, flattened like the expected values.
fn run(call: &str, inp: &Value) -> Result<Value> {
    match call {
        "tally" => {
            let t = tally(inp)?;
            Ok(json!({"counts": t.counts(), "skipped": t.skipped(), "weight_sums": t.weight_sums()}))
        }
        "estimate" => {
            let e = estimate(inp)?;
            let mut v = serde_json::to_value(&e).unwrap();
            v["lower"] = json!(e.interval.lower);
            v["upper"] = json!(e.interval.upper);
            v["method"] = json!(e.interval.method.name());
            Ok(v)
        }
        "compare" | "compare_to" => {
            let a = estimate(&inp["a"])?;
            let c = if call == "compare" {
                operations::compare(&a, &estimate(&inp["b"])?, options_of(inp))?
            } else {
                let mut options = options_of(inp);
                if let Some(se) = inp.get("value_se").filter(|v| !v.is_null()) {
                    options["value_se"] = se.clone();
                }
                operations::compare_to(&a, num(&inp["value"]), options)?
            };
            Ok(json!({
                "difference": c.difference, "lower": c.interval.lower, "upper": c.interval.upper,
                "statistic": if c.statistic.is_finite() { json!(c.statistic) } else { json!(if c.statistic > 0.0 { "inf" } else { "-inf" }) },
                "p_value": c.p_value, "df": c.df, "method": c.method.name(),
            }))
        }
        "benchmark" => {
            // The metric and its parameters as options, as a user of `benchmark` passes them.
            let mut options = inp.get("options").cloned().unwrap_or(json!({}));
            for (k, v) in inp["metric"].as_object().unwrap() {
                options[if k == "kind" { "metric" } else { k }] = v.clone();
            }
            if inp["metric"]["kind"] != "nps" && inp["metric"]["kind"] != "ces" {
                options["scale"] = inp["scale"].clone();
            }
            let b = match inp.get("segment_counts") {
                Some(sc) => {
                    let map = sc.as_object().unwrap();
                    let keys: Vec<&String> = map.keys().collect();
                    let counts: Vec<Vec<f64>> =
                        map.values().map(|c| c.as_array().unwrap().iter().map(num).collect()).collect();
                    operations::benchmark_counts(&keys, &counts, options)?
                }
                None => {
                    let keys: Vec<Option<&str>> =
                        inp["segments"].as_array().unwrap().iter().map(|k| k.as_str()).collect();
                    let answers: Vec<f64> = inp["answers"].as_array().unwrap().iter().map(num).collect();
                    let weights: Option<Vec<f64>> =
                        inp.get("weights").map(|w| w.as_array().unwrap().iter().map(num).collect());
                    operations::benchmark(options, |s, missing| {
                        s.update_keys(&keys, &answers, weights.as_deref(), missing)
                    })?
                }
            };
            Ok(serde_json::to_value(&b).unwrap())
        }
        "discover" => {
            // Columns as a binding passes them: numbers (null missing) or texts (null missing).
            let columns = inp["columns"].as_object().unwrap();
            let numbers: Vec<(&String, Vec<f64>)> = columns
                .iter()
                .filter(|(_, c)| c.as_array().unwrap().iter().all(|v| v.is_number() || v.is_null()))
                .map(|(k, c)| (k, c.as_array().unwrap().iter().map(num).collect()))
                .collect();
            let texts: Vec<(&String, Vec<Option<&str>>)> = columns
                .iter()
                .filter(|(k, _)| !numbers.iter().any(|(n, _)| n == k))
                .map(|(k, c)| (k, c.as_array().unwrap().iter().map(Value::as_str).collect()))
                .collect();
            let mut cols: Vec<(&str, Column)> = Vec::new();
            for k in columns.keys() {
                if let Some((_, v)) = numbers.iter().find(|(n, _)| *n == k) {
                    cols.push((k, Column::Numbers(v)));
                } else if let Some((_, v)) = texts.iter().find(|(n, _)| *n == k) {
                    cols.push((k, Column::Texts(v)));
                }
            }
            Ok(serde_json::to_value(operations::discover(&cols, options_of(inp))?).unwrap())
        }
        "trend" => {
            let mut options = inp.get("options").cloned().unwrap_or(json!({}));
            for (k, v) in inp["metric"].as_object().unwrap() {
                options[if k == "kind" { "metric" } else { k }] = v.clone();
            }
            if inp["metric"]["kind"] != "nps" && inp["metric"]["kind"] != "ces" {
                options["scale"] = inp["scale"].clone();
            }
            let dates = inp["dates"].as_array().unwrap();
            // Dates as a binding passes them: all texts (null missing), or all day numbers.
            let texts: Vec<Option<&str>> = dates.iter().map(Value::as_str).collect();
            let days: Vec<f64> = dates.iter().map(|d| d.as_f64().unwrap_or(f64::NAN)).collect();
            let numeric = dates.iter().all(|d| d.is_number());
            let answers: Vec<f64> = inp["answers"].as_array().unwrap().iter().map(num).collect();
            let weights: Option<Vec<f64>> = inp.get("weights").map(|w| w.as_array().unwrap().iter().map(num).collect());
            let w = weights.as_deref();
            let segments: Option<Vec<Option<&str>>> =
                inp.get("segments").map(|s| s.as_array().unwrap().iter().map(Value::as_str).collect());
            let t = operations::trend(options, segments.is_some(), |t, missing| match (&segments, numeric) {
                (Some(keys), false) => t.update_keys(&texts, keys, &answers, w, missing),
                (Some(keys), true) => t.update_keys(&days, keys, &answers, w, missing),
                (None, false) => t.update(&texts, &answers, w, missing),
                (None, true) => t.update(&days, &answers, w, missing),
            })?;
            Ok(serde_json::to_value(&t).unwrap())
        }
        "counts_table" => {
            // Columns, and the same table as rows of objects (what JavaScript and the CLI pass): one result.
            let columns = counts_table(inp);
            if let Some(rows) = counts_rows(inp) {
                match (&columns, rows) {
                    (Ok(a), Ok(b)) => assert_eq!(a, &b, "{inp}"),
                    (Err(a), Err(b)) => assert_eq!(a.code(), b.code(), "{inp}: {a} / {b}"),
                    (a, b) => panic!("columns {a:?}, rows {b:?}"),
                }
            }
            columns
        }
        "nps_from_counts" => {
            let counts: operations::NpsCounts = operations::from_json("counts", &inp["counts"])?;
            let e = operations::nps_from_counts(counts, options_of(inp))?;
            let mut v = serde_json::to_value(&e).unwrap();
            v["lower"] = json!(e.interval.lower);
            v["upper"] = json!(e.interval.upper);
            v["method"] = json!(e.interval.method.name());
            Ok(v)
        }
        "adjust" => {
            let p: Vec<f64> = inp["pvalues"].as_array().unwrap().iter().map(num).collect();
            let mut options = options_of(inp);
            if options.is_null() {
                options = json!({});
            }
            options["correction"] = inp["correction"].clone();
            Ok(json!({"adjusted": operations::adjust_pvalues(&p, options)?}))
        }
        "plan" => {
            let a = &inp["args"];
            let g = |k: &str| num(&a[k]);
            let r = match inp["function"].as_str().unwrap() {
                "nps_responses_needed" => {
                    json!(nps_responses_needed(g("promoter_share"), g("detractor_share"), g("margin"), g("level"))?)
                }
                "proportion_responses_needed" => {
                    json!(proportion_responses_needed(g("share"), g("margin"), g("level"))?)
                }
                "mean_responses_needed" => json!(mean_responses_needed(g("sd"), g("margin"), g("level"))?),
                "nps_detectable_difference" => json!(nps_detectable_difference(
                    g("n"),
                    g("promoter_share"),
                    g("detractor_share"),
                    g("alpha"),
                    g("power")
                )?),
                "proportion_detectable_difference" => {
                    json!(proportion_detectable_difference(g("n"), g("share"), g("alpha"), g("power"))?)
                }
                f => panic!("unknown plan function {f}"),
            };
            Ok(json!({ "result": r }))
        }
        "classify" => {
            // Integers through the integer path, anything else through floats, as `update` reads them.
            let answers = inp["answers"].as_array().unwrap();
            let c = if answers.iter().all(|a| a.is_i64()) {
                let ints: Vec<i64> = answers.iter().map(|a| a.as_i64().unwrap()).collect();
                operations::classify(&ints, &inp["options"])?
            } else {
                let floats: Vec<f64> = answers.iter().map(num).collect();
                operations::classify(&floats, &inp["options"])?
            };
            let categories: Vec<Option<&str>> = (0..c.codes.len()).map(|i| c.name(i)).collect();
            Ok(json!({"names": c.names, "categories": categories}))
        }
        "drivers" => {
            let cols: Vec<(String, Vec<f64>)> = inp["columns"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_array().unwrap().iter().map(num).collect()))
                .collect();
            let cols: Vec<(&str, &[f64])> = cols.iter().map(|(k, v)| (k.as_str(), &v[..])).collect();
            if let Some(keys) = inp.get("segments") {
                let keys: Vec<Option<&str>> = keys.as_array().unwrap().iter().map(|k| k.as_str()).collect();
                let per = operations::drivers_by_segment_keys(&cols, &keys, options_of(inp))?;
                return Ok(json!({"segments": per}));
            }
            Ok(serde_json::to_value(operations::drivers(&cols, options_of(inp))?).unwrap())
        }
        "keyness" | "terms" => keyness(call, inp),
        "rake" | "rake_cells" | "rake_estimate" => {
            let columns = rake_columns(&inp["columns"]);
            let floats = |k: &str| inp.get(k).map(|c| c.as_array().unwrap().iter().map(num).collect::<Vec<f64>>());
            let margins = &inp["margins"];
            if call == "rake_estimate" {
                let (base, answers) = (floats("base_weights"), floats("answers").unwrap());
                let segment = inp.get("segment").map(|s| {
                    RakeColumn::from_keys(&s.as_array().unwrap().iter().map(Value::as_str).collect::<Vec<_>>())
                });
                let kind: MetricKind = inp["metric"].as_str().unwrap().parse()?;
                let r = operations::rake_estimate(
                    kind,
                    &columns,
                    base.as_deref(),
                    margins,
                    None,
                    &answers,
                    segment.as_ref(),
                    options_of(inp),
                )?;
                return Ok(serde_json::to_value(r).unwrap());
            }
            if call == "rake" {
                let base = floats("base_weights");
                let r = operations::rake(&columns, base.as_deref(), margins, options_of(inp))?;
                return Ok(serde_json::to_value(r).unwrap());
            }
            let (counts, sums, squares) = (floats("count").unwrap(), floats("sum"), floats("sum_sq"));
            let sums = sums.as_deref().zip(squares.as_deref());
            Ok(serde_json::to_value(operations::rake_cells(&columns, &counts, sums, margins, options_of(inp))?)
                .unwrap())
        }
        other => panic!("unknown call {other}"),
    }
}

fn keyness(call: &str, inp: &Value) -> Result<Value> {
    use operations::Comments;
    let c = operations::comments_from_json(inp["comments"].as_array().unwrap())?;
    let options = options_of(inp);
    if call == "terms" {
        let rows = match &c {
            Comments::Texts(t) => operations::terms(t, options)?,
            Comments::Lists(l) => operations::terms(l, options)?,
        };
        return Ok(json!({ "rows": rows }));
    }
    // Group columns (one, or several crossed), periods of dates, or an answer's categories; per segment
    // when `segments` (columns) is given.
    let strings = |v: &Value| -> Vec<Option<String>> {
        v.as_array().unwrap().iter().map(|x| x.as_str().map(str::to_string)).collect()
    };
    let columns = |v: &Value| -> Vec<Vec<Option<String>>> {
        match v.as_array().unwrap().first().is_some_and(Value::is_array) {
            true => v.as_array().unwrap().iter().map(strings).collect(),
            false => vec![strings(v)],
        }
    };
    let groups = inp.get("groups").map(columns).unwrap_or_default();
    let groups: Vec<&[Option<String>]> = groups.iter().map(Vec::as_slice).collect();
    let answers: Vec<f64> = inp.get("answers").map_or(vec![], |a| a.as_array().unwrap().iter().map(num).collect());
    let dates = inp.get("dates").map(strings).unwrap_or_default();
    let grouping = if inp.get("groups").is_some() {
        operations::KeynessGroups::Labels(&groups)
    } else if inp.get("dates").is_some() {
        operations::KeynessGroups::Periods(&dates)
    } else {
        operations::KeynessGroups::Answers(&answers)
    };
    if let Some(segments) = inp.get("segments") {
        let segments = columns(segments);
        let segments: Vec<&[Option<String>]> = segments.iter().map(Vec::as_slice).collect();
        let k = match &c {
            Comments::Texts(t) => operations::keyness_by_segment(t, &segments, grouping, options)?,
            Comments::Lists(l) => operations::keyness_by_segment(l, &segments, grouping, options)?,
        };
        return Ok(serde_json::to_value(k).unwrap());
    }
    let k = match (grouping, &c) {
        (operations::KeynessGroups::Labels(g), Comments::Texts(t)) if g.len() == 1 => {
            operations::keyness(t, g[0], options)?
        }
        (operations::KeynessGroups::Labels(g), Comments::Texts(t)) => operations::keyness_crossed(t, g, options)?,
        (operations::KeynessGroups::Labels(g), Comments::Lists(l)) => operations::keyness_crossed(l, g, options)?,
        (operations::KeynessGroups::Periods(d), Comments::Texts(t)) => operations::keyness_by_period(t, d, options)?,
        (operations::KeynessGroups::Periods(d), Comments::Lists(l)) => operations::keyness_by_period(l, d, options)?,
        (operations::KeynessGroups::Answers(a), Comments::Texts(t)) => operations::keyness_by_answer(t, a, options)?,
        (operations::KeynessGroups::Answers(a), Comments::Lists(l)) => operations::keyness_by_answer(l, a, options)?,
    };
    Ok(serde_json::to_value(k).unwrap())
}

/// Raking variables as a binding passes them: texts (null missing) as keys, numbers as numbers.
fn rake_columns(columns: &Value) -> Vec<(String, RakeColumn)> {
    let column = |c: &Vec<Value>| match c.iter().all(|v| v.is_string() || v.is_null()) {
        true => RakeColumn::from_keys(&c.iter().map(Value::as_str).collect::<Vec<_>>()),
        false => RakeColumn::from_numbers(&c.iter().map(num).collect::<Vec<_>>()),
    };
    columns.as_object().unwrap().iter().map(|(k, c)| (k.clone(), column(c.as_array().unwrap()))).collect()
}

/// A counts table (columns as a binding passes them: answers as numbers with null missing, keys and days
/// as texts with null missing) through `operations::*_counts_table`, with the metric as options.
fn counts_table(inp: &Value) -> Result<Value> {
    let t = &inp["table"];
    let column = |k: &str| t.get(k).map(|c| c.as_array().unwrap().iter().map(num).collect::<Vec<f64>>());
    let texts = |k: &str| t.get(k).map(|c| c.as_array().unwrap().iter().map(Value::as_str).collect::<Vec<_>>());
    let (answers, counts) = (column("answer").unwrap(), column("count").unwrap());
    let (sums, squares) = (column("weight_sum"), column("weight_sq_sum"));
    let table = CountsTable {
        answers: &answers,
        counts: &counts,
        weight_sums: sums.as_deref(),
        weight_sq_sums: squares.as_deref(),
    };
    let mut options = inp.get("options").cloned().unwrap_or(json!({}));
    for (k, v) in inp["metric"].as_object().unwrap() {
        options[if k == "kind" { "metric" } else { k }] = v.clone();
    }
    if inp["metric"]["kind"] != "nps" && inp["metric"]["kind"] != "ces" {
        options["scale"] = inp["scale"].clone();
    }
    let segments = texts("segment");
    Ok(match inp["kind"].as_str().unwrap() {
        "benchmark" => json!(operations::benchmark_counts_table(&segments.unwrap(), &table, options)?),
        "trend" => json!(operations::trend_counts_table(&texts("day").unwrap(), segments.as_deref(), &table, options)?),
        _ => {
            let kind: MetricKind = options["metric"].as_str().unwrap().parse()?;
            options.as_object_mut().unwrap().remove("metric");
            let e = operations::estimate_counts_table(kind, &table, options)?;
            let mut v = serde_json::to_value(&e).unwrap();
            v["lower"] = json!(e.interval.lower);
            v["upper"] = json!(e.interval.upper);
            v["method"] = json!(e.interval.method.name());
            v
        }
    })
}

/// The counts table as rows of objects through `operations::from_counts_table` (`None` when its columns
/// differ in length, which rows cannot hold).
fn counts_rows(inp: &Value) -> Option<Result<Value>> {
    let t = inp["table"].as_object().unwrap();
    let len = t["answer"].as_array().unwrap().len();
    if t.values().any(|c| c.as_array().unwrap().len() != len) {
        return None;
    }
    let rows: Vec<Value> =
        (0..len).map(|i| Value::Object(t.iter().map(|(k, c)| (k.clone(), c[i].clone())).collect())).collect();
    let mut options = inp.get("options").cloned().unwrap_or(json!({}));
    for k in t.keys() {
        options[k] = json!(k);
    }
    for (k, v) in inp["metric"].as_object().unwrap() {
        options[if k == "kind" { "metric" } else { k }] = v.clone();
    }
    if inp["metric"]["kind"] != "nps" && inp["metric"]["kind"] != "ces" {
        options["scale"] = inp["scale"].clone();
    }
    Some(operations::from_counts_table(Value::Array(rows), options).map(|r| {
        let mut v = serde_json::to_value(&r).unwrap();
        if let CountsTableResult::Estimate(e) = &r {
            v["lower"] = json!(e.interval.lower);
            v["upper"] = json!(e.interval.upper);
            v["method"] = json!(e.interval.method.name());
        }
        v
    }))
}

/// Compares `actual` with `expected` recursively; numbers within tolerance, strings and ints exactly.
fn check(path: &str, actual: &Value, expected: &Value, tol: (f64, f64), failures: &mut Vec<String>) {
    match expected {
        Value::Object(map) => {
            for (k, e) in map {
                check(&format!("{path}.{k}"), actual.get(k).unwrap_or(&Value::Null), e, tol, failures);
            }
        }
        Value::Array(items) => {
            let a = actual.as_array().cloned().unwrap_or_default();
            if a.len() != items.len() {
                failures.push(format!("{path}: length {} != {}", a.len(), items.len()));
                return;
            }
            for (i, (x, e)) in a.iter().zip(items).enumerate() {
                check(&format!("{path}[{i}]"), x, e, tol, failures);
            }
        }
        Value::Number(_) | Value::String(_)
            if expected.is_number() || ["inf", "-inf"].contains(&expected.as_str().unwrap_or("")) =>
        {
            let (a, e) = (num(actual), num(expected));
            let ok = if e.is_infinite() { a == e } else { (a - e).abs() <= tol.0 + tol.1 * e.abs() };
            if !ok {
                failures.push(format!("{path}: got {a}, expected {e} (diff {:e})", (a - e).abs()));
            }
        }
        _ => {
            if actual != expected {
                failures.push(format!("{path}: got {actual}, expected {expected}"));
            }
        }
    }
}

#[test]
fn every_conformance_vector_passes() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let (mut total, mut failures) = (0, Vec::new());
    for file in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for case in doc["cases"].as_array().unwrap() {
            total += 1;
            let name = case["name"].as_str().unwrap();
            let expected = &case["expected"];
            let result = run(case["call"].as_str().unwrap(), &case["input"]);
            match (result, expected.get("error")) {
                (Err(e), Some(code)) => {
                    if e.code() != code.as_str().unwrap() {
                        failures.push(format!("{name}: error {} ({e}), expected {code}", e.code()));
                    }
                    if let Some(index) = expected.get("index").and_then(Value::as_u64) {
                        if e.index() != Some(index as usize) {
                            failures.push(format!("{name}: error at {:?}, expected at {index}", e.index()));
                        }
                    }
                }
                (Err(e), None) => failures.push(format!("{name}: unexpected error {} ({e})", e.code())),
                (Ok(v), Some(code)) => failures.push(format!("{name}: expected error {code}, got {v}")),
                (Ok(v), None) => {
                    let t = &case["tolerance"];
                    let tol = (t["abs"].as_f64().unwrap_or(1e-9), t["rel"].as_f64().unwrap_or(1e-9));
                    let mut f = Vec::new();
                    check(name, &v, expected, tol, &mut f);
                    failures.extend(f);
                }
            }
        }
    }
    assert!(total >= 150, "only {total} vectors");
    assert!(failures.is_empty(), "{} of {total} checks failed:\n{}", failures.len(), failures.join("\n"));
}
