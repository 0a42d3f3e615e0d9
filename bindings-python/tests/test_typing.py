"""The hand-kept stubs agree with the module: mypy --strict accepts a typed example, which then runs."""

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "typed_example.py"


def test_mypy_strict_accepts_the_typed_example():
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(EXAMPLE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_typed_example_runs():
    out = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("NPS ")


def test_stubs_name_everything_the_module_exports():
    import cemscore._cemscore as m

    stub = (Path(m.__file__).parent / "_cemscore.pyi").read_text()
    public = [n for n in dir(m) if not n.startswith("__")]
    missing = [n for n in public if f"def {n}(" not in stub and f"class {n}" not in stub]
    assert not missing, missing


def test_mypy_rejects_a_name_outside_a_vocabulary(tmp_path):
    # The Literal types are generated from the core's vocabularies (cemscore.vocabulary).
    bad = tmp_path / "bad.py"
    bad.write_text('import cemscore\n'
                   'cemscore.nps([9, 10], method="wilsn")\n'
                   'cemscore.compare_to(cemscore.nps([9]), 1.0, test="waldd")\n')
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(bad)], capture_output=True, text=True)
    assert out.returncode == 1, out.stdout
    assert "Literal['wilsn']" in out.stdout and "Literal['waldd']" in out.stdout, out.stdout


def test_the_package_passes_mypy_strict():
    # stubtest type-checks the package with mypy's defaults; the package holds itself to --strict.
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "-p", "cemscore"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_stubtest_finds_the_stubs_match_the_module():
    allowlist = Path(__file__).resolve().parents[1] / "stubtest-allowlist.txt"
    out = subprocess.run([sys.executable, "-m", "mypy.stubtest", "cemscore", "--allowlist", str(allowlist)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


OVERLOADS = '''
from typing import List

import numpy as np
import pandas as pd
import polars as pl
from typing_extensions import assert_type

import cemscore

keys, answers = ["a", "b"] * 20, [10, 3] * 20
pdf = pd.DataFrame({"k": keys, "a": answers})
pldf = pl.DataFrame({"k": keys, "a": answers})
s = cemscore.SegmentTally((0, 10))
s.update(keys, answers)
assert_type(cemscore.benchmark(pdf, answer="a", segment="k"), pd.DataFrame)
assert_type(cemscore.benchmark(pldf, answer="a", segment="k", min_n=5), pl.DataFrame)
assert_type(cemscore.benchmark(segments=pdf["k"], answers=pdf["a"]), pd.DataFrame)
assert_type(cemscore.benchmark(segments=pldf["k"], answers=pldf["a"]), pl.DataFrame)
assert_type(cemscore.benchmark(segments=s, against={"kind": "benchmark", "value": 10.0}), cemscore.BenchmarkTable)
table = cemscore.benchmark(segments=np.array(keys), answers=answers, correction="fdr_bh")
assert_type(table, cemscore.BenchmarkTable)
trend = cemscore.trend(dates=["2025-01-02"] * 40, answers=answers, every="week")
assert_type(trend, cemscore.TrendTable)
assert_type(trend.to_dicts()[0]["period"], str)
assert_type(trend.changed, List[cemscore.TrendRow])
assert_type(table.to_dicts(), List[cemscore.BenchmarkRow])
assert_type(table.summary["significantly_below"], int)
assert_type(table.to_dicts()[0]["adjusted_p_value"], float | None)
assert_type(cemscore.nps(answers).to_dict()["interval"]["lower"], float)
assert_type(cemscore.compare(cemscore.nps(answers), cemscore.nps([9])).to_dict()["statistic"], float | None)
breakdown = cemscore.nps(answers).breakdown
assert "promoters" in breakdown  # narrows the union of breakdowns to NPS's
assert_type(breakdown["promoters"], int)
'''


def test_mypy_types_each_call_shape_of_benchmark(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(OVERLOADS)
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(good)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    run = subprocess.run([sys.executable, str(good)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_mypy_rejects_a_wrong_key_option_or_return_type(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pandas as pd\n"
        "import cemscore\n"
        "table = cemscore.benchmark(segments=['a', 'b'], answers=[9, 3])\n"
        "frame: pd.DataFrame = cemscore.benchmark(segments=['a', 'b'], answers=[9, 3])\n"
        "side = table.to_dicts()[0]['direction']\n"
        "cemscore.benchmark(segments=['a', 'b'], answers=[9, 3], alhpa=0.1)\n"
        "cemscore.trend(dates=['2025-01-02'], answers=[9], against='rest')\n"
        "shares = cemscore.nps([9]).breakdown['promoter_shares']\n"
    )
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(bad)], capture_output=True, text=True)
    lines = {int(line.split(":")[1]) for line in out.stdout.splitlines() if line.startswith(str(bad))}
    assert lines == {4, 5, 6, 7, 8}, out.stdout
    assert '"direction"' in out.stdout and '"promoter_shares"' in out.stdout, out.stdout
