"""One process, one run: cemscore against the tools a Python user would otherwise reach for.

- NPS of n answers (10³…10⁸): cemscore.nps, the numpy bincount idiom, pandas, polars.
- Trend of 10⁷ rows × 1,000 segments × 52 weeks: cemscore.trend against the pandas Grouper and polars truncate
  idioms with the same tests and Holm.
- Benchmark of 10⁷ rows × 1,000 segments: cemscore.benchmark (tally, intervals, tests, Holm) against
  numpy bincount alone (counting only), and the pandas and polars group_by idioms (count per segment,
  NPS and a Wald z-test against the rest in numpy, statsmodels Holm).
- After counting: statsmodels' Wilson intervals + Holm for 1,000 segments, with multipletests "holm"
  (which calls gc.collect() every time) and "hs" (the same correction without it).
- Peak memory of cemscore calls beyond their input, each in a fresh subprocess.

Medians of several repetitions; writes JSON (--out) for benches/report.py. Run: make bench.
"""

import argparse
import gc
import json
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import polars as pl
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

import cemscore
from timing import machine

SEGMENTS = 1000
ROWS = 10_000_000


def answers(n, seed=7):
    """Uniform 0–10 answers, made in chunks so that no temporary is larger than the input."""
    rng = np.random.default_rng(seed)
    out = np.empty(n, dtype=np.uint8)
    for i in range(0, n, 1 << 22):
        out[i:i + (1 << 22)] = rng.integers(0, 11, size=min(1 << 22, n - i), dtype=np.uint8)
    return out


def codes(n, seed=11):
    rng = np.random.default_rng(seed)
    out = np.empty(n, dtype=np.int32)
    for i in range(0, n, 1 << 22):
        out[i:i + (1 << 22)] = rng.integers(0, SEGMENTS, size=min(1 << 22, n - i), dtype=np.int32)
    return out


def median_time(f, repeats):
    f()  # warm up (imports, caches)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return float(np.median(times))


# --- NPS of n answers ---------------------------------------------------------------------------

def numpy_nps(a):
    c = np.bincount(a, minlength=11)
    n = c.sum()
    p, d = c[9:].sum() / n, c[:7].sum() / n
    return 100 * (p - d), 196 * np.sqrt((p + d - (p - d) ** 2) / n)


def pandas_nps(s):
    n = len(s)
    p, d = (s >= 9).sum() / n, (s <= 6).sum() / n
    return 100 * (p - d), 196 * np.sqrt((p + d - (p - d) ** 2) / n)


def polars_nps(df):
    r = df.select(p=(pl.col("a") >= 9).mean(), d=(pl.col("a") <= 6).mean()).row(0)
    p, d = r
    return 100 * (p - d), 196 * np.sqrt((p + d - (p - d) ** 2) / df.height)


def nps_sizes(sizes):
    out = []
    for n in sizes:
        a = answers(n)
        s, df = pd.Series(a), pl.DataFrame({"a": a})
        repeats = max(3, min(25, int(1e7 // n)))
        row = {"n": n}
        for name, f in [("cemscore", lambda: cemscore.nps(a)), ("numpy bincount", lambda: numpy_nps(a)),
                        ("pandas", lambda: pandas_nps(s)), ("polars", lambda: polars_nps(df))]:
            row[name] = median_time(f, repeats)
        out.append(row)
        print(f"nps n={n:>11,}: " + "  ".join(f"{k} {v * 1e3:9.3f} ms" for k, v in row.items() if k != "n"), flush=True)
        del a, s, df
    return out


# --- Benchmark of 10⁷ rows × 1,000 segments ------------------------------------------------------

def rest_tests(seg_n, seg_p, seg_d):
    """NPS per segment, Wald z-test against the rest, Holm: what a notebook does after counting."""
    tot_n, tot_p, tot_d = seg_n.sum(), seg_p.sum(), seg_d.sum()
    r_n, r_p, r_d = tot_n - seg_n, tot_p - seg_p, tot_d - seg_d
    ps, ds, rp, rd = seg_p / seg_n, seg_d / seg_n, r_p / r_n, r_d / r_n
    var = (ps + ds - (ps - ds) ** 2) / seg_n + (rp + rd - (rp - rd) ** 2) / r_n
    z = ((ps - ds) - (rp - rd)) / np.sqrt(var)
    p = 2 * stats.norm.sf(np.abs(z))
    return 100 * (ps - ds), multipletests(p, method="hs")[1]


def pandas_benchmark(df):
    g = df.assign(p=df.a >= 9, d=df.a <= 6).groupby("s").agg(n=("a", "size"), p=("p", "sum"), d=("d", "sum"))
    return rest_tests(g.n.to_numpy(float), g.p.to_numpy(float), g.d.to_numpy(float))


def polars_benchmark(df):
    g = df.group_by("s").agg(n=pl.len(), p=(pl.col("a") >= 9).sum(), d=(pl.col("a") <= 6).sum())
    return rest_tests(g["n"].to_numpy().astype(float), g["p"].to_numpy().astype(float), g["d"].to_numpy().astype(float))


def segment_benchmark():
    a, c = answers(ROWS), codes(ROWS)
    pdf, pldf = pd.DataFrame({"s": c, "a": a}), pl.DataFrame({"s": c, "a": a})
    row = {}
    for name, f in [
        ("cemscore.benchmark", lambda: cemscore.benchmark(segments=c, answers=a)),
        ("numpy bincount (counting only)", lambda: np.bincount(c.astype(np.int64) * 11 + a, minlength=SEGMENTS * 11)),
        ("pandas groupby + tests + Holm", lambda: pandas_benchmark(pdf)),
        ("polars group_by + tests + Holm", lambda: polars_benchmark(pldf)),
    ]:
        row[name] = median_time(f, 5)
        print(f"benchmark {name:34} {row[name] * 1e3:9.1f} ms", flush=True)
    return row


# --- Trend of 10⁷ rows × 1,000 segments × 52 weeks -----------------------------------------------

def previous_tests(g):
    """NPS per (segment, week), Wald z-test of each week against the segment's previous one (the row
    before, when it is that segment's previous week), Holm over the tested cells: the notebook idiom."""
    n, p, d = g["n"].to_numpy(float), g["p"].to_numpy(float), g["d"].to_numpy(float)
    seg, week = g["s"].to_numpy(), g["w"].to_numpy()
    ps, ds = p / n, d / n
    var = (ps + ds - (ps - ds) ** 2) / n
    same = (seg[1:] == seg[:-1]) & (week[1:] - week[:-1] == np.timedelta64(7, "D"))
    z = ((ps - ds)[1:] - (ps - ds)[:-1]) / np.sqrt(var[1:] + var[:-1])
    pv = 2 * stats.norm.sf(np.abs(z[same]))
    return 100 * (ps - ds), multipletests(pv, method="hs")[1]


def pandas_trend(df):
    g = (df.assign(p=df.a >= 9, d=df.a <= 6)
         .groupby(["s", pd.Grouper(key="date", freq="W-SUN")])
         .agg(n=("a", "size"), p=("p", "sum"), d=("d", "sum")).reset_index().rename(columns={"date": "w"}))
    return previous_tests(g)


def polars_trend(df):
    g = (df.group_by("s", pl.col("date").dt.truncate("1w").alias("w"))
         .agg(n=pl.len(), p=(pl.col("a") >= 9).sum(), d=(pl.col("a") <= 6).sum()).sort("s", "w"))
    return previous_tests(g.to_pandas())


def trend_benchmark():
    a, c = answers(ROWS), codes(ROWS)
    rng = np.random.default_rng(13)
    dates = (np.datetime64("2025-01-01") + rng.integers(0, 364, size=ROWS).astype("timedelta64[D]"))
    pdf = pd.DataFrame({"s": c, "a": a, "date": dates.astype("datetime64[ns]")})
    pldf = pl.DataFrame({"s": c, "a": a, "date": dates})
    text = dates[:1_000_000].astype(str).tolist()
    row = {}
    for name, f, repeats in [
        ("cemscore.trend (datetime64 dates)", lambda: cemscore.trend(dates=dates, segments=c, answers=a, every="week"), 5),
        ("pandas groupby + Grouper(W) + tests + Holm", lambda: pandas_trend(pdf), 3),
        ("polars group_by + truncate(1w) + tests + Holm", lambda: polars_trend(pldf), 3),
        ("cemscore.trend, 10⁶ rows of ISO text (×10)", lambda: cemscore.trend(dates=text, segments=c[:1_000_000],
                                                                             answers=a[:1_000_000], every="week"), 3),
    ]:
        row[name] = median_time(f, repeats) * (10 if "×10" in name else 1)
        print(f"trend {name:48} {row[name] * 1e3:9.1f} ms", flush=True)
    return row


# --- After counting: intervals + Holm for 1,000 segments -----------------------------------------

def after_counting():
    rng = np.random.default_rng(3)
    n = rng.integers(50, 5000, SEGMENTS)
    x = rng.binomial(n, 0.7)
    counts = {f"s{i:04}": [0, 0, int(n_i - x_i), 0, int(x_i)] for i, (n_i, x_i) in enumerate(zip(n, x))}
    tally = cemscore.SegmentTally.from_counts(counts, scale=(1, 5))

    def statsmodels_with(method):
        def run():
            lo, hi = proportion_confint(x, n, method="wilson")
            q = x.sum() - x, n.sum() - n
            p_rest = q[0] / q[1]
            z = (x / n - p_rest) / np.sqrt(x / n * (1 - x / n) / n + p_rest * (1 - p_rest) / q[1])
            return lo, hi, multipletests(2 * stats.norm.sf(np.abs(z)), method=method)[1]
        return run

    row = {}
    for name, f in [("cemscore.benchmark (csat, from counts)", lambda: cemscore.benchmark(segments=tally, metric="csat")),
                    ("statsmodels, multipletests holm", statsmodels_with("holm")),
                    ("statsmodels, multipletests hs", statsmodels_with("hs"))]:
        row[name] = median_time(f, 15)
        print(f"after counting {name:40} {row[name] * 1e3:8.2f} ms", flush=True)
    return row


# --- Peak memory beyond the input ----------------------------------------------------------------

def peak_kib():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))


def memory_child(task):
    a = answers(ROWS)
    c = codes(ROWS) if task == "benchmark" else None
    gc.collect()
    before = peak_kib()
    cemscore.nps(a) if task == "nps" else cemscore.benchmark(segments=c, answers=a)
    print(json.dumps({"input_bytes": a.nbytes + (c.nbytes if c is not None else 0), "extra_bytes": (peak_kib() - before) * 1024}))


def memory():
    out = {}
    for task in ["nps", "benchmark"]:
        r = subprocess.run([sys.executable, __file__, "--memory-child", task], capture_output=True, text=True, check=True)
        out[task] = json.loads(r.stdout)
        print(f"memory {task}: input {out[task]['input_bytes'] / 1e6:.0f} MB, peak beyond it {out[task]['extra_bytes'] / 1e6:.1f} MB", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="target/bench/python.json")
    ap.add_argument("--max-n", type=float, default=1e8)
    ap.add_argument("--memory-child")
    args = ap.parse_args()
    if args.memory_child:
        return memory_child(args.memory_child)
    print(machine(np, pd, pl))
    sizes = [10 ** k for k in range(3, 9) if 10 ** k <= args.max_n]
    result = {"machine": machine(np, pd, pl), "nps": nps_sizes(sizes), "benchmark": segment_benchmark(), "trend": trend_benchmark(),
              "after_counting": after_counting(), "memory": memory()}
    from pathlib import Path
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
