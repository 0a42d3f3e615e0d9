"""The names each option and result field accepts, as `Literal` types (generated from cem-core's
vocabularies by cem-core/tests/vocabulary.rs; do not edit). Aliases follow the names."""

from typing import Literal

__all__ = ["MetricKind", "Method", "Test", "Alternative", "Correction", "Missing", "Side", "Direction", "Every", "KeynessStatistic", "DriverMethod", "OutcomeScore", "Quadrant", "Show", "ErrorCode", "Category"]

MetricKind = Literal["nps", "csat", "ces", "top_box", "bottom_box", "net_box", "mean"]

Method = Literal["wald", "adjusted_wald", "adjusted_wald_z2", "score", "trinomial_t", "bootstrap", "bayes", "wilson", "agresti_coull", "clopper_pearson", "jeffreys", "t", "normal", "beta", "jeffrey", "student_t"]

Test = Literal["wald", "adjusted_wald", "score", "agresti_caffo", "welch", "t", "newcombe", "newcomb", "agresti-caffo"]

Alternative = Literal["two-sided", "greater", "less", "two_sided", "larger", "smaller"]

Correction = Literal["holm", "bonferroni", "hochberg", "benjamini_hochberg", "benjamini_yekutieli", "none", "simes-hochberg", "fdr_bh", "fdr_by"]

Missing = Literal["error", "skip"]

Side = Literal["above", "below", "level"]

Direction = Literal["higher_is_better", "lower_is_better"]

Every = Literal["day", "week", "month", "quarter", "year"]

KeynessStatistic = Literal["score", "chi2", "lr", "pmi", "weighted_log_odds", "log_odds_z", "g2"]

DriverMethod = Literal["lmg", "relative_weights", "dominance", "first", "last", "betasq", "pratt", "shapley", "johnson"]

OutcomeScore = Literal["value", "nps", "promoter"]

Quadrant = Literal["fix_first", "keep", "low_priority", "overkill"]

Show = Literal["significant", "productive", "all"]

ErrorCode = Literal["out_of_range", "not_an_integer", "not_a_number", "unsupported_answers", "missing_value", "invalid_weight", "length_mismatch", "empty", "invalid_parameter", "incompatible", "invalid_segment", "invalid_date", "too_few", "overflow", "degenerate", "not_text", "level_without_rows", "level_without_target", "invalid_margin", "margins_disagree", "zero_target", "not_converged", "infeasible_trim"]

Category = Literal["detractor", "passive", "promoter", "not_satisfied", "satisfied", "effortful", "neutral", "easy", "not_top", "top", "bottom", "not_bottom", "middle"]
