//! `cem … --count n`: a counts file (an engine's GROUP BY output) scores exactly as the rows it counts —
//! the same JSON for a benchmark, a trend grouped by day and a single score — and a bad group is refused
//! naming its segment and value.

use std::collections::BTreeMap;

mod common;
use common::{cem_text as cem, check};

/// Rows (region, day, answer; some answers blank), and their counts table grouped here by hand.
fn files() -> (String, String) {
    let mut rows = String::from("region,day,nps\n");
    let mut groups: BTreeMap<(String, String, String), u32> = BTreeMap::new();
    for i in 0..300u32 {
        let region = ["north", "south", "east", "tiny"][(i % 4) as usize];
        let region = if region == "tiny" && i > 40 { "north" } else { region };
        let day = format!("2025-{:02}-{:02}", 1 + (i * 7) % 6, 1 + (i * 13) % 28);
        let answer = if i % 29 == 3 { String::new() } else { ((i * 37 + i / 7) % 11).to_string() };
        rows.push_str(&format!("{region},{day},{answer}\n"));
        *groups.entry((region.into(), day, answer)).or_default() += 1;
    }
    let mut counts = String::from("region,day,nps,n\n");
    for ((region, day, answer), n) in groups.iter().rev() {
        counts.push_str(&format!("{region},{day},{answer},{n}\n"));
    }
    (rows, counts)
}

#[test]
fn a_counts_file_scores_as_its_rows() {
    let (rows, counts) = files();
    for args in [
        vec!["nps", "-", "--answer", "nps", "--segment", "region", "--missing", "skip", "--format", "json"],
        vec![
            "nps",
            "-",
            "--answer",
            "nps",
            "--trend",
            "day",
            "--segment",
            "region",
            "--every",
            "quarter",
            "--missing",
            "skip",
            "--format",
            "json",
        ],
        vec!["nps", "-", "--answer", "nps", "--missing", "skip", "--format", "json"],
    ] {
        let (ok, expected, err) = cem(&args, &rows);
        assert!(ok, "{err}");
        let mut counted = args.clone();
        counted.extend(["--count", "n"]);
        let (ok, actual, err) = cem(&counted, &counts);
        assert!(ok, "{err}");
        assert_eq!(actual, expected, "{args:?}");
    }
}

#[test]
fn a_bad_group_is_refused_naming_its_segment_and_value() {
    let counts = "region,nps,n,w,w2\nnorth,9,3,3,3\nsouth,12,1,1,1\n";
    let (ok, out, err) = cem(&["nps", "-", "--answer", "nps", "--segment", "region", "--count", "n"], counts);
    assert!(!ok && out.is_empty());
    assert!(
        err.contains("segment \"south\": answer 12 is outside the scale 0..=10") && err.ends_with("[out_of_range]\n"),
        "{err}"
    );
    let bad_weights = "region,nps,n,w,w2\nnorth,9,3,3,1\n"; // Σw² = 1 < (Σw)²/n = 3
    let args = [
        "nps",
        "-",
        "--answer",
        "nps",
        "--segment",
        "region",
        "--count",
        "n",
        "--weight-sum",
        "w",
        "--weight-sq-sum",
        "w2",
    ];
    let (ok, _, err) = cem(&args, bad_weights);
    assert!(!ok && err.contains("[invalid_weight]"), "{err}");
    let (ok, _, err) = cem(&["nps", "-", "--answer", "nps", "--count", "n", "--weight-sum", "w"], bad_weights);
    assert!(!ok && err.contains("weight-sq-sum"), "{err}");
}

/// Every counts-table vector the command line can express (a CSV of the table's columns; options as
/// flags) through `cem … --count count`: values within the vector's tolerance, refusals with its code.
#[test]
fn counts_table_vectors_through_the_command_line() {
    use serde_json::Value;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/vectors/counts_table.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let (name, inp, expected) = (case["name"].as_str().unwrap(), &case["input"], &case["expected"]);
        let table = inp["table"].as_object().unwrap();
        let len = table["answer"].as_array().unwrap().len();
        let options = inp["options"].as_object().unwrap();
        // Rows cannot hold columns of different lengths; --every needs a trend; clap itself refuses
        // --weight-sum without --weight-sq-sum (tested above).
        if table.contains_key("weight_sum") != table.contains_key("weight_sq_sum") {
            continue;
        }
        if table.values().any(|c| c.as_array().unwrap().len() != len)
            || (inp["kind"] == "benchmark" && options.contains_key("every"))
        {
            continue;
        }
        let cols: Vec<&String> = table.keys().collect();
        let mut csv = cols.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",") + "\n";
        for i in 0..len {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| match &table[c.as_str()][i] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect();
            csv += &(cells.join(",") + "\n");
        }
        let metric = inp["metric"]["kind"].as_str().unwrap().to_string();
        let mut args: Vec<String> =
            vec![metric, "-".into(), "--answer".into(), "answer".into(), "--count".into(), "count".into()];
        args.extend(["--format".into(), "json".into()]);
        for (col, flag) in [
            ("segment", "--segment"),
            ("day", "--trend"),
            ("weight_sum", "--weight-sum"),
            ("weight_sq_sum", "--weight-sq-sum"),
        ] {
            if table.contains_key(col) {
                args.extend([flag.to_string(), col.to_string()]);
            }
        }
        let mut flags: Vec<(String, &Value)> = options.iter().map(|(k, v)| (k.clone(), v)).collect();
        if let Some(t) = inp["metric"].get("threshold") {
            flags.push(("threshold".into(), t));
        }
        for (k, v) in flags {
            args.extend([
                format!("--{}", k.replace('_', "-")),
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            ]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, out, err) = cem(&args, &csv);
        ran += 1;
        match expected.get("error") {
            Some(code) => assert!(!ok && err.contains(&format!("[{}]", code.as_str().unwrap())), "{name}: {err}"),
            None => {
                assert!(ok, "{name}: {err}");
                let mut actual: Value = serde_json::from_str(&out).unwrap();
                if inp["kind"] == "estimate" {
                    // The vectors flatten the interval, as every driver does.
                    actual["lower"] = actual["interval"]["lower"].clone();
                    actual["upper"] = actual["interval"]["upper"].clone();
                }
                let tol = &case["tolerance"];
                let (abs, rel) = (tol["abs"].as_f64().unwrap(), tol["rel"].as_f64().unwrap());
                let mut failures = Vec::new();
                check(name, &actual, expected, abs, rel, &mut failures);
                assert!(failures.is_empty(), "{}", failures.join("\n"));
            }
        }
    }
    assert!(ran >= 20, "only {ran} vectors");
}
