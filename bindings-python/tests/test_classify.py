"""cemscore.classify: each answer's category, as pandas, polars and numpy users expect it."""

import doctest

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cemscore


def test_the_docstring_example_runs():
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(cemscore.classify, "classify", globs={}):
        runner.run(test)
    assert runner.failures == 0 and runner.tries >= 3


def test_pandas_in_gives_an_ordered_categorical_with_the_same_index():
    s = pd.Series([10, 6, 8, 9, 0], index=list("abcde"), name="nps")
    out = cemscore.classify(s)
    assert isinstance(out.dtype, pd.CategoricalDtype) and out.dtype.ordered
    assert list(out.cat.categories) == ["detractor", "passive", "promoter"]
    assert list(out.index) == list("abcde") and out.name == "nps"
    assert out.tolist() == ["promoter", "detractor", "passive", "promoter", "detractor"]
    assert (out < "passive").tolist() == [False, True, False, False, True]  # ordered worst first


def test_pandas_missing_answers_keep_their_rows_under_skip():
    s = pd.Series([10, None, 3], dtype="Int64")
    out = cemscore.classify(s, missing="skip")
    assert out.isna().tolist() == [False, True, False]
    with pytest.raises(cemscore.CemError) as info:
        cemscore.classify(s)
    assert (info.value.code, info.value.index) == ("missing_value", 1)


def test_polars_in_gives_an_enum():
    s = pl.Series("ces", [7, 4, None, 1])
    out = cemscore.classify(s, metric="ces", missing="skip")
    assert out.dtype == pl.Enum(["effortful", "neutral", "easy"]) and out.name == "ces"
    assert out.to_list() == ["easy", "neutral", None, "effortful"]


def test_numpy_in_gives_int8_codes_and_names():
    c = cemscore.classify(np.array([1, 5, np.nan, 3]), metric="csat", missing="skip")
    assert c.codes.dtype == np.int8
    assert c.codes.tolist() == [0, 1, -1, 0]
    assert c.names == ["not_satisfied", "satisfied"]
    assert c.to_list() == ["not_satisfied", "satisfied", None, "not_satisfied"]
    assert len(c) == 4


@pytest.mark.parametrize("answers, code, index", [([9, 6.5], "not_an_integer", 1), ([3, 11], "out_of_range", 1)])
def test_bad_answers_are_the_tallys_errors(answers, code, index):
    with pytest.raises(cemscore.CemError) as info:
        cemscore.classify(answers)
    assert (info.value.code, info.value.index) == (code, index)


def test_options_a_classification_does_not_read_are_refused():
    with pytest.raises(cemscore.CemError, match="threshold"):
        cemscore.classify([9], threshold=4)
    with pytest.raises(cemscore.CemError, match="mean has no categories"):
        cemscore.classify([3], metric="mean", scale=(1, 5))


@pytest.mark.parametrize("metric, options, answers", [
    ("nps", {}, np.arange(11).repeat(3)),
    ("csat", {"threshold": 3}, np.array([1, 2, 3, 4, 5, 5])),
    ("net_box", {"scale": (1, 7), "top": 6, "bottom": 3}, np.arange(1, 8)),
    ("bottom_box", {"scale": (1, 5), "threshold": 2}, np.array([1, 2, 2, 4])),
])
def test_category_counts_equal_the_breakdown(metric, options, answers):
    counts = np.bincount(cemscore.classify(answers, metric=metric, **options).codes)
    b = getattr(cemscore, metric)(answers, **options).breakdown
    if "in_box" in b:
        in_box = counts[0] if metric == "bottom_box" else counts[1]
        assert (in_box, counts.sum() - in_box) == (b["in_box"], b["out_of_box"])
    else:
        assert counts.tolist() == [b["detractors"], b["passives"], b["promoters"]]


@pytest.mark.parametrize("answers", [np.array([10, 6, np.nan, 9, 8]), [10, 6, None, 9, 8]], ids=["numpy", "list"])
def test_array_and_list_results_behave_as_a_categorical(answers):
    c = cemscore.classify(answers, missing="skip")
    names = ["promoter", "detractor", None, "promoter", "passive"]
    assert list(c) == names and len(c) == 5
    converted = np.asarray(c)
    assert converted.shape == (5,) and converted.tolist() == names
    assert (c == "promoter").tolist() == [True, False, False, True, False]
    assert (c != "promoter").tolist() == [False, True, True, False, True]
    assert not (c == "promotor").any()  # a name that is not a category matches nothing, as in pandas
    assert c[0] == "promoter" and c[2] is None
    assert c[1:3].to_list() == ["detractor", None]
    assert c[c == "promoter"].to_list() == ["promoter", "promoter"]
    assert c.value_counts() == {"detractor": 1, "passive": 1, "promoter": 2}
    b = cemscore.nps(answers, missing="skip").breakdown
    assert list(c.value_counts().values()) == [b["detractors"], b["passives"], b["promoters"]]
    assert pd.Categorical.from_codes(c.codes, c.names, ordered=True).tolist() == [
        "promoter", "detractor", np.nan, "promoter", "passive"]


def test_a_category_with_no_answers_counts_zero():
    c = cemscore.classify([4, 5], metric="csat")
    assert c.value_counts() == {"not_satisfied": 0, "satisfied": 2}
