//! `cem rake` and `--margins` on the scores, end to end.

mod common;
use common::cem_text;

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
