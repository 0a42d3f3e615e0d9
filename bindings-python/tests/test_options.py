"""Options are read strictly by the core, through one entry point per operation: a key a call does not
read, a name outside its vocabulary, a count that is not a whole number are CemErrors naming what to fix."""

import numpy as np
import pandas as pd
import pytest

import cemscore


def test_a_name_outside_a_vocabulary_names_the_key_and_the_choices():
    with pytest.raises(cemscore.CemError) as info:
        cemscore.nps([9, 10, 3], method="wilsn")  # type: ignore[arg-type]
    assert info.value.code == "invalid_parameter"
    assert str(info.value).startswith("invalid method") and "use one of wald, adjusted_wald" in str(info.value)


def test_an_option_the_metric_does_not_read_is_refused():
    # An NPS benchmark has no threshold; a SegmentTally is already counted, so missing= cannot apply.
    s = cemscore.SegmentTally((0, 10))
    s.update(["a", "b"], [9, 3])
    with pytest.raises(cemscore.CemError, match="invalid missing"):
        cemscore.benchmark(segments=s, missing="skip")
    with pytest.raises(cemscore.CemError, match="invalid threshold = 9: benchmark does not read this option"):
        cemscore.benchmark(segments=["a", "b"], answers=[9, 3], threshold=9)


def test_numpy_scalars_are_options_like_python_numbers():
    df = pd.DataFrame({"region": ["a"] * 5 + ["b"] * 5, "nps": [10, 9, 9, 3, 7, 1, 2, 9, 3, 6]})
    sizes = df.groupby("region").size()
    table = cemscore.benchmark(df, answer="nps", segment="region", min_n=sizes.min(), level=np.float32(0.9))
    assert not table["low_n"].any()  # min_n = 5 = every segment's n


@pytest.mark.parametrize("count", [2.5, -1, float("nan")])
def test_a_count_that_is_not_whole_is_an_error_not_truncated(count):
    with pytest.raises(cemscore.CemError) as info:
        cemscore.Tally.from_counts([1, count, 3, 4, 5], scale=(1, 5))
    assert info.value.code == "invalid_parameter"
    with pytest.raises(cemscore.CemError) as info:
        cemscore.nps_from_counts(detractors=count, passives=2, promoters=3)
    assert info.value.code == "invalid_parameter" and "detractors" in str(info.value)


def test_counts_keep_every_digit_of_large_integers():
    t = cemscore.Tally.from_counts([2**53 + 1, np.int64(2**62)], scale=(0, 1))
    assert t.counts == [2**53 + 1, 2**62]


def test_against_as_a_record_equals_the_string_form():
    segments, answers = ["a"] * 40 + ["b"] * 40, [10, 9, 7, 3] * 10 + [6, 9, 3, 2] * 10
    text = cemscore.benchmark(segments=segments, answers=answers, against="benchmark=10±4")
    record = cemscore.benchmark(segments=segments, answers=answers, against={"kind": "benchmark", "value": 10, "se": 4})
    assert text.to_dicts() == record.to_dicts()


def test_bad_json_is_a_cem_error_everywhere():
    for read in (cemscore.Tally.from_json, cemscore.Estimate.from_json):
        with pytest.raises(cemscore.CemError) as info:
            read("{}")
        assert info.value.code == "invalid_parameter"
