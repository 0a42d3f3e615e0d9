"""Raking against the Python tools a user would otherwise reach for (and R's survey::rake when Rscript and
the survey package are there), side by side in one process, and what each does on the failure cases.

The data: n rows × 4 raking variables of 5, 4, 6 and 3 levels (the levels and population shares of the
criterion bench benches/benches/rake.rs), drawn with numpy's seeded generator skewed towards the low
levels, where the population's shares rise with the level, and correlated across variables (part of v1
follows v0, of v2 v0, of v3 v1), so raking takes several sweeps. A pandas DataFrame of categorical columns.

- cemscore.rake(df, margins=shares): stops when max |achieved / target − 1| ≤ 1e-10, else an error.
- weightipy 0.4 (scheme_from_dict + weight, its defaults: convcrit 0.01 on the change between sweeps).
- balance 0.23 (balance.weighting_methods.rake.rake with target_margins=, transformations=None, its
  defaults: convergence_rate 0.0005, rate_tolerance 1e-8, max_iteration 1000).
- ipfn 1.4 (ipfn.ipfn on the cells table counted with numpy.bincount, its defaults: convergence_rate 1e-5,
  rate_tolerance 1e-8, max_iteration 500), each row's weight its cell's fitted over its observed count.
- balance and ipfn again asked for cem's tolerance (convergence_rate 1e-10, rate_tolerance 0).
- R survey 4.x rake (svydesign(ids = ~1, weights = ~1) then rake(), its defaults: maxit 10, epsilon 1),
  timed inside R (reading the CSV excluded).

Each is timed end to end from the frame to a weight per row (medians of repetitions), and its weights are
checked against the margins: max |achieved / target − 1| over every level.

The failure cases (the introduction of issue #29), on the same sample at --case-rows rows:
- "totals disagree": margins as counts, v0's levels totalling 1,000,000 and v1's 990,000 (no weights can
  meet both); the margin error is against the counts given.
- "infeasible": every row with v1 = l0 has v0 = l0, and v1 = l0's target (0.2) exceeds v0 = l0's (0.1):
  no weights meet both, IPF cycles with ever smaller changes between sweeps.
- "only in the limit": the same rows, v1 = l0's target equal to v0 = l0's (0.1): met only as the weights of
  rows with v0 = l0 and v1 ≠ l0 go to 0, so IPF creeps towards it (a sweep's change shrinks like 1/sweeps).
For each tool: what it does (an error, a warning, a printed line, nothing), its margin error, its total.

Writes JSON (--out). Run by make bench in the venv of benches/python/venv.sh (balance needs numpy < 2):
  $(bash benches/python/venv.sh benches/requirements-rake.txt target) benches/python/rake_peers.py --out target/bench/rake.json
"""

import argparse
import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from functools import partial

import numpy as np
import pandas as pd
from timing import machine, timed

import cemscore

LEVELS = [5, 4, 6, 3]
VARIABLES = [f"v{v}" for v in range(len(LEVELS))]
# Population shares rising with the level, unlike the sample's (benches/benches/rake.rs).
SHARES = {
    "v0": {"l0": 0.1, "l1": 0.15, "l2": 0.2, "l3": 0.25, "l4": 0.3},
    "v1": {"l0": 0.1, "l1": 0.2, "l2": 0.3, "l3": 0.4},
    "v2": {"l0": 0.1, "l1": 0.1, "l2": 0.15, "l3": 0.15, "l4": 0.2, "l5": 0.3},
    "v3": {"l0": 0.2, "l1": 0.3, "l2": 0.5},
}


def sample(n, seed=29):
    """Codes (4 × n) skewed towards the low levels and correlated across variables."""
    rng = np.random.default_rng(seed)

    def skewed(k):
        u = rng.random(n)
        return (u * u * k).astype(np.int64)

    v0 = skewed(5)
    v1 = np.where(rng.random(n) < 0.4, np.minimum(v0, 3), skewed(4))
    v2 = np.where(rng.random(n) < 0.3, v0, skewed(6))
    v3 = np.where(rng.random(n) < 0.3, v1 % 3, skewed(3))
    return np.stack([v0, v1, v2, v3])


def frame(codes):
    return pd.DataFrame({v: pd.Categorical.from_codes(codes[i], [f"l{k}" for k in range(LEVELS[i])])
                         for i, v in enumerate(VARIABLES)})


def margin_error(codes, w, margins, as_shares=False):
    """max |achieved / target − 1| over every level with a target > 0; with shares (or `as_shares`: each
    variable's targets over their own total) the achieved values are shares of the weights' total."""
    w = np.asarray(w, dtype=np.float64)
    shares = all(abs(sum(m.values()) - 1) < 1e-9 for m in margins.values())
    if as_shares and not shares:
        margins = {v: {lvl: x / sum(m.values()) for lvl, x in m.items()} for v, m in margins.items()}
        shares = True
    worst = 0.0
    for i, v in enumerate(VARIABLES):
        achieved = np.bincount(codes[i], weights=w, minlength=LEVELS[i])
        if shares:
            achieved = achieved / w.sum()
        for k in range(LEVELS[i]):
            target = margins[v][f"l{k}"]
            if target > 0:
                worst = max(worst, abs(achieved[k] / target - 1))
    return worst


# The tools: each takes (df, codes, margins) and returns (weights aligned to the rows, converged flag or None).

def cem(df, codes, margins):
    r = cemscore.rake(df, margins=margins)
    return np.asarray(r.weights), r.converged


def weightipy_rake(df, codes, margins):
    import weightipy as wp
    w = wp.weight(df, wp.scheme_from_dict(margins))
    return w.reindex(df.index).to_numpy() if len(w.index) == len(df) else w.to_numpy(), None


def balance_rake(df, codes, margins, **options):
    from balance.weighting_methods.rake import rake
    out = rake(df, pd.Series(np.ones(len(df)), index=df.index), None, None, target_margins=margins,
               transformations=None, **options)
    return out["weight"].reindex(df.index).to_numpy(), bool(out["model"]["converged"])


def ipfn_rake(df, codes, margins, **options):
    from ipfn.ipfn import ipfn
    cell = np.ravel_multi_index(tuple(codes), LEVELS)
    counts = np.bincount(cell, minlength=int(np.prod(LEVELS))).astype(np.float64).reshape(LEVELS)
    shares = all(abs(sum(m.values()) - 1) < 1e-9 for m in margins.values())
    scale = len(df) if shares else 1.0
    aggregates = [np.array([margins[v][f"l{k}"] * scale for k in range(LEVELS[i])]) for i, v in enumerate(VARIABLES)]
    fitted, converged = ipfn(counts.copy(), aggregates, [[i] for i in range(len(LEVELS))], verbose=1,
                             **options).iteration()
    factor = np.divide(fitted, counts, out=np.zeros_like(counts), where=counts > 0)
    return factor.ravel()[cell], bool(converged)


R_SCRIPT = r"""
args <- commandArgs(trailingOnly = TRUE)
suppressMessages(library(survey))
d <- read.csv(args[1], colClasses = "character")
mg <- read.csv(args[2], colClasses = c("character", "character", "numeric"))
reps <- as.integer(args[4])
vars <- unique(mg$variable)
d$w0 <- 1
des <- svydesign(ids = ~1, weights = ~w0, data = d)
sm <- lapply(vars, function(v) as.formula(paste0("~", v)))
pm <- lapply(vars, function(v) {
  m <- mg[mg$variable == v, ]
  x <- data.frame(m$level, m$value)
  names(x) <- c(v, "Freq")
  x
})
times <- c()
for (i in seq_len(reps)) {
  t0 <- proc.time()[["elapsed"]]
  r <- withCallingHandlers(
    tryCatch(rake(des, sm, pm), error = function(e) { cat("ERROR:", conditionMessage(e), "\n"); NULL }),
    warning = function(w) { cat("WARNING:", conditionMessage(w), "\n"); invokeRestart("muffleWarning") })
  times <- c(times, proc.time()[["elapsed"]] - t0)
}
if (!is.null(r)) write.csv(data.frame(w = weights(r)), args[3], row.names = FALSE)
cat("TIME:", median(times), "\n")
"""


def have_r():
    if shutil.which("Rscript") is None:
        return False
    ok = subprocess.run(["Rscript", "-e", "suppressMessages(library(survey))"], capture_output=True)
    return ok.returncode == 0


def r_rake(codes, margins, reps=1):
    """R survey's rake in its own process: (weights or None, the time inside R, what it printed)."""
    shares = all(abs(sum(m.values()) - 1) < 1e-9 for m in margins.values())
    scale = codes.shape[1] if shares else 1.0
    with tempfile.TemporaryDirectory() as tmp:
        data, marg, out = (os.path.join(tmp, f) for f in ("data.csv", "margins.csv", "w.csv"))
        levels = {v: np.char.add("l", codes[i].astype(str)) for i, v in enumerate(VARIABLES)}
        pd.DataFrame(levels).to_csv(data, index=False)
        pd.DataFrame([(v, lvl, x * scale) for v, m in margins.items() for lvl, x in m.items()],
                     columns=["variable", "level", "value"]).to_csv(marg, index=False)
        script = os.path.join(tmp, "rake.R")
        with open(script, "w") as f:
            f.write(R_SCRIPT)
        run = subprocess.run(["Rscript", script, data, marg, out, str(reps)], capture_output=True, text=True)
        lines = [x.strip() for x in (run.stdout + run.stderr).splitlines() if x.strip()]
        t = next(float(x.split()[1]) for x in lines if x.startswith("TIME:"))
        said = [x for x in lines if not x.startswith("TIME:")]
        w = pd.read_csv(out)["w"].to_numpy() if os.path.exists(out) else None
        return w, t, said


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record.getMessage())


def observe(f, *args):
    """Run a tool once and say what it did: (weights or None, the tool's converged flag, what it said)."""
    out, handler = io.StringIO(), _Records()
    logging.getLogger().addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
            warnings.simplefilter("always")
            try:
                w, converged = f(*args)
                error = None
            except Exception as e:  # noqa: BLE001 — what the tool raises is what is measured
                w, converged = None, None
                code = getattr(e, "code", None)
                error = f"{type(e).__name__}{f' {code}' if code else ''}: {str(e).splitlines()[0][:160]}"
    finally:
        logging.getLogger().removeHandler(handler)
    said = {"error": error,
            "warnings": sorted({str(c.message).splitlines()[0][:160] for c in caught}),
            "logged": sorted({m.splitlines()[0][:160] for m in handler.records}),
            "printed": [x for x in dict.fromkeys(out.getvalue().splitlines()) if x.strip()][:4]}
    return w, converged, said


TOOLS = {"cemscore": cem, "weightipy": weightipy_rake, "balance": balance_rake, "ipfn": ipfn_rake}
# Timed too: the peers that take a tolerance on the margins, asked for cem's (1e-10, no stop on small changes).
TIGHT = {"balance (convergence_rate 1e-10)": partial(balance_rake, convergence_rate=1e-10, rate_tolerance=0),
         "ipfn (convergence_rate 1e-10)": partial(ipfn_rake, convergence_rate=1e-10, rate_tolerance=0)}


def speed(rows, reps, slow, result, use_r):
    codes = sample(rows)
    df = frame(codes)
    out = result["speed"][str(rows)] = {}
    for name, f in dict(TOOLS, **TIGHT).items():
        if name in slow:
            print(f"{rows} rows: {name} skipped (over {slow[name]:.0f} s at fewer rows)")
            continue
        f(df.iloc[:1000], codes[:, :1000], SHARES)  # warm up (imports) on a few rows
        said = observe(f, df, codes, SHARES)[2]
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            logging.disable(logging.WARNING)
            runs = reps if name == "cemscore" else max(1, reps // 2)
            t, (w, converged) = timed(lambda f=f: f(df, codes, SHARES), runs)
            logging.disable(logging.NOTSET)
        out[name] = {"seconds": t, "margin_error": margin_error(codes, w, SHARES), "converged": converged,
                     "said": said["warnings"] + said["logged"] + said["printed"]}
    if use_r and "R survey" not in slow:
        w, t, said = r_rake(codes, SHARES, reps=max(1, reps // 2))
        out["R survey"] = {"seconds": t, "margin_error": margin_error(codes, w, SHARES) if w is not None else None,
                           "said": said}
    base = out["cemscore"]["seconds"]
    for name, row in out.items():
        row["ratio"] = row["seconds"] / base
        print(f"{rows} rows: {name}: {row['seconds']:.3f} s ({row['ratio']:.1f}× cemscore), "
              f"margin error {row['margin_error']:.2e}{'; says: ' + ' | '.join(row['said']) if row['said'] else ''}")
        if row["seconds"] > 12 and name != "cemscore":
            slow[name] = row["seconds"]


def failure_cases(rows, use_r):
    codes = sample(rows)
    counts = {v: {lvl: x * (990_000 if v == "v1" else 1_000_000) for lvl, x in m.items()} for v, m in SHARES.items()}
    nested = codes.copy()
    nested[0][nested[1] == 0] = 0  # every row with v1 = l0 has v0 = l0
    infeasible = dict(SHARES, v1={"l0": 0.2, "l1": 0.1, "l2": 0.3, "l3": 0.4})
    cases = {"totals disagree": (codes, counts), "infeasible": (nested, infeasible),
             "only in the limit": (nested, SHARES)}
    out = {}
    for case, (c, margins) in cases.items():
        df = frame(c)
        out[case] = {}
        for name, f in TOOLS.items():
            w, converged, said = observe(f, df, c, margins)
            out[case][name] = dict(said, converged=converged, **measured(c, w, margins))
        if use_r:
            w, _, said = r_rake(c, margins)
            out[case]["R survey"] = dict(error=next((x for x in said if x.startswith("ERROR")), None),
                                         warnings=[x for x in said if x.startswith("WARNING")], logged=[], printed=[],
                                         converged=None, **measured(c, w, margins))
        for name, row in out[case].items():
            print(f"{case}: {name}: {describe(row)}")
    return out


def measured(codes, w, margins):
    if w is None:
        return {"margin_error": None, "share_error": None, "total_weight": None}
    return {"margin_error": margin_error(codes, w, margins), "share_error": margin_error(codes, w, margins, True),
            "total_weight": float(np.sum(w))}


def describe(row):
    if row["error"]:
        return f"error ({row['error']})"
    said = row["warnings"] + row["logged"] + row["printed"]
    how = "says: " + " | ".join(said) if said else "silent"
    return (f"{how}; converged flag {row['converged']}; margin error {row['margin_error']:.2e} (as shares "
            f"{row['share_error']:.2e}), total weight {row['total_weight']:.6g}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--case-rows", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--no-r", action="store_true", help="leave out R survey even when it is installed")
    ap.add_argument("--out", default="target/bench/rake.json")
    args = ap.parse_args()
    from importlib.metadata import version
    use_r = not args.no_r and have_r()
    result = {"machine": machine(np, pd), "versions": {p: version(p) for p in
                                                       ["cemscore", "weightipy", "balance", "ipfn", "numpy", "pandas"]},
              "levels": LEVELS, "margins": SHARES, "speed": {}}
    if use_r:
        result["versions"]["R survey"] = subprocess.run(
            ["Rscript", "-e", 'cat(R.version.string, "survey", as.character(packageVersion("survey")))'],
            capture_output=True, text=True).stdout.strip()
    print(result["machine"], result["versions"])
    slow = {}
    for rows in args.rows:
        speed(rows, args.reps, slow, result, use_r)
    result["failure_cases"] = failure_cases(args.case_rows, use_r)
    result["case_rows"] = args.case_rows
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
