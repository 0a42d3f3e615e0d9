"""Scores where the data lives: counts tables, and the GROUP BY pushed down to the engine.

A counts table is the long form of a tally — one row per (segment, day, answer) group with its row count
and, when weighted, Σw and Σw² — what ``SELECT segment, answer, COUNT(*), SUM(w), SUM(w * w) … GROUP BY
segment, answer`` gives in any engine or warehouse. The core counts it exactly as the rows it summarises
(``cem_core::CountsTable``): repeated groups add up, a NULL answer follows ``missing``, and each refusal
names the group and the value (an engine's output has no row index).

``cemscore.benchmark``, ``cemscore.trend`` and the single-score functions given a lazy or distributed
frame — a Polars ``LazyFrame``, a DuckDB relation, a Dask or PySpark DataFrame, anything Narwhals reads
lazily — run that GROUP BY in the engine through `Narwhals <https://narwhals-dev.github.io/narwhals/>`_
and collect only the counts table: its size is segments × days × scale points, whatever the rows.

>>> import cemscore, pandas as pd
>>> table = pd.DataFrame({"region": ["n", "n", "s"], "nps": [10, 3, 9], "n": [30, 10, 12]})
>>> cemscore.SegmentTally.from_counts_table(table, segment="region", answer="nps", count="n", scale=(0, 10)).keys
['n', 's']
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

import numpy as np

from . import _cemscore
from ._input import as_array, as_dates, given
from .vocabulary import MetricKind

# The modules whose frames may be lazy; anything else is read in memory as before.
_LAZY_MODULES = {"polars", "duckdb", "dask", "dask_expr", "pyspark", "sqlframe", "ibis", "modin", "cudf"}

# Names of the columns the engine's GROUP BY adds (chosen not to clash with a user's).
_N, _W, _W2, _DAY = "__cem_count", "__cem_weight_sum", "__cem_weight_sq_sum", "__cem_day"


def is_lazy(frame: Any) -> bool:
    """Whether ``frame`` is a lazy or distributed frame whose GROUP BY runs in its own engine."""
    module = type(frame).__module__.split(".")[0]
    if module not in _LAZY_MODULES or type(frame).__name__ == "Series":  # a column: read in memory
        return False
    try:
        import narwhals as nw
    except ImportError:  # pragma: no cover - narwhals is a dependency of cemscore
        if module == "polars" and type(frame).__name__ == "DataFrame":
            return False
        raise ImportError("cemscore reads lazy frames through narwhals: pip install narwhals") from None
    return isinstance(nw.from_native(frame, pass_through=True), nw.LazyFrame)


class _Columns:
    """A table's columns as the core reads them: pandas, polars, pyarrow (through Narwhals), or a dict of
    lists/arrays."""

    def __init__(self, table: Any):
        self._dict: Optional[Dict[str, Any]] = table if isinstance(table, dict) else None
        if self._dict is None:
            import narwhals as nw

            frame = nw.from_native(table)
            # A lazy counts table (an engine's GROUP BY, not yet run) is small: collect it.
            self._frame = frame.collect() if isinstance(frame, nw.LazyFrame) else frame

    def native(self, name: str) -> Any:
        if self._dict is not None:
            return self._dict[name]
        return self._frame[name].to_native()

    def keys(self, name: str) -> List[Optional[str]]:
        """Segment keys as texts (an integer key by its decimal form); None for a NULL key."""
        if self._dict is not None:
            return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in self._dict[name]]
        s = self._frame[name]
        return [None if null else str(v) for v, null in zip(s.to_list(), s.is_null().to_list())]

    def answers(self, name: str) -> np.ndarray:
        return as_array(self.native(name))

    def floats(self, name: Optional[str]) -> Optional[np.ndarray]:
        if name is None:
            return None
        return np.ascontiguousarray(as_array(self.native(name)), dtype=np.float64)

    def days(self, name: str) -> Any:
        return as_dates(self.native(name))


def segments_from_counts_table(table: Any, *, segment: str, answer: str, count: str, scale: Tuple[int, int],
                               weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                               missing: Optional[str] = None) -> _cemscore.SegmentTally:
    c = _Columns(table)
    return _cemscore.segments_from_counts_table(c.keys(segment), c.answers(answer), c.floats(count), scale,
                                                c.floats(weight_sum), c.floats(weight_sq_sum),
                                                given(missing=missing))


def tally_from_counts_table(table: Any, *, answer: str, count: str, scale: Tuple[int, int],
                            weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                            missing: Optional[str] = None) -> _cemscore.Tally:
    c = _Columns(table)
    return _cemscore.tally_from_counts_table(c.answers(answer), c.floats(count), scale, c.floats(weight_sum),
                                             c.floats(weight_sq_sum), given(missing=missing))


def benchmark_counts_table(table: Any, *, segment: str, answer: str, count: str, weight_sum: Optional[str] = None,
                           weight_sq_sum: Optional[str] = None, options: Dict[str, Any]) -> _cemscore.Benchmark:
    c = _Columns(table)
    return _cemscore.benchmark_counts_table(c.keys(segment), c.answers(answer), c.floats(count),
                                            c.floats(weight_sum), c.floats(weight_sq_sum), options)


def trend_counts_table(table: Any, *, day: str, answer: str, count: str, segment: Optional[str] = None,
                       weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                       options: Dict[str, Any]) -> _cemscore.Trend:
    c = _Columns(table)
    keys = c.keys(segment) if segment is not None else None
    return _cemscore.trend_counts_table(c.days(day), keys, c.answers(answer), c.floats(count),
                                        c.floats(weight_sum), c.floats(weight_sq_sum), options)


def estimate_counts_table(table: Any, kind: MetricKind, *, answer: str, count: str, weight_sum: Optional[str] = None,
                          weight_sq_sum: Optional[str] = None, options: Dict[str, Any]) -> _cemscore.Estimate:
    c = _Columns(table)
    return _cemscore.estimate_counts_table(c.answers(answer), kind, c.floats(count), c.floats(weight_sum),
                                           c.floats(weight_sq_sum), options)


def counts_table(frame: Any, *, answer: str, segment: Optional[str] = None, day: Optional[str] = None,
                 weights: Optional[str] = None) -> Any:
    """The counts table of a lazy frame, grouped in its own engine and collected (a Narwhals DataFrame):
    the grouping columns, ``__cem_count`` and, with ``weights``, ``__cem_weight_sum`` and
    ``__cem_weight_sq_sum``; with ``day``, ``__cem_day`` is the calendar date of that column (a date, the
    date of a date-time, or the first ten characters of an ISO text), so a trend groups by the day and the
    core bins days into periods. NULL groups are kept."""
    import narwhals as nw

    lf = nw.from_native(frame)
    keys = [k for k in (segment, answer) if k is not None]
    if day is not None:
        dtype = lf.collect_schema()[day]
        if dtype == nw.Date:
            lf = lf.with_columns(nw.col(day).alias(_DAY))
        elif dtype == nw.String:
            lf = lf.with_columns(nw.col(day).str.slice(0, 10).alias(_DAY))
        else:
            lf = lf.with_columns(nw.col(day).dt.date().alias(_DAY))
        keys.append(_DAY)
    aggs = [nw.len().alias(_N)]
    if weights is not None:  # squares first: some engines (Dask) aggregate only plain columns
        w = nw.col(weights).cast(nw.Float64)
        lf = lf.with_columns(w.alias(_W), (w * w).alias(_W2))
        aggs += [nw.col(_W).sum(), nw.col(_W2).sum()]
    return lf.group_by(*keys).agg(*aggs).collect()


def _weight_columns(weights: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    return (_W, _W2) if weights is not None else (None, None)


def benchmark_lazy(frame: Any, *, answer: str, segment: str, weights: Any,
                   options: Dict[str, Any]) -> _cemscore.Benchmark:
    w = _column_name(weights, "weights")
    table = counts_table(frame, answer=answer, segment=segment, weights=w)
    ws, wq = _weight_columns(w)
    return benchmark_counts_table(table, segment=segment, answer=answer, count=_N, weight_sum=ws, weight_sq_sum=wq,
                                  options=options)


def trend_lazy(frame: Any, *, period: str, answer: str, segment: Optional[str], weights: Any,
               options: Dict[str, Any]) -> _cemscore.Trend:
    w = _column_name(weights, "weights")
    table = counts_table(frame, answer=answer, segment=segment, day=period, weights=w)
    ws, wq = _weight_columns(w)
    return trend_counts_table(table, day=_DAY, answer=answer, count=_N, segment=segment, weight_sum=ws,
                              weight_sq_sum=wq, options=options)


def estimate_lazy(frame: Any, kind: MetricKind, *, weights: Any, options: Dict[str, Any]) -> _cemscore.Estimate:
    """A single score of a lazy frame holding the answer column (and the ``weights`` column, if named)."""
    import narwhals as nw

    w = _column_name(weights, "weights")
    names = [n for n in nw.from_native(frame).collect_schema().names() if n != w]
    if len(names) != 1:
        raise TypeError(f"a lazy frame scored directly holds one answer column (and the weights column), "
                        f"got {names}; select the answer column first, e.g. frame.select('nps')")
    table = counts_table(frame, answer=names[0], weights=w)
    ws, wq = _weight_columns(w)
    return estimate_counts_table(table, kind, answer=names[0], count=_N, weight_sum=ws, weight_sq_sum=wq,
                                 options=options)


def _column_name(value: Any, what: str) -> Optional[str]:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"with a lazy frame, {what}= names a column of it")
