"""The scores of answers: NPS, CSAT, CES, top/bottom/net box and the mean, each an ``Estimate`` with its
interval (wraps ``cem_core::operations::estimate``). Answers may be an array, a column, a ``Tally`` or a
lazy frame (its engine counts: ``cemscore.engines``).
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple

from . import _cemscore, engines
from ._cemscore import Estimate
from ._input import as_array, as_weights, given
from .vocabulary import Method, MetricKind, Missing

__all__ = ["nps", "nps_from_counts", "csat", "ces", "top_box", "bottom_box", "net_box", "mean"]


def _data(answers: Any) -> Any:
    return answers if isinstance(answers, _cemscore.Tally) else as_array(answers)


def _estimate(kind: MetricKind, answers: Any, weights: Any, **options: Any) -> Estimate:
    if engines.is_lazy(answers):  # a lazy or distributed frame: its engine counts (cemscore.engines)
        return engines.estimate_lazy(answers, kind, weights=weights, options=given(**options))
    return _cemscore.estimate(_data(answers), kind, as_weights(weights), given(**options))


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
    return _cemscore.nps_from_counts(counts, given(level=level, method=method, resamples=resamples, seed=seed,
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
