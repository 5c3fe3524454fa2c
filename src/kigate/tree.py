"""The Tree protocol detection reads through, and the rules every tree shares: how a file
name is shown, which paths are excluded, when a path stays inside the repository, and how a
small file is read without blocking on a FIFO or a device."""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

# Directories of vendored, installed or generated code: not the project's own.
DEFAULT_EXCLUDES = (
    ".git",
    "node_modules",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "site-packages",
    "vendor",
    "third_party",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "build",
    "dist",
    "target",
    ".eggs",
)


class Tree(Protocol):
    """Read-only view of the files kigate judges (working tree, index, a commit)."""

    @property
    def root(self) -> Path: ...

    def files(self) -> tuple[str, ...]: ...

    def read(self, path: str, limit: int) -> bytes | None:
        """At most ``limit`` bytes of a regular file inside the repository, else None."""

    def size(self, path: str) -> int | None: ...

    def exists(self, path: str) -> bool: ...

    def content_key(self, path: str) -> str | None:
        """A key that changes whenever the file's content may have; None: do not cache."""


def is_excluded(path: str, excludes: Iterable[str]) -> bool:
    names, globs = _compiled_excludes(tuple(excludes))
    if names and "/" in path and not names.isdisjoint(path.split("/")[:-1]):
        return True
    return globs is not None and globs(path) is not None


@functools.lru_cache(maxsize=16)
def _compiled_excludes(
    excludes: tuple[str, ...],
) -> tuple[frozenset[str], Callable[[str], re.Match[str] | None] | None]:
    """Directory names and one regex for the patterns: a listing of 100k paths is matched
    once per path, not once per pattern and path."""
    names: set[str] = set()
    globs: list[str] = []
    for pattern in excludes:
        if "/" not in pattern and not any(c in pattern for c in "*?["):
            names.add(pattern)
        else:
            globs += [fnmatch.translate(pattern), fnmatch.translate(pattern + "/*")]
    return frozenset(names), (re.compile("|".join(globs)).match if globs else None)


def excluder(excludes: Iterable[str]) -> Callable[[str], bool]:
    """``is_excluded`` with the patterns bound: for listings of 100k paths (index, commit)."""
    frozen = tuple(excludes)
    return lambda path: is_excluded(path, frozen)


def inside(root: Path, candidate: Path) -> bool:
    """True if ``candidate`` (after resolving links) stays within ``root``."""
    try:
        real = Path(os.path.realpath(candidate))
    except (OSError, ValueError):
        return False
    return real == root or root in real.parents


def enclosing_repository(path: Path) -> Path:
    """The resolved top of the git repository holding ``path`` (the nearest folder with a
    ``.git`` entry), else ``path`` resolved: the boundary reads and writes must respect."""
    real = Path(os.path.realpath(path))
    for folder in (real, *real.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return real


def files_under(tree: Tree, folder: str) -> tuple[str, ...]:
    """The files directly in ``folder`` (``a/b/``, with its slash), sorted. A tree that can
    answer without going through every file (``DeltaTree.in_folder``) is asked so."""
    ask = getattr(tree, "in_folder", None)
    if callable(ask):
        return tuple(ask(folder))
    return tuple(f for f in tree.files() if directly_in(f, folder))


def directly_in(path: str, folder: str) -> bool:
    """Whether ``path`` names a file in ``folder`` itself (``a/b/``), not in a folder below."""
    return path.startswith(folder) and "/" not in path[len(folder) :]
