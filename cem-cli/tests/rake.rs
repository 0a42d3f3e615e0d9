//! `cem rake` and `--margins` on the scores, end to end.

mod common;
use common::{cem_text, check};

const CSV: &str = "region,channel,nps\nn,web,10\nn,web,9\nn,app,3\nn,app,8\ns,web,6\ns,app,10\ns,app,2\nn,web,7\n";

/// A margins file in the system's temporary directory, named for the test.
fn margins(test: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("cem-rake-{test}-{}.csv", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

const SHARES: &str = "variable,level,value\nregion,n,0.5\nregion,s,0.5\nchannel,web,0.3\nchannel,app,0.7\n";

#[test]
fn rake_writes_the_csv_back_with_weights_that_meet_the_margins() {
    let m = margins("meet", SHARES);
    let (ok, out, err) = cem_text(&["rake", "-", "--margins", &m], CSV);
    assert!(ok, "{err}");
    assert!(err.contains("design effect"), "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("region,channel,nps,raked_weight"));
    let (mut n, mut web, mut total) = (0.0, 0.0, 0.0);
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let w: f64 = cells[3].parse().unwrap();
        total += w;
        n += if cells[0] == "n" { w } else { 0.0 };
        web += if cells[1] == "web" { w } else { 0.0 };
    }
    assert!((total - 8.0).abs() < 1e-9 && (n - 4.0).abs() < 1e-9 && (web - 2.4).abs() < 1e-9, "{out}");
}

#[test]
fn a_score_with_margins_is_the_score_weighted_by_the_raked_weights() {
    let m = margins("score", SHARES);
    let (ok, raked, err) = cem_text(&["rake", "-", "--margins", &m], CSV);
    assert!(ok, "{err}");
    let (ok, by_hand, err) =
        cem_text(&["nps", "-", "--answer", "nps", "--weight", "raked_weight", "--format", "json"], &raked);
    assert!(ok, "{err}");
    let (ok, direct, err) = cem_text(&["nps", "-", "--answer", "nps", "--margins", &m, "--format", "json"], CSV);
    assert!(ok, "{err}");
    let (a, b): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&by_hand).unwrap(), serde_json::from_str(&direct).unwrap());
    assert_eq!(a["value"], b["value"]);
    assert_eq!(a["effective_n"], b["effective_n"]);
    let (ok, table, _) = cem_text(&["nps", "-", "--answer", "nps", "--margins", &m, "--segment", "channel"], CSV);
    assert!(ok && table.contains("design effect"), "{table}");
}

#[test]
fn refusals_name_the_fault_and_its_code() {
    let bad = margins("disagree", "variable,level,value\nregion,n,50\nregion,s,50\nchannel,web,30\nchannel,app,60\n");
    let (ok, _, err) = cem_text(&["rake", "-", "--margins", &bad], CSV);
    assert!(
        !ok && err.contains("totalling 100") && err.contains("totalling 90") && err.contains("[margins_disagree]"),
        "{err}"
    );
    let partial = margins("target", "variable,level,value\nregion,n,1\n");
    let (ok, _, err) = cem_text(&["rake", "-", "--margins", &partial], CSV);
    assert!(!ok && err.contains("row 5 (line 6)") && err.contains("[level_without_target]"), "{err}");
    let (ok, _, err) = cem_text(&["rake", "-", "--margins", &partial, "--segment", "region"], CSV);
    assert!(!ok && err.contains("does not read --segment"), "{err}");
    let m = margins("sweeps", SHARES);
    let (ok, _, err) = cem_text(&["nps", "-", "--answer", "nps", "--margins", &m, "--max-sweeps", "1"], CSV);
    assert!(!ok && err.contains("[not_converged]"), "{err}");
}

#[test]
fn calibrated_scores_match_the_rake_estimate_vectors() {
    use serde_json::Value;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/vectors/rake.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in vectors["cases"].as_array().unwrap().iter().filter(|c| c["call"] == "rake_estimate") {
        let (name, input) = (case["name"].as_str().unwrap(), &case["input"]);
        let options = input["options"].as_object().unwrap();
        assert!(options.keys().all(|k| k == "correction" || k == "alpha"), "{name}: options the test does not pass");
        // The vector as a file: its raking columns, the answers, the segment and base weights if any.
        let columns = input["columns"].as_object().unwrap();
        let mut header: Vec<String> = columns.keys().cloned().collect();
        header.push("nps".into());
        let segment = input.get("segment").filter(|s| !s.is_null());
        let base = input.get("base_weights").filter(|s| !s.is_null());
        header.extend(segment.map(|_| "segment".to_string()));
        header.extend(base.map(|_| "base".to_string()));
        let mut csv = header.join(",") + "\n";
        for (i, a) in input["answers"].as_array().unwrap().iter().enumerate() {
            let mut cells: Vec<String> = columns.values().map(|c| c[i].as_str().unwrap().to_string()).collect();
            cells.push(a.to_string());
            cells.extend(segment.map(|s| s[i].as_str().unwrap().to_string()));
            cells.extend(base.map(|b| b[i].to_string()));
            csv += &(cells.join(",") + "\n");
        }
        let mut long = String::from("variable,level,value\n");
        for (v, levels) in input["margins"].as_object().unwrap() {
            for (l, x) in levels.as_object().unwrap() {
                long += &format!("{v},{l},{x}\n");
            }
        }
        let m = margins(name, &long);
        let mut args = vec!["nps", "-", "--answer", "nps", "--margins", &m, "--calibrated", "--format", "json"];
        if segment.is_some() {
            args.extend(["--segment", "segment"]);
        }
        if base.is_some() {
            args.extend(["--weight", "base"]);
        }
        let correction = options.get("correction").map(|c| c.as_str().unwrap().to_string());
        let alpha = options.get("alpha").map(Value::to_string);
        if let Some(c) = &correction {
            args.extend(["--correction", c]);
        }
        if let Some(a) = &alpha {
            args.extend(["--alpha", a]);
        }
        let (ok, out, err) = cem_text(&args, &csv);
        assert!(ok, "{name}: {err}");
        let actual: Value = serde_json::from_str(&out).unwrap();
        let tol = &case["tolerance"];
        let (abs, rel) = (tol["abs"].as_f64().unwrap(), tol["rel"].as_f64().unwrap());
        check(name, &actual["rows"], &case["expected"]["rows"], abs, rel, &mut failures);
        ran += 1;
    }
    assert_eq!(ran, 5);
    assert!(failures.is_empty(), "{failures:#?}");
    // The table names the calibrated error; a flag a calibrated score does not read is refused.
    let m = margins("calibrated-table", SHARES);
    let (ok, table, err) =
        cem_text(&["nps", "-", "--answer", "nps", "--margins", &m, "--calibrated", "--segment", "channel"], CSV);
    assert!(
        ok && table.contains("calibrated SE") && table.contains("vs rest") && table.lines().count() == 5,
        "{table}{err}"
    );
    let (ok, _, err) =
        cem_text(&["nps", "-", "--answer", "nps", "--margins", &m, "--calibrated", "--min-n", "10"], CSV);
    assert!(!ok && err.contains("does not read --min-n"), "{err}");
    let (ok, _, err) = cem_text(&["nps", "-", "--answer", "nps", "--calibrated"], CSV);
    assert!(!ok && err.contains("--margins"), "{err}");
}
