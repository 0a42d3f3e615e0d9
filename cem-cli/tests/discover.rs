//! `cem discover`: the planted slice found in the table, JSON and CSV; flags it does not read refused;
//! every discover vector through the command line.

mod common;

use common::{cem_text, check};

/// A CSV where the East on the phone is far worse than the East or the phone alone.
fn survey() -> String {
    let mut csv = String::from("region,channel,nps\n");
    for i in 0..1200 {
        let region = ["East", "West", "North"][i % 3];
        let channel = ["phone", "web"][(i / 3) % 2];
        let nps =
            if region == "East" && channel == "phone" { [2, 5, 7, 9][i / 6 % 4] } else { [10, 9, 8, 6][i / 6 % 4] };
        csv.push_str(&format!("{region},{channel},{nps}\n"));
    }
    csv
}

#[test]
fn the_planted_slice_is_found_in_every_format() {
    let (ok, out, err) = cem_text(&["discover", "-", "--answer", "nps", "--attributes", "region,channel"], &survey());
    assert!(ok, "{err}");
    let first = out.lines().nth(2).unwrap();
    assert!(first.starts_with("1 "), "{out}");
    assert!(first.ends_with("▼  region=East & channel=phone  (productive)"), "{out}");
    assert!(out.contains("m = 11 slices"), "{out}");

    let (ok, out, err) =
        cem_text(&["discover", "-", "--answer", "nps", "--format", "json", "--show", "all"], &survey());
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rows"][0]["slice"], "region=East & channel=phone");
    assert_eq!(v["rows"][0]["productive"], true);
    assert_eq!(v["summary"]["m"], 11);
    assert_eq!(v["rows"].as_array().unwrap().len(), 11);

    let (ok, out, err) = cem_text(&["discover", "-", "--answer", "nps", "--format", "csv", "--limit", "1"], &survey());
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("slice,depth,n,"));
    assert!(lines[1].starts_with("region=East & channel=phone,2,200,"), "{out}");
}

#[test]
fn flags_the_search_does_not_read_are_refused() {
    let (ok, _, err) = cem_text(&["discover", "-", "--answer", "nps", "--against", "overall"], &survey());
    assert!(!ok && err.contains("discover does not read this option"), "{err}");
    let (ok, _, err) = cem_text(&["discover", "-", "--answer", "nps", "--depth", "5"], &survey());
    assert!(!ok && err.contains("invalid depth = 5") && err.contains("[invalid_parameter]"), "{err}");
    let (ok, _, err) = cem_text(&["discover", "-", "--answer", "nps", "--attributes", "regoin"], &survey());
    assert!(!ok && err.contains("did you mean region?"), "{err}");
    let (ok, _, err) = cem_text(&["nps", "-", "--answer", "nps", "--depth", "2"], &survey());
    assert!(!ok && err.contains("--depth is read by `cem discover` only"), "{err}");
    // A blank attribute: the value (missing) by default, or its row skipped.
    let holed = survey().replacen("East,phone,", ",phone,", 1);
    let json = |extra: &[&str]| {
        let args = [&["discover", "-", "--answer", "nps", "--format", "json", "--show", "all", "--min-n", "1"], extra]
            .concat();
        let (ok, out, err) = cem_text(&args, &holed);
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).unwrap()
    };
    let kept = json(&[]);
    assert_eq!(kept["summary"]["skipped"], 0);
    assert!(kept["rows"].as_array().unwrap().iter().any(|r| r["slice"] == "region=(missing)" && r["n"] == 1));
    let skipped = json(&["--missing", "skip"]);
    assert_eq!(skipped["summary"]["skipped"], 1);
    assert!(!skipped["rows"].as_array().unwrap().iter().any(|r| r["slice"] == "region=(missing)"));
}

#[test]
fn discover_vectors_through_the_command_line() {
    use serde_json::Value;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/vectors/discover.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut ran = 0;
    for case in doc["cases"].as_array().unwrap() {
        let (name, inp, expected) = (case["name"].as_str().unwrap(), &case["input"], &case["expected"]);
        let columns = inp["columns"].as_object().unwrap();
        let len = columns.values().next().unwrap().as_array().unwrap().len();
        let names: Vec<&String> = columns.keys().collect();
        let mut csv = names.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",") + "\n";
        for i in 0..len {
            let cells: Vec<String> = names
                .iter()
                .map(|c| match &columns[c.as_str()][i] {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect();
            csv += &(cells.join(",") + "\n");
        }
        let mut args: Vec<String> = vec!["discover".into(), "-".into(), "--format".into(), "json".into()];
        for (k, v) in inp["options"].as_object().unwrap() {
            let value = match v {
                Value::Array(a) if k == "scale" => format!("{}..{}", a[0], a[1]),
                Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect::<Vec<_>>().join(","),
                Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            args.extend([format!("--{}", k.replace('_', "-")), value]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (ok, out, err) = cem_text(&args, &csv);
        ran += 1;
        match expected.get("error") {
            Some(code) => assert!(!ok && err.contains(&format!("[{}]", code.as_str().unwrap())), "{name}: {err}"),
            None => {
                assert!(ok, "{name}: {err}");
                let actual: Value = serde_json::from_str(&out).unwrap();
                let tol = &case["tolerance"];
                let (abs, rel) = (tol["abs"].as_f64().unwrap(), tol["rel"].as_f64().unwrap());
                let mut failures = Vec::new();
                check(name, &actual, expected, abs, rel, &mut failures);
                assert!(failures.is_empty(), "{}", failures.join("\n"));
            }
        }
    }
    assert_eq!(ran, doc["cases"].as_array().unwrap().len());
}
