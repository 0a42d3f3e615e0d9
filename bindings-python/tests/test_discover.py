"""discover from pandas, polars and mappings: the same slices as the core's vectors check, returned as the
input's kind of table; the counts cube agrees with the rows; errors name the column."""

import numpy as np
import pytest

import cemscore
from cemscore import records


def survey(rows=2000, seed=1):
    rng = np.random.default_rng(seed)
    region = rng.choice(["North", "South", "East", "West"], rows)
    channel = rng.choice(["phone", "web", "app"], rows)
    bad = (region == "East") & (channel == "phone")
    nps = np.clip(np.round(rng.normal(7.8, 2.2, rows) - 4 * bad), 0, 10).astype(int)
    return {"region": region.tolist(), "channel": channel.tolist(), "nps": nps.tolist()}


def test_pandas_in_pandas_out_with_the_summary_in_attrs():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(survey())
    t = cemscore.discover(df, answer="nps")
    assert isinstance(t, pd.DataFrame)
    assert t.index[0] == "region=East & channel=phone"
    assert bool(t["productive"].iloc[0]) and t["side"].iloc[0] == "below"
    assert t.attrs["summary"]["m"] == 4 + 3 + 12
    assert t.attrs["summary"]["correction"] == "holm"
    # Categoricals give the same table as texts.
    cat = df.assign(region=df["region"].astype("category"), channel=df["channel"].astype("category"))
    pd.testing.assert_frame_equal(cemscore.discover(cat, answer="nps"), t)


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    t = cemscore.discover(pl.DataFrame(survey()), answer="nps", show="all")
    assert isinstance(t, pl.DataFrame)
    assert t["slice"][0] == "region=East & channel=phone"
    assert t.height == 19


def test_text_columns_with_missing_values_read_as_the_lists_do():
    # pandas and polars texts are factorised by their library: the same table as lists of Python values,
    # missing values (None, NaN, null) skipped alike, numbers in a text column named as str() names them.
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    rows = survey()
    rows["region"] = [None if i % 97 == 0 else float("nan") if i % 89 == 0 else r for i, r in enumerate(rows["region"])]
    rows["channel"] = [7 if i % 50 == 0 else c for i, c in enumerate(rows["channel"])]
    lists = cemscore.discover(rows, answer="nps", show="all", missing="skip")
    assert lists.summary["skipped"] == sum(1 for i in range(2000) if i % 97 == 0 or i % 89 == 0)
    assert "channel=7" in {s for r in lists.to_dicts() for s in r["slice"].split(" & ")}
    from_pandas = cemscore.discover(pd.DataFrame(rows), answer="nps", show="all", missing="skip")
    assert from_pandas.reset_index().to_dict("records") == [{**r} for r in lists.to_dicts()]
    texts = {**rows, "channel": [str(c) for c in rows["channel"]],
             "region": [None if r is None or r != r else r for r in rows["region"]]}
    for dtype in (pl.String, pl.Categorical, pl.Enum(sorted({r for r in texts["region"] if r}))):
        frame = pl.DataFrame(texts).with_columns(pl.col("region").cast(dtype))
        assert cemscore.discover(frame, answer="nps", show="all", missing="skip").to_dicts() == \
            [{**r, "conditions": r["slice"]} for r in lists.to_dicts()]


def test_a_counts_cube_gives_the_rows_table():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(survey())
    cube = df.groupby(["region", "channel", "nps"]).size().reset_index(name="n")
    rows = cemscore.discover(df, answer="nps", show="all")
    from_cube = cemscore.discover(cube, answer="nps", count="n", show="all")
    pd.testing.assert_frame_equal(rows, from_cube)


def test_records_describe_the_rows_and_summary():
    t = cemscore.discover(survey(), answer="nps", show="all")
    assert isinstance(t, cemscore.DiscoveryTable)
    from test_records import assert_fits

    for row in t.to_dicts():
        assert_fits(row, records.SliceRow)
    assert_fits(t.summary, records.DiscoverySummary)


def test_bad_input_names_the_column():
    with pytest.raises(cemscore.CemError) as e:
        cemscore.discover(survey(), answer="nps", attributes=["regoin"])
    assert e.value.code == "invalid_parameter" and "did you mean region?" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.discover(survey(), answer="nps", depth=5)
    assert str(e.value).startswith("invalid depth")


def test_the_forest_plot_draws_one_line_per_slice():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    t = cemscore.discover(survey(), answer="nps", show="all")
    ax = t.plot(limit=5)
    assert [tick.get_text() for tick in ax.get_yticklabels()][-1] == "region=East & channel=phone"


def test_a_lazy_frame_is_grouped_in_its_engine():
    pl = pytest.importorskip("polars")
    rows = survey()
    eager = cemscore.discover(rows, answer="nps", show="all")
    lazy = cemscore.discover(pl.DataFrame(rows).lazy(), answer="nps", show="all")
    assert isinstance(lazy, cemscore.DiscoveryTable)
    assert lazy.to_dicts() == eager.to_dicts()
