"""The manifest above the checked directory: in a git repository, the nearest manifest
between the checked directory and the repository root covers what the directory holds
(the README's rule: a component is covered by the nearest manifest above it).

The checked tree stays what it was (paths relative to the checked directory); ``Widened``
adds the repository above it for paths that begin with ``../``, so the manifest above and
the evidence it names are read from where they are, never beyond the repository root. A
plain directory outside git, or a directory with its own manifest at its root, is judged
as before.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kigate.tree import Tree

# (repository root, paths there that may hold the manifest) -> a tree of the root
TopTree = Callable[[Path, list[str]], Tree]


def place(root: Path) -> tuple[Path, str] | None:
    """The repository root holding ``root`` and ``root`` relative to it ("" at the top);
    None outside git."""
    from kigate.git.shadow import locate  # reads .git, never runs git

    here = Path(os.path.realpath(root))
    found = locate(here)
    if found is None:
        return None
    top = Path(os.path.realpath(found.top))
    rel = here.relative_to(top).as_posix()
    return top, "" if rel == "." else rel


def candidates(subdir: str, name: str) -> list[str]:
    """Where a manifest above ``subdir`` may be, nearest first, relative to ``subdir``."""
    depth = len(subdir.split("/")) if subdir else 0
    return ["../" * up + name for up in range(1, depth + 1)]


@dataclass
class Widened:
    """``inner`` (the checked directory), and the repository root for paths with ``../``.

    Only ``inner``'s files are listed: detection never looks above the checked directory.
    """

    inner: Tree
    top: Tree
    subdir: str
    manifest: str  # the manifest above, relative to the checked directory

    @property
    def root(self) -> Path:
        return self.inner.root

    @property
    def above(self) -> str:
        """How far up the repository reaches from the checked directory ("../..")."""
        return "/".join([".."] * len(self.subdir.split("/")))

    def to_top(self, path: str) -> str | None:
        """``path`` relative to the repository root when it points above the checked
        directory; "" when it leaves the repository; None for a path inside ``inner``."""
        if not path.startswith("../"):
            return None
        joined = posixpath.normpath(posixpath.join(self.subdir, path))
        return "" if joined == ".." or joined.startswith("../") else joined

    def files(self) -> tuple[str, ...]:
        return self.inner.files()

    def read(self, path: str, limit: int) -> bytes | None:
        up = self.to_top(path)
        if up is None:
            return self.inner.read(path, limit)
        return self.top.read(up, limit) if up else None

    def size(self, path: str) -> int | None:
        up = self.to_top(path)
        if up is None:
            return self.inner.size(path)
        return self.top.size(up) if up else None

    def exists(self, path: str) -> bool:
        up = self.to_top(path)
        if up is None:
            return self.inner.exists(path)
        return bool(up) and self.top.exists(up)

    def content_key(self, path: str) -> str | None:
        up = self.to_top(path)
        if up is None:
            return self.inner.content_key(path)
        return self.top.content_key(up) if up else None


def widen(tree: Tree, name: str, top_tree: TopTree) -> Tree:
    """``tree``, widened by the nearest manifest ``name`` above it in the repository;
    ``tree`` itself when it has its own manifest at its root, is the repository root,
    lies outside git or has no manifest above."""
    if name in tree.files():
        return tree
    found = place(tree.root)
    if found is None or not found[1]:
        return tree
    top, subdir = found
    near = candidates(subdir, name)
    at_top = [posixpath.normpath(posixpath.join(subdir, p)) for p in near]
    upper = top_tree(top, at_top)
    for path, there in zip(near, at_top, strict=True):
        if upper.size(there) is not None:
            return Widened(tree, upper, subdir, path)
    return tree


def manifest_above(tree: Tree) -> str | None:
    """The manifest above the checked directory that ``widen`` found, if any."""
    return tree.manifest if isinstance(tree, Widened) else None


def leaves(joined: str, tree: Tree) -> bool:
    """True when a normalised path relative to the checked directory leaves what may be
    named: the checked directory, or the repository for a tree ``widen`` widened."""
    if not (joined == ".." or joined.startswith("../")):
        return False
    if not isinstance(tree, Widened):
        return True
    return tree.to_top(joined) == ""
