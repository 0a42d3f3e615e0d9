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
                                     groups=[DF["region"].tolist()], options={"target": "n", "min_n": 1,
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


# Groups: periods, crossed columns, one table per segment — counts checked against the frame itself.
DATED = pd.DataFrame({
    "date": ["2025-01-05", "2025-02-11", "2025-04-02", "2025-05-20", "2025-06-30", "2025-03-31", "2025-04-15",
             "2025-06-01"],
    "channel": ["web", "web", "app", "web", "app", "app", "web", "web"],
    "comment": ["easy", "so easy", "on hold", "on hold again", "refund, on hold", "easy app", "fine", None],
})


def test_a_period_against_the_one_before_by_default():
    k = cemscore.keyness(DATED, text="comment", period="date", every="quarter", min_count=1, min_n=1)
    assert (k.attrs["target"], k.attrs["reference"]) == ("2025-Q2", "2025-Q1")
    quarter = pd.PeriodIndex(pd.to_datetime(DATED["date"]), freq="Q").astype(str)
    has = DATED["comment"].notna()
    assert k.attrs["target_texts"] == int(((quarter == "2025Q2") & has).sum())
    hold = k.set_index("term").loc["hold"]
    mentions = DATED["comment"].fillna("").str.contains("hold")
    assert hold["target_mentions"] == int((mentions & (quarter == "2025Q2")).sum())
    assert hold["reference_mentions"] == int((mentions & (quarter == "2025Q1")).sum())


def test_crossed_groups_are_spelt_as_crossed_segments():
    k = cemscore.keyness(DF, text="comment", group=["region", "nps"], target="n × 2", min_count=1, min_n=1)
    assert (k.attrs["target"], k.attrs["target_texts"]) == ("n × 2", 1)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.keyness(DF, text="comment", group=["region", "nps"], target="n")
    assert e.value.code == "invalid_parameter" and "n × 2" in str(e.value)


SEGMENTED = pd.DataFrame({
    "region": ["n"] * 6 + ["s"] * 6,
    "nps": [1, 2, 3, 10, 9, 10, 0, 4, 9, 10, 10, 9],
    "comment": ["on hold", "refund, on hold", "on hold again", "easy", "so easy", "fine",
                "refund", "refund please", "easy", "easy app", "on hold but fine", "great"],
})


def test_one_table_per_segment_stacked_with_q_across_every_table():
    k = cemscore.keyness(SEGMENTED, text="comment", answer="nps", by="region", min_count=1, min_n=1)
    assert list(k.columns[:2]) == ["segment", "term"]
    assert [s["segment"] for s in k.attrs["segments"]] == ["n", "s"]
    # Each table on its segment's rows alone: counted from the frame.
    n_hold = k[(k["segment"] == "n") & (k["term"] == "hold")].iloc[0]
    assert (n_hold["target_mentions"], n_hold["reference_mentions"], n_hold["target_rate"]) == (3, 0, 100.0)
    s_refund = k[(k["segment"] == "s") & (k["term"] == "refund")].iloc[0]
    assert (s_refund["target_mentions"], s_refund["reference_mentions"]) == (2, 0)
    tested = k["p_value"].notna()
    assert tested.sum() > 10
    assert k.attrs["tested"] == int(tested.sum()) and k.attrs["correction"] == "benjamini_hochberg"
    from statsmodels.stats.multitest import multipletests

    q = multipletests(k.loc[tested, "p_value"].to_numpy(), method="fdr_bh")[1]
    assert k.loc[tested, "q_value"].to_numpy() == pytest.approx(q, rel=1e-12)
    for _, part in k.groupby("segment"):
        assert part["rank"].tolist() == list(range(1, len(part) + 1))


def test_plot_draws_each_term_by_its_difference_with_its_interval():
    import matplotlib

    matplotlib.use("Agg")
    k = cemscore.keyness(DF, text="comment", answer="nps", min_count=2, min_n=1)
    ax = k.plot(top=4)
    shown = k.head(4).sort_values("difference")
    bars = ax.patches
    assert [b.get_width() for b in bars] == pytest.approx(shown["difference"].tolist())
    assert [t.get_text() for t in ax.get_yticklabels()] == shown["term"].tolist()
    # The error bars: one segment per term from the interval's lower to its upper bound.
    segments = [c for c in ax.collections if hasattr(c, "get_segments")][0].get_segments()
    ends = sorted((s[0][0], s[1][0]) for s in segments)
    want = sorted(zip(shown["difference_lower"], shown["difference_upper"]))
    assert [x for e in ends for x in e] == pytest.approx([x for w in want for x in w])
    assert [b.get_facecolor()[:3] for b in bars][0] != [b.get_facecolor()[:3] for b in bars][-1]
    assert "detractor − promoter" in ax.get_xlabel()


def test_plot_per_segment_draws_one_panel_per_segment_with_its_own_top_terms():
    import matplotlib

    matplotlib.use("Agg")
    k = cemscore.keyness(SEGMENTED, text="comment", answer="nps", by="region", min_count=1, min_n=1)
    axes = k.plot(top=3)
    assert len(axes) == 2 and isinstance(k.head(3), type(k))  # slices keep plot()
    for ax, name in zip(axes, ["n", "s"]):
        shown = k[k["segment"] == name].head(3).sort_values("difference")
        assert [b.get_width() for b in ax.patches] == pytest.approx(shown["difference"].tolist())
        assert [t.get_text() for t in ax.get_yticklabels()] == shown["term"].tolist()
        segments = [c for c in ax.collections if hasattr(c, "get_segments")][0].get_segments()
        ends = sorted((s[0][0], s[1][0]) for s in segments)
        want = sorted(zip(shown["difference_lower"], shown["difference_upper"]))
        assert [x for e in ends for x in e] == pytest.approx([x for w in want for x in w])
        assert ax.get_title(loc="left").startswith(f"{name}: detractor (")
    assert axes[0].get_shared_x_axes().joined(axes[0], axes[1])  # one difference axis for every segment
    assert "detractor − promoter" in axes[-1].get_xlabel() and axes[0].get_xlabel() == ""
    one = k[k["segment"] == "s"].plot(top=2)  # a slice: its segments only
    assert len(one) == 1 and len(one[0].patches) == 2
    with pytest.raises(ValueError, match="2 segments"):
        k.plot(ax=[axes[0]])
    import matplotlib.pyplot as plt

    lone = plt.figure().add_subplot()  # one Axes for a one-segment frame
    assert k[k["segment"] == "s"].plot(top=2, ax=lone) == [lone] and len(lone.patches) == 2
    with pytest.raises(ValueError, match="no terms to draw"):
        k[k["segment"] == "none"].plot()


def test_plot_without_matplotlib_says_how_to_get_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    k = cemscore.keyness(DF, text="comment", answer="nps", min_count=2, min_n=1)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        k.plot()


def test_the_per_segment_dict_fits_its_typeddict():
    raw = cemscore._cemscore.keyness(SEGMENTED["comment"].tolist(), answers=SEGMENTED["nps"].to_numpy(),
                                     segments=[SEGMENTED["region"].tolist()], options={"min_n": 1, "min_count": 1})
    assert_fits(raw, records.KeynessBySegmentResult)
    assert [s["segment"] for s in raw["segments"]] == ["n", "s"] and raw["tested"] > 10
