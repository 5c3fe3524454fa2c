"""pyproject.toml (PEP 621, PEP 735 groups, Poetry, PDM, uv, Hatch environments) and Pipfile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kigate.detect import usage
from kigate.detect.base import Context, toml_document
from kigate.detect.pyspec import Lines, Spec, group_scope, known, match
from kigate.model import Component, Scope

NAMES = frozenset({"pyproject.toml", "Pipfile"})


def scan(ctx: Context, path: str, text: str) -> Iterator[Component]:
    doc = toml_document(ctx, path, text)
    if doc is None:
        return
    lines = Lines(text)
    groups = _pipfile(doc) if path.endswith("Pipfile") else _pyproject(doc)
    # Lines are looked up for catalogued packages only: each look-up scans the file.
    specs = (
        Spec(spec, lines.of(name) if name else None, scope, usage)
        for spec, name, scope, usage in groups
        if known(ctx, spec)
    )
    yield from match(ctx, path, specs)


Group = Iterator[tuple[str, str | None, Scope, str | None]]


def _table(value: Any, *keys: str) -> dict[str, Any]:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, dict) else {}


def _strings(specs: Any, scope: Scope, group: str = "") -> Group:
    """PEP 508 strings; the name for the line lookup is the spec's first word."""
    for spec in specs if isinstance(specs, list) else ():
        if isinstance(spec, str):
            yield spec, _first_word(spec), scope, usage.of_group(group)


def _first_word(spec: str) -> str:
    word = spec.strip()
    for stop in " [<>=!~;@(":
        word = word.split(stop, 1)[0]
    return word


def _keys(table: dict[str, Any], scope: Scope, group: str = "") -> Group:
    """Poetry and Pipfile style: ``name = "version"`` or ``name = { ... }``."""
    for name in table:
        if name.lower() != "python":
            yield name, name, scope, usage.of_group(group)


def _pyproject(doc: dict[str, Any]) -> Group:
    project = _table(doc, "project")
    yield from _strings(project.get("dependencies"), Scope.PRODUCT)
    for group, specs in _table(project, "optional-dependencies").items():
        yield from _strings(specs, group_scope(group), group)
    for group, specs in _table(doc, "dependency-groups").items():
        yield from _strings(specs, group_scope(group), group)
    poetry = _table(doc, "tool", "poetry")
    yield from _keys(_table(poetry, "dependencies"), Scope.PRODUCT)
    yield from _keys(_table(poetry, "dev-dependencies"), Scope.DEVELOPMENT)
    for group, table in _table(poetry, "group").items():
        yield from _keys(_table(table, "dependencies"), group_scope(group), group)
    pdm = _table(doc, "tool", "pdm")
    for group, specs in _table(pdm, "dev-dependencies").items():
        yield from _strings(specs, Scope.DEVELOPMENT, group)
    uv = _table(doc, "tool", "uv")
    yield from _strings(uv.get("dev-dependencies"), Scope.DEVELOPMENT)
    # Hatch environments run tests, linters and docs: development by nature.
    for env in _table(doc, "tool", "hatch", "envs").values():
        if isinstance(env, dict):
            yield from _strings(env.get("dependencies"), Scope.DEVELOPMENT)
            yield from _strings(env.get("extra-dependencies"), Scope.DEVELOPMENT)


def _pipfile(doc: dict[str, Any]) -> Group:
    yield from _keys(_table(doc, "packages"), Scope.PRODUCT)
    yield from _keys(_table(doc, "dev-packages"), Scope.DEVELOPMENT)
