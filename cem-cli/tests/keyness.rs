//! `cem keyness`: the terms that set one group's comments apart, end to end (table, CSV, JSON, errors).

mod common;
use common::cem;

const CSV: &str = "nps,region,comment\n\
2,north,\"On hold, again.\"\n\
3,north,Refund please\n\
1,north,on hold for ages\n\
10,south,Easy app\n\
9,south,so easy\n\
10,south,\n\
8,south,fine\n";

fn json(args: &[&str]) -> serde_json::Value {
    let out = cem(args, CSV);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn detractors_against_promoters_from_the_answer_column() {
    let v = json(&[
        "keyness",
        "-",
        "--text",
        "comment",
        "--answer",
        "nps",
        "--min-count",
        "2",
        "--min-n",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!((v["target"].as_str(), v["reference"].as_str()), (Some("detractor"), Some("promoter")));
    // Promoters: "Easy app", "so easy" and a blank (no comment); the passive's "fine" is in neither group.
    assert_eq!((v["target_texts"].as_u64(), v["reference_texts"].as_u64()), (Some(3), Some(2)));
    let terms: Vec<&str> = v["terms"].as_array().unwrap().iter().map(|t| t["term"].as_str().unwrap()).collect();
    assert_eq!(terms, ["easy", "hold", "on hold"]); // equal evidence: by term
    let hold = &v["terms"][1];
    assert_eq!((hold["target_mentions"].as_u64(), hold["target_rate"].as_f64()), (Some(2), Some(200.0 / 3.0)));
}

#[test]
fn a_segment_against_the_rest_as_a_table_and_csv() {
    let north = [
        "keyness",
        "-",
        "--text",
        "comment",
        "--segment",
        "region",
        "--target",
        "north",
        "--min-count",
        "2",
        "--min-n",
        "1",
    ];
    let text = String::from_utf8(cem(&[&north[..], &["--statistic", "chi2"]].concat(), CSV).stdout).unwrap();
    assert!(text.starts_with("What sets north (3 comments) apart from rest (3 comments)"), "{text}");
    assert!(text.lines().nth(1).unwrap().ends_with("chi2"), "{text}");
    let csv = String::from_utf8(cem(&[&north[..], &["--format", "csv", "--limit", "1"]].concat(), CSV).stdout).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.starts_with("term,target_mentions,"), "{csv}");
}

#[test]
fn bad_input_and_unread_flags_are_refused() {
    let err = |args: &[&str]| {
        let out = cem(args, CSV);
        assert!(!out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    let e = err(&["keyness", "-", "--text", "comment", "--segment", "region", "--target", "east"]);
    assert!(e.contains("invalid target = east: there is no such group; the groups are north, south"), "{e}");
    let e = err(&["keyness", "-", "--text", "comment", "--answer", "nps", "--alpha", "0.1"]);
    assert!(e.contains("invalid alpha = 0.1: keyness does not read this option"), "{e}");
    let e = err(&["keyness", "-", "--text", "comments", "--answer", "nps"]);
    assert!(e.contains("there is no column \"comments\" (did you mean comment?)"), "{e}");
    let bad = CSV.replace("3,north", "x,north");
    let out = cem(&["keyness", "-", "--text", "comment", "--answer", "nps"], &bad);
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(e.contains("row 2 (line 3)") && e.contains("[not_a_number]"), "{e}");
    let e = err(&["nps", "-", "--answer", "nps", "--text", "comment"]);
    assert!(e.contains("--text is read by cem keyness"), "{e}");
}

const DATED: &str = "date,region,channel,nps,comment\n\
2025-01-10,north,web,2,on hold\n\
2025-02-03,north,app,10,easy\n\
2025-04-01,south,web,3,\"refund, on hold\"\n\
2025-05-15,north,web,1,on hold again\n\
2025-06-30,south,app,9,so easy\n\
2025-03-31,south,web,10,easy app\n";

fn dated(args: &[&str]) -> serde_json::Value {
    let out = cem(
        &[&["keyness", "-", "--text", "comment", "--min-count", "1", "--min-n", "1", "--format", "json"], args]
            .concat(),
        DATED,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_latest_quarter_against_the_one_before() {
    let v = dated(&["--trend", "date", "--every", "quarter"]);
    assert_eq!((v["target"].as_str(), v["reference"].as_str()), (Some("2025-Q2"), Some("2025-Q1")));
    // Q2: rows 3, 4, 5; Q1: rows 1, 2, 6.
    assert_eq!((v["target_texts"].as_u64(), v["reference_texts"].as_u64()), (Some(3), Some(3)));
}

#[test]
fn crossed_segment_columns_name_a_crossed_group() {
    let v = dated(&["--segment", "region,channel", "--target", "north × web"]);
    assert_eq!((v["target_texts"].as_u64(), v["reference_texts"].as_u64()), (Some(2), Some(4)));
}

#[test]
fn one_table_per_segment_with_the_family_counted_across() {
    let v = dated(&["--answer", "nps", "--by", "region"]);
    let segments = v["segments"].as_array().unwrap();
    assert_eq!(segments.iter().map(|s| s["segment"].as_str().unwrap()).collect::<Vec<_>>(), ["north", "south"]);
    // north: detractors rows 1 and 4, promoter row 2; south: detractor row 3, promoters rows 5 and 6.
    assert_eq!((segments[0]["target_texts"].as_u64(), segments[0]["reference_texts"].as_u64()), (Some(2), Some(1)));
    assert_eq!((segments[1]["target_texts"].as_u64(), segments[1]["reference_texts"].as_u64()), (Some(1), Some(2)));
    let tested: u64 = segments.iter().map(|s| s["tested"].as_u64().unwrap()).sum();
    assert_eq!(v["tested"].as_u64(), Some(tested));
    let out = cem(
        &[
            "keyness",
            "-",
            "--text",
            "comment",
            "--answer",
            "nps",
            "--by",
            "region",
            "--min-count",
            "1",
            "--min-n",
            "1",
            "--format",
            "csv",
        ],
        DATED,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("segment,term,"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("north,")).count(),
        segments[0]["terms"].as_array().unwrap().len()
    );
}
