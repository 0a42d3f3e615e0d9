"""cemscore: Net Promoter Score, CSAT and Customer Effort Score with honest intervals, tests and segment
benchmarking, computed by the Rust core ``cem-core``.

This pure-Python layer adds only ecosystem glue: it reads pandas, polars, pyarrow, lists and ranges as
numpy arrays (without copying wherever those libraries allow), collects keyword options into the one
options dict the core reads (strictly: a key a call does not read is an error), and builds DataFrames.
Every formula, default and validation is in the core; an option left as ``None`` means the core's
documented default. The names each option accepts are ``Literal`` types in ``cemscore.vocabulary``.

The package mirrors the core, one module per concept: ``_scores`` (NPS, CSAT, CES, boxes, mean),
``_compare`` (comparisons, adjusted p-values), ``_planning``, ``_tallies``, ``_classify``, ``_benchmark``,
``_trend``, ``_drivers``, ``_discover`` (data-driven segments), ``_keyness`` (comments), ``_counts`` (counts
tables), ``_rake`` (weighting to the population), ``engines`` (lazy frames), on ``_input`` (what every call
reads). This file only gathers their public names.

>>> import cemscore
>>> e = cemscore.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 2])
>>> round(e.value)
20
"""

from . import engines as engines
from ._benchmark import BenchmarkTable, benchmark
from ._cemscore import CemError, Comparison, Estimate, Interval
from ._classify import Categories, classify
from ._compare import adjust_pvalues, compare, compare_to
from ._counts import benchmark_from_counts_table, estimate_from_counts_table, trend_from_counts_table
from ._discover import DiscoveryTable, discover, plot_discovery
from ._drivers import DriverTally, drivers, quadrant_map
from ._keyness import keyness, terms
from ._planning import (
    mean_responses_needed,
    nps_detectable_difference,
    nps_responses_needed,
    proportion_detectable_difference,
    proportion_responses_needed,
)
from ._rake import CellFactors, Raking, rake, rake_cells
from ._scores import bottom_box, ces, csat, mean, net_box, nps, nps_from_counts, top_box
from ._tallies import SegmentTally, Tally
from ._trend import TrendTable, trend
from ._version import __version__ as __version__
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

__all__ = [
    "CemError", "Estimate", "Interval", "Comparison", "Tally", "SegmentTally", "BenchmarkTable", "TrendTable",
    "nps", "nps_from_counts", "csat", "ces", "top_box", "bottom_box", "net_box", "mean",
    "compare", "compare_to", "adjust_pvalues", "benchmark", "trend",
    "nps_responses_needed", "proportion_responses_needed", "mean_responses_needed",
    "nps_detectable_difference", "proportion_detectable_difference",
    "Breakdown", "EstimateDict", "ComparisonDict", "BenchmarkRow", "BenchmarkSummary", "AgainstRecord",
    "BenchmarkOptions", "TrendOptions", "TrendRow", "TrendSummary",
    "classify", "Categories",
    "drivers", "DriverTally", "quadrant_map",
    "discover", "DiscoveryTable", "plot_discovery",
    "keyness", "terms",
    "rake", "rake_cells", "Raking", "CellFactors",
    "benchmark_from_counts_table", "trend_from_counts_table", "estimate_from_counts_table",
]
