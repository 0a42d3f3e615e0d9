"""Weighting to the population: raking (iterative proportional fitting) and post-stratification to known
margins, from a frame's rows or from a cells table (a GROUP BY of the raking variables).

Glue only: each raking column becomes codes and level names (or whole numbers or floats, which the core
names as written), the margins a mapping or a list of records, keywords the options dict; the core's
weights come back aligned to the frame (a pandas Series with its index, a polars Series, or a numpy
array) with the diagnostics as attributes. Formulas, defaults, validation: the core
(``cem_core::operations::rake``); the book's "Weighting to the population" chapter.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cemscore
from ._input import as_array, as_weights, column, segment_codes
from .records import MarginCheck, RakedEstimate
from .vocabulary import Correction, MetricKind, Missing

__all__ = ["Raking", "CellFactors", "rake", "rake_cells"]

_DIAGNOSTICS = (
    "sweeps", "converged", "max_margin_error", "worst_margin", "design_effect", "effective_n", "weight_min",
    "weight_max", "weight_ratio", "total_weight", "trimmed_rows", "trim_cycles", "n", "skipped", "cells", "margins",
)


def _options(**options: Any) -> Dict[str, Any]:
    return {k: v for k, v in options.items() if v is not None}


def _names(data: Any) -> List[str]:
    cols = getattr(data, "columns", None)
    return [str(c) for c in (cols if cols is not None else data.keys())]


def _margins(margins: Any) -> Any:
    """A mapping as it is; a long table (variable, level, value) as a list of records, which the core reads."""
    module = type(margins).__module__.split(".")[0]
    if module == "pandas":
        return margins.to_dict("records")
    if module == "polars":
        return margins.to_dicts()
    if isinstance(margins, (list, tuple)):
        return [dict(r) for r in margins]
    return {str(v): {str(k): x for k, x in levels.items()} for v, levels in dict(margins).items()}


def _variables(margins: Any) -> List[str]:
    if isinstance(margins, dict):
        return list(margins)
    return list(dict.fromkeys(str(r["variable"]) for r in margins))


def _column(values: Any) -> Tuple[np.ndarray, Optional[List[str]]]:
    """(codes, level names) for text and categoricals; (whole numbers or floats, None) for numbers."""
    module = type(values).__module__.split(".")[0]
    dtype = getattr(values, "dtype", None)
    kind = getattr(dtype, "kind", None)
    if module == "polars":
        import polars as pl

        if dtype.is_numeric():  # type: ignore[union-attr]
            kind = "i" if dtype.is_integer() and values.null_count() == 0 else "f"  # type: ignore[union-attr]
            values = values.cast(pl.Int64 if kind == "i" else pl.Float64).to_numpy()
    if kind in ("i", "u"):
        return np.ascontiguousarray(as_array(values), dtype=np.int64), None
    if kind == "f":
        return np.ascontiguousarray(as_array(values), dtype=np.float64), None
    if isinstance(values, (list, tuple)) and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                 for v in values if v is not None):
        has_float = any(isinstance(v, float) or v is None for v in values)
        return (np.array([np.nan if v is None else v for v in values], dtype=np.float64), None) if has_float else (
            np.asarray(values, dtype=np.int64), None)
    codes, names = segment_codes(values)
    if names is None:
        return np.ascontiguousarray(codes, dtype=np.int64), None
    return np.ascontiguousarray(codes, dtype=np.int64), names


def _raking_columns(data: Any, names: Sequence[str]) -> List[Tuple[str, np.ndarray, Optional[List[str]]]]:
    present = set(_names(data))
    missing = [n for n in names if n not in present]
    if missing:  # the core's message: the column asked for, the nearest, the columns there are
        _cemscore.find_column("by", missing[0], _names(data))
    return [(n, *_column(data[n])) for n in names]


class _Diagnostics:
    sweeps: int
    converged: bool
    max_margin_error: float
    worst_margin: MarginCheck
    design_effect: float
    effective_n: float
    weight_min: float
    weight_max: float
    weight_ratio: float
    total_weight: float
    trimmed_rows: int
    trim_cycles: int
    n: int
    skipped: int
    cells: int
    margins: List[MarginCheck]

    def __init__(self, diagnostics: Dict[str, Any]) -> None:
        for k in _DIAGNOSTICS:
            setattr(self, k, diagnostics[k])

    def to_dict(self) -> Dict[str, Any]:
        """The diagnostics as the core's JSON fields."""
        return {k: getattr(self, k) for k in _DIAGNOSTICS}

    def _summary(self) -> str:
        w = self.worst_margin
        return (f"{self.sweeps} sweeps, max margin error {self.max_margin_error:.1e} "
                f"({w['variable']}={w['level']}), design effect {self.design_effect:.3f}, effective n "
                f"{self.effective_n:.1f} of {self.n}, weights {self.weight_min:.4g}–{self.weight_max:.4g}")


class Raking(_Diagnostics):
    """Raked weights and how raking went. ``weights`` is aligned to the frame raked (a pandas Series with
    its index, a polars Series, or a numpy array); the object itself converts to that array, so it can be
    passed directly as ``weights=`` to any score.

    Attributes: ``weights``, ``sweeps``, ``converged``, ``max_margin_error``, ``worst_margin``,
    ``design_effect`` (Kish, 1 + CV²), ``effective_n``, ``weight_min``, ``weight_max``, ``weight_ratio``,
    ``total_weight``, ``trimmed_rows``, ``trim_cycles``, ``n``, ``skipped``, ``cells`` and ``margins``
    (achieved against target per variable and level).

    Examples
    --------
    >>> import cemscore
    >>> r = cemscore.rake({"g": ["a", "b", "b"]}, margins={"g": {"a": 0.5, "b": 0.5}})
    >>> r.weights.tolist(), r.sweeps, r.design_effect
    ([1.5, 0.75, 0.75], 1, 1.125)
    """

    weights: Any

    def __init__(self, weights: Any, diagnostics: Dict[str, Any], call: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(diagnostics)
        self.weights = weights
        self._call = call  # what rake() was given, for estimate()

    def estimate(self, answers: Any, *, metric: MetricKind = "nps", segment: Any = None,
                 level: Optional[float] = None, correction: Optional[Correction] = None,
                 alpha: Optional[float] = None, **metric_options: Any) -> List[RakedEstimate]:
        """Scores of ``answers`` with these weights, for the whole sample then per ``segment``, each with its
        **calibration-aware** standard error: the raking variables' margins are known, so the part of the
        score they explain has no sampling error (Deville & Särndal 1992; as R survey's ``calibrate`` with
        ``calfun="raking"`` then ``svymean``). ``estimate`` in each row treats the weights as fixed.

        Each segment is also compared with the rest (the rows of every other segment), as ``benchmark``
        does with ``against="rest"``: ``difference`` (segment − rest), its calibrated standard error (the
        difference linearised as one score), a Wald z ``statistic``, ``p_value`` and ``adjusted_p_value``
        across the segments, ``significant`` at ``alpha``.

        Parameters
        ----------
        answers : str or array_like
            A column of the frame raked, or one answer per row (NaN/None missing, following ``missing``).
        metric : str
            ``nps`` (default), ``csat``, ``ces``, ``top_box``, ``bottom_box``, ``net_box`` or ``mean``.
        segment : str or array_like, optional
            A column of the frame, or one segment per row: a row per segment follows the whole sample's.
        level : float, optional
            Of the intervals (default 0.95).
        correction : str, optional
            Multiplicity correction of the segments' p-values: ``holm`` (default, as ``benchmark``),
            ``benjamini_hochberg`` (q-values), ``bonferroni``, ``hochberg``, ``benjamini_yekutieli``, ``none``.
        alpha : float, optional
            Level of ``significant`` (default 0.05).
        **metric_options
            The metric's own options (``scale``, ``threshold``, ``version``, ``top``, ``bottom``, ``method``).

        Returns
        -------
        list of RakedEstimate
            ``segment`` (None for the whole sample), ``estimate``, ``calibrated_standard_error``,
            ``calibrated_lower``, ``calibrated_upper``; against the rest ``reference_value``, ``difference``,
            ``difference_standard_error``, ``difference_lower``, ``difference_upper``, ``statistic``,
            ``p_value``, ``adjusted_p_value``, ``significant``.

        Examples
        --------
        >>> import cemscore
        >>> df = {"region": ["n", "n", "n", "s", "s", "s"], "nps": [10, 10, 9, 3, 2, 8]}
        >>> r = cemscore.rake(df, margins={"region": {"n": 0.5, "s": 0.5}})
        >>> whole = r.estimate("nps")[0]
        >>> whole["calibrated_standard_error"] < whole["estimate"]["standard_error"]
        True
        """
        if self._call is None:
            raise TypeError("this Raking was not made by cemscore.rake")
        c = self._call
        df = c["df"]
        values = df[answers] if isinstance(answers, str) else answers
        answers_array = np.ascontiguousarray(as_array(values), dtype=np.float64)
        seg = None
        if segment is not None:
            seg = _column(df[segment] if isinstance(segment, str) else segment)
        options = dict(c["options"], **_options(level=level, correction=correction, alpha=alpha, **metric_options))
        # The core scores from these weights (it checks they are this raking's): no raking again.
        weights = np.ascontiguousarray(np.asarray(self.weights, dtype=np.float64))
        result = _cemscore.rake_estimate(c["columns"], c["margins"], metric, answers_array, c["base"], seg, options,
                                         (weights, self.to_dict()))
        return list(result["rows"])

    def __array__(self, dtype: Any = None, copy: Optional[bool] = None) -> np.ndarray:
        arr = np.asarray(self.weights, dtype=np.float64)
        return arr if dtype is None else arr.astype(dtype)

    def __len__(self) -> int:
        return len(self.weights)

    def __repr__(self) -> str:
        return f"Raking({self._summary()})"


class CellFactors(_Diagnostics):
    """Raking factors per row of a cells table, and how raking went: each cell's weights are its factor
    times their base weights, so its Σw is factor·Σd and its Σw² factor²·Σd².

    Examples
    --------
    >>> import cemscore
    >>> f = cemscore.rake_cells({"g": ["a", "b"], "n": [1, 2]}, margins={"g": {"a": 0.5, "b": 0.5}}, count="n")
    >>> f.factors.tolist(), f.cells
    ([1.5, 0.75], 2)
    """

    factors: np.ndarray

    def __init__(self, factors: np.ndarray, diagnostics: Dict[str, Any]) -> None:
        super().__init__(diagnostics)
        self.factors = factors

    def __repr__(self) -> str:
        return f"CellFactors({self._summary()})"


def _aligned(df: Any, weights: np.ndarray) -> Any:
    module = type(df).__module__.split(".")[0]
    if module == "pandas":
        import pandas as pd

        return pd.Series(weights, index=df.index, name="weight")
    if module == "polars":
        import polars as pl

        return pl.Series("weight", weights)
    return weights


def rake(df: Any, *, margins: Any, by: Optional[Sequence[str]] = None,
         base_weight: Union[str, Any, None] = None, tolerance: Optional[float] = None,
         max_sweeps: Optional[int] = None, trim: Optional[Tuple[Optional[float], Optional[float]]] = None,
         trim_absolute: Optional[bool] = None, missing: Optional[Missing] = None) -> Raking:
    """Weights that make the rows of ``df`` match known population margins (raking, iterative proportional
    fitting; one crossed variable is post-stratification).

    Parameters
    ----------
    df : pandas or polars DataFrame, or a mapping of columns
        The sample, one row per respondent, with a column per raking variable.
    margins : mapping or long table
        ``{variable: {level: value}}``, or a table (DataFrame or records) with columns ``variable``,
        ``level``, ``value``. Shares when each variable's values sum to 1 (the weights then keep the base
        weights' total); otherwise counts, whose totals must agree across variables (the weights then sum
        to that total).
    by : list of str, optional
        The raking variables (default: the margins' variables).
    base_weight : str or array_like, optional
        Design weights: a column of ``df`` or one weight per row (default 1).
    tolerance : float, optional
        The largest margin error accepted, max |achieved / target − 1| (default 1e-10).
    max_sweeps : int, optional
        Sweeps allowed (default 1000); not meeting the margins is ``CemError`` ``not_converged``.
    trim : (lower, upper), optional
        Bounds on each weight, as multiples of the mean weight (absolute with ``trim_absolute=True``);
        ``None`` leaves a side open. Trimming happens inside the loop.
    missing : ``"error"`` or ``"skip"``, optional
        A row with a missing raking value: an error (default) or weight 0.

    Returns
    -------
    Raking
        ``weights`` aligned to ``df`` and the diagnostics as attributes; pass it as ``weights=``.

    Raises
    ------
    CemError
        ``level_without_rows``, ``level_without_target``, ``zero_target``, ``invalid_margin``,
        ``margins_disagree`` (naming both totals), ``not_converged`` (naming the worst margin and the empty
        cells), ``infeasible_trim``, ``missing_value``, ``invalid_weight``, ``invalid_parameter``.

    Examples
    --------
    >>> import cemscore
    >>> df = {"region": ["north", "north", "north", "south"], "nps": [10, 9, 3, 6]}
    >>> r = cemscore.rake(df, margins={"region": {"north": 0.5, "south": 0.5}})
    >>> r.weights.round(4).tolist(), r.design_effect
    ([0.6667, 0.6667, 0.6667, 2.0], 1.3333333333333333)
    >>> round(cemscore.nps(df["nps"], weights=r).value, 2)
    -33.33
    """
    given = _margins(margins)
    names = list(by) if by is not None else _variables(given)
    columns = _raking_columns(df, names)
    base = None
    if isinstance(base_weight, str):
        base = df[base_weight] if isinstance(df, dict) else column(df, "base_weight", base_weight)
    elif base_weight is not None:
        base = base_weight
    if base is not None:
        base = as_weights(base)
    options = _options(by=list(by) if by is not None else None, tolerance=tolerance, max_sweeps=max_sweeps,
                       trim=list(trim) if trim is not None else None, trim_absolute=trim_absolute, missing=missing)
    weights, diagnostics = _cemscore.rake(columns, given, base, options)
    call = {"df": df, "columns": columns, "margins": given, "base": base, "options": options}
    return Raking(_aligned(df, weights), diagnostics, call)


def rake_cells(table: Any, *, margins: Any, count: str, sum: Optional[str] = None, sum_sq: Optional[str] = None,
               by: Optional[Sequence[str]] = None, tolerance: Optional[float] = None,
               max_sweeps: Optional[int] = None, trim: Optional[Tuple[Optional[float], Optional[float]]] = None,
               trim_absolute: Optional[bool] = None, missing: Optional[Missing] = None) -> CellFactors:
    """Raking factors for a cells table — a warehouse's ``GROUP BY`` of the raking variables with a count
    (and Σd, Σd² of base weights) — one per table row. With the answer and any segment in the same GROUP
    BY, a counts table's Σw is factor·Σd and its Σw² factor²·Σd².

    Parameters
    ----------
    table : pandas or polars DataFrame, or a mapping of columns
        One row per cell (rows of the same cell add up), with a column per raking variable.
    margins : mapping or long table
        As for :func:`rake`.
    count : str
        The column of rows per cell, ``COUNT(*)``.
    sum, sum_sq : str, optional
        The columns of Σd and Σd² of base weights per cell (default: every row weighs 1).
    by, tolerance, max_sweeps, trim, trim_absolute, missing
        As for :func:`rake`.

    Returns
    -------
    CellFactors
        ``factors``, one per table row, and the diagnostics as attributes.

    Raises
    ------
    CemError
        As :func:`rake`; ``invalid_parameter`` for a count that is not a whole number ≥ 0.

    Examples
    --------
    >>> import cemscore
    >>> cells = {"region": ["north", "south"], "n": [3, 1]}
    >>> cemscore.rake_cells(cells, margins={"region": {"north": 0.5, "south": 0.5}}, count="n").factors.tolist()
    [0.6666666666666666, 2.0]
    """
    given = _margins(margins)
    names = list(by) if by is not None else _variables(given)
    columns = _raking_columns(table, names)

    def floats(name: Optional[str]) -> Optional[np.ndarray]:
        if name is None:
            return None
        return np.ascontiguousarray(as_array(table[name]), dtype=np.float64)

    options = _options(by=list(by) if by is not None else None, tolerance=tolerance, max_sweeps=max_sweeps,
                       trim=list(trim) if trim is not None else None, trim_absolute=trim_absolute, missing=missing)
    factors, diagnostics = _cemscore.rake_cells(columns, floats(count), given, floats(sum), floats(sum_sq), options)
    return CellFactors(factors, diagnostics)
