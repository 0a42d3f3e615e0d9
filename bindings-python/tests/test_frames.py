"""Tables read left to right as the docs, the TypedDicts and the JSON describe them (key, n, effective_n,
share, value, lower, upper, reference…), whatever the input: the columns of every DataFrame the package
returns come in the core's field order, which the TypedDicts of cemscore.records declare."""

import datetime as dt
import json

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cemscore
from cemscore import records

BENCHMARK_ROW = list(records.BenchmarkRow.__annotations__)
TREND_ROW = list(records.TrendRow.__annotations__)

REGIONS = ["north"] * 40 + ["south"] * 40
ANSWERS = [10, 9, 9, 7] * 10 + [3, 6, 9, 2] * 10
DATES = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(80)]


def test_the_typeddicts_declare_the_core_json_order():
    table = cemscore.benchmark(segments=REGIONS, answers=ANSWERS)
    assert list(json.loads(table.to_json())["rows"][0]) == BENCHMARK_ROW
    assert BENCHMARK_ROW[:7] == ["key", "n", "effective_n", "share", "value", "lower", "upper"]
    trend = cemscore.trend(dates=DATES, answers=ANSWERS, min_n=1)
    assert list(json.loads(trend.to_json())["rows"][0]) == TREND_ROW
    assert list(json.loads(cemscore.nps(ANSWERS).to_json())) == list(records.EstimateDict.__annotations__)


def test_benchmark_rows_and_frames_in_reading_order():
    table = cemscore.benchmark(segments=REGIONS, answers=ANSWERS)
    assert [list(r) for r in table.to_dicts()] == [BENCHMARK_ROW] * 2
    assert list(table.summary) == list(records.BenchmarkSummary.__annotations__)
    assert list(table.to_pandas().columns) == BENCHMARK_ROW[1:]  # key is the index
    assert table.to_polars().columns == BENCHMARK_ROW
    df = pd.DataFrame({"region": REGIONS, "nps": ANSWERS})
    assert list(cemscore.benchmark(df, answer="nps", segment="region").columns) == BENCHMARK_ROW[1:]
    assert cemscore.benchmark(pl.from_pandas(df), answer="nps", segment="region").columns == BENCHMARK_ROW


def test_trend_frames_in_reading_order():
    df = pd.DataFrame({"day": DATES, "nps": ANSWERS, "region": REGIONS})
    per_segment = cemscore.trend(df, period="day", answer="nps", segment="region", min_n=1)
    assert list(per_segment.to_pandas().columns) == TREND_ROW[2:]  # segment and period are the index
    assert per_segment.to_polars().columns == TREND_ROW
    assert [list(r) for r in per_segment.changed] == [TREND_ROW] * len(per_segment.changed)
    alone = cemscore.trend(df, period="day", answer="nps", min_n=1)
    assert list(alone.to_pandas().columns) == TREND_ROW[2:]
    counted = cemscore.trend_from_counts_table({"day": DATES, "nps": ANSWERS, "n": [1] * 80}, day="day",
                                               answer="nps", count="n", min_n=1)
    assert counted.to_polars().columns == TREND_ROW


def test_driver_frames_in_reading_order():
    rng = np.random.default_rng(5)
    data = {"nps": rng.integers(0, 11, 60).astype(float), "ease": rng.integers(1, 6, 60).astype(float),
            "speed": rng.integers(1, 6, 60).astype(float)}
    result = cemscore.drivers(data, "nps", ["ease", "speed"], scale=(1, 5))
    row = list(result["drivers"][0])
    assert row[:3] == ["driver", "importance", "share"]  # the core's order, not sorted (share after rank)
    assert list(cemscore.drivers(pd.DataFrame(data), "nps", ["ease", "speed"], scale=(1, 5)).columns) == row[1:]
    polars = cemscore.drivers(pl.DataFrame(data), "nps", ["ease", "speed"], scale=(1, 5))
    assert polars.columns[:len(row)] == row


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path_factory.mktemp("frames") / "answers.parquet"
    pq.write_table(pa.table({"region": REGIONS, "nps": ANSWERS, "day": DATES}), path)
    return str(path)


def check_lazy(frame):
    table = cemscore.benchmark(frame, answer="nps", segment="region")
    assert list(table.to_pandas().columns) == BENCHMARK_ROW[1:] and table.to_polars().columns == BENCHMARK_ROW
    trend = cemscore.trend(frame, period="day", answer="nps", segment="region", min_n=1)
    assert list(trend.to_pandas().columns) == TREND_ROW[2:] and trend.to_polars().columns == TREND_ROW


def test_lazy_engines_tables_in_reading_order(parquet):
    duckdb = pytest.importorskip("duckdb")
    dd = pytest.importorskip("dask.dataframe")
    check_lazy(pl.scan_parquet(parquet))
    check_lazy(duckdb.connect().read_parquet(parquet))
    check_lazy(dd.read_parquet(parquet))


def test_spark_tables_in_reading_order(parquet):
    # Spark is part of every `make test` (setup-python installs it): a missing install fails, never skips.
    import pyspark.sql as pyspark_sql

    spark = (pyspark_sql.SparkSession.builder.master("local[1]").appName("cem-frames")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate())
    try:
        check_lazy(spark.read.parquet(parquet))
    finally:
        spark.stop()
