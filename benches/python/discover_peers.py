"""Data-driven segments against the Python tools a user would otherwise reach for, in one process, one run.

The data: n rows × 8 attributes × 6 values (uniform, seeded), 0–10 answers with one planted interaction
(a3=v0 & a5=v1 far worse), as a pandas DataFrame of categorical columns (what each tool reads fastest;
cemscore is also timed on plain text columns). The search: every slice of at most 3 conditions.

- cemscore.discover(depth=3, metric NPS): every slice of the family tested against its rest, Holm.
- pysubgroup (depth=3, the per-row NPS score 100/0/−100 as a numeric target, StandardQFNumeric(a=1) — the
  size-weighted mean difference, its default numeric quality): its DFSNumeric (the algorithm written for
  that quality, with optimistic-estimate pruning) and Apriori, each for the top 20 (its usual use, fewer
  slices than cem scores) and for every slice (result_set_size = the number of slices, what cem reports).
  Its quality rewards slices above the mean only, so the planted slice (below) is not its top.
- DivExplorer (get_pattern_divergence on the same score as a quantitative outcome, FP-growth): it has no
  depth, only a minimum support; 0.0035 keeps every slice of ≤ 3 conditions here (each holds ≈ 1/216 of
  the rows) and none of 4 (≈ 1/1296), so it scores the same family. Timed at 3·10⁵ rows (its time grows
  with n much as the others'); it is given its own row.

Medians of repetitions for cemscore, one run for the slow peers. Writes JSON (--out) for benches/report.py.
Run by make bench in the venv of benches/python/venv.sh (pysubgroup needs numpy < 2).
"""

import argparse
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd

import cemscore
from timing import machine, timed

ATTRIBUTES = 8
VALUES = 6
DEPTH = 3


def survey(n, seed=5):
    """n rows: 8 categorical attributes of 6 values, 0–10 answers, a3=v0 & a5=v1 far worse."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, VALUES, size=(ATTRIBUTES, n), dtype=np.int8)
    nps = rng.integers(0, 11, size=n, dtype=np.int64)
    planted = (codes[3] == 0) & (codes[5] == 1)
    nps[planted] //= 2
    values = [f"v{v}" for v in range(VALUES)]
    df = pd.DataFrame({f"a{a}": pd.Categorical.from_codes(codes[a], values) for a in range(ATTRIBUTES)})
    df["nps"] = nps
    # The per-row NPS score: its mean is the NPS (what a numeric-target tool scores).
    df["score"] = np.where(nps >= 9, 100.0, np.where(nps <= 6, -100.0, 0.0))
    return df


def slices():
    """Every slice of at most DEPTH conditions over the attributes."""
    from math import comb
    return sum(comb(ATTRIBUTES, k) * VALUES ** k for k in range(1, DEPTH + 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--divexplorer-rows", type=int, default=300_000)
    ap.add_argument("--out", default="target/bench/discover.json")
    args = ap.parse_args()
    attrs = [f"a{a}" for a in range(ATTRIBUTES)]
    df = survey(args.rows)
    result = {"machine": machine(np, pd), "rows": args.rows, "attributes": ATTRIBUTES, "values": VALUES, "depth": DEPTH,
              "slices": slices(), "times": {}}
    times = result["times"]
    print(result["machine"])

    def cem():
        return cemscore.discover(df, answer="nps", attributes=attrs, depth=DEPTH)

    cem()  # warm up
    t, out = timed(cem, 5)
    times["cemscore.discover (categorical columns)"] = t
    top = out.index[0] if hasattr(out, "index") else None
    result["cem_top"] = str(top)
    result["cem_m"] = out.attrs["summary"]["m"]
    texts = df.assign(**{a: df[a].astype(str) for a in attrs})
    times["cemscore.discover (text columns)"] = timed(
        lambda: cemscore.discover(texts, answer="nps", attributes=attrs, depth=DEPTH), 3)[0]
    print(f"cemscore: {t:.3f} s, m = {result['cem_m']}, top {top}")

    from importlib.metadata import version

    import pysubgroup as ps
    result["versions"] = {p: version(p) for p in ["pysubgroup", "divexplorer", "numpy", "cemscore"]}
    data = df[attrs + ["score"]]
    target = ps.NumericTarget("score")
    space = ps.create_selectors(data, ignore=["score"])
    for algorithm in ["DFSNumeric", "Apriori"]:
        for k, label in [(20, "top 20"), (slices(), "every slice")]:
            task = ps.SubgroupDiscoveryTask(data, target, space, result_set_size=k, depth=DEPTH,
                                            qf=ps.StandardQFNumeric(1))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, res = timed(lambda algorithm=algorithm, task=task: getattr(ps, algorithm)().execute(task), 1)
            name = f"pysubgroup {algorithm}, {label}"
            times[name] = t
            print(f"{name}: {t:.2f} s, {len(res.results)} subgroups")

    import divexplorer
    small = df.iloc[:args.divexplorer_rows]
    result["divexplorer_rows"] = len(small)
    times_small = result["times_divexplorer_rows"] = {}

    def dive():
        explorer = divexplorer.DivergenceExplorer(small[attrs + ["score"]])
        return explorer.get_pattern_divergence(min_support=0.0035, quantitative_outcomes=["score"])

    t, res = timed(dive, 1)
    depths = res["itemset"].map(len)
    result["divexplorer_patterns"] = int(len(res))
    result["divexplorer_max_depth"] = int(depths.max())
    times_small["DivExplorer get_pattern_divergence"] = t
    smalls = small[attrs + ["nps"]]
    times_small["cemscore.discover (categorical columns)"] = timed(
        lambda: cemscore.discover(smalls, answer="nps", attributes=attrs, depth=DEPTH), 5)[0]
    print(f"DivExplorer at {len(small)} rows: {t:.2f} s, {len(res)} patterns up to depth {depths.max()}")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
