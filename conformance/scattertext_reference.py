"""The display log-odds and the Fightin' Words z of keyness against scattertext, on its bundled corpus.

Runs in its own venv (scattertext pulls about 58 packages and pins numpy and scipy below the generator's):
`make scattertext-vectors`, which makes the venv with conformance/scattertext-venv.sh and writes
conformance/vectors/keyness_scattertext.json. `make vectors` and `make check-vectors` leave that file alone.

The corpus: the 2012 US party convention speeches (`st.SampleCorpora.ConventionData2012`), tokenised by
scattertext itself (`CorpusFromPandas` with `whitespace_nlp_with_sentences`: its unigrams and bigrams).
Democrats' speeches are the target, Republicans' the reference.

Units. cem's δ is on mentions: per term, the speeches mentioning it (m_t, m_r) out of the speeches (n_t,
n_r), with the pooled counts as the prior (α_w = m = m_t + m_r, α_0 = n = n_t + n_r). scattertext's
`LogOddsRatioInformativeDirichletPrior(priors, scale_type="none")` computes, over a vocabulary with counts
y_i, y_j and priors α (Monroe, Colaresi & Quinn 2008, eqs. 16 and 18–20 with the full variance):

    δ_w = ln((y_iw + α_w)/(n_i + α_0 − y_iw − α_w)) − ln((y_jw + α_w)/(n_j + α_0 − y_jw − α_w)),
    n_i = Σ_w y_iw, α_0 = Σ_w α_w, σ²_w = the sum of the reciprocals of the four terms, z_w = δ_w/σ_w.

So it is fed, per term, the two-row vocabulary [mentions, speeches without it] for each side (then n_i is
the side's speeches) with the priors [m, n − m] (then α_0 = n): its row 0 is cem's δ, in cem's units.
scattertext returns the z only; its δ is that z times σ, σ from the same pseudo-counts.

What cem is given: each speech as the token list of the selected terms it mentions (token lists skip
cem's tokeniser, so both sides count the same terms in the same speeches), with ngrams (1, 1), no stop
words, min_count 1 and min_n 1 so every selected term is listed. The terms: the 40 mentioned in most
speeches (so every speech mentions one and counts as a comment) and 260 more evenly spaced through the
rest of those mentioned in at least 3 speeches, in order of mentions then term (deterministic), less the
few whose score-test p ties another term's (see `untied`).

cem lists terms by rank (q, then p, then |difference|, then term), so the expected rows are put in that
order from statsmodels' score test and Benjamini–Hochberg q (as conformance/keyness_reference.py).
"""

import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import scattertext as st
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import test_proportions_2indep

OUT = Path(__file__).parent / "vectors" / "keyness_scattertext.json"
TARGET, REFERENCE = "democrat", "republican"
TOP, SPREAD, MIN_MENTIONS = 40, 260, 3


def speeches():
    """(party per speech, term list, the speech × term mention matrix) from scattertext's own corpus."""
    df = st.SampleCorpora.ConventionData2012.get_data()
    corpus = st.CorpusFromPandas(df, category_col="party", text_col="text",
                                 nlp=st.whitespace_nlp_with_sentences).build()
    mentions = (corpus.get_term_doc_mat() > 0).astype(np.int64).tocsc()
    return list(corpus.get_category_names_by_row()), list(corpus.get_terms()), mentions


def select(terms, mentions):
    """Column indices of the selected terms (see the module's doc)."""
    m = np.asarray(mentions.sum(axis=0)).ravel()
    n = mentions.shape[0]
    eligible = sorted((i for i in range(len(terms)) if MIN_MENTIONS <= m[i] < n), key=lambda i: (-m[i], terms[i]))
    rest = eligible[TOP:]
    picked = eligible[:TOP] + [rest[round(k * (len(rest) - 1) / (SPREAD - 1))] for k in range(SPREAD)]
    assert len(set(picked)) == TOP + SPREAD
    return picked


def scattertext_delta_z(mt, mr, nt, nr):
    """scattertext's z for one term fed as [mentions, speeches without it] per side, and its δ = z·σ."""
    m, n = mt + mr, nt + nr
    priors = np.array([m, n - m], dtype=float)
    scorer = st.LogOddsRatioInformativeDirichletPrior(priors, scale_type="none")
    z = float(scorer.get_zeta_i_j_given_separate_counts(np.array([mt, nt - mt], dtype=float),
                                                        np.array([mr, nr - mr], dtype=float))[0])
    sigma = math.sqrt(1 / (mt + m) + 1 / (nt - mt + n - m) + 1 / (mr + m) + 1 / (nr - mr + n - m))
    return z * sigma, z


def untied(rows):
    """The rows less those whose p equals another's with other counts (a term and one with the complement
    counts, n_t − m_t and n_r − m_r, have the same p and |difference|): cem ranks those by p's last bits,
    which the vector must not hinge on. Of each such pair the term with more mentions is left out."""
    by_p = sorted(rows, key=lambda r: r["_p"])
    out = set()
    for a, b in zip(by_p, by_p[1:]):
        counts = (a["target_mentions"], a["reference_mentions"]) != (b["target_mentions"], b["reference_mentions"])
        if counts and abs(a["_p"] - b["_p"]) <= 1e-9 * max(a["_p"], b["_p"]):
            out.add(max(a, b, key=lambda r: (r["target_mentions"] + r["reference_mentions"], r["term"]))["term"])
    return [r for r in rows if r["term"] not in out]


def case():
    parties, terms, mentions = speeches()
    picked = select(terms, mentions)
    sub = mentions[:, picked].tocsr()
    is_t = np.array([p == TARGET for p in parties])
    nt, nr = int(is_t.sum()), int((~is_t).sum())
    mt_all = np.asarray(sub[is_t].sum(axis=0)).ravel()
    mr_all = np.asarray(sub[~is_t].sum(axis=0)).ravel()
    rows = []
    for j in sorted(range(len(picked)), key=lambda j: terms[picked[j]]):  # cem's term order breaks ties
        mt, mr = int(mt_all[j]), int(mr_all[j])
        delta, z = scattertext_delta_z(mt, mr, nt, nr)
        with warnings.catch_warnings():  # its odds ratio of a term one side never mentions divides by zero
            warnings.simplefilter("ignore", RuntimeWarning)
            score = float(test_proportions_2indep(mt, nt, mr, nr, method="score", alternative="two-sided").statistic)
        p = min(1.0, math.erfc(abs(score) / math.sqrt(2)))
        rows.append({"term": terms[picked[j]], "target_mentions": mt, "reference_mentions": mr,
                     "log_odds": delta, "log_odds_z": z, "_p": p, "_diff": mt / nt - mr / nr, "_column": j})
    rows = untied(rows)
    kept = sub[:, sorted(r["_column"] for r in rows)].tocsr()
    names = [terms[picked[r["_column"]]] for r in sorted(rows, key=lambda r: r["_column"])]
    comments = [sorted(names[j] for j in kept[i].indices) for i in range(kept.shape[0])]
    assert all(comments), "a speech mentions none of the selected terms"
    q = multipletests([r["_p"] for r in rows], method="fdr_bh")[1]
    by_q = sorted(set(q))
    assert all(b - a > 1e-9 * b for a, b in zip(by_q, by_q[1:])), "q-values nearly tied"
    order = sorted(range(len(rows)), key=lambda k: (q[k], rows[k]["_p"], -abs(rows[k]["_diff"])))
    expected_rows = [{k: v for k, v in rows[k].items() if not k.startswith("_")} for k in order]
    return {
        "name": "keyness_scattertext_convention_2012",
        "call": "keyness",
        "input": {
            "comments": comments,
            "groups": parties,
            "options": {"target": TARGET, "reference": REFERENCE, "ngrams": [1, 1], "stop_words": "none",
                        "min_count": 1, "min_n": 1, "statistic": "log_odds_z"},
        },
        "expected": {"target": TARGET, "reference": REFERENCE, "target_texts": nt, "reference_texts": nr,
                     "terms": expected_rows},
        "tolerance": {"abs": 1e-9, "rel": 1e-9},
    }


def encode(x):
    """Expected floats to 12 significant digits, as conformance/generate.py writes them."""
    if isinstance(x, float):
        return float(f"{x:.12g}")
    if isinstance(x, list):
        return [encode(v) for v in x]
    if isinstance(x, dict):
        return {k: encode(v) for k, v in x.items()}
    return x


def main():
    out = Path(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else OUT
    c = case()
    c["expected"] = encode(c["expected"])
    doc = {"description": "cem conformance vectors: keyness_scattertext (the display log-odds and the Fightin' "
                          "Words z against scattertext " + st.__version__ + " on its 2012 convention corpus). "
                          "Generated by conformance/scattertext_reference.py (make scattertext-vectors); "
                          "do not edit.",
           "cases": [c]}
    out.write_text(json.dumps(doc, indent=1, allow_nan=False) + "\n")
    print(f"wrote {len(c['expected']['terms'])} terms ({c['expected']['target_texts']} + "
          f"{c['expected']['reference_texts']} speeches) to {out}")


if __name__ == "__main__":
    main()
