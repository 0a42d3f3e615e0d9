//! `cem drivers`: key driver analysis from a CSV, end to end.

mod common;
use common::cem;

const CSV: &str =
    "region,y,x,z\na,1,1,2\na,2,2,1\na,3,3,3\na,4,4,2\na,6,5,4\nb,2,1,1\nb,2,2,3\nb,5,3,2\nb,4,4,5\nb,6,5,4\n";

fn json(args: &[&str]) -> serde_json::Value {
    let out = cem(args, CSV);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn one_driver_gets_all_of_r2_which_is_its_squared_correlation() {
    let v = json(&["drivers", "-", "--outcome", "y", "--drivers", "x", "--format", "json"]);
    // r(x, y) over the ten rows, by hand: x̄ = 3, ȳ = 3.5, Sxy = 22, Sxx = 20, Syy = 28.5.
    let r2 = 22.0f64 * 22.0 / (20.0 * 28.5);
    assert!((v["r2"].as_f64().unwrap() - r2).abs() < 1e-12);
    assert!((v["drivers"][0]["importance"].as_f64().unwrap() - r2).abs() < 1e-12);
    assert_eq!(v["drivers"][0]["share"].as_f64().unwrap(), 100.0);
    assert_eq!(v["n"], 10);
}

#[test]
fn per_segment_tables_and_json() {
    let v = json(&["drivers", "-", "--outcome", "y", "--drivers", "x,z", "--segment", "region", "--format", "json"]);
    assert_eq!(v["a"]["n"], 5);
    assert_eq!(v["b"]["n"], 5);
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "x,z", "--segment", "region"], CSV);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("region: a") && text.contains("region: b") && text.contains("Key drivers of y"), "{text}");
}

#[test]
fn bad_input_and_unread_flags_are_refused() {
    let blank = CSV.replace("b,5,3,2", "b,5,,2");
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "x,z"], &blank);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success() && err.contains("row 8") && err.contains("[missing_value]"), "{err}");
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "x,z", "--alpha", "0.1"], CSV);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("invalid alpha") && err.contains("[invalid_parameter]"), "{err}");
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "x,nope"], CSV);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("no column \"nope\""), "{err}");
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "x,z", "--method", "lgm"], CSV);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("use one of lmg"), "{err}");
}

/// The bootstrap conformance vector (from the generator's independent resampling) through the command:
/// its columns as a CSV, its options as flags; the same intervals and rank-first probabilities.
#[test]
fn the_bootstrap_vector_through_the_command() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/vectors/drivers.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let case = doc["cases"].as_array().unwrap().iter().find(|c| c["name"] == "drivers_lmg_bootstrap").unwrap();
    let (columns, options) = (case["input"]["columns"].as_object().unwrap(), &case["input"]["options"]);
    let names: Vec<&String> = columns.keys().collect();
    let rows = columns[names[0]].as_array().unwrap().len();
    let mut csv = names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(",") + "\n";
    for i in 0..rows {
        let row: Vec<String> = names.iter().map(|n| columns[*n][i].as_f64().unwrap().to_string()).collect();
        csv += &(row.join(",") + "\n");
    }
    let drivers: Vec<&str> = options["drivers"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    let (resamples, seed) = (options["resamples"].to_string(), options["seed"].to_string());
    let args =
        ["drivers", "-", "--outcome", "y", "--drivers", &drivers.join(","), "--resamples", &resamples, "--seed", &seed];
    let out = cem(&[&args[..], &["--format", "json"]].concat(), &csv);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for (g, w) in got["drivers"].as_array().unwrap().iter().zip(case["expected"]["drivers"].as_array().unwrap()) {
        for key in ["importance", "share_lower", "share_upper", "importance_lower", "first_probability"] {
            let (g, w) = (g[key].as_f64().unwrap(), w[key].as_f64().unwrap());
            assert!((g - w).abs() <= 1e-8 + 1e-7 * w.abs(), "{key}: {g} vs {w}");
        }
    }
    // The table shows the share interval and P(first); --seed needs --resamples.
    let table = String::from_utf8(cem(&args, &csv).stdout).unwrap();
    assert!(table.contains("P(first)") && table.contains("case bootstrap: 200 resamples, seed 7"), "{table}");
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "d1", "--seed", "3"], &csv);
    assert!(!out.status.success());
}

#[test]
fn split_sets_where_the_quadrant_map_divides() {
    let v = json(&["drivers", "-", "--outcome", "y", "--drivers", "x,z", "--split", "10,2", "--format", "json"]);
    // The importance split is in R² units: 10% of R².
    let r2 = v["r2"].as_f64().unwrap();
    assert!((v["importance_split"].as_f64().unwrap() - 0.1 * r2).abs() < 1e-15);
    assert_eq!(v["performance_split"].as_f64(), Some(2.0));
    let out = cem(&["drivers", "-", "--outcome", "y", "--drivers", "x,z", "--split", "ten"], CSV);
    assert!(String::from_utf8_lossy(&out.stderr).contains("SHARE,MEAN"));
}
