"""Each input type gives the same tally; numpy arrays are read in place."""

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import cemscore

ANSWERS = [10, 9, 8, 7, 6, 0, 3, 10, 9, 2]
EXPECTED = cemscore.Tally.from_counts([1, 0, 1, 1, 0, 0, 1, 1, 1, 2, 2], scale=(0, 10))


@pytest.mark.parametrize("dtype", ["u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f4", "f8"])
def test_every_numpy_dtype(dtype):
    assert cemscore.Tally.from_answers(np.array(ANSWERS, dtype=dtype), scale=(0, 10)) == EXPECTED


@pytest.mark.parametrize("make", [
    list, tuple, lambda a: pd.Series(a), lambda a: pd.Series(a, dtype="Int64"), lambda a: pl.Series(a),
    lambda a: pa.array(a), lambda a: np.array(a)[::1], lambda a: np.repeat(np.array(a), 2)[::2],
])
def test_containers(make):
    assert cemscore.Tally.from_answers(make(ANSWERS), scale=(0, 10)) == EXPECTED


def test_range():
    assert cemscore.Tally.from_answers(range(11), scale=(0, 10)).counts == [1] * 11


@pytest.mark.parametrize("missing", [
    [10, None, 9], [10.0, float("nan"), 9.0], pd.Series([10, None, 9], dtype="Int64"),
    pl.Series([10, None, 9]), pa.array([10, None, 9]),
])
def test_missing_values_are_missing_in_every_container(missing):
    with pytest.raises(cemscore.CemError) as info:
        cemscore.nps(missing)
    assert (info.value.code, info.value.index) == ("missing_value", 1)
    e = cemscore.nps(missing, missing="skip")
    assert (e.n, e.skipped) == (2, 1)


def test_numpy_input_is_not_copied():
    # A read-only view works (nothing writes to the caller's array) and a strided view is accepted.
    a = np.array(ANSWERS * 1000, dtype=np.uint8)
    a.setflags(write=False)
    assert cemscore.nps(a).n == 10_000
    assert cemscore.nps(a[::2]).n == 5_000


def test_weights_from_pandas_and_lists():
    e1 = cemscore.nps(ANSWERS, weights=[1.0] * 10)
    e2 = cemscore.nps(pd.Series(ANSWERS), weights=pd.Series([1.0] * 10))
    assert e1.value == e2.value == cemscore.nps(ANSWERS).value


def test_segments_from_strings_categoricals_and_polars():
    keys = ["a", "b", "a", "c", "b", "a"] * 20
    answers = [10, 3, 9, 8, 6, 10] * 20
    tables = [
        cemscore.benchmark(segments=keys, answers=answers).to_dicts(),
        cemscore.benchmark(pd.DataFrame({"k": pd.Categorical(keys), "v": answers}), answer="v", segment="k")
        .reset_index().to_dict("records"),
        cemscore.benchmark(pl.DataFrame({"k": keys, "v": answers}), answer="v", segment="k").to_dicts(),
    ]
    for t in tables[1:]:
        assert [r["key"] for r in t] == [r["key"] for r in tables[0]]
        pvalues = [None if pd.isna(r["p_value"]) else r["p_value"] for r in t]
        assert pvalues == pytest.approx([r["p_value"] for r in tables[0]])


def test_integer_keys_are_named_by_their_decimal_form_dense_sparse_or_negative():
    answers = [10, 3, 9, 8, 6, 10] * 20
    def rows(table):
        records = table.reset_index().to_dict("records") if isinstance(table, pd.DataFrame) else table.to_dicts()
        return [(r["key"], r["n"], r["value"]) for r in records]

    for keys in ([2, 0, 2, 7, 0, 2], [-1, 5, -1, 10**12, 5, -1], [3, 3, 3, 3, 3, 4]):
        as_strings = rows(cemscore.benchmark(segments=[str(k) for k in keys * 20], answers=answers))
        for numbers in (keys * 20, np.array(keys * 20, dtype=np.int64), np.array(keys * 20, dtype=np.int16)
                        if max(keys) < 2**15 else [], pd.Series(keys * 20)):
            if len(numbers):
                assert rows(cemscore.benchmark(segments=numbers, answers=answers)) == as_strings, keys


def test_benchmark_returns_the_callers_dataframe_type():
    df = pd.DataFrame({"region": ["n", "s"] * 50, "nps": [10, 3] * 50})
    assert isinstance(cemscore.benchmark(df, answer="nps", segment="region"), pd.DataFrame)
    assert isinstance(cemscore.benchmark(pl.from_pandas(df), answer="nps", segment="region"), pl.DataFrame)
    table = cemscore.benchmark(segments=df["region"].tolist(), answers=df["nps"].tolist())
    assert isinstance(table, cemscore.BenchmarkTable)
    assert list(table.to_pandas().index) == ["n", "s"]
