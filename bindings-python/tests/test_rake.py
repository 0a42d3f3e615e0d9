"""cemscore.rake and rake_cells: weights aligned to the frame, usable as weights=, every input form of a
raking column and of the margins; the statistics themselves are checked by the conformance vectors."""

import numpy as np
import pandas as pd
import pytest
from test_records import assert_fits

import cemscore
from cemscore import _cemscore, _rake, records

MARGINS = {"region": {"north": 0.5, "south": 0.5}, "channel": {"web": 0.4, "app": 0.6}}


def sample():
    return pd.DataFrame(
        {
            "region": ["north"] * 6 + ["south"] * 2,
            "channel": ["web", "web", "web", "app", "app", "web", "app", "web"],
            "nps": [10, 9, 3, 8, 10, 6, 9, 2],
        },
        index=[f"r{i}" for i in range(8)],
    )


def test_weights_are_a_series_on_the_frames_index_and_meet_the_margins():
    df = sample()
    r = cemscore.rake(df, margins=MARGINS)
    assert isinstance(r.weights, pd.Series) and r.weights.index.equals(df.index)
    by_region = r.weights.groupby(df["region"]).sum()
    assert by_region["north"] == pytest.approx(4.0, rel=1e-10) and by_region["south"] == pytest.approx(4.0, rel=1e-10)
    assert r.weights.groupby(df["channel"]).sum()["web"] == pytest.approx(3.2, rel=1e-10)
    assert r.converged and r.max_margin_error <= 1e-10
    w = r.weights.to_numpy()
    assert r.design_effect == pytest.approx(8 * (w**2).sum() / w.sum() ** 2, rel=1e-12)
    assert r.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)
    assert "design effect" in repr(r)
    assert_fits(r.to_dict(), records.RakeDiagnostics)


def test_the_result_is_usable_as_weights_in_a_score():
    df = sample()
    r = cemscore.rake(df, margins=MARGINS)
    w, a = r.weights.to_numpy(), df["nps"].to_numpy()
    by_hand = 100 * (w[a >= 9].sum() - w[a <= 6].sum()) / w.sum()
    assert cemscore.nps(df["nps"], weights=r).value == pytest.approx(by_hand, rel=1e-12)
    assert cemscore.nps(df["nps"], weights=r.weights).value == pytest.approx(by_hand, rel=1e-12)
    assert cemscore.nps(df["nps"]).value != pytest.approx(by_hand)


def test_polars_and_mappings_get_their_own_kind_of_weights():
    pl = pytest.importorskip("polars")
    df = sample()
    r = cemscore.rake(pl.from_pandas(df.reset_index(drop=True)), margins=MARGINS)
    assert isinstance(r.weights, pl.Series)
    expected = cemscore.rake(df, margins=MARGINS).weights.to_numpy()
    assert np.array_equal(r.weights.to_numpy(), expected)
    m = cemscore.rake({k: list(v) for k, v in df.items()}, margins=MARGINS)
    assert isinstance(m.weights, np.ndarray) and np.array_equal(m.weights, expected)


def test_margins_as_a_long_table_and_columns_of_every_kind():
    df = sample()
    long = pd.DataFrame(
        [(v, lvl, x) for v, levels in MARGINS.items() for lvl, x in levels.items()],
        columns=["variable", "level", "value"],
    )
    expected = cemscore.rake(df, margins=MARGINS).weights.to_numpy()
    assert np.array_equal(cemscore.rake(df, margins=long).weights.to_numpy(), expected)
    cat = df.assign(region=df["region"].astype("category"))
    assert np.array_equal(cemscore.rake(cat, margins=MARGINS).weights.to_numpy(), expected)
    # Whole numbers and floats holding them are levels named as written: 1, not 1.0.
    coded = df.assign(region=(df["region"] == "south").astype(int) + 1)
    numbered = {"region": {"1": 0.5, "2": 0.5}, "channel": MARGINS["channel"]}
    assert np.array_equal(cemscore.rake(coded, margins=numbered).weights.to_numpy(), expected)
    floats = coded.assign(region=coded["region"].astype(float))
    assert np.array_equal(cemscore.rake(floats, margins=numbered).weights.to_numpy(), expected)
    long_numbers = pd.DataFrame({"variable": ["region", "region"], "level": [1, 2], "value": [0.5, 0.5]})
    assert np.array_equal(cemscore.rake(coded, margins=long_numbers, by=["region"]).weights.to_numpy(),
                          cemscore.rake(df, margins=MARGINS, by=["region"]).weights.to_numpy())


def test_base_weights_by_column_or_array_and_post_stratification():
    df = sample().assign(d=[1, 2, 1, 1, 1, 1, 2, 2])
    r = cemscore.rake(df, margins={"region": {"north": 60, "south": 40}}, base_weight="d")
    # One variable: target / (base weight at the level) × d.
    assert r.weights.tolist() == pytest.approx([60 / 7 * d for d in [1, 2, 1, 1, 1, 1]] + [40 / 4 * 2] * 2)
    assert r.sweeps == 1 and r.total_weight == pytest.approx(100)
    same = cemscore.rake(df, margins={"region": {"north": 60, "south": 40}}, base_weight=df["d"].to_numpy())
    assert same.weights.tolist() == r.weights.tolist()


def test_cells_give_the_rows_factors():
    df = sample()
    rows = cemscore.rake(df, margins=MARGINS)
    cells = df.groupby(["region", "channel"]).size().rename("n").reset_index()
    f = cemscore.rake_cells(cells, margins=MARGINS, count="n")
    factor = {(a, b): x for a, b, x in zip(cells["region"], cells["channel"], f.factors)}
    assert rows.weights.tolist() == [factor[(a, b)] for a, b in zip(df["region"], df["channel"])]
    assert f.design_effect == pytest.approx(rows.design_effect, rel=1e-14)


def test_refusals_are_cem_errors_with_codes():
    df = sample()
    with pytest.raises(cemscore.CemError) as e:
        cemscore.rake(df, margins={"region": {"north": 0.5}})
    assert (e.value.code, e.value.index) == ("level_without_target", 6)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.rake(df, margins={"region": {"north": 50, "south": 50}, "channel": {"web": 40, "app": 50}})
    assert e.value.code == "margins_disagree" and "totalling 100" in str(e.value) and "totalling 90" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.rake(df, margins=MARGINS, by=["regoin"])
    assert e.value.code == "invalid_parameter" and "did you mean region" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.rake(df, margins=MARGINS, trim=(2.0, 3.0))
    assert e.value.code == "infeasible_trim"
    before = df.copy()
    with pytest.raises(cemscore.CemError):
        cemscore.rake(df, margins=MARGINS, max_sweeps=1)  # two variables need more than one sweep
    pd.testing.assert_frame_equal(df, before)  # the input is never changed


def test_the_warehouse_route_gives_the_rows_scores():
    """Cells table → factor per cell → weighted counts table (Σw = factor·Σd, Σw² = factor²·Σd²), as the
    engines chapter's SQL builds it, benchmarks as the raked rows do."""
    df = sample().assign(touchpoint=["a", "b", "a", "b", "a", "b", "a", "b"], d=[1, 2, 1, 1, 0.5, 1, 2, 1])
    rows = cemscore.rake(df, margins=MARGINS, base_weight="d")
    direct = cemscore.benchmark(df.assign(w=rows.weights), answer="nps", segment="touchpoint", weights="w", min_n=1)
    cells = (df.assign(d2=df["d"] ** 2).groupby(["region", "channel"])
             .agg(n=("d", "size"), d=("d", "sum"), d2=("d2", "sum")).reset_index())
    f = cemscore.rake_cells(cells, margins=MARGINS, count="n", sum="d", sum_sq="d2")
    factors = cells.assign(factor=f.factors)[["region", "channel", "factor"]]
    joined = df.merge(factors, on=["region", "channel"])
    joined = joined.assign(w=joined["factor"] * joined["d"], w2=(joined["factor"] * joined["d"]) ** 2)
    counts = joined.groupby(["touchpoint", "nps"]).agg(n=("w", "size"), w=("w", "sum"), w2=("w2", "sum")).reset_index()
    table = cemscore.benchmark_from_counts_table(counts, segment="touchpoint", answer="nps", count="n",
                                                 weight_sum="w", weight_sq_sum="w2", min_n=1)
    def records_of(t):
        return t.to_dict("records") if isinstance(t, pd.DataFrame) else t.to_dicts()

    a, b = records_of(direct), records_of(table)
    assert len(a) == len(b) == 2
    for x, y in zip(a, b):
        assert x["value"] == pytest.approx(y["value"], rel=1e-12)
        assert x["effective_n"] == pytest.approx(y["effective_n"], rel=1e-12)
    assert f.design_effect == pytest.approx(rows.design_effect, rel=1e-12)


def test_docstring_examples_run():
    import doctest

    from cemscore import _rake

    result = doctest.testmod(_rake, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 4


def test_estimate_gives_calibrated_errors_overall_and_per_segment_by_column_name():
    df = sample()
    r = cemscore.rake(df, margins=MARGINS)
    rows = r.estimate("nps", segment="channel")
    assert [row["segment"] for row in rows] == [None, "app", "web"]
    for row in rows:
        assert_fits(row, records.RakedEstimate)
    # The whole sample's estimate is the score with the raked weights as case weights.
    whole = cemscore.nps(df["nps"], weights=r)
    assert rows[0]["estimate"]["value"] == pytest.approx(whole.value, rel=1e-12)
    assert rows[0]["estimate"]["standard_error"] == pytest.approx(whole.standard_error, rel=1e-12)
    se = rows[0]["calibrated_standard_error"]
    assert rows[0]["calibrated_upper"] - rows[0]["calibrated_lower"] == pytest.approx(2 * 1.959963984540054 * se)
    # Arrays work as well as names; the metric's options pass through.
    same = r.estimate(df["nps"].to_numpy(), segment=df["channel"].to_numpy())
    assert same == rows
    ces = r.estimate(np.array([1, 2, 3, 4, 5, 6, 7, 7]), metric="ces", level=0.9)
    assert ces[0]["estimate"]["metric"] == {"kind": "ces", "version": 2}
    # Each channel against the other (its rest): the test's correction and alpha pass through.
    app, web = r.estimate("nps", segment="channel", correction="bonferroni", alpha=0.5)[1:]
    assert app["difference"] == pytest.approx(-web["difference"], abs=1e-9)
    assert app["reference_value"] == pytest.approx(web["estimate"]["value"], abs=1e-9)
    assert app["adjusted_p_value"] == pytest.approx(min(1.0, 2 * app["p_value"]))
    assert rows[0]["difference"] is None and rows[0]["significant"] is False
    with pytest.raises(cemscore.CemError) as e:
        r.estimate("nps", segment="channel", alpha=2)
    assert e.value.code == "invalid_parameter" and "alpha" in str(e.value)


def test_estimate_refuses_answers_off_the_scale_naming_the_row():
    r = cemscore.rake(sample(), margins=MARGINS)
    with pytest.raises(cemscore.CemError) as e:
        r.estimate([10, 9, 3, 8, 11, 6, 9, 2])
    assert (e.value.code, e.value.index) == ("out_of_range", 4)
    with pytest.raises(cemscore.CemError) as e:
        r.estimate([10, 9, 3])
    assert e.value.code == "length_mismatch"


def test_estimate_scores_from_the_weights_without_raking_again():
    df = sample()
    base = np.array([1.0, 2.0, 1.0, 0.5, 1.0, 3.0, 1.0, 1.0])
    r = cemscore.rake(df, margins=MARGINS, base_weight=base)
    rows = r.estimate("nps", segment="channel")
    # The one-shot core call, which rakes again, gives the same rows exactly.
    c = r._call
    seg = _rake._column(df["channel"])
    again = _cemscore.rake_estimate(c["columns"], c["margins"], "nps",
                                    np.ascontiguousarray(df["nps"], dtype=np.float64), c["base"], seg, {})
    assert rows == again["rows"]
    # Weights that are not this raking's are refused by the core, naming the first row that differs from
    # the rows before it in its cell (row 5: north, web, as rows 0–2).
    r.weights = r.weights.copy()
    r.weights.iloc[5] *= 1.5
    with pytest.raises(cemscore.CemError) as e:
        r.estimate("nps")
    assert e.value.code == "invalid_parameter" and "raking.weights[5]" in str(e.value)
