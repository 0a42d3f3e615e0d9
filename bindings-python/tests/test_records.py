"""The TypedDicts of cemscore.records describe the dicts the calls return: every key, no other key, in
the declared order, and each value of the declared type — checked on real results, so a field renamed in
the core fails here."""

import math
import types
import typing

import pytest

import cemscore
from cemscore import records


def problems(value, tp, path="$"):
    """Where `value` departs from type `tp` (TypedDicts, Optional/Union, Literal, int, float, bool, str)."""
    if typing.is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{path}: {value!r} is not a dict"]
        hints = typing.get_type_hints(tp)
        out = [f"{path}: missing {k}" for k in sorted(tp.__required_keys__ - value.keys())]
        out += [f"{path}: unexpected {k}" for k in sorted(value.keys() - hints.keys())]
        declared = [k for k in hints if k in value]  # the keys in the TypedDict's (and the JSON's) order
        if not out and list(value) != declared:
            out.append(f"{path}: keys in the order {list(value)}, declared {declared}")
        for k in value.keys() & hints.keys():
            out += problems(value[k], hints[k], f"{path}.{k}")
        return out
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        fits = [problems(value, a, path) for a in args]
        return [] if any(not p for p in fits) else [f"{path}: {value!r} fits none of {tp}: {fits}"]
    if origin is dict:  # Dict[K, V]: a dict whose keys and values fit
        if not isinstance(value, dict):
            return [f"{path}: {value!r} is not a dict"]
        return [p for k, v in value.items() for p in problems(k, args[0], path) + problems(v, args[1], f"{path}.{k}")]
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {value!r} is not a list"]
        return [p for i, item in enumerate(value) for p in problems(item, args[0], f"{path}[{i}]")]
    if origin is typing.Literal:
        return [] if value in args else [f"{path}: {value!r} not in {args}"]
    if tp is type(None):
        return [] if value is None else [f"{path}: {value!r} is not None"]
    if tp is int:  # a JSON integer, never a bool
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: {value!r} is not an int"]
    if tp is float:  # the core's f64 fields stay floats, even when whole
        return [] if isinstance(value, float) else [f"{path}: {value!r} is not a float"]
    return [] if isinstance(value, tp) else [f"{path}: {value!r} is not a {tp.__name__}"]


def assert_fits(value, tp):
    assert problems(value, tp) == []


NPS = [10] * 50 + [8] * 30 + [3] * 20


def test_the_checker_catches_a_missing_an_extra_and_a_mistyped_key():
    good = {"segments": 2, "tested": 2, "significantly_above": 1, "significantly_below": 0, "low_n": 0}
    assert problems(good, records.BenchmarkSummary) == []
    assert problems({**good, "low_n": 0.0}, records.BenchmarkSummary) == ["$.low_n: 0.0 is not an int"]
    wrong = {k: v for k, v in good.items() if k != "tested"} | {"direction": "above"}
    assert problems(wrong, records.BenchmarkSummary) == ["$: missing tested", "$: unexpected direction"]
    reordered = {"tested": 2, **{k: v for k, v in good.items() if k != "tested"}}
    assert problems(reordered, records.BenchmarkSummary) == [
        "$: keys in the order ['tested', 'segments', 'significantly_above', 'significantly_below', 'low_n'], "
        "declared ['segments', 'tested', 'significantly_above', 'significantly_below', 'low_n']"]


def test_breakdowns_by_family():
    net = cemscore.nps(NPS).breakdown
    assert_fits(net, records.NetBreakdown)
    assert (net["promoters"], net["passives"], net["detractors"]) == (50, 30, 20)
    assert net["promoter_share"] == pytest.approx(50.0)
    box = cemscore.csat([5, 4, 4, 2, 1]).breakdown
    assert_fits(box, records.ProportionBreakdown)
    assert box == {"in_box": 3, "out_of_box": 2}
    ces = cemscore.ces([7, 6, 5, 2] * 5).breakdown
    assert_fits(ces, records.MeanBreakdown)
    assert ces["easy_share"] == pytest.approx(75.0) and ces["standard_deviation"] > 0
    mean = cemscore.mean([3], scale=(1, 5)).breakdown
    assert_fits(mean, records.MeanBreakdown)
    assert mean == {"standard_deviation": None}  # a single answer: no spread, and no easy share off CES


@pytest.mark.parametrize("estimate", [
    cemscore.nps(NPS),
    cemscore.csat([5, 4, 3, 2] * 10, threshold=3),
    cemscore.ces([7, 6, 5, 2] * 5, version=2),
    cemscore.ces([1, 2, 5] * 5, version=1),
    cemscore.top_box([1, 2, 3] * 5, threshold=3, scale=(1, 3)),
    cemscore.bottom_box([1, 2, 3] * 5, threshold=1, scale=(1, 3)),
    cemscore.net_box([1, 2, 3, 3] * 5, top=3, bottom=1, scale=(1, 3)),
    cemscore.mean([1, 2, 5] * 5, scale=(1, 5)),
], ids=lambda e: f"{e.metric}")
def test_estimate_to_dict(estimate):
    d = estimate.to_dict()
    assert_fits(d, records.EstimateDict)
    assert (d["value"], d["n"], d["metric"]["kind"]) == (estimate.value, estimate.n, estimate.metric)
    assert (d["interval"]["lower"], d["interval"]["upper"]) == estimate.confidence_interval()


def test_metric_parameters_are_those_of_the_kind():
    assert cemscore.csat([5, 4]).to_dict()["metric"] == {"kind": "csat", "threshold": 4}
    assert cemscore.ces([5, 4]).to_dict()["metric"] == {"kind": "ces", "version": 2}
    net = cemscore.net_box([1, 3], top=3, bottom=1, scale=(1, 3)).to_dict()
    assert net["metric"] == {"kind": "net_box", "top": 3, "bottom": 1}
    assert net["scale"] == {"min": 1, "max": 3}


def test_comparison_to_dict():
    a, b = cemscore.csat([5, 5, 4, 3] * 25), cemscore.csat([5, 3, 2, 1] * 25)
    c = cemscore.compare(a, b)
    d = c.to_dict()
    assert_fits(d, records.ComparisonDict)
    assert (d["difference"], d["p_value"], d["method"], d["df"]) == (c.difference, c.pvalue, "score", None)
    assert_fits(cemscore.compare(cemscore.mean([1, 2, 5] * 5, scale=(1, 5)), cemscore.mean([3, 4], scale=(1, 5)))
                .to_dict(), records.ComparisonDict)


def test_an_infinite_statistic_is_none_in_the_dict():
    # JSON has no infinity: the dict says None, the attribute keeps inf.
    c = cemscore.compare(cemscore.nps([10] * 20), cemscore.nps([0] * 20))
    assert math.isinf(c.statistic) and c.to_dict()["statistic"] is None
    assert_fits(c.to_dict(), records.ComparisonDict)


def test_benchmark_rows_and_summary():
    segments = ["north"] * 40 + ["south"] * 40 + ["tiny"] * 3
    answers = [10, 9, 9, 7] * 10 + [3, 6, 9, 2] * 10 + [10, 10, 10]
    table = cemscore.benchmark(segments=segments, answers=answers)
    rows = table.to_dicts()
    for row in rows:
        assert_fits(row, records.BenchmarkRow)
    assert_fits(table.summary, records.BenchmarkSummary)
    assert table.summary == {"segments": 3, "tested": 2, "significantly_above": 1, "significantly_below": 1,
                             "low_n": 1}
    by_key = {r["key"]: r for r in rows}
    assert (by_key["north"]["side"], by_key["south"]["side"]) == ("above", "below")
    tiny = by_key["tiny"]
    assert tiny["low_n"] and tiny["p_value"] is None and tiny["value"] == pytest.approx(100.0)


def test_against_records_equal_their_text_forms():
    segments, answers = ["a"] * 40 + ["b"] * 40, [10, 9, 7, 3] * 10 + [6, 9, 3, 2] * 10
    pairs = [("overall", {"kind": "overall"}), ("segment=b", {"kind": "segment", "key": "b"}),
             ("benchmark=10±4", {"kind": "benchmark", "value": 10.0, "se": 4.0})]
    for text, record in pairs:
        assert problems(record, records.AgainstRecord) == []
        expected = cemscore.benchmark(segments=segments, answers=answers, against=text).to_dicts()
        assert cemscore.benchmark(segments=segments, answers=answers, against=record).to_dicts() == expected


def test_benchmark_passes_the_metrics_own_options():
    # A net box benchmark reads top and bottom (BenchmarkOptions); each row's value is the segment's net box.
    segments, answers = ["a"] * 30 + ["b"] * 30, [1, 2, 3] * 10 + [3, 3, 1] * 10
    rows = cemscore.benchmark(segments=segments, answers=answers, metric="net_box", scale=(1, 3), top=3, bottom=1,
                              min_n=5).to_dicts()
    assert [r["value"] for r in rows] == pytest.approx([0.0, 100 / 3])


def test_an_option_benchmark_does_not_read_is_refused_by_name():
    with pytest.raises(cemscore.CemError) as info:
        cemscore.benchmark(segments=["a", "b"], answers=[9, 3], alhpa=0.1)  # type: ignore[call-overload]
    assert info.value.code == "invalid_parameter"
    assert "alhpa" in str(info.value) and "did you mean alpha" in str(info.value)
