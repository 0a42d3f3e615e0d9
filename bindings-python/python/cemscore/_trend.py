"""Scores over time: dates binned into periods, each period against the previous one (or a trailing
baseline), optionally per segment (wraps ``cem_core::operations::trend``); ``TrendTable``, its DataFrames
and its chart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, Sequence, cast

from . import _cemscore, engines
from ._input import as_array, as_dates, as_weights, column, given, segment_codes
from .records import TrendOptions, TrendRow, TrendSummary
from .vocabulary import Every, MetricKind

if TYPE_CHECKING:  # for annotations only: neither is a dependency, nor imported unless a call needs it
    import pandas as pd
    import polars as pl
    from typing_extensions import Unpack

__all__ = ["TrendTable", "trend"]


class TrendTable:
    """A trend: ``rows`` (dicts: ``segment``, ``period``, ``n``, ``value``, ``lower``, ``upper``,
    ``difference``, ``adjusted_p_value``, ``significant``, …), ``periods`` in time order, ``segments``,
    ``summary`` and ``changed`` — the last period's significant changes, largest impact first;
    ``to_pandas()``, ``to_polars()``, ``plot()``. What `trend` returns.

    Examples
    --------
    >>> import cemscore
    >>> t = cemscore.trend(dates=["2025-01-03", "2025-02-20"], answers=[3, 10], min_n=1)
    >>> t.periods, t.summary["tested"]
    (['2025-01', '2025-02'], 1)
    """

    def __init__(self, result: _cemscore.Trend):
        self._result = result
        self.periods: List[str] = result.periods
        self.segments: List[str] = result.segments
        self.every: Every = result.every
        self.metric: MetricKind = result.metric
        self.summary: TrendSummary = result.summary
        self.changed: List[TrendRow] = result.changed

    def to_dicts(self) -> List[TrendRow]:
        return self._result.rows

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame indexed by (``segment``, ``period``), or ``period`` alone."""
        import pandas as pd

        df = pd.DataFrame(self.to_dicts())
        return df.set_index(["segment", "period"] if self.segments else "period").drop(
            columns=[] if self.segments else ["segment"])

    def to_polars(self) -> pl.DataFrame:
        """The rows as a polars DataFrame."""
        import polars as pl

        return pl.DataFrame(self.to_dicts(), infer_schema_length=None)

    def to_json(self) -> str:
        return self._result.to_json()

    def plot(self, ax: Any = None, segments: Optional[Sequence[str]] = None) -> Any:
        """Draws each series with its interval band and marks the significant changes (▲ up, ▼ down);
        needs matplotlib. Returns the axes."""
        import matplotlib.pyplot as plt

        ax = ax if ax is not None else plt.subplots(figsize=(8, 4))[1]
        rows = self.to_dicts()
        x = {p: i for i, p in enumerate(self.periods)}
        keys: List[Optional[str]] = list(segments or self.segments) or [None]
        for key in keys:
            series = [r for r in rows if r["segment"] == key and r["value"] is not None]
            xs = [x[r["period"]] for r in series]
            line, = ax.plot(xs, [r["value"] for r in series], marker="o", ms=3, label=key or self.metric.upper())
            ax.fill_between(xs, [r["lower"] for r in series], [r["upper"] for r in series], alpha=0.15,
                            color=line.get_color())
            for r in series:
                if r["significant"]:
                    ax.annotate("▲" if r["side"] == "above" else "▼", (x[r["period"]], r["value"]),
                                ha="center", va="bottom" if r["side"] == "above" else "top", color=line.get_color())
        step = max(1, len(self.periods) // 12)
        ax.set_xticks(range(0, len(self.periods), step), self.periods[::step], rotation=45, ha="right")
        ax.set_ylabel(self.metric.upper())
        ax.set_title(f"{self.metric.upper()} by {self.every} (▲▼ significant change, adjusted)")
        if self.segments:
            ax.legend(fontsize="small")
        return ax

    def __repr__(self) -> str:
        s = self.summary
        return (f"TrendTable({len(self.periods)} periods × {max(1, len(self.segments))} series, {s['tested']} tested, "
                f"{s['significantly_above']} up, {s['significantly_below']} down, {len(self.changed)} changed last)")

    def _repr_html_(self) -> str:
        try:
            html: str = cast(Any, self.to_pandas())._repr_html_()
            return html
        except ImportError:
            return repr(self)


def trend(df: Any = None, *, period: Optional[str] = None, answer: Optional[str] = None,
          segment: Optional[str] = None, dates: Any = None, answers: Any = None, segments: Any = None,
          weights: Any = None, **options: Unpack[TrendOptions]) -> TrendTable:
    """Scores over time: dates binned ``every`` day, ISO week, month (default), quarter or year; per
    ``segment`` if given; each period against the previous (``against="trailing=k"``: the k before it,
    pooled); p-values adjusted across every tested cell; periods with no answers kept (n = 0).

    Give a DataFrame with ``period`` (the date column), ``answer`` and optionally ``segment`` column
    names, or ``dates``, ``answers`` and optionally ``segments`` arrays. Dates: ISO 8601 text
    (``2025-01-31``, optionally with a time), numpy ``datetime64``, pandas/polars date or datetime
    columns, ``datetime.date`` objects; a date-time counts on its own calendar date.

    Parameters
    ----------
    df : pandas.DataFrame or polars.DataFrame, optional
        The responses, one row each; ``period``, ``answer`` and ``segment`` name its columns.
    period, answer, segment : str, optional
        Column names in ``df``: the dates, the answers, the segment keys (optional).
    dates, answers, segments : array_like, optional
        Without ``df``: one date, answer and (optionally) segment key per response.
    weights : array_like or str, optional
        One weight per answer, or a column name of ``df``.
    **options
        ``TrendOptions``: ``every`` (``"month"``), ``metric`` (``"nps"``), ``against`` (``"previous"``
        or ``"trailing=k"``), ``correction``, ``alpha``, ``min_n``, ``level``, ``method``, ``missing``…

    Returns
    -------
    TrendTable
        One row per period (per segment): ``n``, ``value``, its interval, the ``difference`` from the
        reference in the metric's unit, ``adjusted_p_value``, ``significant``…

    Raises
    ------
    CemError
        ``invalid_date`` (not ISO text, no such day, a missing date), as `nps` for the answers,
        ``invalid_parameter`` for an option or a column that is not there.

    Examples
    --------
    >>> import cemscore
    >>> t = cemscore.trend(dates=["2025-01-03", "2025-01-20", "2025-03-02"], answers=[3, 6, 10], min_n=1)
    >>> t.periods
    ['2025-01', '2025-02', '2025-03']
    >>> [r["n"] for r in t.to_dicts()]
    [2, 0, 1]
    """
    if df is not None and period is not None and answer is not None and engines.is_lazy(df):
        return TrendTable(engines.trend_lazy(df, period=period, answer=answer, segment=segment, weights=weights,
                                             options=given(**options)))
    if df is not None:
        if period is None or answer is None:
            raise TypeError("with a DataFrame, name the period= (date) and answer= columns")
        dates, answers = column(df, "period", period), column(df, "answer", answer)
        segments = column(df, "segment", segment) if segment is not None else None
        if isinstance(weights, str):
            weights = column(df, "weights", weights)
    if dates is None or answers is None:
        raise TypeError("give a DataFrame with period= and answer=, or dates= and answers=")
    codes, names = segment_codes(segments) if segments is not None else (None, None)
    return TrendTable(_cemscore.trend_rows(as_dates(dates), codes, names, as_array(answers), as_weights(weights),
                                           given(**options)))
