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

__all__ = ["DriverTally", "drivers"]


def _column(data: Any, name: str) -> np.ndarray:
    try:
        return np.ascontiguousarray(as_array(data[name]), dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"column {name!r} is not numeric; key driver analysis needs numeric ratings") from None


def _columns(data: Any, names: Sequence[str]) -> List[Tuple[str, np.ndarray]]:
    present = set(_names(data))  # a name not there: the core names it and lists the columns
    return [(n, _column(data, n)) for n in dict.fromkeys(names) if n in present]


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
        names = [self.outcome, *self.drivers] + ([weight] if weight is not None else [])
        self._update(_columns(data, names), weight, given(missing=missing))

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
        names = _names(data) if drivers is None else [outcome or "", *drivers, *([weight] if weight else [])]
        if segment is not None:
            codes, keys = segment_codes(data[segment])
            columns = _columns(data, [n for n in names if n != segment])
            # Whole-number keys (keys None) go as they are: the core names each by its decimal form.
            codes = np.ascontiguousarray(codes, dtype=np.int64) if keys is not None else np.ascontiguousarray(codes)
            per = _cemscore.drivers_segments(columns, codes, keys, options)
            return _segments_frame(data, per)
        result = _cemscore.drivers(_columns(data, names), options)
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
    return df.with_columns(pl.lit(result["r2"]).alias("r2"), pl.lit(result["n"]).alias("n"))

