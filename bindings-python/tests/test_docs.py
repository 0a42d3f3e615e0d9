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


def test_docstring_examples_run():
    """Every Examples section of the package's docstrings runs as a doctest (numpydoc style)."""
    import doctest

    import cemscore

    result = doctest.testmod(cemscore, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted >= 10


@pytest.mark.parametrize("name", ["nps_responses_needed", "proportion_responses_needed", "mean_responses_needed",
                                  "nps_detectable_difference", "proportion_detectable_difference"])
def test_planning_docstrings_are_numpydoc(name):
    import cemscore

    doc = getattr(cemscore, name).__doc__
    for section in ("Parameters\n    ----------", "Returns\n    -------", "Raises\n    ------",
                    "Examples\n    --------"):
        assert section in doc, (name, section)
    assert "percent" in doc or "scale units" in doc
