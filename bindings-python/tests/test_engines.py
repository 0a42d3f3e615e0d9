"""Scores where the data lives: the GROUP BY runs in a real engine over a Parquet file and only the counts
table (for discover, the counts cube) is collected; each engine must give exactly the in-memory result (the
same JSON; weighted sums within rounding, as the engine adds the weights in its own order), and refuse an
off-scale answer with the same code.

Engines: DuckDB (a relation over the Parquet file), Polars (``scan_parquet``), Dask with the distributed
scheduler's ``LocalCluster`` (two worker processes), and PySpark in local mode (``local[2]``; pyspark and
Java 17 are installed by scripts/setup-python.sh; its JVM start costs ≈ 10 s).
"""

import datetime as dt
import json
import math
import shutil

import numpy as np
import pytest

import cemscore

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def fixture_rows(off_scale=False):
    """Four regions (one with n = 8, low n), NPS answers with NULLs, weights and dates over two quarters."""
    rng = np.random.default_rng(23)
    regions, answers, weights, dates = [], [], [], []
    for region, n, shift in [("North", 400, 1.0), ("South", 300, 0.0), ("East", 250, -1.3), ("Tiny", 8, 0.0)]:
        regions += [region] * n
        answers += [int(v) for v in np.clip(np.round(rng.normal(7.3 + shift, 2.2, n)), 0, 10)]
        weights += [float(round(w, 3)) for w in rng.lognormal(0, 0.5, n)]
        dates += [dt.date(2025, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 181, n)]
    answers = [None if i % 23 == 4 else a for i, a in enumerate(answers)]  # missing answers: NULL
    if off_scale:
        answers[7] = 11
    return {"region": regions, "nps": answers, "w": weights, "date": dates}


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    paths = {}
    for name, off in [("good", False), ("bad", True)]:
        path = tmp_path_factory.mktemp(name) / "answers.parquet"
        pq.write_table(pa.table(fixture_rows(off)), path, row_group_size=300)  # several row groups / partitions
        paths[name] = str(path)
    return paths


def in_memory(kind, rows):
    """The in-memory result of the rows as arrays (the reference the engines must match)."""
    answers = np.array([math.nan if a is None else a for a in rows["nps"]], dtype=float)
    segments, weights = np.array(rows["region"], dtype=object), np.array(rows["w"])
    if kind == "benchmark":
        return cemscore.benchmark(segments=segments, answers=answers, missing="skip", min_n=30).to_json()
    if kind == "weighted":
        return cemscore.benchmark(segments=segments, answers=answers, weights=weights, missing="skip").to_json()
    if kind == "trend":
        days = np.array(rows["date"], dtype="datetime64[D]")
        return cemscore.trend(dates=days, answers=answers, segments=segments, weights=weights, every="quarter",
                              missing="skip", min_n=30).to_json()
    return json.dumps(cemscore.nps(answers, missing="skip").to_dict())


def pushed_down(kind, frame, answers_only):
    if kind == "benchmark":
        return cemscore.benchmark(frame, answer="nps", segment="region", missing="skip", min_n=30).to_json()
    if kind == "weighted":
        return cemscore.benchmark(frame, answer="nps", segment="region", weights="w", missing="skip").to_json()
    if kind == "trend":
        return cemscore.trend(frame, period="date", answer="nps", segment="region", weights="w", every="quarter",
                              missing="skip", min_n=30).to_json()
    return json.dumps(cemscore.nps(answers_only, missing="skip").to_dict())


def same(actual, expected, path="$"):
    """Equal JSON; floats within 1e-12 relative (weighted sums added in the engine's own order)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and actual.keys() == expected.keys(), path
        for k in expected:
            same(actual[k], expected[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), path
        for i, (a, e) in enumerate(zip(actual, expected)):
            same(a, e, f"{path}[{i}]")
    elif isinstance(expected, float) and not isinstance(actual, bool):
        assert actual == pytest.approx(expected, rel=1e-12, abs=1e-12), path
    else:
        assert actual == expected, path


def discovered(data, weighted):
    """A discovery over region (every slice shown), as plain JSON-able data."""
    t = cemscore.discover(data, answer="nps", attributes=["region"], weights="w" if weighted else None,
                          missing="skip", show="all")
    return {"rows": t.to_dicts(), "summary": t.summary, "overall": t.overall}


def check_engine(open_frame, select_answers, parquet):
    rows = fixture_rows()
    frame = open_frame(parquet["good"])
    # discover: the engine groups by the attributes and the answer; the counts cube gives the rows' table.
    columns = {"region": np.array(rows["region"], dtype=object), "w": np.array(rows["w"]),
               "nps": np.array([math.nan if a is None else a for a in rows["nps"]], dtype=float)}
    for weighted in (False, True):
        expected = discovered(columns, weighted)
        assert expected["summary"]["m"] == 3 and expected["summary"]["skipped"] > 0  # Tiny (8 answers) is below min_n
        same(discovered(frame, weighted), expected)
    # Unweighted counts are integers: the same JSON, byte for byte.
    assert pushed_down("benchmark", frame, None) == in_memory("benchmark", rows)
    assert pushed_down("nps", frame, select_answers(frame)) == in_memory("nps", rows)
    for kind in ("weighted", "trend"):
        same(json.loads(pushed_down(kind, frame, None)), json.loads(in_memory(kind, rows)))
    table = json.loads(pushed_down("benchmark", frame, None))
    assert [r["low_n"] for r in table["rows"]] == [False, False, False, True]  # East, North, South, Tiny
    # An off-scale answer: the code of the same fault in memory.
    bad = fixture_rows(off_scale=True)
    with pytest.raises(cemscore.CemError) as memory:
        in_memory("benchmark", bad)
    with pytest.raises(cemscore.CemError) as engine:
        pushed_down("benchmark", open_frame(parquet["bad"]), None)
    assert engine.value.code == memory.value.code == "out_of_range"
    assert 'segment "North"' in str(engine.value) and "answer 11" in str(engine.value)


def test_duckdb_relation_over_parquet(parquet):
    duckdb = pytest.importorskip("duckdb")
    con = duckdb.connect()
    check_engine(lambda p: con.read_parquet(p), lambda rel: rel.select("nps"), parquet)


def test_polars_scan_parquet(parquet):
    pl = pytest.importorskip("polars")
    check_engine(pl.scan_parquet, lambda lf: lf.select("nps"), parquet)


def test_dask_on_a_local_cluster_of_processes(parquet):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        check_engine(dd.read_parquet, lambda ddf: ddf[["nps"]], parquet)


def test_pyspark_local_mode(parquet):
    # Runs in every `make test`: a missing piece fails it, naming what to install (never a skip).
    if shutil.which("java") is None:
        pytest.fail("PySpark needs Java 17 and `java` is not on PATH: install it (Debian/Ubuntu: "
                    "apt-get install openjdk-17-jre-headless), or run scripts/setup-python.sh, which does")
    try:
        import pyspark.sql as pyspark_sql
    except ImportError:
        pytest.fail("pyspark is not installed: pip install -r bindings-python/requirements-spark.txt "
                    "(scripts/setup-python.sh does)")
    spark = (pyspark_sql.SparkSession.builder.master("local[2]").appName("cem-test")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate())
    try:
        check_engine(spark.read.parquet, lambda df: df.select("nps"), parquet)
    finally:
        spark.stop()


def test_counts_tables_from_pandas_polars_and_pyarrow_are_the_same():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    cols = {"region": ["n", "n", "s", None], "nps": [10, None, 3, 9], "n": [4, 2, 3, 0],
            "w": [4.0, 2.0, 3.5, 0.0], "w2": [4.0, 2.0, 4.25, 0.0]}
    # The NULL segment has count 0 but is still refused, naming it (an engine never emits such a row).
    tables = [pd.DataFrame(cols), pl.DataFrame(cols), pa.table(cols), cols]
    for t in tables:
        with pytest.raises(cemscore.CemError) as e:
            cemscore.SegmentTally.from_counts_table(t, segment="region", answer="nps", count="n", scale=(0, 10),
                                                    missing="skip")
        assert e.value.code == "invalid_segment"
    kept = {k: v[:3] for k, v in cols.items()}
    results = [cemscore.SegmentTally.from_counts_table(t, segment="region", answer="nps", count="n", weight_sum="w",
                                                       weight_sq_sum="w2", scale=(0, 10), missing="skip")
               for t in (pd.DataFrame(kept), pl.DataFrame(kept), pa.table(kept), kept)]
    assert all(r == results[0] for r in results)
    s = results[0]
    assert (s.keys, s.skipped, s.segment("n").n, s.segment("s").weight_sums[3]) == (["n", "s"], 2, 4, 3.5)
    t = cemscore.Tally.from_counts_table(pd.DataFrame(kept), answer="nps", count="n", scale=(0, 10), missing="skip")
    assert (t.n, t.skipped, t.counts[10], t.counts[3]) == (7, 2, 4, 3)


def test_only_the_counts_table_is_collected_and_a_lazy_counts_table_is_read(parquet):
    pl = pytest.importorskip("polars")
    from cemscore import engines

    lazy = pl.scan_parquet(parquet["good"])
    table = engines.counts_table(lazy, answer="nps", segment="region", weights="w")
    rows = fixture_rows()
    groups = {(r, a) for r, a in zip(rows["region"], rows["nps"])}
    assert table.shape[0] == len(groups) <= 4 * 12  # segments × (11 points + NULL), not 958 rows
    assert table["__cem_count"].sum() == len(rows["nps"])
    # A counts table the user grouped lazily is collected (it is small) and read like any other.
    grouped = lazy.group_by("region", "nps").agg(pl.len().alias("n"))
    lazy_table = cemscore.SegmentTally.from_counts_table(grouped, segment="region", answer="nps", count="n",
                                                         scale=(0, 10), missing="skip")
    eager = cemscore.SegmentTally.from_counts_table(grouped.collect(), segment="region", answer="nps", count="n",
                                                    scale=(0, 10), missing="skip")
    assert lazy_table == eager and lazy_table.skipped == sum(a is None for a in rows["nps"])
