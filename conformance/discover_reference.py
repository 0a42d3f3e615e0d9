"""Data-driven segments (`discover`), written independently of cem for its conformance vectors.

A brute-force enumeration: for every combination of at most `depth` attributes (itertools), a pandas
group-by gives each slice's rows; a slice is in the family when it and its rest hold `min_n` answers (and
its cover is not a parent's); each slice is tested against its rest, and each significant slice against
the rest of each parent, by the generator's own two-sample references (`generate.compare`: statsmodels'
`test_proportions_2indep` for proportions, scipy's Welch t for means, the NPS z) on the rows themselves;
the p-values are adjusted with statsmodels' `multipletests`. The Westfall–Young bound permutes the answers
with the generator's SplitMix64 (Fisher–Yates, each index by multiply-shift) and retests every slice.
"""

import itertools
import math

import pandas as pd
from statsmodels.stats.multitest import multipletests

SM = {"holm": "holm", "bonferroni": "bonferroni", "hochberg": "simes-hochberg",
      "benjamini_hochberg": "fdr_bh", "benjamini_yekutieli": "fdr_by"}
METRICS = {"nps": ({"kind": "nps"}, [0, 10]), "csat": ({"kind": "csat", "threshold": 4}, [1, 5]),
           "ces": ({"kind": "ces", "version": 2}, [1, 7])}


def _g():
    import generate  # the generator's references (imported late: generate imports this module)
    return generate


def reference(columns, options):
    g = _g()
    o = {"depth": 2, "min_n": 30, "correction": "holm", "alpha": 0.05, "level": 0.95, "alternative": "two-sided",
         "missing": "error", "show": "significant", "metric": "nps", **options}
    metric, scale = METRICS[o["metric"]]
    scale = o.get("scale", scale)
    answer, weight = o["answer"], o.get("weight")
    attrs = o.get("attributes") or [c for c in columns if c not in (answer, weight)]
    df = pd.DataFrame({c: columns[c] for c in [*attrs, answer] + ([weight] if weight else [])})
    for a in attrs:  # values are named by their text (whole numbers without a decimal point)
        df[a] = df[a].map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else
                          str(int(v)) if isinstance(v, (int, float)) and float(v).is_integer() else str(v))
        if o["missing"] != "skip":  # a blank attribute is a value of its own unless rows with blanks are skipped
            df[a] = df[a].fillna("(missing)")
    keep = df[answer].notna() & df[attrs].notna().all(axis=1)
    skipped = int((~keep).sum())
    df = df[keep].reset_index(drop=True)
    df[answer] = df[answer].astype(int)
    iopts = {k: o[k] for k in ("level", "method") if k in o}
    copts = {"level": o["level"], "alternative": o["alternative"], **({"test": o["test"]} if "test" in o else {})}

    def inp(rows, answers=None):
        a = (df[answer] if answers is None else answers)[rows]
        return g.est_input(metric, scale, answers=[int(x) for x in a],
                           weights=None if weight is None else [float(w) for w in df[weight][rows]], **iopts)

    def weight_of(rows):
        return float(df[weight][rows].sum()) if weight else float(rows.sum())

    n_all, w_all = len(df), weight_of(pd.Series(True, index=df.index))
    depth = min(o["depth"], len(attrs))
    # Every slice with answers, level by level; each combination's groups in sorted value order.
    sizes, slices, evaluated, collapsed = {}, [], 0, 0
    for k in range(1, depth + 1):
        for combo in itertools.combinations(attrs, k):
            for values, rows in df.groupby(list(combo), sort=True).groups.items():
                values = values if isinstance(values, tuple) else (values,)
                cond = dict(zip(combo, values))
                n = len(rows)
                sizes[tuple(sorted(cond.items()))] = n
                evaluated += 1
                mask = df.index.isin(rows)
                w = weight_of(pd.Series(mask))
                if n < max(o["min_n"], 1) or n_all - n < max(o["min_n"], 1) or not w > 0 or not w_all - w > 0:
                    continue
                parents = [{a: v for a, v in cond.items() if a != drop} for drop in combo] if k > 1 else []
                if any(sizes[tuple(sorted(p.items()))] == n for p in parents):
                    collapsed += 1
                    continue
                slices.append((combo, cond, pd.Series(mask)))

    def test(mask, other, answers=None):
        return g.compare({"a": inp(mask, answers), "b": inp(other, answers), "options": copts})

    rows = []
    for combo, cond, mask in slices:
        e, r = g.estimate(inp(mask))[0], g.estimate(inp(~mask))[0]
        c = test(mask, ~mask)
        share = 100 * weight_of(mask) / w_all
        diff = c["difference"]
        rows.append({"slice": " & ".join(f"{a}={cond[a]}" for a in combo), "conditions": cond, "depth": len(combo),
                     "n": int(mask.sum()), "effective_n": e["effective_n"], "share": share,
                     "value": e["value"], "lower": e["lower"], "upper": e["upper"], "rest_value": r["value"],
                     "difference": diff, "difference_lower": c["lower"], "difference_upper": c["upper"],
                     "statistic": c["statistic"], "p_value": c["p_value"],
                     "side": "above" if diff > 0 else "below" if diff < 0 else "level",
                     "impact": diff * share / 100, "_mask": mask, "_combo": combo, "_cond": cond})
    ps = [r["p_value"] for r in rows]
    if "permutations" in o:
        adj = westfall_young(g, df, answer, slices, rows, o, test)
    elif not ps:
        adj = []
    else:
        adj = multipletests(ps, method=SM[o["correction"]])[1] if o["correction"] != "none" else ps
    for r, a in zip(rows, adj):
        r["adjusted_p_value"] = float(a)
        r["significant"] = bool(a < o["alpha"])
    for r in rows:
        r["productive"], r["explained_by"] = False, None
        if not r["significant"]:
            continue
        worst = None
        for drop in r["_combo"]:
            pcond = {a: v for a, v in r["_cond"].items() if a != drop}
            if not pcond:
                continue
            parent = pd.Series(True, index=df.index)
            for a, v in pcond.items():
                parent &= df[a] == v
            rest = parent & ~r["_mask"]
            if rest.sum() < max(o["min_n"], 1) or not weight_of(rest) > 0:
                p = 1.0
            else:
                c = test(r["_mask"], rest)
                same = (c["difference"] > 0) == (r["difference"] > 0) and c["difference"] != 0
                p = c["p_value"] if same else 1.0
            if p >= o["alpha"] and (worst is None or p > worst[0]):
                worst = (p, " & ".join(f"{a}={pcond[a]}" for a in r["_combo"] if a in pcond))
        r["productive"] = worst is None
        r["explained_by"] = worst and worst[1]
    order = sorted(range(len(rows)), key=lambda i: (rows[i]["adjusted_p_value"], -abs(rows[i]["impact"]), i))
    for rank, i in enumerate(order):
        rows[i]["rank"] = rank + 1
    shown = [rows[i] for i in order if o["show"] == "all" or (o["show"] == "significant" and rows[i]["significant"])
             or (o["show"] == "productive" and rows[i]["productive"])]
    shown = shown[: o.get("limit", len(shown))]
    for r in rows:
        for k in ("_mask", "_combo", "_cond"):
            r.pop(k)
    overall = g.estimate(inp(pd.Series(True, index=df.index)))[0]
    summary = {"m": len(rows), "evaluated": evaluated, "collapsed": collapsed,
               "significantly_above": sum(r["significant"] and r["side"] == "above" for r in rows),
               "significantly_below": sum(r["significant"] and r["side"] == "below" for r in rows),
               "productive": sum(r["productive"] for r in rows), "depth": depth, "min_n": o["min_n"],
               "skipped": skipped, "correction": "westfall_young" if "permutations" in o else o["correction"]}
    return {"overall": {"value": overall["value"], "n": overall["n"]}, "rows": shown, "summary": summary}


def westfall_young(g, df, answer, slices, rows, o, test):
    """Single-step max-T: p̃ = (1 + #{b: max |T⁽ᵇ⁾| ≥ |t|}) / (B + 1), answers permuted by SplitMix64."""
    def extreme(t):
        return {"two-sided": abs(t), "greater": t, "less": -t}[o["alternative"]]
    rng = g.SplitMix64(o.get("seed", 0))
    points = list(df[answer])
    maxima = []
    for _ in range(o["permutations"]):
        for i in range(len(points) - 1, 0, -1):
            j = (rng.next_u64() * (i + 1)) >> 64
            points[i], points[j] = points[j], points[i]
        answers = pd.Series(points, index=df.index)
        maxima.append(max(extreme(test(mask, ~mask, answers)["statistic"]) for _, _, mask in slices))
    return [(1 + sum(m >= extreme(r["statistic"]) for m in maxima)) / (o["permutations"] + 1) for r in rows]


def survey(rng, rows, interaction=True, numeric_plan=False):
    """Rows of region, channel, touchpoint, plan and answers on every metric's scale: the East on the phone
    is much worse than the East or the phone alone; touchpoint "ivr" is served by the phone only."""
    region = rng.choice(["North", "South", "East", "West"], rows).tolist()
    channel = rng.choice(["phone", "web", "app"], rows).tolist()
    touch = [("ivr" if rng.uniform() < 0.5 else "agent") if c == "phone" else "self" for c in channel]
    plan = rng.choice([1, 2] if numeric_plan else ["basic", "plus"], rows).tolist()
    bad = [interaction and r == "East" and c == "phone" for r, c in zip(region, channel)]
    u = rng.normal(0, 1, rows)
    nps = [int(min(10, max(0, round(7.8 + 2.2 * x - (4.0 if b else 0.0))))) for x, b in zip(u, bad)]
    csat = [int(min(5, max(1, round(3.9 + x - (1.5 if b else 0.0))))) for x, b in zip(u, bad)]
    ces = [int(min(7, max(1, round(5.0 + 1.3 * x - (2.0 if b else 0.0))))) for x, b in zip(u, bad)]
    return {"region": region, "channel": channel, "touchpoint": touch, "plan": plan, "nps": nps, "csat": csat,
            "ces": ces}


def cases():
    import numpy as np

    rng = np.random.default_rng(27)
    out = []
    base = survey(rng, 480)
    weights = [float(round(w, 3)) for w in rng.lognormal(0, 0.4, 480)]
    nps = {k: base[k] for k in ("region", "channel", "plan", "nps")}

    def add(name, columns, options, tol=None):
        # The attributes named: a JSON object's key order is not kept by every reader.
        others = [c for c in columns if c not in (options["answer"], options.get("weight"))]
        options = {"attributes": others, **options}
        out.append({"name": f"discover_{name}", "call": "discover", "input": {"columns": columns, "options": options},
                    "expected": reference(columns, options), "tolerance": tol or {"abs": 1e-7, "rel": 1e-7}})

    add("nps_depth_2_holm_all", nps, {"answer": "nps", "show": "all"})
    add("nps_depth_2_significant", nps, {"answer": "nps"})
    add("nps_productive_limit_3", nps, {"answer": "nps", "show": "productive", "limit": 3})
    for correction in ("bonferroni", "benjamini_hochberg", "benjamini_yekutieli"):
        add(f"nps_{correction}", nps, {"answer": "nps", "correction": correction, "show": "all"})
    add("nps_min_n_60_alpha_0.1_level_0.9", nps, {"answer": "nps", "min_n": 60, "alpha": 0.1, "level": 0.9,
                                                 "show": "all"})
    add("nps_weighted", {**nps, "w": weights}, {"answer": "nps", "weight": "w", "show": "all"})
    add("nps_adjusted_wald_greater", nps, {"answer": "nps", "test": "adjusted_wald", "alternative": "greater",
                                           "show": "all"})
    add("csat_depth_2", {k: base[k] for k in ("region", "channel", "plan", "csat")},
        {"answer": "csat", "metric": "csat", "scale": [1, 5], "show": "all"})
    add("ces_depth_2_welch", {k: base[k] for k in ("region", "channel", "plan", "ces")},
        {"answer": "ces", "metric": "ces", "show": "all"})
    # Depth 3 over a touchpoint served by the phone only: touchpoint=ivr & channel=phone is touchpoint=ivr.
    add("nps_depth_3_identical_covers", {k: base[k] for k in ("region", "channel", "touchpoint", "nps")},
        {"answer": "nps", "depth": 3, "show": "all"})
    # Numbers as attribute values, and missing values skipped.
    small = survey(np.random.default_rng(28), 300, numeric_plan=True)
    holes = {k: small[k] for k in ("region", "channel", "plan", "nps")}
    holes["region"][3] = None
    holes["nps"][5] = None
    holes["plan"][8] = None
    add("nps_numbers_and_missing_skipped", holes, {"answer": "nps", "missing": "skip", "show": "all"})
    # By default a blank attribute is the value "(missing)": customers who left the plan blank are a slice.
    blanks = {k: list(v) for k, v in holes.items()}
    blanks["nps"][5] = 7
    for i in range(0, 300, 7):
        blanks["plan"][i] = None
    add("nps_missing_attribute_as_value", blanks, {"answer": "nps", "show": "all", "min_n": 20})
    add("nps_no_slice_reaches_min_n", nps, {"answer": "nps", "min_n": 400})
    # The Westfall–Young bound: 19 permutations of a small table.
    tiny = survey(np.random.default_rng(29), 160)
    add("nps_westfall_young", {k: tiny[k] for k in ("region", "channel", "nps")},
        {"answer": "nps", "permutations": 19, "seed": 5, "min_n": 20, "show": "all"})

    def refuse(name, options, code, columns=None):
        out.append({"name": f"error_discover_{name}", "call": "discover",
                    "input": {"columns": columns or nps, "options": options}, "expected": {"error": code}})

    refuse("depth_0", {"answer": "nps", "depth": 0}, "invalid_parameter")
    refuse("depth_5", {"answer": "nps", "depth": 5}, "invalid_parameter")
    refuse("missing_column", {"answer": "nps", "attributes": ["regoin"]}, "invalid_parameter")
    refuse("too_many_values", {"answer": "nps", "max_values": 3}, "invalid_parameter")
    refuse("option_not_read", {"answer": "nps", "against": "overall"}, "invalid_parameter")
    refuse("permutations_with_weights", {"answer": "nps", "weight": "w", "permutations": 9}, "invalid_parameter",
           {**nps, "w": weights})
    refuse("missing_answer", {"answer": "nps"}, "missing_value", holes)
    refuse("answer_out_of_range", {"answer": "nps"}, "out_of_range", {**nps, "nps": [11] + nps["nps"][1:]})
    return out
