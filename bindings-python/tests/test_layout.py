"""The package's rooms: `cemscore/__init__.py` only gathers names, and neither the Python modules nor the
Rust modules of the extension import in a circle (a module uses only those below it)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "python" / "cemscore"
RUST = ROOT / "src"


def _cycle(graph):
    """A cycle of `graph` (node -> set of nodes) as a list, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, path + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_init_only_imports_and_lists_all():
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    body = tree.body[1:] if isinstance(tree.body[0], ast.Expr) else tree.body  # the docstring
    for node in body:
        is_all = isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
        assert isinstance(node, (ast.Import, ast.ImportFrom)) or is_all, ast.dump(node)[:80]


def _python_imports():
    """Each module of the package -> the package's modules it imports (at the top or inside a function);
    a name imported from the package itself (`from . import name`, `from cemscore import name`) is an edge
    to `__init__`."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {"_cemscore"}
    graph = {}
    for path in PACKAGE.glob("*.py"):
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.level == 1 or node.module == "cemscore"):
                if node.level == 1 and node.module:
                    edges.add(node.module.split(".")[0])
                else:
                    edges |= {a.name if a.name in modules else "__init__" for a in node.names}
            elif isinstance(node, ast.Import):
                edges |= {a.name.split(".")[1] for a in node.names if a.name.startswith("cemscore.")}
        graph[path.stem] = edges - {path.stem}
    return graph


def test_no_python_module_imports_in_a_circle_or_from_the_package_init():
    graph = _python_imports()
    assert _cycle(graph) is None, _cycle(graph)
    upward = sorted(m for m, edges in graph.items() if "__init__" in edges)
    assert not upward, upward


def _rust_uses():
    """Each Rust module of the extension -> the modules it names as `crate::module`; a `crate::item` of
    lib.rs (not a module) is an edge to `lib`."""
    modules = {p.stem for p in RUST.glob("*.rs")} - {"lib"}
    graph = {}
    for path in RUST.glob("*.rs"):
        text = re.sub(r"//[^\n]*", "", path.read_text())
        names = set(re.findall(r"\bcrate::(\w+)", text))
        for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
            names |= {n.strip().split("::")[0] for n in group.split(",") if n.strip()}
        graph[path.stem] = {n if n in modules else "lib" for n in names} - {path.stem}
    return graph


def test_no_rust_module_uses_another_in_a_circle_or_an_item_of_lib_rs():
    graph = _rust_uses()
    graph.pop("lib")
    assert _cycle(graph) is None, _cycle(graph)
    upward = sorted(m for m, edges in graph.items() if "lib" in edges)
    assert not upward, upward
