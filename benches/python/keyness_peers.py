"""Keyness of 10⁶ comments against what a Python user would otherwise write, side by side in one process.

The corpus: comments of 10–30 words (about 20) drawn from a Zipf-distributed vocabulary of common English
words and 20,000 made-up ones, a comma after every 7th word and a full stop at the end — the vocabulary and
distribution of `cem_benches::corpus` (benches/src/lib.rs), drawn here with numpy's seeded generator —
and an NPS answer per comment; detractors against promoters.

- cemscore.keyness(comments=..., answers=...): tokens, tallies, score tests, intervals, BH, log-odds.
- scikit-learn's CountVectorizer(ngram_range=(1, 2), binary=True) (mention counts per comment), then the
  same statistic in numpy: mentions per side, mention rates, Miettinen–Nurminen score z, Newcombe's
  hybrid interval, Benjamini–Hochberg q over the terms with at least 5 mentions, the display log-odds.
  (CountVectorizer keeps no stop words and words of two or more characters: it does less work than cem.)

Medians of repetitions for cemscore, one run for the peer. Writes JSON for benches/report.py.
Run: .venv/bin/python benches/python/keyness_peers.py --out target/bench/keyness.json
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.special import ndtr, ndtri

import cemscore
from timing import machine, timed


def vocabulary():
    common = ("the i to and a was it my of for on not very is in they with this but have no that service app "
              "refund hold easy call staff helpful slow great never again support price").split(" ")
    syl = ["ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "ba", "gor"]
    made = [f"{syl[k % 12]}{syl[(k // 12) % 12]}{syl[(k // 144) % 12]}{k // 1728}" for k in range(20_000)]
    return common + made


def corpus(n, seed=7):
    vocab = np.array(vocabulary(), dtype=object)
    w = 1.0 / (np.arange(len(vocab)) + 2.7)
    rng = np.random.default_rng(seed)
    lengths = 10 + rng.integers(0, 21, n)
    draws = vocab[rng.choice(len(vocab), size=int(lengths.sum()), p=w / w.sum())]
    texts, at = [], 0
    for k in lengths.tolist():
        words = draws[at:at + k].tolist()
        at += k
        texts.append("".join(((", " if j % 7 == 0 else " ") + x) if j else x for j, x in enumerate(words)) + ".")
    return texts, rng.integers(0, 11, n).astype(np.uint8)


def wilson(x, n, z):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def sklearn_keyness(texts, answers, min_count=5, level=0.95):
    from sklearn.feature_extraction.text import CountVectorizer
    cv = CountVectorizer(ngram_range=(1, 2), binary=True)
    X = cv.fit_transform(texts).tocsr()
    target, reference = answers <= 6, answers >= 9
    mt = np.asarray(X[target].sum(axis=0)).ravel().astype(float)
    mr = np.asarray(X[reference].sum(axis=0)).ravel().astype(float)
    nt, nr = float(target.sum()), float(reference.sum())
    keep = mt + mr >= min_count
    mt, mr = mt[keep], mr[keep]
    terms = cv.get_feature_names_out()[keep]
    z = ndtri(1 - (1 - level) / 2)
    p1, p2 = mt / nt, mr / nr
    l1, u1 = wilson(mt, nt, z)
    l2, u2 = wilson(mr, nr, z)
    d = p1 - p2
    lo, hi = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    pooled = (mt + mr) / (nt + nr)
    stat = d / np.sqrt(pooled * (1 - pooled) * (1 / nt + 1 / nr) * (nt + nr) / (nt + nr - 1))
    p = np.minimum(2 * ndtr(-np.abs(stat)), 1.0)
    order = np.argsort(p)
    q = np.empty_like(p)
    q[order] = np.minimum(1, np.minimum.accumulate((p[order] * len(p) / np.arange(1, len(p) + 1))[::-1])[::-1])
    m, n = mt + mr, nt + nr
    log_odds = np.log((mt + m) / (nt - mt + n - m)) - np.log((mr + m) / (nr - mr + n - m))
    return terms, 100 * d, 100 * lo, 100 * hi, q, log_odds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="target/bench/keyness.json")
    ap.add_argument("--sizes", default="100000,1000000")
    args = ap.parse_args()
    import sklearn  # installed for make bench only

    print(machine(np, sklearn))
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        texts, answers = corpus(n)
        t_cem, k = timed(lambda t=texts, a=answers: cemscore.keyness(comments=t, answers=a), 3)
        t_sk, (terms, diff, *_rest) = timed(lambda t=texts, a=answers: sklearn_keyness(t, a), 1)
        # The same table where the tokens agree: a word both keep has the same difference (bigrams differ:
        # CountVectorizer drops one-letter words before pairing, so "it i was" gives it "it was").
        ours = dict(zip(k["term"], k["difference"]))
        shared = [(ours[t], d) for t, d in zip(terms.tolist(), diff.tolist()) if t in ours and " " not in t]
        assert shared and max(abs(a - b) for a, b in shared) < 1e-9, "the two tables disagree"
        row = {"n": n, "cemscore.keyness": t_cem, "scikit-learn CountVectorizer + numpy": t_sk, "terms": len(k)}
        print(row)
        rows.append(row)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps({"machine": machine(np, sklearn), "keyness": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
