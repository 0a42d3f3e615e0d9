"""The Python samples of the book (docs/src/*.md) run, so the book cannot drift from the package."""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "src"
BLOCKS = [(p.name, i, b) for p in sorted(DOCS.glob("*.md"))
          for i, b in enumerate(re.findall(r"```python\n(.*?)```", p.read_text(), re.S))]


@pytest.mark.parametrize("name, i, code", BLOCKS, ids=[f"{n}#{i}" for n, i, _ in BLOCKS])
def test_book_sample_runs(name, i, code):
    exec(compile(code, f"{name}#{i}", "exec"), {})


def test_the_book_has_python_samples():
    assert len(BLOCKS) >= 2
