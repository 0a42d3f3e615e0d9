"""Keyness, written independently of cem for its conformance vectors (conformance/generate.py).

Words come from ICU's word break iterator (PyICU, ICU's UAX #29 rules for the root locale) on the text
lower-cased by Python and with ’ folded to '; a segment is a word when ICU's rule status says it is a
number or a letter word (≥ 100), so punctuation, spaces and emoji are not. The English stop list is
Snowball's, written out here in full, minus the negations and intensifiers cem keeps. Mention rates are
compared by statsmodels (`test_proportions_2indep(method="score")`, `confint_proportions_2indep(method=
"newcomb")`), q-values by `multipletests(method="fdr_bh")`. The display log-odds (Monroe, Colaresi & Quinn
2008) and tidylo's weighted log odds are computed from their formulas with numpy and pandas; chi2 is scipy's
`chi2_contingency` with Yates' correction exactly where quanteda applies it, and G² and PMI are quanteda's
formulas in numpy (G² checked against scipy's log-likelihood statistic).
"""

import math
import warnings

import icu
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

# Snowball's English stop list (snowballstem.org, algorithms/english/stop.txt), in its own order.
SNOWBALL = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
it its itself they them their theirs themselves what which who whom this that these those am is are was were be
been being have has had having do does did doing would should could ought i'm you're he's she's it's we're
they're i've you've we've they've i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll
isn't aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't
cannot couldn't mustn't let's that's who's what's here's there's when's where's why's how's a an the and but
if or because as until while of at by for with about against between into through during before after above
below to from up down in out on off over under again further then once here there when where why how all any
both each few more most other some such no nor not only own same so than too very
""".split()
# What a customer's meaning turns on: negations and intensifiers stay words.
KEPT = {"no", "nor", "not", "cannot", "too", "very", "more", "most", "few", "only", "against"}
ENGLISH = {w for w in SNOWBALL if w not in KEPT and not w.endswith("n't")}

WORD_BREAK = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())


def words(text):
    """ICU's words of a comment: lower-cased, ’ → ', segments ICU marks as numbers or letters."""
    folded = icu.UnicodeString(text.lower().replace("\u2019", "'"))
    WORD_BREAK.setText(folded)
    out, start = [], 0
    for end in WORD_BREAK:
        if WORD_BREAK.getRuleStatus() >= 100:  # UBRK_WORD_NUMBER, _LETTER, _KANA, _IDEO
            out.append(str(folded[start:end]))
        start = end
    return out


def terms(tokens, ngrams, stop):
    """Every n-gram occurrence of consecutive tokens, unless all its words are stop words."""
    lo, hi = ngrams
    out = []
    for n in range(lo, hi + 1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i:i + n]
            if not all(w in stop for w in gram):
                out.append(" ".join(gram))
    return out


def stop_set(option):
    if option in (None, "english"):
        return ENGLISH
    if option == "none":
        return set()
    return {w.lower().replace("\u2019", "'") for w in option}


def comment_terms(comment, options):
    """The terms of one comment, or None when it is no comment (None, blank, empty token list)."""
    if comment is None:
        return None
    if isinstance(comment, list):
        if not comment:
            return None
        tokens = comment
    else:
        if comment.strip() == "":
            return None
        tokens = words(comment)
    return terms(tokens, options.get("ngrams", [1, 2]), stop_set(options.get("stop_words")))


def tally(rows):
    """texts, tokens, {term: (mentions, occurrences)} of the comments' term lists."""
    counts, texts, tokens = {}, 0, 0
    for ts in rows:
        texts += 1
        tokens += len(ts)
        for t in set(ts):
            m, o = counts.get(t, (0, 0))
            counts[t] = (m + 1, o + ts.count(t))
    return texts, tokens, counts


def sign(a, e):
    return 1.0 if a > e else -1.0


def quanteda_yates(a, b, c, d):
    n = a + b + c + d
    small = min((a + b) * (a + c), (a + b) * (b + d), (a + c) * (c + d), (c + d) * (b + d)) / n < 5
    return 0.5 if abs(a * d - b * c) >= n / 2 and small else 0.0


def chi2(a, b, t, r):
    c, d = t - a, r - b
    n = a + b + c + d
    e = (a + b) * (a + c) / n
    table = np.array([[a, b], [c, d]], dtype=float)
    yates = quanteda_yates(a, b, c, d) > 0
    value = stats.chi2_contingency(table, correction=yates)[0]
    return float(value) * sign(a, e)


def lr(a, b, t, r):
    eps = 1e-9
    c, d = t - a, r - b
    n = a + b + c + d
    e = (a + b) * (a + c) / n
    delta = quanteda_yates(a, b, c, d)
    s = delta if a * d - b * c > 0 else -delta
    o = np.array([a - s, b + s, c + s, d - s], dtype=float)
    aa, bb, cc, dd = o
    expected = np.array([(aa + bb) * (aa + cc), (aa + bb) * (bb + dd), (aa + cc) * (cc + dd),
                         (bb + dd) * (cc + dd)]) / n
    g2 = 2 * np.sum(o * np.log(o / expected + eps))
    # scipy's G² of the same (corrected) table, plus what quanteda's epsilon adds (2·ε·Σ E = 2εN to first order).
    with np.errstate(divide="ignore", invalid="ignore"):
        check = stats.chi2_contingency(np.array([[aa, bb], [cc, dd]]), correction=False, lambda_="log-likelihood")[0]
    assert abs(g2 - check - 2 * eps * n) <= 1e-9 * max(1.0, abs(check)), (g2, check)
    return float(g2) * sign(a, e)


def pmi(a, b, t, r):
    n = t + r
    e = (a + b) * t / n
    return float(np.log(a / e + 1e-9))


def tidylo(target_counts, reference_counts):
    """tidylo's bind_log_odds on the tidy table (set, feature, n) of both groups' occurrences."""
    rows = [("target", w, o) for w, (_, o) in target_counts.items()]
    rows += [("reference", w, o) for w, (_, o) in reference_counts.items()]
    df = pd.DataFrame(rows, columns=["set", "feature", "n"])
    df["alpha"] = df.groupby("feature")["n"].transform("sum")
    df["y_wi"] = df["n"] + df["alpha"]
    df["y_w"] = df.groupby("feature")["y_wi"].transform("sum")
    df["n_i"] = df.groupby("set")["y_wi"].transform("sum")
    total = df["y_wi"].sum()
    omega_wi = df["y_wi"] / (df["n_i"] - df["y_wi"])
    omega_w = df["y_w"] / (total - df["y_w"])
    delta = np.log(omega_wi) - np.log(omega_w)
    df["z"] = delta / np.sqrt(1 / df["y_wi"] + 1 / df["y_w"])
    target = df[df["set"] == "target"]
    return dict(zip(target["feature"], target["z"].astype(float)))


def monroe_log_odds(mt, mr, nt, nr):
    m, n = mt + mr, nt + nr
    return math.log((mt + m) / (nt - mt + n - m)) - math.log((mr + m) / (nr - mr + n - m))


def keyness(comments, sides, labels, options):
    """The keyness table; sides[i] is True (target), False (reference) or None (left out)."""
    rows_t, rows_r = [], []
    for c, s in zip(comments, sides):
        ts = comment_terms(c, options)
        if ts is None or s is None:
            continue
        (rows_t if s else rows_r).append(ts)
    nt, tt, ct = tally(rows_t)
    nr, tr, cr = tally(rows_r)
    level = options.get("level", 0.95)
    min_count = options.get("min_count", 5)
    min_n = options.get("min_n", 30)
    statistic = options.get("statistic", "score")
    correction = {"benjamini_hochberg": "fdr_bh", "holm": "holm", "bonferroni": "bonferroni"}[
        options.get("correction", "benjamini_hochberg")]
    low_n = nt < min_n or nr < min_n
    wlo = tidylo(ct, cr) if statistic == "weighted_log_odds" else {}
    rows = []
    for term in sorted(set(ct) | set(cr)):
        (mt, ot), (mr, orr) = ct.get(term, (0, 0)), cr.get(term, (0, 0))
        if mt + mr < min_count:
            continue
        pooled = (mt + mr) / (nt + nr)
        if pooled in (0.0, 1.0):
            z = 0.0
        else:
            z = float(test_proportions_2indep(mt, nt, mr, nr, method="score", alternative="two-sided").statistic)
        lo, hi = confint_proportions_2indep(mt, nt, mr, nr, method="newcomb", alpha=1 - level)
        diff = 100 * (mt / nt - mr / nr)
        row = {
            "term": term,
            "target_mentions": mt,
            "reference_mentions": mr,
            "target_occurrences": ot,
            "reference_occurrences": orr,
            "target_rate": 100 * mt / nt,
            "reference_rate": 100 * mr / nr,
            "difference": diff,
            "difference_lower": 100 * max(float(lo), -1.0),
            "difference_upper": 100 * min(float(hi), 1.0),
            "log_odds": monroe_log_odds(mt, mr, nt, nr),
            "statistic": None if low_n else z,
            "p_value": None if low_n else min(1.0, float(2 * stats.norm.sf(abs(z)))),
            "q_value": None,
            "side": "above" if diff > 0 else ("below" if diff < 0 else "level"),
        }
        if statistic == "chi2":
            row["chi2"] = chi2(ot, orr, tt, tr)
        elif statistic == "lr":
            row["lr"] = lr(ot, orr, tt, tr)
        elif statistic == "pmi":
            row["pmi"] = pmi(ot, orr, tt, tr)
        elif statistic == "weighted_log_odds" and ot > 0:
            row["weighted_log_odds"] = wlo[term]
        rows.append(row)
    if not low_n and rows:
        q = multipletests([r["p_value"] for r in rows], method=correction)[1]
        for r, v in zip(rows, q):
            r["q_value"] = float(v)
    rows.sort(key=lambda r: (2.0 if r["q_value"] is None else r["q_value"],
                             2.0 if r["p_value"] is None else r["p_value"], -abs(r["difference"])))
    for i, r in enumerate(rows):
        r["rank"] = i + 1
    return {"target": labels[0], "reference": labels[1], "target_texts": nt, "reference_texts": nr,
            "target_tokens": tt, "reference_tokens": tr, "low_n": low_n, "tested": 0 if low_n else len(rows),
            "statistic": statistic, "terms": rows}


def by_groups(comments, groups, options):
    target, reference = options["target"], options.get("reference", "rest")
    sides = [None if g is None else (True if g == target else (False if reference in ("rest", g) else None))
             for g in groups]
    return keyness(comments, sides, (target, reference), options)


def nps_category(a):
    return "detractor" if a <= 6 else ("passive" if a <= 8 else "promoter")


def by_answers(comments, answers, options):
    cats = [None if a is None else nps_category(a) for a in answers]
    target, reference = options.get("target", "detractor"), options.get("reference", "promoter")
    sides = [None if c is None else (True if c == target else (False if reference in ("rest", c) else None))
             for c in cats]
    return keyness(comments, sides, (target, reference), options)


# Comments with what UAX #29 has opinions about: apostrophes (both kinds), decimals, versions, hyphens,
# e-mail-like words, emoji (dropped), and scripts with spaces between words (Cyrillic, Greek, Arabic,
# Hebrew, Devanagari).
TRICKY = [
    "Don’t put me ON HOLD!! I've waited 45 minutes… 😡😡",
    "can't log in after v2.3 update; error #404 (again)",
    "Refund?! 3.5 stars — the re-billing was wrong, 100% wrong",
    "Служба поддержки ужасна, но приложение удобное",
    "Η εξυπηρέτηση ήταν πολύ καλή 👍",
    "خدمة العملاء سيئة جدا",
    "השירות היה מצוין, תודה",
    "सेवा बहुत अच्छी थी",
    "e-mail me at help_desk@example.com — John's order #A12-77",
    "naïve café façade: Straße ÉTÉ",
    "...   !!! 🙂",
    "   ",
    "",
]

THEMES = {
    "billing": ["refund", "on hold", "charged twice", "wrong bill", "waited on hold for ages", "no refund yet"],
    "app": ["easy to use", "app crashes", "love the app", "very easy", "login problems"],
    "store": ["friendly staff", "long queue", "clean store", "not enough staff"],
}
FILLER = ["the service", "it was", "and then", "I think", "overall", "thanks", "not great", "very good",
          "Don’t know", "price", "délai", "ok 👍"]


def corpus(seed, n):
    """(comments, groups, answers): themed comments, detractors in billing, promoters in app; ~1/3 blank."""
    rng = np.random.default_rng(seed)
    groups = [["billing", "app", "store"][int(k)] for k in rng.integers(0, 3, n)]
    answers, comments = [], []
    for g in groups:
        u = float(rng.uniform())
        bad = {"billing": 0.55, "app": 0.15, "store": 0.3}[g]
        lo, hi = (0, 7) if u < bad else ((7, 9) if u < bad + 0.2 else (9, 11))
        a = int(rng.integers(lo, hi))
        answers.append(a)
        if float(rng.uniform()) < 0.3:
            comments.append(None if float(rng.uniform()) < 0.5 else "")
            continue
        parts = []
        for _ in range(int(rng.integers(1, 4))):
            pool = THEMES[g] if (a <= 6) == (g == "billing") or g != "billing" else FILLER
            if float(rng.uniform()) < 0.4:
                pool = FILLER
            parts.append(pool[int(rng.integers(0, len(pool)))])
        if a >= 9 and g == "app" and float(rng.uniform()) < 0.6:
            parts.append("easy")
        if float(rng.uniform()) < 0.05:
            parts.append(TRICKY[int(rng.integers(0, len(TRICKY)))])
        comments.append(", ".join(parts) + ("!" if float(rng.uniform()) < 0.3 else "."))
    return comments, groups, answers


TOL = {"abs": 1e-9, "rel": 1e-9}


class Cases(list):
    """Vectors of the keyness call: `case` for values, `error` for a refusal."""

    def case(self, name, inp, expected):
        self.append({"name": name, "call": "keyness", "input": inp, "expected": expected, "tolerance": TOL})

    def error(self, name, inp, code, index=None):
        expected = {"error": code} if index is None else {"error": code, "index": index}
        self.append({"name": name, "call": "keyness", "input": inp, "expected": expected})


def quietly(make):
    with warnings.catch_warnings():  # statsmodels' unused ratio and odds ratio divide by zero at 0 mentions
        warnings.simplefilter("ignore", RuntimeWarning)
        return make()


def cases():
    return quietly(all_cases)


def all_cases():
    out = Cases()
    case, error = out.case, out.error

    # The tokenizer: each comment's words (unigrams, no stop words) and its default terms.
    for name, options in [("keyness_terms_words_icu", {"ngrams": [1, 1], "stop_words": "none"}),
                          ("keyness_terms_default", {})]:
        rows = []
        for i, c in enumerate(TRICKY + [None]):
            ts = comment_terms(c, options)
            for t in sorted(set(ts or [])):
                rows.append([i, t, ts.count(t)])
        out.append({"name": name, "call": "terms", "input": {"comments": TRICKY + [None], "options": options},
                    "expected": {"rows": rows}, "tolerance": TOL})

    comments, groups, answers = corpus(28, 400)
    case("keyness_nps_detractors_vs_promoters", {"comments": comments, "answers": answers, "options": {}},
         by_answers(comments, answers, {}))
    for name, options in [
        ("keyness_group_vs_rest_chi2", {"target": "billing", "statistic": "chi2"}),
        ("keyness_group_vs_group_lr_level90", {"target": "billing", "reference": "app", "statistic": "lr",
                                               "level": 0.9}),
        ("keyness_group_pmi_holm", {"target": "app", "statistic": "pmi", "correction": "holm", "min_count": 3}),
        ("keyness_group_weighted_log_odds", {"target": "store", "statistic": "weighted_log_odds"}),
        ("keyness_unigrams_no_stop_words", {"target": "billing", "ngrams": [1, 1], "stop_words": "none"}),
        ("keyness_bigrams_user_stop_words", {"target": "billing", "ngrams": [2, 2],
                                             "stop_words": ["The", "ON", "and", "it", "was"]}),
        ("keyness_low_n_not_tested", {"target": "billing", "min_n": 500}),
    ]:
        case(name, {"comments": comments, "groups": groups, "options": options}, by_groups(comments, groups, options))
    case("keyness_nps_promoters_vs_rest", {"comments": comments, "answers": answers,
                                           "options": {"target": "promoter", "reference": "rest", "min_count": 8}},
         by_answers(comments, answers, {"target": "promoter", "reference": "rest", "min_count": 8}))
    gaps = [None if i % 13 == 4 else g for i, g in enumerate(groups)]
    opts = {"target": "billing", "missing": "skip"}
    case("keyness_missing_groups_skipped", {"comments": comments, "groups": gaps, "options": opts},
         by_groups(comments, gaps, opts))

    # Token lists: a journey's touchpoints in order; bigrams are transitions.
    rng = np.random.default_rng(2808)
    steps = ["web", "app", "call", "chat", "store", "email"]
    journeys, who = [], []
    for _ in range(240):
        bad = float(rng.uniform()) < 0.4
        j = [steps[int(k)] for k in rng.integers(0, 6, int(rng.integers(1, 6)))]
        if bad and float(rng.uniform()) < 0.6:
            j += ["call", "call"]
        journeys.append(j)
        who.append("detractor" if bad else "promoter")
    opts = {"target": "detractor", "stop_words": "none", "min_count": 3}
    case("keyness_token_lists_journeys", {"comments": journeys, "groups": who, "options": opts},
         by_groups(journeys, who, opts))

    # Refusals.
    short = {"comments": comments[:40], "groups": groups[:40]}
    error("keyness_target_absent", {**short, "options": {"target": "warehouse"}}, "invalid_parameter")
    error("keyness_target_missing", {**short, "options": {}}, "invalid_parameter")
    error("keyness_reference_is_target", {**short, "options": {"target": "app", "reference": "app"}},
          "invalid_parameter")
    error("keyness_lengths_differ", {"comments": comments[:40], "groups": groups[:39],
                                     "options": {"target": "app"}}, "length_mismatch")
    error("keyness_group_missing", {"comments": comments[:40], "groups": groups[:7] + [None] + groups[8:40],
                                    "options": {"target": "app"}}, "invalid_segment", index=7)
    error("keyness_option_not_read", {**short, "options": {"target": "app", "alpha": 0.05}}, "invalid_parameter")
    error("keyness_ngrams_out_of_range", {**short, "options": {"target": "app", "ngrams": [1, 4]}},
          "invalid_parameter")
    error("keyness_stop_words_unknown", {**short, "options": {"target": "app", "stop_words": "french"}},
          "invalid_parameter")
    error("keyness_statistic_misspelt", {**short, "options": {"target": "app", "statistic": "chi"}},
          "invalid_parameter")
    error("keyness_min_count_zero", {**short, "options": {"target": "app", "min_count": 0}}, "invalid_parameter")
    error("keyness_memory_cap", {**short, "options": {"target": "app", "max_terms": 20}}, "invalid_parameter")
    error("keyness_target_without_comments", {"comments": [None, "", "fine", "ok"], "groups": ["a", "a", "b", "b"],
                                              "options": {"target": "a"}}, "empty")
    error("keyness_comment_not_text", {"comments": ["fine", 12.5, "ok"], "groups": ["a", "a", "b"],
                                       "options": {"target": "a"}}, "not_text", index=1)
    error("keyness_answer_missing", {"comments": ["fine", "ok"], "answers": [3, None], "options": {}},
          "missing_value", index=1)
    error("keyness_answer_off_scale", {"comments": ["fine", "ok"], "answers": [3, 11], "options": {}},
          "out_of_range", index=1)
    error("keyness_by_answer_metric_key_not_read", {"comments": ["fine", "ok"], "answers": [3, 9],
                                                    "options": {"threshold": 4}}, "invalid_parameter")
    return out
