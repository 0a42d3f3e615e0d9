"""Key driver analysis against the Python tools a user would otherwise reach for, in one process.

- The moment tally (cemscore.DriverTally) on 10⁶ rows × 20 drivers vs numpy's X.T @ X on the same data.
- lmg (Shapley value of R²) at p = 10, 15, 20: cemscore.drivers vs pingouin.linear_regression(relimp=True)
  (pingouin, installed by `make bench` from benches/requirements.txt; it enumerates subsets with pandas
  indexing, so p = 20 is not attempted: > 10 min); pingouin's `relimp` is also checked to equal cemscore's
  importances (1e-9). The dominance-analysis package is not run: its latest release (1.1.9) cannot be
  imported with numpy 2 or a current IPython (see benches/requirements.txt).
- relative_weights at p = 200.

Medians of repetitions (one run for slow peers). Run: .venv/bin/python benches/python/drivers_peers.py
"""

import sys

import numpy as np
import pandas as pd

import cemscore
from timing import timed


def survey(n, p, seed=1):
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    X = np.clip(np.round(3 + 0.8 * (rng.normal(size=(n, p)) + 0.6 * common[:, None])), 1, 5)
    y = X @ (1.0 / np.arange(1, p + 1)) + rng.normal(0, 2, n)
    return pd.DataFrame(X, columns=[f"d{j}" for j in range(p)]).assign(y=y)


def main():
    rows = []
    df = survey(1_000_000, 20)
    names = [f"d{j}" for j in range(20)]
    Z = np.ascontiguousarray(df[["y", *names]].to_numpy())

    def tally():
        t = cemscore.DriverTally("y", names)
        t.update(df)
        return t

    rows.append(("moment tally 10⁶ × 20", "cemscore.DriverTally", timed(tally, 3)[0]))
    rows.append(("moment tally 10⁶ × 20", "numpy X.T @ X", timed(lambda: Z.T @ Z, 3)[0]))
    rows.append(("moment tally 10⁶ × 20", "numpy centred Xc.T @ Xc", timed(lambda: (Z - Z.mean(0)).T @ (Z - Z.mean(0)), 3)[0]))
    import pingouin
    for p in (10, 15, 20):
        d = survey(2_000, p)
        cols = [f"d{j}" for j in range(p)]
        t, ours = timed(lambda: cemscore.drivers(d, "y", cols), 5)
        rows.append((f"lmg p = {p}", "cemscore", t))
        if p <= 15:
            t, theirs = timed(lambda: pingouin.linear_regression(d[cols], d["y"], relimp=True), 1)
            rows.append((f"lmg p = {p}", f"pingouin {pingouin.__version__}", t))
            got = theirs.set_index("names")["relimp"].loc[cols].to_numpy()
            assert np.allclose(got, ours["importance"].to_numpy(), atol=1e-9), (got, ours["importance"])
    d = survey(5_000, 200)
    cols = [f"d{j}" for j in range(200)]
    rows.append(("relative_weights p = 200", "cemscore",
                 timed(lambda: cemscore.drivers(d, "y", cols, method="relative_weights"), 5)[0]))
    print(f"{'task':28} {'tool':28} {'seconds':>10}")
    for task, tool, t in rows:
        print(f"{task:28} {tool:28} {t:10.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
