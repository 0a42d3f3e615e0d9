"""Keyness: the words and phrases that set one group's comments (detractors', a segment's, a period's) apart.

Glue only: the text column becomes a list of str/None (or token lists), the group column labels as text,
the answer column a numpy array, keywords the options dict; the core's table comes back as a DataFrame
(pandas, or polars for polars input) whose ``plot()`` draws the terms by difference with their intervals
(one panel per segment for the tables per segment).
Tokens, statistics and references: the "What customers say: keyness" chapter of the book.
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cemscore
from ._input import as_array, as_dates, column
from .vocabulary import Correction, Every, KeynessStatistic, MetricKind, Missing

__all__ = ["keyness", "terms"]

# The table's columns in reading order: the term, what each side says, the difference and its evidence.
_COLUMNS = ["term", "target_mentions", "reference_mentions", "target_rate", "reference_rate", "difference",
            "difference_lower", "difference_upper", "log_odds", "statistic", "p_value", "q_value", "rank", "side"]
_META = ["target", "reference", "target_texts", "reference_texts", "target_tokens", "reference_tokens", "low_n",
         "tested", "statistic"]


def _texts(values: Any) -> List[Any]:
    """A text column as Python values: str, None for a missing value (None, NaN, pandas NA), lists kept."""
    if hasattr(values, "to_list"):
        values = values.to_list()  # pandas and polars Series
    elif isinstance(values, np.ndarray):
        values = values.tolist()
    out: List[Any] = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType"):
            out.append(None)
        elif isinstance(v, np.ndarray):
            out.append(v.tolist())
        else:
            out.append(v)
    return out


def _labels(values: Any) -> List[Optional[str]]:
    """Group labels as text (None for a missing one); numbers read as their text."""
    return [None if v is None else (v if isinstance(v, str) else _label(v)) for v in _texts(values)]


def _label(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(v)
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


_frame_classes: Dict[str, Any] = {}


def _keyness_frame(stacked: bool = False) -> Any:
    """The pandas DataFrame subclass of a keyness table, or of the tables per segment stacked (made on
    first use: pandas is imported lazily)."""
    name = "stacked" if stacked else "one"
    if name not in _frame_classes:
        import pandas as pd

        class KeynessFrame(pd.DataFrame):
            """A keyness table: one row per term, by rank; ``attrs`` holds the groups, their comments and
            tokens, ``low_n`` and the number of terms tested. ``plot()`` draws the terms by difference."""

            @property
            def _constructor(self) -> Any:
                return KeynessFrame

            def plot(self, ax: Any = None, top: int = 20) -> Any:  # type: ignore[override]
                return _plot(self, ax, top)

        class KeynessBySegmentFrame(pd.DataFrame):
            """Keyness tables per segment, stacked with a ``segment`` column; ``attrs["segments"]`` holds each
            segment's groups and sizes. ``plot()`` draws one panel per segment."""

            @property
            def _constructor(self) -> Any:
                return KeynessBySegmentFrame

            def plot(self, ax: Any = None, top: int = 10) -> Any:  # type: ignore[override]
                return _plot_segments(self, ax, top)

        _frame_classes.update(one=KeynessFrame, stacked=KeynessBySegmentFrame)
    return _frame_classes[name]


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError("a keyness table's plot() needs matplotlib: pip install matplotlib") from e
    return plt


def _plot(df: Any, ax: Any, top: int) -> Any:
    """The ``top`` terms by rank as horizontal bars of their difference in points, with intervals; needs
    matplotlib (an ImportError saying so without it). Returns the axes."""
    plt = _pyplot()
    rows = df.head(top)
    ax = ax if ax is not None else plt.subplots(figsize=(7, 0.3 * len(rows) + 1.2))[1]
    a = df.attrs
    _bars(ax, rows, a.get("target"), a.get("reference"), a.get("level", "95%"))
    ax.set_title(f"What sets {a.get('target')} apart from {a.get('reference')}")
    return ax


def _plot_segments(df: Any, ax: Any, top: int) -> Any:
    """One panel per segment (in the frame's order), each with that segment's ``top`` terms by its own rank
    as bars of their difference with intervals, on one difference axis shared by every panel so that
    segments compare at a glance. ``ax``: a sequence of axes, one per segment, or None for a new figure.
    Returns the axes, one per segment."""
    plt = _pyplot()
    meta = {m["segment"]: m for m in df.attrs.get("segments", [])}
    names = list(dict.fromkeys(df["segment"].tolist()))
    parts = [df[df["segment"] == name].head(top) for name in names]
    if not parts:
        raise ValueError("plot() has no terms to draw: no segment lists a term (lower min_count, or min_n)")
    if ax is not None and not hasattr(ax, "__len__"):  # one Axes, for a frame of one segment
        ax = [ax]
    if ax is None:
        heights = [0.3 * len(p) + 0.9 for p in parts]
        fig, axes = plt.subplots(len(parts), 1, sharex=True, squeeze=False, figsize=(7, sum(heights) + 0.6),
                                 gridspec_kw={"height_ratios": heights})
        ax = list(axes[:, 0])
    elif len(ax) != len(parts):
        raise ValueError(f"plot() draws {len(parts)} segments: give as many axes, not {len(ax)}")
    level = df.attrs.get("level", "95%")
    for panel, name, rows in zip(ax, names, parts):
        m = meta.get(name, {})
        _bars(panel, rows, m.get("target"), m.get("reference"), level)
        panel.set_xlabel("")
        panel.set_title(f"{name}: {m.get('target')} ({m.get('target_texts')} comments) against "
                        f"{m.get('reference')} ({m.get('reference_texts')})", fontsize="medium", loc="left")
    first = meta.get(names[0], {}) if names else {}
    ax[-1].set_xlabel(f"mention rate, {first.get('target')} − {first.get('reference')} "
                      f"(points, {level} interval)")
    return ax


def _bars(ax: Any, rows: Any, target: Any, reference: Any, level: str) -> None:
    """Horizontal bars of the rows' differences in points, with their intervals; red where the target
    mentions the term more, blue where less, the largest difference on top."""
    rows = rows.sort_values("difference")
    y = np.arange(len(rows))
    diff = rows["difference"].to_numpy(dtype=float)
    err = np.vstack([diff - rows["difference_lower"].to_numpy(dtype=float),
                     rows["difference_upper"].to_numpy(dtype=float) - diff])
    colors = ["#c0392b" if d > 0 else "#2471a3" for d in diff]
    ax.barh(y, diff, xerr=err, color=colors, alpha=0.8, capsize=2)
    ax.set_yticks(y, rows["term"].tolist())
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"mention rate, {target} − {reference} (points, {level} interval)")


def keyness(data: Any = None, *, text: Any = None, answer: Optional[str] = None,
            group: Union[str, Sequence[str], None] = None, period: Optional[str] = None,
            by: Union[str, Sequence[str], None] = None, comments: Any = None, answers: Any = None,
            groups: Any = None, dates: Any = None, segments: Any = None, every: Optional[Every] = None,
            target: Any = None,
            reference: Any = None, statistic: Optional[KeynessStatistic] = None,
            ngrams: Optional[Tuple[int, int]] = None, stop_words: Union[str, Sequence[str], None] = "english",
            min_count: Optional[int] = None, min_n: Optional[int] = None, level: Optional[float] = None,
            correction: Optional[Correction] = None, max_terms: Optional[int] = None,
            metric: Optional[MetricKind] = None, scale: Optional[Tuple[int, int]] = None,
            threshold: Optional[int] = None, version: Optional[int] = None, top: Optional[int] = None,
            bottom: Optional[int] = None, missing: Optional[Missing] = None) -> Any:
    """The words and phrases that set a target group's comments apart from a reference group's.

    The unit is the comment: per term, the share of comments mentioning it in each group, the difference
    in points with its Newcombe interval, the score test of two proportions, Benjamini–Hochberg q over the
    terms tested (at least ``min_count`` mentions), and a display log-odds ratio (Monroe, Colaresi &
    Quinn 2008, informative Dirichlet prior) that never changes p or q. Groups under ``min_n`` comments
    are flagged (``attrs["low_n"]``) and not tested.

    Give a DataFrame with the ``text`` column and one of ``answer`` (the scores: by default detractors
    against promoters, by ``classify``'s rule for ``metric``), ``group`` (any label: a segment, a
    touchpoint; several columns are crossed, ``"North × web"``; then ``target`` is required and
    ``reference`` defaults to ``"rest"``) or ``period`` (a date column binned ``every`` month by default,
    as `trend` bins it; by default the latest period against the one before). Or give ``comments`` with
    ``answers``, ``groups`` (an array, or a list of arrays to cross) or ``dates``. ``by`` (column names) or
    ``segments`` (arrays) asks for one table per segment, stacked with a ``segment`` column; the q-values
    are then adjusted once across every segment's tested terms. A comment is a str (None, NaN and a
    blank are no comment) or a list of tokens (a journey's steps, taken as words; bigrams are then
    transitions).

    Parameters
    ----------
    data : pandas.DataFrame or polars.DataFrame, optional
        One row per response; ``text``, ``answer``, ``group`` name its columns.
    target, reference : optional
        The group examined and the group it is compared with (or ``"rest"``); periods by label
        (``"2025-Q3"``).
    every : {"day", "week", "month", "quarter", "year"}, optional
        How ``period`` dates are binned (default ``"month"``).
    statistic : {"chi2", "lr", "pmi", "weighted_log_odds", "log_odds_z"}, optional
        An extra column for users of quanteda's ``textstat_keyness`` or tidylo (on occurrences), or
        scattertext's Fightin' Words z of ``log_odds`` (``log_odds_z``, on mentions).
    ngrams : (int, int), optional
        Shortest and longest n-gram, default ``(1, 2)``.
    stop_words : "english", None or a list of words
        Snowball's English list less negations and intensifiers (default); an n-gram is dropped only when
        all its words are stop words.
    min_count, min_n, level, correction, max_terms
        Fewest mentions to list a term (5), fewest comments per group to test (30), the intervals' level
        (0.95), the multiplicity correction (``benjamini_hochberg``), the memory cap in distinct terms.
    metric, scale, threshold, version, top, bottom, missing
        How answers are classified, as `classify`; ``missing="skip"`` leaves rows with a missing answer or
        group out.

    Returns
    -------
    pandas.DataFrame or polars.DataFrame
        One row per term by rank: ``term``, mentions and rates per side, ``difference`` and its interval,
        ``log_odds``, ``statistic`` (z), ``p_value``, ``q_value``, ``rank``, ``side``, the extra statistic's
        column, occurrences. ``attrs`` (pandas) holds the groups and their sizes; ``plot()`` draws it.
        With ``by``, the tables stacked with a ``segment`` column first; its ``plot(top=10)`` draws one
        panel per segment (its own top terms, one difference axis for all).

    Raises
    ------
    CemError
        ``not_text`` for a comment that is not text (with its row), ``invalid_parameter`` for a target or
        reference that is no group and past the memory cap (naming ``ngrams``), ``empty`` for a group
        without comments, and the answers' errors as `classify`.

    Examples
    --------
    >>> import pandas as pd, cemscore
    >>> df = pd.DataFrame({"nps": [2, 3, 10, 9, 5, 10],
    ...                    "comment": ["on hold for ages", "refund, on hold", "easy app", "so easy", None, "easy"]})
    >>> k = cemscore.keyness(df, text="comment", answer="nps", min_count=2, min_n=1)
    >>> k[["term", "target_rate", "reference_rate"]].head(2).values.tolist()
    [['easy', 0.0, 100.0], ['hold', 100.0, 0.0]]
    >>> k.attrs["target"], k.attrs["reference"]
    ('detractor', 'promoter')
    """
    if data is not None:
        if text is None:
            raise TypeError("name the comments' column: text=")
        comments = column(data, "text", text)
        if answer is not None:
            answers = column(data, "answer", answer)
        if group is not None:
            groups = [column(data, "group", g) for g in ([group] if isinstance(group, str) else group)]
        if period is not None:
            dates = column(data, "period", period)
        if by is not None:
            segments = [column(data, "by", b) for b in ([by] if isinstance(by, str) else by)]
    if sum(x is not None for x in (answers, groups, dates)) != 1:
        raise TypeError("give one of answer= (answers=), group= (groups=) or period= (dates=)")
    options = {k: v for k, v in dict(
        target=None if target is None else _label(target), reference=None if reference is None else _label(reference),
        statistic=statistic, ngrams=None if ngrams is None else list(ngrams),
        stop_words="none" if stop_words is None else (stop_words if isinstance(stop_words, str) else list(stop_words)),
        min_count=min_count, min_n=min_n, level=level, correction=correction, max_terms=max_terms, metric=metric,
        scale=scale, threshold=threshold, version=version, top=top, bottom=bottom, missing=missing, every=every,
    ).items() if v is not None}
    if stop_words == "english":
        del options["stop_words"]  # the default: not an option the caller chose
    texts = _texts(comments)
    segs = None if segments is None else [_labels(s) for s in _columns(segments)]
    if groups is not None:
        result = _cemscore.keyness(texts, groups=[_labels(g) for g in _columns(groups)], segments=segs,
                                   options=options)
    elif dates is not None:
        result = _cemscore.keyness(texts, dates=as_dates(dates), segments=segs, options=options)
    else:
        result = _cemscore.keyness(texts, answers=as_array(answers), segments=segs, options=options)
    polars = type(data if data is not None else comments).__module__.startswith("polars")
    if segs is not None:
        return _stacked(result, polars, level)
    return _frame(result, polars=polars, level=level)


def _columns(values: Any) -> List[Any]:
    """One column, or a list of columns (to cross): a list whose items are all lists, arrays or Series."""
    if isinstance(values, (list, tuple)) and values and all(
            isinstance(v, (list, tuple, np.ndarray)) or hasattr(v, "to_list") for v in values):
        return list(values)
    return [values]


def _stacked(result: Dict[str, Any], polars: bool, level: Optional[float]) -> Any:
    """One table per segment, stacked with a ``segment`` column first; ``attrs`` holds the family's size
    (``tested``), the correction, and each segment's groups and sizes (``segments``)."""
    extra = [k for k in ("chi2", "lr", "pmi", "weighted_log_odds", "log_odds_z")
             if any(t["statistic"] == k for t in result["segments"])]
    columns = ["segment"] + _COLUMNS + extra + ["target_occurrences", "reference_occurrences"]
    rows = [{"segment": t["segment"], **r} for t in result["segments"] for r in t["terms"]]
    table = {c: [r.get(c) for r in rows] for c in columns}
    if polars:
        import polars as pl

        return pl.DataFrame(table, strict=False)
    df = _keyness_frame(stacked=True)(table, columns=columns)
    df.attrs["tested"] = result["tested"]
    df.attrs["correction"] = result["correction"]
    df.attrs["segments"] = [{k: t[k] for k in ["segment"] + _META} for t in result["segments"]]
    df.attrs["level"] = f"{round(100 * (level or 0.95))}%"
    return df


def _frame(result: Dict[str, Any], polars: bool, level: Optional[float]) -> Any:
    rows = result["terms"]
    extra = [k for k in ("chi2", "lr", "pmi", "weighted_log_odds", "log_odds_z") if k == result["statistic"]]
    columns = _COLUMNS + extra + ["target_occurrences", "reference_occurrences"]
    table = {c: [r.get(c) for r in rows] for c in columns}
    if polars:
        import polars as pl

        return pl.DataFrame(table, strict=False)
    df = _keyness_frame()(table, columns=columns)
    for k in _META:
        df.attrs[k] = result[k]
    df.attrs["level"] = f"{round(100 * (level or 0.95))}%"
    return df


def terms(comments: Any, *, ngrams: Optional[Tuple[int, int]] = None,
          stop_words: Union[str, Sequence[str], None] = "english") -> Iterator[Tuple[int, str, int]]:
    """Each comment's terms with their occurrences, as (row, term, occurrences) by row then term — what an
    engine (Spark, DuckDB, Dask) groups by, with the row's group joined, to count mentions per group
    itself. Tokens as `keyness` makes them; a missing or blank comment has no rows.

    Parameters
    ----------
    comments : array_like
        Comments (str; None or NaN is no comment) or token lists.
    ngrams : (int, int), optional
        Shortest and longest n-gram, default ``(1, 2)``.
    stop_words : "english", None or a list of words
        As `keyness`.

    Returns
    -------
    iterator of (int, str, int)
        (row, term, occurrences), by row then term.

    Raises
    ------
    CemError
        ``not_text`` for a comment that is not text (with its row); ``invalid_parameter`` for bad options.

    Examples
    --------
    >>> import cemscore
    >>> list(cemscore.terms(["On hold, on hold!", None], ngrams=(2, 2)))
    [(0, 'hold on', 1), (0, 'on hold', 2)]
    """
    options: Dict[str, Any] = {}
    if ngrams is not None:
        options["ngrams"] = list(ngrams)
    if stop_words is None or stop_words != "english":
        options["stop_words"] = "none" if stop_words is None else (
            stop_words if isinstance(stop_words, str) else list(stop_words))
    return iter(_cemscore.terms(_texts(comments), options))
