"""Result objects, errors, pickling, threads and distributed counting."""

import pickle
import threading

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cemscore


def test_estimate_fields_and_printing():
    e = cemscore.nps([10] * 50 + [8] * 30 + [3] * 20)
    assert e.value == pytest.approx(30.0)
    low, high = e.interval
    assert (low, high) == e.confidence_interval() and low < 30 < high
    assert e.interval.level == 0.95 and e.interval.method == "adjusted_wald"
    assert e.breakdown["promoters"] == 50 and e.breakdown["detractor_share"] == pytest.approx(20.0)
    assert e.n == 100 and e.effective_n == 100 and e.standard_error > 0
    assert e.to_dict()["interval"]["method"] == "adjusted_wald"
    assert "nps=30.00" in repr(e) and "<table>" in e._repr_html_()


def test_nps_from_counts_equals_nps_of_answers():
    a = cemscore.nps_from_counts(detractors=20, passives=30, promoters=50)
    b = cemscore.nps([0] * 20 + [7] * 30 + [10] * 50)
    assert a == b


def test_compare_and_compare_to():
    a = cemscore.csat([5, 5, 4, 4, 4, 3, 2, 5, 4, 5] * 10)
    b = cemscore.csat([5, 3, 2, 1, 4, 3, 2, 2, 4, 3] * 10)
    c = cemscore.compare(a, b)
    assert c.difference == pytest.approx(50.0) and c.pvalue < 1e-6 and c.interval.low > 0
    d = cemscore.compare_to(a, 70.0, value_se=2.0, alternative="greater")
    assert d.difference == pytest.approx(10.0) and 0 < d.pvalue < 0.05


@pytest.mark.parametrize("call, code", [
    (lambda: cemscore.nps([3, 11]), "out_of_range"),
    (lambda: cemscore.nps([3, 6.5]), "not_an_integer"),
    (lambda: cemscore.nps([3, None]), "missing_value"),
    (lambda: cemscore.nps([3, 4], weights=[1.0, -1.0]), "invalid_weight"),
    (lambda: cemscore.nps([3, 4], weights=[1.0]), "length_mismatch"),
    (lambda: cemscore.nps([]), "empty"),
    (lambda: cemscore.nps([3], level=1.5), "invalid_parameter"),
    (lambda: cemscore.nps([3], method="wilson"), "invalid_parameter"),
    (lambda: cemscore.csat([3], threshold=9), "invalid_parameter"),
    (lambda: cemscore.compare(cemscore.nps([9]), cemscore.csat([5])), "incompatible"),
    (lambda: cemscore.adjust_pvalues([0.5, 2.0]), "invalid_parameter"),
])
def test_errors_are_cem_errors_with_codes(call, code):
    with pytest.raises(cemscore.CemError) as info:
        call()
    assert info.value.code == code
    assert isinstance(info.value, ValueError)
    assert str(info.value)


def test_error_carries_index_and_value():
    with pytest.raises(cemscore.CemError) as info:
        cemscore.nps(np.array([9, 9, 12]))
    assert (info.value.index, info.value.value) == (2, 12.0)


def test_a_failed_update_leaves_the_tally_unchanged():
    t = cemscore.Tally.from_answers([9, 10], scale=(0, 10))
    with pytest.raises(cemscore.CemError):
        t.update([9, 10, 42])
    assert t.n == 2


def test_tallies_pickle_and_merge():
    t = cemscore.Tally.from_answers([9, 10, 3], scale=(0, 10), weights=[1.0, 2.0, 0.5])
    back = pickle.loads(pickle.dumps(t))
    assert back == t and type(back) is cemscore.Tally
    s = cemscore.SegmentTally((0, 10))
    s.update(["a", "b", "a"], [9, 3, 10])
    s2 = pickle.loads(pickle.dumps(s))
    assert s2 == s and s2.keys == ["a", "b"]
    s2.merge(s)
    assert s2.segment("a").n == 4
    e = cemscore.nps(t)
    assert pickle.loads(pickle.dumps(e)) == e


def test_threads_sharing_a_tally_equal_serial():
    rng = np.random.default_rng(1)
    chunks = [rng.integers(0, 11, 200_000, dtype=np.uint8) for _ in range(8)]
    shared = cemscore.Tally((0, 10))
    threads = [threading.Thread(target=shared.update, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    serial = cemscore.Tally.from_answers(np.concatenate(chunks), scale=(0, 10))
    assert shared == serial


def test_dask_partitions_equal_one_pass():
    import dask
    import dask.bag as db

    rng = np.random.default_rng(2)
    answers = rng.integers(0, 11, 50_000)
    regions = rng.choice(["north", "south", "east"], 50_000)
    parts = [(regions[i:i + 5000], answers[i:i + 5000]) for i in range(0, 50_000, 5000)]

    def count(part):
        s = cemscore.SegmentTally((0, 10))
        s.update(part[0], part[1])
        return s

    def merge(a, b):
        a.merge(b)
        return a

    with dask.config.set(scheduler="processes", num_workers=2):
        distributed = db.from_sequence(parts, npartitions=5).map(count).fold(merge).compute()
    single = cemscore.SegmentTally((0, 10))
    single.update(regions, answers)
    assert distributed == single
    assert cemscore.benchmark(segments=distributed).to_dicts() == cemscore.benchmark(segments=single).to_dicts()


@pytest.mark.parametrize("make", [list, lambda v: np.array(v, dtype=object), pd.Series, pl.Series])
def test_a_missing_segment_key_is_refused_with_its_row(make):
    keys = make(["north", None, "south"])
    with pytest.raises(cemscore.CemError) as e:
        cemscore.benchmark(segments=keys, answers=[9, 3, 10], min_n=1)
    assert (e.value.code, e.value.index) == ("invalid_segment", 1)
    nan_keys = [1.5, float("nan"), 2.5]
    with pytest.raises(cemscore.CemError) as e:
        cemscore.benchmark(segments=nan_keys, answers=[9, 3, 10], min_n=1)
    assert (e.value.code, e.value.index) == ("invalid_segment", 1)
