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

import importlib.metadata
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union, cast, overload

import numpy as np

from . import _cemscore
from . import engines as _engines
from ._cemscore import (
    Benchmark,
    CemError,
    Comparison,
    Estimate,
    Interval,
)
from .records import (
    AgainstRecord,
    BenchmarkOptions,
    BenchmarkRow,
    BenchmarkSummary,
    Breakdown,
    ComparisonDict,
    EstimateDict,
    TrendOptions,
    TrendRow,
    TrendSummary,
)
from .vocabulary import Alternative, Correction, Every, Method, MetricKind, Missing, Test

if TYPE_CHECKING:  # for annotations only: neither is a dependency, nor imported unless a call needs it
    import pandas as pd
    import polars as pl
    from typing_extensions import Unpack

#: The installed version: the workspace's one version (``[workspace.package]`` in Cargo.toml).
__version__: str = importlib.metadata.version("cemscore")

__all__ = [
    "CemError", "Estimate", "Interval", "Comparison", "Tally", "SegmentTally", "BenchmarkTable", "TrendTable",
    "nps", "nps_from_counts", "csat", "ces", "top_box", "bottom_box", "net_box", "mean",
    "compare", "compare_to", "adjust_pvalues", "benchmark", "trend",
    "nps_responses_needed", "proportion_responses_needed", "mean_responses_needed",
    "nps_detectable_difference", "proportion_detectable_difference",
    "Breakdown", "EstimateDict", "ComparisonDict", "BenchmarkRow", "BenchmarkSummary", "AgainstRecord",
    "BenchmarkOptions", "TrendOptions", "TrendRow", "TrendSummary",
    "classify", "Categories",
    "drivers", "DriverTally",
    "rake", "rake_cells", "Raking", "CellFactors",
    "benchmark_from_counts_table", "trend_from_counts_table", "estimate_from_counts_table",
]


def _options(**options: Any) -> Dict[str, Any]:
    """The options given (``None`` means the core's default)."""
    return {k: v for k, v in options.items() if v is not None}


def _as_array(values: Any) -> np.ndarray:
    """A 1-d numpy array viewing ``values`` (numpy, pandas, polars, pyarrow, lists, ranges), by one rule:

    - integer and float dtypes are read in place (float16 is widened to float32, exactly);
    - text and object values (a CSV read as text, a pandas string column, a list holding None) are read
      one by one by the core's rule for text (``cem_core::answer_from_text``): the text trimmed, blank or
      None or NaN is missing, otherwise it must be a number (``"9"`` reads as 9), else ``CemError``
      ``not_a_number`` with ``.index`` and ``.value`` (the text);
    - any other dtype (bool, datetime64, …) is ``CemError`` ``unsupported_answers`` naming the dtype.
    """
    arr: np.ndarray  # what the libraries' (untyped here) to_numpy returns
    module = type(values).__module__.split(".")[0]
    if isinstance(values, np.ndarray):
        arr = values
    elif module in ("pandas", "polars"):
        arr = values.to_numpy()  # polars: a view when there are no nulls; nulls become NaN
    elif module == "pyarrow":
        arr = values.to_numpy(zero_copy_only=False)
    elif isinstance(values, range):
        return np.arange(values.start, values.stop, values.step)
    else:
        arr = np.asarray(values)
    if arr.dtype == np.float16:
        return arr.astype(np.float32)
    if arr.dtype.kind in "OUS":
        na = _pd_na() if module == "pandas" or arr.dtype.kind == "O" and _pandas_loaded() else None
        items = [None if v is na else v for v in arr.tolist()]
        return np.asarray(_cemscore.read_answers(items), dtype=np.float64)
    return arr


def _column(df: Any, option: str, name: Any) -> Any:
    """The column ``name`` of a pandas or polars DataFrame, or the core's ``CemError`` naming the option,
    the column asked for and the columns there are."""
    columns = list(df.columns)
    if name not in columns:
        _cemscore.find_column(option, str(name), [str(c) for c in columns])
    return df[name]


def _pandas_loaded() -> bool:
    import sys

    return "pandas" in sys.modules


def _pd_na() -> Any:
    import pandas as pd

    return pd.NA


def _as_weights(weights: Any) -> Optional[np.ndarray]:
    if weights is None:
        return None
    return np.ascontiguousarray(_as_array(weights), dtype=np.float64)


def _data(answers: Any) -> Any:
    return answers if isinstance(answers, _cemscore.Tally) else _as_array(answers)


def _estimate(kind: MetricKind, answers: Any, weights: Any, **options: Any) -> Estimate:
    if _engines.is_lazy(answers):  # a lazy or distributed frame: its engine counts (cemscore.engines)
        return _engines.estimate_lazy(answers, kind, weights=weights, options=_options(**options))
    return _cemscore.estimate(_data(answers), kind, _as_weights(weights), _options(**options))


def nps(answers: Any, *, weights: Any = None, level: Optional[float] = None, method: Optional[Method] = None,
        missing: Optional[Missing] = None, resamples: Optional[int] = None, seed: Optional[int] = None,
        prior: Optional[Sequence[float]] = None) -> Estimate:
    """Net Promoter Score of 0–10 answers: % promoters (9–10) − % detractors (0–6), in points −100..100.

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method: ``adjusted_wald`` (default), ``wald``, ``adjusted_wald_z2``, ``score``,
        ``trinomial_t``, ``bootstrap``, ``bayes``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.
    resamples : int, optional
        Bootstrap resamples (``method="bootstrap"``); default 2000.
    seed : int, optional
        Bootstrap seed, reproducible across languages; default 0.
    prior : sequence of 3 floats, optional
        Dirichlet prior of ``method="bayes"``; default (1, 1, 1).

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 2])
    Estimate(nps=20.00, 95% CI [-30.33, 61.10] adjusted_wald, n=10)
    >>> cemscore.nps(["10", "9", "", "3"], missing="skip").skipped
    1
    """
    return _estimate("nps", answers, weights, level=level, method=method, missing=missing,
                     resamples=resamples, seed=seed, prior=prior)


def nps_from_counts(*, detractors: int, passives: int, promoters: int, level: Optional[float] = None,
                    method: Optional[Method] = None, resamples: Optional[int] = None, seed: Optional[int] = None,
                    prior: Optional[Sequence[float]] = None) -> Estimate:
    """NPS from group counts aggregated elsewhere (a warehouse, a GROUP BY).

    Parameters
    ----------
    detractors, passives, promoters : int
        Counts of answers 0–6, 7–8 and 9–10: whole numbers ≥ 0 (2.5 or −1 is a ``CemError``).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method, as in `nps`; default ``adjusted_wald``.
    resamples : int, optional
        Bootstrap resamples (``method="bootstrap"``); default 2000.
    seed : int, optional
        Bootstrap seed, reproducible across languages; default 0.
    prior : sequence of 3 floats, optional
        Dirichlet prior of ``method="bayes"``; default (1, 1, 1).

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.nps_from_counts(detractors=20, passives=30, promoters=50)
    Estimate(nps=30.00, 95% CI [14.05, 44.20] adjusted_wald, n=100)
    """
    counts = {"detractors": detractors, "passives": passives, "promoters": promoters}
    return _cemscore.nps_from_counts(counts, _options(level=level, method=method, resamples=resamples, seed=seed,
                                                      prior=prior))


def csat(answers: Any, *, scale: Optional[Tuple[int, int]] = None, threshold: Optional[int] = None,
         weights: Any = None, level: Optional[float] = None, method: Optional[Method] = None,
         missing: Optional[Missing] = None) -> Estimate:
    """CSAT: % of answers at or above ``threshold`` (default top-2-box: 4–5 on the default 1–5 scale).

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    scale : (int, int), optional
        Lowest and highest answer, inclusive. Default (1, 5).
    threshold : int, optional
        Lowest satisfied answer, on the scale; default the scale's top two points.
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method: ``wilson`` (default), ``wald``, ``agresti_coull``, ``clopper_pearson``,
        ``jeffreys``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.csat([5, 4, 3, 5, 2, 4, 5, 1])
    Estimate(csat=62.50, 95% CI [30.57, 86.32] wilson, n=8)
    """
    return _estimate("csat", answers, weights, scale=scale, threshold=threshold, level=level, method=method,
                     missing=missing)


def ces(answers: Any, *, version: Optional[int] = None, weights: Any = None, level: Optional[float] = None,
        method: Optional[Method] = None, missing: Optional[Missing] = None, resamples: Optional[int] = None,
        seed: Optional[int] = None) -> Estimate:
    """Customer Effort Score: the mean answer, in scale units.

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    version : {2, 1}, optional
        CES 2.0 (default): 1–7, higher is easier; CES 1.0: 1–5, lower is easier. The breakdown has
        ``easy_share`` (percent).
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method: ``t`` (default) or ``bootstrap``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.
    resamples : int, optional
        Bootstrap resamples (``method="bootstrap"``); default 2000.
    seed : int, optional
        Bootstrap seed, reproducible across languages; default 0.

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.ces([7, 6, 5, 3, 6, 7])
    Estimate(ces=5.67, 95% CI [4.09, 7.00] t, n=6)
    """
    return _estimate("ces", answers, weights, version=version, level=level, method=method, missing=missing,
                     resamples=resamples, seed=seed)


def top_box(answers: Any, *, threshold: int, scale: Optional[Tuple[int, int]] = None, weights: Any = None,
            level: Optional[float] = None, method: Optional[Method] = None,
            missing: Optional[Missing] = None) -> Estimate:
    """Top-box share: % of answers at or above ``threshold`` on ``scale``.

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    threshold : int
        Lowest answer in the box, on the scale.
    scale : (int, int), optional
        Lowest and highest answer, inclusive. Default (1, 5).
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method, as in `csat`; default ``wilson``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.top_box([7, 6, 5, 3, 6, 7], threshold=6, scale=(1, 7))
    Estimate(top_box=66.67, 95% CI [30.00, 90.32] wilson, n=6)
    """
    return _estimate("top_box", answers, weights, scale=scale, threshold=threshold, level=level, method=method,
                     missing=missing)


def bottom_box(answers: Any, *, threshold: int, scale: Optional[Tuple[int, int]] = None, weights: Any = None,
               level: Optional[float] = None, method: Optional[Method] = None,
               missing: Optional[Missing] = None) -> Estimate:
    """Bottom-box share: % of answers at or below ``threshold`` on ``scale``.

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    threshold : int
        Highest answer in the box, on the scale.
    scale : (int, int), optional
        Lowest and highest answer, inclusive. Default (1, 5).
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method, as in `csat`; default ``wilson``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.bottom_box([7, 6, 5, 3, 6, 7], threshold=3, scale=(1, 7))
    Estimate(bottom_box=16.67, 95% CI [3.01, 56.35] wilson, n=6)
    """
    return _estimate("bottom_box", answers, weights, scale=scale, threshold=threshold, level=level,
                     method=method, missing=missing)


def net_box(answers: Any, *, top: int, bottom: int, scale: Optional[Tuple[int, int]] = None, weights: Any = None,
            level: Optional[float] = None, method: Optional[Method] = None, missing: Optional[Missing] = None,
            resamples: Optional[int] = None, seed: Optional[int] = None,
            prior: Optional[Sequence[float]] = None) -> Estimate:
    """Net box: % at or above ``top`` minus % at or below ``bottom``, in points (NPS on any scale).

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    top : int
        Lowest answer of the top box.
    bottom : int
        Highest answer of the bottom box.
    scale : (int, int), optional
        Lowest and highest answer, inclusive. Default (1, 5).
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method, as in `nps`; default ``adjusted_wald``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.
    resamples : int, optional
        Bootstrap resamples (``method="bootstrap"``); default 2000.
    seed : int, optional
        Bootstrap seed, reproducible across languages; default 0.
    prior : sequence of 3 floats, optional
        Dirichlet prior of ``method="bayes"``; default (1, 1, 1).

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.net_box([7, 6, 5, 3, 6, 7], top=6, bottom=3, scale=(1, 7))
    Estimate(net_box=50.00, 95% CI [-17.74, 84.41] adjusted_wald, n=6)
    """
    return _estimate("net_box", answers, weights, scale=scale, top=top, bottom=bottom, level=level,
                     method=method, missing=missing, resamples=resamples, seed=seed, prior=prior)


def mean(answers: Any, *, scale: Optional[Tuple[int, int]] = None, weights: Any = None, level: Optional[float] = None,
         method: Optional[Method] = None, missing: Optional[Missing] = None, resamples: Optional[int] = None,
         seed: Optional[int] = None) -> Estimate:
    """Mean answer on ``scale``, in scale units.

    Parameters
    ----------
    answers : array_like or Tally
        One answer per response: a numpy array of any integer or float dtype (read in place), a pandas,
        polars or pyarrow column, a list or range, or text holding numbers (``"9"``); None, NaN or a blank
        text is a missing answer. A ``Tally`` instead of answers scores its counts.
    scale : (int, int), optional
        Lowest and highest answer, inclusive. Default (1, 5).
    weights : array_like, optional
        One non-negative weight per answer (survey weights; only their ratios matter).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    method : str, optional
        Interval method: ``t`` (default) or ``bootstrap``.
    missing : {"error", "skip"}, optional
        What a missing answer does: ``"error"`` (default) raises; ``"skip"`` leaves it out and counts it in
        ``Estimate.skipped``.
    resamples : int, optional
        Bootstrap resamples (``method="bootstrap"``); default 2000.
    seed : int, optional
        Bootstrap seed, reproducible across languages; default 0.

    Returns
    -------
    Estimate
        ``value``, ``n``, ``effective_n``, ``skipped``, ``standard_error``, ``interval`` (lower, upper,
        level, method) and ``breakdown``; ``to_dict()`` / ``to_json()`` give the core's JSON.

    Raises
    ------
    CemError
        With ``.code``, ``.index`` and ``.value``: ``out_of_range`` (an answer off the scale),
        ``not_an_integer`` (6.5), ``not_a_number`` (text that is not a number), ``missing_value``,
        ``invalid_weight``, ``length_mismatch``, ``empty``, ``unsupported_answers`` (booleans, datetimes),
        ``invalid_parameter`` (a level outside (0, 1), an unknown method).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.mean([4, 5, 3, 5, 4], scale=(1, 5))
    Estimate(mean=4.20, 95% CI [3.16, 5.00] t, n=5)
    """
    return _estimate("mean", answers, weights, scale=scale, level=level, method=method, missing=missing,
                     resamples=resamples, seed=seed)


def compare(a: Estimate, b: Estimate, *, test: Optional[Test] = None, level: Optional[float] = None,
            alternative: Optional[Alternative] = None) -> Comparison:
    """Compares two estimates of the same metric: ``a − b`` with its interval, statistic and p-value.

    Parameters
    ----------
    a, b : Estimate
        Two estimates of the same metric from independent samples.
    test : str, optional
        NPS ``wald`` (default) or ``adjusted_wald``; proportions ``score`` (default, Newcombe interval) or
        ``agresti_caffo``; means ``welch`` (default).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    alternative : {"two-sided", "greater", "less"}, optional
        Default ``"two-sided"``.

    Returns
    -------
    Comparison
        ``difference`` (in the metric's unit: points, percentage points, scale units), its ``interval``,
        ``statistic``, ``pvalue`` and the test used.

    Raises
    ------
    CemError
        ``incompatible`` for different metrics or scales, ``too_few`` (a mean of one answer),
        ``invalid_parameter``.

    Examples
    --------
    >>> import cemscore
    >>> now, before = cemscore.nps([10] * 60 + [3] * 40), cemscore.nps([10] * 40 + [3] * 60)
    >>> cemscore.compare(now, before)
    Comparison(difference=40.00, 95% CI [12.84, 67.16], statistic=2.887, pvalue=3.8924e-3, method='wald')
    """
    return _cemscore.compare(a, b, _options(test=test, level=level, alternative=alternative))


def compare_to(estimate: Estimate, value: float, *, value_se: Optional[float] = None, test: Optional[Test] = None,
               level: Optional[float] = None, alternative: Optional[Alternative] = None) -> Comparison:
    """Compares an estimate with a benchmark ``value`` (an industry figure, a target).

    Parameters
    ----------
    estimate : Estimate
        The estimate.
    value : float
        The benchmark, in the metric's unit (NPS points, percent, scale units).
    value_se : float, optional
        The benchmark's own standard error, in the same unit; default 0 (a known value).
    test : str, optional
        The test, as in `compare`.
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95.
    alternative : {"two-sided", "greater", "less"}, optional
        Default ``"two-sided"``.

    Returns
    -------
    Comparison
        ``difference`` (in the metric's unit: points, percentage points, scale units), its ``interval``,
        ``statistic``, ``pvalue`` and the test used.

    Raises
    ------
    CemError
        ``invalid_parameter`` for a non-finite value or a negative ``value_se``.

    Examples
    --------
    >>> import cemscore
    >>> cemscore.compare_to(cemscore.nps([10] * 60 + [3] * 40), 0)
    Comparison(difference=20.00, 95% CI [0.62, 38.22], statistic=2.024, pvalue=4.2942e-2, method='adjusted_wald')
    """
    return _cemscore.compare_to(estimate, float(value),
                                _options(value_se=value_se, test=test, level=level, alternative=alternative))


def adjust_pvalues(pvalues: Iterable[float], correction: Optional[Correction] = None) -> List[float]:
    """Multiplicity-adjusted p-values, as statsmodels ``multipletests``.

    Parameters
    ----------
    pvalues : iterable of float
        P-values, each in [0, 1].
    correction : str, optional
        ``holm`` (default), ``bonferroni``, ``hochberg``, ``benjamini_hochberg``, ``benjamini_yekutieli``,
        ``none``; statsmodels' ``fdr_bh`` / ``fdr_by`` are accepted.

    Returns
    -------
    list of float
        The adjusted p-values, in the order given.

    Raises
    ------
    CemError
        ``invalid_parameter`` for a p-value outside [0, 1] or an unknown correction.

    Examples
    --------
    >>> import cemscore
    >>> cemscore.adjust_pvalues([0.01, 0.04, 0.03])
    [0.03, 0.06, 0.06]
    """
    return _cemscore.adjust_pvalues([float(p) for p in pvalues], _options(correction=correction))


# Planning. Shares are percentages (40 means 40%), margins in the metric's unit; shares that all lie
# strictly between 0 and 1 look like fractions and the core refuses them. Defaults are the core's.

def nps_responses_needed(promoter_share: float, detractor_share: float, margin: float,
                         level: Optional[float] = None) -> int:
    """Responses needed for an NPS margin of error, n = z²V/E² − 3 (adjusted-Wald variance V).

    Parameters
    ----------
    promoter_share : float
        Expected share of promoters (9–10), in percent, 0–100 (40 means 40%).
    detractor_share : float
        Expected share of detractors (0–6), in percent, 0–100; with ``promoter_share`` at most 100.
    margin : float
        Wanted margin of error (half-width of the interval), in NPS points (NPS runs −100..100).
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95 (the core's).

    Returns
    -------
    int
        The number of responses, at least 1.

    Raises
    ------
    CemError
        ``invalid_parameter`` for a share outside 0–100, shares summing above 100, shares that all lie
        strictly between 0 and 1 (fractions where percentages are read: 0.4 for 40% is refused, not
        planned as 0.4%), a margin that is not positive, a level outside (0, 1).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.nps_responses_needed(promoter_share=50, detractor_share=20, margin=5)
    935
    >>> cemscore.nps_responses_needed(40, 20, 3, level=0.9)
    1681
    >>> cemscore.nps_responses_needed(0.4, 0.2, 3)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    cemscore.CemError: invalid promoter_share = 0.4: looks like a fraction: shares are percentages ...
    """
    return _cemscore.nps_responses_needed(promoter_share, detractor_share, margin, level)


def proportion_responses_needed(share: float, margin: float, level: Optional[float] = None) -> int:
    """Responses needed for a proportion's (CSAT %, box %) margin of error, n = z²p(1 − p)/E².

    Parameters
    ----------
    share : float
        Expected share, in percent, 0–100 (80 means 80%).
    margin : float
        Wanted margin of error, in percentage points.
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95 (the core's).

    Returns
    -------
    int
        The number of responses, at least 1.

    Raises
    ------
    CemError
        ``invalid_parameter`` for a share outside 0–100 or strictly between 0 and 1 (a fraction), a margin
        that is not positive, a level outside (0, 1).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.proportion_responses_needed(share=50, margin=5)
    385
    """
    return _cemscore.proportion_responses_needed(share, margin, level)


def mean_responses_needed(sd: float, margin: float, level: Optional[float] = None) -> int:
    """Responses needed for a mean's (CES, CSAT mean) margin of error, n = (zσ/E)².

    Parameters
    ----------
    sd : float
        Expected standard deviation of the answers, in scale units (e.g. 1.5 on a 1–7 scale).
    margin : float
        Wanted margin of error, in scale units.
    level : float, optional
        Confidence level, strictly between 0 and 1; default 0.95 (the core's).

    Returns
    -------
    int
        The number of responses, at least 1.

    Raises
    ------
    CemError
        ``invalid_parameter`` for an sd or margin that is not positive, a level outside (0, 1).

    Examples
    --------
    >>> import cemscore
    >>> cemscore.mean_responses_needed(sd=1.5, margin=0.1)
    865
    """
    return _cemscore.mean_responses_needed(sd, margin, level)


def nps_detectable_difference(n: float, promoter_share: float, detractor_share: float,
                              alpha: Optional[float] = None, power: Optional[float] = None) -> float:
    """Smallest NPS difference two groups of ``n`` responses each detect: (z₁₋α/₂ + z_power)·√(2V/n).

    Parameters
    ----------
    n : float
        Responses in each group.
    promoter_share : float
        Expected share of promoters, in percent, 0–100.
    detractor_share : float
        Expected share of detractors, in percent, 0–100.
    alpha : float, optional
        Significance level of the two-sided test; default 0.05 (the core's).
    power : float, optional
        Probability of detecting the difference; default 0.8 (the core's).

    Returns
    -------
    float
        The difference, in NPS points.

    Raises
    ------
    CemError
        ``invalid_parameter`` for an n that is not positive, shares as in `nps_responses_needed`, alpha or
        power outside (0, 1).

    Examples
    --------
    >>> import cemscore
    >>> round(cemscore.nps_detectable_difference(400, promoter_share=50, detractor_share=20), 2)
    15.47
    """
    return _cemscore.nps_detectable_difference(n, promoter_share, detractor_share, alpha, power)


def proportion_detectable_difference(n: float, share: float, alpha: Optional[float] = None,
                                     power: Optional[float] = None) -> float:
    """Smallest difference of proportions two groups of ``n`` each detect: (z₁₋α/₂ + z_power)·√(2p(1 − p)/n).

    Parameters
    ----------
    n : float
        Responses in each group.
    share : float
        Expected share, in percent, 0–100.
    alpha : float, optional
        Significance level of the two-sided test; default 0.05 (the core's).
    power : float, optional
        Probability of detecting the difference; default 0.8 (the core's).

    Returns
    -------
    float
        The difference, in percentage points.

    Raises
    ------
    CemError
        ``invalid_parameter`` for an n that is not positive, a share outside 0–100 or strictly between 0
        and 1 (a fraction), alpha or power outside (0, 1).

    Examples
    --------
    >>> import cemscore
    >>> round(cemscore.proportion_detectable_difference(400, share=80), 2)
    7.92
    """
    return _cemscore.proportion_detectable_difference(n, share, alpha, power)


class Tally(_cemscore.Tally):
    """Counts per scale point: the sufficient statistic for every metric. Mergeable and picklable, so
    partitions counted apart (Dask, Spark) combine exactly; ``cemscore.nps(tally)`` scores it.

    Parameters
    ----------
    scale : (int, int)
        Lowest and highest answer, inclusive (NPS (0, 10), CSAT (1, 5), CES (1, 7)).

    Raises
    ------
    CemError
        As `nps` for the answers added; ``incompatible`` when merging tallies of different scales.

    Examples
    --------
    >>> import cemscore, pickle
    >>> t = cemscore.Tally.from_answers([10, 9, 3], scale=(0, 10))
    >>> t.merge(cemscore.Tally.from_counts([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], scale=(0, 10)))
    >>> cemscore.nps(pickle.loads(pickle.dumps(t)))
    Estimate(nps=33.33, 95% CI [-35.62, 80.07] adjusted_wald, n=6)
    """

    def update(self, answers: Any, *, weights: Any = None, missing: Optional[Missing] = None) -> None:
        """Adds answers; on error nothing is added."""
        self._update(_as_array(answers), _as_weights(weights), _options(missing=missing))

    @classmethod
    def from_answers(cls, answers: Any, *, scale: Tuple[int, int], weights: Any = None,
                     missing: Optional[Missing] = None) -> "Tally":
        """A tally of ``answers`` (as in `nps`) on ``scale``, optionally weighted."""
        t = cls(scale)
        t.update(answers, weights=weights, missing=missing)
        return t

    @classmethod
    def from_counts(cls, counts: Sequence[int], *, scale: Tuple[int, int]) -> "Tally":
        """From counts per point, lowest point first."""
        t = cls(scale)
        t.merge(_cemscore.Tally._from_counts(list(counts), scale))
        return t

    @classmethod
    def from_nps_counts(cls, *, detractors: int, passives: int, promoters: int) -> "Tally":
        """An NPS tally from group counts aggregated elsewhere."""
        t = cls((0, 10))
        t.merge(_cemscore.Tally._from_nps_counts([detractors, passives, promoters]))
        return t

    @classmethod
    def from_counts_table(cls, table: Any, *, answer: str, count: str, scale: Tuple[int, int],
                          weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                          missing: Optional[Missing] = None) -> "Tally":
        """From a counts table (pandas, polars, pyarrow, or a dict of columns): one row per answer with its
        ``count`` of rows and, when weighted, the columns of Σw and Σw². Repeated answers add up; a NULL
        answer follows ``missing``; a bad row is a ``CemError`` naming its value (see ``cemscore.engines``)."""
        t = cls(scale)
        t.merge(_engines.tally_from_counts_table(table, answer=answer, count=count, scale=scale, weight_sum=weight_sum,
                                                 weight_sq_sum=weight_sq_sum, missing=missing))
        return t

    @classmethod
    def from_json(cls, text: str) -> "Tally":
        """A tally from the core's JSON (``Tally.to_json()`` in any language)."""
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
    """Tallies per segment (region, channel, touchpoint, month…): mergeable and picklable.

    Parameters
    ----------
    scale : (int, int)
        Lowest and highest answer, inclusive.

    Examples
    --------
    >>> import cemscore
    >>> s = cemscore.SegmentTally((0, 10))
    >>> s.update(["a", "a", "b"], [10, 9, 3])
    >>> [r["key"] for r in cemscore.benchmark(segments=s, min_n=1).to_dicts()]
    ['a', 'b']
    """

    def update(self, segments: Any, answers: Any, *, weights: Any = None, missing: Optional[Missing] = None) -> None:
        """Adds rows; ``segments`` may be strings, integers, or a pandas/polars categorical."""
        codes, names = _segment_codes(segments)
        self._update(codes, names, _as_array(answers), _as_weights(weights), _options(missing=missing))

    @classmethod
    def from_counts(cls, counts: Dict[str, Sequence[int]], *, scale: Tuple[int, int]) -> "SegmentTally":
        """From ``{key: counts per point}`` aggregated elsewhere."""
        keys = list(counts)
        out = cls(scale)
        out.merge(_cemscore.SegmentTally._from_counts(keys, [list(counts[k]) for k in keys], scale))
        return out

    @classmethod
    def from_counts_table(cls, table: Any, *, segment: str, answer: str, count: str, scale: Tuple[int, int],
                          weight_sum: Optional[str] = None, weight_sq_sum: Optional[str] = None,
                          missing: Optional[Missing] = None) -> "SegmentTally":
        """From a counts table — an engine's ``GROUP BY segment, answer`` with ``COUNT(*)`` (and ``SUM(w)``,
        ``SUM(w * w)`` when weighted) — as pandas, polars, pyarrow or a dict of columns. Repeated groups add
        up; a NULL answer follows ``missing``; a bad row is a ``CemError`` naming its segment and value.

        >>> t = SegmentTally.from_counts_table({"region": ["n", "s"], "nps": [10, 3], "n": [4, 2]},
        ...                                    segment="region", answer="nps", count="n", scale=(0, 10))
        >>> t.segment("s").n
        2
        """
        out = cls(scale)
        out.merge(_engines.segments_from_counts_table(table, segment=segment, answer=answer, count=count, scale=scale,
                                                      weight_sum=weight_sum, weight_sq_sum=weight_sq_sum,
                                                      missing=missing))
        return out


class BenchmarkTable:
    """A segment benchmark: ``rows`` (dicts), ``summary``, ``overall``; ``to_pandas()``, ``to_polars()``,
    ``to_dicts()``, ``to_json()``. What `benchmark` returns for input that is neither pandas nor polars.

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
    if df is not None and _engines.is_lazy(df):  # its engine groups; only the counts table is collected
        if answer is None or segment is None:
            raise TypeError("with a DataFrame, name the answer= and segment= columns")
        return BenchmarkTable(_engines.benchmark_lazy(df, answer=answer, segment=segment, weights=weights,
                                                      options=_listed(_options(**options))))
    if df is not None:
        if answer is None or segment is None:
            raise TypeError("with a DataFrame, name the answer= and segment= columns")
        segments, answers = _column(df, "segment", segment), _column(df, "answer", answer)
        if isinstance(weights, str):
            weights = _column(df, "weights", weights)
    given = _options(**options)
    if given.get("order") is not None:
        given["order"] = list(given["order"])
    if isinstance(segments, _cemscore.SegmentTally):
        result = BenchmarkTable(_cemscore.benchmark(segments, given))
    else:
        if segments is None or answers is None:
            raise TypeError("give a DataFrame with answer= and segment=, or segments= and answers=")
        codes, names = _segment_codes(segments)
        result = BenchmarkTable(_cemscore.benchmark_rows(codes, names, _as_array(answers), _as_weights(weights),
                                                         given))
    module = type(df if df is not None else segments).__module__.split(".")[0]
    if module == "pandas":
        return result.to_pandas()
    if module == "polars":
        return result.to_polars()
    return result


def _dates(dates: Any) -> Union[np.ndarray, List[Optional[str]]]:
    """Dates as the core reads them: int64 day numbers since 1970-01-01 (NaT as numpy's NaT) from any
    date or datetime column — a date-time counts on its own calendar date (a time-zone-aware pandas
    column in its own zone) — or numbers as day numbers; for text, the ISO strings themselves (None
    for missing), which the core parses."""
    module = type(dates).__module__.split(".")[0]
    if module == "polars":
        import polars as pl

        if isinstance(dates.dtype, pl.Datetime):
            dates = dates.dt.date()
        if dates.dtype == pl.Date:
            days: np.ndarray = dates.cast(pl.Int64).fill_null(np.iinfo(np.int64).min).to_numpy()
            return days
        texts: List[Optional[str]] = dates.cast(pl.String).to_list()
        return texts
    if module == "pandas":
        import pandas as pd

        if isinstance(dates.dtype, pd.DatetimeTZDtype):
            dates = dates.dt.tz_localize(None)
        dates = dates.to_numpy()
    elif module == "pyarrow":
        dates = dates.to_numpy(zero_copy_only=False)
    arr = dates if isinstance(dates, np.ndarray) else np.asarray(list(dates), dtype=object)
    if arr.dtype.kind == "M":
        return np.ascontiguousarray(arr.astype("datetime64[D]", copy=False).view(np.int64))
    if arr.dtype.kind in "iu":  # day numbers since 1970-01-01
        return np.ascontiguousarray(arr, dtype=np.int64)
    if arr.dtype.kind == "f":  # day numbers with NaN for missing; the core refuses fractions
        return np.ascontiguousarray(arr, dtype=np.float64)
    if arr.dtype == object and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in arr.tolist()):
        return np.asarray(arr.tolist(), dtype=np.float64)
    if arr.dtype == object and len(arr) and not isinstance(arr[0], str) and hasattr(arr[0], "isoformat"):
        # date and datetime objects: their calendar dates
        return np.asarray([np.datetime64(getattr(v, "date", lambda v=v: v)(), "D") if v is not None else
                           np.datetime64("NaT") for v in arr], dtype="datetime64[D]").view(np.int64)
    return [None if v is None or (isinstance(v, float) and v != v) else str(v) for v in arr.tolist()]


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
    if df is not None and period is not None and answer is not None and _engines.is_lazy(df):
        return TrendTable(_engines.trend_lazy(df, period=period, answer=answer, segment=segment, weights=weights,
                                              options=_options(**options)))
    if df is not None:
        if period is None or answer is None:
            raise TypeError("with a DataFrame, name the period= (date) and answer= columns")
        dates, answers = _column(df, "period", period), _column(df, "answer", answer)
        segments = _column(df, "segment", segment) if segment is not None else None
        if isinstance(weights, str):
            weights = _column(df, "weights", weights)
    if dates is None or answers is None:
        raise TypeError("give a DataFrame with period= and answer=, or dates= and answers=")
    codes, names = _segment_codes(segments) if segments is not None else (None, None)
    return TrendTable(_cemscore.trend_rows(_dates(dates), codes, names, _as_array(answers), _as_weights(weights),
                                           _options(**options)))


class Categories:
    """Each answer's category: ``codes`` (numpy int8, an index into ``names``; −1 for a missing answer
    skipped under ``missing="skip"``, as pandas codes it) and ``names``, worst first.

    Examples
    --------
    >>> import cemscore
    >>> c = cemscore.classify([10, 6, None], missing="skip")
    >>> c.codes.tolist(), c.names, c.to_list()
    ([2, 0, -1], ['detractor', 'passive', 'promoter'], ['promoter', 'detractor', None])
    """

    def __init__(self, codes: np.ndarray, names: List[str]):
        self.codes: np.ndarray = codes
        self.names: List[str] = names

    def to_list(self) -> List[Optional[str]]:
        """The category of each answer by name (``None`` for a missing answer)."""
        return [self.names[c] if c >= 0 else None for c in self.codes.tolist()]

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
    Enum Series; anything else a ``Categories`` (``codes`` as numpy int8, −1 for missing, and
    ``names``). A bad answer is a ``CemError`` naming its index, as in ``nps``; with
    ``missing="skip"`` a missing answer keeps its row with a missing category.

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
        An ordered Categorical (pandas), an Enum (polars), or codes and names.

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
    options = _options(metric=metric, scale=scale, threshold=threshold, version=version, top=top, bottom=bottom,
                       missing=missing)
    raw, names = _cemscore.classify(_as_array(answers), options)
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


from ._drivers import DriverTally, drivers  # noqa: E402  (key driver analysis; uses _as_array above)
from ._rake import CellFactors, Raking, rake, rake_cells  # noqa: E402  (raking; uses _segment_codes above)


def _listed(options: Dict[str, Any]) -> Dict[str, Any]:
    if options.get("order") is not None:
        options["order"] = list(options["order"])
    return options


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
    return BenchmarkTable(_engines.benchmark_counts_table(
        table, segment=segment, answer=answer, count=count, weight_sum=weight_sum, weight_sq_sum=weight_sq_sum,
        options=_listed(_options(**options))))


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
    return TrendTable(_engines.trend_counts_table(
        table, day=day, answer=answer, count=count, segment=segment, weight_sum=weight_sum,
        weight_sq_sum=weight_sq_sum, options=_options(**options)))


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
    return _engines.estimate_counts_table(table, metric, answer=answer, count=count, weight_sum=weight_sum,
                                          weight_sq_sum=weight_sq_sum, options=_options(**options))
