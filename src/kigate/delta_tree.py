"""The tree a check judges, seen as HEAD plus what differs from it (``git/delta.py``).

``open`` asks git one question (``git status`` for the working tree, ``git diff-index
--cached`` for the index) and lists nothing else. Reads go to the disk (working tree) or to
git's objects (index: a changed path by its blob, any other by HEAD's tree); ``files()``
is the snapshot's list patched with what changed, or, before there is a snapshot, git's full
listing. ``warm.py`` decides which of the two it is.
"""

from __future__ import annotations

import bisect
import os
from pathlib import Path

from kigate.git import delta as delta_mod
from kigate.git import runner
from kigate.git.blobs import shared_reader
from kigate.git.delta import ABSENT, Delta, Key
from kigate.git.objects import tree_entries
from kigate.tree import Tree, excluder, raw_name
from kigate.worktree import WorkTree

WORKTREE, STAGED = "worktree", "staged"


class DeltaTree:
    """HEAD's commit ``commit`` plus ``delta`` (path -> key now), for one ``view``."""

    def __init__(
        self, root: Path, view: str, excludes: tuple[str, ...], commit: str, delta: Delta
    ) -> None:
        self.root = Path(os.path.realpath(root))
        self.view, self.excludes, self.commit = view, excludes, commit
        self.delta = delta
        self.dirty: bool | None = delta.dirty if view == WORKTREE else None
        self.excluded = excluder(excludes)
        self._disk = WorkTree(self.root, excludes)
        self._full: Tree | None = None
        self._files: tuple[str, ...] | None = None
        self._file_set: frozenset[str] | None = None
        self._keys: dict[str, Key] = dict(delta.keys)  # + links and reverted paths at HEAD
        self._at_head: dict[str, tuple[str, str] | None] = {}

    # -- the two ways of knowing the files ------------------------------------------------
    def full(self) -> Tree:
        """git's full listing of the view (the cold path)."""
        if self._full is None:
            if self.view == STAGED:
                from kigate.git.trees import IndexTree

                self._full = IndexTree(self.root, self.excludes)
            else:
                self._full = self._disk
        return self._full

    def patched(self, files: tuple[str, ...], gone: set[str], new: set[str]) -> None:
        """The files are ``files`` without ``gone`` and with ``new`` (both few)."""
        if not gone and not new:
            self._files = files
            return
        listed = [f for f in files if f not in gone] if gone else list(files)
        for path in sorted(new):
            at = bisect.bisect_left(listed, path)
            if at == len(listed) or listed[at] != path:
                listed.insert(at, path)
        self._files = tuple(listed)

    def files(self) -> tuple[str, ...]:
        if self._files is None:
            self._files = self.full().files()
        return self._files

    def has_file(self, path: str) -> bool:
        if self._file_set is None:
            self._file_set = frozenset(self.files())
        return path in self._file_set

    # -- what a path holds now --------------------------------------------------------------
    def head_entry(self, path: str) -> tuple[str, str] | None:
        """(mode, blob) of ``path`` in HEAD's commit, None when it has none."""
        if path not in self._at_head:
            self.head_entries([path])
        return self._at_head[path]

    def head_entries(self, paths: list[str]) -> None:
        wanted = {raw_name(p): p for p in paths if p not in self._at_head}
        found = tree_entries(self.root, self.commit, set(wanted)) if wanted else {}
        for raw, shown in wanted.items():
            self._at_head[shown] = found.get(raw)

    def key(self, path: str) -> Key:
        """The path's key now: from git's answer, else HEAD's entry."""
        if path in self._keys:
            return self._keys[path]
        entry = self.head_entry(path)
        return ABSENT if entry is None else delta_mod.index_key(*entry)

    def read(self, path: str, limit: int) -> bytes | None:
        if self.view == WORKTREE or self._full is not None:
            return (
                self._disk.read(path, limit)
                if self.view == WORKTREE
                else self.full().read(path, limit)
            )
        key = self.key(path)
        if key is None or not key.startswith("git:"):
            return None  # a link's target is never read, and a gone path holds nothing
        return shared_reader(self.root).read(key[4:], limit)

    def size(self, path: str) -> int | None:
        if self.view == WORKTREE or self._full is not None:
            return self._disk.size(path) if self.view == WORKTREE else self.full().size(path)
        key = self.key(path)
        if key is None or not key.startswith("git:"):
            return None
        return shared_reader(self.root).size(key[4:])

    def exists(self, path: str) -> bool:
        if self.view == WORKTREE or self._full is not None:
            return self._disk.exists(path) if self.view == WORKTREE else self.full().exists(path)
        name = path.strip("/")
        if name in ("", "."):
            return True
        if name in self._keys:
            return self._keys[name] != ABSENT
        inside = name + "/"
        if any(k.startswith(inside) and v != ABSENT for k, v in self._keys.items()):
            return True
        raw = raw_name(name)
        if raw.isprintable():  # a folder of HEAD counts as there (as its files do)
            return shared_reader(self.root).resolve(f"{self.commit}:{raw}") is not None
        return self.head_entry(name) is not None

    def content_key(self, path: str) -> str | None:
        key = self.key(path) if self._full is None else self.full().content_key(path)
        return None if key == ABSENT else key

    def note_key(self, path: str, key: Key) -> None:
        self._keys[path] = key


def open_tree(root: Path, view: str, excludes: tuple[str, ...]) -> DeltaTree | None:
    """The view as HEAD plus a delta; None when that cannot be told exactly (no git, no
    commit yet, a conflict, or ``root`` is not the top of its repository)."""
    try:
        where = runner.location(root)
        runner.executable()
    except runner.GitUnavailable:
        return None
    if os.path.realpath(root) != os.path.realpath(where.top):
        return None
    from kigate.git.history import head_commit

    try:
        commit = head_commit(root)
    except (runner.GitUnavailable, RuntimeError):
        return None
    if commit is None:
        return None
    found = (
        delta_mod.worktree_delta(root) if view == WORKTREE else delta_mod.index_delta(root, commit)
    )
    if found is None:
        return None
    return DeltaTree(root, view, excludes, commit, found)
