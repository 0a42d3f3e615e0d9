"""Each answer's category (detractor/passive/promoter, satisfied or not, …) by the rule an estimate's
breakdown counts with (wraps ``cem_core::operations::classify``).
"""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple, overload

import numpy as np

from . import _cemscore
from ._input import as_array, given
from .vocabulary import MetricKind, Missing

__all__ = ["Categories", "classify"]


class Categories:
    """Each answer's category, as a categorical: ``codes`` (numpy int8, an index into ``names``; −1 for a
    missing answer skipped under ``missing="skip"``, as pandas codes it) and ``names``, worst first.

    It behaves as a sequence of the names (``None`` for a missing answer): ``len``, iteration, indexing
    (an integer gives a name, a slice or a mask a ``Categories``), ``np.asarray`` (an object array of the
    names); ``== name`` gives a boolean mask, read from the codes (a name not among ``names`` matches
    nothing, as in pandas); ``value_counts()`` the count of each name, worst first — the estimate's
    breakdown counts. ``pd.Categorical.from_codes(c.codes, c.names, ordered=True)`` makes it a pandas one.

    Examples
    --------
    >>> import numpy as np, cemscore
    >>> c = cemscore.classify([10, 6, None, 9], missing="skip")
    >>> c.codes.tolist(), c.names, c.to_list()
    ([2, 0, -1, 2], ['detractor', 'passive', 'promoter'], ['promoter', 'detractor', None, 'promoter'])
    >>> list(c), c[0], (c == "promoter").tolist()
    (['promoter', 'detractor', None, 'promoter'], 'promoter', [True, False, False, True])
    >>> c.value_counts()
    {'detractor': 1, 'passive': 0, 'promoter': 2}
    >>> np.asarray(c)
    array(['promoter', 'detractor', None, 'promoter'], dtype=object)
    """

    def __init__(self, codes: np.ndarray, names: List[str]):
        self.codes: np.ndarray = codes
        self.names: List[str] = names

    def to_list(self) -> List[Optional[str]]:
        """The category of each answer by name (``None`` for a missing answer)."""
        return [self.names[c] if c >= 0 else None for c in self.codes.tolist()]

    def value_counts(self) -> Dict[str, int]:
        """How many answers fall in each category, worst first, empty ones included (missing ones left out)."""
        counts = np.bincount(self.codes[self.codes >= 0], minlength=len(self.names))
        return dict(zip(self.names, counts.tolist()))

    def __array__(self, dtype: Any = None, copy: Optional[bool] = None) -> np.ndarray:
        names = np.array([*self.names, None], dtype=object)
        out: np.ndarray = names[self.codes]  # code -1 (missing) takes the trailing None
        return out if dtype is None else out.astype(dtype)

    def __iter__(self) -> Iterator[Optional[str]]:
        return iter(self.to_list())

    @overload
    def __getitem__(self, i: int) -> Optional[str]: ...
    @overload
    def __getitem__(self, i: Any) -> "Categories": ...
    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, (int, np.integer)):
            code = int(self.codes[i])
            return self.names[code] if code >= 0 else None
        return Categories(self.codes[i], self.names)

    def __eq__(self, other: object) -> Any:
        if isinstance(other, str):  # from the codes: no string compared per answer
            return self.codes == (self.names.index(other) if other in self.names else -2)
        return np.asarray(self) == np.asarray(other, dtype=object)

    def __ne__(self, other: object) -> Any:
        return ~(self == other)

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        return f"Categories({len(self)} answers, names={self.names})"


def classify(answers: Any, *, metric: Optional[MetricKind] = None, scale: Optional[Tuple[int, int]] = None,
             threshold: Optional[int] = None, version: Optional[int] = None, top: Optional[int] = None,
             bottom: Optional[int] = None, missing: Optional[Missing] = None) -> Any:
    """Each answer's category under ``metric`` (default ``"nps"``), by the rule its estimate's breakdown
    counts with, so the counts of the categories are the breakdown's. Names, worst first: NPS
    detractor/passive/promoter; CSAT not_satisfied/satisfied; CES effortful/neutral/easy (by its
    version's direction); top_box not_top/top; bottom_box bottom/not_bottom; net_box bottom/middle/top.

    A pandas Series gives an ordered pandas Categorical Series (same index); a polars Series a polars
    Enum Series; anything else (a numpy array, a list) a ``Categories``: ``codes`` as numpy int8 (−1 for
    missing) and ``names``, which iterates, indexes and converts (``np.asarray``) as the names, gives a
    boolean mask for ``== "promoter"`` and counts with ``value_counts()``. A bad answer is a ``CemError``
    naming its index, as in ``nps``; with ``missing="skip"`` a missing answer keeps its row with a missing
    category.

    Parameters
    ----------
    answers : array_like
        The answers, as `nps` reads them (numbers, numeric text; None/NaN missing).
    metric : str, optional
        ``"nps"`` (default), ``"csat"``, ``"ces"``, ``"top_box"``, ``"bottom_box"`` or ``"net_box"``.
    scale : (int, int), optional
        ``(min, max)`` of the answers, for the metrics that read it (not NPS or CES).
    threshold, version, top, bottom : int, optional
        The metric's own options, as its estimate reads them (a box threshold in scale points, the CES
        version 1 or 2, a net box's lowest top and highest bottom answers).
    missing : {"error", "skip"}, optional
        A missing answer is an error (default) or keeps its row with no category.

    Returns
    -------
    pandas.Series, polars.Series or Categories
        An ordered Categorical (pandas), an Enum (polars), or a ``Categories`` (codes and names).

    Raises
    ------
    CemError
        As `nps` for a bad answer (with its index and value); ``invalid_parameter`` for a metric with no
        categories (``mean``) or an option it does not read.

    Examples
    --------
    >>> import pandas as pd, cemscore
    >>> df = pd.DataFrame({"nps": [10, 6, 8, None]})
    >>> df["group"] = cemscore.classify(df["nps"], missing="skip")
    >>> df["group"].tolist()
    ['promoter', 'detractor', 'passive', nan]
    >>> cemscore.classify([4, 2], metric="csat").to_list()
    ['satisfied', 'not_satisfied']
    """
    options = given(metric=metric, scale=scale, threshold=threshold, version=version, top=top, bottom=bottom,
                    missing=missing)
    raw, names = _cemscore.classify(as_array(answers), options)
    codes = raw.view(np.int8)  # 255 (missing) reads as -1
    module = type(answers).__module__.split(".")[0]
    if module == "pandas":
        import pandas as pd

        categorical = pd.Categorical.from_codes(codes, categories=pd.Index(names), ordered=True)
        return pd.Series(categorical, index=answers.index, name=answers.name)
    if module == "polars":
        import polars as pl

        index = pl.Series(codes).cast(pl.UInt32, strict=False)  # -1 (missing) becomes null
        return pl.Series(answers.name, names).gather(index).cast(pl.Enum(names))
    return Categories(codes, names)
