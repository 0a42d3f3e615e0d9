"""Key driver analysis in Python: pandas/polars/mapping in, the right frame out, the tally merges and
pickles, bad input is a CemError with its code. The numbers themselves are checked by the conformance
vectors (tests/test_conformance.py) against an independent numpy implementation."""

import pickle

import numpy as np
import pandas as pd
import pytest

import cemscore


def survey(n=200, seed=3):
    rng = np.random.default_rng(seed)
    ease, speed, price = (np.clip(np.round(3 + rng.normal(0, 1.1, n)), 1, 5) for _ in range(3))
    nps = np.clip(np.round(2 + 1.2 * ease + 0.5 * speed + rng.normal(0, 1.5, n)), 0, 10)
    return pd.DataFrame({"nps": nps, "ease": ease, "speed": speed, "price": price, "region": ["n", "s"] * (n // 2)})


def test_pandas_in_pandas_out_indexed_by_driver():
    df = survey()
    t = cemscore.drivers(df, outcome="nps", drivers=["ease", "speed", "price"], scale=(1, 5))
    assert list(t.index) == ["ease", "speed", "price"]
    assert {"importance", "share", "rank", "sign", "mean", "top_box", "quadrant"} <= set(t.columns)
    assert abs(t["importance"].sum() - t.attrs["r2"]) < 1e-12
    assert abs(t["share"].sum() - 100) < 1e-9
    assert t.attrs["n"] == 200 and t.attrs["method"] == "lmg"
    assert t["rank"]["ease"] == 1  # the effect built in is largest for ease


def test_nps_score_outcome_and_every_method():
    df = survey()
    for method in ["lmg", "relative_weights", "dominance", "first", "last", "betasq", "pratt"]:
        t = cemscore.drivers(df, "nps", ["ease", "speed", "price"], method=method, outcome_score="nps")
        assert t.attrs["method"] == method
    assert "dominance" in t.attrs or method != "dominance"


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    df = pl.from_pandas(survey().drop(columns="region"))
    t = cemscore.drivers(df, outcome="nps")
    assert t["driver"].to_list() == ["ease", "speed", "price"]
    assert "importance" in t.columns and "r2" in t.columns


def test_tally_merges_pickles_and_matches_one_pass():
    df = survey()
    cols = ["ease", "speed", "price"]
    a, b = cemscore.DriverTally("nps", cols), cemscore.DriverTally("nps", cols)
    a.update(df.iloc[:80])
    b.update(df.iloc[80:])
    whole = cemscore.DriverTally("nps", cols)
    whole.update(df)
    merged = pickle.loads(pickle.dumps(a + b))
    assert isinstance(merged, cemscore.DriverTally) and merged.n == 200
    x, y = merged.analyse(), whole.analyse()
    for r, s in zip(x["drivers"], y["drivers"]):
        assert abs(r["importance"] - s["importance"]) < 1e-10
    direct = cemscore.drivers(df, "nps", cols)
    assert abs(direct.attrs["r2"] - y["r2"]) < 1e-12


def test_bad_input_is_a_typed_error():
    df = survey()
    with pytest.raises(cemscore.CemError) as e:
        cemscore.drivers(df.assign(speed=3.0), "nps", ["ease", "speed"])
    assert e.value.code == "degenerate" and "speed" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.drivers(df, "nps", ["ease", "nope"])
    assert e.value.code == "invalid_parameter" and "nope" in str(e.value)
    with pytest.raises(cemscore.CemError) as e:
        cemscore.drivers(df.assign(ease=np.where(df.index == 5, np.nan, df.ease)), "nps", ["ease", "speed"])
    assert e.value.code == "missing_value" and e.value.index == 5
    t = cemscore.drivers(df.assign(ease=np.where(df.index == 5, np.nan, df.ease)), "nps", ["ease"], missing="skip")
    assert t.attrs["skipped"] == 1
    with pytest.raises(TypeError, match="region"):
        cemscore.drivers(df, outcome="nps")  # every other column, and region is text
    with pytest.raises(cemscore.CemError) as e:
        cemscore.drivers(df, "nps", ["ease"], method="lgm")
    assert e.value.code == "invalid_parameter"


@pytest.mark.parametrize("call, option, typo, nearest", [
    (lambda df: cemscore.drivers(df, "nps", ["ease", "sped"]), "drivers", "sped", "speed"),
    (lambda df: cemscore.drivers(df, "nsp", ["ease"]), "outcome", "nsp", "nps"),
    (lambda df: cemscore.drivers(df, "nps", ["ease"], weight="wieght"), "weight", "wieght", "weight"),
    (lambda df: cemscore.drivers(df, "nps", ["ease"], segment="regoin"), "segment", "regoin", "region"),
    (lambda df: cemscore.drivers(df, "nps", segment="regoin"), "segment", "regoin", "region"),
    (lambda df: cemscore.DriverTally("nps", ["ease", "sped"]).update(df), "drivers", "sped", "speed"),
])
def test_a_column_that_is_not_there_names_the_frames_columns_and_the_nearest(call, option, typo, nearest):
    df = survey().assign(weight=1.0)
    with pytest.raises(cemscore.CemError) as e:
        call(df)
    message = str(e.value)
    assert e.value.code == "invalid_parameter" and option in message and repr(typo).replace("'", '"') in message
    assert f"did you mean {nearest}?" in message
    assert "the columns are nps, ease, speed, price, region, weight" in message  # the frame's, converted or not


def test_docstring_examples_run():
    import doctest

    import cemscore._drivers as module

    result = doctest.testmod(module)
    assert result.attempted >= 8 and result.failed == 0, result


def test_per_segment_frames_match_each_segment_alone():
    df = survey()
    per = cemscore.drivers(df, "nps", ["ease", "speed"], segment="region")
    assert list(per.index.get_level_values(0).unique()) == ["n", "s"]
    for key in ["n", "s"]:
        alone = cemscore.drivers(df[df.region == key].reset_index(drop=True), "nps", ["ease", "speed"])
        assert np.allclose(per.loc[key]["importance"].to_numpy(), alone["importance"].to_numpy(), rtol=0, atol=1e-12)
        assert per.attrs["segments"][key]["r2"] == alone.attrs["r2"]
    with pytest.raises(cemscore.CemError) as e:
        cemscore.drivers(df.assign(region=[None] + ["n"] * 199), "nps", ["ease"], segment="region")
    assert e.value.code == "invalid_segment" and e.value.index == 0


@pytest.mark.parametrize("numbers", [(-2, 7), (3, 10**12)])
def test_whole_number_segments_are_keys_by_their_decimal_form(numbers):
    """Integer segment keys in a mapping of arrays (no names to factorize) are named by the core: a negative
    key is a key, not a missing one, and a large sparse id does not make a name for every number below."""
    df = survey()
    keyed = np.where(df.region.to_numpy() == "n", numbers[0], numbers[1]).astype(np.int64)
    columns = {"nps": df.nps.to_numpy(float), "ease": df.ease.to_numpy(float), "store": keyed}
    per = cemscore.drivers(columns, "nps", ["ease"], segment="store")
    assert [p["segment"] for p in per] == sorted(str(k) for k in numbers)
    for p in per:
        rows = keyed == int(p["segment"])
        alone = cemscore.drivers({"nps": columns["nps"][rows], "ease": columns["ease"][rows]}, "nps", ["ease"])
        assert p["analysis"]["r2"] == alone["r2"]
