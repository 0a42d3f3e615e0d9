"""Planning a survey: responses needed for a margin of error, and the difference a sample size detects
(wraps ``cem_core::planning``). Shares are percentages (40 means 40%), margins in the metric's unit;
shares that all lie strictly between 0 and 1 look like fractions and the core refuses them. Defaults are
the core's.
"""

from __future__ import annotations

from typing import Optional

from . import _cemscore

__all__ = ["nps_responses_needed", "proportion_responses_needed", "mean_responses_needed",
           "nps_detectable_difference", "proportion_detectable_difference"]


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
