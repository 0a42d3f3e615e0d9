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
