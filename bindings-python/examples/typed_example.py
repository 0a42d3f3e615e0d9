"""A typed walk through the API; tests/test_typing.py runs mypy --strict over it and then runs it."""

import cemscore

answers = [10, 9, 9, 8, 7, 6, 3, 10, 9, 2] * 5
score: cemscore.Estimate = cemscore.nps(answers, level=0.9)
low, high = score.interval
value: float = score.value
satisfied = cemscore.csat([5, 4, 4, 3, 2, 5] * 10, threshold=4)
effort = cemscore.ces([7, 6, 5, 6, 2] * 10, version=2)
change: cemscore.Comparison = cemscore.compare(score, cemscore.nps([10, 9, 3] * 20))
p: float = change.pvalue
versus: cemscore.Comparison = cemscore.compare_to(satisfied, 70.0, value_se=2.0)
adjusted: list[float] = cemscore.adjust_pvalues([0.01, 0.04, 0.03], correction="holm")
tally = cemscore.Tally.from_answers(answers, scale=(0, 10))
tally.merge(cemscore.Tally.from_counts([1] * 11, scale=(0, 10)))
segments = cemscore.SegmentTally((0, 10))
segments.update(["a", "b"] * 25, answers)
table = cemscore.benchmark(segments=segments, metric="nps", min_n=10)
groups: cemscore.Categories = cemscore.classify(answers, metric="nps")
follow_up: list[str | None] = groups.to_list()
needed: int = cemscore.nps_responses_needed(50.0, 20.0, 5.0, 0.95)
ratings = {"y": [1, 3, 4, 6, 8, 5, 2, 5], "a": [1, 2, 3, 4, 5, 3, 2, 4], "b": [2, 2, 3, 3, 4, 5, 1, 1]}
moments = cemscore.DriverTally("y", ["a", "b"])
moments.update(ratings)
r2: float = cemscore.drivers(moments, method="relative_weights")["r2"]
print(f"NPS {value:.1f} [{low:.1f}, {high:.1f}], p={p:.3f}, n needed {needed}, {table!r}, {adjusted}, "
      f"{effort.value:.2f}")
