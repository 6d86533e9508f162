"""The layout's rules that code can check: no import cycles (lazy imports inside functions count too), role
protocols with one method each, and no module over 400 lines or function over 80 in assistant/ and evals/."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def modules(package: str) -> dict[str, Path]:
    out = {}
    for path in (ROOT / package).rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Known modules `name` imports anywhere in its file (the longest known prefix of each imported name)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".")[: len(name.split(".")) - node.level + (path.name == "__init__.py")]
                base = ".".join(package + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


@pytest.mark.parametrize("packages", [("assistant",), ("assistant", "evals")])
def test_no_import_cycles(packages):
    known = {k: v for p in packages for k, v in modules(p).items()}
    graph = {name: imports(name, path, known) for name, path in known.items()}
    assert cycles(graph) == []


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def role_protocols():
    from assistant import protocols
    from assistant.facilitation import drafting, finder, review, vectors

    for module in (protocols, drafting, finder, review, vectors):
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and getattr(cls, "_is_protocol", False) and cls.__module__ == module.__name__:
                yield pytest.param(cls, id=f"{module.__name__}.{name}")


@pytest.mark.parametrize("protocol", list(role_protocols()))
def test_each_role_protocol_has_one_method(protocol):
    members = [n for n, v in vars(protocol).items() if not n.startswith("_") and (callable(v) or isinstance(v, property))]
    assert len(members) == 1, members


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def oversized(name: str, source: str) -> list[str]:
    """The module itself and each function in it that is longer than the limits."""
    out = []
    if len(source.splitlines()) > MAX_MODULE_LINES:
        out.append(f"{name}: {len(source.splitlines())} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                out.append(f"{name}:{node.lineno} {node.name}(): {length} lines")
    return out


def test_modules_and_functions_stay_small():
    """No module over 400 lines and no function over 80 in assistant/ and evals/ (split by concept instead)."""
    found = [problem for package in ("assistant", "evals") for path in sorted((ROOT / package).rglob("*.py"))
             for problem in oversized(path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8"))]
    assert found == []


def test_size_check_finds_long_functions_and_modules():
    long_function = "def f():\n" + "    x = 1\n" * 80
    assert oversized("m.py", long_function) == ["m.py:1 f(): 81 lines"]
    assert oversized("m.py", "x = 1\n" * 401) == ["m.py: 401 lines"]
    assert oversized("m.py", "def f():\n" + "    x = 1\n" * 79) == []
