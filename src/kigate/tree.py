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


_SHORT_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(\\|n|t|r|x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")


def display_name(raw: str) -> str:
    """A file name as kigate shows it: printable, one line, encodable.

    Control, format (bidi) and separator characters and undecodable bytes (surrogates from
    ``surrogateescape``) become backslash escapes, and a backslash becomes two, so a name can
    never forge a line of output or break an encoder, and ``raw_name`` can undo it.
    """
    if raw.isprintable() and "\\" not in raw:
        return raw
    out = []
    for ch in raw:
        code = ord(ch)
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        else:
            out.append(
                f"\\x{code:02x}"
                if code < 0x80
                else (f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
            )
    return "".join(out)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] == "x":
        value = int(code[1:], 16)
        return chr(value if value < 0x80 else 0xDC00 + value)
    if code[0] in "uU":
        return chr(int(code[1:], 16))
    return {"\\": "\\", "n": "\n", "t": "\t", "r": "\r"}[code]


def raw_name(shown: str) -> str:
    """The file-system name behind a ``display_name``."""
    return _UNESCAPE.sub(_unescape, shown) if "\\" in shown else shown


def decode(raw: bytes) -> str:
    """A name or text from git or the file system: undecodable bytes kept as surrogates."""
    return raw.decode("utf-8", "surrogateescape")


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
    found: Iterable[str] = ask(folder) if callable(ask) else tree.files()
    return tuple(f for f in found if f.startswith(folder) and "/" not in f[len(folder) :])


def read_small(path: str | Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None for anything else.

    Opened without blocking and checked with ``fstat`` before reading, so a FIFO, socket or
    device planted where a small file belongs is refused instead of waited on or streamed.
    """
    from kigate import safeio  # safeio's messages need i18n; the idle hook may not

    return safeio.read_optional(path, limit)
