"""keyness and terms through the public API: DataFrames in and out, token lists, plot, errors by row."""

import pandas as pd
import pytest
from test_records import assert_fits

import cemscore
from cemscore import records

DF = pd.DataFrame({
    "nps": [2, 3, 10, 9, 5, 10, 1, 9],
    "region": ["n", "n", "s", "s", "n", "s", "n", "s"],
    "comment": ["on hold for ages", "Refund, on hold!", "easy app", "so easy", None, "easy", "on hold", pd.NA],
})


def test_detractors_against_promoters_by_default_from_a_dataframe():
    k = cemscore.keyness(DF, text="comment", answer="nps", min_count=2, min_n=1)
    assert (k.attrs["target"], k.attrs["reference"]) == ("detractor", "promoter")
    assert (k.attrs["target_texts"], k.attrs["reference_texts"]) == (3, 3)
    hold = k.set_index("term").loc["on hold"]
    assert (hold["target_mentions"], hold["reference_mentions"], hold["target_rate"]) == (3, 0, 100.0)
    assert hold["side"] == "above" and 0 < hold["q_value"] < 0.05
    assert list(k.columns[:3]) == ["term", "target_mentions", "reference_mentions"]
    assert k["rank"].tolist() == list(range(1, len(k) + 1))


def test_a_group_against_the_rest_with_an_extra_statistic_and_plot():
    import matplotlib

    matplotlib.use("Agg")
    k = cemscore.keyness(DF, text="comment", group="region", target="n", statistic="chi2", min_count=2, min_n=1)
    assert k.attrs["reference"] == "rest" and "chi2" in k.columns
    assert k.set_index("term").loc["hold", "chi2"] > 0
    ax = k.plot(top=3)
    assert len(ax.patches) == 3
    assert isinstance(k.head(2), type(k))  # slices keep plot()


def test_the_result_dict_fits_its_typeddict():
    raw = cemscore._cemscore.keyness(DF["comment"].where(DF["comment"].notna(), None).tolist(),
                                     groups=DF["region"].tolist(), options={"target": "n", "min_n": 1,
                                                                            "statistic": "pmi", "min_count": 1})
    assert_fits(raw, records.KeynessResult)


def test_token_lists_find_the_transitions():
    journeys = [["web", "call", "call"], ["app"], ["web", "call"], ["app", "store"]]
    k = cemscore.keyness(comments=journeys, groups=["d", "p", "d", "p"], target="d", stop_words=None, min_count=2,
                         min_n=1)
    assert k.set_index("term").loc["web call", "target_mentions"] == 2


def test_terms_yields_rows_for_an_engine():
    assert list(cemscore.terms(pd.Series(["Easy, easy!", None, "on hold"]))) == [
        (0, "easy", 2), (0, "easy easy", 1), (2, "hold", 1), (2, "on hold", 1)]


def test_a_comment_that_is_not_text_is_named_by_its_row():
    with pytest.raises(cemscore.CemError) as e:
        cemscore.keyness(comments=["fine", 3.5, "ok"], groups=["a", "a", "b"], target="a")
    assert (e.value.code, e.value.index) == ("not_text", 1)
    assert "3.5" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.keyness(DF, text="comment", group="region", target="west")
    assert e.value.code == "invalid_parameter" and "the groups are n, s" in str(e.value)
