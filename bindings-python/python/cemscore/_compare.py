"""Comparisons: two estimates, an estimate and a benchmark value, and multiplicity-adjusted p-values (wraps
``cem_core::operations::compare``, ``compare_to`` and ``adjust_pvalues``).
"""

from __future__ import annotations

from typing import Iterable, List, Optional

from . import _cemscore
from ._cemscore import Comparison, Estimate
from ._input import given
from .vocabulary import Alternative, Correction, Test

__all__ = ["compare", "compare_to", "adjust_pvalues"]


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
    return _cemscore.compare(a, b, given(test=test, level=level, alternative=alternative))


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
                                given(value_se=value_se, test=test, level=level, alternative=alternative))


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
    return _cemscore.adjust_pvalues([float(p) for p in pvalues], given(correction=correction))
