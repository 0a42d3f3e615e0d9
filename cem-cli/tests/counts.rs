//! `cem … --count n`: a counts file (an engine's GROUP BY output) scores exactly as the rows it counts —
//! the same JSON for a benchmark, a trend grouped by day and a single score — and a bad group is refused
//! naming its segment and value.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

fn cem(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cem"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let out = child.wait_with_output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

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
