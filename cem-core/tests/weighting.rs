//! Raking (`operations::rake`, `rake_cells`): margins met, rows and cells alike, post-stratification,
//! repetition, merged cells tables, trimming, and each refusal's code.

use cem_core::operations::{self, rake, rake_cells};
use cem_core::{MetricKind, RakeColumn};

/// A reproducible sample: `rows` rows of `levels[v]` levels per variable, skewed so that the first
/// levels answer more (as a sample that must be weighted does).
fn sample(rows: usize, levels: &[usize], seed: u64) -> Vec<Vec<String>> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as f64 / (1u64 << 31) as f64
    };
    levels
        .iter()
        .map(|&k| {
            (0..rows)
                .map(|_| {
                    let u = next();
                    format!("l{}", (u * (0.4 + 0.6 * u) * k as f64) as usize)
                })
                .collect()
        })
        .collect()
}

fn columns(values: &[Vec<String>]) -> Vec<(String, RakeColumn)> {
    values.iter().enumerate().map(|(v, c)| (format!("v{v}"), RakeColumn::from_keys(c))).collect()
}

/// Margins whose shares rise with the level (unlike the sample's), as JSON.
fn margins_for(levels: &[usize]) -> String {
    let vars: Vec<String> = levels
        .iter()
        .enumerate()
        .map(|(v, &k)| {
            let total: usize = (1..=k).sum();
            let entries: Vec<String> = (0..k).map(|l| format!("\"l{l}\": {}", (l + 1) as f64 / total as f64)).collect();
            format!("\"v{v}\": {{{}}}", entries.join(", "))
        })
        .collect();
    format!("{{{}}}", vars.join(", "))
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn margins_are_met_to_the_tolerance() {
    let levels = [3, 4, 2];
    let data = sample(2000, &levels, 1);
    let margins = margins_for(&levels);
    let r = rake(&columns(&data), None, margins.as_str(), "{}").unwrap();
    let d = &r.diagnostics;
    assert!(d.max_margin_error <= 1e-10 && d.converged && d.sweeps > 1);
    for m in &d.margins {
        let v: usize = m.variable[1..].parse().unwrap();
        let sum: f64 = r.weights.iter().zip(&data[v]).filter(|(_, l)| **l == m.level).map(|(w, _)| w).sum();
        assert!(close(sum, m.target, 1e-9), "{m:?} {sum}");
    }
    // Shares keep the base total (2000 rows of weight 1).
    assert!(close(d.total_weight, 2000.0, 1e-12));
    // Kish: deff = n Σw² / (Σw)², effective n = n / deff.
    let sq: f64 = r.weights.iter().map(|w| w * w).sum();
    assert!(close(d.design_effect, 2000.0 * sq / (2000.0 * 2000.0), 1e-12));
    assert!(close(d.effective_n, 2000.0 / d.design_effect, 1e-12));
    let (lo, hi) = r.weights.iter().fold((f64::MAX, 0.0f64), |(a, b), &w| (a.min(w), b.max(w)));
    assert_eq!((d.weight_min, d.weight_max, d.weight_ratio), (lo, hi, hi / lo));
}

#[test]
fn rows_and_cells_give_identical_factors() {
    let levels = [3, 4];
    let data = sample(500, &levels, 2);
    let margins = margins_for(&levels);
    let rows = rake(&columns(&data), None, margins.as_str(), "{}").unwrap();
    // The cells table a GROUP BY would give, in another order than the rows'.
    let mut cells: std::collections::BTreeMap<(String, String), f64> = Default::default();
    for (a, b) in data[0].iter().zip(&data[1]) {
        *cells.entry((a.clone(), b.clone())).or_default() += 1.0;
    }
    let a: Vec<&str> = cells.keys().map(|k| k.0.as_str()).collect();
    let b: Vec<&str> = cells.keys().map(|k| k.1.as_str()).collect();
    let counts: Vec<f64> = cells.values().copied().collect();
    let cols = [("v0", RakeColumn::from_keys(&a)), ("v1", RakeColumn::from_keys(&b))];
    let table = rake_cells(&cols, &counts, None, margins.as_str(), "{}").unwrap();
    for ((a, b), w) in data[0].iter().zip(&data[1]).zip(&rows.weights) {
        let k = cells.keys().position(|k| k.0 == *a && k.1 == *b).unwrap();
        assert_eq!(*w, table.factors[k]);
    }
    let (x, y) = (&rows.diagnostics, &table.diagnostics);
    assert_eq!((x.sweeps, x.design_effect, x.effective_n), (y.sweeps, y.design_effect, y.effective_n));
    assert_eq!((x.weight_min, x.weight_max, x.margins.clone()), (y.weight_min, y.weight_max, y.margins.clone()));
}

#[test]
fn one_variable_is_post_stratification() {
    // Post-strata of two crossed variables given as one: weight = target / (base weight at the level) × d.
    let keys = ["a×x", "a×x", "a×y", "b×x", "b×y", "b×y", "b×y"];
    let base = [1.0, 2.0, 1.0, 1.0, 0.5, 0.5, 3.0];
    let margins = r#"{"stratum": {"a×x": 30, "a×y": 20, "b×x": 10, "b×y": 40}}"#;
    let r = rake(&[("stratum", RakeColumn::from_keys(&keys))], Some(&base), margins, "{}").unwrap();
    let expected = [30.0 / 3.0, 60.0 / 3.0, 20.0, 10.0, 40.0 / 4.0 * 0.5, 40.0 / 4.0 * 0.5, 40.0 / 4.0 * 3.0];
    for (w, e) in r.weights.iter().zip(expected) {
        assert!(close(*w, e, 1e-15), "{w} {e}");
    }
    assert_eq!(r.diagnostics.sweeps, 1);
    assert_eq!(r.diagnostics.total_weight, 100.0);
}

#[test]
fn integer_base_weights_act_as_repetition() {
    let levels = [2, 3];
    let data = sample(60, &levels, 3);
    let base: Vec<f64> = (0..60).map(|i| (i % 3 + 1) as f64).collect();
    let repeated: Vec<Vec<String>> = data
        .iter()
        .map(|c| c.iter().zip(&base).flat_map(|(l, &d)| std::iter::repeat_n(l.clone(), d as usize)).collect())
        .collect();
    let margins = margins_for(&levels);
    let weighted = rake(&columns(&data), Some(&base), margins.as_str(), "{}").unwrap();
    let copies = rake(&columns(&repeated), None, margins.as_str(), "{}").unwrap();
    let mut k = 0;
    for (i, &d) in base.iter().enumerate() {
        for _ in 0..d as usize {
            assert!(close(weighted.weights[i], d * copies.weights[k], 1e-12));
            k += 1;
        }
    }
    assert!(close(weighted.diagnostics.total_weight, copies.diagnostics.total_weight, 1e-12));
}

#[test]
fn merged_cells_tables_rake_like_their_concatenation() {
    // Two engines' partial GROUP BYs (the same cell in both), and the merged table.
    let a = ["x", "y", "x", "y", "x"];
    let b = ["u", "u", "v", "v", "u"];
    let counts = [3.0, 5.0, 2.0, 7.0, 4.0];
    let sums = [3.0, 6.0, 2.5, 7.0, 4.5];
    let squares = [3.0, 8.0, 3.25, 7.0, 5.5];
    let margins = r#"{"a": {"x": 0.3, "y": 0.7}, "b": {"u": 0.6, "v": 0.4}}"#;
    let cols = |a: &[&str], b: &[&str]| [("a", RakeColumn::from_keys(a)), ("b", RakeColumn::from_keys(b))];
    let split = rake_cells(&cols(&a, &b), &counts, Some((&sums, &squares)), margins, "{}").unwrap();
    let merged = rake_cells(
        &cols(&a[..4], &b[..4]),
        &[7.0, 5.0, 2.0, 7.0],
        Some((&[7.5, 6.0, 2.5, 7.0], &[8.5, 8.0, 3.25, 7.0])),
        margins,
        "{}",
    )
    .unwrap();
    assert_eq!(&split.factors[..4], &merged.factors[..]);
    assert_eq!(split.factors[4], split.factors[0]);
    assert_eq!(split.diagnostics.cells, 4);
    assert!(close(split.diagnostics.design_effect, merged.diagnostics.design_effect, 1e-14));
}

#[test]
fn counts_margins_set_the_total() {
    let keys = ["a", "b", "b"];
    let r = rake(&[("g", RakeColumn::from_keys(&keys))], None, r#"{"g": {"a": 600, "b": 400}}"#, "{}").unwrap();
    assert_eq!(r.weights, vec![600.0, 200.0, 200.0]);
    assert_eq!(r.diagnostics.total_weight, 1000.0);
    assert_eq!(r.diagnostics.design_effect, 3.0 * (360000.0 + 80000.0) / 1e6);
}

#[test]
fn trimming_keeps_weights_within_bounds_and_margins_met() {
    let levels = [3, 4];
    let data = sample(400, &levels, 4);
    let margins = margins_for(&levels);
    let free = rake(&columns(&data), None, margins.as_str(), "{}").unwrap();
    let r = rake(&columns(&data), None, margins.as_str(), r#"{"trim": [0.25, 3.5]}"#).unwrap();
    let d = &r.diagnostics;
    assert!(free.diagnostics.weight_max > 3.5 && free.diagnostics.weight_min < 0.25, "the test needs weights to trim");
    assert!(d.max_margin_error <= 1e-10 && d.trim_cycles > 0 && d.trimmed_rows > 0);
    assert!(d.weight_max <= 3.5 && d.weight_min >= 0.25, "{d:?}");
    for m in &d.margins {
        let v: usize = m.variable[1..].parse().unwrap();
        let sum: f64 = r.weights.iter().zip(&data[v]).filter(|(_, l)| **l == m.level).map(|(w, _)| w).sum();
        assert!(close(sum, m.target, 1e-9), "{m:?} {sum}");
    }
    // Absolute bounds: the mean weight here is 1, so the same.
    let a = rake(&columns(&data), None, margins.as_str(), r#"{"trim": [0.25, 3.5], "trim_absolute": true}"#).unwrap();
    assert_eq!(a.weights, r.weights);
    // Bounds the margins cannot meet: an error, never weights off the margins.
    let e = rake(&columns(&data), None, margins.as_str(), r#"{"trim": [0.5, 2.5]}"#).unwrap_err();
    assert_eq!(e.code(), "infeasible_trim");
    assert!(e.to_string().contains("but its rows, each within the trimming bounds, weigh between 104 and 520"), "{e}");
    // Unequal base weights: each row's own weight is held within the bounds.
    let base: Vec<f64> = (0..400).map(|i| [0.5, 1.0, 2.0][i % 3]).collect();
    let r = rake(&columns(&data), Some(&base), margins.as_str(), r#"{"trim": [0.2, 4]}"#).unwrap();
    let mean = r.diagnostics.total_weight / 400.0;
    assert!(r.weights.iter().all(|&w| w >= 0.2 * mean * (1.0 - 1e-12) && w <= 4.0 * mean * (1.0 + 1e-12)));
    assert!(r.diagnostics.max_margin_error <= 1e-10);
}

#[test]
fn each_refusal_has_its_code() {
    let g = || [("g", RakeColumn::from_keys(&["a", "b", "b"]))];
    let code = |m: &str, o: &str| rake(&g(), None, m, o).unwrap_err();
    let e = code(r#"{"g": {"a": 0.5, "b": 0.3, "c": 0.2}}"#, "{}");
    assert_eq!(e.code(), "level_without_rows");
    assert!(e.to_string().starts_with("margin g=c has a target of 0.2 but no rows"), "{e}");
    let e = code(r#"{"g": {"a": 1}}"#, "{}");
    assert_eq!((e.code(), e.index()), ("level_without_target", Some(1)));
    assert!(e.to_string().contains("row 1 has g=b, which the margins do not list (they list a)"), "{e}");
    assert_eq!(code(r#"{"g": {"a": 0.5, "b": 0.0, "c": 0.5}}"#, "{}").code(), "zero_target");
    assert_eq!(code(r#"{"g": {"a": 0.5, "b": 0.4}}"#, "{}").code(), "invalid_margin");
    assert_eq!(code(r#"{"g": {"a": 0.5, "b": 0.5}}"#, r#"{"trim": [1.5, 3]}"#).code(), "infeasible_trim");
    assert_eq!(code(r#"{"g": {"a": 0.5, "b": 0.5}}"#, r#"{"trim": [3, 1]}"#).code(), "invalid_parameter");
    assert_eq!(code(r#"{"g": {"a": 0.5, "b": 0.5}}"#, r#"{"metric": "nps"}"#).code(), "invalid_parameter");
    assert_eq!(code(r#"{"g": {"a": 0.5, "b": 0.5}}"#, r#"{"by": ["h"]}"#).code(), "invalid_parameter");
    let e = rake(&g(), Some(&[1.0, -1.0, 1.0]), r#"{"g": {"a": 1, "b": 1}}"#, "{}").unwrap_err();
    assert_eq!((e.code(), e.index(), e.value()), ("invalid_weight", Some(1), Some(-1.0)));
    let e = rake(&g(), Some(&[1.0]), r#"{"g": {"a": 1, "b": 1}}"#, "{}").unwrap_err();
    assert_eq!(e.code(), "length_mismatch");
    let e = rake(&g(), Some(&[0.0, 0.0, 0.0]), r#"{"g": {"a": 1, "b": 1}}"#, "{}").unwrap_err();
    assert_eq!(e.code(), "empty");
}

#[test]
fn a_missing_value_follows_missing() {
    let col = || [("g", RakeColumn::from_keys(&[Some("a"), None, Some("b")]))];
    let e = rake(&col(), None, r#"{"g": {"a": 0.5, "b": 0.5}}"#, "{}").unwrap_err();
    assert_eq!((e.code(), e.index()), ("missing_value", Some(1)));
    let r = rake(&col(), None, r#"{"g": {"a": 0.5, "b": 0.5}}"#, r#"{"missing": "skip"}"#).unwrap();
    assert_eq!(r.weights, vec![1.0, 0.0, 1.0]);
    assert_eq!((r.diagnostics.skipped, r.diagnostics.n), (1, 2));
}

#[test]
fn unreachable_margins_are_an_error_naming_the_worst_margin_and_the_empty_cells() {
    // Every "north" row is a web row: north's 60% cannot fit inside web's 30%.
    let region = ["north", "north", "south", "south"];
    let channel = ["web", "web", "web", "app"];
    let cols = [("region", RakeColumn::from_keys(&region)), ("channel", RakeColumn::from_keys(&channel))];
    let margins = r#"{"region": {"north": 0.6, "south": 0.4}, "channel": {"web": 0.3, "app": 0.7}}"#;
    let e = rake(&cols, None, margins, "{}").unwrap_err();
    assert_eq!(e.code(), "not_converged");
    let text = e.to_string();
    assert!(text.contains("in 1000 sweeps"), "{text}");
    assert!(text.contains("region=north × channel=app") || text.contains("channel=app × region=north"), "{text}");
    // Never stopped by a small change between sweeps: a few sweeps still fail.
    assert_eq!(rake(&cols, None, margins, r#"{"max_sweeps": 5}"#).unwrap_err().code(), "not_converged");
}

#[test]
fn disagreeing_totals_are_refused() {
    let cols = [("a", RakeColumn::from_keys(&["x", "y"])), ("b", RakeColumn::from_keys(&["u", "v"]))];
    let e = rake(&cols, None, r#"{"a": {"x": 500, "y": 500}, "b": {"u": 400, "v": 500}}"#, "{}").unwrap_err();
    assert_eq!((e.code(), e.value()), ("margins_disagree", Some(900.0)));
    assert!(e.to_string().contains("a gives counts totalling 1000, b gives counts totalling 900"), "{e}");
}

#[test]
fn numbers_and_codes_name_their_levels() {
    let r =
        rake(&[("g", RakeColumn::from_numbers(&[1.0, 2.0, 2.0]))], None, r#"{"g": {"1": 1, "2": 1}}"#, "{}").unwrap();
    assert_eq!(r.weights, vec![1.0, 0.5, 0.5]);
    let c = RakeColumn::from_codes(&[0, 1, 1, -1], vec!["1".into(), "2".into()]).unwrap();
    let r = rake(&[("g", c)], None, r#"{"g": {"1": 1, "2": 1}}"#, r#"{"missing": "skip"}"#).unwrap();
    assert_eq!(r.weights, vec![1.0, 0.5, 0.5, 0.0]);
    assert_eq!(RakeColumn::from_codes(&[2], vec!["a".into()]).unwrap_err().code(), "invalid_segment");
}

#[test]
fn rows_and_cells_give_the_same_scores() {
    // The weighted counts table a warehouse builds from the cell factors (Σw = f·Σd, Σw² = f²·Σd² per
    // cell and answer) scores as the rows with their raked weights do.
    use cem_core::{operations::estimate, Scale, Tally};
    let levels = [3, 2];
    let data = sample(400, &levels, 7);
    let answers: Vec<u8> = (0..400).map(|i| ((i * 7 + data[0][i].len() * 3) % 11) as u8).collect();
    let margins = margins_for(&levels);
    let rows = rake(&columns(&data), None, margins.as_str(), "{}").unwrap();
    let by_rows = estimate(MetricKind::Nps, &answers, Some(&rows.weights), "{}").unwrap();
    let mut cells: std::collections::BTreeMap<(String, String), (f64, [u64; 11])> = Default::default();
    for ((a, b), &y) in data[0].iter().zip(&data[1]).zip(&answers) {
        let e = cells.entry((a.clone(), b.clone())).or_default();
        e.0 += 1.0;
        e.1[y as usize] += 1;
    }
    let a: Vec<&str> = cells.keys().map(|k| k.0.as_str()).collect();
    let b: Vec<&str> = cells.keys().map(|k| k.1.as_str()).collect();
    let counts: Vec<f64> = cells.values().map(|v| v.0).collect();
    let cols = [("v0", RakeColumn::from_keys(&a)), ("v1", RakeColumn::from_keys(&b))];
    let table = rake_cells(&cols, &counts, None, margins.as_str(), "{}").unwrap();
    let (mut n, mut sums, mut squares) = ([0u64; 11], [0.0; 11], [0.0; 11]);
    for ((_, per_answer), f) in cells.values().zip(&table.factors) {
        for (k, &c) in per_answer.iter().enumerate() {
            n[k] += c;
            sums[k] += f * c as f64;
            squares[k] += f * f * c as f64;
        }
    }
    let tally = Tally::from_weighted_counts(Scale::NPS, &n, &sums, &squares).unwrap();
    let by_cells = operations::estimate_tally(MetricKind::Nps, &tally, "{}").unwrap();
    assert!(close(by_rows.value, by_cells.value, 1e-12), "{} {}", by_rows.value, by_cells.value);
    assert!(close(by_rows.standard_error.unwrap(), by_cells.standard_error.unwrap(), 1e-12));
    assert!(close(by_rows.effective_n, by_cells.effective_n, 1e-12));
}

#[test]
fn a_score_the_raking_variables_explain_has_no_calibrated_error() {
    // Every northern answer a promoter, every southern one a detractor: the margins fix the NPS exactly.
    let region = ["n", "n", "s", "n", "s", "s", "s", "n", "s"];
    let channel = ["w", "a", "w", "w", "a", "a", "w", "a", "a"];
    let answers: Vec<f64> = region.iter().map(|&r| if r == "n" { 10.0 } else { 2.0 }).collect();
    let cols = [("region", RakeColumn::from_keys(&region)), ("channel", RakeColumn::from_keys(&channel))];
    let margins = r#"{"region": {"n": 0.3, "s": 0.7}, "channel": {"w": 0.5, "a": 0.5}}"#;
    let r = operations::rake_estimate(MetricKind::Nps, &cols, None, margins, None, &answers, None, "{}").unwrap();
    let whole = &r.rows[0];
    assert!(close(whole.estimate.value, 30.0 - 70.0, 1e-9));
    assert!(whole.estimate.standard_error.unwrap() > 10.0);
    assert!(whole.calibrated_standard_error.unwrap() < 1e-9, "{whole:?}");
}

#[test]
fn post_stratified_calibrated_error_is_the_within_stratum_closed_form() {
    // One variable, no base weights: the residual is z minus its stratum mean, so
    // V = n/(n−1)·Σ(uᵢ − ū)², uᵢ = wᵢ(zᵢ − z̄_h), zᵢ = (yᵢ − ȳ)/Σw — written out here row by row.
    let strata = ["a", "a", "a", "b", "b", "c", "c", "c", "c", "a", "b", "c"];
    let answers = [10.0, 3.0, 9.0, 7.0, 0.0, 10.0, 9.0, 6.0, 8.0, 5.0, 10.0, 1.0];
    let margins = r#"{"s": {"a": 500, "b": 300, "c": 200}}"#;
    let cols = [("s", RakeColumn::from_keys(&strata))];
    let r = operations::rake_estimate(MetricKind::Nps, &cols, None, margins, None, &answers, None, "{}").unwrap();
    let target = |s: &str| match s {
        "a" => 500.0 / 4.0,
        "b" => 300.0 / 3.0,
        _ => 200.0 / 5.0,
    };
    let w: Vec<f64> = strata.iter().map(|&s| target(s)).collect();
    let y: Vec<f64> = answers
        .iter()
        .map(|&a| {
            if a >= 9.0 {
                1.0
            } else if a >= 7.0 {
                0.0
            } else {
                -1.0
            }
        })
        .collect();
    let total: f64 = w.iter().sum();
    let mean: f64 = w.iter().zip(&y).map(|(w, y)| w * y).sum::<f64>() / total;
    let z: Vec<f64> = y.iter().map(|y| (y - mean) / total).collect();
    let stratum_mean = |s: &str| {
        let (sum, n) =
            strata.iter().zip(&z).filter(|(t, _)| **t == s).fold((0.0, 0.0), |(a, n), (_, z)| (a + z, n + 1.0));
        sum / n
    };
    let u: Vec<f64> = (0..12).map(|i| w[i] * (z[i] - stratum_mean(strata[i]))).collect();
    let ubar = u.iter().sum::<f64>() / 12.0;
    let v = 12.0 / 11.0 * u.iter().map(|u| (u - ubar) * (u - ubar)).sum::<f64>();
    let whole = &r.rows[0];
    assert!(close(whole.estimate.value, 100.0 * mean, 1e-12));
    assert!(close(whole.calibrated_standard_error.unwrap(), 100.0 * v.sqrt(), 1e-12), "{whole:?} {}", 100.0 * v.sqrt());
}

#[test]
fn estimates_from_a_raking_are_those_of_raking_again_bit_for_bit() {
    let levels = [3, 4, 2];
    let mut values = sample(400, &levels, 9);
    values[1][7] = String::new(); // a missing value, left out under missing=skip
    let mut cols = columns(&values);
    let keys: Vec<Option<&str>> = values[1].iter().map(|k| Some(k.as_str()).filter(|k| !k.is_empty())).collect();
    cols[1].1 = RakeColumn::from_keys(&keys);
    let margins = margins_for(&levels);
    let base: Vec<f64> = (0..400).map(|i| [1.0, 2.0, 0.5, 0.0][i % 4]).collect();
    let answers: Vec<f64> = (0..400).map(|i| ((i * 7 + i / 3) % 11) as f64).collect();
    let segment = RakeColumn::from_keys(&values[2]);
    for base in [None, Some(base.as_slice())] {
        for options in [r#"{"missing": "skip"}"#, r#"{"missing": "skip", "trim": [0.1, 8], "level": 0.9}"#] {
            let rake_options = options.replace(r#", "level": 0.9"#, "");
            let raking = rake(&cols, base, margins.as_str(), rake_options.as_str()).unwrap();
            let again = operations::rake_estimate(
                MetricKind::Nps,
                &cols,
                base,
                margins.as_str(),
                None,
                &answers,
                Some(&segment),
                options,
            )
            .unwrap();
            let once = operations::rake_estimate(
                MetricKind::Nps,
                &cols,
                base,
                margins.as_str(),
                Some(&raking),
                &answers,
                Some(&segment),
                options,
            )
            .unwrap();
            assert_eq!(once, again);
            assert_eq!(once.rows.len(), 3);
        }
    }
    // Weights of another raking (other margins) are refused, naming the first row that does not fit.
    let mut other = rake(&cols, None, margins.as_str(), r#"{"missing": "skip"}"#).unwrap();
    other.weights[5] *= 1.01;
    let e = operations::rake_estimate(
        MetricKind::Nps,
        &cols,
        None,
        margins.as_str(),
        Some(&other),
        &answers,
        None,
        r#"{"missing": "skip"}"#,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    assert!(e.to_string().contains("raking.weights["), "{e}");
}

#[test]
fn a_segment_is_compared_with_the_other_segments_rows_only() {
    // Rows without a segment count in the whole sample, in no segment and in no rest: with two segments,
    // each one's rest is the other.
    let levels = [3, 2];
    let values = sample(300, &levels, 4);
    let cols = columns(&values);
    let margins = margins_for(&levels);
    let answers: Vec<f64> = (0..300).map(|i| ((i * 5 + i / 7) % 11) as f64).collect();
    let keys: Vec<Option<&str>> = (0..300).map(|i| [Some("a"), Some("b"), None][i % 3]).collect();
    let segment = RakeColumn::from_keys(&keys);
    let r =
        operations::rake_estimate(MetricKind::Nps, &cols, None, margins.as_str(), None, &answers, Some(&segment), "{}")
            .unwrap();
    let (whole, a, b) = (&r.rows[0], &r.rows[1], &r.rows[2]);
    assert!(whole.difference.is_none() && whole.p_value.is_none() && !whole.significant);
    assert!(close(a.reference_value.unwrap(), b.estimate.value, 1e-9), "{a:?} {b:?}");
    assert!(close(a.difference.unwrap(), a.estimate.value - b.estimate.value, 1e-9));
    assert!(close(a.difference.unwrap(), -b.difference.unwrap(), 1e-12));
    let se = a.difference_standard_error.unwrap();
    assert!(close(a.statistic.unwrap(), a.difference.unwrap() / se, 1e-12));
    assert!(close(a.difference_upper.unwrap() - a.difference_lower.unwrap(), 2.0 * 1.959963984540054 * se, 1e-9));
    // Holm over two equal p-values: both doubled (capped at 1).
    assert!(close(a.adjusted_p_value.unwrap(), (2.0 * a.p_value.unwrap()).min(1.0), 1e-12));
}

#[test]
fn the_tests_against_the_rest_read_correction_and_alpha_strictly() {
    let cols = [("g", RakeColumn::from_keys(&["a", "b", "b", "a"]))];
    let m = r#"{"g": {"a": 0.5, "b": 0.5}}"#;
    let seg = RakeColumn::from_keys(&["x", "y", "x", "y"]);
    let run = |options: &str| {
        operations::rake_estimate(MetricKind::Nps, &cols, None, m, None, &[10.0, 3.0, 9.0, 8.0], Some(&seg), options)
    };
    let e = run(r#"{"alpha": 1.5}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    assert!(e.to_string().starts_with("invalid alpha = 1.5"), "{e}");
    let e = run(r#"{"corection": "holm"}"#).unwrap_err();
    assert!(e.to_string().contains("rake_estimate does not read this option (did you mean correction?)"), "{e}");
    let e = run(r#"{"correction": "holmes"}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    let none = run(r#"{"correction": "none", "alpha": 0.5}"#).unwrap();
    assert_eq!(none.rows[1].adjusted_p_value, none.rows[1].p_value);
}
