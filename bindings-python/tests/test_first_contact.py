"""What a new user meets first: text answers, odd dtypes, a misspelt column, planning with fractions."""

import numpy as np
import pandas as pd
import pytest

import cemscore


def error(f):
    with pytest.raises(cemscore.CemError) as e:
        f()
    return e.value


def test_numeric_text_reads_as_numbers_and_other_text_is_refused_with_index_and_value():
    assert cemscore.nps(["9", "10", " 3 ", "6"]).value == cemscore.nps([9, 10, 3, 6]).value == 0.0
    e = error(lambda: cemscore.nps(["9", "10", "x"]))
    assert (e.code, e.index, e.value) == ("not_a_number", 2, "x")
    assert "not a number" in str(e)
    # A CSV read as text: blank cells are missing answers, as in the cem command.
    assert cemscore.nps(["9", "", "10"], missing="skip").n == 2
    assert error(lambda: cemscore.nps(["9", ""])).code == "missing_value"
    # Numbers in text still meet the answer rules.
    assert (error(lambda: cemscore.nps(["9", "6.5"])).code, error(lambda: cemscore.nps(["11"])).code) == (
        "not_an_integer", "out_of_range")


def test_pandas_string_columns_by_the_same_rule():
    for dtype in (object, "string"):
        s = pd.Series(["9", "7", "a"], dtype=dtype)
        e = error(lambda s=s: cemscore.nps(s))
        assert (e.code, e.index, e.value) == ("not_a_number", 2, "a")
        assert cemscore.nps(pd.Series(["9", "7", None], dtype=dtype), missing="skip").value == 50.0


def test_float16_is_widened_and_bools_are_refused_naming_the_dtype():
    assert cemscore.nps(np.array([9, 10, 3], dtype=np.float16)).value == pytest.approx(100 / 3)
    for bools in (np.array([True, False]), [True, False], pd.Series([True, False])):
        e = error(lambda b=bools: cemscore.nps(b))
        assert e.code == "unsupported_answers" and "bool" in str(e) and "integers" in str(e)
    e = error(lambda: cemscore.nps(np.array(["2025-01-01"], dtype="datetime64[D]")))
    assert e.code == "unsupported_answers" and "datetime64[D]" in str(e)


def test_a_missing_column_is_named_with_the_columns_there_are():
    df = pd.DataFrame({"region": ["a", "b"], "nps": [9, 3], "date": ["2025-01-01", "2025-02-01"]})
    e = error(lambda: cemscore.benchmark(df, answer="npss", segment="region"))
    assert e.code == "invalid_parameter"
    assert str(e) == ('invalid answer = npss: there is no column "npss" (did you mean nps?); '
                      "the columns are region, nps, date")
    e = error(lambda: cemscore.trend(df, period="day", answer="nps"))
    assert 'no column "day"' in str(e) and "the columns are region, nps, date" in str(e)


def test_planning_is_keyword_friendly_and_refuses_fractions():
    assert cemscore.nps_responses_needed(promoter_share=50, detractor_share=20, margin=5) == 935
    assert cemscore.nps_responses_needed(50, 20, 5, level=0.95) == 935
    assert cemscore.proportion_detectable_difference(n=400, share=80) == pytest.approx(7.92, abs=0.01)
    e = error(lambda: cemscore.nps_responses_needed(0.4, 0.2, 3))
    assert e.code == "invalid_parameter" and "pass 40" in str(e)
    assert error(lambda: cemscore.proportion_responses_needed(0.5, 5)).code == "invalid_parameter"
