//! `cem drivers`: key driver analysis from a CSV, end to end.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn cem(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cem"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

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
