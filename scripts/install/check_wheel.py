"""Run by scripts/test-install.sh inside a fresh venv holding only the installed wheel (and numpy)."""

import importlib.metadata
import pickle
import shutil
import sys

assert shutil.which("cargo") is None and shutil.which("rustc") is None, "Rust is on PATH"
import cemscore  # noqa: E402

assert cemscore.__file__.startswith(sys.prefix), f"cemscore imported from {cemscore.__file__}, not the venv"
assert importlib.metadata.version("cemscore") == cemscore.__version__ == sys.argv[1], cemscore.__version__

e = cemscore.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 2])
assert e.value == 20.0 and e.n == 10, e
assert e.interval.method == "adjusted_wald" and e.interval.level == 0.95, e
tally = cemscore.Tally.from_answers([10, 9, 9, 8, 7, 6, 3, 10, 9, 2], scale=(0, 10))
again = pickle.loads(pickle.dumps(tally))
assert cemscore.nps(again).value == 20.0
try:
    cemscore.nps([10, 11])
except cemscore.CemError as err:
    assert err.code == "out_of_range" and err.index == 1, (err.code, err.index)
else:
    raise AssertionError("11 accepted on 0-10")
e2 = cemscore.nps(["9", "10", " 3 ", ""], missing="skip")
assert e2.n == 3 and e2.skipped == 1, e2
print(f"wheel: cemscore {cemscore.__version__} ok: {e!r}")
