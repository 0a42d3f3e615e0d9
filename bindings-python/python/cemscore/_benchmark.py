"""Segment benchmarking: every segment's score against a reference, p-values adjusted across segments,
flags and ranks (wraps ``cem_core::operations::benchmark``); ``BenchmarkTable`` and its DataFrames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence, Union, cast, overload

import numpy as np

from . import _cemscore, engines
from ._cemscore import Benchmark, Estimate
from ._input import as_array, as_weights, column, given, listed, segment_codes
from .records import BenchmarkOptions, BenchmarkRow, BenchmarkSummary

if TYPE_CHECKING:  # for annotations only: neither is a dependency, nor imported unless a call needs it
    import pandas as pd
    import polars as pl
    from typing_extensions import Unpack

__all__ = ["BenchmarkTable", "benchmark"]


class BenchmarkTable:
    """A segment benchmark: ``rows`` (dicts), ``summary``, ``overall``; ``to_pandas()``, ``to_polars()``,
    ``to_dicts()``, ``to_json()``, ``plot()``. What `benchmark` returns for input that is neither pandas nor polars.

    Examples
    --------
    >>> import cemscore
    >>> b = cemscore.benchmark(segments=["x", "y", "y"], answers=[10, 3, 6], min_n=1)
    >>> b.overall.n, len(b.to_dicts())
    (3, 2)
    """

    def __init__(self, result: Benchmark):
        self._result = result
        self.summary: BenchmarkSummary = result.summary
        self.overall: Estimate = result.overall

    def to_dicts(self) -> List[BenchmarkRow]:
        return self._result.rows

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame indexed by ``key``."""
        import pandas as pd

        return pd.DataFrame(self.to_dicts()).set_index("key")

    def to_polars(self) -> pl.DataFrame:
        """The rows as a polars DataFrame, ``key`` first."""
        import polars as pl

        return pl.DataFrame(self.to_dicts(), infer_schema_length=None)

    def to_json(self) -> str:
        return self._result.to_json()

    def plot(self, ax: Any = None) -> Any:
        """Draws each segment's score with its interval (one bar a segment, in table order) and its
        reference (``|``); a segment significantly above its reference (after the correction) is green and
        marked ▲, one below red and marked ▼, the rest grey; a low-n segment is faded. Segments without
        answers are left out. Needs matplotlib. Returns the axes."""
        import matplotlib.pyplot as plt

        rows = [r for r in self.to_dicts() if r["value"] is not None]
        ax = ax if ax is not None else plt.subplots(figsize=(7, 1 + 0.35 * max(1, len(rows))))[1]
        colours = {"above": "tab:green", "below": "tab:red"}
        for y, r in enumerate(rows):
            value, lower, upper = cast(float, r["value"]), r["lower"], r["upper"]  # rows with a value only
            side = r["side"] if r["significant"] else None
            colour = colours.get(side or "", "tab:gray")
            error = None if lower is None or upper is None else [[value - lower], [upper - value]]
            ax.errorbar(value, y, xerr=error, fmt="o", ms=4, capsize=3, color=colour, alpha=0.4 if r["low_n"] else 1)
            if r["reference_value"] is not None:
                ax.plot(r["reference_value"], y, marker="|", ms=12, mew=2, color="black", label="_reference")
            if side in colours:
                ax.annotate("▲" if side == "above" else "▼", (upper if upper is not None else value, y),
                            xytext=(4, 0), textcoords="offset points", va="center", color=colour)
        ax.set_yticks(range(len(rows)), [r["key"] for r in rows])
        ax.set_ylim(len(rows) - 0.5, -0.5)  # the table's first row on top
        metric = self.overall.metric.upper()
        ax.set_xlabel(metric)
        ax.set_title(f"{metric} by segment against its reference (|); ▲▼ significant, adjusted")
        return ax

    def __repr__(self) -> str:
        s = self.summary
        return (f"BenchmarkTable({s['segments']} segments, {s['tested']} tested, "
                f"{s['significantly_above']} above, {s['significantly_below']} below, {s['low_n']} low n)")

    def _repr_html_(self) -> str:
        try:
            # pandas-stubs does not declare the notebook hook, which every DataFrame has.
            html: str = cast(Any, self.to_pandas())._repr_html_()
            return html
        except ImportError:
            return repr(self)


# What `benchmark` returns follows what it reads: a pandas DataFrame for a pandas DataFrame or Series, a
# polars DataFrame for polars, otherwise a BenchmarkTable. The overloads say so to type checkers; each
# names the inputs it excludes as `None` (a DataFrame's column names, or the arrays).
@overload
def benchmark(df: pd.DataFrame, *, answer: str, segment: str, segments: None = None, answers: None = None,
              weights: Any = None, **options: Unpack[BenchmarkOptions]) -> pd.DataFrame: ...
@overload
def benchmark(df: pl.DataFrame, *, answer: str, segment: str, segments: None = None, answers: None = None,
              weights: Any = None, **options: Unpack[BenchmarkOptions]) -> pl.DataFrame: ...
@overload
def benchmark(df: pl.LazyFrame, *, answer: str, segment: str, segments: None = None, answers: None = None,
              weights: Optional[str] = None, **options: Unpack[BenchmarkOptions]) -> BenchmarkTable: ...
@overload
def benchmark(df: None = None, *, answer: None = None, segment: None = None, segments: pd.Series[Any],
              answers: Any, weights: Any = None, **options: Unpack[BenchmarkOptions]) -> pd.DataFrame: ...
@overload
def benchmark(df: None = None, *, answer: None = None, segment: None = None, segments: pl.Series,
              answers: Any, weights: Any = None, **options: Unpack[BenchmarkOptions]) -> pl.DataFrame: ...
@overload
def benchmark(df: None = None, *, answer: None = None, segment: None = None, segments: _cemscore.SegmentTally,
              answers: None = None, weights: None = None, **options: Unpack[BenchmarkOptions]) -> BenchmarkTable: ...
@overload
def benchmark(df: None = None, *, answer: None = None, segment: None = None,
              segments: Union[np.ndarray[Any, Any], Sequence[Any]], answers: Any, weights: Any = None,
              **options: Unpack[BenchmarkOptions]) -> BenchmarkTable: ...
def benchmark(df: Any = None, *, answer: Optional[str] = None, segment: Optional[str] = None,
              segments: Any = None, answers: Any = None, weights: Any = None,
              **options: Unpack[BenchmarkOptions]) -> Any:
    """Benchmarks every segment: estimate, comparison with the reference, Holm-adjusted p-values, flags
    and ranks. Give a DataFrame with ``answer`` and ``segment`` column names (``weights`` may name a
    column too), or ``segments`` and ``answers`` arrays, or a ``SegmentTally`` as ``segments``.

    Options (``BenchmarkOptions``; ``None`` means the core's default): ``metric`` (``"nps"``), ``against``
    (``"rest"``; also ``"overall"``, ``"previous"``, ``"benchmark=45±2.5"``, ``"segment=north"`` or a
    record), ``test``, ``correction`` (``"holm"``), ``alpha`` (0.05), ``min_n`` (30), ``level``,
    ``method``, ``alternative``, ``order``, ``missing``, and the metric's own (``scale``, ``threshold``,
    ``version``, ``top``, ``bottom``, ``resamples``, ``seed``, ``prior``). The core refuses an option the
    benchmark does not read, naming it.

    A lazy or distributed frame (a Polars LazyFrame, a DuckDB relation, a Dask or PySpark DataFrame) is
    grouped in its own engine and only the counts table is collected (``cemscore.engines``).


    Parameters
    ----------
    df : pandas.DataFrame or polars.DataFrame, optional
        The responses, one row each; with ``answer`` and ``segment`` naming its columns. A column that is
        not there is a ``CemError`` naming the columns there are.
    answer, segment : str, optional
        Column names in ``df``: the answers (as in `nps`) and the segment keys.
    segments : array_like or SegmentTally, optional
        Without ``df``: one segment key per answer (strings, whole numbers, categoricals), or a
        ``SegmentTally`` counted elsewhere (then no ``answers``).
    answers : array_like, optional
        Without ``df``: the answers.
    weights : array_like or str, optional
        One weight per answer, or a column name of ``df``.
    **options
        ``BenchmarkOptions``, above; ``alpha`` and ``level`` are probabilities in (0, 1), ``min_n`` a count.

    Returns
    -------
    pandas.DataFrame, polars.DataFrame or BenchmarkTable
        One row per segment (``n``, ``value``, ``lower``, ``upper``, ``reference_value``, ``difference``
        in the metric's unit, ``p_value``, ``adjusted_p_value``, ``significant``, ``side``, ``low_n``,
        ``rank``…): a pandas DataFrame for pandas input, polars for polars, otherwise (a lazy frame included) a
        ``BenchmarkTable``.

    Raises
    ------
    CemError
        As `nps` for the answers; ``invalid_segment`` for a missing key; ``length_mismatch``;
        ``invalid_parameter`` for an option the benchmark does not read or a column that is not there.

    Examples
    --------
    >>> import cemscore
    >>> b = cemscore.benchmark(segments=["north", "north", "south", "south"], answers=[10, 9, 3, 6], min_n=1)
    >>> [r["key"] for r in b.to_dicts()], b.summary["segments"]
    (['north', 'south'], 2)
    """
    if df is not None and engines.is_lazy(df):  # its engine groups; only the counts table is collected
        if answer is None or segment is None:
            raise TypeError("with a DataFrame, name the answer= and segment= columns")
        return BenchmarkTable(engines.benchmark_lazy(df, answer=answer, segment=segment, weights=weights,
                                                     options=listed(given(**options))))
    if df is not None:
        if answer is None or segment is None:
            raise TypeError("with a DataFrame, name the answer= and segment= columns")
        segments, answers = column(df, "segment", segment), column(df, "answer", answer)
        if isinstance(weights, str):
            weights = column(df, "weights", weights)
    chosen = listed(given(**options))
    if isinstance(segments, _cemscore.SegmentTally):
        result = BenchmarkTable(_cemscore.benchmark(segments, chosen))
    else:
        if segments is None or answers is None:
            raise TypeError("give a DataFrame with answer= and segment=, or segments= and answers=")
        codes, names = segment_codes(segments)
        result = BenchmarkTable(_cemscore.benchmark_rows(codes, names, as_array(answers), as_weights(weights),
                                                         chosen))
    module = type(df if df is not None else segments).__module__.split(".")[0]
    if module == "pandas":
        return result.to_pandas()
    if module == "polars":
        return result.to_polars()
    return result
