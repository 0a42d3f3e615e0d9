"""cemscore.trend: every date form a user has reads to the same periods, and the result's shapes. The
statistics themselves are checked against the independent reference by the trend conformance vectors."""

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cemscore

DATES = ["2024-12-30", "2025-01-05", "2025-01-06T09:30:00", "2025-03-31", "2025-04-01"]
ANSWERS = [10, 9, 0, 7, 10]


def periods_and_n(t):
    return t.periods, [r["n"] for r in t.to_dicts()]


@pytest.mark.parametrize("every, periods, n", [
    ("week", ["2025-W01", "2025-W02", *[f"2025-W{w:02d}" for w in range(3, 14)], "2025-W14"],
     [2, 1] + [0] * 11 + [2]),  # 31 March 2025 was a Monday
    ("month", ["2024-12", "2025-01", "2025-02", "2025-03", "2025-04"], [1, 2, 0, 1, 1]),
    ("quarter", ["2024-Q4", "2025-Q1", "2025-Q2"], [1, 3, 1]),
    ("year", ["2024", "2025"], [1, 4]),
])
def test_every_date_form_bins_alike(every, periods, n):
    forms = {
        "text": DATES,
        "datetime64": np.array(DATES, dtype="datetime64[s]"),
        "pandas": pd.to_datetime(pd.Series(DATES), format="ISO8601"),
        "pandas tz-aware": pd.to_datetime(pd.Series(DATES), format="ISO8601").dt.tz_localize("America/New_York"),
        "polars date": pl.Series(DATES).str.slice(0, 10).str.to_date(),
        "polars datetime": pl.Series(DATES).str.to_datetime(strict=False),
        "date objects": [dt.date.fromisoformat(d[:10]) for d in DATES],
        "day numbers": np.array([np.datetime64(d[:10], "D").astype(np.int64) for d in DATES]),
    }
    for name, dates in forms.items():
        t = cemscore.trend(dates=dates, answers=ANSWERS, every=every, min_n=1)
        assert periods_and_n(t) == (periods, n), name


def test_a_date_time_counts_on_its_own_date():
    # 23:30 in New York on 31 March is 1 April in UTC: it stays in March.
    dates = pd.Series(pd.to_datetime(["2025-03-31 23:30", "2025-04-01 00:30"])).dt.tz_localize("America/New_York")
    assert cemscore.trend(dates=dates, answers=[10, 0], min_n=1).periods == ["2025-03", "2025-04"]
    # Before 1970 a time of day still floors to its own date.
    t = cemscore.trend(dates=np.array(["1969-12-31T12:00"], dtype="datetime64[m]"), answers=[9], every="day")
    assert t.periods == ["1969-12-31"]


def test_a_dataframe_per_segment_and_its_frames():
    df = pd.DataFrame({"when": DATES * 2, "region": ["n"] * 5 + ["s"] * 5, "nps": ANSWERS * 2})
    t = cemscore.trend(df, period="when", answer="nps", segment="region", every="quarter", min_n=1)
    assert t.segments == ["n", "s"]
    frame = t.to_pandas()
    assert list(frame.index.names) == ["segment", "period"]
    assert frame.loc[("s", "2025-Q1"), "n"] == 3
    assert frame.loc[("s", "2025-Q1"), "value"] == 0.0  # 9, 0 and 7: one promoter, one detractor
    assert t.to_polars().height == 6
    polars_t = cemscore.trend(pl.from_pandas(df), period="when", answer="nps", segment="region", every="quarter",
                              min_n=1)
    assert polars_t.to_dicts() == t.to_dicts()


def test_missing_dates_follow_the_missing_policy():
    dates = pd.Series(pd.to_datetime(["2025-01-02", None, "2025-02-02"]))
    with pytest.raises(cemscore.CemError) as e:
        cemscore.trend(dates=dates, answers=[9, 3, 10])
    assert (e.value.code, e.value.index) == ("invalid_date", 1)
    t = cemscore.trend(dates=dates, answers=[9, 3, 10], missing="skip", min_n=1)
    assert periods_and_n(t) == (["2025-01", "2025-02"], [1, 1])


def test_bad_input_names_the_row():
    with pytest.raises(cemscore.CemError) as e:
        cemscore.trend(dates=["2025-01-02", "31/01/2025"], answers=[9, 3])
    assert (e.value.code, e.value.index) == ("invalid_date", 1)
    assert "31/01/2025" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.trend(dates=["2025-01-02", "2025-01-03"], answers=[9, 11])
    assert (e.value.code, e.value.index) == ("out_of_range", 1)
    with pytest.raises(cemscore.CemError, match="trailing"):
        cemscore.trend(dates=["2025-01-02"], answers=[9], against="rest")
    with pytest.raises(TypeError, match="period"):
        cemscore.trend(pd.DataFrame({"d": DATES, "nps": ANSWERS}), answer="nps")


def test_plot_draws_each_series_with_its_band():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    df = pd.DataFrame({"when": DATES * 2, "region": ["n"] * 5 + ["s"] * 5, "nps": ANSWERS * 2})
    ax = cemscore.trend(df, period="when", answer="nps", segment="region", min_n=1).plot()
    assert [line.get_label() for line in ax.get_lines()] == ["n", "s"]
    assert len(ax.collections) == 2  # one interval band per series
