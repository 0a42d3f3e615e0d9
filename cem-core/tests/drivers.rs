//! Key driver analysis: a published example reproduced, and properties (merge, sums, permutation, scale).

use cem_core::{analyse_drivers, operations, DriverMethod, DriverTally, Missing, OutcomeScore};
use proptest::prelude::*;
use serde_json::json;

/// A tally whose correlation matrix is `r` (outcome first), as if from `n` unweighted standardized rows.
fn tally_from_correlations(r: &[&[f64]], n: u64) -> DriverTally {
    let k = r.len();
    let names: Vec<String> = (1..k).map(|j| format!("x{j}")).collect();
    let comoments: Vec<f64> = r.iter().flat_map(|row| row.iter().map(|v| v * n as f64)).collect();
    operations::from_json(
        "driver tally",
        json!({
            "outcome": "y", "drivers": names, "outcome_score": "value", "n": n, "skipped": 0,
            "weight": n as f64, "weight_sq": n as f64, "means": vec![0.0; k], "comoments": comoments,
        }),
    )
    .unwrap()
}

/// Azen & Budescu (2003), "The dominance analysis approach for comparing predictors in multiple
/// regression", Psychological Methods 8(2), 129–148: the four-predictor correlation-matrix example, whose
/// conditional dominance table (mean R² increment by model size) and complete dominance the paper prints
/// to three decimals; as the R package dominanceanalysis checks it in
/// tests/testthat/test-daAzenBudescu2003.R (github.com/clbustos/dominanceAnalysis).
#[test]
fn azen_budescu_2003_example() {
    let r: [&[f64]; 5] = [
        &[1.0, 0.6, 0.3, 0.4, 0.5],
        &[0.6, 1.0, 0.8, 0.1, 0.3],
        &[0.3, 0.8, 1.0, 0.1, 0.1],
        &[0.4, 0.1, 0.1, 1.0, 0.5],
        &[0.5, 0.3, 0.1, 0.5, 1.0],
    ];
    let t = tally_from_correlations(&r, 100);
    let a = analyse_drivers(&t, DriverMethod::Dominance, 0.95).unwrap();
    let published = [
        [0.360, 0.090, 0.160, 0.250],
        [0.300, 0.074, 0.095, 0.152],
        [0.263, 0.069, 0.063, 0.073],
        [0.246, 0.071, 0.061, 0.010],
    ];
    let d = a.dominance.as_ref().unwrap();
    for (size, row) in published.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            assert!((d.conditional[j][size] - v).abs() < 0.0015, "size {size}, x{}: {}", j + 1, d.conditional[j][size]);
        }
    }
    let complete = [[0.5, 1.0, 1.0, 1.0], [0.0, 0.5, 0.5, 0.5], [0.0, 0.5, 0.5, 0.5], [0.0, 0.5, 0.5, 0.5]];
    for (got, want) in d.complete.iter().zip(complete) {
        assert_eq!(got[..], want[..]);
    }
    // General dominance = the mean of each column of the table, and sums to R².
    let total: f64 = a.drivers.iter().map(|r| r.importance).sum();
    assert!((total - a.r2).abs() < 1e-12);
    let general: Vec<f64> = (0..4).map(|j| published.iter().map(|row| row[j]).sum::<f64>() / 4.0).collect();
    for (row, g) in a.drivers.iter().zip(general) {
        assert!((row.importance - g).abs() < 0.0015);
    }
    // lmg is general dominance.
    let lmg = analyse_drivers(&t, DriverMethod::Lmg, 0.95).unwrap();
    for (x, y) in lmg.drivers.iter().zip(&a.drivers) {
        assert!((x.importance - y.importance).abs() < 1e-15);
    }
}

/// Grömping (2006), "Relative importance for linear regression in R: the package relaimpo", Journal of
/// Statistical Software 17(1), and the package's vignette (relaimpo_vignette.pdf, section 4): R's `swiss`
/// data (47 provinces; Fertility on Agriculture, Examination, Education, Catholic, Infant.Mortality),
/// `calc.relimp(cov(swiss), type = c("lmg", "pmvd", "last", "first", "betasq", "pratt"))`. The tally is
/// built from the vignette's printed `cor(swiss)` (seven digits), so the metrics match its printed ones
/// (normalised to sum to 1, relaimpo's default `rela = TRUE`) to about 1e-6; R² = 70.67%.
#[test]
fn relaimpo_vignette_swiss_example() {
    let r: [&[f64]; 6] = [
        &[1.0000000, 0.35307918, -0.6458827, -0.66378886, 0.4636847, 0.41655603],
        &[0.3530792, 1.00000000, -0.6865422, -0.63952252, 0.4010951, -0.06085861],
        &[-0.6458827, -0.68654221, 1.0000000, 0.69841530, -0.5727418, -0.11402160],
        &[-0.6637889, -0.63952252, 0.6984153, 1.00000000, -0.1538589, -0.09932185],
        &[0.4636847, 0.40109505, -0.5727418, -0.15385892, 1.0000000, 0.17549591],
        &[0.4165560, -0.06085861, -0.1140216, -0.09932185, 0.1754959, 1.00000000],
    ];
    let t = tally_from_correlations(&r, 47);
    let published: [(DriverMethod, [f64; 5]); 5] = [
        (DriverMethod::Lmg, [0.08078165, 0.24220256, 0.36807952, 0.14937728, 0.15955899]),
        (DriverMethod::Last, [0.12930541, 0.02228229, 0.48851983, 0.18813138, 0.17176109]),
        (DriverMethod::First, [0.09093207, 0.30428474, 0.32139030, 0.15682612, 0.12656677]),
        (DriverMethod::Betasq, [0.12911291, 0.03580132, 0.59260934, 0.15931588, 0.08316055]),
        (DriverMethod::Pratt, [-0.1563330, 0.1505903, 0.6296626, 0.2280583, 0.1480218]),
    ];
    for (method, want) in published {
        let a = analyse_drivers(&t, method, 0.95).unwrap();
        assert!((a.r2 - 0.7067).abs() < 5e-5, "R² {}", a.r2);
        let total: f64 = a.drivers.iter().map(|d| d.importance).sum();
        for (d, w) in a.drivers.iter().zip(want) {
            assert!((d.importance / total - w).abs() < 2e-6, "{method}: {} {} vs {w}", d.driver, d.importance / total);
        }
    }
    // Unnormalised, `first` is each driver's squared correlation with Fertility, which the vignette prints.
    let first = analyse_drivers(&t, DriverMethod::First, 0.95).unwrap();
    for (d, w) in first.drivers.iter().zip([0.1246649, 0.4171645, 0.4406156, 0.2150035, 0.1735189]) {
        assert!((d.importance - w).abs() < 2e-7, "{} {}", d.driver, d.importance);
    }
}

#[test]
/// Twenty drivers are exact (the speed is measured in `make bench`, never asserted here); twenty-one are
/// refused, naming the method for more drivers.
fn lmg_takes_twenty_drivers_and_refuses_more() {
    let p = 20;
    let rows = 500;
    let mut state = 7u64;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    let xs: Vec<Vec<f64>> = (0..p).map(|_| (0..rows).map(|_| next()).collect()).collect();
    let y: Vec<f64> =
        (0..rows).map(|i| xs.iter().enumerate().map(|(j, x)| x[i] / (j + 1) as f64).sum::<f64>() + next()).collect();
    let names: Vec<String> = (0..p).map(|j| format!("d{j}")).collect();
    let mut t = DriverTally::new("y", &names, OutcomeScore::Value, None, None).unwrap();
    let cols: Vec<&[f64]> = xs.iter().map(|x| &x[..]).collect();
    t.update(&y, &cols, None, Missing::Error).unwrap();
    let a = analyse_drivers(&t, DriverMethod::Lmg, 0.95).unwrap();
    let total: f64 = a.drivers.iter().map(|r| r.importance).sum();
    assert!((total - a.r2).abs() < 1e-10);
    // The drivers were built with effects 1, 1/2, 1/3 …: the first three, well apart, rank in that order.
    let ranks: Vec<_> = a.drivers.iter().take(3).map(|r| r.rank).collect();
    assert_eq!(ranks, [1, 2, 3]);
    let e = analyse_drivers(
        &DriverTally::new("y", &[names.clone(), vec!["x".into()]].concat(), OutcomeScore::Value, None, None).unwrap(),
        DriverMethod::Lmg,
        0.95,
    )
    .unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    assert!(e.to_string().contains("relative_weights"), "{e}");
}

fn rows() -> impl Strategy<Value = (Vec<[f64; 4]>, Vec<f64>)> {
    (12usize..40).prop_flat_map(|n| {
        (prop::collection::vec(prop::array::uniform4(-5.0f64..5.0), n), prop::collection::vec(0.1f64..4.0, n))
    })
}

fn tally_of(data: &[[f64; 4]], w: &[f64], names: &[&str]) -> DriverTally {
    let col = |j: usize| data.iter().map(|r| r[j]).collect::<Vec<f64>>();
    let (y, a, b, c) = (col(0), col(1), col(2), col(3));
    let mut t = DriverTally::new("y", names, OutcomeScore::Value, None, None).unwrap();
    t.update(&y, &[&a, &b, &c], Some(w), Missing::Error).unwrap();
    t
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

proptest! {
    #[test]
    fn merged_partitions_equal_one_pass((data, w) in rows(), cut in 0usize..12) {
        let names = ["a", "b", "c"];
        let whole = tally_of(&data, &w, &names);
        let mut left = tally_of(&data[..cut], &w[..cut], &names);
        left.merge(&tally_of(&data[cut..], &w[cut..], &names)).unwrap();
        prop_assert_eq!(left.n(), whole.n());
        for (x, y) in left.means().iter().zip(whole.means()).chain(left.comoments().iter().zip(whole.comoments())) {
            prop_assert!(close(*x, *y), "{} vs {}", x, y);
        }
        if let (Ok(x), Ok(y)) = (analyse_drivers(&left, DriverMethod::Lmg, 0.95), analyse_drivers(&whole, DriverMethod::Lmg, 0.95)) {
            for (p, q) in x.drivers.iter().zip(&y.drivers) {
                prop_assert!((p.importance - q.importance).abs() < 1e-8);
            }
        }
    }

    #[test]
    fn lmg_and_relative_weights_sum_to_r2((data, w) in rows()) {
        let t = tally_of(&data, &w, &["a", "b", "c"]);
        for m in [DriverMethod::Lmg, DriverMethod::RelativeWeights, DriverMethod::Dominance, DriverMethod::Pratt] {
            let a = analyse_drivers(&t, m, 0.95).unwrap();
            let total: f64 = a.drivers.iter().map(|r| r.importance).sum();
            prop_assert!((total - a.r2).abs() < 1e-10, "{}: {} vs {}", m, total, a.r2);
        }
    }

    #[test]
    fn permuting_drivers_permutes_the_result((data, w) in rows()) {
        let t = tally_of(&data, &w, &["a", "b", "c"]);
        let permuted: Vec<[f64; 4]> = data.iter().map(|r| [r[0], r[3], r[1], r[2]]).collect();
        let u = tally_of(&permuted, &w, &["c", "a", "b"]);
        for m in DriverMethod::ALL {
            let (x, y) = (analyse_drivers(&t, *m, 0.95).unwrap(), analyse_drivers(&u, *m, 0.95).unwrap());
            for row in &x.drivers {
                let other = y.drivers.iter().find(|r| r.driver == row.driver).unwrap();
                prop_assert!((row.importance - other.importance).abs() < 1e-10, "{}", m);
            }
        }
    }

    #[test]
    fn scaling_or_shifting_a_driver_changes_no_importance((data, w) in rows(), s in 0.01f64..100.0, shift in -50.0f64..50.0) {
        let t = tally_of(&data, &w, &["a", "b", "c"]);
        let scaled: Vec<[f64; 4]> = data.iter().map(|r| [r[0], r[1] * s + shift, r[2], -r[3]]).collect();
        let u = tally_of(&scaled, &w, &["a", "b", "c"]);
        for m in DriverMethod::ALL {
            let (x, y) = (analyse_drivers(&t, *m, 0.95).unwrap(), analyse_drivers(&u, *m, 0.95).unwrap());
            prop_assert!((x.r2 - y.r2).abs() < 1e-9);
            for (p, q) in x.drivers.iter().zip(&y.drivers) {
                prop_assert!((p.importance - q.importance).abs() < 1e-9, "{}", m);
            }
        }
    }
}

#[test]
fn per_segment_analyses_are_those_of_each_segments_rows() {
    let y = [1.0, 2.0, 4.0, 3.0, 5.0, 6.0, 2.0, 3.0, 1.0, 4.0, 5.0, 2.0];
    let a = [1.0, 2.0, 3.0, 3.0, 5.0, 4.0, 1.0, 4.0, 2.0, 3.0, 5.0, 1.0];
    let b = [2.0, 1.0, 2.0, 3.0, 4.0, 5.0, 3.0, 3.0, 1.0, 5.0, 2.0, 2.0];
    let codes = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1];
    let names = ["even".to_string(), "odd".to_string()];
    let cols = [("y", &y[..]), ("a", &a[..]), ("b", &b[..])];
    let options = r#"{"outcome": "y", "drivers": ["a", "b"], "method": "dominance"}"#;
    let per = operations::drivers_by_segment(&cols, &codes, &names, options).unwrap();
    for (k, seg) in per.iter().enumerate() {
        let pick =
            |c: &[f64]| c.iter().zip(&codes).filter(|(_, &s)| s == k as i64).map(|(v, _)| *v).collect::<Vec<f64>>();
        let (ys, as_, bs) = (pick(&y), pick(&a), pick(&b));
        let alone = operations::drivers(&[("y", &ys[..]), ("a", &as_[..]), ("b", &bs[..])], options).unwrap();
        assert_eq!(seg.segment, names[k]);
        assert_eq!(seg.analysis, alone);
    }
    let e = operations::drivers_by_segment(&cols, &[0, 1, -1, 0, 1, 0, 1, 0, 1, 0, 1, 0], &names, options).unwrap_err();
    assert_eq!((e.code(), e.index()), ("invalid_segment", Some(2)));
    let mut holes = y;
    holes[7] = f64::NAN;
    let cols = [("y", &holes[..]), ("a", &a[..]), ("b", &b[..])];
    let e = operations::drivers_by_segment(&cols, &codes, &names, options).unwrap_err();
    assert_eq!((e.code(), e.index()), ("missing_value", Some(7)));
}

/// Any value: ordinary ratings, extremes, NaN and infinities.
fn cell() -> impl Strategy<Value = f64> {
    prop_oneof![
        8 => (1u8..=5).prop_map(f64::from),
        1 => prop::num::f64::ANY,
        1 => Just(f64::NAN),
        1 => prop_oneof![Just(1e300), Just(-1e300), Just(1e-300), Just(0.0), Just(f64::INFINITY)],
    ]
}

/// Every number in a result is finite.
fn all_finite(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n.as_f64().is_some_and(f64::is_finite),
        serde_json::Value::Array(a) => a.iter().all(all_finite),
        serde_json::Value::Object(m) => m.values().all(all_finite),
        serde_json::Value::String(s) => !["NaN", "inf", "-inf"].contains(&s.as_str()),
        _ => true,
    }
}

proptest! {
    #[test]
    fn no_input_panics_or_yields_a_non_finite_number(
        rows in prop::collection::vec(prop::collection::vec(cell(), 4), 0..30),
        weights in prop::option::of(prop::collection::vec(prop_oneof![Just(1.0), Just(0.0), Just(-1.0), Just(2.5), Just(f64::NAN)], 30)),
        method in prop::sample::select(DriverMethod::ALL.to_vec()),
        skip in any::<bool>(),
        scored in any::<bool>(),
        resamples in prop::option::of(1u32..20),
    ) {
        let col = |j: usize| rows.iter().map(|r| r[j]).collect::<Vec<f64>>();
        let (y, a, b, c) = (col(0), col(1), col(2), col(3));
        let w: Option<Vec<f64>> = weights.map(|w| w[..rows.len()].to_vec());
        let mut cols = vec![("y", &y[..]), ("a", &a[..]), ("b", &b[..]), ("c", &c[..])];
        if let Some(w) = &w {
            cols.push(("w", &w[..]));
        }
        let mut options = json!({"outcome": "y", "drivers": ["a", "b", "c"], "method": method.name(), "scale": [1, 5]});
        options["scale"] = serde_json::Value::Null;
        if skip { options["missing"] = json!("skip"); }
        if scored { options["outcome_score"] = json!("nps"); }
        if w.is_some() { options["weight"] = json!("w"); }
        if let Some(r) = resamples { options["resamples"] = json!(r); }
        if let Ok(result) = operations::drivers(&cols, options) {
            let v = serde_json::to_value(&result).unwrap();
            prop_assert!(all_finite(&v), "{}", v);
        }
    }
}

#[test]
fn values_too_large_to_square_are_refused_by_column() {
    let y = [1.0, 2.0, 3.0, 5.0, 4.0];
    let big = [1e200, -1e200, 3e200, 1e199, 2e200];
    let e = operations::drivers(&[("y", &y[..]), ("big", &big[..])], r#"{"outcome": "y"}"#).unwrap_err();
    assert_eq!(e.code(), "invalid_parameter");
    assert!(e.to_string().starts_with("invalid big"), "{e}");
}

/// Rows whose moments the tally takes block by block (and, this large, on two threads): equal to a plain
/// two-pass sum over the complete rows, missing values anywhere skipped, on a scale and NPS-scored; the
/// first bad row named however the rows are split, and the tally unchanged on error.
#[test]
fn large_updates_equal_a_plain_two_pass_sum() {
    let mut x = 88172645463325252u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    for (rows, p) in [(1_000usize, 3usize), (100_000, 3), (450_000, 19)] {
        let k = p + 1;
        let y: Vec<f64> = (0..rows).map(|_| (next() * 11.0).floor()).collect();
        let mut xs: Vec<Vec<f64>> = (0..p).map(|_| (0..rows).map(|_| 1.0 + (next() * 5.0).floor()).collect()).collect();
        let w: Vec<f64> = (0..rows).map(|_| if next() < 0.1 { 0.0 } else { 0.5 + next() }).collect();
        for i in (3..rows).step_by(rows / 7) {
            xs[i % p][i] = f64::NAN;
        }
        let names: Vec<String> = (0..p).map(|j| format!("x{j}")).collect();
        let cols: Vec<&[f64]> = xs.iter().map(|c| &c[..]).collect();
        let mut t =
            DriverTally::new("y", &names, OutcomeScore::Nps, Some(cem_core::Scale::new(1, 5).unwrap()), None).unwrap();
        t.update(&y, &cols, Some(&w), Missing::Skip).unwrap();
        let ok: Vec<usize> = (0..rows).filter(|&i| xs.iter().all(|c| !c[i].is_nan())).collect();
        assert_eq!((t.n(), t.skipped()), (ok.len() as u64, (rows - ok.len()) as u64));
        let z = |j: usize, i: usize| match j {
            0 if y[i] >= 9.0 => 100.0,
            0 if y[i] >= 7.0 => 0.0,
            0 => -100.0,
            _ => xs[j - 1][i],
        };
        let total: f64 = ok.iter().map(|&i| w[i]).sum();
        let means: Vec<f64> = (0..k).map(|j| ok.iter().map(|&i| w[i] * z(j, i)).sum::<f64>() / total).collect();
        for j in 0..k {
            assert!((t.means()[j] - means[j]).abs() < 1e-9 * (1.0 + means[j].abs()), "{rows} mean {j}");
            for c in 0..k {
                let want: f64 = ok.iter().map(|&i| w[i] * (z(j, i) - means[j]) * (z(c, i) - means[c])).sum();
                let got = t.comoments()[j * k + c];
                assert!((got - want).abs() < 1e-9 * want.abs().max(total), "{rows} comoment {j} {c}: {got} {want}");
            }
        }
        // Errors: the first bad row's, wherever the others are; nothing added.
        let before = t.clone();
        for target in [rows - 10, rows / 2 + 1, rows / 2 - 1, 5] {
            let bad = *ok.iter().find(|&&i| i >= target).unwrap(); // a row with a missing value is skipped
            let mut ys = y.clone();
            ys[bad] = 11.0;
            ys[rows - 1] = f64::INFINITY;
            let e = t.update(&ys, &cols, Some(&w), Missing::Skip).unwrap_err();
            assert_eq!((e.code(), e.index()), ("out_of_range", Some(bad)), "{rows} {bad}");
            assert_eq!(t, before);
            let e = t.update(&y, &cols, Some(&w), Missing::Error).unwrap_err();
            assert_eq!((e.code(), e.index()), ("missing_value", Some(3)));
        }
    }
}
