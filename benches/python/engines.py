"""Scores where the data lives, measured: N rows (default 10⁸) of (region, NPS answer, weight) in Parquet,
a weighted region benchmark through DuckDB and Polars lazy (the GROUP BY in the engine, only the counts
table collected), against the same engine's own group-by idiom with the NPS written by hand (no interval,
no test), and against collecting the rows into memory first. Each run is its own process, so its peak
memory (max RSS: the engine's memory is the Python process's, both being embedded) is its own.

Run: .venv/bin/python benches/python/engines.py [--rows 100000000] [--out target/bench/engines.json]
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

RUNS = {
    # cem: the engine groups, cem scores (weighted NPS with intervals, tests, Holm) from the counts table.
    "duckdb_cem": """
import duckdb, cemscore
con = duckdb.connect(config={"threads": 2})
t = cemscore.benchmark(con.read_parquet(PATH), answer="nps", segment="region", weights="w")
result = len(t.to_dicts())""",
    "polars_cem": """
import polars as pl, cemscore
t = cemscore.benchmark(pl.scan_parquet(PATH), answer="nps", segment="region", weights="w")
result = len(t.to_dicts())""",
    # The engines' own idiom: weighted NPS per region by hand (a value only: no interval, test or correction).
    "duckdb_by_hand": """
import duckdb
con = duckdb.connect(config={"threads": 2})
score = "CASE WHEN nps >= 9 THEN 1 WHEN nps <= 6 THEN -1 ELSE 0 END"
result = len(con.sql(f"SELECT region, 100 * SUM(w * {score}) / SUM(w) "
                     f"FROM read_parquet('{PATH}') GROUP BY region").fetchall())""",
    "polars_by_hand": """
import polars as pl
s = pl.when(pl.col("nps") >= 9).then(1).when(pl.col("nps") <= 6).then(-1).otherwise(0)
value = (100 * (s * pl.col("w")).sum() / pl.col("w").sum()).alias("nps")
result = pl.scan_parquet(PATH).group_by("region").agg(value).collect().height""",
    # The rows into memory, then cem in memory: what push-down avoids.
    "polars_collect_then_cem": """
import polars as pl, cemscore
df = pl.read_parquet(PATH)
t = cemscore.benchmark(segments=df["region"], answers=df["nps"], weights=df["w"])
result = t.height""",
}


def run(name, path):
    code = (f"PATH = {str(path)!r}\nimport time, resource\nstart = time.perf_counter()\n{RUNS[name]}\n"
            "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, result)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"seconds": float(out[0]), "peak_rss_mib": int(out[1]) / 1024, "segments": int(out[2])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000_000)
    ap.add_argument("--out", default="target/bench/engines.json")
    ap.add_argument("--data", default="target/bench/engines.parquet")
    args = ap.parse_args()
    path = Path(args.data)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = Path(str(path) + ".json")
    if not path.exists() or not stamp.exists() or json.loads(stamp.read_text()).get("rows") != args.rows:
        import duckdb

        start = time.perf_counter()
        duckdb.connect(config={"threads": 2}).sql(f"""
            COPY (SELECT 'region-' || (hash(i) % 1000) AS region,
                         CAST(LEAST(10, GREATEST(0, (hash(i + 1) % 11) + (hash(i) % 1000) / 500 - 1))
                              AS UTINYINT) AS nps,
                         0.5 + (hash(i + 2) % 1000) / 1000.0 AS w
                  FROM range({args.rows}) t(i)) TO '{path}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)""")
        stamp.write_text(json.dumps({"rows": args.rows}))
        print(f"wrote {args.rows:,} rows to {path} ({path.stat().st_size / 2**20:.0f} MiB) "
              f"in {time.perf_counter() - start:.1f} s", flush=True)
    results = {"rows": args.rows, "file_mib": path.stat().st_size / 2**20, "runs": {}}
    for name in RUNS:
        r = run(name, path)
        results["runs"][name] = r
        print(f"{name:26s} {r['seconds']:7.2f} s  peak RSS {r['peak_rss_mib']:7.0f} MiB  ({r['segments']} segments)",
              flush=True)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
