//! The `cem` command end to end: output formats, and every bad-input case exits non-zero with the file,
//! row, column and value in the message and nothing on stdout.

use std::process::Command;

mod common;
use common::cem;

const CSV: &str = "region,nps,w\nnorth,10,1.0\nnorth,9,2.0\nsouth,3,1.0\nsouth,8,0.5\nnorth,6,1.0\n";

fn failure(args: &[&str], stdin: &str) -> String {
    let out = cem(args, stdin);
    assert!(!out.status.success(), "expected failure for {args:?}");
    assert!(out.stdout.is_empty(), "partial output: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn prints_the_overall_score_from_stdin() {
    let out = cem(&["nps", "-", "--answer", "nps"], CSV);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NPS") && text.contains("0.00  [-57.46, 57.46]"), "{text}");
    // 2 promoters, 2 detractors
}

#[test]
fn json_output_is_the_core_serde_form() {
    let out = cem(&["nps", "-", "--answer", "nps", "--format", "json"], CSV);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let t = cem_core::Tally::from_answers(cem_core::Scale::NPS, &[10u8, 9, 3, 8, 6], None, Default::default()).unwrap();
    let e = cem_core::Metric::Nps.estimate(&t, &Default::default()).unwrap();
    assert_eq!(v, serde_json::to_value(&e).unwrap());
}

#[test]
fn segment_benchmark_as_csv_and_table() {
    let out = cem(&["nps", "-", "--answer", "nps", "--segment", "region", "--min-n", "1", "--format", "csv"], CSV);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("key,n,effective_n"));
    assert_eq!(text.lines().count(), 3);
    let out = cem(&["nps", "-", "--answer", "nps", "--segment", "region"], CSV);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("low n") && text.contains("against the rest"), "{text}");
}

#[test]
fn missing_column_is_named_with_the_columns_there_are() {
    let err = failure(&["nps", "-", "--answer", "score"], CSV);
    assert!(err.contains("<stdin>: there is no column \"score\"") && err.contains("region, nps, w"), "{err}");
}

#[test]
fn out_of_range_answer_names_row_column_value() {
    let err = failure(&["nps", "-", "--answer", "nps"], "nps\n9\n11\n");
    assert!(err.contains("row 2 (line 3)") && err.contains("\"nps\"") && err.contains("answer 11"), "{err}");
}

#[test]
fn non_integer_answer_names_row_column_value() {
    let err = failure(&["nps", "-", "--answer", "nps"], "nps\n9\n6.5\n");
    assert!(err.contains("row 2") && err.contains("6.5") && err.contains("not a whole number"), "{err}");
}

#[test]
fn text_in_an_answer_column_is_reported() {
    let err = failure(&["nps", "-", "--answer", "nps"], "nps\n9\nten\n");
    assert!(err.contains("row 2") && err.contains("\"ten\" is not a number"), "{err}");
}

#[test]
fn blank_answers_are_an_error_unless_skipped() {
    let csv = "nps,x\n9,a\n,b\n7,c\n";
    let err = failure(&["nps", "-", "--answer", "nps"], csv);
    assert!(err.contains("row 2") && err.contains("skip"), "{err}");
    assert!(cem(&["nps", "-", "--answer", "nps", "--missing", "skip"], csv).status.success());
}

#[test]
fn a_blank_segment_is_a_missing_key_naming_row_and_column() {
    let csv = "region,nps\nnorth,9\n  ,7\nsouth,3\n";
    for missing in ["error", "skip"] {
        let err = failure(&["nps", "-", "--answer", "nps", "--segment", "region", "--missing", missing], csv);
        assert!(
            err.contains("row 2 (line 3)")
                && err.contains("\"region\"")
                && err.trim_end().ends_with("[invalid_segment]"),
            "{err}"
        );
    }
}

#[test]
fn invalid_weight_names_the_weight_column() {
    let err = failure(&["nps", "-", "--answer", "nps", "--weight", "w"], "nps,w\n9,1\n7,-2\n");
    assert!(err.contains("row 2") && err.contains("\"w\"") && err.contains("-2"), "{err}");
}

#[test]
fn an_error_after_the_first_chunk_reports_its_true_row() {
    let mut csv = String::from("nps\n");
    for _ in 0..70_000 {
        csv.push_str("9\n");
    }
    csv.push_str("12\n");
    let err = failure(&["nps", "-", "--answer", "nps"], &csv);
    assert!(err.contains("row 70001 (line 70002)"), "{err}");
}

#[test]
fn bad_options_are_reported() {
    assert!(failure(&["nps", "-", "--answer", "nps", "--segment", "region", "--against", "sideways"], CSV)
        .contains("against"));
    assert!(failure(&["nps", "-", "--answer", "nps", "--level", "2"], CSV).contains("level"));
    assert!(failure(&["magic", "-", "--answer", "nps"], CSV).contains("metric"));
    assert!(failure(&["nps", "missing-file.csv", "--answer", "nps"], "").contains("missing-file.csv"));
}

#[test]
fn a_ragged_row_is_reported() {
    let err = failure(&["nps", "-", "--answer", "nps"], "a,nps\n1,9\n2\n");
    assert!(err.contains("<stdin>"), "{err}");
}

#[test]
fn trend_needs_iso_dates() {
    let err = failure(&["nps", "-", "--answer", "nps", "--trend", "d"], "d,nps\n2025-01-03,9\nyesterday,7\n");
    assert!(err.contains("row 2") && err.contains("\"yesterday\"") && err.contains("[invalid_date]"), "{err}");
}

#[test]
fn trend_per_segment_keeps_empty_periods_and_tests_period_against_period() {
    let csv =
        "d,r,nps\n2025-01-03,a,10\n2025-01-04,a,0\n2025-03-30T23:59:00-05:00,a,10\n2025-03-01,b,9\n2025-04-01,a,10\n";
    let out = cem(
        &["nps", "-", "--answer", "nps", "--trend", "d", "--segment", "r", "--min-n", "1", "--format", "json"],
        csv,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let t: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(t["periods"], serde_json::json!(["2025-01", "2025-02", "2025-03", "2025-04"]));
    assert_eq!(t["segments"], serde_json::json!(["a", "b"]));
    let a: Vec<&serde_json::Value> = t["rows"].as_array().unwrap().iter().filter(|r| r["segment"] == "a").collect();
    assert_eq!(a.iter().map(|r| r["n"].as_u64().unwrap()).collect::<Vec<_>>(), [2, 0, 1, 1]);
    assert_eq!(a[0]["value"], 0.0); // one promoter, one detractor
    assert!(a[2]["reference_value"].is_null()); // February had no answers: nothing to compare March with
    assert_eq!(a[3]["difference"], 0.0); // April against March: 100 − 100
    let weekly = cem(&["nps", "-", "--answer", "nps", "--trend", "d", "--every", "week", "--format", "csv"], csv);
    let text = String::from_utf8(weekly.stdout).unwrap();
    assert!(text.starts_with("segment,period,n,"), "{text}");
    assert!(text.contains(",2025-W01,2,") && text.contains(",2025-W13,1,") && text.contains(",2025-W14,"), "{text}");
    let e = failure(&["nps", "-", "--answer", "nps", "--every", "week"], csv);
    assert!(e.contains("--trend"), "{e}");
}

/// The bad-input matrix on the command line: every conformance error vector the command can express
/// (answers in a column, options as flags) fails with the vector's code at the end of the message.
#[test]
fn conformance_error_vectors_give_their_codes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/vectors/errors.json");
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut codes = std::collections::BTreeSet::new();
    for case in doc["cases"].as_array().unwrap() {
        let inp = &case["input"];
        let rows = |k: &str| inp.get(k).and_then(|a| a.as_array()).map(Vec::len);
        // A CSV has one weight per answer, so a length mismatch cannot be written as one.
        let expressible = matches!(case["call"].as_str(), Some("tally" | "estimate"))
            && rows("answers").is_some()
            && rows("weights").is_none_or(|n| Some(n) == rows("answers"))
            && inp.get("counts").is_none()
            && inp
                .get("options")
                .and_then(|o| o.as_object())
                .is_none_or(|o| o.keys().all(|k| matches!(k.as_str(), "level" | "method")));
        if !expressible {
            continue;
        }
        let cell = |v: &serde_json::Value| if v.is_null() { String::new() } else { v.to_string().replace('"', "") };
        let answers = inp["answers"].as_array().unwrap();
        let weights = inp.get("weights").and_then(|w| w.as_array());
        let mut csv = String::from(if weights.is_some() { "a,w\n" } else { "a\n" });
        for (i, a) in answers.iter().enumerate() {
            csv += &cell(a);
            if let Some(w) = weights {
                csv += &format!(",{}", cell(&w[i]));
            }
            csv += "\n";
        }
        let metric = inp.get("metric").cloned().unwrap_or(serde_json::json!({"kind": "mean"}));
        let scale = format!("{}..{}", inp["scale"][0], inp["scale"][1]);
        let mut args: Vec<String> =
            vec![metric["kind"].as_str().unwrap().into(), "-".into(), "--answer".into(), "a".into()];
        // NPS and CES fix their scales: the command refuses --scale for them, as every binding does.
        if !matches!(metric["kind"].as_str(), Some("nps" | "ces")) {
            args.extend(["--scale".into(), scale]);
        }
        if weights.is_some() {
            args.extend(["--weight".into(), "w".into()]);
        }
        for (flag, key) in [("--threshold", "threshold"), ("--ces-version", "version")] {
            if let Some(v) = metric.get(key) {
                args.extend([flag.into(), v.to_string()]);
            }
        }
        if let Some(m) = inp.get("missing").and_then(|m| m.as_str()) {
            args.extend(["--missing".into(), m.into()]);
        }
        for (k, v) in inp.get("options").and_then(|o| o.as_object()).into_iter().flatten() {
            args.extend([format!("--{k}"), cell(v)]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let code = case["expected"]["error"].as_str().unwrap();
        let message = failure(&args, &csv);
        assert!(message.trim_end().ends_with(&format!("[{code}]")), "{}: {args:?}\n{csv}\n{message}", case["name"]);
        codes.insert(code);
    }
    let reached: Vec<&str> = codes.into_iter().collect();
    let expected = ["empty", "invalid_parameter", "invalid_weight", "missing_value", "not_an_integer", "out_of_range"];
    assert_eq!(reached, expected);
}

#[test]
fn classify_writes_the_csv_back_with_each_answers_category() {
    let csv = "id,nps,region\n1,10,north\n2,6,\"south, east\"\n3,,x\n4,8,y\n5,9.0,z\n";
    let out = cem(&["classify", "-", "--answer", "nps", "--missing", "skip"], csv);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "id,nps,region,nps_category\n1,10,north,promoter\n2,6,\"south, east\",detractor\n3,,x,\n4,8,y,passive\n5,9.0,z,promoter\n"
    );
}

#[test]
fn classify_reads_the_metric_and_its_options() {
    let out = cem(&["classify", "-", "--answer", "a", "--metric", "csat"], "a\n5\n3\n4\n");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "a,a_category\n5,satisfied\n3,not_satisfied\n4,satisfied\n");
    let out = cem(&["classify", "-", "--answer", "a", "--metric", "ces", "--ces-version", "1"], "a\n1\n3\n5\n");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "a,a_category\n1,easy\n3,neutral\n5,effortful\n");
    let out = cem(
        &["classify", "-", "--answer", "a", "--metric", "top-box", "--scale", "1..7", "--threshold", "6"],
        "a\n7\n5\n",
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "a,a_category\n7,top\n5,not_top\n");
}

#[test]
fn classify_counts_equal_the_scores_breakdown() {
    let mut csv = String::from("nps\n");
    for i in 0..100_000u32 {
        csv.push_str(&format!("{}\n", (i * 7 + i / 13) % 11));
    }
    let out = cem(&["classify", "-", "--answer", "nps"], &csv);
    let text = String::from_utf8(out.stdout).unwrap();
    let count = |name: &str| text.lines().filter(|l| l.ends_with(&format!(",{name}"))).count() as u64;
    let json = cem(&["nps", "-", "--answer", "nps", "--format", "json"], &csv);
    let e: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let b = &e["breakdown"];
    assert_eq!(text.lines().count(), 100_001);
    assert_eq!(
        [count("detractor"), count("passive"), count("promoter")],
        [b["detractors"].as_u64().unwrap(), b["passives"].as_u64().unwrap(), b["promoters"].as_u64().unwrap()]
    );
}

#[test]
fn classify_stops_on_a_bad_answer_naming_its_true_row() {
    let mut csv = String::from("nps\n");
    for _ in 0..70_000 {
        csv.push_str("9\n");
    }
    csv.push_str("6.5\n");
    let out = cem(&["classify", "-", "--answer", "nps"], &csv);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("row 70001 (line 70002)") && err.trim_end().ends_with("[not_an_integer]"), "{err}");
    // The chunk before the bad one's (65,536 rows) was written; the bad one's was not.
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 1 + 65_536);
}

#[test]
fn classify_refuses_flags_it_does_not_read() {
    assert!(failure(&["classify", "-", "--answer", "nps", "--level", "0.9"], CSV).contains("classify does not read"));
    assert!(failure(&["classify", "-", "--answer", "nps", "--segment", "region"], CSV).contains("--segment"));
    assert!(failure(&["classify", "-", "--answer", "nps", "--format", "json"], CSV).contains("--format"));
    assert!(failure(&["classify", "-", "--answer", "nps", "--metric", "mean", "--scale", "1..5"], CSV)
        .contains("no categories"));
    assert!(
        failure(&["nps", "-", "--answer", "nps", "--metric", "csat"], CSV).contains("--metric is read by cem classify")
    );
}

/// The `cem classify` commands of the book's "Closing the loop" chapter run on the bundled survey.
#[test]
fn the_books_classify_commands_run() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let chapter = std::fs::read_to_string(format!("{root}/docs/src/closing-the-loop.md")).unwrap();
    let commands: Vec<&str> = chapter.lines().filter(|l| l.starts_with("cem classify ")).collect();
    assert_eq!(commands.len(), 3);
    for line in commands {
        let command = line.split(['>', '#']).next().unwrap();
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_cem")).args(&args).current_dir(root).output().unwrap();
        assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let answer = args[args.iter().position(|&a| a == "--answer").unwrap() + 1];
        assert!(text.lines().next().unwrap().ends_with(&format!(",{answer}_category")), "{line}");
        assert_eq!(text.lines().count(), 30_001, "{line}");
    }
}

/// The cells of a table line with their (start, end) character offsets: cells are separated by two or
/// more spaces (a cell holds at most single spaces: "95% interval", "[7.91, 9.77]", "▼ lower").
fn cells(line: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let (mut out, mut i) = (vec![], 0);
    while i < chars.len() {
        let start = i;
        while i < chars.len() && !(chars[i] == ' ' && chars.get(i + 1) == Some(&' ')) {
            i += 1;
        }
        out.push((start, i));
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
    }
    out
}

/// Every table in `text` (the lines from a header starting with `first` to the next line that is not a
/// row) has its columns aligned: names start at 0, numbers end at the same offset in every row.
fn assert_aligned(text: &str, first: &str, max_width: usize) {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.starts_with(first)).unwrap_or_else(|| panic!("no table in {text}"));
    let header = cells(lines[start]);
    let rows: Vec<&str> = lines[start..].iter().copied().take_while(|l| cells(l).len() + 1 >= header.len()).collect();
    assert!(rows.len() >= 2, "{text}");
    for row in &rows {
        assert!(row.chars().count() <= max_width, "{} columns > {max_width}:\n{text}", row.chars().count());
        let c = cells(row);
        // Right-aligned numeric columns (all but the first and the last) end where the header's do.
        for k in 1..header.len() - 1 {
            assert_eq!(c[k].1, header[k].1, "column {k} misaligned in {row:?}:\n{text}");
        }
    }
}

#[test]
fn every_table_is_aligned_with_any_segment_names() {
    let single = cem(&["nps", "-", "--answer", "nps"], CSV);
    let text = String::from_utf8(single.stdout).unwrap();
    assert_aligned(&text, "metric", 80);
    assert_eq!(text.lines().nth(1).unwrap(), "NPS      0.00  [-57.46, 57.46]  5          5.0  adjusted_wald");

    // Segment names from 1 to 200 characters (ASCII and accented), dates for the trend.
    let mut csv = String::from("region,nps,date\n");
    for (i, len) in [1usize, 7, 39, 40, 41, 80, 200].into_iter().enumerate() {
        let name: String = std::iter::repeat_n(if i % 2 == 0 { 'é' } else { 'x' }, len).collect();
        for j in 0..40 {
            csv.push_str(&format!("{name}{i},{},2025-0{}-15\n", [10, 9, 3, 7][(i + j) % 4], 1 + j % 3));
        }
    }
    let bench = String::from_utf8(cem(&["nps", "-", "--answer", "nps", "--segment", "region"], &csv).stdout).unwrap();
    assert_aligned(&bench, "region", 200);
    // Names longer than KEY_WIDTH (40) are cut to their start and end around an ellipsis: still distinct.
    assert!(bench.contains(&format!("{}…{}3 ", "x".repeat(27), "x".repeat(11))), "{bench}");
    assert!(bench.contains(&format!("{}…{}5 ", "x".repeat(27), "x".repeat(11))), "{bench}");
    let trend = cem(&["nps", "-", "--answer", "nps", "--trend", "date", "--segment", "region"], &csv);
    let trend = String::from_utf8(trend.stdout).unwrap();
    assert_aligned(&trend, "region", 200);
    let plain = String::from_utf8(cem(&["nps", "-", "--answer", "nps", "--trend", "date"], &csv).stdout).unwrap();
    assert_aligned(&plain, "period", 120);
}
