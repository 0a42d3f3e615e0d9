"""Keyness groups, written independently of cem for its conformance vectors (conformance/generate.py):
crossed group columns, periods of a date, and one table per segment.

The table itself is keyness_reference's (statsmodels' score test and Newcombe interval). Here: a crossed
group is its values joined by " × " (as cem spells crossed segments); a period is pandas' `Period` of the
date (`D`, `W-SUN` — ISO weeks run Monday to Sunday —, `M`, `Q`, `Y`), labelled as cem's trend labels
them, with the ISO week-numbering year and week from Python's `date.isocalendar()`; the default target is
the latest period with a row and the reference the period before it (pandas' `Period - 1`). Per segment,
each table is computed on the segment's rows, then the q-values are statsmodels' `multipletests` over the
p-values of every table's tested terms at once, and each table is re-ranked by them.
"""


import numpy as np
import pandas as pd
from keyness_reference import Cases, comment_terms, corpus, keyness, nps_category, quietly, tally
from statsmodels.stats.multitest import multipletests

FREQ = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
CORRECTIONS = {"benjamini_hochberg": "fdr_bh", "holm": "holm", "bonferroni": "bonferroni"}


def period_label(p, every):
    if every == "day":
        return p.start_time.strftime("%Y-%m-%d")
    if every == "week":
        y, w, _ = p.start_time.date().isocalendar()
        return f"{y:04d}-W{w:02d}"
    if every == "month":
        return f"{p.year:04d}-{p.month:02d}"
    if every == "quarter":
        return f"{p.year:04d}-Q{p.quarter}"
    return f"{p.year:04d}"


def period_sides(dates, options):
    every = options.get("every", "month")
    periods = [None if d is None else pd.Period(d[:10], freq=FREQ[every]) for d in dates]
    latest = max(p for p in periods if p is not None)
    target = options.get("target", period_label(latest, every))
    by_label = {period_label(p, every): p for p in periods if p is not None}
    reference = options.get("reference", period_label(by_label[target] - 1, every))
    sides = [None if p is None else (True if period_label(p, every) == target else
                                     (False if reference in ("rest", period_label(p, every)) else None))
             for p in periods]
    return sides, (target, reference)


def crossed(columns):
    return [None if any(c[i] is None for c in columns) else " × ".join(c[i] for c in columns)
            for i in range(len(columns[0]))]


def label_sides(groups, options):
    target, reference = options["target"], options.get("reference", "rest")
    sides = [None if g is None else (True if g == target else (False if reference in ("rest", g) else None))
             for g in groups]
    return sides, (target, reference)


def answer_sides(answers, options):
    cats = [None if a is None else nps_category(a) for a in answers]
    return label_sides(cats, {"target": "detractor", "reference": "promoter", **options})


def by_segment(comments, segments, sides, labels, options):
    keys = crossed(segments)
    tables = []
    for name in sorted({k for k in keys if k is not None}):
        part = [s if k == name else None for s, k in zip(sides, keys)]
        kept = [(comment_terms(c, options), s) for c, s in zip(comments, part) if s is not None]
        nt, tt, _ = tally([t for t, s in kept if s and t is not None])
        nr, tr, _ = tally([t for t, s in kept if not s and t is not None])
        if nt == 0 or nr == 0:
            table = {"target": labels[0], "reference": labels[1], "target_texts": nt, "reference_texts": nr,
                     "target_tokens": tt, "reference_tokens": tr, "low_n": True, "tested": 0,
                     "statistic": options.get("statistic", "score"), "terms": []}
        else:
            table = keyness(comments, part, labels, options)
        tables.append({"segment": name, **table})
    tested = [r for t in tables for r in t["terms"] if r["p_value"] is not None]
    correction = options.get("correction", "benjamini_hochberg")
    if tested:
        q = multipletests([r["p_value"] for r in tested], method=CORRECTIONS[correction])[1]
        for r, v in zip(tested, q):
            r["q_value"] = float(v)
    for t in tables:
        t["terms"].sort(key=lambda r: (2.0 if r["q_value"] is None else r["q_value"],
                                       2.0 if r["p_value"] is None else r["p_value"], -abs(r["difference"])))
        for i, r in enumerate(t["terms"]):
            r["rank"] = i + 1
    return {"segments": tables, "tested": len(tested), "correction": correction}


def dates_for(n, seed):
    """ISO dates over 2024-11 … 2025-07 (so weeks cross a year), as texts, some with a time."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-11-01")
    days = rng.integers(0, 270, n)
    out = []
    for d in days:
        t = start + pd.Timedelta(days=int(d))
        out.append(t.strftime("%Y-%m-%d") + ("T10:30:00" if int(d) % 5 == 0 else ""))
    return out


def cases():
    return quietly(all_cases)


def all_cases():
    out = Cases()
    case, error = out.case, out.error

    comments, groups, answers = corpus(2828, 600)
    rng = np.random.default_rng(2829)
    channel = [["web", "phone"][int(k)] for k in rng.integers(0, 2, len(comments))]
    region = [["North", "South", "East"][int(k)] for k in rng.integers(0, 3, len(comments))]
    dates = dates_for(len(comments), 2830)

    # Crossed group columns.
    keys = crossed([groups, channel])
    for name, options in [("keyness_crossed_vs_rest", {"target": "billing × phone", "min_count": 4}),
                          ("keyness_crossed_vs_crossed", {"target": "billing × phone", "reference": "app × web",
                                                          "min_count": 3, "min_n": 20})]:
        sides, labels = label_sides(keys, options)
        case(name, {"comments": comments, "groups": [groups, channel], "options": options},
             keyness(comments, sides, labels, options))

    # Periods: the default (latest month against the one before), quarters named, weeks against the rest.
    for name, options in [("keyness_period_latest_month_vs_previous", {"min_n": 20}),
                          ("keyness_period_quarter_named", {"every": "quarter", "target": "2025-Q1",
                                                            "reference": "2024-Q4"}),
                          ("keyness_period_week_vs_rest", {"every": "week", "target": "2025-W01",
                                                           "reference": "rest", "min_count": 2, "min_n": 5}),
                          ("keyness_period_year_default", {"every": "year", "statistic": "chi2"})]:
        sides, labels = period_sides(dates, options)
        case(name, {"comments": comments, "dates": dates, "options": options},
             keyness(comments, sides, labels, options))
    gaps = [None if i % 17 == 3 else d for i, d in enumerate(dates)]
    opts = {"every": "quarter", "missing": "skip"}
    sides, labels = period_sides(gaps, opts)
    case("keyness_period_missing_dates_skipped", {"comments": comments, "dates": gaps, "options": opts},
         keyness(comments, sides, labels, opts))

    # One table per segment; q across every table.
    opts = {"min_count": 4, "min_n": 20}
    sides, labels = answer_sides(answers, opts)
    case("keyness_by_segment_answers", {"comments": comments, "answers": answers, "segments": [region],
                                        "options": opts},
         by_segment(comments, [region], sides, labels, opts))
    opts = {"target": "billing", "min_count": 3, "min_n": 10, "correction": "holm"}
    sides, labels = label_sides(groups, opts)
    case("keyness_by_crossed_segment_groups_holm", {"comments": comments, "groups": [groups],
                                                    "segments": [region, channel], "options": opts},
         by_segment(comments, [region, channel], sides, labels, opts))
    opts = {"every": "quarter", "target": "2025-Q1", "reference": "2024-Q4", "min_count": 3, "min_n": 10}
    sides, labels = period_sides(dates, opts)
    case("keyness_by_segment_periods", {"comments": comments, "dates": dates, "segments": [channel],
                                        "options": opts},
         by_segment(comments, [channel], sides, labels, opts))
    # A segment where the target has no comment: kept, flagged, no terms.
    few_c = ["on hold", "refund now", "easy", "so easy", "fine", "on hold again", "easy app", "great"]
    few_g = ["billing", "billing", "app", "app", "app", "billing", "app", "app"]
    few_s = ["x", "x", "x", "x", "y", "x", "y", "y"]
    opts = {"target": "billing", "min_count": 1, "min_n": 1}
    sides, labels = label_sides(few_g, opts)
    case("keyness_by_segment_side_without_comments", {"comments": few_c, "groups": [few_g], "segments": [few_s],
                                                      "options": opts},
         by_segment(few_c, [few_s], sides, labels, opts))

    # Refusals.
    short = {"comments": comments[:40], "dates": dates[:40]}
    error("keyness_period_target_absent", {**short, "options": {"every": "quarter", "target": "2023-Q1"}},
          "invalid_parameter")
    error("keyness_period_date_missing", {"comments": comments[:40], "dates": dates[:5] + [None] + dates[6:40],
                                          "options": {}}, "invalid_date", index=5)
    error("keyness_period_date_invalid", {"comments": comments[:40], "dates": dates[:9] + ["2025-02-30"] + dates[10:40],
                                          "options": {}}, "invalid_date", index=9)
    error("keyness_groups_every_not_read", {"comments": comments[:40], "groups": [groups[:40]],
                                            "options": {"target": "app", "every": "month"}}, "invalid_parameter")
    error("keyness_crossed_group_missing", {"comments": comments[:40], "groups": [groups[:40], channel[:12] + [None]
                                                                                  + channel[13:40]],
                                            "options": {"target": "app × web"}}, "invalid_segment", index=12)
    error("keyness_segment_missing", {"comments": comments[:40], "answers": answers[:40],
                                      "segments": [region[:3] + [None] + region[4:40]], "options": {}},
          "invalid_segment", index=3)
    error("keyness_segment_length", {"comments": comments[:40], "answers": answers[:40], "segments": [region[:39]],
                                     "options": {}}, "length_mismatch")
    return out
