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
