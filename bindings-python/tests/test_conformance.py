"""Every conformance vector through the public Python API (expected values from statsmodels/scipy or
the generator's independent implementation, never from cem)."""

import inspect
import json
import math
from pathlib import Path

import numpy as np
import pytest

import cemscore

VECTORS = Path(__file__).resolve().parents[2] / "conformance" / "vectors"
CASES = [c for f in sorted(VECTORS.glob("*.json")) for c in json.loads(f.read_text())["cases"]]


def num(v):
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(v, v) if isinstance(v, str) else v


def answers_array(values):
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return np.array(values, dtype=np.int64)
    return np.array([math.nan if v is None else num(v) for v in values], dtype=float)


def weights_of(inp):
    return None if "weights" not in inp else np.array([num(w) for w in inp["weights"]], dtype=float)


DEFAULT_SCALES = {"nps": [0, 10], "csat": [1, 5]}


def estimate(inp):
    m = inp["metric"]
    kind = m["kind"]
    opts = dict(inp.get("options", {}))
    scale = tuple(inp["scale"])
    if "counts" in inp:
        data = cemscore.Tally.from_counts(inp["counts"], scale=scale)
        extra = {}
    elif DEFAULT_SCALES.get(kind) == inp["scale"] or (
        kind == "ces" and inp["scale"] == ([1, 5] if m["version"] == 1 else [1, 7])
    ):
        data = answers_array(inp["answers"])  # the array path of the metric function itself
        extra = {"weights": weights_of(inp), "missing": inp.get("missing")}
    else:
        data = cemscore.Tally.from_answers(answers_array(inp["answers"]), scale=scale, weights=weights_of(inp),
                                           missing=inp.get("missing"))
        extra = {}
    # The metric's parameters are keywords of its function; a Tally carries its scale, and NPS and CES fix
    # theirs, so `scale` is passed only with answers of the scaled metrics.
    params = {k: v for k, v in m.items() if k != "kind"}
    if not isinstance(data, cemscore.Tally) and kind not in ("nps", "ces"):
        params["scale"] = scale
    return getattr(cemscore, kind)(data, **params, **extra, **opts)


def comparison_dict(c):
    return {"difference": c.difference, "lower": c.interval.low, "upper": c.interval.high,
            "statistic": c.statistic, "p_value": c.pvalue, "df": c.df, "method": c.method}


def run(call, inp):
    if call == "tally":
        # A tally from counts and/or answers, then an optional merge; a failure must leave it unchanged.
        scale = tuple(inp["scale"])
        t = cemscore.Tally.from_counts(inp["counts"], scale=scale) if "counts" in inp else cemscore.Tally(scale)
        before = t.to_json()
        try:
            if "answers" in inp:
                t.update(answers_array(inp["answers"]), weights=weights_of(inp), missing=inp.get("missing"))
            if "merge_counts" in inp:
                t.merge(cemscore.Tally.from_counts(inp["merge_counts"], scale=scale))
        except cemscore.CemError:
            assert t.to_json() == before, "a failed update changed the tally"
            raise
        return {"counts": t.counts, "skipped": t.skipped, "weight_sums": t.weight_sums}
    if call == "estimate":
        e = estimate(inp)
        d = e.to_dict()
        d.update(lower=e.interval.low, upper=e.interval.high, method=e.interval.method)
        return d
    if call == "compare":
        return comparison_dict(cemscore.compare(estimate(inp["a"]), estimate(inp["b"]), **inp.get("options", {})))
    if call == "compare_to":
        return comparison_dict(cemscore.compare_to(estimate(inp["a"]), num(inp["value"]), value_se=inp.get("value_se"),
                                                   **inp.get("options", {})))
    if call == "adjust":
        return {"adjusted": cemscore.adjust_pvalues([num(p) for p in inp["pvalues"]], correction=inp["correction"],
                                                    **inp.get("options", {}))}
    if call == "nps_from_counts":
        # The counts object as JavaScript passes it (Python's nps_from_counts takes the counts as keywords and
        # reads them through this same core call).
        e = cemscore._cemscore.nps_from_counts(inp["counts"], inp.get("options"))
        d = e.to_dict()
        d.update(lower=e.interval.low, upper=e.interval.high, method=e.interval.method)
        return d
    if call == "plan":
        return {"result": getattr(cemscore, inp["function"])(**inp["args"])}
    if call == "benchmark":
        scale = tuple(inp["scale"])
        m = inp["metric"]
        metric_opts = {k: m[k] for k in ("threshold", "version") if k in m}
        if m["kind"] not in ("nps", "ces"):
            metric_opts["scale"] = scale
        if "segment_counts" in inp:
            segments = cemscore.SegmentTally.from_counts(inp["segment_counts"], scale=scale)
            answers = None
            metric_opts.pop("scale", None)  # a segment tally carries its scale
        else:
            segments, answers = np.array(inp["segments"], dtype=object), answers_array(inp["answers"])
        table = cemscore.benchmark(segments=segments, answers=answers, weights=weights_of(inp), metric=m["kind"],
                                   **metric_opts, **inp.get("options", {}))
        return {"rows": table.to_dicts(), "summary": table.summary,
                "overall": {"value": table.overall.value, "n": table.overall.n}}
    if call == "trend":
        m = inp["metric"]
        metric_opts = {k: m[k] for k in ("threshold", "version") if k in m}
        if m["kind"] not in ("nps", "ces"):
            metric_opts["scale"] = tuple(inp["scale"])
        segments = np.array(inp["segments"], dtype=object) if "segments" in inp else None
        t = cemscore.trend(dates=inp["dates"], answers=answers_array(inp["answers"]), segments=segments,
                           weights=weights_of(inp), metric=m["kind"], **metric_opts, **inp.get("options", {}))
        return {"periods": t.periods, "segments": t.segments, "rows": t.to_dicts(), "summary": t.summary,
                "changed": t.changed}
    if call == "classify":
        c = cemscore.classify(answers_array(inp["answers"]), **inp["options"])
        return {"names": c.names, "categories": c.to_list()}
    if call == "drivers":
        columns = {k: np.array([math.nan if v is None else num(v) for v in vals], dtype=float)
                   for k, vals in inp["columns"].items()}
        if "segments" in inp:  # each row's segment, as a column the call names
            columns["__segment__"] = np.array(inp["segments"], dtype=object)
            return {"segments": cemscore.drivers(columns, segment="__segment__", **inp.get("options", {}))}
        return cemscore.drivers(columns, **inp.get("options", {}))
    if call == "counts_table":
        return counts_table(inp)
    if call == "discover":
        t = cemscore.discover(inp["columns"], **discover_keywords(inp["options"]))
        return {"rows": t.to_dicts(), "summary": t.summary, "overall": t.overall}
    if call in ("keyness", "terms"):
        return keyness(call, inp)
    if call == "rake":
        import pandas as pd

        df = pd.DataFrame(inp["columns"])
        r = cemscore.rake(df, margins=inp["margins"], base_weight=inp.get("base_weights"), **inp["options"])
        assert r.weights.index.equals(df.index)
        return {**r.to_dict(), "weights": r.weights.tolist()}
    if call == "rake_estimate":
        import pandas as pd

        df = pd.DataFrame(inp["columns"])
        tests = {k: v for k, v in inp["options"].items() if k in ("correction", "alpha")}
        raking = {k: v for k, v in inp["options"].items() if k not in tests}
        r = cemscore.rake(df, margins=inp["margins"], base_weight=inp.get("base_weights"), **raking)
        return {"rows": r.estimate(inp["answers"], metric=inp["metric"], segment=inp.get("segment"), **tests)}
    if call == "rake_cells":
        import pandas as pd

        table = pd.DataFrame({**inp["columns"], **{k: inp[k] for k in ("count", "sum", "sum_sq") if k in inp}})
        sums = {"sum": "sum", "sum_sq": "sum_sq"} if "sum" in inp else {}
        r = cemscore.rake_cells(table, margins=inp["margins"], count="count", **sums, **inp["options"])
        return {**r.to_dict(), "factors": r.factors.tolist()}
    raise AssertionError(call)


def discover_keywords(options):
    """The core's options as `discover`'s keywords: the weight column is ``weights``."""
    return {("weights" if k == "weight" else k): v for k, v in options.items()}


def keyness_options(inp):
    opts = dict(inp.get("options", {}))
    if "ngrams" in opts:
        opts["ngrams"] = tuple(opts["ngrams"])
    if opts.get("stop_words") == "none":
        opts["stop_words"] = None
    return opts


def keyness(call, inp):
    """The public keyness (a DataFrame back to the core's record: attrs and rows, NaN read as None) and
    terms (tuples as lists)."""
    opts = keyness_options(inp)
    if call == "terms":
        return {"rows": [list(r) for r in cemscore.terms(inp["comments"], **opts)]}
    if "groups" in inp:
        grouping = {"groups": inp["groups"]}
    elif "dates" in inp:
        grouping = {"dates": inp["dates"]}
    else:
        grouping = {"answers": answers_array(inp["answers"])}
    df = cemscore.keyness(comments=inp["comments"], segments=inp.get("segments"), **grouping, **opts)

    def rows(frame):
        return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in frame.to_dict("records")]

    if "segments" in inp:
        tables = [{**meta, "terms": rows(df[df["segment"] == meta["segment"]])} for meta in df.attrs["segments"]]
        return {"segments": tables, "tested": df.attrs["tested"], "correction": df.attrs["correction"]}
    return {**df.attrs, "terms": rows(df)}


def counts_table(inp):
    """A counts table as a pandas DataFrame (a dict of columns when their lengths differ), through the
    public *_from_counts_table functions with the metric as keywords."""
    import pandas as pd

    t = inp["table"]
    table = t if len({len(c) for c in t.values()}) > 1 else pd.DataFrame(t)
    m = inp["metric"]
    opts = {**{k: m[k] for k in ("threshold", "version") if k in m}, **inp.get("options", {})}
    if m["kind"] not in ("nps", "ces"):
        opts["scale"] = tuple(inp["scale"])
    cols = {"answer": "answer", "count": "count", "weight_sum": t.get("weight_sum") and "weight_sum",
            "weight_sq_sum": t.get("weight_sq_sum") and "weight_sq_sum"}
    if inp["kind"] == "benchmark":
        b = cemscore.benchmark_from_counts_table(table, segment="segment", metric=m["kind"], **cols, **opts)
        return {"rows": b.to_dicts(), "summary": b.summary, "overall": {"value": b.overall.value, "n": b.overall.n}}
    if inp["kind"] == "trend":
        tr = cemscore.trend_from_counts_table(table, day="day", segment="segment" if "segment" in t else None,
                                              metric=m["kind"], **cols, **opts)
        return {"periods": tr.periods, "segments": tr.segments, "rows": tr.to_dicts(), "summary": tr.summary,
                "changed": tr.changed}
    e = cemscore.estimate_from_counts_table(table, m["kind"], **cols, **opts)
    d = e.to_dict()
    d.update(lower=e.interval.low, upper=e.interval.high, method=e.interval.method)
    return d


def check(path, actual, expected, tol, failures):
    if isinstance(expected, dict):
        for k, v in expected.items():
            check(f"{path}.{k}", actual.get(k) if isinstance(actual, dict) else None, v, tol, failures)
    elif isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            failures.append(f"{path}: {actual!r} != {expected!r}")
            return
        for i, (a, e) in enumerate(zip(actual, expected)):
            check(f"{path}[{i}]", a, e, tol, failures)
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool) or expected in ("inf", "-inf"):
        e, a = num(expected), num(actual)
        ok = a == e if math.isinf(e) else a is not None and abs(a - e) <= tol["abs"] + tol["rel"] * abs(e)
        if not ok:
            failures.append(f"{path}: got {a}, expected {e}")
    elif actual != expected:
        failures.append(f"{path}: got {actual!r}, expected {expected!r}")


def unknown_keyword(case):
    """The option of an error vector that Python's own signature lacks, if any: Python refuses it before
    the core is called (a TypeError naming it, which mypy flags statically)."""
    inp = case["input"]
    function = {"estimate": lambda: getattr(cemscore, inp["metric"]["kind"]), "compare": lambda: cemscore.compare,
                "adjust": lambda: cemscore.adjust_pvalues, "benchmark": lambda: cemscore.benchmark,
                "trend": lambda: cemscore.trend, "classify": lambda: cemscore.classify,
                "drivers": lambda: cemscore.drivers, "discover": lambda: cemscore.discover,
                "keyness": lambda: cemscore.keyness, "terms": lambda: cemscore.terms,
                "rake": lambda: cemscore.rake, "rake_cells": lambda: cemscore.rake_cells}.get(case["call"])
    if function is None:
        return None
    parameters = inspect.signature(function()).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None  # options passed on to the core, which refuses an unknown one by name
    keywords = {p.name for p in parameters}
    options = discover_keywords(inp["options"]) if case["call"] == "discover" else inp.get("options", {})
    return next((k for k in options if k not in keywords), None)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_vector(case):
    expected = case["expected"]
    if "error" in expected:
        key = unknown_keyword(case)
        with pytest.raises((cemscore.CemError, TypeError) if key else cemscore.CemError) as info:
            run(case["call"], case["input"])
        if isinstance(info.value, TypeError):
            assert f"'{key}'" in str(info.value), str(info.value)
            return
        assert info.value.code == expected["error"], str(info.value)
        assert info.value.index == expected.get("index", info.value.index), str(info.value)
        return
    failures = []
    tolerance = case.get("tolerance", {"abs": 1e-9, "rel": 1e-9})
    check(case["name"], run(case["call"], case["input"]), expected, tolerance, failures)
    assert not failures, "\n".join(failures)


def test_there_are_enough_vectors():
    assert len(CASES) >= 150
    assert sum("error" in c["expected"] for c in CASES) >= 20
