"""Python dependencies: requirements files (with ``-r`` includes), pyproject.toml, Pipfile,
setup.cfg, setup.py (parsed with ``ast``, never run) and conda environment files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator

from kigate.detect import pyproject, setup_files, usage
from kigate.detect.base import Context, Interest, decode
from kigate.detect.literals import Lazy
from kigate.detect.pyspec import MAX_BYTES, Spec, group_scope, match
from kigate.model import Component, Scope

_INCLUDE = Lazy(r"^(?:-r|--requirement)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_CONSTRAINT = Lazy(r"^(?:-c|--constraint)\b")
_EDITABLE = Lazy(r"^(?:-e|--editable)(?:\s*=\s*|\s+)(\S+)")
_STATE = "python-dependencies"


def is_requirements(path: str) -> bool:
    """``requirements*.txt`` / ``*.in``, or any such file in a ``requirements/`` folder."""
    name = path.lower()
    if not name.endswith((".txt", ".in")):
        return False
    parent, _, base = name.rpartition("/")
    return base.startswith("requirements") or parent.rpartition("/")[2] == "requirements"


def _file_scope(path: str) -> Scope:
    stem = path.rsplit("/", 1)[-1].lower().rsplit(".", 1)[0]
    rest = stem.removeprefix("requirements").strip("-_.")
    return group_scope(rest) if rest else Scope.PRODUCT


def _file_usage(path: str) -> str | None:
    stem = path.rsplit("/", 1)[-1].lower().rsplit(".", 1)[0]
    return usage.of_group(stem.removeprefix("requirements"))


def _logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """Requirement lines with ``\\`` continuations joined and comments removed."""
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw if not pending else raw.lstrip()
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        full = pending + line
        pending = ""
        full = re.split(r"(?:^|\s)#", full, maxsplit=1)[0].strip()
        if full:
            yield start, full
    if pending.strip():
        yield start, pending.strip()  # a continuation at the very end of the file


class PythonDependencies:
    name = "python-dependencies"

    def interest(self, ctx: Context) -> Interest:
        # ``requirements/.txt`` has no extension, but ends in ".txt" as a dispatch sees it
        return Interest(
            extensions=frozenset({".txt", ".in", ".yml", ".yaml"}),
            names=pyproject.NAMES | setup_files.NAMES,
        )

    def wants(self, path: str, base: str, ctx: Context) -> int | None:
        if is_requirements(path) or base in pyproject.NAMES or base in setup_files.NAMES:
            return MAX_BYTES
        if setup_files.is_conda(base):
            return MAX_BYTES
        return None

    def scan(self, path: str, data: bytes, ctx: Context) -> Iterable[Component]:
        base = path.rsplit("/", 1)[-1]
        text = decode(ctx, path, data, MAX_BYTES)
        if text is None:
            if is_requirements(path):
                self._texts(ctx)[path] = None
            return ()
        if is_requirements(path):
            self._seen(ctx).add((path, _file_scope(path)))
            self._texts(ctx)[path] = text
            return list(self._requirements(ctx, path, text, _file_scope(path)))
        if base in pyproject.NAMES:
            return list(pyproject.scan(ctx, path, text))
        return list(setup_files.scan(ctx, path, text))

    def _seen(self, ctx: Context) -> set[tuple[str, Scope]]:
        seen: set[tuple[str, Scope]] = ctx.state.setdefault(_STATE, set())
        return seen

    def _texts(self, ctx: Context) -> dict[str, str | None]:
        texts: dict[str, str | None] = ctx.state.setdefault(_STATE + ".texts", {})
        return texts

    def _requirements(
        self, ctx: Context, path: str, text: str, scope: Scope
    ) -> Iterator[Component]:
        specs: list[Spec] = []
        for number, line in _logical_lines(text):
            include = _INCLUDE.match(line)
            if include:
                self._follow(ctx, path, include.group(1), scope)
                continue
            editable = _EDITABLE.match(line)
            if editable:
                specs.append(Spec(editable.group(1), number, scope))
                continue
            if _CONSTRAINT.match(line) or line.startswith("-"):
                # Constraints pin versions but install nothing; options name no package.
                continue
            specs.append(Spec(line.split(" --", 1)[0], number, scope, _file_usage(path)))
        yield from match(ctx, path, iter(specs))

    def _follow(self, ctx: Context, path: str, target: str, scope: Scope) -> None:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if joined.startswith("../") or joined == ".." or not ctx.has_file(joined):
            return
        pending: list[tuple[str, Scope]] = ctx.state.setdefault(_STATE + ".pending", [])
        pending.append((joined, scope))

    def finish(self, ctx: Context) -> Iterable[Component]:
        """Included requirement files, in the scope of the file that includes them."""
        pending: list[tuple[str, Scope]] = ctx.state.get(_STATE + ".pending", [])
        texts = self._texts(ctx)
        found: list[Component] = []
        while pending:
            path, scope = pending.pop(0)
            if (path, scope) in self._seen(ctx):
                continue
            self._seen(ctx).add((path, scope))
            if path not in texts:
                data = ctx.tree.read(path, MAX_BYTES + 1)
                texts[path] = None if data is None else decode(ctx, path, data, MAX_BYTES)
            text = texts[path]
            if text is not None:
                found.extend(self._requirements(ctx, path, text, scope))
        return found


DETECTOR = PythonDependencies()
