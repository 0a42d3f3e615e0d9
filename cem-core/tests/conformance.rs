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

fn estimate(inp: &Value) -> Result<Estimate> {
    let t = tally(inp)?;
    let metric: Metric = serde_json::from_value(inp["metric"].clone()).unwrap();
    let mut opts = IntervalOptions::default();
    if let Some(o) = inp.get("options") {
        if let Some(l) = o.get("level") {
            opts.level = num(l);
        }
        if let Some(m) = o.get("method") {
            opts.method = Some(m.as_str().unwrap().parse()?);
        }
        if let Some(r) = o.get("resamples") {
            opts.resamples = r.as_u64().unwrap() as u32;
        }
        if let Some(s) = o.get("seed") {
            opts.seed = s.as_u64().unwrap();
        }
        if let Some(p) = o.get("prior") {
            let p: Vec<f64> = p.as_array().unwrap().iter().map(num).collect();
            opts.prior = [p[0], p[1], p[2]];
        }
    }
    metric.estimate(&t, &opts)
}

fn compare_options(inp: &Value) -> Result<CompareOptions> {
    let mut opts = CompareOptions::default();
    if let Some(o) = inp.get("options") {
        if let Some(l) = o.get("level") {
            opts.level = num(l);
        }
        if let Some(m) = o.get("method") {
            opts.method = Some(m.as_str().unwrap().parse()?);
        }
        if let Some(a) = o.get("alternative") {
            opts.alternative = a.as_str().unwrap().parse()?;
        }
    }
    Ok(opts)
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
            let opts = compare_options(inp)?;
            let a = estimate(&inp["a"])?;
            let c = if call == "compare" {
                compare(&a, &estimate(&inp["b"])?, &opts)?
            } else {
                let se = inp.get("value_se").filter(|v| !v.is_null()).map(num);
                compare_to(&a, num(&inp["value"]), se, &opts)?
            };
            Ok(json!({
                "difference": c.difference, "lower": c.interval.lower, "upper": c.interval.upper,
                "statistic": if c.statistic.is_finite() { json!(c.statistic) } else { json!(if c.statistic > 0.0 { "inf" } else { "-inf" }) },
                "p_value": c.p_value, "df": c.df, "method": c.method.name(),
            }))
        }
        "benchmark" => {
            let s = &inp["scale"];
            let scale = Scale::new(s[0].as_i64().unwrap() as i32, s[1].as_i64().unwrap() as i32)?;
            let segments = match inp.get("segment_counts") {
                Some(sc) => {
                    let map = sc.as_object().unwrap();
                    let keys: Vec<&String> = map.keys().collect();
                    let counts: Vec<Vec<u64>> = map
                        .values()
                        .map(|c| c.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect())
                        .collect();
                    SegmentTally::from_counts(scale, &keys, &counts)?
                }
                None => {
                    let keys: Vec<Option<&str>> =
                        inp["segments"].as_array().unwrap().iter().map(|k| k.as_str()).collect();
                    let answers: Vec<f64> = inp["answers"].as_array().unwrap().iter().map(num).collect();
                    let weights: Option<Vec<f64>> =
                        inp.get("weights").map(|w| w.as_array().unwrap().iter().map(num).collect());
                    let mut st = SegmentTally::new(scale);
                    st.update_keys(&keys, &answers, weights.as_deref(), Missing::Error)?;
                    st
                }
            };
            let metric: Metric = serde_json::from_value(inp["metric"].clone()).unwrap();
            let mut opts = BenchmarkOptions::default();
            if let Some(o) = inp.get("options") {
                let text = |k: &str| o.get(k).and_then(|v| v.as_str());
                if let Some(a) = text("against") {
                    opts.reference = a.parse()?;
                }
                if let Some(m) = text("method") {
                    opts.interval.method = Some(m.parse()?);
                }
                if let Some(t) = text("test") {
                    opts.test = Some(t.parse()?);
                }
                if let Some(a) = text("alternative") {
                    opts.alternative = a.parse()?;
                }
                if let Some(c) = text("correction") {
                    opts.correction = c.parse()?;
                }
                if let Some(l) = o.get("level") {
                    opts.interval.level = num(l);
                }
                if let Some(a) = o.get("alpha") {
                    opts.alpha = num(a);
                }
                if let Some(m) = o.get("min_n") {
                    opts.min_n = m.as_u64().unwrap();
                }
                if let Some(order) = o.get("order") {
                    opts.order =
                        Some(order.as_array().unwrap().iter().map(|k| k.as_str().unwrap().to_string()).collect());
                }
            }
            let b = benchmark(&segments, metric, &opts)?;
            Ok(serde_json::to_value(&b).unwrap())
        }
        "adjust" => {
            let p: Vec<f64> = inp["pvalues"].as_array().unwrap().iter().map(num).collect();
            let correction: Correction = inp["correction"].as_str().unwrap().parse()?;
            Ok(json!({"adjusted": adjust_pvalues(&p, correction)?}))
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
        other => panic!("unknown call {other}"),
    }
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
