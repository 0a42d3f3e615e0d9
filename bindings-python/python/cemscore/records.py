"""The dicts cemscore returns and reads, as ``TypedDict`` s: an estimate's ``breakdown``, a benchmark's rows
(``BenchmarkTable.to_dicts()``) and ``summary``, ``Estimate.to_dict()``, ``Comparison.to_dict()``; and the
``against`` record and the keyword options a benchmark reads; a trend's rows and summary; a keyness table.

Keys and types are the core's JSON (serde) fields; tests/test_records.py checks them against what each
call returns. JSON has no infinity, so a float the core holds as infinite (a certain difference's
statistic) is ``None`` in these dicts; the result objects' attributes keep it as ``inf``.
"""

from typing import Dict, List, Literal, Optional, Sequence, Tuple, TypedDict, Union, final

from .vocabulary import (
    Alternative,
    Correction,
    Direction,
    Every,
    KeynessStatistic,
    Method,
    MetricKind,
    Missing,
    Side,
    Test,
)

__all__ = [
    "NetBreakdown", "ProportionBreakdown", "MeanBreakdown", "Breakdown", "MetricDict", "ScaleDict",
    "IntervalDict", "EstimateDict", "DifferenceIntervalDict", "ComparisonDict", "BenchmarkRow",
    "BenchmarkSummary", "TrendRow", "TrendSummary", "ReferenceRecord", "BenchmarkReference", "SegmentReference",
    "TrailingReference", "AgainstRecord", "TrendOptions", "BenchmarkOptions", "SliceRow", "DiscoverySummary",
    "KeynessRow", "KeynessResult", "SegmentKeynessResult", "KeynessBySegmentResult", "MarginCheck",
    "RakeDiagnostics", "RakedEstimate",
]

# Optional keys are declared in a `total=False` subclass: `NotRequired` needs Python 3.11 and the package
# supports 3.9 without typing_extensions. The breakdowns are `@final` so that `"promoters" in breakdown`
# narrows the union for type checkers (a final TypedDict has no keys beyond its own).


@final
class NetBreakdown(TypedDict):
    """NPS and net boxes: the bottom box (detractors), the middle (passives) and the top box (promoters),
    as counts and weighted percentages."""

    detractors: int
    passives: int
    promoters: int
    detractor_share: float
    passive_share: float
    promoter_share: float


@final
class ProportionBreakdown(TypedDict):
    """CSAT and boxes: answers in and out of the box."""

    in_box: int
    out_of_box: int


class _MeanBreakdown(TypedDict):
    standard_deviation: Optional[float]


@final
class MeanBreakdown(_MeanBreakdown, total=False):
    """CES and means: the standard deviation (``None`` for a single answer); ``easy_share`` (% who found
    it easy) for CES only."""

    easy_share: float


Breakdown = Union[NetBreakdown, ProportionBreakdown, MeanBreakdown]
"""``Estimate.breakdown``: which of the three follows the metric's family."""


class _MetricKind(TypedDict):
    kind: MetricKind


class MetricDict(_MetricKind, total=False):
    """A metric: its ``kind`` and the parameters that kind has (``threshold`` for CSAT and boxes,
    ``version`` for CES, ``top`` and ``bottom`` for a net box)."""

    threshold: int
    version: int
    top: int
    bottom: int


class ScaleDict(TypedDict):
    """The answers' scale, both ends included."""

    min: int
    max: int


class IntervalDict(TypedDict):
    """An estimate's interval."""

    lower: float
    upper: float
    level: float
    method: Method


class EstimateDict(TypedDict):
    """``Estimate.to_dict()``: the estimate as the core's JSON, the same in every language."""

    metric: MetricDict
    direction: Direction
    value: float
    n: int
    effective_n: float
    skipped: int
    standard_error: Optional[float]
    interval: IntervalDict
    breakdown: Breakdown
    scale: ScaleDict


class DifferenceIntervalDict(TypedDict):
    """The interval of a difference."""

    lower: float
    upper: float
    level: float


class ComparisonDict(TypedDict):
    """``Comparison.to_dict()``. ``statistic`` is ``None`` where it is infinite; ``df`` where it is a z."""

    difference: float
    interval: DifferenceIntervalDict
    statistic: Optional[float]
    df: Optional[float]
    p_value: float
    alternative: Alternative
    method: Test


class BenchmarkRow(TypedDict):
    """One segment's row of a benchmark table; ``None`` where a field does not apply (a segment without
    answers has no value, an untested one no p-value)."""

    key: str
    n: int
    effective_n: float
    share: float
    value: Optional[float]
    lower: Optional[float]
    upper: Optional[float]
    reference_value: Optional[float]
    difference: Optional[float]
    difference_lower: Optional[float]
    difference_upper: Optional[float]
    statistic: Optional[float]
    p_value: Optional[float]
    adjusted_p_value: Optional[float]
    significant: bool
    side: Optional[Side]
    low_n: bool
    rank: int
    impact: Optional[float]


class _KeynessRow(TypedDict):
    term: str
    target_mentions: int
    reference_mentions: int
    target_occurrences: int
    reference_occurrences: int
    target_rate: float
    reference_rate: float
    difference: float
    difference_lower: float
    difference_upper: float
    log_odds: float
    statistic: Optional[float]
    p_value: Optional[float]
    q_value: Optional[float]
    rank: int
    side: Side


class KeynessRow(_KeynessRow, total=False):
    """One term of a keyness table (mention rates in percent, differences in points); ``statistic``,
    ``p_value`` and ``q_value`` are ``None`` when a group is low n; the extra statistic's key (``chi2``,
    ``lr``, ``pmi``, ``weighted_log_odds``, ``log_odds_z``) is there only when asked for."""

    chi2: float
    lr: float
    pmi: float
    weighted_log_odds: float
    log_odds_z: float


class KeynessResult(TypedDict):
    """A keyness table as the core returns it: the groups, their comments and tokens, and the terms."""

    target: str
    reference: str
    target_texts: int
    reference_texts: int
    target_tokens: int
    reference_tokens: int
    low_n: bool
    tested: int
    statistic: KeynessStatistic
    terms: List[KeynessRow]


class SegmentKeynessResult(TypedDict):
    """One segment's keyness table (its q-values adjusted across every segment's tested terms). Not a
    subclass of KeynessResult: a subclass's keys come after its base's, and the records declare key order."""

    segment: str
    target: str
    reference: str
    target_texts: int
    reference_texts: int
    target_tokens: int
    reference_tokens: int
    low_n: bool
    tested: int
    statistic: KeynessStatistic
    terms: List[KeynessRow]


class KeynessBySegmentResult(TypedDict):
    """A keyness table per segment, by segment name; ``tested`` counts the family the correction covers."""

    segments: List[SegmentKeynessResult]
    tested: int
    correction: Correction


class BenchmarkSummary(TypedDict):
    """Counts over a benchmark table."""

    segments: int
    tested: int
    significantly_above: int
    significantly_below: int
    low_n: int


class TrendRow(TypedDict):
    """One cell of a trend: a segment in a period against its reference (the previous period, or the
    trailing ones pooled)."""

    segment: Optional[str]
    period: str
    n: int
    effective_n: float
    share: float
    value: Optional[float]
    lower: Optional[float]
    upper: Optional[float]
    reference_value: Optional[float]
    difference: Optional[float]
    difference_lower: Optional[float]
    difference_upper: Optional[float]
    statistic: Optional[float]
    p_value: Optional[float]
    adjusted_p_value: Optional[float]
    significant: bool
    side: Optional[Side]
    low_n: bool
    impact: Optional[float]


class TrendSummary(TypedDict):
    """Counts over a trend's grid."""

    cells: int
    tested: int
    significantly_above: int
    significantly_below: int
    low_n: int


class ReferenceRecord(TypedDict):
    """``against`` for the references without parameters: all other answers, the overall score, or the
    previous segment in order."""

    kind: Literal["rest", "overall", "previous"]


class _BenchmarkReference(TypedDict):
    kind: Literal["benchmark"]
    value: float


class BenchmarkReference(_BenchmarkReference, total=False):
    """``against`` an external value in the metric's unit, with its standard error if it is an estimate."""

    se: Optional[float]


class SegmentReference(TypedDict):
    """``against`` a named baseline segment."""

    kind: Literal["segment"]
    key: str


AgainstRecord = Union[ReferenceRecord, BenchmarkReference, SegmentReference]
"""``against`` as a record; the text form (``"benchmark=45±2.5"``) is accepted too."""


class _ScoringOptions(TypedDict, total=False):
    """The options a benchmark and a trend share (``None``: the core's default)."""

    metric: Optional[MetricKind]
    method: Optional[Method]
    test: Optional[Test]
    correction: Optional[Correction]
    alpha: Optional[float]
    min_n: Optional[int]
    level: Optional[float]
    alternative: Optional[Alternative]
    missing: Optional[Missing]
    # The metric's own options, as its estimate reads them.
    scale: Optional[Tuple[int, int]]
    threshold: Optional[int]
    version: Optional[int]
    top: Optional[int]
    bottom: Optional[int]
    resamples: Optional[int]
    seed: Optional[int]
    prior: Optional[Sequence[float]]


class TrailingReference(TypedDict):
    """``against`` the ``periods`` periods before each, pooled (a trailing baseline)."""

    kind: Literal["trailing"]
    periods: int


class TrendOptions(_ScoringOptions, total=False):
    """The options ``cemscore.trend`` reads (``None``: the core's default)."""

    every: Optional[Every]
    # The text form "trailing=3" (the command line's) is read too; typed code writes the record.
    against: Union[Literal["previous"], TrailingReference, None]


class BenchmarkOptions(_ScoringOptions, total=False):
    """The options ``cemscore.benchmark`` reads (``None``: the core's default)."""

    against: Union[str, AgainstRecord, TrailingReference, None]
    order: Optional[Sequence[str]]


class SliceRow(TypedDict):
    """One slice of a discovery (``DiscoveryTable.to_dicts()``): a conjunction of ``attribute=value``
    conditions against every other answer. ``statistic`` is ``None`` where the core's is infinite."""

    slice: str
    conditions: Dict[str, str]
    depth: int
    n: int
    effective_n: float
    share: float
    value: float
    lower: float
    upper: float
    rest_value: float
    difference: float
    difference_lower: float
    difference_upper: float
    statistic: Optional[float]
    p_value: float
    adjusted_p_value: float
    significant: bool
    side: Side
    impact: float
    productive: bool
    explained_by: Optional[str]
    rank: int


class DiscoverySummary(TypedDict):
    """What a discovery searched: ``m`` is the family the correction covers."""

    m: int
    evaluated: int
    collapsed: int
    significantly_above: int
    significantly_below: int
    productive: int
    correction: str
    permutations: Optional[int]
    alpha: float
    depth: int
    min_n: int
    skipped: int
    reason: Optional[str]
class MarginCheck(TypedDict):
    """One raking margin: its target (shares scaled to the total) and the weight the rows reach."""

    variable: str
    level: str
    achieved: float
    target: float


class RakeDiagnostics(TypedDict):
    """How raking went (``Raking.to_dict()``, ``CellFactors.to_dict()``)."""

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


class RakedEstimate(TypedDict):
    """A score from raked weights (``Raking.estimate``): the estimate with the weights as fixed, and the
    calibration-aware standard error with its Wald interval; for a segment, the segment against the rest
    (every other segment's rows) with the difference's calibrated standard error, Wald test and p-value
    adjusted across the segments (None, and ``significant`` False, for the whole sample)."""

    segment: Optional[str]
    estimate: EstimateDict
    calibrated_standard_error: Optional[float]
    calibrated_lower: Optional[float]
    calibrated_upper: Optional[float]
    reference_value: Optional[float]
    difference: Optional[float]
    difference_standard_error: Optional[float]
    difference_lower: Optional[float]
    difference_upper: Optional[float]
    statistic: Optional[float]
    p_value: Optional[float]
    adjusted_p_value: Optional[float]
    significant: bool
