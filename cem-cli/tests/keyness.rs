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
