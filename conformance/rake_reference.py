"""Raking, written independently of cem for its conformance vectors (conformance/generate.py).

cem fits a factor per cell of the raking variables; this reference never forms cells. It keeps one weight
per row in a pandas Series and, sweep after sweep, for each variable in turn, sums the weights per level
with `groupby` and multiplies each row's weight by its level's target over that sum — iterative
proportional fitting as Deming & Stephan (1940) define it — until the largest margin error
max |achieved / target − 1| is at most the tolerance. With trimming bounds, each level's ratio r solves
Σ clip(wᵢ·r, lo, hi) = target by bisection (cem walks the breakpoints), and the rows are clipped.
Kish (1965): design effect n·Σw²/(Σw)², effective n (Σw)²/Σw².

Inputs are integers or seeded numpy draws (no BLAS).
"""

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests


def targets_of(margins, names, base_total):
    """Per variable, level → target: shares (each variable summing to 1) scaled to the base total."""
    out = {}
    shares = all(abs(sum(margins[v].values()) - 1.0) <= 1e-6 for v in names)
    for v in names:
        s = sum(margins[v].values())
        out[v] = {lvl: (val / s * base_total if shares else float(val)) for lvl, val in margins[v].items()}
    return out


def bisect_ratio(w, lo, hi, target):
    """r with Σ clip(w·r, lo, hi) = target, by bisection on log r."""
    def g(r):
        return np.clip(w * r, lo, hi).sum()
    a, b = 1e-12, 1e12
    for _ in range(400):
        m = np.sqrt(a * b)
        if g(m) < target:
            a = m
        else:
            b = m
        if b / a - 1 < 1e-16:
            break
    return np.sqrt(a * b)


def rake_rows(frame, names, margins, base=None, tolerance=1e-10, max_sweeps=1000, trim=None,
              trim_absolute=False):
    d = pd.Series(1.0 if base is None else np.asarray(base, dtype=float), index=frame.index)
    base_total = d.sum()
    targets = targets_of(margins, names, base_total)
    w = d.copy()
    n = int((d > 0).sum())
    bounds = None
    if trim is not None:
        total = sum(targets[names[0]].values())
        scale = 1.0 if trim_absolute else total / n
        lo = 0.0 if trim[0] is None else trim[0] * scale
        hi = np.inf if trim[1] is None else trim[1] * scale
        bounds = (lo, hi)
        w = w.clip(lo, hi).where(d > 0, 0.0)

    def error():
        worst = 0.0
        for v in names:
            got = w.groupby(frame[v]).sum()
            for lvl, t in targets[v].items():
                if t > 0:
                    worst = max(worst, abs(got.get(lvl, 0.0) / t - 1.0))
        return worst

    sweeps = 0
    while error() > tolerance:
        assert sweeps < max_sweeps, "not converged"
        for v in names:
            if bounds is None:
                got = w.groupby(frame[v]).sum()
                ratio = frame[v].map({lvl: targets[v][lvl] / got[lvl] for lvl in got.index})
                w = w * ratio
            else:
                for lvl, t in targets[v].items():
                    rows = (frame[v] == lvl) & (d > 0)
                    if t == 0 or not rows.any():
                        continue
                    r = bisect_ratio(w[rows].to_numpy(), bounds[0], bounds[1], t)
                    w[rows] = np.clip(w[rows] * r, bounds[0], bounds[1])
        sweeps += 1
    pos = w[d > 0]
    W, W2 = pos.sum(), (pos ** 2).sum()
    return {
        "weights": [float(x) for x in w],
        "design_effect": float(n * W2 / W ** 2),
        "effective_n": float(W ** 2 / W2),
        "total_weight": float(W),
        "weight_min": float(pos.min()),
        "weight_max": float(pos.max()),
        "weight_ratio": float(pos.max() / pos.min()),
        "n": n,
        "margins": [{"variable": v, "level": lvl, "target": float(t),
                     "achieved": float(w[frame[v] == lvl].sum())}
                    for v in names for lvl, t in sorted(targets[v].items())],
    }


def nps_scores(answers):
    """NPS scores per answer: +1 promoter (9–10), 0 passive (7–8), −1 detractor (0–6)."""
    a = np.asarray(answers, dtype=float)
    return np.where(a >= 9, 1.0, np.where(a >= 7, 0.0, -1.0))


def linearised(weights, y, domain):
    """z = 1{domain}(y − ȳ)/Σw, the linearisation of the weighted mean of y over `domain` (a boolean mask)."""
    w = np.asarray(weights, dtype=float)
    W = w[domain].sum()
    ybar = (w * y)[domain].sum() / W
    return np.where(domain, (y - ybar) / W, 0.0)


def calibrated_se(frame, names, weights, base, y, domain):
    """The calibration-aware linearised SE of the weighted mean of y over `domain` (a boolean mask)."""
    return calibrated_se_of(frame, names, weights, base, linearised(weights, y, domain))


def calibrated_se_of(frame, names, weights, base, z):
    """The calibration-aware SE of an estimate whose linearisation is z (one value per row).

    Its residuals e after removing, with base weights d, everything the raking variables' levels explain
    are found by backfitting — for each variable in turn, subtract the d-weighted mean of e within its
    level — repeated until nothing changes (alternating projections converge to the projection on the sum
    of the variables' level spaces; cem solves the normal equations instead). u = w·e;
    V = n/(n−1)·Σ(u − ū)² as R survey's svymean after calibrate.
    """
    w = np.asarray(weights, dtype=float)
    d = np.ones(len(w)) if base is None else np.asarray(base, dtype=float)
    e = z.copy()
    dsum = {v: pd.Series(d).groupby(frame[v].to_numpy()).transform("sum").to_numpy() for v in names}
    scale = np.abs(z).max()
    for _ in range(20000):
        before = e.copy()
        for v in names:
            e = e - pd.Series(d * e).groupby(frame[v].to_numpy()).transform("sum").to_numpy() / dsum[v]
        if np.abs(e - before).max() <= 1e-17 * scale:
            break
    else:
        raise AssertionError("backfitting did not converge")
    u = w * e
    n = len(u)
    return float(np.sqrt(n / (n - 1) * ((u - u.mean()) ** 2).sum()))


def fixed_se(weights, y, domain):
    """cem's standard error with the weights as fixed: √(Σw²(y − ȳ)²)/Σw over the domain."""
    w = np.asarray(weights, dtype=float)[domain]
    y = y[domain]
    ybar = (w * y).sum() / w.sum()
    return float(np.sqrt((w * w * (y - ybar) ** 2).sum()) / w.sum())


def sample(seed, rows, levels, skew=0.6):
    """Levels drawn with probabilities falling with the level (a sample that must be weighted)."""
    rng = np.random.default_rng(seed)
    cols = {}
    for name, k in levels.items():
        p = np.array([(1 - skew) ** i for i in range(k)])
        cols[name] = [f"{name[0]}{i}" for i in rng.choice(k, size=rows, p=p / p.sum())]
    return cols


def rising_shares(prefix, k):
    """Population shares rising with the level, unlike the sample's."""
    total = k * (k + 1) / 2
    return {f"{prefix}{i}": (i + 1) / total for i in range(k)}


def cases():
    out = []

    def case(name, columns, margins, options, base=None, tol=None):
        names = options.get("by") or sorted(margins)
        frame = pd.DataFrame(columns)
        kw = {k: options[k] for k in ("tolerance", "max_sweeps", "trim", "trim_absolute") if k in options}
        expected = rake_rows(frame, names, margins, base, **kw)
        inp = {"columns": columns, "margins": margins, "options": options}
        if base is not None:
            inp["base_weights"] = [float(x) for x in base]
        out.append({"name": name, "call": "rake", "input": inp, "expected": expected,
                    "tolerance": tol or {"abs": 1e-9, "rel": 1e-9}})

    def cells_case(name, columns, margins, options, base=None):
        """The same sample as a GROUP BY: one row per (cell) with count, Σd, Σd²; factors per cell."""
        names = options.get("by") or sorted(margins)
        frame = pd.DataFrame(columns)
        expected = rake_rows(frame, names, margins, base)
        d = np.ones(len(frame)) if base is None else np.asarray(base, dtype=float)
        frame["_d"], frame["_d2"], frame["_w"] = d, d * d, expected["weights"]
        g = frame.groupby(names, sort=True).agg(count=("_d", "size"), sum=("_d", "sum"), sum_sq=("_d2", "sum"),
                                                w=("_w", "sum"))
        g = g.reset_index()
        table = {v: list(g[v]) for v in names}
        inp = {"columns": table, "count": [int(c) for c in g["count"]], "margins": margins, "options": options}
        if base is not None:
            inp["sum"] = [float(x) for x in g["sum"]]
            inp["sum_sq"] = [float(x) for x in g["sum_sq"]]
        exp = {k: expected[k] for k in ("design_effect", "effective_n", "total_weight", "n", "margins")}
        exp["factors"] = [float(w / s) for w, s in zip(g["w"], g["sum"])]
        out.append({"name": name, "call": "rake_cells", "input": inp, "expected": exp,
                    "tolerance": {"abs": 1e-9, "rel": 1e-9}})

    def error(name, columns, margins, options, code, index=None, base=None, call="rake"):
        inp = {"columns": columns, "margins": margins, "options": options}
        if base is not None:
            inp["base_weights"] = base
        exp = {"error": code}
        if index is not None:
            exp["index"] = index
        out.append({"name": name, "call": call, "input": inp, "expected": exp})

    # Two and three variables, shares; the sample's mix falls with the level, the population's rises.
    cols = sample(1, 300, {"region": 4, "channel": 3})
    shares = {"region": rising_shares("r", 4), "channel": rising_shares("c", 3)}
    case("rake_two_variables_shares", cols, shares, {})
    cells_case("rake_cells_two_variables_shares", cols, shares, {})
    cols3 = sample(2, 500, {"region": 3, "channel": 3, "plan": 2}, skew=0.5)
    m3 = {"region": rising_shares("r", 3), "channel": rising_shares("c", 3), "plan": {"p0": 0.45, "p1": 0.55}}
    case("rake_three_variables_shares", cols3, m3, {})
    # Counts: the weights sum to the population.
    counts = {"region": {"r0": 1000, "r1": 2000, "r2": 3000, "r3": 4000}, "channel": {"c0": 2500, "c1": 3500,
                                                                                   "c2": 4000}}
    case("rake_two_variables_counts", cols, counts, {})
    # Base weights (seeded draws), and the cells table with Σd, Σd².
    rng = np.random.default_rng(3)
    base = [float(x) for x in np.round(rng.uniform(0.5, 2.5, 300), 3)]
    case("rake_base_weights", cols, shares, {}, base=base)
    cells_case("rake_cells_base_weights", cols, shares, {}, base=base)
    # One (crossed) variable: post-stratification.
    crossed = {"stratum": [f"{a}|{b}" for a, b in zip(cols["region"], cols["channel"])]}
    strata = sorted(set(crossed["stratum"]))
    post = {"stratum": {s: 10 + 3 * i for i, s in enumerate(strata)}}
    case("rake_post_stratification", crossed, post, {})
    # `by` picks variables from a margins file that gives more.
    case("rake_by_subset", cols3, m3, {"by": ["plan", "region"]})
    # A looser tolerance stops earlier (still on the margin error).
    case("rake_tolerance_1e-4", cols, shares, {"tolerance": 1e-4}, tol={"abs": 1e-9, "rel": 1e-9})
    # Trimming inside the loop, relative to the mean weight.
    mild = sample(4, 400, {"region": 3, "channel": 3, "plan": 2}, skew=0.3)
    case("rake_trim_upper_relative", mild, m3, {"trim": [None, 3.0]}, tol={"abs": 1e-8, "rel": 1e-8})
    case("rake_trim_absolute", mild, m3, {"trim": [0.05, 3.5], "trim_absolute": True},
         tol={"abs": 1e-8, "rel": 1e-8})
    # Long-form margins (variable, level, value records) mean the same.
    long = [{"variable": v, "level": lvl, "value": val} for v in sorted(shares) for lvl, val in shares[v].items()]
    c = dict(out[0])
    c = {**c, "name": "rake_long_margins", "input": {**c["input"], "margins": long}}
    out.append(c)

    def estimate_case(name, columns, margins, answers, segment=None, base=None, options=None):
        """NPS from raked weights: value, fixed-weights SE and calibrated SE, overall then per segment; each
        segment against the rest (every other segment's rows): the difference, its calibrated SE (the
        difference linearised as one score, z_S − z_rest), the Wald z, its two-sided p (scipy) and the
        p-values adjusted across segments (statsmodels multipletests; `correction` as the options say,
        holm by default as benchmark's)."""
        options = options or {}
        names = options.get("by") or sorted(margins)
        frame = pd.DataFrame(columns)
        w = np.asarray(rake_rows(frame, names, margins, base)["weights"])
        y = nps_scores(answers)
        domains = [(None, np.ones(len(y), dtype=bool))]
        if segment is not None:
            seg = np.asarray(segment, dtype=object)
            domains += [(g, seg == g) for g in sorted(set(segment))]
        rows = []
        for g, mask in domains:
            value = 100 * (w * y)[mask].sum() / w[mask].sum()
            row = {"segment": g, "estimate": {"value": float(value), "standard_error": 100 * fixed_se(w, y, mask)},
                   "calibrated_standard_error": 100 * calibrated_se(frame, names, w, base, y, mask)}
            if g is None:
                row["difference"] = None  # the whole sample has no rest
            else:
                rest = ~mask
                rest_value = 100 * (w * y)[rest].sum() / w[rest].sum()
                z = linearised(w, y, mask) - linearised(w, y, rest)
                se = 100 * calibrated_se_of(frame, names, w, base, z)
                diff = value - rest_value
                row.update({"reference_value": float(rest_value), "difference": float(diff),
                            "difference_standard_error": se, "statistic": diff / se,
                            "p_value": float(2 * stats.norm.sf(abs(diff / se)))})
            rows.append(row)
        if segment is not None:
            correction = {"holm": "holm", "benjamini_hochberg": "fdr_bh"}[options.get("correction", "holm")]
            adjusted = multipletests([r["p_value"] for r in rows[1:]], method=correction)[1]
            alpha = options.get("alpha", 0.05)
            for r, q in zip(rows[1:], adjusted):
                r["adjusted_p_value"] = float(q)
                r["significant"] = bool(q < alpha)
        inp = {"columns": columns, "margins": margins, "options": options, "metric": "nps",
               "answers": [int(a) for a in answers]}
        if segment is not None:
            inp["segment"] = list(segment)
        if base is not None:
            inp["base_weights"] = [float(x) for x in base]
        out.append({"name": name, "call": "rake_estimate", "input": inp, "expected": {"rows": rows},
                    "tolerance": {"abs": 1e-9, "rel": 1e-9}})

    # Calibrated standard errors: answers that depend on the raking variables (the region and channel
    # explain part of the score), drawn by seeded integers; segments cut across the raking variables.
    rng = np.random.default_rng(5)
    lift = {"r0": 3, "r1": 1, "r2": 0, "r3": -2}
    answers = [int(np.clip(rng.integers(4, 11) + lift[r] + (1 if c == "c0" else 0), 0, 10))
               for r, c in zip(cols["region"], cols["channel"])]
    plan = [f"p{int(x)}" for x in rng.integers(0, 3, 300)]
    estimate_case("rake_estimate_two_variables", cols, shares, answers, segment=plan)
    estimate_case("rake_estimate_base_weights", cols, shares, answers, segment=cols["region"], base=base)
    estimate_case("rake_estimate_post_stratification", {"region": cols["region"]},
                  {"region": rising_shares("r", 4)}, answers)
    answers3 = [int(x) for x in rng.integers(0, 11, 500)]
    estimate_case("rake_estimate_three_variables", cols3, m3, answers3, segment=cols3["plan"])
    # Segments against the rest with Benjamini–Hochberg q-values; segments that differ (a lift by plan).
    shift = {"p0": 2, "p1": 0, "p2": -2}
    lifted = [int(np.clip(a + shift[p], 0, 10)) for a, p in zip(answers, plan)]
    estimate_case("rake_estimate_segments_benjamini_hochberg", cols, shares, lifted, segment=plan, base=base,
                  options={"correction": "benjamini_hochberg", "alpha": 0.1})

    small = {"g": ["a", "b", "b", "a", "b"]}
    error("rake_level_without_rows", small, {"g": {"a": 0.4, "b": 0.4, "c": 0.2}}, {}, "level_without_rows")
    error("rake_level_without_target", small, {"g": {"a": 1.0}}, {}, "level_without_target", index=1)
    error("rake_zero_target", small, {"g": {"a": 0.0, "b": 1.0}}, {}, "zero_target")
    error("rake_shares_not_one", small, {"g": {"a": 0.4, "b": 0.5}}, {}, "invalid_margin")
    error("rake_negative_target", small, {"g": {"a": -1, "b": 5}}, {}, "invalid_margin")
    two = {"g": ["a", "b", "b", "a"], "h": ["x", "x", "y", "y"]}
    error("rake_margins_disagree", two, {"g": {"a": 50, "b": 50}, "h": {"x": 40, "y": 50}}, {}, "margins_disagree")
    error("rake_shares_and_counts_disagree", two, {"g": {"a": 0.5, "b": 0.5}, "h": {"x": 40, "y": 60}}, {},
          "margins_disagree")
    # Every "a" row is an "x" row: a's 70% cannot fit in x's 20%.
    stuck = {"g": ["a", "a", "b", "b"], "h": ["x", "x", "x", "y"]}
    error("rake_not_converged", stuck, {"g": {"a": 0.7, "b": 0.3}, "h": {"x": 0.2, "y": 0.8}}, {}, "not_converged")
    error("rake_trim_excludes_mean", small, {"g": {"a": 0.5, "b": 0.5}}, {"trim": [1.5, 3]}, "infeasible_trim")
    error("rake_trim_out_of_reach", small, {"g": {"a": 0.9, "b": 0.1}}, {"trim": [0.5, 2]}, "infeasible_trim")
    error("rake_missing_value", {"g": ["a", None, "b"]}, {"g": {"a": 0.5, "b": 0.5}}, {}, "missing_value", index=1)
    error("rake_bad_base_weight", small, {"g": {"a": 0.5, "b": 0.5}}, {}, "invalid_weight", index=2,
          base=[1.0, 1.0, -2.0, 1.0, 1.0])
    error("rake_unknown_option", small, {"g": {"a": 0.5, "b": 0.5}}, {"alpha": 0.05}, "invalid_parameter")
    error("rake_by_not_in_margins", small, {"g": {"a": 0.5, "b": 0.5}}, {"by": ["h"]}, "invalid_parameter")
    # missing="skip": the row is left out (weight 0).
    skip = {"g": ["a", None, "b", "b"]}
    out.append({"name": "rake_missing_skip", "call": "rake",
                "input": {"columns": skip, "margins": {"g": {"a": 0.5, "b": 0.5}}, "options": {"missing": "skip"}},
                "expected": {"weights": [1.5, 0.0, 0.75, 0.75], "skipped": 1, "n": 3, "total_weight": 3.0},
                "tolerance": {"abs": 1e-12, "rel": 1e-12}})
    return out
