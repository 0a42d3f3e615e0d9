//! Text typed by customers stays text: a segment name or column header holding terminal control sequences
//! (`ESC ] 0 ; … BEL` retitles a terminal, `ESC [ 31 m` colours it) prints escaped (`\x1b`) in every table
//! and error message, while CSV and JSON keep the value whole, quoted by their format.

mod common;
use common::cem_text;

/// A segment name that would retitle the terminal and turn the rest of the table red.
const HOSTILE: &str = "\x1b]0;pwned\x07\x1b[31mNorth\u{202e}";
/// How a table shows it.
const SHOWN: &str = r"\x1b]0;pwned\x07\x1b[31mNorth\u{202e}";
/// A column header of the same kind.
const COLUMN: &str = "re\x1b[2Jgion";

fn survey() -> String {
    let mut csv = format!("date,{COLUMN},nps,ease,speed\n");
    for i in 0..60 {
        let csv_key = if i % 2 == 0 { HOSTILE.to_string() } else { "\"a,\"\"quoted\"\" key\"".to_string() };
        csv.push_str(&format!(
            "2025-0{}-10,{csv_key},{},{},{}\n",
            1 + i % 3,
            [10, 9, 6, 3, 8][i % 5],
            1 + i % 5,
            1 + (i * 7) % 5
        ));
    }
    csv
}

/// No control character reaches the terminal (only the table's own line breaks).
fn assert_inert(text: &str) {
    let raw: Vec<char> = text.chars().filter(|&c| (c.is_control() && c != '\n') || c == '\u{202e}').collect();
    assert!(raw.is_empty(), "raw control characters {raw:?} in:\n{text}");
}

#[test]
fn tables_show_control_characters_escaped() {
    let csv = survey();
    let runs: [&[&str]; 3] = [
        &["nps", "-", "--answer", "nps", "--segment", COLUMN, "--min-n", "1"],
        &["nps", "-", "--answer", "nps", "--segment", COLUMN, "--trend", "date", "--min-n", "1"],
        &["drivers", "-", "--outcome", "nps", "--drivers", "ease,speed", "--segment", COLUMN],
    ];
    for args in runs {
        let (ok, out, err) = cem_text(args, &csv);
        assert!(ok, "{args:?}: {err}");
        assert_inert(&out);
        assert!(out.contains(SHOWN), "{args:?}: the key is not shown escaped:\n{out}");
        assert!(out.contains(r"re\x1b[2Jgion"), "{args:?}: the column is not shown escaped:\n{out}");
    }
}

#[test]
fn error_messages_show_control_characters_escaped() {
    let (ok, out, err) = cem_text(&["nps", "-", "--answer", "score"], &survey());
    assert!(!ok && out.is_empty());
    assert_inert(&err);
    assert!(err.contains(r"re\x1b[2Jgion"), "{err}");
}

#[test]
fn csv_and_json_keep_the_value() {
    let csv = survey();
    let keys = |text: &str, column: usize| -> Vec<String> {
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let mut keys: Vec<String> = r.records().map(|row| row.unwrap()[column].to_string()).collect();
        keys.dedup();
        keys
    };
    let want = vec![HOSTILE.to_string(), "a,\"quoted\" key".to_string()];
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v.dedup();
        v
    };

    let (ok, out, err) = cem_text(&["nps", "-", "--answer", "nps", "--segment", COLUMN, "--format", "csv"], &csv);
    assert!(ok, "{err}");
    assert_eq!(sorted(keys(&out, 0)), sorted(want.clone()));

    let args = ["drivers", "-", "--outcome", "nps", "--drivers", "ease,speed", "--segment", COLUMN, "--format", "csv"];
    let (ok, out, err) = cem_text(&args, &csv);
    assert!(ok, "{err}");
    assert_eq!(sorted(keys(&out, 0)), sorted(want.clone()));
    assert_eq!(out.lines().count(), 5, "{out}"); // header + 2 segments × 2 drivers: no key split a row

    let (ok, out, err) = cem_text(&["nps", "-", "--answer", "nps", "--segment", COLUMN, "--format", "json"], &csv);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let got: Vec<String> =
        v["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap().to_string()).collect();
    assert_eq!(sorted(got), sorted(want));
}
