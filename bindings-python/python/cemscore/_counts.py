"""Counts tables — an engine's ``GROUP BY segment, answer`` with its row counts (and weight sums) — scored as
the rows they count: a benchmark, a trend or one estimate (wraps ``cem_core::operations::*_counts_table``;
the columns are read by ``cemscore.engines``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from . import engines
from ._benchmark import BenchmarkTable
from ._cemscore import Estimate
from ._input import given, listed
from ._trend import TrendTable
from .records import BenchmarkOptions, TrendOptions
from .vocabulary import MetricKind

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["benchmark_from_counts_table", "trend_from_counts_table", "estimate_from_counts_table"]


def benchmark_from_counts_table(table: Any, *, segment: str, answer: str, count: str,
                                weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                                **options: Unpack[BenchmarkOptions]) -> BenchmarkTable:
    """A segment benchmark of a counts table (pandas, polars, pyarrow or a dict of columns): the rows of
    an engine's ``GROUP BY segment, answer`` with ``COUNT(*)`` as ``count`` (and ``SUM(w)``, ``SUM(w * w)``
    as ``weight_sum``, ``weight_sq_sum``). The result is the benchmark of the rows it counts; the options
    are ``benchmark``'s, ``missing`` included (for NULL answers).

    Parameters
    ----------
    table : pandas.DataFrame, polars.DataFrame, pyarrow.Table or dict
        One row per group.
    segment, answer, count : str
        Column names: the segment key, the answer (a scale point; NULL a missing answer) and its row count.
    weight_sum, weight_sq_sum : str, optional
        Columns of Σw and Σw² per group, for weighted scores.
    **options
        ``BenchmarkOptions``.

    Returns
    -------
    BenchmarkTable
        As `benchmark` returns for the rows the table counts.

    Raises
    ------
    CemError
        A bad group named by its segment and value (no row index exists in an engine's output), with the
        code the same fault has in rows; ``invalid_parameter`` for a count that is not a whole number ≥ 0.

    Examples
    --------
    >>> import cemscore
    >>> t = {"region": ["n", "n", "s"], "nps": [10, 9, 3], "n": [40, 20, 60]}
    >>> b = cemscore.benchmark_from_counts_table(t, segment="region", answer="nps", count="n")
    >>> [(r["key"], r["n"], r["value"]) for r in b.to_dicts()]
    [('n', 60, 100.0), ('s', 60, -100.0)]
    """
    return BenchmarkTable(engines.benchmark_counts_table(
        table, segment=segment, answer=answer, count=count, weight_sum=weight_sum, weight_sq_sum=weight_sq_sum,
        options=listed(given(**options))))


def trend_from_counts_table(table: Any, *, day: str, answer: str, count: str, segment: Optional[str] = None,
                            weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                            **options: Unpack[TrendOptions]) -> TrendTable:
    """A trend of a counts table grouped by ``day`` (and ``segment``): the engine groups by the day, the
    core bins days into periods (``every``). Options are ``trend``'s.

    Parameters
    ----------
    table : pandas.DataFrame, polars.DataFrame, pyarrow.Table or dict
        One row per group.
    day, answer, count : str
        Column names: the day (a date, or ISO text), the answer and its row count.
    segment : str, optional
        The segment key's column, for a trend per segment.
    weight_sum, weight_sq_sum : str, optional
        Columns of Σw and Σw² per group.
    **options
        ``TrendOptions`` (``every``, ``against``…).

    Returns
    -------
    TrendTable
        As `trend` returns for the rows the table counts.

    Raises
    ------
    CemError
        As `benchmark_from_counts_table`, and ``invalid_date`` for a day that is not one.

    Examples
    --------
    >>> import cemscore
    >>> t = {"day": ["2025-01-03", "2025-03-01"], "nps": [10, 3], "n": [5, 5]}
    >>> cemscore.trend_from_counts_table(t, day="day", answer="nps", count="n", min_n=1).periods
    ['2025-01', '2025-02', '2025-03']
    """
    return TrendTable(engines.trend_counts_table(
        table, day=day, answer=answer, count=count, segment=segment, weight_sum=weight_sum,
        weight_sq_sum=weight_sq_sum, options=given(**options)))


def estimate_from_counts_table(table: Any, metric: MetricKind, *, answer: str, count: str,
                               weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                               **options: Any) -> Estimate:
    """The score ``metric`` (``"nps"``, ``"csat"``…) of a counts table without segments; options are
    those of the metric's function (``nps``, ``csat``…), ``missing`` included.

    Parameters
    ----------
    table : pandas.DataFrame, polars.DataFrame, pyarrow.Table or dict
        One row per answer value.
    metric : str
        ``"nps"``, ``"csat"``, ``"ces"``, ``"top_box"``, ``"bottom_box"``, ``"net_box"`` or ``"mean"``.
    answer, count : str
        Column names: the answer and its row count.
    weight_sum, weight_sq_sum : str, optional
        Columns of Σw and Σw² per group.
    **options
        The metric function's options.

    Returns
    -------
    Estimate
        As the metric's function returns for the rows the table counts.

    Raises
    ------
    CemError
        As `benchmark_from_counts_table`.

    Examples
    --------
    >>> round(estimate_from_counts_table({"nps": [10, 3], "n": [3, 1]}, "nps", answer="nps", count="n").value)
    50
    """
    return engines.estimate_counts_table(table, metric, answer=answer, count=count, weight_sum=weight_sum,
                                         weight_sq_sum=weight_sq_sum, options=given(**options))
