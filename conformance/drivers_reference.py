"""Key driver analysis, written independently of cem for its conformance vectors (conformance/generate.py).

Every R² here is an ordinary least-squares fit with numpy's `lstsq` on the raw rows (weighted: rows scaled
by √w, intercept included), never from a correlation matrix: all 2^p subsets for lmg (Shapley value of R²,
Lindeman, Merenda & Gold 1980; Grömping 2006) and dominance (Budescu 1993; Azen & Budescu 2003);
Johnson's (2000) relative weights from numpy's symmetric eigendecomposition (`eigh`) of the weighted
correlation matrix (`np.cov` with `aweights`); first/last/betasq/pratt as in R relaimpo. Performance
intervals: scipy's t quantile on the Kish effective n; top box: statsmodels' Wilson interval.
"""

import itertools
import math

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint


def score_outcome(y, how):
    if how == "nps":
        return np.where(y >= 9, 100.0, np.where(y <= 6, -100.0, 0.0))
    if how == "promoter":
        return np.where(y >= 9, 100.0, 0.0)
    return y


def r2_of(y, X, w):
    """Weighted OLS R² of y on the columns of X (with intercept) by lstsq."""
    sw = np.sqrt(w)
    ybar = np.sum(w * y) / np.sum(w)
    sst = np.sum(w * (y - ybar) ** 2)
    A = np.column_stack([np.ones(len(y)), X]) * sw[:, None]
    coef, *_ = np.linalg.lstsq(A, y * sw, rcond=None)
    resid = y - np.column_stack([np.ones(len(y)), X]) @ coef
    return 1.0 - np.sum(w * resid**2) / sst


def analyse(columns, options):
    outcome = options["outcome"]
    names = options["drivers"]
    method = options.get("method", "lmg")
    level = options.get("level", 0.95)
    missing = options.get("missing", "error")
    wname = options.get("weight")
    y_raw = np.array([np.nan if v is None else v for v in columns[outcome]], dtype=float)
    X_raw = np.column_stack([[np.nan if v is None else v for v in columns[d]] for d in names]).astype(float)
    w_raw = np.ones(len(y_raw)) if wname is None else np.array(columns[wname], dtype=float)
    ok = ~np.isnan(y_raw) & ~np.isnan(X_raw).any(axis=1)
    skipped = int((~ok).sum())
    assert missing == "skip" or skipped == 0
    y = score_outcome(y_raw[ok], options.get("outcome_score", "value"))
    X, w = X_raw[ok], w_raw[ok]
    n, p = X.shape
    W = w.sum()
    n_eff = W**2 / np.sum(w**2)

    subsets = {}
    if method in ("lmg", "dominance") or p <= 12:
        for size in range(p + 1):
            for S in itertools.combinations(range(p), size):
                subsets[S] = r2_of(y, X[:, list(S)], w) if S else 0.0
    full = r2_of(y, X, w)

    # Standardized coefficients from lstsq on weighted z-scores.
    mu = (w[:, None] * X).sum(0) / W
    sd = np.sqrt((w[:, None] * (X - mu) ** 2).sum(0) / W)
    ym = np.sum(w * y) / W
    ysd = np.sqrt(np.sum(w * (y - ym) ** 2) / W)
    Z = (X - mu) / sd
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(Z * sw[:, None], (y - ym) / ysd * sw, rcond=None)
    C = np.cov(np.column_stack([y, X]).T, aweights=w)
    R = C / np.sqrt(np.outer(np.diag(C), np.diag(C)))
    rxy = R[1:, 0]

    def increments(j, others):
        out = {}
        for size in range(len(others) + 1):
            for S in itertools.combinations(others, size):
                out[S] = subsets[tuple(sorted(S + (j,)))] - subsets[S]
        return out

    dominance = None
    if method in ("lmg", "dominance"):
        conditional = []
        for j in range(p):
            inc = increments(j, tuple(k for k in range(p) if k != j))
            conditional.append([float(np.mean([v for S, v in inc.items() if len(S) == s])) for s in range(p)])
        imp = [float(np.mean(c)) for c in conditional]
        if method == "dominance":
            complete = [[0.5] * p for _ in range(p)]
            for i in range(p):
                for j in range(p):
                    if i == j:
                        continue
                    rest = [k for k in range(p) if k not in (i, j)]
                    diffs = []
                    for size in range(len(rest) + 1):
                        for S in itertools.combinations(rest, size):
                            diffs.append(subsets[tuple(sorted(S + (i,)))] - subsets[tuple(sorted(S + (j,)))])
                    complete[i][j] = 1.0 if all(d > 0 for d in diffs) else (0.0 if all(d < 0 for d in diffs) else 0.5)
            dominance = {"conditional": conditional, "complete": complete}
    elif method == "relative_weights":
        lam, V = np.linalg.eigh(R[1:, 1:])
        Lstar = V @ np.diag(np.sqrt(lam)) @ V.T
        bstar = np.linalg.solve(Lstar, rxy)
        imp = list((Lstar**2) @ (bstar**2))
    elif method == "first":
        imp = list(rxy**2)
    elif method == "last":
        imp = [full - r2_of(y, np.delete(X, j, axis=1), w) for j in range(p)]
    elif method == "betasq":
        imp = list(beta**2)
    elif method == "pratt":
        imp = list(beta * rxy)
    imp = [float(v) for v in imp]
    total = sum(imp)

    scale = options.get("scale")
    thr = None
    if scale is not None:
        thr = options.get("threshold", scale[1] - 1)
    tq = stats.t.ppf(0.5 + level / 2, n_eff - 1)
    rows = []
    order = sorted(range(p), key=lambda j: -imp[j])
    perf_split = float(np.mean(mu))
    imp_split = total / p
    if "split" in options:  # [share of R² in %, mean rating]
        imp_split, perf_split = options["split"][0] / 100 * total, options["split"][1]
    for j in range(p):
        s = math.sqrt(sd[j] ** 2 * n_eff / (n_eff - 1))
        lo, hi = mu[j] - tq * s / math.sqrt(n_eff), mu[j] + tq * s / math.sqrt(n_eff)
        if scale is not None:
            lo, hi = max(lo, scale[0]), min(hi, scale[1])
        row = {
            "driver": names[j],
            "importance": imp[j],
            "share": 100 * imp[j] / total,
            "rank": order.index(j) + 1,
            "sign": int(np.sign(beta[j])),
            "coefficient": float(beta[j]),
            "correlation": float(rxy[j]),
            "mean": float(mu[j]),
            "mean_lower": float(lo),
            "mean_upper": float(hi),
            "quadrant": {(True, False): "fix_first", (True, True): "keep", (False, False): "low_priority",
                         (False, True): "overkill"}[(imp[j] >= imp_split, mu[j] >= perf_split)],
        }
        if thr is not None:
            share = float(np.sum(w * (X[:, j] >= thr)) / W)
            tl, th = proportion_confint(share * n_eff, n_eff, alpha=1 - level, method="wilson")
            row.update({"top_box": 100 * share, "top_box_lower": 100 * tl, "top_box_upper": 100 * th})
        rows.append(row)
    out = {"method": method, "r2": float(full), "importance_split": imp_split, "performance_split": perf_split,
           "n": int(n), "skipped": skipped, "effective_n": float(n_eff), "outcome_mean": float(ym), "drivers": rows}
    if dominance is not None:
        out["dominance"] = dominance
    return out


MASK = (1 << 64) - 1


def splitmix64(seed):
    """SplitMix64 (Steele, Lea & Flood 2014), transcribed from the paper's reference code: uniforms in
    [0, 1) from the top 53 bits."""
    state = seed & MASK
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        yield ((z ^ (z >> 31)) >> 11) * 2.0**-53


def with_bootstrap(columns, options):
    """The analysis plus a case bootstrap: each resample takes row ⌊u·m⌋ of the m complete rows (in
    order), m times, and is analysed like the data; percentile intervals by numpy's default quantile."""
    out = analyse(columns, options)
    names = [options["outcome"], *options["drivers"]] + ([options["weight"]] if "weight" in options else [])
    complete = [i for i in range(len(columns[options["outcome"]]))
                if all(columns[n][i] is not None for n in names[:1 + len(options["drivers"])])]
    m = len(complete)
    u = splitmix64(options.get("seed", 0))
    level = options.get("level", 0.95)
    inner = {k: v for k, v in options.items() if k not in ("resamples", "seed", "missing", "split")}
    imps, shares, firsts = [], [], np.zeros(len(options["drivers"]))
    for _ in range(options["resamples"]):
        rows = [complete[min(int(next(u) * m), m - 1)] for _ in range(m)]
        sample = {n: [columns[n][i] for i in rows] for n in names}
        r = analyse(sample, inner)
        imps.append([d["importance"] for d in r["drivers"]])
        shares.append([d["share"] for d in r["drivers"]])
        firsts += [d["rank"] == 1 for d in r["drivers"]]
    imps, shares = np.array(imps), np.array(shares)
    q = [(1 - level) / 2, (1 + level) / 2]
    for j, row in enumerate(out["drivers"]):
        row["importance_lower"], row["importance_upper"] = np.quantile(imps[:, j], q).tolist()
        row["share_lower"], row["share_upper"] = np.quantile(shares[:, j], q).tolist()
        row["first_probability"] = float(firsts[j] / options["resamples"])
    out["bootstrap"] = {"resamples": options["resamples"], "seed": options.get("seed", 0), "failed": 0}
    return out


def data(seed, n, p, rho=0.4, effects=None, outcome="0-10", missing=0.0):
    """Ratings 1–5 on p correlated drivers and an outcome built from them, rounded onto its scale.

    The same numbers on every CPU: equicorrelated normals by their closed form (a common factor √ρ·z₀ plus
    √(1−ρ)·zⱼ, elementwise, no LAPACK factorisation as `multivariate_normal` does), the outcome summed
    driver by driver in a fixed order (no BLAS `@`), and a continuous outcome written on a 10⁻⁶ grid that
    a last-bit difference in libm cannot cross."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, p + 1))
    latent = math.sqrt(rho) * z[:, :1] + math.sqrt(1 - rho) * z[:, 1:]
    X = np.clip(np.round(3 + 1.1 * latent), 1, 5)
    effects = np.linspace(1.0, 0.1, p) if effects is None else np.array(effects)
    y = rng.normal(0, 1.0, n)
    for j in range(p):
        y = y + latent[:, j] * effects[j]
    if outcome == "0-10":
        sd = math.sqrt(math.fsum((v - math.fsum(y) / n) ** 2 for v in y) / n)
        y = np.clip(np.round(7 + 1.5 * y / max(1e-9, sd)), 0, 10)
    else:
        y = np.round(y, 6)
    names = [f"d{j + 1}" for j in range(p)]
    cols = {"y": [float(v) for v in y]}
    for j, name in enumerate(names):
        col = [float(v) for v in X[:, j]]
        if missing:
            col = [None if rng.random() < missing else v for v in col]
        cols[name] = col
    return cols, names


def cases():
    out = []

    def case(name, columns, options, tol=None):
        expected = with_bootstrap(columns, options) if "resamples" in options else analyse(columns, options)
        out.append({"name": name, "call": "drivers", "input": {"columns": columns, "options": options},
                    "expected": expected, "tolerance": tol or {"abs": 1e-9, "rel": 1e-8}})

    def error(name, columns, options, code):
        out.append({"name": name, "call": "drivers", "input": {"columns": columns, "options": options},
                    "expected": {"error": code}})

    cols, names = data(1, 60, 3)
    for method in ("lmg", "relative_weights", "dominance", "first", "last", "betasq", "pratt"):
        case(f"drivers_{method}_p3_0to10_outcome", cols, {"outcome": "y", "drivers": names, "method": method,
                                                         "scale": [1, 5]})
    cols, names = data(2, 80, 4, rho=0.92)
    case("drivers_lmg_collinear_ish", cols, {"outcome": "y", "drivers": names})
    case("drivers_relative_weights_collinear_ish", cols, {"outcome": "y", "drivers": names,
                                                          "method": "relative_weights"})
    cols, names = data(3, 25, 1)
    case("drivers_lmg_p1", cols, {"outcome": "y", "drivers": names, "level": 0.9})
    cols, names = data(4, 300, 12, rho=0.3)
    case("drivers_lmg_p12", cols, {"outcome": "y", "drivers": names}, tol={"abs": 1e-8, "rel": 1e-7})
    case("drivers_relative_weights_p12", cols, {"outcome": "y", "drivers": names, "method": "relative_weights"},
         tol={"abs": 1e-8, "rel": 1e-7})
    cols, names = data(5, 70, 3)
    rng = np.random.default_rng(55)
    cols["w"] = [float(v) for v in rng.uniform(0.2, 3.0, 70)]
    case("drivers_lmg_weighted", cols, {"outcome": "y", "drivers": names, "weight": "w", "scale": [1, 5]})
    case("drivers_dominance_weighted", cols, {"outcome": "y", "drivers": names, "weight": "w", "method": "dominance"})
    cols, names = data(6, 90, 3, missing=0.08)
    case("drivers_lmg_missing_skip", cols, {"outcome": "y", "drivers": names, "missing": "skip", "scale": [1, 5],
                                            "threshold": 5})
    error("drivers_missing_error", cols, {"outcome": "y", "drivers": names}, "missing_value")
    cols, names = data(7, 120, 3)
    case("drivers_lmg_nps_score_outcome", cols, {"outcome": "y", "drivers": names, "outcome_score": "nps"})
    case("drivers_pratt_promoter_outcome", cols, {"outcome": "y", "drivers": names, "outcome_score": "promoter",
                                                  "method": "pratt"})
    case("drivers_lmg_quadrants_split_given", cols, {"outcome": "y", "drivers": names, "split": [40, 3.2]})
    cols, names = data(8, 50, 3, outcome="continuous")
    case("drivers_relative_weights_continuous_outcome", cols, {"outcome": "y", "drivers": names,
                                                               "method": "relative_weights"})
    # The seeded case bootstrap: intervals of importance and share, rank-first probabilities.
    cols, names = data(11, 60, 3, rho=0.5)
    case("drivers_lmg_bootstrap", cols, {"outcome": "y", "drivers": names, "resamples": 200, "seed": 7},
         tol={"abs": 1e-8, "rel": 1e-7})
    cols, names = data(12, 50, 3, missing=0.05)
    cols["w"] = [float(v) for v in np.random.default_rng(12).uniform(0.5, 2.0, 50)]
    case("drivers_relative_weights_bootstrap_weighted_skip", cols,
         {"outcome": "y", "drivers": names, "weight": "w", "method": "relative_weights", "missing": "skip",
          "resamples": 150, "seed": 2026, "level": 0.9}, tol={"abs": 1e-8, "rel": 1e-7})
    # Refusals.
    cols, names = data(9, 30, 3)
    const = dict(cols, d2=[3.0] * 30)
    error("drivers_constant_driver", const, {"outcome": "y", "drivers": names}, "degenerate")
    error("drivers_constant_outcome", dict(cols, y=[7.0] * 30), {"outcome": "y", "drivers": names}, "degenerate")
    combo = dict(cols, d3=[a + 2 * b for a, b in zip(cols["d1"], cols["d2"])])
    error("drivers_linear_combination", combo, {"outcome": "y", "drivers": names}, "degenerate")
    short = {k: v[:4] for k, v in cols.items()}
    error("drivers_too_few_rows", short, {"outcome": "y", "drivers": names}, "too_few")
    error("drivers_length_mismatch", dict(cols, d1=cols["d1"][:-1]), {"outcome": "y", "drivers": names},
          "length_mismatch")
    error("drivers_infinite_value", dict(cols, d1=["inf"] + cols["d1"][1:]), {"outcome": "y", "drivers": names},
          "invalid_parameter")
    error("drivers_unknown_column", cols, {"outcome": "y", "drivers": ["d1", "nope"]}, "invalid_parameter")
    error("drivers_option_not_read", cols, {"outcome": "y", "drivers": names, "alpha": 0.05}, "invalid_parameter")
    error("drivers_method_misspelt", cols, {"outcome": "y", "drivers": names, "method": "lgm"}, "invalid_parameter")
    error("drivers_nps_outcome_off_scale", dict(cols, y=[11.0] + cols["y"][1:]),
          {"outcome": "y", "drivers": names, "outcome_score": "nps"}, "out_of_range")
    error("drivers_driver_off_scale", dict(cols, d1=[6.0] + cols["d1"][1:]),
          {"outcome": "y", "drivers": names, "scale": [1, 5]}, "out_of_range")
    wide, wnames = data(10, 30, 21, rho=0.1)
    error("drivers_lmg_too_many_drivers", wide, {"outcome": "y", "drivers": wnames}, "invalid_parameter")
    error("drivers_seed_without_resamples", cols, {"outcome": "y", "drivers": names, "seed": 3}, "invalid_parameter")
    error("drivers_negative_weight", dict(cols, w=[-1.0] + [1.0] * 29),
          {"outcome": "y", "drivers": names, "weight": "w"}, "invalid_weight")
    # Per segment, from one pass: each segment's analysis is that of its rows alone; segments in key order.
    cols, names = data(13, 150, 3)
    keys = [["south", "north", "east"][int(v)] for v in np.random.default_rng(13).integers(0, 3, 150)]
    options = {"outcome": "y", "drivers": names, "scale": [1, 5]}
    expected = [{"segment": k, "analysis": analyse({n: [v for v, s in zip(c, keys) if s == k] for n, c in cols.items()},
                                                   options)} for k in sorted(set(keys))]
    out.append({"name": "drivers_by_segment_lmg", "call": "drivers",
                "input": {"columns": cols, "segments": keys, "options": options},
                "expected": {"segments": expected}, "tolerance": {"abs": 1e-9, "rel": 1e-8}})
    for name, bad, code in [("drivers_by_segment_missing_key", keys[:5] + [None] + keys[6:], "invalid_segment"),
                            ("drivers_by_segment_too_few_rows", ["tiny"] * 3 + keys[3:], "too_few")]:
        out.append({"name": name, "call": "drivers", "input": {"columns": cols, "segments": bad, "options": options},
                    "expected": {"error": code}})
    return out
