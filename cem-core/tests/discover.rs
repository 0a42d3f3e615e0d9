//! `discover`: depth 1 is `benchmark` against `rest` on every benchmark vector; a planted interaction is
//! found and productive; a main effect leaves its children unproductive; a counts cube gives the rows'
//! table; bad input is refused by code.

use std::collections::BTreeMap;
use std::path::PathBuf;

use cem_core::*;
use serde_json::{json, Value};

mod common;
use common::Rng;

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-12 * (1.0 + b.abs())
}

/// The benchmark vector's options as a discovery's: the metric and its parameters, no `against`.
fn options_of(inp: &Value) -> Value {
    let mut options = inp.get("options").cloned().unwrap_or(json!({}));
    for (k, v) in inp["metric"].as_object().unwrap() {
        options[if k == "kind" { "metric" } else { k }] = v.clone();
    }
    if inp["metric"]["kind"] != "nps" && inp["metric"]["kind"] != "ces" {
        options["scale"] = inp["scale"].clone();
    }
    options
}

#[test]
fn depth_one_is_the_benchmark_against_the_rest_on_every_benchmark_vector() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/vectors/benchmark.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut compared = 0;
    for case in doc["cases"].as_array().unwrap() {
        let inp = &case["input"];
        let name = case["name"].as_str().unwrap();
        let mut options = options_of(inp);
        if options.get("against").is_some_and(|a| a != "rest") || options.get("order").is_some() {
            continue;
        }
        let benchmark = match inp.get("segment_counts") {
            Some(sc) => {
                let map = sc.as_object().unwrap();
                let keys: Vec<&String> = map.keys().collect();
                let counts: Vec<Vec<f64>> =
                    map.values().map(|c| c.as_array().unwrap().iter().map(num).collect()).collect();
                operations::benchmark_counts(&keys, &counts, options.clone()).unwrap()
            }
            None => {
                let keys: Vec<Option<&str>> = inp["segments"].as_array().unwrap().iter().map(|k| k.as_str()).collect();
                let answers: Vec<f64> = inp["answers"].as_array().unwrap().iter().map(num).collect();
                let weights: Option<Vec<f64>> =
                    inp.get("weights").map(|w| w.as_array().unwrap().iter().map(num).collect());
                operations::benchmark(options.clone(), |s, m| s.update_keys(&keys, &answers, weights.as_deref(), m))
                    .unwrap()
            }
        };
        options.as_object_mut().unwrap().remove("against");
        options["answer"] = json!("answer");
        options["attributes"] = json!(["segment"]);
        options["depth"] = json!(1);
        options["show"] = json!("all");
        // Rows as columns; counts per segment as a counts cube.
        let (mut seg, mut ans, mut cnt, mut wts) = (Vec::new(), Vec::new(), Vec::new(), None);
        match inp.get("segment_counts") {
            Some(sc) => {
                let lo = inp["scale"][0].as_i64().unwrap();
                for (k, c) in sc.as_object().unwrap() {
                    for (j, x) in c.as_array().unwrap().iter().enumerate() {
                        seg.push(Some(k.as_str()));
                        ans.push((lo + j as i64) as f64);
                        cnt.push(num(x));
                    }
                }
                options["count"] = json!("count");
            }
            None => {
                seg = inp["segments"].as_array().unwrap().iter().map(|k| k.as_str()).collect();
                ans = inp["answers"].as_array().unwrap().iter().map(num).collect();
                wts = inp.get("weights").map(|w| w.as_array().unwrap().iter().map(num).collect::<Vec<f64>>());
                if wts.is_some() {
                    options["weight"] = json!("weight");
                }
            }
        }
        let mut columns = vec![("segment", Column::Texts(&seg)), ("answer", Column::Numbers(&ans))];
        if !cnt.is_empty() {
            columns.push(("count", Column::Numbers(&cnt)));
        }
        if let Some(w) = &wts {
            columns.push(("weight", Column::Numbers(w)));
        }
        let d = operations::discover(&columns, options).unwrap();
        let min_n = d.summary.min_n;
        let total_n: u64 = benchmark.rows.iter().map(|r| r.n).sum();
        let tested: Vec<&BenchmarkRow> = benchmark.rows.iter().filter(|r| r.p_value.is_some()).collect();
        // Discovery also asks the rest to reach min_n.
        let family: Vec<&&BenchmarkRow> = tested.iter().filter(|r| total_n - r.n >= min_n).collect();
        assert_eq!(d.summary.m, family.len(), "{name}");
        assert_eq!(d.rows.len(), family.len(), "{name}");
        let same_family = family.len() == tested.len();
        for b in family {
            let r = d.rows.iter().find(|r| r.slice == format!("segment={}", b.key)).unwrap();
            let pairs = [
                (r.value, b.value),
                (r.lower, b.lower),
                (r.upper, b.upper),
                (r.rest_value, b.reference_value),
                (r.difference, b.difference),
                (r.difference_lower, b.difference_lower),
                (r.difference_upper, b.difference_upper),
                (r.statistic, b.statistic),
                (r.p_value, b.p_value),
                (r.share, Some(b.share)),
                (r.impact, b.impact),
                (r.effective_n, Some(b.effective_n)),
            ];
            for (i, (x, y)) in pairs.into_iter().enumerate() {
                assert!(close(x, y.unwrap()), "{name} {}: field {i}: {x} vs {y:?}", b.key);
            }
            assert_eq!((r.n, Some(r.side)), (b.n, b.side), "{name}");
            if same_family {
                assert!(close(r.adjusted_p_value, b.adjusted_p_value.unwrap()), "{name}");
                assert_eq!((r.significant, r.rank), (b.significant, b.rank), "{name} {}", b.key);
                assert_eq!(r.productive, r.significant, "{name}: at depth 1 significant is productive");
            }
            compared += 1;
        }
    }
    assert!(compared >= 40, "only {compared} rows compared");
}

/// Columns region, channel, plan and nps.
type Survey = (Vec<Option<&'static str>>, Vec<Option<&'static str>>, Vec<Option<&'static str>>, Vec<f64>);

/// Rows with attributes region (4), channel (3), plan (2): NPS answers drawn from `score(region, channel, plan)`
/// = the chance of a promoter, detractor otherwise half the rest.
fn survey(rows: usize, seed: u64, chance: impl Fn(&str, &str, &str) -> u64) -> Survey {
    let mut rng = Rng(seed);
    let (mut r, mut c, mut p, mut a) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rows {
        let region = ["North", "South", "East", "West"][rng.below(4)];
        let channel = ["phone", "web", "app"][rng.below(3)];
        let plan = ["basic", "plus"][rng.below(2)];
        let promoter = chance(region, channel, plan);
        let u = rng.below(100) as u64;
        let answer = if u < promoter {
            9 + rng.below(2)
        } else if u < promoter + (100 - promoter) / 2 {
            7 + rng.below(2)
        } else {
            rng.below(7)
        };
        r.push(Some(region));
        c.push(Some(channel));
        p.push(Some(plan));
        a.push(answer as f64);
    }
    (r, c, p, a)
}

fn run(rows: &Survey, options: Value) -> Result<Discovery> {
    let columns = [
        ("region", Column::Texts(&rows.0)),
        ("channel", Column::Texts(&rows.1)),
        ("plan", Column::Texts(&rows.2)),
        ("nps", Column::Numbers(&rows.3)),
    ];
    operations::discover(&columns, options)
}

#[test]
fn a_planted_interaction_is_found_and_productive() {
    // East on the phone: far fewer promoters than East or phone alone predict (both are average otherwise).
    let rows = survey(6000, 1, |r, c, _| if r == "East" && c == "phone" { 20 } else { 50 });
    let d = run(&rows, json!({"answer": "nps"})).unwrap();
    let top = &d.rows[0];
    assert_eq!(top.slice, "region=East & channel=phone");
    assert!(top.significant && top.productive && top.side == Side::Below, "{top:?}");
    assert_eq!(top.conditions, BTreeMap::from([("channel".into(), "phone".into()), ("region".into(), "East".into())]));
    // The family: 4 + 3 + 2 slices of one condition, 12 + 8 + 6 of two, all large enough.
    assert_eq!(d.summary.m, 35);
    assert_eq!(d.summary.collapsed, 0);
    // Its parents are pulled down by it, but they are explained by it only one way: a child of the
    // interaction (East & phone & basic) is explained by it at depth 3.
    let d3 = run(&rows, json!({"answer": "nps", "depth": 3, "show": "all"})).unwrap();
    let child = d3.rows.iter().find(|r| r.slice == "region=East & channel=phone & plan=basic").unwrap();
    if child.significant {
        assert!(!child.productive);
        assert_eq!(child.explained_by.as_deref(), Some("region=East & channel=phone"));
    }
}

#[test]
fn a_main_effect_leaves_its_children_unproductive() {
    // Only the region matters: East is worse; channel and plan do nothing.
    let rows = survey(6000, 2, |r, _, _| if r == "East" { 25 } else { 50 });
    let d = run(&rows, json!({"answer": "nps", "show": "all"})).unwrap();
    let east = d.rows.iter().find(|r| r.slice == "region=East").unwrap();
    assert!(east.significant && east.productive);
    let children: Vec<&SliceRow> = d.rows.iter().filter(|r| r.depth == 2 && r.significant).collect();
    assert!(!children.is_empty());
    // Every significant child is a region's (the others, by contrast with the East, are above it) and
    // is explained by that region.
    for c in children {
        let region = c.conditions.get("region").expect("a child with a region");
        assert!(!c.productive, "{c:?}");
        assert_eq!(c.explained_by, Some(format!("region={region}")), "{c:?}");
    }
    // Two main effects pulling opposite ways: East & app is not below the rest of the East.
    let rows = survey(6000, 3, |r, c, _| 50 - if r == "East" { 25 } else { 0 } + if c == "app" { 25 } else { 0 });
    let d = run(&rows, json!({"answer": "nps", "show": "all"})).unwrap();
    let ea = d.rows.iter().find(|r| r.slice == "region=East & channel=app").unwrap();
    assert!(!ea.productive);
}

#[test]
fn a_counts_cube_gives_the_rows_table() {
    let rows = survey(3000, 4, |r, c, _| if r == "West" && c == "web" { 70 } else { 45 });
    let from_rows = run(&rows, json!({"answer": "nps", "show": "all", "depth": 3})).unwrap();
    let mut cube: BTreeMap<(&str, &str, &str, i64), f64> = BTreeMap::new();
    for i in 0..rows.3.len() {
        *cube.entry((rows.0[i].unwrap(), rows.1[i].unwrap(), rows.2[i].unwrap(), rows.3[i] as i64)).or_default() += 1.0;
    }
    let region: Vec<Option<&str>> = cube.keys().map(|k| Some(k.0)).collect();
    let channel: Vec<Option<&str>> = cube.keys().map(|k| Some(k.1)).collect();
    let plan: Vec<Option<&str>> = cube.keys().map(|k| Some(k.2)).collect();
    let nps: Vec<f64> = cube.keys().map(|k| k.3 as f64).collect();
    let n: Vec<f64> = cube.values().copied().collect();
    let columns = [
        ("region", Column::Texts(&region)),
        ("channel", Column::Texts(&channel)),
        ("plan", Column::Texts(&plan)),
        ("nps", Column::Numbers(&nps)),
        ("n", Column::Numbers(&n)),
    ];
    let from_cube =
        operations::discover(&columns, json!({"answer": "nps", "count": "n", "show": "all", "depth": 3})).unwrap();
    assert_eq!(from_rows, from_cube);
    assert!(from_rows.summary.m > 50);
    // Permutations too: the cube expands to the same rows in another order, so compare the count only.
    let p =
        operations::discover(&columns, json!({"answer": "nps", "count": "n", "permutations": 20, "seed": 3})).unwrap();
    assert_eq!(p.summary.correction, "westfall_young");
}

#[test]
fn the_permutation_bound_is_seeded_and_never_below_one_over_b_plus_one() {
    let rows = survey(2000, 5, |r, c, _| if r == "East" && c == "phone" { 10 } else { 50 });
    let a = run(&rows, json!({"answer": "nps", "permutations": 50, "seed": 11, "show": "all"})).unwrap();
    let b = run(&rows, json!({"answer": "nps", "permutations": 50, "seed": 11, "show": "all"})).unwrap();
    assert_eq!(a, b);
    assert!(a.rows.iter().all(|r| r.adjusted_p_value >= 1.0 / 51.0 && r.adjusted_p_value <= 1.0));
    let top = &a.rows[0];
    assert_eq!((top.slice.as_str(), top.adjusted_p_value), ("region=East & channel=phone", 1.0 / 51.0));
    // Single-step max-T is monotone in |t|.
    let mut by_t: Vec<&SliceRow> = a.rows.iter().collect();
    by_t.sort_by(|x, y| y.statistic.abs().total_cmp(&x.statistic.abs()));
    assert!(by_t.windows(2).all(|w| w[0].adjusted_p_value <= w[1].adjusted_p_value));
}

#[test]
fn bad_input_is_refused_by_code() {
    let rows = survey(300, 6, |_, _, _| 50);
    let code = |o: Value| run(&rows, o).unwrap_err();
    let e = code(json!({"answer": "nps", "attributes": ["regoin"]}));
    assert_eq!(e.code(), "invalid_parameter");
    assert!(e.to_string().contains("did you mean region?"), "{e}");
    assert!(code(json!({"answer": "nps", "depth": 0})).to_string().starts_with("invalid depth"));
    assert!(code(json!({"answer": "nps", "depth": 5})).to_string().starts_with("invalid depth"));
    assert!(code(json!({"answer": "nps", "against": "overall"})).to_string().contains("discover does not read"));
    assert!(code(json!({"answer": "nps", "threshold": 4})).to_string().starts_with("invalid threshold"));
    assert!(code(json!({"answer": "nps", "weight": "plan"})).to_string().starts_with("invalid weight"));
    let e = code(json!({"answer": "nps", "max_values": 3}));
    assert!(e.to_string().contains("column region has 4 distinct values"), "{e}");
    assert!(e.to_string().contains("bin it"), "{e}");
    // Folded: the three most frequent regions keep their names.
    let d = run(&rows, json!({"answer": "nps", "max_values": 3, "other": true, "min_n": 1, "show": "all", "depth": 1}))
        .unwrap();
    let regions: Vec<&str> = d.rows.iter().filter_map(|r| r.conditions.get("region")).map(String::as_str).collect();
    assert_eq!(regions.len(), 3);
    assert!(regions.contains(&"other"));
    // No slice reaches min_n: an empty table with the reason, not an error.
    let d = run(&rows, json!({"answer": "nps", "min_n": 1000})).unwrap();
    assert!(d.rows.is_empty() && d.summary.m == 0);
    assert!(d.summary.reason.as_deref().unwrap().contains("min_n = 1000"));
    // A missing attribute value: the value (missing), or the row skipped.
    let mut holes = rows.clone();
    holes.1[7] = None;
    let d = run(&holes, json!({"answer": "nps", "min_n": 1, "show": "all", "depth": 1})).unwrap();
    let blank = d.rows.iter().find(|r| r.slice.ends_with("=(missing)")).unwrap();
    assert_eq!((blank.n, d.summary.skipped, d.overall.n), (1, 0, 300));
    let d = run(&holes, json!({"answer": "nps", "missing": "skip"})).unwrap();
    assert_eq!((d.summary.skipped, d.overall.n), (1, 299));
    // A family too large: the error names depth and max_values.
    let many: Vec<String> = (0..100).map(|i| format!("v{i}")).collect();
    let cols: Vec<Vec<Option<&str>>> =
        (0..4).map(|a| (0..5000).map(|i| Some(many[(i * (a + 7) + a) % 100].as_str())).collect()).collect();
    let answers: Vec<f64> = (0..5000).map(|i| (i % 11) as f64).collect();
    let columns = [
        ("a", Column::Texts(&cols[0])),
        ("b", Column::Texts(&cols[1])),
        ("c", Column::Texts(&cols[2])),
        ("d", Column::Texts(&cols[3])),
        ("nps", Column::Numbers(&answers)),
    ];
    let e = operations::discover(&columns, json!({"answer": "nps", "depth": 4, "max_values": 100})).unwrap_err();
    assert!(e.to_string().starts_with("invalid depth = 4") && e.to_string().contains("max_values"), "{e}");
    // Permutations with weights, or with a correction.
    let w: Vec<f64> = vec![1.0; 300];
    let columns = [("region", Column::Texts(&rows.0)), ("nps", Column::Numbers(&rows.3)), ("w", Column::Numbers(&w))];
    let e = operations::discover(&columns, json!({"answer": "nps", "weight": "w", "permutations": 10})).unwrap_err();
    assert!(e.to_string().starts_with("invalid permutations"), "{e}");
    assert!(code(json!({"answer": "nps", "permutations": 10, "correction": "holm"}))
        .to_string()
        .starts_with("invalid correction"));
}
