"""Key driver analysis: which attribute ratings move an outcome, and which perform badly where it matters.

Glue only: columns become float64 numpy arrays, keywords the options dict, and the core's result a
DataFrame (pandas in → pandas out, polars → polars, a mapping of arrays → the result dict). Methods,
formulas and references: the "Key drivers" chapter of the book.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _cemscore
from ._input import as_array, given, segment_codes
from .vocabulary import DriverMethod, Missing, OutcomeScore

__all__ = ["DriverTally", "drivers", "quadrant_map"]


def _column(data: Any, name: str) -> np.ndarray:
    try:
        return np.ascontiguousarray(as_array(data[name]), dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"column {name!r} is not numeric; key driver analysis needs numeric ratings") from None


def _columns(data: Any, named: Sequence[Tuple[str, Optional[str]]]) -> List[Tuple[str, np.ndarray]]:
    """The columns named by options (``("drivers", "ease")``…), each once, as float64 arrays. A name that is
    not there is the core's error (``find_column``) naming the option, the nearest column and every column
    of ``data``, not only those converted."""
    present = _names(data)
    for option, name in named:
        if name is not None:
            _cemscore.find_column(option, str(name), present)
    return [(n, _column(data, n)) for n in dict.fromkeys(n for _, n in named if n is not None)]


def _names(data: Any) -> List[str]:
    cols = getattr(data, "columns", None)
    return [str(c) for c in (cols if cols is not None else data.keys())]


class DriverTally(_cemscore.DriverTally):
    """The weighted moments (Σw, Σw², means, centred co-moments) of an outcome and its drivers over complete
    rows: the sufficient statistic of every key-driver method, mergeable (``merge`` or ``+``) and picklable,
    so Dask or any engine can build one per partition.

    Examples
    --------
    >>> import cemscore
    >>> a = cemscore.DriverTally("nps", ["ease", "speed"], outcome_score="nps")
    >>> a.update({"nps": [10, 3, 8, 9, 6], "ease": [5, 1, 4, 5, 2], "speed": [4, 2, 3, 5, 3]})
    >>> b = cemscore.DriverTally("nps", ["ease", "speed"], outcome_score="nps")
    >>> b.update({"nps": [10, 7, 2], "ease": [4, 3, 1], "speed": [5, 3, 1]})
    >>> (a + b).n
    8
    >>> result = (a + b).analyse(method="relative_weights")
    >>> [row["driver"] for row in result["drivers"]], 0 <= result["r2"] <= 1
    (['ease', 'speed'], True)
    """

    def __new__(cls, outcome: str, drivers: Sequence[str], *, outcome_score: Optional[OutcomeScore] = None,
                scale: Optional[Tuple[int, int]] = None, threshold: Optional[int] = None) -> "DriverTally":
        options = given(outcome_score=outcome_score, scale=list(scale) if scale is not None else None,
                        threshold=threshold)
        return super().__new__(cls, outcome, list(drivers), options)

    def update(self, data: Any, *, weight: Optional[str] = None, missing: Optional[Missing] = None) -> None:
        """Adds the rows of ``data`` (a DataFrame or a mapping of columns); on error nothing is added."""
        named = [("outcome", self.outcome), *(("drivers", d) for d in self.drivers), ("weight", weight)]
        self._update(_columns(data, named), weight, given(missing=missing))

    def analyse(self, *, method: Optional[DriverMethod] = None, level: Optional[float] = None,
                split: Optional[Tuple[float, float]] = None) -> Dict[str, Any]:
        """The analysis of this tally, as the core's result dict (``drivers`` rows, ``r2``, ``n`` …)."""
        options = given(method=method, level=level, split=list(split) if split is not None else None)
        return self._analyse(options)

    def __add__(self, other: "DriverTally") -> "DriverTally":
        out = DriverTally(self.outcome, self.drivers)
        out.__setstate__(self.to_json())
        out.merge(other)
        return out


def drivers(data: Any, outcome: Optional[str] = None, drivers: Optional[Sequence[str]] = None, *,
            method: Optional[DriverMethod] = None, weight: Optional[str] = None,
            outcome_score: Optional[OutcomeScore] = None, scale: Optional[Tuple[int, int]] = None,
            threshold: Optional[int] = None, level: Optional[float] = None,
            missing: Optional[Missing] = None, resamples: Optional[int] = None, seed: Optional[int] = None,
            segment: Optional[str] = None, split: Optional[Tuple[float, float]] = None) -> Any:
    """Key driver analysis: how much of the outcome's variance (R²) each driver accounts for.

    ``data`` is a pandas or polars DataFrame, a mapping of column name → array, or a ``DriverTally``.
    ``method``: ``lmg`` (default: Shapley value of R², exact, ≤ 20 drivers), ``relative_weights``
    (Johnson 2000, any number), ``dominance`` (general = lmg, plus conditional and complete dominance),
    ``first``, ``last``, ``betasq``, ``pratt`` (relaimpo's meanings). ``outcome_score="nps"`` scores 0–10
    answers −100/0/+100 (``"promoter"``: 100/0). ``scale`` (the drivers' rating scale) adds each driver's
    top-box % (answers ≥ ``threshold``, default the top two points). ``drivers`` defaults to every other
    column but ``weight``. ``resamples`` (with ``seed``, default 0) adds a seeded case bootstrap: percentile
    intervals ``importance_lower``/``upper`` and ``share_lower``/``upper`` and ``first_probability``, the
    share of resamples in which the driver ranks first (the same numbers in every language for a seed).
    ``split=(share %, mean)`` places the quadrant map's lines (default: the drivers' mean share and mean
    rating). ``segment`` (a column name) analyses each segment apart, from one pass: pandas → a DataFrame indexed
    by (segment, driver) with each segment's ``r2`` and ``n`` as columns (and ``attrs["segments"]``), polars
    → a ``segment`` column, otherwise a list of ``{"segment", "analysis"}``.

    Returns, for pandas input, a DataFrame indexed by driver (``importance`` in R² units, ``share`` in % of
    R², ``rank``, ``sign``, ``mean`` with its interval, ``top_box``, ``quadrant`` …) whose ``attrs`` hold
    ``r2``, ``n``, ``effective_n``, ``skipped``, ``method``, ``outcome_mean`` (and ``dominance``); for
    polars input a DataFrame with a ``driver`` column and the model's figures as constant columns ``r2``,
    ``n``; otherwise the core's result dict.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame, dict or DriverTally
        The ratings, one row per respondent.
    outcome : str
        The outcome column (the score whose variance is explained).
    drivers : sequence of str, optional
        The driver columns (default: every other column but ``weight``).
    method, weight, outcome_score, scale, threshold, level, missing, resamples, seed, segment, split
        As above; ``level`` is a probability in (0, 1), ``split`` is (share in %, mean rating).

    Returns
    -------
    pandas.DataFrame, polars.DataFrame or dict
        One row per driver: ``importance`` (R² units), ``share`` (% of R²), ``rank``, ``sign``,
        performance and ``quadrant``.

    Raises
    ------
    CemError
        ``degenerate`` naming a constant column or one that is a linear combination of others;
        ``too_few`` complete rows; ``missing_value`` (with its row) unless ``missing="skip"``;
        ``invalid_parameter`` for an unknown column, too many drivers for ``lmg``, or an option not read.

    Examples
    --------
    >>> import pandas as pd, cemscore
    >>> df = pd.DataFrame({"nps": [10, 9, 3, 7, 8, 2, 10, 6, 9, 5],
    ...                    "ease": [5, 5, 2, 3, 4, 1, 5, 3, 4, 2], "price": [3, 4, 2, 4, 3, 2, 4, 3, 5, 3]})
    >>> t = cemscore.drivers(df, outcome="nps", drivers=["ease", "price"])
    >>> t.index.tolist(), round(t["share"].sum())
    (['ease', 'price'], 100)
    >>> bool(abs(t["importance"].sum() - t.attrs["r2"]) < 1e-12)
    True
    """
    split_list = list(split) if split is not None else None
    if isinstance(data, _cemscore.DriverTally):
        result = data._analyse(given(method=method, level=level, split=split_list))
    else:
        options = given(outcome=outcome, drivers=list(drivers) if drivers is not None else None, weight=weight,
                        method=method, outcome_score=outcome_score,
                        scale=list(scale) if scale is not None else None, threshold=threshold, level=level,
                        missing=missing, resamples=resamples, seed=seed, split=split_list)
        # Without drivers, every column goes and the core picks all but the outcome and the weight.
        named = [("outcome", outcome), ("weight", weight)] + (
            [("drivers", n) for n in _names(data)] if drivers is None else [("drivers", d) for d in drivers])
        if segment is not None:
            _cemscore.find_column("segment", segment, _names(data))
            codes, keys = segment_codes(data[segment])
            columns = _columns(data, [(o, n) for o, n in named if n != segment])
            # Whole-number keys (keys None) go as they are: the core names each by its decimal form.
            codes = np.ascontiguousarray(codes, dtype=np.int64) if keys is not None else np.ascontiguousarray(codes)
            per = _cemscore.drivers_segments(columns, codes, keys, options)
            return _segments_frame(data, per)
        result = _cemscore.drivers(_columns(data, named), options)
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return _to_pandas(result)
    if module == "polars":
        return _to_polars(result)
    return result


_MODEL = ("method", "outcome", "outcome_score", "outcome_mean", "r2", "n", "effective_n", "skipped", "level",
          "importance_split", "performance_split", "dominance", "bootstrap")


def _segments_frame(data: Any, per: List[Dict[str, Any]]) -> Any:
    module = type(data).__module__.split(".")[0]
    rows = [{"segment": s["segment"], **d, "r2": s["analysis"]["r2"], "n": s["analysis"]["n"]}
            for s in per for d in s["analysis"]["drivers"]]
    if module == "pandas":
        import pandas as pd

        df = pd.DataFrame(rows).set_index(["segment", "driver"])
        df.attrs["segments"] = {s["segment"]: {k: s["analysis"][k] for k in _MODEL if k in s["analysis"]} for s in per}
        return df
    if module == "polars":
        import polars as pl

        return pl.DataFrame(rows)
    return per


def _to_pandas(result: Dict[str, Any]) -> Any:
    import pandas as pd

    df = pd.DataFrame(result["drivers"]).set_index("driver")
    df.attrs.update({k: result[k] for k in _MODEL if k in result})
    return df


def _to_polars(result: Dict[str, Any]) -> Any:
    import polars as pl

    df = pl.DataFrame(result["drivers"])
    model = ("r2", "n", "importance_split", "performance_split")
    return df.with_columns(*(pl.lit(result[k]).alias(k) for k in model))


# Quadrant colours: the one to fix first stands out.
_QUADRANT_COLOURS = {"fix_first": "tab:red", "keep": "tab:green", "overkill": "tab:blue", "low_priority": "tab:gray"}


def quadrant_map(table: Any, ax: Any = None) -> Any:
    """The importance × performance map of one driver analysis: each driver a point at its mean rating
    (performance) and importance (R² units), coloured by the quadrant the core placed it in and labelled
    with its name; the lines where the quadrants split (the analysis' ``performance_split`` and
    ``importance_split``). Needs matplotlib.

    Parameters
    ----------
    table : pandas.DataFrame, polars.DataFrame or dict
        What `drivers` returns for one analysis (for a per-segment one, one segment's ``analysis`` dict).
    ax : matplotlib Axes, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib Axes
        The axes drawn on.

    Raises
    ------
    TypeError
        For a table that is not one analysis (a per-segment DataFrame: pass one segment's analysis).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import cemscore
    >>> data = {"nps": [10, 9, 3, 7, 8, 2, 10, 6, 9, 5], "ease": [5, 5, 2, 3, 4, 1, 5, 3, 4, 2],
    ...         "price": [3, 4, 2, 4, 3, 2, 4, 3, 5, 3]}
    >>> ax = cemscore.quadrant_map(cemscore.drivers(data, "nps", ["ease", "price"]))
    >>> sorted(t.get_text() for t in ax.texts)
    ['ease', 'price']
    """
    import matplotlib.pyplot as plt

    rows, model = _analysis(table)
    ax = ax if ax is not None else plt.subplots(figsize=(6, 5))[1]
    for quadrant in dict.fromkeys(r["quadrant"] for r in rows):  # one legend entry per quadrant present
        mine = [r for r in rows if r["quadrant"] == quadrant]
        ax.scatter([r["mean"] for r in mine], [r["importance"] for r in mine], label=quadrant,
                   color=_QUADRANT_COLOURS.get(quadrant))
    for r in rows:
        ax.annotate(str(r["driver"]), (r["mean"], r["importance"]), xytext=(5, 3), textcoords="offset points")
    ax.axvline(model["performance_split"], color="black", lw=0.8, ls="--")
    ax.axhline(model["importance_split"], color="black", lw=0.8, ls="--")
    ax.set_xlabel("performance (mean rating)")
    ax.set_ylabel("importance (R² units)")
    ax.set_title("Key drivers" + (f" of {model['outcome']}" if "outcome" in model else ""))
    ax.legend(fontsize="small")
    return ax


def _analysis(table: Any) -> Tuple[List[Dict[str, Any]], Dict[str, Any]]:
    """The driver rows and the model's figures of one analysis, whatever form `drivers` returned it in."""
    module = type(table).__module__.split(".")[0]
    if module == "pandas" and table.index.name == "driver":
        return table.reset_index().to_dict("records"), dict(table.attrs)
    if module == "polars" and "segment" not in table.columns:
        rows = table.to_dicts()  # the model's figures are constant columns
        return rows, rows[0]
    if isinstance(table, dict) and "drivers" in table:
        return table["drivers"], table
    raise TypeError("quadrant_map draws one driver analysis, as drivers() returns it without segment= "
                    "(for one segment: its 'analysis' dict)")

