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


def _modules():
    """The package and each of its Python modules (doctest.testmod reads one module's own objects)."""
    import importlib
    import pkgutil

    import cemscore

    names = [m.name for m in pkgutil.iter_modules(cemscore.__path__) if m.name != "_cemscore"]
    return [cemscore] + [importlib.import_module(f"cemscore.{n}") for n in names]


def test_docstring_examples_run():
    """Every Examples section of the package's docstrings runs as a doctest (numpydoc style), in every module."""
    import doctest

    attempted = 0
    for module in _modules():
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted >= 90


def _public():
    import inspect

    import cemscore

    objects = [(n, getattr(cemscore, n)) for n in cemscore.__all__]
    return [(n, o) for n, o in objects
            if inspect.isfunction(o) or getattr(o, "__module__", "").split(".")[0] == "cemscore"
            and o.__module__ != "cemscore.records"]  # the TypedDicts document their fields instead


@pytest.mark.parametrize("name", ["CemError", "Estimate", "Interval", "Comparison"])
def test_the_extension_classes_docstring_examples_run(name):
    """The classes defined in Rust (module cemscore._cemscore), which doctest.testmod(cemscore) skips."""
    import doctest

    import cemscore

    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = doctest.DocTestFinder().find(getattr(cemscore, name), name, globs={})
    for test in tests:
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert sum(len(t.examples) for t in tests) >= 2


@pytest.mark.parametrize("name, obj", _public(), ids=[n for n, _ in _public()])
def test_every_public_function_and_class_has_a_numpydoc_docstring(name, obj):
    import inspect

    doc = inspect.cleandoc(obj.__doc__ or "")  # Python's docstrings are indented, Rust's are not
    sections = ["Examples\n--------"]
    if inspect.isfunction(obj):
        sections += ["Parameters\n----------", "Returns\n-------", "Raises\n------"]
    for section in sections:
        assert section in doc, (name, section.split("\n")[0])


@pytest.mark.parametrize("name", ["nps_responses_needed", "proportion_responses_needed", "mean_responses_needed",
                                  "nps_detectable_difference", "proportion_detectable_difference"])
def test_planning_docstrings_give_units(name):
    import cemscore

    doc = getattr(cemscore, name).__doc__
    assert "percent" in doc or "scale units" in doc
