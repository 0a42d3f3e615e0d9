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
    bad.write_text('import cemscore\ncemscore.nps([9, 10], method="wilsn")\ncemscore.compare_to(cemscore.nps([9]), 1.0, test="waldd")\n')
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", str(bad)], capture_output=True, text=True)
    assert out.returncode == 1, out.stdout
    assert "Literal['wilsn']" in out.stdout and "Literal['waldd']" in out.stdout, out.stdout
