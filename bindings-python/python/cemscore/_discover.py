"""Data-driven segments: the slices (``region=East & channel=phone``) whose score differs from everyone
else's, with false discoveries controlled over the whole search.

Glue only: a table's columns become numbers (float64), texts or categorical codes, keywords the options
dict, and the core's result a DataFrame (pandas in → pandas out, polars → polars, anything else → a
``DiscoveryTable``). The method, its defaults and references: the "Data-driven segments" chapter of the
book.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _cemscore
from . import engines as _engines
from ._input import as_array, given
from .vocabulary import Alternative, Correction, Method, MetricKind, Missing, Show, Test

__all__ = ["DiscoveryTable", "discover", "plot_discovery"]


def _names(data: Any) -> List[str]:
    cols = getattr(data, "columns", None)
    return [str(c) for c in (cols if cols is not None else data.keys())]


def _texts(values: Any) -> List[Optional[str]]:
    """Values as texts; None and NaN are missing."""
    return [None if v is None or (isinstance(v, float) and v != v) or v is getattr(_pd(), "NA", object()) else
            str(v) for v in values]


def _pd() -> Any:
    import sys

    return sys.modules.get("pandas")


def _sort(data: Any, name: str, answer_like: bool, out: Dict[str, List[Any]]) -> None:
    """Puts column ``name`` among the numbers, texts or categoricals."""
    col = data[name]
    module = type(col).__module__.split(".")[0]
    if answer_like:  # answers, weights, counts: numbers by the core's rule (text answers read as numbers)
        out["numbers"].append((name, np.ascontiguousarray(as_array(col), dtype=np.float64)))
        return
    if module == "pandas":
        import pandas as pd

        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = np.ascontiguousarray(col.cat.codes.to_numpy(), dtype=np.int64)
            out["categoricals"].append((name, codes, [str(c) for c in col.cat.categories]))
            return
        if col.dtype.kind in "iuf":
            out["numbers"].append((name, np.ascontiguousarray(col.to_numpy(dtype=np.float64, na_value=np.nan))))
            return
        if col.dtype.kind in "OSUb" or isinstance(col.dtype, pd.StringDtype):
            # Texts as codes into their distinct values, factorised by pandas (None, NaN and NA: code −1): a
            # list of Python strings per column took ≈ 1.5 s a column at 10⁶ rows.
            codes, uniques = pd.factorize(col)
            out["categoricals"].append((name, np.ascontiguousarray(codes, dtype=np.int64), [str(u) for u in uniques]))
            return
        out["texts"].append((name, _texts(col.tolist())))
        return
    if module == "polars":
        import polars as pl

        if col.dtype.is_numeric():
            out["numbers"].append((name, np.ascontiguousarray(col.cast(pl.Float64).fill_null(np.nan).to_numpy())))
        elif isinstance(col.dtype, (pl.String, pl.Enum, pl.Categorical)):
            # Codes into the distinct texts (an Enum of them), made in polars; null is code −1.
            texts = col.cast(pl.String)
            uniques = texts.drop_nulls().unique(maintain_order=True).to_list()
            codes = texts.cast(pl.Enum(uniques)).to_physical().cast(pl.Int64).fill_null(-1).to_numpy()
            out["categoricals"].append((name, np.ascontiguousarray(codes), uniques))
        else:
            out["texts"].append((name, _texts(col.to_list())))
        return
    arr = col if isinstance(col, np.ndarray) else np.asarray(list(col), dtype=object)
    if arr.dtype.kind in "iuf" or (arr.dtype == object and all(
            isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in arr.tolist())):
        out["numbers"].append((name, np.ascontiguousarray(arr, dtype=np.float64)))
    else:
        out["texts"].append((name, _texts(arr.tolist())))


def _cube(frame: Any, answer: str, attributes: Optional[Sequence[str]],
          weights: Optional[str]) -> Tuple[Dict[str, List[Any]], str, Optional[str], Optional[str]]:
    """The counts cube of a lazy frame (GROUP BY attributes…, answer with COUNT(*)[, SUM(w), SUM(w*w)]), run
    in its engine and collected as lists, with the names of its count and weight-sum columns."""
    import narwhals as nw

    from .engines import _N, _W, _W2

    lf = nw.from_native(frame)
    names = lf.collect_schema().names()
    attrs = list(attributes) if attributes is not None else [n for n in names if n not in (answer, weights)]
    aggs = [nw.len().alias(_N)]
    if weights is not None:
        w = nw.col(weights).cast(nw.Float64)
        lf = lf.with_columns(w.alias(_W), (w * w).alias(_W2))
        aggs += [nw.col(_W).sum(), nw.col(_W2).sum()]
    table = lf.group_by(*attrs, answer).agg(*aggs).collect()
    columns = {c: table[c].to_list() for c in table.columns}
    return columns, _N, (_W if weights else None), (_W2 if weights else None)


class DiscoveryTable:
    """A discovery: ``rows`` (dicts, most significant first), ``summary`` (``m``, the family's size;
    ``evaluated``; ``collapsed``; significant above and below; ``productive``; ``correction``; ``depth``;
    ``min_n``; ``reason`` when empty), ``overall``; ``to_pandas()``, ``to_polars()``, ``plot()``.

    Examples
    --------
    >>> import cemscore
    >>> region = ["East", "West"] * 100
    >>> t = cemscore.discover({"region": region, "nps": [2, 10] * 100}, answer="nps", depth=1)
    >>> [r["slice"] for r in t.to_dicts()], t.summary["m"]
    (['region=East', 'region=West'], 2)
    """

    def __init__(self, result: Dict[str, Any]):
        self._result = result
        self.summary: Dict[str, Any] = result["summary"]
        self.overall: Dict[str, Any] = result["overall"]
        self.attributes: List[str] = result["attributes"]
        self.metric: Any = result["metric"]

    def to_dicts(self) -> List[Dict[str, Any]]:
        rows: List[Dict[str, Any]] = self._result["rows"]
        return rows

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame indexed by ``slice``; ``attrs`` hold the summary and overall."""
        import pandas as pd

        df = pd.DataFrame(self.to_dicts(), columns=_COLUMNS).set_index("slice")
        df.attrs.update(summary=self.summary, overall=self.overall, attributes=self.attributes)
        return df

    def to_polars(self) -> Any:
        """The rows as a polars DataFrame (``conditions`` as text, ``slice`` first)."""
        import polars as pl

        rows = [{**r, "conditions": r["slice"]} for r in self.to_dicts()]
        return pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame(schema=_COLUMNS)

    def plot(self, ax: Any = None, limit: int = 20) -> Any:
        """A forest plot of the first ``limit`` slices; see `plot_discovery`."""
        return plot_discovery(self, ax=ax, limit=limit)

    def __repr__(self) -> str:
        s = self.summary
        return (f"DiscoveryTable({len(self.to_dicts())} slices shown of m = {s['m']} tested, "
                f"{s['significantly_above']} above, {s['significantly_below']} below, {s['productive']} productive)")

    def _repr_html_(self) -> str:
        try:
            html: str = self.to_pandas()._repr_html_()
            return html
        except ImportError:
            return repr(self)


_COLUMNS = ["slice", "conditions", "depth", "n", "effective_n", "share", "value", "lower", "upper", "rest_value",
            "difference", "difference_lower", "difference_upper", "statistic", "p_value", "adjusted_p_value",
            "significant", "side", "impact", "productive", "explained_by", "rank"]


def plot_discovery(result: Any, ax: Any = None, limit: int = 20) -> Any:
    """A forest plot of a discovery: each slice's difference from its rest with its interval, most
    significant on top; filled markers are significant, ringed ones productive. Needs matplotlib.

    Parameters
    ----------
    result : DiscoveryTable, pandas.DataFrame or polars.DataFrame
        What `discover` returned.
    ax : matplotlib Axes, optional
        Where to draw (default: a new figure sized to the slices).
    limit : int
        The first ``limit`` slices by rank (default 20).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ImportError
        Without matplotlib.

    Examples
    --------
    >>> import cemscore, matplotlib
    >>> matplotlib.use("Agg")
    >>> t = cemscore.discover({"region": ["East", "West"] * 100, "nps": [2, 10] * 100}, answer="nps", depth=1)
    >>> len(cemscore.plot_discovery(t).get_yticklabels())
    2
    """
    import matplotlib.pyplot as plt

    if isinstance(result, DiscoveryTable):
        rows = result.to_dicts()
    elif hasattr(result, "to_dicts"):  # polars
        rows = result.to_dicts()
    else:  # pandas
        rows = result.reset_index().to_dict("records")
    rows = rows[:limit][::-1]
    ax = ax if ax is not None else plt.subplots(figsize=(8, 0.35 * len(rows) + 1.2))[1]
    y = list(range(len(rows)))
    for i, r in zip(y, rows):
        color = "#c0392b" if r["side"] == "below" else "#2471a3"
        ax.plot([r["difference_lower"], r["difference_upper"]], [i, i], color=color, lw=1.5)
        ax.plot([r["difference"]], [i], "o", color=color, mfc=color if r["significant"] else "white",
                mec="black" if r["productive"] else color, ms=7)
    ax.axvline(0, color="grey", lw=0.8, ls="--")
    ax.set_yticks(y, [r["slice"] for r in rows])
    ax.set_xlabel("difference from the rest")
    ax.set_title("Slices against their rest (filled: significant; ringed: productive)")
    return ax


def discover(data: Any, *, answer: str, attributes: Optional[Sequence[str]] = None, metric: Optional[MetricKind] = None,
             depth: Optional[int] = None, min_n: Optional[int] = None, correction: Optional[Correction] = None,
             alpha: Optional[float] = None, weights: Optional[str] = None, count: Optional[str] = None,
             weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None, missing: Optional[Missing] = None,
             show: Optional[Show] = None, limit: Optional[int] = None, permutations: Optional[int] = None,
             seed: Optional[int] = None, max_values: Optional[int] = None, other: Optional[bool] = None,
             test: Optional[Test] = None, alternative: Optional[Alternative] = None, level: Optional[float] = None,
             method: Optional[Method] = None, scale: Optional[Tuple[int, int]] = None, threshold: Optional[int] = None,
             version: Optional[int] = None, top: Optional[int] = None, bottom: Optional[int] = None) -> Any:
    """Data-driven segments: every slice — a conjunction of ``attribute=value`` conditions, one value per
    attribute, up to ``depth`` (default 2, at most 4) — whose slice and rest both hold ``min_n`` answers
    (default 30) is tested against its rest with the benchmark's test for the metric; that set is the
    family (its size ``m`` is fixed before any score is read), and the p-values are adjusted over it: Holm
    by default (``correction``: ``bonferroni``, ``benjamini_hochberg``, ``benjamini_yekutieli``), or the
    seeded Westfall–Young permutation bound (``permutations=B``, unweighted data). A significant slice is
    ``productive`` when it also differs, the same way, from the rest of each parent; otherwise
    ``explained_by`` names the parent.

    Parameters
    ----------
    data : pandas.DataFrame, polars.DataFrame or mapping of column → array
        One row per answer, or a counts cube (``count`` names its count column: an engine's
        ``GROUP BY attributes…, answer``, with ``weight_sum`` and ``weight_sq_sum`` when weighted).
    answer : str
        The answer column.
    attributes : sequence of str, optional
        The attribute columns (default: every other column). Texts, numbers or categoricals; an attribute
        with more than ``max_values`` (50) values is refused unless ``other=True`` folds the rarest.
    weights : str, optional
        A weight column (rows only).
    metric, depth, min_n, correction, alpha, missing, show, limit, permutations, seed, test, alternative, level,
    method, scale, threshold, version, top, bottom
        As in `benchmark`; ``show`` is ``significant`` (default), ``productive`` or ``all``; ``limit`` cuts
        the table by rank.

    Returns
    -------
    pandas.DataFrame, polars.DataFrame or DiscoveryTable
        One row per slice shown, most significant first: ``slice``, ``conditions``, ``depth``, ``n``,
        ``effective_n``, ``share``, ``value``, ``lower``, ``upper``, ``rest_value``, ``difference`` with
        its interval, ``statistic``, ``p_value``, ``adjusted_p_value``, ``significant``, ``side``,
        ``impact``, ``productive``, ``explained_by``, ``rank``. pandas: ``attrs["summary"]`` and
        ``attrs["overall"]``. Draw it with `plot_discovery`.

    Raises
    ------
    CemError
        ``invalid_parameter`` for a column that is not there, a depth outside 1–4, too large a search, an
        attribute with too many values, an option not read; the answers' errors as in `nps`. A missing
        attribute value is the value ``"(missing)"`` unless ``missing="skip"`` leaves its row out.

    Examples
    --------
    >>> import pandas as pd, cemscore
    >>> rows = [("East" if i % 2 else "West", "phone" if i % 4 < 2 else "web") for i in range(400)]
    >>> df = pd.DataFrame(rows, columns=["region", "channel"])
    >>> df["nps"] = [2 if (r, c) == ("East", "phone") else 9 + i % 2 for i, (r, c) in enumerate(rows)]
    >>> t = cemscore.discover(df, answer="nps")
    >>> t.index[0], bool(t["productive"].iloc[0]), t.attrs["summary"]["m"]
    ('region=East & channel=phone', True, 8)
    """
    if _engines.is_lazy(data):  # its engine groups by the attributes and the answer: a counts cube comes back
        data, count, weight_sum, weight_sq_sum = _cube(data, answer, attributes, weights)
        weights = None
    options = given(answer=answer, attributes=list(attributes) if attributes is not None else None,
                       metric=metric, depth=depth, min_n=min_n, correction=correction, alpha=alpha, weight=weights,
                       count=count, weight_sum=weight_sum, weight_sq_sum=weight_sq_sum, missing=missing, show=show,
                       limit=limit, permutations=permutations, seed=seed, max_values=max_values, other=other,
                       test=test, alternative=alternative, level=level, method=method,
                       scale=list(scale) if scale is not None else None, threshold=threshold, version=version,
                       top=top, bottom=bottom)
    present = _names(data)
    numeric = [answer, weights, count, weight_sum, weight_sq_sum]
    wanted = present if attributes is None else [*[n for n in numeric if n], *attributes]
    for option, name in [("answer", answer), ("weight", weights), ("count", count), ("weight_sum", weight_sum),
                         ("weight_sq_sum", weight_sq_sum), *[("attributes", a) for a in attributes or []]]:
        if name is not None and name not in present:
            _cemscore.find_column(option, name, present)
    out: Dict[str, List[Any]] = {"numbers": [], "texts": [], "categoricals": []}
    order = list(dict.fromkeys(wanted))
    for name in order:
        _sort(data, name, name in numeric, out)
    result = DiscoveryTable(_cemscore.discover(order, out["numbers"], out["texts"], out["categoricals"], options))
    module = type(data).__module__.split(".")[0]
    if module == "pandas":
        return result.to_pandas()
    if module == "polars":
        return result.to_polars()
    return result
