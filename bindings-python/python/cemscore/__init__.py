"""cemscore: Net Promoter Score, CSAT and Customer Effort Score with honest intervals, tests and segment
benchmarking, computed by the Rust core ``cem-core``.

This pure-Python layer adds only ecosystem glue: it reads pandas, polars, pyarrow, lists and ranges as
numpy arrays (without copying wherever those libraries allow), collects keyword options into the one
options dict the core reads (strictly: a key a call does not read is an error), and builds DataFrames.
Every formula, default and validation is in the core; an option left as ``None`` means the core's
documented default. The names each option accepts are ``Literal`` types in ``cemscore.vocabulary``.

>>> import cemscore
>>> e = cemscore.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 2])
>>> round(e.value)
20
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cemscore
from ._cemscore import (
    Benchmark,
    CemError,
    Comparison,
    Estimate,
    Interval,
    mean_responses_needed,
    nps_detectable_difference,
    nps_responses_needed,
    proportion_detectable_difference,
    proportion_responses_needed,
)
from .vocabulary import Alternative, Correction, Method, MetricKind, Missing, Test

__all__ = [
    "CemError", "Estimate", "Interval", "Comparison", "Tally", "SegmentTally", "BenchmarkTable",
    "nps", "nps_from_counts", "csat", "ces", "top_box", "bottom_box", "net_box", "mean",
    "compare", "compare_to", "adjust_pvalues", "benchmark", "trend",
    "nps_responses_needed", "proportion_responses_needed", "mean_responses_needed",
    "nps_detectable_difference", "proportion_detectable_difference",
    "drivers", "DriverTally",
]


def _options(**options: Any) -> Dict[str, Any]:
    """The options given (``None`` means the core's default)."""
    return {k: v for k, v in options.items() if v is not None}


def _as_array(values: Any) -> np.ndarray:
    """A 1-d numpy array viewing ``values`` (numpy, pandas, polars, pyarrow, lists, ranges)."""
    if isinstance(values, np.ndarray):
        return values
    module = type(values).__module__.split(".")[0]
    if module == "pandas":
        values = values.to_numpy()
        if values.dtype == object:  # nullable integers with <NA>, or mixed objects: NaN marks missing
            values = np.asarray([np.nan if v is None or v is _pd_na() else v for v in values], dtype=float)
        return values
    if module == "polars":
        return values.to_numpy()  # a view when there are no nulls; nulls become NaN
    if module == "pyarrow":
        return values.to_numpy(zero_copy_only=False)
    if isinstance(values, range):
        return np.arange(values.start, values.stop, values.step)
    arr = np.asarray(values)
    if arr.dtype == object:  # a list holding None
        arr = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    return arr


def _pd_na() -> Any:
    import pandas as pd

    return pd.NA


def _as_weights(weights: Any) -> Optional[np.ndarray]:
    if weights is None:
        return None
    return np.ascontiguousarray(_as_array(weights), dtype=np.float64)


def _data(answers: Any) -> Any:
    return answers if isinstance(answers, _cemscore.Tally) else _as_array(answers)


def _estimate(kind: str, answers: Any, weights: Any, **options: Any) -> Estimate:
    return _cemscore.estimate(_data(answers), kind, _as_weights(weights), _options(**options))


def nps(answers: Any, *, weights: Any = None, level: Optional[float] = None, method: Optional[Method] = None,
        missing: Optional[Missing] = None, resamples: Optional[int] = None, seed: Optional[int] = None,
        prior: Optional[Sequence[float]] = None) -> Estimate:
    """Net Promoter Score of 0–10 answers (or of a ``Tally``): % promoters (9–10) − % detractors (0–6).

    Defaults (the core's): ``level=0.95``, ``method="adjusted_wald"``, ``missing="error"``.
    Methods: wald, adjusted_wald, adjusted_wald_z2, score, trinomial_t, bootstrap, bayes.
    """
    return _estimate("nps", answers, weights, level=level, method=method, missing=missing,
                     resamples=resamples, seed=seed, prior=prior)


def nps_from_counts(*, detractors: int, passives: int, promoters: int, level: Optional[float] = None,
                    method: Optional[Method] = None, resamples: Optional[int] = None, seed: Optional[int] = None,
                    prior: Optional[Sequence[float]] = None) -> Estimate:
    """NPS from group counts aggregated elsewhere (whole numbers ≥ 0; 2.5 or −1 is a ``CemError``)."""
    counts = {"detractors": detractors, "passives": passives, "promoters": promoters}
    return _cemscore.nps_from_counts(counts, _options(level=level, method=method, resamples=resamples, seed=seed,
                                                      prior=prior))


def csat(answers: Any, *, scale: Optional[Tuple[int, int]] = None, threshold: Optional[int] = None,
         weights: Any = None, level: Optional[float] = None, method: Optional[Method] = None,
         missing: Optional[Missing] = None) -> Estimate:
    """CSAT: % of answers at or above ``threshold`` (default: top-2-box, 4–5 on the default 1–5 scale).

    Methods: wilson (default), wald, agresti_coull, clopper_pearson, jeffreys.
    """
    return _estimate("csat", answers, weights, scale=scale, threshold=threshold, level=level, method=method,
                     missing=missing)


def ces(answers: Any, *, version: Optional[int] = None, weights: Any = None, level: Optional[float] = None,
        method: Optional[Method] = None, missing: Optional[Missing] = None, resamples: Optional[int] = None,
        seed: Optional[int] = None) -> Estimate:
    """Customer Effort Score: mean answer. Version 2 (default): 1–7, higher is easier; version 1: 1–5,
    lower is easier. The breakdown has ``easy_share``. Methods: t (default), bootstrap."""
    return _estimate("ces", answers, weights, version=version, level=level, method=method, missing=missing,
                     resamples=resamples, seed=seed)


def top_box(answers: Any, *, threshold: int, scale: Optional[Tuple[int, int]] = None, weights: Any = None,
            level: Optional[float] = None, method: Optional[Method] = None, missing: Optional[Missing] = None) -> Estimate:
    """% of answers at or above ``threshold`` on ``scale``."""
    return _estimate("top_box", answers, weights, scale=scale, threshold=threshold, level=level, method=method,
                     missing=missing)


def bottom_box(answers: Any, *, threshold: int, scale: Optional[Tuple[int, int]] = None, weights: Any = None,
               level: Optional[float] = None, method: Optional[Method] = None,
               missing: Optional[Missing] = None) -> Estimate:
    """% of answers at or below ``threshold`` on ``scale``."""
    return _estimate("bottom_box", answers, weights, scale=scale, threshold=threshold, level=level,
                     method=method, missing=missing)


def net_box(answers: Any, *, top: int, bottom: int, scale: Optional[Tuple[int, int]] = None, weights: Any = None,
            level: Optional[float] = None, method: Optional[Method] = None, missing: Optional[Missing] = None,
            resamples: Optional[int] = None, seed: Optional[int] = None,
            prior: Optional[Sequence[float]] = None) -> Estimate:
    """% at or above ``top`` minus % at or below ``bottom``, in points (NPS generalised to any scale)."""
    return _estimate("net_box", answers, weights, scale=scale, top=top, bottom=bottom, level=level,
                     method=method, missing=missing, resamples=resamples, seed=seed, prior=prior)


def mean(answers: Any, *, scale: Optional[Tuple[int, int]] = None, weights: Any = None, level: Optional[float] = None,
         method: Optional[Method] = None, missing: Optional[Missing] = None, resamples: Optional[int] = None,
         seed: Optional[int] = None) -> Estimate:
    """Mean answer on ``scale``. Methods: t (default), bootstrap."""
    return _estimate("mean", answers, weights, scale=scale, level=level, method=method, missing=missing,
                     resamples=resamples, seed=seed)


def compare(a: Estimate, b: Estimate, *, test: Optional[Test] = None, level: Optional[float] = None,
            alternative: Optional[Alternative] = None) -> Comparison:
    """Compares two estimates of the same metric: ``a − b`` with interval, statistic and p-value.

    Default ``test``: NPS ``wald``; proportions ``score`` (Newcombe interval); means ``welch``; two-sided.
    """
    return _cemscore.compare(a, b, _options(test=test, level=level, alternative=alternative))


def compare_to(estimate: Estimate, value: float, *, value_se: Optional[float] = None, test: Optional[Test] = None,
               level: Optional[float] = None, alternative: Optional[Alternative] = None) -> Comparison:
    """Compares an estimate with a benchmark ``value`` (optionally with its own standard error ``value_se``)."""
    return _cemscore.compare_to(estimate, float(value),
                                _options(value_se=value_se, test=test, level=level, alternative=alternative))


def adjust_pvalues(pvalues: Iterable[float], correction: Optional[Correction] = None) -> List[float]:
    """Multiplicity-adjusted p-values (default Holm; also bonferroni, hochberg, benjamini_hochberg,
    benjamini_yekutieli, none; statsmodels' fdr_bh / fdr_by are accepted)."""
    return _cemscore.adjust_pvalues([float(p) for p in pvalues], _options(correction=correction))


class Tally(_cemscore.Tally):
    """Counts per scale point: the sufficient statistic for every metric. Mergeable and picklable, so
    partitions counted apart (Dask, Spark) combine exactly; ``cemscore.nps(tally)`` scores it."""

    def update(self, answers: Any, *, weights: Any = None, missing: Optional[Missing] = None) -> None:
        """Adds answers; on error nothing is added."""
        self._update(_as_array(answers), _as_weights(weights), _options(missing=missing))

    @classmethod
    def from_answers(cls, answers: Any, *, scale: Tuple[int, int], weights: Any = None,
                     missing: Optional[Missing] = None) -> "Tally":
        t = cls(scale)
        t.update(answers, weights=weights, missing=missing)
        return t

    @classmethod
    def from_counts(cls, counts: Sequence[int], *, scale: Tuple[int, int]) -> "Tally":
        """From counts per point, lowest point first."""
        t = cls(scale)
        t.merge(_cemscore.Tally._from_counts(list(counts), tuple(scale)))
        return t

    @classmethod
    def from_nps_counts(cls, *, detractors: int, passives: int, promoters: int) -> "Tally":
        """An NPS tally from group counts aggregated elsewhere."""
        t = cls((0, 10))
        t.merge(_cemscore.Tally._from_nps_counts([detractors, passives, promoters]))
        return t

    @classmethod
    def from_json(cls, text: str) -> "Tally":
        t = _cemscore.Tally._from_json(text)
        out = cls(t.scale)
        out.merge(t)
        return out


def _segment_codes(segments: Any) -> Tuple[np.ndarray, Optional[List[str]]]:
    """Integer codes and names for a segment column, reading categoricals' codes in place. Names are
    None for integer keys: the core names those by their decimal form (``SegmentTally::update_numbered``)."""
    module = type(segments).__module__.split(".")[0]
    if module == "pandas":
        import pandas as pd

        if isinstance(segments.dtype, pd.CategoricalDtype):
            return segments.cat.codes.to_numpy(), [str(c) for c in segments.cat.categories]
        codes, uniques = pd.factorize(segments, sort=True)
        return codes, [str(u) for u in uniques]
    if module == "polars":
        import polars as pl

        if isinstance(segments.dtype, pl.Enum):  # codes read in place
            return segments.to_physical().to_numpy(), [str(c) for c in segments.dtype.categories.to_list()]
        keys = segments.cast(pl.String)
        enum = pl.Enum(keys.unique().drop_nulls().sort())
        # A null key becomes code -1, a missing key, which the core refuses naming its row.
        codes = keys.cast(enum).to_physical().cast(pl.Int64).fill_null(-1)
        return codes.to_numpy(), [str(c) for c in enum.categories.to_list()]
    arr = segments if isinstance(segments, np.ndarray) else np.asarray(
        segments.to_numpy(zero_copy_only=False) if module == "pyarrow" else list(segments), dtype=object
    )
    if arr.dtype == object and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in arr):
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        return arr, None
    # None and NaN are missing keys: code -1, which the core refuses naming the row. Only float and
    # object arrays can hold them, so string arrays skip the per-element scan.
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    elif arr.dtype == object:
        missing = np.array([v is None or (isinstance(v, float) and v != v) for v in arr.tolist()], dtype=bool)
    else:
        missing = np.zeros(arr.shape[0], dtype=bool)
    codes = np.full(arr.shape[0], -1, dtype=np.int64)
    uniques, present = np.unique(arr[~missing].astype(str), return_inverse=True)
    codes[~missing] = present.reshape(-1)
    return codes, [str(u) for u in uniques]


class SegmentTally(_cemscore.SegmentTally):
    """Tallies per segment (region, channel, touchpoint, month…): mergeable and picklable."""

    def update(self, segments: Any, answers: Any, *, weights: Any = None, missing: Optional[Missing] = None) -> None:
        """Adds rows; ``segments`` may be strings, integers, or a pandas/polars categorical."""
        codes, names = _segment_codes(segments)
        self._update(codes, names, _as_array(answers), _as_weights(weights), _options(missing=missing))

    @classmethod
    def from_counts(cls, counts: Dict[str, Sequence[int]], *, scale: Tuple[int, int]) -> "SegmentTally":
        """From ``{key: counts per point}`` aggregated elsewhere."""
        keys = list(counts)
        out = cls(scale)
        out.merge(_cemscore.SegmentTally._from_counts(keys, [list(counts[k]) for k in keys], tuple(scale)))
        return out


class BenchmarkTable:
    """A segment benchmark: ``rows`` (dicts), ``summary``, ``overall``; ``to_pandas()``, ``to_polars()``,
    ``to_dicts()``."""

    def __init__(self, result: Benchmark):
        self._result = result
        self.summary: Dict[str, int] = result.summary
        self.overall: Estimate = result.overall

    def to_dicts(self) -> List[Dict[str, Any]]:
        return self._result.rows

    def to_pandas(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_dicts()).set_index("key")

    def to_polars(self) -> Any:
        import polars as pl

        return pl.DataFrame(self.to_dicts(), infer_schema_length=None)

    def to_json(self) -> str:
        return self._result.to_json()

    def __repr__(self) -> str:
        s = self.summary
        return (f"BenchmarkTable({s['segments']} segments, {s['tested']} tested, "
                f"{s['significantly_above']} above, {s['significantly_below']} below, {s['low_n']} low n)")

    def _repr_html_(self) -> str:
        try:
            return self.to_pandas()._repr_html_()
        except ImportError:
            return repr(self)


def benchmark(df: Any = None, *, answer: Optional[str] = None, segment: Optional[str] = None,
              segments: Any = None, answers: Any = None, weights: Any = None, metric: Optional[MetricKind] = None,
              against: Union[str, Dict[str, Any], None] = None, method: Optional[Method] = None,
              test: Optional[Test] = None, correction: Optional[Correction] = None, alpha: Optional[float] = None,
              min_n: Optional[int] = None, level: Optional[float] = None, alternative: Optional[Alternative] = None,
              scale: Optional[Tuple[int, int]] = None, threshold: Optional[int] = None,
              version: Optional[int] = None, order: Optional[Sequence[str]] = None,
              missing: Optional[Missing] = None) -> Any:
    """Benchmarks every segment: estimate, comparison with the reference, Holm-adjusted p-values, flags
    and ranks. Give a DataFrame with ``answer`` and ``segment`` column names, or ``segments`` and
    ``answers`` arrays, or a ``SegmentTally`` as ``segments``.

    Returns a pandas DataFrame for pandas input, a polars DataFrame for polars input, otherwise a
    ``BenchmarkTable``. Defaults (the core's): ``metric="nps"``, ``against="rest"``, ``correction="holm"``,
    ``alpha=0.05``, ``min_n=30``.
    """
    if df is not None:
        if answer is None or segment is None:
            raise TypeError("with a DataFrame, name the answer= and segment= columns")
        segments, answers = df[segment], df[answer]
        if isinstance(weights, str):
            weights = df[weights]
    options = _options(metric=metric, scale=scale, threshold=threshold, version=version, against=against,
                       method=method, test=test, correction=correction, alpha=alpha, min_n=min_n, level=level,
                       alternative=alternative, order=list(order) if order is not None else None)
    if isinstance(segments, _cemscore.SegmentTally):
        result = BenchmarkTable(_cemscore.benchmark(segments, {**options, **_options(missing=missing)}))
    else:
        if segments is None or answers is None:
            raise TypeError("give a DataFrame with answer= and segment=, or segments= and answers=")
        codes, names = _segment_codes(segments)
        result = BenchmarkTable(_cemscore.benchmark_rows(codes, names, _as_array(answers), _as_weights(weights),
                                                         {**options, **_options(missing=missing)}))
    module = type(df if df is not None else segments).__module__.split(".")[0]
    if module == "pandas":
        return result.to_pandas()
    if module == "polars":
        return result.to_polars()
    return result


def trend(df: Any = None, *, period: Optional[str] = None, **kwargs: Any) -> Any:
    """The table over ordered periods (sorted keys, e.g. ``2025-01``): each period against the previous."""
    return benchmark(df, segment=period, against="previous", **kwargs)


from ._drivers import DriverTally, drivers  # noqa: E402  (key driver analysis; uses _as_array above)
