"""Tallies: counts per scale point (``Tally``) and per segment (``SegmentTally``), the sufficient statistics
of every score; mergeable and picklable, buildable from counts aggregated elsewhere (wraps
``cem_core::tally`` and ``cem_core::segment``).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Sequence, Tuple

from . import _cemscore, engines
from ._input import as_array, as_weights, given, segment_codes
from .vocabulary import Missing

__all__ = ["Tally", "SegmentTally"]


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
        self._update(as_array(answers), as_weights(weights), given(missing=missing))

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
        t.merge(engines.tally_from_counts_table(table, answer=answer, count=count, scale=scale, weight_sum=weight_sum,
                                                weight_sq_sum=weight_sq_sum, missing=missing))
        return t

    @classmethod
    def from_json(cls, text: str) -> "Tally":
        """A tally from the core's JSON (``Tally.to_json()`` in any language)."""
        t = _cemscore.Tally._from_json(text)
        out = cls(t.scale)
        out.merge(t)
        return out


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
        codes, names = segment_codes(segments)
        self._update(codes, names, as_array(answers), as_weights(weights), given(missing=missing))

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
        out.merge(engines.segments_from_counts_table(table, segment=segment, answer=answer, count=count, scale=scale,
                                                     weight_sum=weight_sum, weight_sq_sum=weight_sq_sum,
                                                     missing=missing))
        return out
