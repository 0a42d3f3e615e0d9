#!/usr/bin/env python3
"""Writes examples/survey.csv: a realistic, seeded customer-feedback survey with real effects built in.

One row per answered survey: date, region, channel, journey touchpoint, NPS (0-10), CSAT (1-5),
CES 2.0 (1-7) and a customer-value weight. The effects a CX team should find:
  - region North is better than the rest, East worse;
  - the billing touchpoint is a pain point (harder and less satisfying), delivery a bright spot;
  - phone support takes more effort;
  - NPS improves month by month, with a dip in August (a delivery outage);
  - a small "Islands" region with few answers (low n: flagged, never silently tested as if large);
  - phone support in the East is much worse than the East, the phone or support predict together (an
    interaction no single column shows: `cem discover … --depth 3` finds it, productive).
About 2% of CSAT answers are blank (not asked). Standard library only, so it runs anywhere.

Key drivers (`cem drivers`): four attribute ratings on 1–5 — ease, speed, price, agent — drawn from a
second seeded generator (so the columns above are unchanged) as a loading × the row's mood plus noise.
The effects built in: ease moves NPS most (loading 0.9) and rates lowest (centre 3.1): fix first;
speed moves it next (0.5) and rates well (3.9): keep; price barely moves it (0.15) and rates low (3.0,
lower still at billing): low priority; agent barely moves it (0.15) and rates highest (4.2): overkill.
About 1% of attribute ratings are blank (not asked).

Comments (`cem keyness`): a free-text `comment` column, last, drawn from a third seeded generator (so
the columns above are unchanged); about three rows in four are blank (no comment). Phrases follow the
answer (detractors complain, promoters praise), and the themes built in: billing detractors write about
a "refund" and being kept "on hold", app promoters say it is "easy"; sentences, never commas or line
breaks, so a naive split of a line still finds the other columns.

The population (`examples/margins.csv`, for `cem rake` and `--margins`): the customer base's mix of regions
(North 15%, South 25%, East 28%, West 17%, Central 14%, Islands 1%) and channels (web 25%, app 20%, phone
35%, store 20%) — unlike the sample's (North 22%, East 20%; web 35%, phone 20%), so the weighted NPS, with
more of the East and of phone, is lower than the raw one.

Run: python3 examples/generate_survey.py
"""

import csv
import datetime as dt
import random
from pathlib import Path

SEED = 20261122
ROWS = 30_000
REGIONS = {"North": 0.35, "South": 0.0, "East": -0.35, "West": 0.05, "Central": 0.0, "Islands": 0.1}
REGION_WEIGHTS = [22, 22, 20, 18, 17, 0.05]
CHANNELS = {"web": 0.0, "app": 0.1, "phone": -0.15, "store": 0.05}
TOUCHPOINTS = {"onboarding": 0.1, "billing": -0.6, "support": -0.1, "delivery": 0.25, "returns": -0.05}
EFFORT = {"phone": -0.5, "billing": -0.8}
MONTH_EFFECT = {m: 0.04 * (m - 1) for m in range(1, 13)}
MONTH_EFFECT[8] -= 0.45  # August delivery outage
EAST_PHONE_SUPPORT = -1.5  # on top of the region's, the channel's and the touchpoint's effects


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


# Attribute ratings: (loading on the row's mood, centre on the 1–5 scale).
ATTRIBUTES = {"ease": (0.9, 3.1), "speed": (0.5, 3.9), "price": (0.15, 3.0), "agent": (0.15, 4.2)}


def attributes(rng, mood, touchpoint):
    out = []
    for name, (loading, centre) in ATTRIBUTES.items():
        centre -= 0.4 if name == "price" and touchpoint == "billing" else 0.0
        rating = clamp(round(centre + 0.8 * (loading * mood + rng.gauss(0, 0.7))), 1, 5)
        out.append("" if rng.random() < 0.01 else rating)
    return out


COMMON = {
    "detractor": ["Slow response", "Not happy with the service", "Too expensive", "Poor service overall",
                  "Very disappointed", "Waited too long", "Nobody called back"],
    "passive": ["It was ok", "Fine overall", "Could be better", "Average experience", "Nothing special"],
    "promoter": ["Great service", "Very helpful staff", "Quick delivery", "Love it", "Fast and friendly",
                 "Would recommend"],
}
REFUND = ["Still waiting for my refund", "The refund took weeks", "Asked for a refund twice"]
ON_HOLD = ["Kept on hold for 40 minutes", "On hold forever", "I was put on hold again"]
EASY = ["So easy to use", "Easy checkout in the app", "The app makes it easy"]


def comment(rng, nps, channel, touchpoint):
    """A comment for one row, or "" (about three rows in four)."""
    if rng.random() < 0.75:
        return ""
    group = "detractor" if nps <= 6 else ("passive" if nps <= 8 else "promoter")
    phrases = [rng.choice(COMMON[group])]
    if group == "detractor" and touchpoint == "billing":
        if rng.random() < 0.5:
            phrases.append(rng.choice(REFUND))
        if rng.random() < 0.45:
            phrases.append(rng.choice(ON_HOLD))
    if group == "promoter" and channel == "app" and rng.random() < 0.6:
        phrases.append(rng.choice(EASY))
    rng.shuffle(phrases)
    return ". ".join(phrases) + rng.choice([".", "!", ""])


def main():
    rng = random.Random(SEED)
    attr_rng = random.Random(SEED + 1)
    text_rng = random.Random(SEED + 2)
    out = Path(__file__).parent / "survey.csv"
    start = dt.date(2025, 1, 1)
    with out.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["date", "region", "channel", "touchpoint", "nps", "csat", "ces", "weight", *ATTRIBUTES, "comment"])
        for _ in range(ROWS):
            day = start + dt.timedelta(days=rng.randrange(365))
            region = rng.choices(list(REGIONS), REGION_WEIGHTS)[0]
            channel = rng.choices(list(CHANNELS), [35, 30, 20, 15])[0]
            touchpoint = rng.choices(list(TOUCHPOINTS), [15, 25, 25, 25, 10])[0]
            mood = REGIONS[region] + CHANNELS[channel] + TOUCHPOINTS[touchpoint] + MONTH_EFFECT[day.month]
            if (region, channel, touchpoint) == ("East", "phone", "support"):
                mood += EAST_PHONE_SUPPORT  # no draw: every other row keeps its numbers
            mood += rng.gauss(0, 1)
            nps = clamp(round(7.6 + 1.9 * mood + rng.gauss(0, 1.2)), 0, 10)
            csat = clamp(round(3.8 + 0.9 * mood + rng.gauss(0, 0.6)), 1, 5)
            ease = mood + EFFORT.get(channel, 0) + EFFORT.get(touchpoint, 0)
            ces = clamp(round(5.0 + 1.1 * ease + rng.gauss(0, 0.8)), 1, 7)
            weight = round(rng.lognormvariate(0, 0.5), 3)
            ratings = attributes(attr_rng, mood, touchpoint)
            blank_csat = rng.random() < 0.02
            w.writerow([day.isoformat(), region, channel, touchpoint, nps, "" if blank_csat else csat, ces, weight,
                        *ratings, comment(text_rng, nps, channel, touchpoint)])
    print(f"wrote {ROWS} rows to {out}")


if __name__ == "__main__":
    main()
