"""The house rules of CONTRIBUTING.md, read from the code's own imports.

Every import counts, deferred ones (inside functions) and module names resolved from strings
(``"kigate.rules.aspects:check"``, ``Format(module="kigate.formats.text")``) included.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
_NAMED = re.compile(r"kigate(?:\.\w+)+(?::\w+)?")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


@functools.cache
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _imports(name: str) -> set[str]:
    """Every kigate module ``name`` imports or names, and every third-party top-level name."""
    out: set[str] = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                out.add(whole if whole in MODULES else node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _NAMED.fullmatch(node.value)
        ):
            target = node.value.split(":")[0]
            if target in MODULES:
                out.add(target)
    out.discard(name)
    return out


GRAPH = {name: {i for i in _imports(name) if i in MODULES} for name in MODULES}


def _reaches(start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_cycle_deferred_and_named_imports_included() -> None:
    cycles = sorted(name for name in MODULES if name in _reaches(name))
    assert cycles == []


CORE = [n for n in MODULES if not n.startswith(("kigate.cli", "kigate.hook", "kigate.__main__"))]


@pytest.mark.parametrize("name", CORE)
def test_the_core_never_imports_click(name: str) -> None:
    assert not {i for i in _imports(name) if i.split(".")[0] == "click"}


@pytest.mark.parametrize("name", [n for n in MODULES if n.startswith("kigate.detect")])
def test_detectors_never_reach_git(name: str) -> None:
    assert not {m for m in _reaches(name) if m.startswith("kigate.git")}


_STARTERS = {
    ("subprocess", name) for name in ("run", "Popen", "call", "check_call", "check_output")
} | {("os", name) for name in ("system", "popen", "execv", "execvp", "execve", "spawnv", "fork")}


def _starts_processes(name: str) -> set[str]:
    """``module.function`` calls in ``name`` that start a program (types do not count)."""
    calls: set[str] = set()
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in _STARTERS:
                calls.add(f"{owner.id}.{node.func.attr}")
    return calls


@pytest.mark.parametrize("name", list(MODULES))
def test_only_the_git_runner_starts_git(name: str) -> None:
    # Besides git (git/runner.py), kigate starts only ssh-keygen, by fixed argv, to sign.
    if name == "kigate.git.runner" or name.startswith("kigate.signoff"):
        return
    assert _starts_processes(name) == set()
